using System.Diagnostics;
using Ordo.Problems;
using Xunit.Abstractions;

namespace Ordo.Integration.Tests;

/// <summary>
/// <c>auto</c> (<see cref="AutoSwitchingMethod"/>): it switches to the stiff member on stiff problems and costs about
/// what that member costs alone, never switches on non-stiff ones, switches there and back on a problem that is stiff
/// only in the middle, keeps dense output and events across a switch, and allocates nothing per step. The figures are
/// printed with
/// <c>dotnet test tests/Ordo.Integration.Tests -c Release --filter FullyQualifiedName~AutoSwitchingTests --logger "console;verbosity=detailed"</c>.
/// </summary>
public class AutoSwitchingTests(ITestOutputHelper output)
{
    private static readonly AutoSwitchingMethod Auto = AutoSwitchingMethod.Default;

    private static OdeOptions Options(double rtol, double atol) => new() { RelativeTolerance = rtol, AbsoluteTolerance = atol, MaxSteps = 200_000 };

    /// <summary>Max over components of |y − y_ref| / (rtol·|y_ref| + atol).</summary>
    private static double ErrorInTolerances(ReadOnlySpan<double> y, ReadOnlySpan<double> reference, double rtol, double atol)
    {
        double err = 0;
        for (int i = 0; i < reference.Length; i++) err = Math.Max(err, Math.Abs(y[i] - reference[i]) / (rtol * Math.Abs(reference[i]) + atol));
        return err;
    }

    private static (OdeSolution<double> Solution, double Milliseconds) Timed(OdeProblem<double> problem, IOdeMethod method, OdeOptions options)
    {
        OdeSolution<double> solution = Ode.Solve(problem, method, options);   // warm-up (JIT)
        const int repeats = 5;
        var watch = Stopwatch.StartNew();
        for (int r = 0; r < repeats; r++) solution = Ode.Solve(problem, method, options);
        return (solution, watch.Elapsed.TotalMilliseconds / repeats);
    }

    [Theory]
    [InlineData("ROBER_40")]
    [InlineData("VDPOL")]
    public void OnStiffProblemsAutoSwitchesAndCostsAboutWhatTheStiffMemberCosts(string name)
    {
        const double rtol = 1e-6;
        OdeTestProblem p = OdeTestProblems.Get(name);
        double atol = rtol * p.SuggestedAtolFactor;
        OdeProblem<double> problem = p.ToProblem();
        (OdeSolution<double> auto, double autoMs) = Timed(problem, Auto, Options(rtol, atol));
        (OdeSolution<double> stiff, double stiffMs) = Timed(problem, Auto.Stiff, Options(rtol, atol));
        (OdeSolution<double> radau, double radauMs) = Timed(problem, OdeMethods.Radau5, Options(rtol, atol));
        foreach ((string label, OdeSolution<double> s, double ms) in new[] { ("auto", auto, autoMs), (Auto.Stiff.Name, stiff, stiffMs), ("radau5", radau, radauMs) })
        {
            output.WriteLine($"{name} rtol {rtol:0e0} {label,-8} error/tol {ErrorInTolerances(s.Y, p.ReferenceFinal, rtol, atol),7:G3}  rhs {s.Stats.RhsEvaluations,6}  " +
                $"Jacobians {s.Stats.JacobianEvaluations,5}  LUs {s.Stats.LuDecompositions,5}  steps {s.Stats.AcceptedSteps}/{s.Stats.RejectedSteps}  {ms:F2} ms");
        }
        OdeSolution<double> steps = Ode.Solve(problem, Auto, Options(rtol, atol) with { Save = SaveAt.EveryStep });
        for (int k = 0; k < auto.MethodSegments.Count; k++)
        {
            OdeMethodSegment segment = auto.MethodSegments[k];
            double end = k + 1 < auto.MethodSegments.Count ? auto.MethodSegments[k + 1].StartTime : p.T1;
            int count = 0;
            foreach (double t in steps.Times) if (t > segment.StartTime && t <= end) count++;
            output.WriteLine($"  from t = {segment.StartTime:G6}: {segment.Method} ({segment.Reason}), {count} steps");
        }

        Assert.Equal(OdeStatus.Success, auto.Status);
        Assert.Equal("auto", auto.Method);
        Assert.Equal(Auto.NonStiff.Name, auto.MethodSegments[0].Method);
        Assert.Contains(auto.MethodSegments, s => s.Method == Auto.Stiff.Name && s.Reason.StartsWith("stiffness detected", StringComparison.Ordinal));
        Assert.True(ErrorInTolerances(auto.Y, p.ReferenceFinal, rtol, atol) <= 100);
        Assert.True(auto.Stats.RhsEvaluations <= 1.5 * stiff.Stats.RhsEvaluations, $"rhs {auto.Stats.RhsEvaluations} vs {stiff.Stats.RhsEvaluations}");
        Assert.True(auto.Stats.JacobianEvaluations <= 1.5 * stiff.Stats.JacobianEvaluations, $"Jacobians {auto.Stats.JacobianEvaluations} vs {stiff.Stats.JacobianEvaluations}");
        Assert.True(auto.Stats.LuDecompositions <= 1.5 * stiff.Stats.LuDecompositions, $"LUs {auto.Stats.LuDecompositions} vs {stiff.Stats.LuDecompositions}");
    }

    [Theory]
    [InlineData("DETEST_A2")]
    [InlineData("DETEST_A5")]
    [InlineData("DETEST_B1")]
    [InlineData("DETEST_B5")]
    [InlineData("DETEST_C1")]
    [InlineData("DETEST_D1")]
    [InlineData("DETEST_D5")]
    [InlineData("DETEST_E3")]
    [InlineData("Arenstorf")]
    [InlineData("Pleiades")]
    public void OnNonStiffProblemsAutoNeverSwitchesAndCostsWhatTsit5Costs(string name)
    {
        OdeTestProblem p = OdeTestProblems.Get(name);
        foreach (double rtol in new[] { 1e-4, 1e-8 })
        {
            double atol = rtol * p.SuggestedAtolFactor;
            OdeSolution<double> auto = Ode.Solve(p.ToProblem(), Auto, Options(rtol, atol));
            OdeSolution<double> tsit5 = Ode.Solve(p.ToProblem(), OdeMethods.Tsitouras54, Options(rtol, atol));
            output.WriteLine($"{name} rtol {rtol:0e0}: auto rhs {auto.Stats.RhsEvaluations}, tsit5 rhs {tsit5.Stats.RhsEvaluations}, segments {auto.MethodSegments.Count}");
            Assert.Equal(OdeStatus.Success, auto.Status);
            OdeMethodSegment only = Assert.Single(auto.MethodSegments);
            Assert.Equal(new OdeMethodSegment(p.T0, "tsit5", "start"), only);
            Assert.True(auto.Stats.RhsEvaluations <= 1.1 * tsit5.Stats.RhsEvaluations, $"rhs {auto.Stats.RhsEvaluations} vs {tsit5.Stats.RhsEvaluations}");
            Assert.Equal(0, auto.Stats.JacobianEvaluations);
            for (int i = 0; i < auto.Y.Length; i++) Assert.Equal(tsit5.Y[i], auto.Y[i], 1e-12 * (1 + Math.Abs(tsit5.Y[i])));
        }
    }

    // y₁' = −λ(t)(y₁ − cos t) − sin t, y₂' = y₁ with y(0) = (1, 0): y = (cos t, sin t) whatever λ is. λ(t) =
    // 1 + 1e4·σ(t − from)·σ(to − t), σ(x) = 1/(1 + e^(−20x)), is about 1e4 on [from, to] and about 1 outside, so the
    // problem is stiff only in the middle.
    private const double StiffFrom = 2, StiffTo = 5, StiffLambda = 1e4;

    private static OdeProblem<double> StiffInTheMiddle(double from = StiffFrom, double to = StiffTo, double t1 = 8) => new(
        (t, y, dy) =>
        {
            double lambda = 1 + StiffLambda / ((1 + Math.Exp(-20 * (t - from))) * (1 + Math.Exp(-20 * (to - t))));
            dy[0] = -lambda * (y[0] - Math.Cos(t)) - Math.Sin(t);
            dy[1] = y[0];
        }, [1.0, 0.0], 0, t1, "stiff-in-the-middle");

    [Fact]
    public void AProblemStiffOnlyInTheMiddleSwitchesToTheStiffMemberAndBack()
    {
        const double rtol = 1e-6, atol = 1e-8;
        OdeSolution<double> s = Ode.Solve(StiffInTheMiddle(), Auto, Options(rtol, atol) with { Save = SaveAt.EveryStep });
        foreach (OdeMethodSegment segment in s.MethodSegments) output.WriteLine($"from t = {segment.StartTime:G6}: {segment.Method} ({segment.Reason})");
        OdeSolution<double> tsit5 = Ode.Solve(StiffInTheMiddle(), OdeMethods.Tsitouras54, Options(rtol, atol));
        output.WriteLine($"auto rhs {s.Stats.RhsEvaluations}, Jacobians {s.Stats.JacobianEvaluations}, steps {s.Stats.AcceptedSteps}/{s.Stats.RejectedSteps}; tsit5 alone rhs {tsit5.Stats.RhsEvaluations}, steps {tsit5.Stats.AcceptedSteps}/{tsit5.Stats.RejectedSteps}");

        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.Equal(3, s.MethodSegments.Count);
        Assert.Equal(("tsit5", "start"), (s.MethodSegments[0].Method, s.MethodSegments[0].Reason));
        Assert.Equal((Auto.Stiff.Name, "stiffness detected"), (s.MethodSegments[1].Method, s.MethodSegments[1].Reason));
        Assert.Equal(("tsit5", "no longer stiff"), (s.MethodSegments[2].Method, s.MethodSegments[2].Reason));
        // Stiffness is found while λ rises (h·λ > 3.25 on 15 steps) and left soon after λ has fallen back.
        Assert.InRange(s.MethodSegments[1].StartTime, StiffFrom - 0.3, StiffFrom + 0.05);
        Assert.InRange(s.MethodSegments[2].StartTime, StiffTo, StiffTo + 1.0);
        Assert.True(s.Stats.RhsEvaluations < tsit5.Stats.RhsEvaluations / 5, "switching must pay off against the explicit method alone");
        for (int k = 0; k < s.Count; k++)
        {
            double t = s.Times[k];
            Assert.Equal(Math.Cos(t), s.State(k)[0], 1e-5);
            Assert.Equal(Math.Sin(t), s.State(k)[1], 1e-5);
        }
    }

    [Fact]
    public void DenseOutputAndEventsWorkAcrossSwitches()
    {
        const double rtol = 1e-7, atol = 1e-9;
        // y₂ = sin t crosses 0.5 at π/6 (tsit5), 5π/6 (the stiff member) and 13π/6 (tsit5 again); it rises through 0 at 2π (tsit5)
        // and falls through 0 at π (radau5; not counted: the event is for rising crossings only).
        var half = new OdeEvent((t, y) => y[1] - 0.5);
        var zero = new OdeEvent((t, y) => y[1]) { Direction = EventDirection.Rising };
        OdeSolution<double> s = Ode.Solve(StiffInTheMiddle(), Auto, Options(rtol, atol) with { Save = SaveAt.DenseOutput, Events = [half, zero] });
        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.Equal(3, s.MethodSegments.Count);
        double[] expected = [Math.PI / 6, 5 * Math.PI / 6, 2 * Math.PI, 13 * Math.PI / 6];
        Assert.Equal(expected.Length, s.Events.Count);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], s.Events[i].Time, 1e-6);
        Assert.Equal([0, 0, 1, 0], s.Events.Select(e => e.EventIndex));

        DenseOutput<double> dense = s.Dense!;
        var y = new double[2];
        double worst = 0;
        for (int k = 0; k <= 800; k++)
        {
            double t = 8.0 * k / 800;
            dense.Evaluate(t, y);
            worst = Math.Max(worst, Math.Max(Math.Abs(y[0] - Math.Cos(t)), Math.Abs(y[1] - Math.Sin(t))));
        }
        output.WriteLine($"dense output: max error {worst:G3} over 801 points across {s.MethodSegments.Count} segments");
        Assert.True(worst < 1e-5, $"dense output error {worst:G3}");
    }

    [Fact]
    public void DoesNotAllocatePerStepInEitherMember()
    {
        var options = new OdeOptions { Save = SaveAt.FinalOnly, MaxSteps = int.MaxValue };
        // Never stiff: tsit5 steps with the stiffness estimate.
        var explicitSteps = new OdeIntegrator<double>(StiffInTheMiddle(from: 2e3, to: 3e3, t1: 1e3), Auto, options);
        for (int i = 0; i < 100; i++) Assert.True(explicitSteps.Step());
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 500; i++) Assert.True(explicitSteps.Step());
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Single(explicitSteps.Result().MethodSegments);

        // Stiff from the start: the switch appends a segment; then stiff steps with the periodic estimates of ρ.
        var stiffSteps = new OdeIntegrator<double>(StiffInTheMiddle(from: -10, to: 2e3, t1: 1e3), Auto, options);
        for (int i = 0; i < 100; i++) Assert.True(stiffSteps.Step());
        Assert.Equal(Auto.Stiff.Name, stiffSteps.Result().MethodSegments[^1].Method);
        before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) Assert.True(stiffSteps.Step());
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(2, stiffSteps.Result().MethodSegments.Count);
    }

    [Fact]
    public void OnAMildlyStiffDiffusionProblemTheStiffMemberHandsBackWhenTheExplicitOneIsCheaper()
    {
        // Brusselator1D (method of lines): tsit5 is stability-limited, radau5 needs finite-difference Jacobians.
        OdeTestProblem p = OdeTestProblems.Get("Brusselator1D");
        OdeOptions options = Options(1e-6, 1e-6 * p.SuggestedAtolFactor);
        OdeSolution<double> auto = Ode.Solve(p.ToProblem(), Auto, options);
        OdeSolution<double> tsit5 = Ode.Solve(p.ToProblem(), OdeMethods.Tsitouras54, options);
        foreach (OdeMethodSegment segment in auto.MethodSegments) output.WriteLine($"from t = {segment.StartTime:G6}: {segment.Method} ({segment.Reason})");
        output.WriteLine($"auto rhs {auto.Stats.RhsEvaluations}, Jacobians {auto.Stats.JacobianEvaluations}; tsit5 rhs {tsit5.Stats.RhsEvaluations}");
        Assert.Equal(OdeStatus.Success, auto.Status);
        Assert.Contains(auto.MethodSegments, s => s.Reason == "explicit method cheaper");
        Assert.True(auto.Stats.RhsEvaluations < 2 * tsit5.Stats.RhsEvaluations);
        for (int i = 0; i < auto.Y.Length; i++) Assert.Equal(tsit5.Y[i], auto.Y[i], 1e-4 * (1 + Math.Abs(tsit5.Y[i])));
    }

    [Fact]
    public void ALongNonStiffRunAtALooseToleranceProbesTheStiffMemberRarely()
    {
        // A Kepler orbit (e = 0.1) over 100 revolutions at rtol 1e-3: tsit5's h·ρ stays around 0.4–0.9, so the plateau
        // rule fires; radau5 hands back at its first estimate, and each such probe doubles the run the next one needs.
        OdeTestProblem d1 = OdeTestProblems.Get("DETEST_D1");
        var problem = new OdeProblem<double>(d1.Rhs, d1.ToProblem().InitialState, 0, 200 * Math.PI);
        OdeOptions options = Options(1e-3, 1e-3 * d1.SuggestedAtolFactor);
        OdeSolution<double> auto = Ode.Solve(problem, Auto, options);
        OdeSolution<double> tsit5 = Ode.Solve(problem, OdeMethods.Tsitouras54, options);
        output.WriteLine($"auto rhs {auto.Stats.RhsEvaluations}, Jacobians {auto.Stats.JacobianEvaluations}, segments {auto.MethodSegments.Count}; tsit5 rhs {tsit5.Stats.RhsEvaluations}, steps {tsit5.Stats.AcceptedSteps}");
        Assert.Equal(OdeStatus.Success, auto.Status);
        Assert.True(auto.MethodSegments.Count <= 2 * Math.Log2(tsit5.Stats.AcceptedSteps) + 1, $"{auto.MethodSegments.Count} segments");
        Assert.True(auto.Stats.RhsEvaluations <= 1.25 * tsit5.Stats.RhsEvaluations, $"rhs {auto.Stats.RhsEvaluations} vs {tsit5.Stats.RhsEvaluations}");
    }

    [Fact]
    public void CountsAreEveryCallOfBothMembersAndOfTheSwitching()
    {
        OdeTestProblem p = OdeTestProblems.Get("VDPOL");
        long rhsCalls = 0, jacobianCalls = 0;
        var counted = new OdeProblem<double>((t, y, dy) => { rhsCalls++; p.Rhs(t, y, dy); }, p.ToProblem().InitialState, p.T0, p.T1)
        {
            Jacobian = (t, y, j) => { jacobianCalls++; p.Jacobian!(t, y, j); },
        };
        OdeSolution<double> s = Ode.Solve(counted, Auto, Options(1e-6, 1e-6 * p.SuggestedAtolFactor));
        Assert.True(s.MethodSegments.Count >= 3);
        Assert.Equal(rhsCalls, s.Stats.RhsEvaluations);
        Assert.Equal(jacobianCalls, s.Stats.JacobianEvaluations);
        Assert.True(s.Stats.LuDecompositions >= s.Stats.JacobianEvaluations);
    }

    [Fact]
    public void AtATightToleranceThePowerIterationProbeSwitchesEarly()
    {
        // ROBER on [0, 1e11] at rtol 1e-10: Hairer's estimate stays below 0.2 (its direction y₁ − z₆ is mostly smooth),
        // so neither the stability nor the plateau rule fires before t ≈ 51 (over 300,000 f evaluations); the power
        // iteration sees tsit5's step near its stability limit and switches before t = 1.
        const double rtol = 1e-10;
        OdeTestProblem p = OdeTestProblems.Get("ROBER_1e11");
        double atol = rtol * p.SuggestedAtolFactor;
        OdeSolution<double> auto = Ode.Solve(p.ToProblem(), Auto, Options(rtol, atol));
        OdeSolution<double> noProbe = Ode.Solve(p.ToProblem(), new AutoSwitchingMethod("auto", OdeMethods.Tsitouras54, Auto.Stiff) { ProbeInterval = 0 }, Options(rtol, atol) with { MaxSteps = 400_000 });
        OdeSolution<double> stiff = Ode.Solve(p.ToProblem(), Auto.Stiff, Options(rtol, atol));
        output.WriteLine($"auto rhs {auto.Stats.RhsEvaluations} (switch at t = {auto.MethodSegments[^1].StartTime:G3}, {auto.MethodSegments[^1].Reason}); " +
            $"without the probe rhs {noProbe.Stats.RhsEvaluations} (switch at t = {noProbe.MethodSegments[^1].StartTime:G3}); {Auto.Stiff.Name} alone rhs {stiff.Stats.RhsEvaluations}");
        Assert.Equal(OdeStatus.Success, auto.Status);
        Assert.Equal(2, auto.MethodSegments.Count);
        Assert.Equal(AutoSwitchingStepper.ProbeReason, auto.MethodSegments[1].Reason);
        Assert.True(auto.MethodSegments[1].StartTime < 1);
        Assert.True(noProbe.MethodSegments[^1].StartTime > 10);
        Assert.True(ErrorInTolerances(auto.Y, p.ReferenceFinal, rtol, atol) <= 100);
        Assert.True(auto.Stats.RhsEvaluations <= 1.5 * stiff.Stats.RhsEvaluations, $"rhs {auto.Stats.RhsEvaluations} vs {stiff.Stats.RhsEvaluations}");
    }

    [Fact]
    public void SinglePrecisionRunsTheExplicitMemberAlone()
    {
        var problem = new OdeProblem<float>(static (t, y, dy) => dy[0] = -y[0], [1f], 0, 1);
        OdeSolution<float> s = Ode.Solve(problem, Auto, new OdeOptions { RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-7 });
        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.Equal(Math.Exp(-1), s.Y[0], 1e-5);
        Assert.Empty(s.MethodSegments);
    }
}
