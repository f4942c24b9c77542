namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// Backward-in-time solves (t1 &lt; t0; the anchors' complaints diffrax #598 and DiffEqNoiseProcess #125, sde.md §6.2):
/// each step gets <c>(−W, +H)</c> of the forward interval of the same Brownian path, so a Stratonovich method (and any
/// method on additive noise) converges to the inverse of the forward flow on that path, with its forward strong order.
/// Itô schemes on multiplicative noise are refused.
/// </summary>
public class SdeBackwardTests(ITestOutputHelper output)
{
    private static readonly double[] Steps = [1.0 / 8, 1.0 / 16, 1.0 / 32, 1.0 / 64, 1.0 / 128];
    private const double Mu = 1.01, Sigma = 0.87, X1 = 1.3;

    /// <summary>dX = μX dt + σX ∘ dW from t = 1 back to 0: X(0) = X(1) exp(−μ − σ W(0, 1)).</summary>
    private static SdeProblem StratonovichGbmBackward() =>
        new((t, y, f) => f[0] = Mu * y[0], (t, y, g) => g[0] = Sigma * y[0], [X1], 1, 0, SdeNoise.Diagonal,
            calculus: SdeCalculus.Stratonovich, name: "GBM-S backward") { DiffusionDerivative = (t, y, dg) => dg[0] = Sigma };

    /// <summary>Mean |X(0) − exact| over paths at each step, and the least-squares slope.</summary>
    private double Slope(SdeProblem problem, SdeMethod method, int paths, Func<VirtualBrownianTree, double> exact, double treeTol = 1.0 / 512)
    {
        var tree = new VirtualBrownianTree(0, 1, treeTol, 1, 2026);
        var errors = new double[Steps.Length];
        for (int p = 0; p < paths; p++)
        {
            tree.Reset((ulong)p);
            double x0 = exact(tree);
            for (int l = 0; l < Steps.Length; l++)
            {
                var sol = Sde.Solve(problem, method, new SdeOptions { FixedStep = Steps[l] }, tree);
                Assert.Equal(SdeStatus.Success, sol.Status);
                Assert.Equal(0.0, sol.Time);
                errors[l] += Math.Abs(sol.Y[0] - x0) / paths;
            }
        }
        double slope = SdeReferenceProblems.Slope(Steps, errors);
        output.WriteLine($"{problem.Name} {method.Name,-16} slope {slope:F3}   errors {string.Join(" ", errors.Select(v => v.ToString("E2")))}");
        return slope;
    }

    private static double W01(VirtualBrownianTree tree)
    {
        Span<double> w = stackalloc double[1];
        tree.Increment(0, 1, w);
        return w[0];
    }

    [Theory]
    [InlineData("stochastic-heun", 0.88, 1.15)]
    [InlineData("milstein", 0.88, 1.15)]
    [InlineData("general-shark", 0.88, 1.15)]
    [InlineData("spark", 0.88, 1.15)]
    [InlineData("slowrk", 1.30, 1.90)] // measured 1.69 backwards (1.50 forwards on the Itô GBM)
    public void Stratonovich_gbm_backwards_converges_to_the_inverse_flow_with_the_forward_order(string name, double lo, double hi)
    {
        double slope = Slope(StratonovichGbmBackward(), SdeMethods.Get(name), 400, tree => X1 * Math.Exp(-Mu - Sigma * W01(tree)));
        Assert.InRange(slope, lo, hi);
    }

    [Fact]
    public void Ito_gbm_backwards_with_a_stratonovich_method_inverts_the_ito_flow()
    {
        // Itô GBM is the Stratonovich GBM with drift μ − σ²/2, so X(0) = X(1) exp(−(μ − σ²/2) − σ W(0, 1)).
        var problem = new SdeProblem((t, y, f) => f[0] = Mu * y[0], (t, y, g) => g[0] = Sigma * y[0], [X1], 1, 0, name: "GBM-I backward")
        { DiffusionDerivative = (t, y, dg) => dg[0] = Sigma };
        double slope = Slope(problem, StochasticHeun.Instance, 400, tree => X1 * Math.Exp(-(Mu - 0.5 * Sigma * Sigma) - Sigma * W01(tree)));
        Assert.InRange(slope, 0.88, 1.15);
    }

    [Theory]
    [InlineData("euler-maruyama", 0.90, 1.15)]
    [InlineData("shark", 1.40, 1.80)]
    [InlineData("sra1", 1.40, 1.80)]
    [InlineData("spark", 1.40, 1.80)]
    public void Additive_noise_backwards_from_the_forward_end_returns_to_the_start(string name, double lo, double hi)
    {
        // NLADD forwards with SRA3 at h = 2⁻¹¹ (error ~1e-6) gives X(1) on the path; backwards from it must return to 0.3.
        var forward = SdeReferenceProblems.NonlinearAdditive();
        var method = SdeMethods.Get(name);
        var tree = new VirtualBrownianTree(0, 1, 1.0 / 4096, 1, 7);
        var errors = new double[Steps.Length];
        const int paths = 300;
        for (int p = 0; p < paths; p++)
        {
            tree.Reset((ulong)p);
            double x1 = Sde.Solve(forward, SraMethod.Sra3, new SdeOptions { FixedStep = 1.0 / 2048 }, tree).Y[0];
            var backward = new SdeProblem(forward.Drift, forward.Diffusion, [x1], 1, 0, SdeNoise.Additive, name: "NLADD backward");
            for (int l = 0; l < Steps.Length; l++)
                errors[l] += Math.Abs(Sde.Solve(backward, method, new SdeOptions { FixedStep = Steps[l] }, tree).Y[0] - 0.3) / paths;
        }
        double slope = SdeReferenceProblems.Slope(Steps, errors);
        output.WriteLine($"NLADD backward {name,-16} slope {slope:F3}   errors {string.Join(" ", errors.Select(v => v.ToString("E2")))}");
        Assert.InRange(slope, lo, hi);
    }

    [Theory]
    [InlineData("spark")]
    [InlineData("shark")]
    public void Adaptive_round_trip_returns_to_the_start(string name)
    {
        // Forwards then backwards on one tree, both adaptive at tight tolerance: the start is recovered to about rtol.
        var forward = SdeReferenceProblems.NonlinearAdditive();
        var method = SdeMethods.Get(name);
        var tree = new VirtualBrownianTree(0, 1, Math.ScaleB(1.0, -20), 1, 11);
        var options = new SdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6 };
        double worst = 0;
        for (int p = 0; p < 20; p++)
        {
            tree.Reset((ulong)p);
            var there = Sde.Solve(forward, method, options, tree);
            var back = Sde.Solve(new SdeProblem(forward.Drift, forward.Diffusion, there.Y, 1, 0, SdeNoise.Additive), method, options, tree);
            Assert.Equal(SdeStatus.Success, back.Status);
            Assert.True(back.Stats.AcceptedSteps > 20);
            worst = Math.Max(worst, Math.Abs(back.Y[0] - 0.3));
        }
        output.WriteLine($"{name}: largest |X(0) − 0.3| after a round trip at rtol 1e-6 over 20 paths: {worst:E2}");
        Assert.True(worst < 1e-4, $"round trip error {worst:E2}");
    }

    [Fact]
    public void The_fixed_grid_is_read_in_reverse()
    {
        // Without a caller's path the fixed grid of (seed, stream) is used: the backward solve must see the same path
        // reversed, so a fine round trip returns to the start (reading the grid forwards would give an O(1) error).
        var forward = SdeReferenceProblems.NonlinearAdditive();
        var options = new SdeOptions { FixedStep = 1.0 / 1024, Seed = 3, Stream = 5 };
        var there = Sde.Solve(forward, AdditiveSrkMethod.ShArk, options);
        var back = Sde.Solve(new SdeProblem(forward.Drift, forward.Diffusion, there.Y, 1, 0, SdeNoise.Additive), AdditiveSrkMethod.ShArk, options);
        output.WriteLine($"X(1) = {there.Y[0]:F6}; back to {back.Y[0]:F9} (start 0.3)");
        Assert.Equal(0.3, back.Y[0], 1e-5);
        Assert.Equal(1024, back.Stats.AcceptedSteps);
    }

    [Fact]
    public void Backward_ensembles_match_the_closed_form_mean()
    {
        // E X(0) = X(1) E exp(−μ − σW) = X(1) exp(−μ + σ²/2); Var = X(1)² e^{−2μ}(e^{2σ²} − e^{σ²}).
        const int paths = 20000;
        var r = SdeEnsemble.Solve(StratonovichGbmBackward(), StochasticHeun.Instance, new SdeOptions { FixedStep = 1.0 / 64, Seed = 9 },
            new SdeEnsembleOptions { Paths = paths, Quantiles = [] });
        double mean = X1 * Math.Exp(-Mu + 0.5 * Sigma * Sigma);
        double var = X1 * X1 * Math.Exp(-2 * Mu) * (Math.Exp(2 * Sigma * Sigma) - Math.Exp(Sigma * Sigma));
        double se = Math.Sqrt(var / paths);
        output.WriteLine($"backward ensemble mean {r.Mean[0]:F5}, exact {mean:F5} ± {se:F5} (includes Heun's weak bias at h = 1/64)");
        Assert.Equal(paths, r.SuccessfulPaths);
        Assert.InRange(r.Mean[0], mean - 5 * se, mean + 5 * se);
        Assert.Equal(0.0, r.Time);
    }

    [Fact]
    public void Ito_schemes_on_multiplicative_noise_and_bad_save_times_are_refused()
    {
        var itoGbm = new SdeProblem((t, y, f) => f[0] = Mu * y[0], (t, y, g) => g[0] = Sigma * y[0], [X1], 1, 0);
        Assert.Contains("backward Itô integral", Assert.Throws<ArgumentException>(() => Sde.Solve(itoGbm, EulerMaruyama.Instance, new SdeOptions { FixedStep = 0.1 })).Message);
        Assert.Contains("√h", Assert.Throws<ArgumentException>(() => Sde.Solve(itoGbm, SriMethod.Sriw1)).Message);
        Assert.Contains("√h", Assert.Throws<ArgumentException>(() => SdeEnsemble.Solve(itoGbm, SriMethod.Sriw1)).Message);
        Assert.Contains("decreasing", Assert.Throws<ArgumentException>(() => Sde.Solve(itoGbm, StochasticHeun.Instance, new SdeOptions { SaveTimes = [0.2, 0.5] })).Message);
        // Save times in the backward direction are recorded in that order.
        var s = Sde.Solve(itoGbm, StochasticHeun.Instance, new SdeOptions { SaveTimes = [0.75, 0.5, 0.0] });
        Assert.Equal(SdeStatus.Success, s.Status);
        Assert.Equal([0.75, 0.5, 0.0], s.Times.ToArray());
    }
}
