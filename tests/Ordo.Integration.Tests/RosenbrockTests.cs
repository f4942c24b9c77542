using System.Globalization;
using Ordo.Integration.Tests.Support;
using Ordo.Integration.Tests.Tableaux;

namespace Ordo.Integration.Tests;

/// <summary>
/// The Rosenbrock methods (ros3p, rodas4, rodas5p): order conditions of the tableaux, empirical orders (nonstiff and
/// Prothero–Robinson), the stiff test problems ROBER and VDPOL against their references, Jacobian/LU counts,
/// finite-difference versus exact Jacobians, dense output, and allocation.
/// </summary>
public class RosenbrockTests(ITestOutputHelper output)
{
    /// <summary>The classical Rosenbrock methods (exact-Jacobian order conditions; the W-methods, which reuse J, are
    /// covered by WMethodTests).</summary>
    public static TheoryData<string> Methods => new(ClassicalRosenbrock.Select(m => m.Name));

    private static IEnumerable<RosenbrockMethod> ClassicalRosenbrock =>
        OdeMethods.Stiff.OfType<RosenbrockMethod>().Where(m => !m.Tableau.IsWMethod);

    private static RosenbrockMethod Method(string name) => (RosenbrockMethod)OdeMethods.Get(name);

    // ---- order conditions -------------------------------------------------------------------------------------

    /// <summary>
    /// Elementary weight of a Rosenbrock method with exact Jacobian (HW II, §IV.7, Table 7.1, written
    /// in the (α, β = α + Γ) form): Φ(τ) = 1; for a root with a single subtree t₁, Φⱼ = Σₖ βⱼₖ Φₖ(t₁) (β with the diagonal
    /// γ); for a root with m ≥ 2 subtrees, Φⱼ = Πᵢ Σₖ αⱼₖ Φₖ(tᵢ). The condition of order |t| is Σⱼ bⱼ Φⱼ(t) = 1/γ(t).
    /// Returns (Σ bⱼΦⱼ, the same with absolute values for the rounding scale).
    /// </summary>
    private static (double Value, double Scale) Condition(RootedTree tree, double[] b, double[] alpha, double[] beta, int s)
    {
        double[] phi = Phi(tree, alpha, beta, s, abs: false), phiAbs = Phi(tree, alpha, beta, s, abs: true);
        double v = 0, sc = 0;
        for (int j = 0; j < s; j++)
        {
            v += b[j] * phi[j];
            sc += Math.Abs(b[j]) * phiAbs[j];
        }
        return (v, sc);
    }

    private static double[] Phi(RootedTree tree, double[] alpha, double[] beta, int s, bool abs)
    {
        var r = new double[s];
        if (tree.IsLeaf)
        {
            Array.Fill(r, 1.0);
            return r;
        }
        double[] m = tree.Children.Count == 1 ? beta : alpha;
        Array.Fill(r, 1.0);
        foreach (RootedTree child in tree.Children)
        {
            double[] pc = Phi(child, alpha, beta, s, abs);
            for (int j = 0; j < s; j++)
            {
                double sum = 0;
                for (int k = 0; k < s; k++) sum += (abs ? Math.Abs(m[j * s + k]) : m[j * s + k]) * pc[k];
                r[j] *= sum;
            }
        }
        return r;
    }

    private static double WorstResidual(RosenbrockTableau t, int order, bool embedded, out string worstTree)
    {
        int s = t.Stages;
        double[] alpha = t.ClassicalAlpha(), gamma = t.ClassicalGamma(), b = t.ClassicalWeights(embedded);
        double[] beta = new double[s * s];
        for (int k = 0; k < beta.Length; k++) beta[k] = alpha[k] + gamma[k];
        double worst = 0;
        worstTree = "";
        foreach (RootedTree tree in RootedTrees.OfOrder(order))
        {
            (double v, double sc) = Condition(tree, b, alpha, beta, s);
            double r = Math.Abs(v - 1.0 / tree.Density) / Math.Max(sc, 1);
            if (r > worst) { worst = r; worstTree = tree.ToString(); }
        }
        return worst;
    }

    [Theory, MemberData(nameof(Methods))]
    public void Tableau_SatisfiesOrderConditions_UpToItsOrders(string name)
    {
        RosenbrockTableau t = Method(name).Tableau;
        for (int q = 1; q <= t.Order; q++)
        {
            double r = WorstResidual(t, q, embedded: false, out string tree);
            output.WriteLine($"{name} order {q}: worst scaled residual {r:e2} ({tree})");
            Assert.True(r < 1e-12, $"{name}: order-{q} condition {tree} violated, residual {r:e3}");
        }
        for (int q = 1; q <= t.EmbeddedOrder; q++)
            Assert.True(WorstResidual(t, q, embedded: true, out string tree) < 1e-12, $"{name} embedded: order-{q} condition {tree}");
        // And not one order more (the counterexample shows the check can fail).
        double next = WorstResidual(t, t.Order + 1, embedded: false, out _);
        double nextEmbedded = WorstResidual(t, t.EmbeddedOrder + 1, embedded: true, out _);
        output.WriteLine($"{name}: order {t.Order + 1} residual {next:e2}, embedded order {t.EmbeddedOrder + 1} residual {nextEmbedded:e2}");
        Assert.True(next > 1e-6);
        Assert.True(nextEmbedded > 1e-6);
    }

    [Theory, MemberData(nameof(Methods))]
    public void Tableau_StageTimesAndGammaSums_MatchTheClassicalCoefficients(string name)
    {
        RosenbrockTableau t = Method(name).Tableau;
        int s = t.Stages;
        double[] alpha = t.ClassicalAlpha(), gamma = t.ClassicalGamma();
        for (int i = 0; i < s; i++)
        {
            double ai = 0, gi = 0;
            for (int j = 0; j < s; j++) { ai += alpha[i * s + j]; gi += gamma[i * s + j]; }
            Assert.Equal(t.Alpha[i], ai, 1e-12);
            Assert.Equal(t.GammaSums[i], gi, 1e-12);
            Assert.Equal(t.Gamma, gamma[i * s + i], 1e-15);
        }
    }

    [Fact]
    public void OrderConditions_DetectAMistypedDigit()
    {
        RosenbrockTableau t = RosenbrockTableaus.Rodas4;
        double[] c = (double[])t.C.Clone();
        c[4 * 6 + 2] += 1e-9;   // c53 = −33.99990352819905 → −33.99990352719905 (10th digit)
        var bad = new RosenbrockTableau("bad", 4, 3, t.Gamma, t.A, c, t.Alpha, t.GammaSums, t.Weights, t.EmbeddedWeights);
        double worst = Enumerable.Range(1, 4).Max(q => WorstResidual(bad, q, false, out _));
        output.WriteLine($"rodas4 with c53 off by 1e-9: worst residual {worst:e2}");
        Assert.True(worst > 1e-12);
    }

    // ---- empirical orders ---------------------------------------------------------------------------------------

    /// <summary>
    /// A nonlinear autonomous problem with exact solution and exact Jacobian (so neither difference of the stepper
    /// enters): y₁' = −y₁³, y₂' = y₁y₂, y(0) = (1, 1) on [0, 2]; y₁ = (1 + 2t)^(−1/2), y₂ = exp(√(1 + 2t) − 1).
    /// </summary>
    private static readonly ExactProblem CubicDecay = new("cubic-decay",
        static (t, y, dy) => { dy[0] = -y[0] * y[0] * y[0]; dy[1] = y[0] * y[1]; }, [1.0, 1.0], 0, 2,
        static t => [1 / Math.Sqrt(1 + 2 * t), Math.Exp(Math.Sqrt(1 + 2 * t) - 1)]);

    private static void CubicDecayJacobian(double t, ReadOnlySpan<double> y, Span<double> j)
    {
        j[0] = -3 * y[0] * y[0]; j[1] = 0;
        j[2] = y[1]; j[3] = y[0];
    }

    private static double GlobalError(IOdeMethod method, int steps, bool dense)
    {
        var p = new OdeProblem<double>(CubicDecay.Rhs, CubicDecay.Y0, CubicDecay.T0, CubicDecay.T1) { Jacobian = CubicDecayJacobian };
        double h = (p.T1 - p.T0) / steps;
        OdeSolution<double> s = Ode.Solve(p, method, new OdeOptions { FixedStep = h, Save = dense ? SaveAt.DenseOutput : SaveAt.EveryStep, MaxSteps = steps + 10 });
        Assert.Equal(OdeStatus.Success, s.Status);
        double worst = 0;
        var y = new double[2];
        for (int k = 0; k < steps; k++)
        {
            double t = dense ? p.T0 + (k + 0.4) * h : s.Times[k + 1];
            if (dense) s.Dense!.Evaluate(t, y); else s.State(k + 1).CopyTo(y);
            double[] exact = CubicDecay.Exact(t);
            for (int i = 0; i < 2; i++) worst = Math.Max(worst, Math.Abs(y[i] - exact[i]));
        }
        return worst;
    }

    /// <summary>Every stiff method with false and true (dense output / exact Jacobian, by test).</summary>
    public static TheoryData<string, bool> MethodsAndFlag()
    {
        var d = new TheoryData<string, bool>();
        foreach (RosenbrockMethod m in ClassicalRosenbrock)
        {
            d.Add(m.Name, false);
            d.Add(m.Name, true);
        }
        return d;
    }

    [Theory, MemberData(nameof(MethodsAndFlag))]
    public void NonstiffExactProblem_FixedSteps_ConvergesAtClassicalOrder(string name, bool dense)
    {
        // At the step points: order p. Dense output at θ = 0.4 of every step: an interpolant of order q (3 for cubic
        // Hermite and RODAS4's extension, 4 for RODAS5P's) has local error O(h^(q+1)): the off-grid error converges
        // like min(p, q + 1).
        var method = (RosenbrockMethod)OdeMethods.Get(name);
        int expected = dense ? Math.Min(method.Order, method.Tableau.InterpolantOrder + 1) : method.Order;
        ConvergenceOrder.Fit fit = ConvergenceOrder.Estimate(n => GlobalError(method, n, dense), maxSteps: 4096);
        output.WriteLine($"{name} on cubic-decay (dense: {dense}): slope {fit.Slope:F2}; {fit.Table}");
        Assert.True(fit.Points >= 3, fit.Table);
        Assert.InRange(fit.Slope, expected - 0.3, expected + 0.3);
    }

    /// <summary>
    /// Prothero–Robinson y' = λ(y − φ(t)) + φ'(t), φ = sin, λ = −1e6, t ∈ [0, 1], written autonomously (t as a second
    /// state τ' = 1) with the exact Jacobian, so that the error measured is the method's alone. In the stiff limit
    /// hλ → −∞ the error of a Rosenbrock method is O(hʳ/|λ|) with r below the classical order (order reduction,
    /// HW II §IV.15): measured r ≈ 2 for ROS3P, r ≈ 1 for RODAS4 and r ≈ 3 for RODAS5P, all with errors far below h^p (≤ 3e-9 at
    /// h = 1/8).
    /// </summary>
    private static double ProtheroRobinsonError(IOdeMethod method, int steps)
    {
        const double lambda = -1e6;
        var p = new OdeProblem<double>(static (t, y, dy) =>
        {
            dy[0] = lambda * (y[0] - Math.Sin(y[1])) + Math.Cos(y[1]);
            dy[1] = 1;
        }, [0.0, 0.0], 0, 1)
        {
            Jacobian = static (t, y, j) =>
            {
                j[0] = lambda; j[1] = -lambda * Math.Cos(y[1]) - Math.Sin(y[1]);
                j[2] = 0; j[3] = 0;
            },
        };
        OdeSolution<double> s = Ode.Solve(p, method, new OdeOptions { FixedStep = 1.0 / steps, Save = SaveAt.FinalOnly, MaxSteps = steps + 10 });
        Assert.Equal(OdeStatus.Success, s.Status);
        return Math.Abs(s.Y[0] - Math.Sin(1.0));
    }

    [Theory]
    [InlineData("ros3p", 1.7, 2.3)]
    [InlineData("rodas4", 0.7, 1.3)]
    [InlineData("rodas5p", 2.7, 3.3)]
    public void ProtheroRobinson_StiffLimit_OrderReduction(string name, double minSlope, double maxSlope)
    {
        IOdeMethod method = OdeMethods.Get(name);
        ConvergenceOrder.Fit fit = ConvergenceOrder.Estimate(n => ProtheroRobinsonError(method, n), firstSteps: 8, maxSteps: 4096, minError: 1e-13);
        output.WriteLine($"{name} Prothero–Robinson λ = −1e6: slope {fit.Slope:F2}; {fit.Table}");
        Assert.True(fit.Points >= 3, fit.Table);
        Assert.InRange(fit.Slope, minSlope, maxSlope);
        Assert.True(fit.Slope < method.Order - 0.5, "order reduction expected in the stiff limit");
        Assert.True(ProtheroRobinsonError(method, 8) < 1e-8, "the stiff-limit error is O(h^r/|λ|), tiny");
    }

    // ---- stiff problems ------------------------------------------------------------------------------------------

    private const double K1 = 0.04, K2 = 3e7, K3 = 1e4;

    private static OdeProblem<double> Rober(bool exactJacobian) =>
        new(static (t, y, dy) =>
        {
            dy[0] = -K1 * y[0] + K3 * y[1] * y[2];
            dy[1] = K1 * y[0] - K3 * y[1] * y[2] - K2 * y[1] * y[1];
            dy[2] = K2 * y[1] * y[1];
        }, [1.0, 0.0, 0.0], 0, 40, "ROBER")
        {
            Jacobian = exactJacobian
                ? static (t, y, j) =>
                {
                    j[0] = -K1; j[1] = K3 * y[2]; j[2] = K3 * y[1];
                    j[3] = K1; j[4] = -K3 * y[2] - 2 * K2 * y[1]; j[5] = -K3 * y[1];
                    j[6] = 0; j[7] = 2 * K2 * y[1]; j[8] = 0;
                }
                : null,
        };

    // Reference: /work/shared/research/ode-data/problems.json "ROBER_40" (80-bit DOP853 at rtol 1e-18).
    private static readonly double[] RoberReference = [0.715827068719405, 9.185534764557764e-06, 0.28416374574583037];

    private const double VdpEps = 1e-6;

    private static OdeProblem<double> Vdpol(bool exactJacobian) =>
        new(static (t, y, dy) =>
        {
            dy[0] = y[1];
            dy[1] = ((1 - y[0] * y[0]) * y[1] - y[0]) / VdpEps;
        }, [2.0, 0.0], 0, 2, "VDPOL")
        {
            Jacobian = exactJacobian
                ? static (t, y, j) =>
                {
                    j[0] = 0; j[1] = 1;
                    j[2] = (-2 * y[0] * y[1] - 1) / VdpEps; j[3] = (1 - y[0] * y[0]) / VdpEps;
                }
                : null,
        };

    // Reference: problems.json "VDPOL" (Bari test set, ε = 1e-6 form).
    private static readonly double[] VdpolReference = [1.706167732170469, -0.8928097010248125];

    /// <summary>max over components of |y − ref| / (rtol·|ref| + atol).</summary>
    private static double ScaledError(ReadOnlySpan<double> y, double[] reference, double rtol, double atol)
    {
        double worst = 0;
        for (int i = 0; i < y.Length; i++) worst = Math.Max(worst, Math.Abs(y[i] - reference[i]) / (rtol * Math.Abs(reference[i]) + atol));
        return worst;
    }

    [Theory, MemberData(nameof(MethodsAndFlag))]
    public void Rober_Rtol1e6_WithinHundredTolerances(string name, bool exactJacobian)
    {
        const double rtol = 1e-6, atol = 1e-10;   // atol = 1e-4·rtol, problems.json's suggested factor
        OdeSolution<double> s = Ode.Solve(Rober(exactJacobian), OdeMethods.Get(name),
            new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = atol, Save = SaveAt.FinalOnly });
        double err = ScaledError(s.Y, RoberReference, rtol, atol);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ROBER {name} exactJ={exactJacobian}: error {err:F2} tolerances; {s.Stats}"));
        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.True(err <= 100, $"error {err} tolerances");
        AssertCounts(s.Stats);
    }

    [Theory, MemberData(nameof(MethodsAndFlag))]
    public void Vdpol_Rtol1e6_WithinHundredTolerances(string name, bool exactJacobian)
    {
        const double rtol = 1e-6, atol = 1e-6;
        OdeSolution<double> s = Ode.Solve(Vdpol(exactJacobian), OdeMethods.Get(name),
            new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = atol, Save = SaveAt.FinalOnly, MaxSteps = 200_000 });
        double err = ScaledError(s.Y, VdpolReference, rtol, atol);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"VDPOL {name} exactJ={exactJacobian}: error {err:F2} tolerances; {s.Stats}"));
        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.True(err <= 100, $"error {err} tolerances");
        AssertCounts(s.Stats);
    }

    /// <summary>One Jacobian per accepted step (rejections reuse it) and one LU per attempted step.</summary>
    private static void AssertCounts(OdeStats stats)
    {
        Assert.Equal(stats.AcceptedSteps + stats.RejectedSteps, stats.LuDecompositions);
        Assert.InRange(stats.JacobianEvaluations, stats.AcceptedSteps, stats.AcceptedSteps + stats.RejectedSteps);
    }

    [Fact]
    public void FiniteDifferenceJacobian_CostsNEvaluationsMore_PerJacobian()
    {
        // Fixed steps: the same step sequence with and without the exact Jacobian; the difference in f-evaluations is
        // exactly n per Jacobian (one per column), and the two solutions agree to about √ε.
        var options = new OdeOptions { FixedStep = 0.01, Save = SaveAt.FinalOnly };
        var exactProblem = new OdeProblem<double>(CubicDecay.Rhs, CubicDecay.Y0, CubicDecay.T0, CubicDecay.T1) { Jacobian = CubicDecayJacobian };
        OdeSolution<double> exact = Ode.Solve(exactProblem, OdeMethods.Rodas4, options);
        OdeSolution<double> fd = Ode.Solve(CubicDecay.ToProblem(), OdeMethods.Rodas4, options);
        Assert.Equal(200, exact.Stats.JacobianEvaluations);
        Assert.Equal(exact.Stats.JacobianEvaluations, fd.Stats.JacobianEvaluations);
        Assert.Equal(2 * exact.Stats.JacobianEvaluations, fd.Stats.RhsEvaluations - exact.Stats.RhsEvaluations);
        for (int i = 0; i < 2; i++) Assert.Equal(exact.Y[i], fd.Y[i], 1e-7);
    }

    [Theory]
    [InlineData("ros3p", true)]
    [InlineData("rodas4", false)]
    public void ErrorEstimate_OnLinearProblem_VanishesOnlyForRos3p(string name, bool vanishes)
    {
        // ROS3P's embedded solution has the same stability function as its main one (b̂ = (1/3, 1/3, 1/3)): on
        // y' = −y the estimate is zero up to rounding for every h. RODAS4's is not.
        var p = new OdeProblem<double>(static (t, y, dy) => dy[0] = -y[0], [1.0], 0, 10) { Jacobian = static (t, y, j) => j[0] = -1 };
        OdeStepper<double> stepper = OdeMethods.Get(name).CreateStepper(p);
        stepper.Start(0, [1.0], [-1.0]);
        var yNew = new double[1];
        Assert.Equal(StepOutcome.Success, stepper.Step(0, 0.5, [1.0], yNew, new ErrorTolerances(1e-6, [1e-9]), out double err));
        output.WriteLine($"{name}: error norm {err:e3} for h = 0.5 on y' = -y");
        if (vanishes) Assert.True(err < 1e-6); else Assert.True(err > 1);
    }

    [Fact]
    public void NonDoubleState_IsRejectedWithAClearMessage()
    {
        var p = new OdeProblem<float>(static (t, y, dy) => dy[0] = -y[0], [1f], 0, 1);
        var ex = Assert.Throws<ArgumentException>(() => Ode.Solve(p, OdeMethods.Rodas4));
        Assert.Contains("double", ex.Message, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Methods))]
    public void Step_StiffProblem_AllocatesNothing(string name)
    {
        // Long VDPOL (ε = 1e-6 relaxation oscillations) with the finite-difference Jacobian: 2000 steps allocate nothing.
        OdeProblem<double> p = Vdpol(false);
        var long_ = new OdeProblem<double>(p.Rhs, p.InitialState, 0, 1e6);
        var integrator = new OdeIntegrator<double>(long_, OdeMethods.Get(name),
            new OdeOptions { Save = SaveAt.FinalOnly, MaxSteps = int.MaxValue });
        for (int i = 0; i < 100; i++) Assert.True(integrator.Step());
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++) Assert.True(integrator.Step());
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
