using Ordo.Problems;

namespace Ordo.Integration.Tests;

/// <summary>
/// Variable-order BDF (<see cref="BdfMethod"/>): closed forms, the stiff reference problems, empirical orders, work
/// counters against scipy's BDF, allocation and bad input. Figures are printed with
/// <c>dotnet test tests/Ordo.Integration.Tests -c Release --filter "FullyQualifiedName~BdfTests" --logger "console;verbosity=detailed"</c>.
/// </summary>
public class BdfTests(ITestOutputHelper output)
{
    private static readonly BdfMethod Method = BdfMethod.Default;

    // y' = A y with A = [[a, b], [b, a]], a = −(1 + λ)/2, b = (λ − 1)/2: eigenvalues −1 (vector (1, 1)) and −λ (vector
    // (1, −1)). y(0) = (2, 0) gives y(t) = (e^−t + e^−λt, e^−t − e^−λt).
    private const double Lambda = 1e5;

    private static OdeProblem<double> LinearStiff(bool exactJacobian, double t1 = 10) => new(
        static (t, y, dy) =>
        {
            const double a = -(1 + Lambda) / 2, b = (Lambda - 1) / 2;
            dy[0] = a * y[0] + b * y[1];
            dy[1] = b * y[0] + a * y[1];
        }, [2.0, 0.0], 0, t1, "linear-stiff")
    {
        Jacobian = exactJacobian
            ? static (t, y, j) => { j[0] = j[3] = -(1 + Lambda) / 2; j[1] = j[2] = (Lambda - 1) / 2; }
            : null,
    };

    private static double[] LinearExact(double t) => [Math.Exp(-t) + Math.Exp(-Lambda * t), Math.Exp(-t) - Math.Exp(-Lambda * t)];

    private static double ToleranceUnits(ReadOnlySpan<double> y, ReadOnlySpan<double> reference, double rtol, double atol)
    {
        double worst = 0;
        for (int i = 0; i < y.Length; i++)
            worst = Math.Max(worst, Math.Abs(y[i] - reference[i]) / (rtol * Math.Abs(reference[i]) + atol));
        return worst;
    }

    [Theory]
    [InlineData(1e-4, true)]
    [InlineData(1e-6, true)]
    [InlineData(1e-8, true)]
    [InlineData(1e-6, false)]
    public void LinearStiffSystem_EndAndDenseOutputMatchClosedForm(double rtol, bool exactJacobian)
    {
        double atol = 1e-3 * rtol;
        var solution = Ode.Solve(LinearStiff(exactJacobian), Method,
            new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = atol, Save = SaveAt.DenseOutput }).EnsureSuccess();
        double endError = ToleranceUnits(solution.Y, LinearExact(10), rtol, atol);
        // Dense output between steps, away from the initial layer (t ≥ 1e-3, where e^−λt is below 1e-43).
        double denseError = 0;
        for (int i = 1; i <= 400; i++)
        {
            double t = 0.025 * i;
            denseError = Math.Max(denseError, ToleranceUnits(solution.Dense!.Evaluate(t), LinearExact(t), rtol, atol));
        }
        OdeStats s = solution.Stats;
        output.WriteLine($"linear stiff λ=1e5 rtol {rtol:0e0} exactJ {exactJacobian}: end error {endError:f3} tol, dense max {denseError:f3} tol; rhs {s.RhsEvaluations}, jac {s.JacobianEvaluations}, lu {s.LuDecompositions}, steps {s.AcceptedSteps}/{s.RejectedSteps}");
        Assert.True(endError <= 100, $"end error {endError} tolerances");
        Assert.True(denseError <= 100, $"dense error {denseError} tolerances");
        Assert.True(s.AcceptedSteps < 1000, "a stiff solver must not be limited by the fast mode (λ = 1e5 on [0, 10])");
    }

    public static TheoryData<string, double> StiffCases()
    {
        var data = new TheoryData<string, double>();
        foreach (string name in new[] { "ROBER_40", "VDPOL", "HIRES", "OREGO" })
            foreach (double rtol in new[] { 1e-4, 1e-6, 1e-8 })
                data.Add(name, rtol);
        return data;
    }

    [Theory]
    [MemberData(nameof(StiffCases))]
    public void StiffReferenceProblem_IsWithinAHundredTolerances(string name, double rtol)
    {
        OdeTestProblem p = OdeTestProblems.Get(name);
        double atol = rtol * p.SuggestedAtolFactor;
        var s = Ode.Solve(p.ToProblem(), Method, new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = atol, Save = SaveAt.FinalOnly, MaxSteps = 200_000 });
        Assert.Equal(OdeStatus.Success, s.Status);
        double err = ToleranceUnits(s.Y, p.ReferenceFinal, rtol, atol);
        OdeStats st = s.Stats;
        output.WriteLine($"bdf {name} rtol {rtol:0e0}: error/tol {err:G3}, rhs {st.RhsEvaluations}, Jacobians {st.JacobianEvaluations}, LUs {st.LuDecompositions}, steps {st.AcceptedSteps}/{st.RejectedSteps}");
        Assert.True(err <= 100, $"{name}: error {err:G3} tolerances");
        Assert.True(st.JacobianEvaluations * 5 <= st.AcceptedSteps, "the Jacobian is reused over many steps");
        Assert.True(st.LuDecompositions < st.AcceptedSteps + st.RejectedSteps, "the factorization is reused across steps");
    }

    [Fact]
    public void Rober_CountsAreComparableToScipyBdf()
    {
        // scipy 1.10.1 BDF on ROBER_40, rtol 1e-6, atol 1e-10 (research/ode-data/scipy_results.csv): nfev 366 (without
        // the finite-difference columns), njev 4, nlu 33, 144 steps. Ordo with the same finite-difference Jacobian.
        OdeTestProblem p = OdeTestProblems.Get("ROBER_40");
        var problem = new OdeProblem<double>(p.Rhs, p.InitialState, p.T0, p.T1, p.Name);
        var s = Ode.Solve(problem, Method, new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-10, Save = SaveAt.FinalOnly }).EnsureSuccess();
        OdeStats st = s.Stats;
        long withoutColumns = st.RhsEvaluations - 3 * st.JacobianEvaluations;
        double err = ToleranceUnits(s.Y, p.ReferenceFinal, 1e-6, 1e-10);
        // In-process time, median of 21 solves (printed only: CI machines vary). CVODE 6.4.1 with the same difference-quotient
        // Jacobian (research/ode-data/cvode_rober_results.csv): 250 steps, 335 + 15 f-evaluations, 5 Jacobians, 38 setups, 0.48 ms.
        var times = new double[21];
        for (int r = 0; r < times.Length; r++)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            Ode.Solve(problem, Method, new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-10, Save = SaveAt.FinalOnly });
            times[r] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        output.WriteLine($"ROBER_40 rtol 1e-6 atol 1e-10, FD Jacobian: Ordo bdf rhs {st.RhsEvaluations} ({withoutColumns} without FD columns), Jacobians {st.JacobianEvaluations}, LUs {st.LuDecompositions}, steps {st.AcceptedSteps}/{st.RejectedSteps}, error/tol {err:G3}, median {times[10]:f3} ms; scipy BDF nfev 366, njev 4, nlu 33, steps 144");
        Assert.True(err <= 100);
        Assert.True(withoutColumns <= 1.5 * 366, "f-evaluations within 1.5x of scipy's BDF");
        Assert.True(st.LuDecompositions <= 2 * 33, "LU factorizations within 2x of scipy's BDF");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void MaxOrder_EmpiricalOrderFromErrorVersusSteps(int maxOrder)
    {
        // y' = −y + sin(t) ... smooth, non-stiff: y1' = y2, y2' = −y1 on [0, 6]; error ∝ N^−q for a method of order q
        // run at tolerance-proportional local error.
        var problem = new OdeProblem<double>(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [1.0, 0.0], 0, 6);
        var method = new BdfMethod(maxOrder);
        double[] tolerances = maxOrder switch { 1 => [1e-3, 1e-4, 1e-5], 2 => [1e-4, 1e-6, 1e-8], _ => [1e-6, 1e-8, 1e-10] };
        var steps = new double[3];
        var errors = new double[3];
        for (int k = 0; k < 3; k++)
        {
            var s = Ode.Solve(problem, method, new OdeOptions { RelativeTolerance = tolerances[k], AbsoluteTolerance = tolerances[k], Save = SaveAt.FinalOnly }).EnsureSuccess();
            steps[k] = s.Stats.AcceptedSteps;
            errors[k] = Math.Max(Math.Abs(s.Y[0] - Math.Cos(6)), Math.Abs(s.Y[1] + Math.Sin(6)));
        }
        double slope = -Math.Log(errors[2] / errors[0]) / Math.Log(steps[2] / steps[0]);
        output.WriteLine($"max order {maxOrder}: steps {string.Join(", ", steps)}; errors {string.Join(", ", errors.Select(e => e.ToString("e2")))}; slope {slope:f2}");
        Assert.InRange(slope, maxOrder - 0.5, maxOrder + 1.0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FixedSteps_ConvergeWithTheOrder(int maxOrder)
    {
        // Fixed steps start at order 1 and rise to the maximum; with orders 1 and 2 the start-up error does not spoil the
        // order. Logistic y' = 3y(1 − y): y(t) = 1/(1 + 9e^(−3t)).
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = 3 * y[0] * (1 - y[0]), [0.1], 0, 2);
        double exact = 1 / (1 + 9 * Math.Exp(-6));
        var method = new BdfMethod(maxOrder);
        double[] errors = [.. new[] { 0.02, 0.01, 0.005 }.Select(h =>
            Math.Abs(Ode.Solve(problem, method, new OdeOptions { FixedStep = h, Save = SaveAt.FinalOnly }).EnsureSuccess().Y[0] - exact))];
        double slope = Math.Log2(errors[1] / errors[2]);
        output.WriteLine($"fixed steps, max order {maxOrder}: errors {string.Join(", ", errors.Select(e => e.ToString("e2")))}; slope {slope:f2}");
        Assert.InRange(slope, maxOrder - 0.3, maxOrder + 0.5);
    }

    [Fact]
    public void Ndf_SolvesRober()
    {
        OdeTestProblem p = OdeTestProblems.Get("ROBER_40");
        var s = Ode.Solve(p.ToProblem(), new BdfMethod(ndf: true), new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-9, Save = SaveAt.FinalOnly }).EnsureSuccess();
        double err = ToleranceUnits(s.Y, p.ReferenceFinal, 1e-6, 1e-9);
        output.WriteLine($"ndf ROBER_40 rtol 1e-6: error/tol {err:G3}, rhs {s.Stats.RhsEvaluations}, Jacobians {s.Stats.JacobianEvaluations}, LUs {s.Stats.LuDecompositions}, steps {s.Stats.AcceptedSteps}/{s.Stats.RejectedSteps}");
        Assert.True(err <= 100);
    }

    [Fact]
    public void Step_AllocatesNothing()
    {
        var problem = LinearStiff(exactJacobian: false, t1: 1e9);
        var integrator = new OdeIntegrator<double>(problem, Method, new OdeOptions { Save = SaveAt.At(5e8), MaxSteps = int.MaxValue, MaxStep = 1e-2 });
        for (int i = 0; i < 200; i++) integrator.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) Assert.True(integrator.Step());
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(integrator.Stats.LuDecompositions > 1);
    }

    [Fact]
    public void BadInput_IsRejectedWithClearErrors()
    {
        var single = new OdeProblem<float>(static (t, y, dy) => dy[0] = -y[0], [1f], 0, 1);
        Assert.Throws<ArgumentException>(() => Method.CreateStepper(single));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BdfMethod(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BdfMethod(6));
        Assert.Equal("bdf", Method.Name);
        Assert.Equal("ndf", new BdfMethod(ndf: true).Name);
    }

    [Fact]
    public void NewtonFailure_IsReportedAsAHugeErrorAndTheStepperShrinksTheStep()
    {
        // y' = −1e6·y³, y(0) = 1: y(t) = 1/√(1 + 2e6·t). From h = 1 the predictor is y0 + h·f0 = −999999 and three
        // Newton iterations on the cubic (error shrinking by about 2/3 each) cannot converge: the step reports an infinite
        // error norm (not an exception), and the stepper proposes h/4.
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = -1e6 * y[0] * y[0] * y[0], [1.0], 0, 1);
        OdeStepper<double> stepper = Method.CreateStepper(problem);
        double[] y0 = [1.0], f0 = [-1e6], y1 = new double[1];
        stepper.Start(0, y0, f0);
        StepOutcome outcome = stepper.Step(0, 1.0, y0, y1, new ErrorTolerances(1e-6, [1e-9]), out double error);
        Assert.Equal(StepOutcome.Success, outcome);
        Assert.True(double.IsPositiveInfinity(error));
        var memory = ControllerMemory.Initial;
        StepSizeDecision decision = stepper.DecideStep(1.0, error, ref memory);
        Assert.False(decision.Accept);
        Assert.Equal(0.25, decision.NextStepSize);
        Assert.Equal(1, stepper.JacobianEvaluations);   // the Jacobian was fresh, so no second attempt at this h

        // The whole solve from the same oversized first step still succeeds.
        var s = Ode.Solve(problem, Method, new OdeOptions { InitialStep = 1.0, RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-12, Save = SaveAt.FinalOnly }).EnsureSuccess();
        double exact = 1 / Math.Sqrt(1 + 2e6);
        output.WriteLine($"cubic decay from h0 = 1: relative error {Math.Abs(s.Y[0] - exact) / exact:e2}, steps {s.Stats.AcceptedSteps}/{s.Stats.RejectedSteps}");
        Assert.True(Math.Abs(s.Y[0] - exact) <= 100 * 1e-6 * exact);
    }

    [Fact]
    public void BackwardIntegration_MatchesClosedForm()
    {
        // y' = −y + t from t = 2 down to 0 with y(2) = e^(−2) + 1: y(t) = e^(−t) + t − 1.
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = -y[0] + t, [Math.Exp(-2) + 1], 2, 0);
        var s = Ode.Solve(problem, Method, new OdeOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10, Save = SaveAt.DenseOutput }).EnsureSuccess();
        Assert.Equal(0.0, s.Time);
        Assert.True(Math.Abs(s.Y[0]) <= 100 * (1e-8 + 1e-10), $"y(0) = {s.Y[0]}");
        double mid = s.Dense!.Evaluate(1.0)[0];
        Assert.True(Math.Abs(mid - Math.Exp(-1)) <= 100 * 1e-8 * Math.Exp(-1), $"y(1) = {mid}");
    }

    [Fact]
    public void NonFiniteRhs_EndsWithAStatusInsteadOfThrowing()
    {
        // f is NaN for t > 1: the driver shrinks h until it gives up, and the solve reports NonFiniteRhs.
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = t > 1 ? double.NaN : -1e4 * (y[0] - Math.Cos(t)), [1.0], 0, 2);
        var s = Ode.Solve(problem, Method, new OdeOptions { Save = SaveAt.FinalOnly });
        Assert.Equal(OdeStatus.NonFiniteRhs, s.Status);
        Assert.InRange(s.Time, 0.99, 1.0);
        Assert.Equal(Math.Cos(s.Time), s.Y[0], 1e-3);
    }
}
