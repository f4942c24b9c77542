namespace Ordo.Integration.Tests.Stochastic;

/// <summary>The SDE API's contract: bad input throws a specific exception, methods refuse noise they cannot handle,
/// paths are reproducible from (seed, stream), and the recorded states are the ones asked for.</summary>
public class SdeApiTests(ITestOutputHelper output)
{
    private static readonly SdeDrift Zero = (t, y, f) => f.Clear();
    private static readonly SdeDiffusion One = (t, y, g) => g.Fill(1.0);

    [Fact]
    public void Bad_problems_throw_naming_the_problem()
    {
        Assert.Throws<ArgumentNullException>(() => new SdeProblem(null!, One, [1.0], 0, 1));
        Assert.Throws<ArgumentNullException>(() => new SdeProblem(Zero, null!, [1.0], 0, 1));
        Assert.Contains("at least one", Assert.Throws<ArgumentException>(() => new SdeProblem(Zero, One, [], 0, 1)).Message);
        Assert.Contains("component 1", Assert.Throws<ArgumentException>(() => new SdeProblem(Zero, One, [1.0, double.NaN], 0, 1)).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => new SdeProblem(Zero, One, [1.0], 1, 1)).Message);
        Assert.Equal(-1, new SdeProblem(Zero, One, [1.0], 1, 0).Direction); // backward solves: SdeBackwardTests
        Assert.Throws<ArgumentException>(() => new SdeProblem(Zero, One, [1.0], 0, double.PositiveInfinity));
        Assert.Contains("must be 2", Assert.Throws<ArgumentException>(() => new SdeProblem(Zero, One, [1.0, 2.0], 0, 1, SdeNoise.Diagonal, 3)).Message);
        Assert.Contains("noise dimension", Assert.Throws<ArgumentException>(() => new SdeProblem(Zero, One, [1.0, 2.0], 0, 1, SdeNoise.General)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdeProblem(Zero, One, [1.0], 0, 1, SdeNoise.General, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SdeProblem(Zero, One, [1.0], 0, 1, (SdeNoise)17));
    }

    [Fact]
    public void Tree_queries_a_few_ulps_past_the_ends_are_clamped_and_farther_ones_refused()
    {
        // torchsde #152 (sde.md §6.2 row 6): a caller's t0 + n·h can round one ulp past t1.
        var tree = new VirtualBrownianTree(0, 1, 1.0 / 64, 1, 3);
        Span<double> w = stackalloc double[1], inside = stackalloc double[1];
        double past = Math.BitIncrement(1.0);
        tree.Increment(0.5, past, w);
        tree.Increment(0.5, 1.0, inside);
        Assert.Equal(inside[0], w[0]);
        tree.Increment(Math.BitDecrement(0.0), 0.5, w);
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Increment(0.5, 1 + 1e-9, new double[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Increment(-1e-9, 0.5, new double[1]));
    }

    [Fact]
    public void The_reported_leaf_width_is_the_leaf_of_the_tree_an_adaptive_solve_builds()
    {
        var problem = new SdeProblem(Zero, One, [1.0], 0, 2);
        Assert.Equal(2 * Math.ScaleB(1.0, -20), SdeOptions.Default.BrownianLeafWidth(problem));
        var options = new SdeOptions { BrownianTolerance = 0.01 };
        Assert.Equal(new VirtualBrownianTree(0, 2, 0.01, 1, 0).LeafWidth, options.BrownianLeafWidth(problem));
        Assert.Equal(new VirtualBrownianTree(0, 2, 0.01, 1, 0).LeafWidth, options.BrownianLeafWidth(new SdeProblem(Zero, One, [1.0], 2, 0)));
    }

    [Fact]
    public void Layouts_follow_the_noise()
    {
        var diagonal = new SdeProblem(Zero, One, [1.0, 2.0], 0, 1);
        Assert.True(diagonal.DiagonalDiffusion);
        Assert.Equal(2, diagonal.NoiseDimension);
        var additiveMatrix = new SdeProblem(Zero, One, [1.0, 2.0], 0, 1, SdeNoise.Additive, 3);
        Assert.False(additiveMatrix.DiagonalDiffusion);
        Assert.Equal(6, additiveMatrix.DiffusionLength);
        Assert.True(new SdeProblem(Zero, One, [1.0, 2.0], 0, 1, SdeNoise.General, 1).IsCommutative);
        Assert.False(new SdeProblem(Zero, One, [1.0, 2.0], 0, 1, SdeNoise.General, 2).IsCommutative);
    }

    [Fact]
    public void Bad_options_throw_naming_the_option()
    {
        var p = SdeReferenceProblems.Gbm();
        Assert.Contains("RelativeTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => Sde.Solve(p, SriMethod.Sriw1, new SdeOptions { RelativeTolerance = 0 })).Message);
        Assert.Contains("AbsoluteTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => Sde.Solve(p, SriMethod.Sriw1, new SdeOptions { AbsoluteTolerance = -1 })).Message);
        Assert.Contains("FixedStep", Assert.Throws<ArgumentOutOfRangeException>(() => Sde.Solve(p, EulerMaruyama.Instance, new SdeOptions { FixedStep = double.NaN })).Message);
        Assert.Contains("InitialStep", Assert.Throws<ArgumentOutOfRangeException>(() => Sde.Solve(p, SriMethod.Sriw1, new SdeOptions { InitialStep = -1 })).Message);
        Assert.Contains("BrownianTolerance", Assert.Throws<ArgumentOutOfRangeException>(() => Sde.Solve(p, SriMethod.Sriw1, new SdeOptions { BrownianTolerance = 0 })).Message);
        Assert.Contains("SaveTimes", Assert.Throws<ArgumentException>(() => Sde.Solve(p, SriMethod.Sriw1, new SdeOptions { SaveTimes = [0.5, 0.25] })).Message);
        Assert.Contains("grid point", Assert.Throws<ArgumentException>(() => Sde.Solve(p, EulerMaruyama.Instance, new SdeOptions { FixedStep = 0.1, SaveTimes = [0.55] })).Message);
        Assert.Contains("--dt", Assert.Throws<ArgumentException>(() => Sde.Solve(p, EulerMaruyama.Instance)).Message);
    }

    [Fact]
    public void Methods_refuse_noise_they_cannot_handle()
    {
        var multiplicative = SdeReferenceProblems.Gbm();
        foreach (SdeMethod m in new SdeMethod[] { SraMethod.Sra1, SraMethod.Sra3, SraMethod.Sosra, AdditiveSrkMethod.ShArk, AdditiveSrkMethod.Sea })
        {
            Assert.Equal(0, m.StrongOrder(multiplicative));
            Assert.Contains("additive", Assert.Throws<ArgumentException>(() => Sde.Solve(multiplicative, m, new SdeOptions { FixedStep = 0.1 })).Message);
        }
        var general = new SdeProblem(Zero, (t, y, g) => { g[0] = y[0]; g[1] = y[1]; g[2] = y[1]; g[3] = y[0]; }, [1.0, 2.0], 0, 1, SdeNoise.General, 2);
        Assert.Contains("commutative", Assert.Throws<ArgumentException>(() => Sde.Solve(general, Milstein.Instance, new SdeOptions { FixedStep = 0.1 })).Message);
        Assert.Contains("diagonal", Assert.Throws<ArgumentException>(() => Sde.Solve(general, SriMethod.Sriw1)).Message);
        Assert.Equal(0.5, StochasticHeun.Instance.StrongOrder(general));
        Assert.Same(StochasticHeun.Instance, SdeMethods.Default(general));
        Assert.Same(SriMethod.Sriw1, SdeMethods.Default(multiplicative));
        Assert.Same(AdditiveSrkMethod.ShArk, SdeMethods.Default(SdeReferenceProblems.Ou()));
    }

    [Fact]
    public void The_registry_knows_the_contract_names()
    {
        foreach (string name in new[] { "euler-maruyama", "milstein", "stochastic-heun", "sriw1", "sra1", "sra3", "sosra", "shark" })
            Assert.Equal(name, SdeMethods.Get(name.ToUpperInvariant()).Name);
        var e = Assert.Throws<ArgumentException>(() => SdeMethods.Get("rk4"));
        Assert.Contains("'rk4'", e.Message);
        Assert.Contains("shark", e.Message);
    }

    [Fact]
    public void A_path_depends_only_on_seed_and_stream()
    {
        var p = SdeReferenceProblems.Gbm();
        foreach (var options in new[] { new SdeOptions { FixedStep = 0.01 }, new SdeOptions { RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-3 } })
        {
            var a = Sde.Solve(p, SriMethod.Sriw1, options with { Seed = 5, Stream = 3 });
            var b = Sde.Solve(p, SriMethod.Sriw1, options with { Seed = 5, Stream = 3 });
            var c = Sde.Solve(p, SriMethod.Sriw1, options with { Seed = 5, Stream = 4 });
            var d = Sde.Solve(p, SriMethod.Sriw1, options with { Seed = 6, Stream = 3 });
            Assert.Equal(a.Y[0], b.Y[0]);
            Assert.Equal(a.Stats, b.Stats);
            Assert.NotEqual(a.Y[0], c.Y[0]);
            Assert.NotEqual(a.Y[0], d.Y[0]);
        }
    }

    [Fact]
    public void Adaptive_solves_follow_the_tree_of_their_seed_and_stream()
    {
        // The exact GBM solution on the same Brownian path: W(1) of the tree the solver builds for (seed, stream).
        var p = SdeReferenceProblems.Gbm();
        double worst = 0;
        Span<double> w = stackalloc double[1];
        for (ulong stream = 0; stream < 20; stream++)
        {
            var sol = Sde.Solve(p, SriMethod.Sriw1, new SdeOptions { RelativeTolerance = 1e-4, AbsoluteTolerance = 1e-4, Seed = 9, Stream = stream });
            Assert.Equal(SdeStatus.Success, sol.Status);
            var tree = new VirtualBrownianTree(0, 1, Math.ScaleB(1.0, -20), 1, 9, stream);
            tree.Increment(0, 1, w);
            double exact = SdeReferenceProblems.GbmExact(w[0]);
            worst = Math.Max(worst, Math.Abs(sol.Y[0] - exact) / (1e-4 + 1e-4 * Math.Abs(exact)));
        }
        // Measured: within 0.1 tolerances; a solver on another path would be off by O(1) relative (~10⁴ tolerances).
        output.WriteLine($"worst error over 20 paths: {worst:F1} tolerances");
        Assert.True(worst < 10, $"worst error {worst:F1} tolerances");
    }

    [Fact]
    public void Saved_states_are_the_ones_asked_for()
    {
        var p = SdeReferenceProblems.Ou();
        var steps = Sde.Solve(p, AdditiveSrkMethod.ShArk, new SdeOptions { FixedStep = 0.125, SaveSteps = true });
        Assert.Equal(9, steps.Count);
        Assert.Equal(0.0, steps.Times[0]);
        Assert.Equal(1.0, steps.Times[^1]);
        Assert.Equal(steps.Y[0], steps.State(8)[0]);
        Assert.Equal(8, steps.Stats.AcceptedSteps);
        Assert.Equal(16, steps.Stats.DriftEvaluations);

        var at = Sde.Solve(p, AdditiveSrkMethod.ShArk, new SdeOptions { SaveTimes = [0.3, 0.7, 1.0] });
        Assert.Equal([0.3, 0.7, 1.0], at.Times.ToArray());
        Assert.Equal(at.Y[0], at.State(2)[0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => at.State(3));
    }

    [Fact]
    public void A_path_of_the_wrong_shape_is_refused()
    {
        var p = SdeReferenceProblems.Commutative2();
        Assert.Contains("lanes", Assert.Throws<ArgumentException>(() => Sde.Solve(p, EulerMaruyama.Instance, new SdeOptions { FixedStep = 0.1 },
            new VirtualBrownianTree(0, 1, 1e-3, 1, 1))).Message);
        Assert.Contains("does not contain", Assert.Throws<ArgumentException>(() => Sde.Solve(p, EulerMaruyama.Instance, new SdeOptions { FixedStep = 0.1 },
            new VirtualBrownianTree(0, 0.5, 1e-3, 2, 1))).Message);
    }

    [Fact]
    public void A_nan_from_the_drift_is_a_status_not_a_silent_nan()
    {
        var p = new SdeProblem((t, y, f) => f[0] = t > 0.5 ? double.NaN : 1.0, One, [0.0], 0, 1);
        var fixedStep = Sde.Solve(p, EulerMaruyama.Instance, new SdeOptions { FixedStep = 0.1 });
        Assert.Equal(SdeStatus.NonFiniteValue, fixedStep.Status);
        Assert.True(double.IsFinite(fixedStep.Y[0]));
        Assert.True(fixedStep.Time is > 0.5 and < 0.7);
        var adaptive = Sde.Solve(p, StochasticHeun.Instance);
        Assert.Equal(SdeStatus.NonFiniteValue, adaptive.Status);
        Assert.True(double.IsFinite(adaptive.Y[0]));
        Assert.Throws<InvalidOperationException>(() => adaptive.EnsureSuccess());
    }

    [Fact]
    public void Ensemble_progress_rises_to_one()
    {
        var reports = new List<double>();
        var progress = new SynchronousProgress(reports.Add);
        SdeEnsemble.Solve(SdeReferenceProblems.Ou(), EulerMaruyama.Instance, new SdeOptions { FixedStep = 0.1 },
            new SdeEnsembleOptions { Paths = 1000, Progress = progress });
        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports[^1]);
        for (int i = 1; i < reports.Count; i++) Assert.True(reports[i] > reports[i - 1]);
    }

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
