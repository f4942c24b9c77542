using Ordo.Integration.Tests.Support;

namespace Ordo.Integration.Tests;

/// <summary>Radau IIA 5 (RADAU5): linear algebra, order, stiff reference problems, counts and allocation.</summary>
public class Radau5Tests(ITestOutputHelper output)
{
    private static readonly Radau5Method Method = OdeMethods.Radau5;

    // ROBER on [0, 40] (HNW II §IV.1), k1 = 0.04, k2 = 3e7, k3 = 1e4; reference from ode-data/problems.json "ROBER_40".
    private static OdeProblem<double> Rober() => new(
        static (t, y, dy) =>
        {
            dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
            dy[2] = 3e7 * y[1] * y[1];
            dy[1] = -dy[0] - dy[2];
        }, [1.0, 0.0, 0.0], 0, 40, "ROBER_40")
    {
        Jacobian = static (t, y, j) =>
        {
            j[0] = -0.04; j[1] = 1e4 * y[2]; j[2] = 1e4 * y[1];
            j[6] = 0; j[7] = 6e7 * y[1]; j[8] = 0;
            j[3] = 0.04; j[4] = -1e4 * y[2] - 6e7 * y[1]; j[5] = -1e4 * y[1];
        },
    };

    private static readonly double[] RoberReference = [0.715827068719405, 9.185534764557764e-06, 0.28416374574583037];

    // Van der Pol, ε = 1e-6, on [0, 2] (HNW II §IV.1); reference from ode-data/problems.json "VDPOL".
    private static OdeProblem<double> VanDerPol(bool exactJacobian) => new(
        static (t, y, dy) =>
        {
            dy[0] = y[1];
            dy[1] = ((1 - y[0] * y[0]) * y[1] - y[0]) / 1e-6;
        }, [2.0, 0.0], 0, 2, "VDPOL")
    {
        Jacobian = exactJacobian
            ? static (t, y, j) => { j[0] = 0; j[1] = 1; j[2] = (-2 * y[0] * y[1] - 1) / 1e-6; j[3] = (1 - y[0] * y[0]) / 1e-6; }
            : null,
    };

    private static readonly double[] VanDerPolReference = [1.706167732170469, -0.8928097010248125];

    private static double RelativeError(ReadOnlySpan<double> y, double[] reference, double rtol, double atol)
    {
        double worst = 0;
        for (int i = 0; i < y.Length; i++)
            worst = Math.Max(worst, Math.Abs(y[i] - reference[i]) / (rtol * Math.Abs(reference[i]) + atol));
        return worst;
    }

    [Fact]
    public void ComplexLU_SolvesARandomSystem()
    {
        const int n = 7;
        var random = new Random(6);
        double[] a = new double[2 * n * n], x = new double[2 * n], b = new double[2 * n];
        for (int i = 0; i < a.Length; i++) a[i] = random.NextDouble() - 0.5;
        for (int i = 0; i < x.Length; i++) x[i] = random.NextDouble() - 0.5;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double ar = a[2 * (i * n + j)], ai = a[2 * (i * n + j) + 1];
                b[2 * i] += ar * x[2 * j] - ai * x[2 * j + 1];
                b[2 * i + 1] += ar * x[2 * j + 1] + ai * x[2 * j];
            }
        int[] pivots = new int[n];
        Assert.True(ComplexLU.Factor(a, n, pivots));
        ComplexLU.Solve(a, n, pivots, b);
        for (int i = 0; i < x.Length; i++) Assert.Equal(x[i], b[i], 1e-12);
    }

    [Fact]
    public void Coefficients_TransformInverseRadauMatrixToRealAndComplexBlocks()
    {
        double[] ai = Radau5Coefficients.Invert(Radau5Coefficients.A);
        double[] t = Radau5Coefficients.T, ti = Radau5Coefficients.TI;
        double[] lambda = new double[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++)
                    for (int l = 0; l < 3; l++) lambda[3 * i + j] += ti[3 * i + k] * ai[3 * k + l] * t[3 * l + j];
        double g = Radau5Coefficients.Gamma, al = Radau5Coefficients.Alpha, be = Radau5Coefficients.Beta;
        double[] expected = [g, 0, 0, 0, al, be, 0, -be, al];
        for (int i = 0; i < 9; i++) Assert.Equal(expected[i], lambda[i], 1e-11);
        // Stage 3 weights are the quadrature weights b (stiffly accurate): Σ a₃ⱼ = c₃ = 1, and Σ a_ij = c_i.
        for (int i = 0; i < 3; i++)
            Assert.Equal(Radau5Coefficients.C[i], Radau5Coefficients.A[3 * i] + Radau5Coefficients.A[3 * i + 1] + Radau5Coefficients.A[3 * i + 2], 1e-14);
    }

    [Fact]
    public void FixedSteps_LogisticEquation_GlobalErrorSlopeIsFive()
    {
        // y' = y(1 − y), y(0) = 0.1: y(t) = 1/(1 + 9e^(−t)); finite-difference Jacobian.
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = 3 * y[0] * (1 - y[0]), [0.1], 0, 3);
        double exact = 1 / (1 + 9 * Math.Exp(-9));
        double[] h = [0.3, 0.15, 0.075];
        double[] errors = h.Select(dt =>
        {
            var solution = Ode.Solve(problem, Method, new OdeOptions { FixedStep = dt, Save = SaveAt.FinalOnly }).EnsureSuccess();
            return Math.Abs(solution.Y[0] - exact);
        }).ToArray();
        double slope1 = Math.Log2(errors[0] / errors[1]), slope2 = Math.Log2(errors[1] / errors[2]);
        output.WriteLine($"logistic errors {string.Join(", ", errors.Select(e => e.ToString("e3")))}; slopes {slope1:f2}, {slope2:f2}");
        Assert.InRange(slope2, 4.6, 5.6);
    }

    [Fact]
    public void ProtheroRobinson_StiffLimit_ShowsOrderReduction()
    {
        // y' = λ(y − sin t) + cos t, y(0) = 0, λ = −1e6: exact y = sin t. In the stiff limit hλ → −∞ Radau IIA's
        // global error is governed by the stage order 3 (HNW II §IV.15), not the classical order 5.
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = -1e6 * (y[0] - Math.Sin(t)) + Math.Cos(t), [0.0], 0, 1);
        double[] h = [0.1, 0.05, 0.025, 0.0125];
        double[] errors = h.Select(dt =>
            Math.Abs(Ode.Solve(problem, Method, new OdeOptions { FixedStep = dt, Save = SaveAt.FinalOnly }).EnsureSuccess().Y[0] - Math.Sin(1))).ToArray();
        double[] slopes = [.. Enumerable.Range(0, 3).Select(i => Math.Log2(errors[i] / errors[i + 1]))];
        output.WriteLine($"Prothero–Robinson λ=−1e6 errors {string.Join(", ", errors.Select(e => e.ToString("e3")))}; slopes {string.Join(", ", slopes.Select(s => s.ToString("f2")))}");
        Assert.All(slopes, s => Assert.InRange(s, 2.5, 4.7));
    }

    [Theory]
    [InlineData(1e-6)]
    [InlineData(1e-8)]
    public void Rober_MatchesReference(double rtol)
    {
        double atol = 1e-4 * rtol;
        var solution = Ode.Solve(Rober(), Method, new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = atol, Save = SaveAt.FinalOnly }).EnsureSuccess();
        double error = RelativeError(solution.Y, RoberReference, rtol, atol);
        OdeStats s = solution.Stats;
        output.WriteLine($"ROBER_40 rtol {rtol:e0}: error/(rtol|y|+atol) = {error:f3}, max abs error {MaxAbs(solution.Y, RoberReference):e3}; rhs {s.RhsEvaluations}, jac {s.JacobianEvaluations}, lu {s.LuDecompositions}, accepted {s.AcceptedSteps}, rejected {s.RejectedSteps}");
        Assert.True(error <= 100, $"error {error}");
        Assert.True(s.LuDecompositions <= 2 * (s.AcceptedSteps + s.RejectedSteps), "at most one real and one complex LU per attempted step");
        Assert.True(s.JacobianEvaluations < s.AcceptedSteps, "the Jacobian is reused across steps");
    }

    [Theory]
    [InlineData(1e-6, true)]
    [InlineData(1e-8, true)]
    [InlineData(1e-6, false)]
    public void VanDerPol_MatchesReference(double rtol, bool exactJacobian)
    {
        var solution = Ode.Solve(VanDerPol(exactJacobian), Method, new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol, Save = SaveAt.FinalOnly }).EnsureSuccess();
        double error = RelativeError(solution.Y, VanDerPolReference, rtol, rtol);
        OdeStats s = solution.Stats;
        output.WriteLine($"VDPOL rtol {rtol:e0} exactJ {exactJacobian}: error/(rtol|y|+atol) = {error:f3}, max abs error {MaxAbs(solution.Y, VanDerPolReference):e3}; rhs {s.RhsEvaluations}, jac {s.JacobianEvaluations}, lu {s.LuDecompositions}, accepted {s.AcceptedSteps}, rejected {s.RejectedSteps}");
        Assert.True(error <= 100, $"error {error}");
    }

    [Fact]
    public void Rober_NewtonIterationsPerStepAreFew()
    {
        var integrator = new OdeIntegrator<double>(Rober(), Method, new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-10, Save = SaveAt.FinalOnly });
        var solution = integrator.Solve().EnsureSuccess();
        OdeStats s = solution.Stats;
        // Each Newton iteration costs 3 f-evaluations; the rest are one f(t1, y1) per accepted step and the Jacobian.
        double perStep = (s.RhsEvaluations - s.AcceptedSteps - 1) / 3.0 / (s.AcceptedSteps + s.RejectedSteps);
        output.WriteLine($"ROBER_40 rtol 1e-6: {perStep:f2} Newton iterations per attempted step");
        Assert.InRange(perStep, 1.0, 7.0);
    }

    [Fact]
    public void Adaptive_LogisticEquation_ErrorFollowsTolerance_AndDenseOutputIsAccurate()
    {
        // y' = 3y(1 − y), y(0) = 0.1 on [0, 3]: y(t) = 1/(1 + 9e^(−3t)). Errors (end point and the collocation-polynomial
        // dense output between steps) must shrink with the tolerance.
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = 3 * y[0] * (1 - y[0]), [0.1], 0, 3);
        static double Exact(double t) => 1 / (1 + 9 * Math.Exp(-3 * t));
        double[] tolerances = [1e-4, 1e-6, 1e-8];
        var endErrors = new double[3];
        var denseErrors = new double[3];
        for (int k = 0; k < 3; k++)
        {
            double rtol = tolerances[k];
            var solution = Ode.Solve(problem, Method, new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol, Save = SaveAt.DenseOutput }).EnsureSuccess();
            endErrors[k] = Math.Abs(solution.Y[0] - Exact(3));
            for (int i = 1; i < 300; i++)
                denseErrors[k] = Math.Max(denseErrors[k], Math.Abs(solution.Dense!.Evaluate(0.01 * i)[0] - Exact(0.01 * i)));
            Assert.True(endErrors[k] <= 100 * rtol, $"end error {endErrors[k]} at rtol {rtol}");
            Assert.True(denseErrors[k] <= 100 * rtol, $"dense error {denseErrors[k]} at rtol {rtol}");
        }
        output.WriteLine($"logistic adaptive end errors {string.Join(", ", endErrors.Select(e => e.ToString("e2")))}; dense max errors {string.Join(", ", denseErrors.Select(e => e.ToString("e2")))}");
        Assert.True(endErrors[2] < endErrors[0] / 100, "error does not follow the tolerance");
        Assert.True(denseErrors[2] < denseErrors[0] / 100, "dense error does not follow the tolerance");
    }

    [Fact]
    public void Step_AllocatesNothing()
    {
        var problem = new OdeProblem<double>(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [1.0, 0.0], 0, 1e7);
        var integrator = new OdeIntegrator<double>(problem, Method, new OdeOptions { Save = SaveAt.At(5e6), MaxSteps = int.MaxValue });
        for (int i = 0; i < 200; i++) integrator.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) Assert.True(integrator.Step());
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void SinglePrecision_IsRejectedAtCreation()
    {
        var problem = new OdeProblem<float>(static (t, y, dy) => dy[0] = -y[0], [1f], 0, 1);
        Assert.Throws<ArgumentException>(() => Method.CreateStepper(problem));
        Assert.Same(Method, OdeMethods.Get("radau5"));
    }

    private static double MaxAbs(ReadOnlySpan<double> y, double[] reference)
    {
        double m = 0;
        for (int i = 0; i < y.Length; i++) m = Math.Max(m, Math.Abs(y[i] - reference[i]));
        return m;
    }
}
