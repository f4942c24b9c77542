using Ordo.Integration.Tests.Support;

namespace Ordo.Integration.Tests.Driver;

/// <summary>Saved steps, save points and the continuous solution against exact answers.</summary>
public class OutputTests
{
    private static readonly OdeOptions Tight = new() { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 };

    [Theory, MemberData(nameof(MethodRegistry.AdaptiveMethods), MemberType = typeof(MethodRegistry))]
    public void DenseOutput_Adaptive_MatchesExactSolutionEverywhere(string methodName)
    {
        IOdeMethod method = OdeMethods.Get(methodName);
        double rtol = method.Order >= 5 ? 1e-10 : 1e-7;
        ExactProblem p = ExactProblems.Oscillator;
        OdeSolution<double> s = Ode.Solve(p.ToProblem(), method, new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol, Save = SaveAt.DenseOutput, MaxSteps = 10_000_000 });
        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.Equal(0, s.Count);   // nothing but the continuous solution was kept
        DenseOutput<double> dense = s.Dense!;
        Assert.Equal(s.Stats.AcceptedSteps, dense.Count);
        var y = new double[2];
        double worst = 0;
        for (int i = 0; i <= 1000; i++)
        {
            double t = p.T0 + i * (p.T1 - p.T0) / 1000;
            dense.Evaluate(t, y);
            double[] exact = p.Exact(t);
            worst = Math.Max(worst, Math.Max(Math.Abs(y[0] - exact[0]), Math.Abs(y[1] - exact[1])));
        }
        // The global error of the steps is about rtol × (a few oscillation periods); the interpolant adds an error of the
        // same size (DP5/Tsit5/DOP853 have interpolants one order lower than the method, Hermite is order 3).
        Assert.True(worst < 1000 * rtol, $"dense output error {worst:e2}");
        Assert.Equal(s.Y[0], dense.Evaluate(p.T1)[0], 1e-14);
        Assert.Throws<ArgumentOutOfRangeException>(() => dense.Evaluate(p.T1 + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => dense.Evaluate(p.T0 - 1e-9));
    }

    [Fact]
    public void SaveAt_Times_AreExactlyTheRequestedTimesWithAccurateStates()
    {
        ExactProblem p = ExactProblems.LinearForced;
        double[] times = [0, 0.1, 0.25, 0.5, 1, 1.5, 1.999, 2];
        OdeSolution<double> s = Ode.Solve(p.ToProblem(), OdeMethods.DormandPrince853, Tight with { Save = SaveAt.At(times) });
        Assert.Equal(times, s.Times.ToArray());
        for (int k = 0; k < times.Length; k++) Assert.Equal(p.Exact(times[k])[0], s.State(k)[0], 1e-8);
        Assert.Equal(s.Y[0], s.State(times.Length - 1)[0]);
    }

    [Fact]
    public void SaveAt_EveryStep_StartsAtT0AndEndsAtT1()
    {
        ExactProblem p = ExactProblems.LinearForced;
        OdeSolution<double> s = Ode.Solve(p.ToProblem(), OdeMethods.Tsitouras54);
        Assert.Equal(s.Stats.AcceptedSteps + 1, s.Count);
        Assert.Equal(p.T0, s.Times[0]);
        Assert.Equal(p.T1, s.Times[^1]);
        Assert.Equal(p.Y0[0], s.State(0)[0]);
        for (int k = 1; k < s.Count; k++) Assert.True(s.Times[k] > s.Times[k - 1]);
        Assert.Equal(s.Count * 1, s.States.Length);
    }

    [Fact]
    public void SaveAt_FinalOnly_KeepsNothingButTheFinalState()
    {
        OdeSolution<double> s = Ode.Solve(ExactProblems.LinearForced.ToProblem(), OdeMethods.Tsitouras54, new OdeOptions { Save = SaveAt.FinalOnly });
        Assert.Equal(0, s.Count);
        Assert.Null(s.Dense);
        Assert.Equal(ExactProblems.LinearForced.Exact(2)[0], s.Y[0], 1e-6);
    }

    [Fact]
    public void Backward_FromT1ToT0_RecoversTheInitialValue()
    {
        // y' = −y from t = 5 back to t = 0: y(0) = y(5)·e⁵.
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = -y[0], [Math.Exp(-5)], 5, 0);
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.DormandPrince853, Tight with { Save = SaveAt.At(5, 2.5, 0), MaxStep = 0.7 });
        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.Equal(0, s.Time);
        Assert.Equal(1.0, s.Y[0], 1e-9);
        Assert.Equal(Math.Exp(-2.5), s.State(1)[0], 1e-10);
        Assert.True(s.Stats.AcceptedSteps >= 8);   // MaxStep respected going backwards
    }

    [Fact]
    public void FixedStep_LandsExactlyOnT1()
    {
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = 1, [0.0], 0, 1);
        OdeSolution<double> tenths = Ode.Solve(problem, OdeMethods.Euler, new OdeOptions { FixedStep = 0.1 });
        Assert.Equal(10, tenths.Stats.AcceptedSteps);
        Assert.Equal(1.0, tenths.Time);
        OdeSolution<double> uneven = Ode.Solve(problem, OdeMethods.Euler, new OdeOptions { FixedStep = 0.3 });
        Assert.Equal(4, uneven.Stats.AcceptedSteps);   // 0.3, 0.6, 0.9, then a shortened step of 0.1
        Assert.Equal([0, 0.3, 0.6, 0.9, 1.0], uneven.Times.ToArray(), (a, b) => Math.Abs(a - b) < 1e-15);
        Assert.Equal(1.0, uneven.Y[0], 1e-15);
    }

    [Fact]
    public void FixedStep_AdaptiveMethodIgnoresItsEstimate()
    {
        OdeSolution<double> s = Ode.Solve(ExactProblems.LinearForced.ToProblem(), OdeMethods.DormandPrince54, new OdeOptions { FixedStep = 0.5 });
        Assert.Equal(4, s.Stats.AcceptedSteps);
        Assert.Equal(0, s.Stats.RejectedSteps);
        Assert.Equal(1 + 4 * 6, s.Stats.RhsEvaluations);   // f(t0, y0) once, then 6 new stages per FSAL step
    }

    [Fact]
    public void PerComponentAbsoluteTolerance_ControlsATinyComponent()
    {
        // Two decoupled decays; the second, faster one lives at scale 1e-10, far below a global atol of 1e-6, so only a
        // per-component atol makes the controller look at it.
        var problem = new OdeProblem<double>(static (t, y, dy) => { dy[0] = -y[0]; dy[1] = -5 * y[1]; }, [1.0, 1e-10], 0, 5);
        var loose = Ode.Solve(problem, OdeMethods.Tsitouras54, new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6, Save = SaveAt.FinalOnly });
        var tight = Ode.Solve(problem, OdeMethods.Tsitouras54, new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerances = [1e-6, 1e-24], Save = SaveAt.FinalOnly });
        double exact = 1e-10 * Math.Exp(-25);
        double looseError = Math.Abs(loose.Y[1] - exact) / exact, tightError = Math.Abs(tight.Y[1] - exact) / exact;
        Assert.True(tightError < 1e-4, $"relative error of the tiny component {tightError:e2}");
        Assert.True(looseError > 1e-2, $"without its own atol the tiny component is not controlled: {looseError:e2}");
    }

    [Fact]
    public void InitialStep_Option_IsTheFirstStepTaken()
    {
        OdeSolution<double> s = Ode.Solve(ExactProblems.LinearForced.ToProblem(), OdeMethods.Tsitouras54, new OdeOptions { InitialStep = 1e-3 });
        Assert.Equal(1e-3, s.Times[1], 1e-18);
    }

    [Fact]
    public void HairerInitialStep_FollowsHinitAndCostsOneEvaluation()
    {
        // HNW I §II.4 on y' = −y, y0 = 1, rtol 1e-6, atol 1e-9, order 5: with sc = atol + rtol = 1.001e-6,
        // d0 = d1 = 1/sc, h0 = 0.01·d0/d1 = 0.01; the Euler probe gives f1 − f0 = 0.01, d2 = (0.01/sc)/h0 = 1/sc;
        // h1 = (0.01/max(d1, d2))^(1/5); h = min(100·h0, h1).
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = -y[0], [1.0], 0, 10);
        var integrator = new OdeIntegrator<double>(problem, OdeMethods.DormandPrince54);
        double sc = 1e-9 + 1e-6;
        Assert.Equal(Math.Min(1.0, Math.Pow(0.01 * sc, 0.2)), integrator.StepSize, 1e-12);
        Assert.Equal(2, integrator.Stats.RhsEvaluations);   // f(t0, y0) and the Euler probe
    }

    [Fact]
    public void ManualStepping_GivesTheSameResultAsSolve()
    {
        ExactProblem p = ExactProblems.Oscillator;
        OdeSolution<double> solved = Ode.Solve(p.ToProblem(), OdeMethods.Tsitouras54, new OdeOptions { Save = SaveAt.FinalOnly });
        var integrator = new OdeIntegrator<double>(p.ToProblem(), OdeMethods.Tsitouras54, new OdeOptions { Save = SaveAt.FinalOnly });
        int steps = 0;
        while (integrator.Step()) steps++;
        Assert.Equal(OdeStatus.Success, integrator.Status);
        Assert.Equal(solved.Stats.AcceptedSteps, steps + 1);
        Assert.Equal(solved.Y, integrator.Y.ToArray());
        Assert.False(integrator.Step());
    }

    [Fact]
    public void IdenticalInputs_GiveBitwiseIdenticalResults()
    {
        OdeSolution<double> a = Ode.Solve(ExactProblems.Kepler.ToProblem(), OdeMethods.DormandPrince853);
        OdeSolution<double> b = Ode.Solve(ExactProblems.Kepler.ToProblem(), OdeMethods.DormandPrince853);
        Assert.Equal(a.Times.ToArray(), b.Times.ToArray());
        Assert.Equal(a.States.ToArray(), b.States.ToArray());
    }

    [Fact]
    public void SinglePrecision_SolvesWithFloatState()
    {
        var problem = new OdeProblem<float>(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [1f, 0f], 0, 3);
        OdeSolution<float> s = Ode.Solve(problem, OdeMethods.Tsitouras54, new OdeOptions { RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-6, Save = SaveAt.DenseOutput });
        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.Equal(Math.Cos(3), s.Y[0], 1e-4);
        Assert.Equal(-Math.Sin(1.5), s.Dense!.Evaluate(1.5)[1], 1e-4);
    }

    [Fact]
    public void Progress_ReportsIncreasingFractionsEndingAtOne()
    {
        var reports = new List<OdeProgress>();
        var progress = new SynchronousProgress<OdeProgress>(reports.Add);
        var problem = new OdeProblem<double>(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [1.0, 0.0], 0, 20000);
        Ode.Solve(problem, OdeMethods.Tsitouras54, new OdeOptions { Progress = progress, Save = SaveAt.FinalOnly, MaxSteps = 10_000_000, RelativeTolerance = 1e-10 });
        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1].Fraction);
        for (int i = 1; i < reports.Count; i++) Assert.True(reports[i].Fraction >= reports[i - 1].Fraction);
    }

    [Fact]
    public void Cancellation_ThrowsOperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        int calls = 0;
        var problem = new OdeProblem<double>((t, y, dy) =>
        {
            if (++calls == 1000) cts.Cancel();
            dy[0] = y[1];
            dy[1] = -y[0];
        }, [1.0, 0.0], 0, 1e6);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            Ode.Solve(problem, OdeMethods.Tsitouras54, new OdeOptions { CancellationToken = cts.Token, MaxSteps = int.MaxValue, Save = SaveAt.FinalOnly }));
        Assert.InRange(calls, 1000, 1010);   // stopped within a step of the request
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
