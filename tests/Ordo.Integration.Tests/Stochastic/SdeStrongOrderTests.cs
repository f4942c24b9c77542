namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// Strong orders by the recipe of sde.md §5.2: the same Brownian path (one virtual Brownian tree per path, queried at
/// the grid points of every level) at h = 2⁻³ … 2⁻⁷, the mean absolute error at t = 1 against the exact solution (or a
/// fine reference on the same path), and the least-squares slope asserted inside the windows of §5.2 (measured over
/// 12 seeds by the reference python; fixed seeds here, so the tests are deterministic).
/// </summary>
public class SdeStrongOrderTests(ITestOutputHelper output)
{
    private static readonly double[] Steps = [1.0 / 8, 1.0 / 16, 1.0 / 32, 1.0 / 64, 1.0 / 128];

    private delegate void Exact(VirtualBrownianTree tree, Span<double> x);

    private double[] Slopes(SdeProblem problem, SdeMethod[] methods, int paths, Exact exact, ulong seed = 2026, double treeTol = 1.0 / 512)
    {
        int d = problem.Dimension;
        var errors = new double[methods.Length, Steps.Length];
        var reference = new double[d];
        var tree = new VirtualBrownianTree(0, 1, treeTol, problem.NoiseDimension, seed);
        for (int p = 0; p < paths; p++)
        {
            tree.Reset((ulong)p);
            exact(tree, reference);
            for (int k = 0; k < methods.Length; k++)
                for (int l = 0; l < Steps.Length; l++)
                {
                    var sol = Sde.Solve(problem, methods[k], new SdeOptions { FixedStep = Steps[l] }, tree);
                    Assert.Equal(SdeStatus.Success, sol.Status);
                    double e2 = 0;
                    for (int i = 0; i < d; i++) e2 += (sol.Y[i] - reference[i]) * (sol.Y[i] - reference[i]);
                    errors[k, l] += Math.Sqrt(e2) / paths;
                }
        }
        var slopes = new double[methods.Length];
        for (int k = 0; k < methods.Length; k++)
        {
            var e = new double[Steps.Length];
            for (int l = 0; l < Steps.Length; l++) e[l] = errors[k, l];
            slopes[k] = SdeReferenceProblems.Slope(Steps, e);
            output.WriteLine($"{problem.Name} {methods[k].Name,-16} slope {slopes[k]:F3}   errors {string.Join(" ", e.Select(v => v.ToString("E2")))}");
        }
        return slopes;
    }

    private static void InWindow(double slope, double lo, double hi, string what) =>
        Assert.True(slope >= lo && slope <= hi, $"{what}: strong order {slope:F3} outside [{lo}, {hi}]");

    private static Exact ScalarExact(Func<double, double> solution) => (tree, x) =>
    {
        Span<double> w = stackalloc double[1];
        tree.Increment(0, 1, w);
        x[0] = solution(w[0]);
    };

    [Fact]
    public void Geometric_brownian_motion()
    {
        SdeMethod[] methods = [EulerMaruyama.Instance, Milstein.Instance, StochasticHeun.Instance, SriMethod.Sriw1];
        double[] s = Slopes(SdeReferenceProblems.Gbm(), methods, 1000, ScalarExact(w => SdeReferenceProblems.GbmExact(w)));
        InWindow(s[0], 0.38, 0.62, "GBM euler-maruyama");
        InWindow(s[1], 0.88, 1.10, "GBM milstein");
        InWindow(s[2], 0.88, 1.10, "GBM stochastic-heun");
        InWindow(s[3], 1.30, 1.62, "GBM sriw1");
    }

    [Fact]
    public void Geometric_brownian_motion_with_differenced_diffusion_derivatives()
    {
        // No exact ∂g: Milstein's g·g' and Heun's Itô→Stratonovich correction come from central differences.
        SdeMethod[] methods = [Milstein.Instance, StochasticHeun.Instance];
        double[] s = Slopes(SdeReferenceProblems.Gbm(exactDerivative: false), methods, 500, ScalarExact(w => SdeReferenceProblems.GbmExact(w)));
        InWindow(s[0], 0.88, 1.10, "GBM milstein (FD)");
        InWindow(s[1], 0.88, 1.10, "GBM stochastic-heun (FD)");
    }

    [Fact]
    public void Sinh_problem_with_nonlinear_diffusion()
    {
        SdeMethod[] methods = [EulerMaruyama.Instance, Milstein.Instance, StochasticHeun.Instance, SriMethod.Sriw1];
        double[] s = Slopes(SdeReferenceProblems.Sinh(), methods, 1000, ScalarExact(SdeReferenceProblems.SinhExact));
        InWindow(s[0], 0.38, 0.62, "SINH euler-maruyama");
        InWindow(s[1], 0.88, 1.10, "SINH milstein");
        InWindow(s[2], 0.88, 1.10, "SINH stochastic-heun");
        InWindow(s[3], 1.30, 1.62, "SINH sriw1");
    }

    [Fact]
    public void Nonlinear_additive_noise_shows_order_one_and_a_half()
    {
        // Reference: SRA3 with h = 2⁻¹¹ on the same path (its error there is ~1e-6, far below the errors fitted).
        var problem = SdeReferenceProblems.NonlinearAdditive();
        SdeMethod[] methods = [EulerMaruyama.Instance, StochasticHeun.Instance, AdditiveSrkMethod.Sea,
            SraMethod.Sra1, AdditiveSrkMethod.ShArk, SraMethod.Sra3, SraMethod.Sosra, SriMethod.Sriw1];
        double[] s = Slopes(problem, methods, 500, FineReference(problem), treeTol: 1.0 / 4096);
        for (int k = 0; k < 3; k++) InWindow(s[k], 0.90, 1.12, $"NLADD {methods[k].Name}");
        for (int k = 3; k < methods.Length; k++) InWindow(s[k], 1.40, 1.80, $"NLADD {methods[k].Name}");
    }

    [Fact]
    public void Ornstein_uhlenbeck_linear_drift_gives_order_two_for_the_order_one_and_a_half_methods()
    {
        var problem = SdeReferenceProblems.Ou();
        SdeMethod[] methods = [EulerMaruyama.Instance, StochasticHeun.Instance, AdditiveSrkMethod.Sea,
            SraMethod.Sra1, AdditiveSrkMethod.ShArk, SraMethod.Sra3];
        double[] s = Slopes(problem, methods, 500, FineReference(problem), treeTol: 1.0 / 4096);
        for (int k = 0; k < 3; k++) InWindow(s[k], 0.90, 1.15, $"OU {methods[k].Name}");
        for (int k = 3; k < methods.Length; k++) InWindow(s[k], 1.90, 2.20, $"OU {methods[k].Name}");
    }

    [Fact]
    public void Time_dependent_additive_noise_uses_the_correction_term()
    {
        SdeMethod[] methods = [SraMethod.Sra1, AdditiveSrkMethod.ShArk, StochasticHeun.Instance];
        double[] s = Slopes(SdeReferenceProblems.Add(), methods, 300, ScalarExact(SdeReferenceProblems.AddExact));
        foreach (var (slope, m) in s.Zip(methods)) InWindow(slope, 1.85, 2.20, $"ADD {m.Name}");
    }

    [Fact]
    public void Commutative_two_dimensional_noise()
    {
        SdeMethod[] methods = [EulerMaruyama.Instance, Milstein.Instance, StochasticHeun.Instance];
        double[] s = Slopes(SdeReferenceProblems.Commutative2(), methods, 1000, (tree, x) =>
        {
            Span<double> w = stackalloc double[2];
            tree.Increment(0, 1, w);
            SdeReferenceProblems.Commutative2Exact(w[0], w[1], x);
        });
        InWindow(s[0], 0.45, 0.75, "COMM2 euler-maruyama");
        InWindow(s[1], 0.90, 1.15, "COMM2 milstein");
        InWindow(s[2], 0.90, 1.15, "COMM2 stochastic-heun");
    }

    /// <summary>The diffrax (W, H) methods for any noise and the SRA2/SOSRA2 tableaux on additive noise: 1.5 (sde.md §3.7).</summary>
    [Fact]
    public void General_noise_srk_methods_and_sra2_sosra2_reach_order_one_and_a_half_on_additive_noise()
    {
        var problem = SdeReferenceProblems.NonlinearAdditive();
        SdeMethod[] methods = [StratonovichSrkMethod.GeneralShArk, StratonovichSrkMethod.Spark, StratonovichSrkMethod.SlowRk, SraMethod.Sra2, SraMethod.Sosra2];
        double[] s = Slopes(problem, methods, 500, FineReference(problem), treeTol: 1.0 / 4096);
        for (int k = 0; k < methods.Length; k++) InWindow(s[k], 1.40, 1.80, $"NLADD {methods[k].Name}");
    }

    /// <summary>Commutative noise, scalar (Itô GBM, converted to Stratonovich with the exact ∂g) and two-dimensional
    /// (COMM2): GeneralShARK and SPaRK order 1, SlowRK 1.5 (sde.md §3.7). COMM2 is linear, and on it SlowRK measures 1.77,
    /// above 1.5, as linear drift lifts the 1.5 methods to 2 on OU; its window is therefore [1.4, 1.95].</summary>
    [Fact]
    public void General_noise_srk_methods_on_commutative_noise()
    {
        SdeMethod[] methods = [StratonovichSrkMethod.GeneralShArk, StratonovichSrkMethod.Spark, StratonovichSrkMethod.SlowRk];
        double[] gbm = Slopes(SdeReferenceProblems.Gbm(), methods, 500, ScalarExact(w => SdeReferenceProblems.GbmExact(w)));
        double[] comm = Slopes(SdeReferenceProblems.Commutative2(), methods, 500, (tree, x) =>
        {
            Span<double> w = stackalloc double[2];
            tree.Increment(0, 1, w);
            SdeReferenceProblems.Commutative2Exact(w[0], w[1], x);
        });
        for (int k = 0; k < 2; k++)
        {
            InWindow(gbm[k], 0.88, 1.15, $"GBM {methods[k].Name}");
            InWindow(comm[k], 0.88, 1.15, $"COMM2 {methods[k].Name}");
        }
        InWindow(gbm[2], 1.30, 1.70, "GBM slowrk");
        InWindow(comm[2], 1.40, 1.95, "COMM2 slowrk");
    }

    /// <summary>Non-commutative noise, dX₁ = dW₁, dX₂ = X₁ ∘ dW₂ (X₂(1) = ½W₁W₂ + A₁₂, with the space-space Lévy area
    /// A₁₂ that no method here samples): order ½ for every method (sde.md §3.7; Clark &amp; Cameron 1980). Reference: the
    /// same path at h = 2⁻¹² (stochastic Heun, whose error there, about 0.006, is under a third of the smallest error fitted).</summary>
    [Fact]
    public void General_noise_srk_methods_on_non_commutative_noise_have_order_one_half()
    {
        SdeMethod[] methods = [StratonovichSrkMethod.GeneralShArk, StratonovichSrkMethod.Spark, StratonovichSrkMethod.SlowRk, StochasticHeun.Instance];
        double[] s = Slopes(SdeReferenceProblems.NonCommutative(), methods, 300, NonCommutativeReference, treeTol: 1.0 / 8192);
        for (int k = 0; k < methods.Length; k++) InWindow(s[k], 0.40, 0.65, $"NONCOMM {methods[k].Name}");
    }

    /// <summary>The drift-implicit θ-methods: Euler–Maruyama's orders, ½ on GBM and 1 on additive noise.</summary>
    [Fact]
    public void Drift_implicit_methods_have_the_orders_of_euler_maruyama()
    {
        SdeMethod[] methods = [DriftImplicitEulerMaruyama.Trapezoidal, DriftImplicitEulerMaruyama.Euler];
        double[] gbm = Slopes(SdeReferenceProblems.Gbm(), methods, 1000, ScalarExact(w => SdeReferenceProblems.GbmExact(w)));
        var nladd = SdeReferenceProblems.NonlinearAdditive();
        double[] additive = Slopes(nladd, methods, 300, FineReference(nladd), treeTol: 1.0 / 4096);
        for (int k = 0; k < methods.Length; k++)
        {
            InWindow(gbm[k], 0.38, 0.62, $"GBM {methods[k].Name}");
            InWindow(additive[k], 0.90, 1.12, $"NLADD {methods[k].Name}");
        }
    }

    /// <summary>The stability-optimized SRI tableaux (SOSRI, SOSRI2): strong order 1.5 like SRIW1.</summary>
    [Fact]
    public void Stability_optimized_sri_methods_have_order_one_and_a_half()
    {
        SdeMethod[] methods = [SriMethod.Sosri, SriMethod.Sosri2];
        double[] gbm = Slopes(SdeReferenceProblems.Gbm(), methods, 500, ScalarExact(w => SdeReferenceProblems.GbmExact(w)));
        double[] sinh = Slopes(SdeReferenceProblems.Sinh(), methods, 500, ScalarExact(SdeReferenceProblems.SinhExact));
        for (int k = 0; k < methods.Length; k++)
        {
            InWindow(gbm[k], 1.30, 1.62, $"GBM {methods[k].Name}");
            InWindow(sinh[k], 1.30, 1.62, $"SINH {methods[k].Name}");
        }
    }

    /// <summary>
    /// sde.md §8 item 2: is Euler–Heun's strong order 1 for commutative noise (the reference python on GBM and COMM2) or
    /// ½ (diffrax's table)? Measured on linear (GBM, COMM2) and nonlinear commutative problems: SINH (scalar) and a
    /// coupled two-component system with nonlinear diagonal noise, gᵢ depending on yᵢ only (so Lⁱgⱼ = 0 for i ≠ j),
    /// against SlowRK (order 1.5 on commutative noise) at h = 2⁻¹¹ on the same path. And ½ on non-commutative noise.
    /// </summary>
    [Fact]
    public void Euler_heun_has_order_one_on_commutative_noise_linear_or_not()
    {
        SdeMethod[] methods = [EulerHeun.Instance];
        double gbm = Slopes(SdeReferenceProblems.Gbm(), methods, 500, ScalarExact(w => SdeReferenceProblems.GbmExact(w)))[0];
        double sinh = Slopes(SdeReferenceProblems.Sinh(), methods, 500, ScalarExact(SdeReferenceProblems.SinhExact))[0];
        double comm = Slopes(SdeReferenceProblems.Commutative2(), methods, 500, (tree, x) =>
        {
            Span<double> w = stackalloc double[2];
            tree.Increment(0, 1, w);
            SdeReferenceProblems.Commutative2Exact(w[0], w[1], x);
        })[0];
        var nonlinear = new SdeProblem(
            (t, y, f) => { f[0] = -y[0] + y[1]; f[1] = -y[1] + 0.2 * y[0] * y[0]; },
            (t, y, g) => { g[0] = 0.6 * Math.Cos(y[0]); g[1] = 0.5 * Math.Sqrt(1 + y[1] * y[1]); },
            [0.5, -0.3], 0, 1, SdeNoise.Diagonal, calculus: SdeCalculus.Stratonovich, name: "NLDIAG");
        Exact fine = (tree, x) => Sde.Solve(nonlinear, StratonovichSrkMethod.SlowRk, new SdeOptions { FixedStep = 1.0 / 2048 }, tree).Y.CopyTo(x);
        double diag = Slopes(nonlinear, methods, 300, fine, treeTol: 1.0 / 4096)[0];
        double general = Slopes(SdeReferenceProblems.NonCommutative(), methods, 300, NonCommutativeReference, treeTol: 1.0 / 8192)[0];
        InWindow(gbm, 0.88, 1.15, "GBM euler-heun");
        InWindow(sinh, 0.88, 1.15, "SINH euler-heun");
        InWindow(comm, 0.88, 1.15, "COMM2 euler-heun");
        InWindow(diag, 0.88, 1.15, "NLDIAG euler-heun");
        InWindow(general, 0.40, 0.65, "NONCOMM euler-heun");
    }

    /// <summary>NONCOMM on the same path at h = 2⁻¹² by stochastic Heun (error about 0.006, under a third of the smallest
    /// error fitted).</summary>
    private static readonly Exact NonCommutativeReference = (tree, x) =>
        Sde.Solve(SdeReferenceProblems.NonCommutative(), StochasticHeun.Instance, new SdeOptions { FixedStep = 1.0 / 4096 }, tree).Y.CopyTo(x);

    private static Exact FineReference(SdeProblem problem) => (tree, x) =>
    {
        var sol = Sde.Solve(problem, SraMethod.Sra3, new SdeOptions { FixedStep = 1.0 / 2048 }, tree);
        sol.Y.CopyTo(x);
    };
}
