using System.Globalization;

namespace Ordo.Sampling.Tests;

/// <summary>
/// Reproduces, row by row, the error tables that flows.md's independent double-precision harness measured against the
/// exact flow (flows-data/convergence_full_interval.csv and convergence_interior_0.9_to_0.1.csv): every sampler at every
/// N, errors to 0.2 %. The reference states come from reference_trajectories.json (accurate to ≤ 1e-12).
/// </summary>
public class PublishedErrorTableTests
{
    /// <summary>The CSV's solver names.</summary>
    internal static FlowSampler? Sampler(string name) => name switch
    {
        "euler" or "dpm1" or "dpm1(=ddim=euler)" => FlowSamplers.Euler,
        "heun" => FlowSamplers.Heun,
        "midpoint" => FlowSamplers.Midpoint,
        "rf_solver2" => FlowSamplers.RfSolver,
        "fireflow" => FlowSamplers.FireFlow,
        "rk4" => FlowSamplers.RungeKutta4,
        "dpm2_single" => new DpmSolverSinglestepSampler(2, DpmPrediction.Noise),
        "dpm3_single" => new DpmSolverSinglestepSampler(3, DpmPrediction.Noise),
        "dpmpp_2s" => new DpmSolverSinglestepSampler(2, DpmPrediction.Data),
        "dpmpp_3s" => new DpmSolverSinglestepSampler(3, DpmPrediction.Data),
        "dpm_2m" => new DpmSolverMultistepSampler(2, DpmPrediction.Noise),
        "dpm_3m" => new DpmSolverMultistepSampler(3, DpmPrediction.Noise),
        "dpmpp_2m" => new DpmSolverMultistepSampler(2, DpmPrediction.Data),
        "dpmpp_3m" or "dpmpp_3m_exactwarm" => new DpmSolverMultistepSampler(3, DpmPrediction.Data),
        "dpmpp_2m_hb0.8" => new DpmSolverMultistepSampler(2, DpmPrediction.Data, heavyBallBeta: 0.8),
        "ab2" => new MomentumSampler(MomentumKind.None, 2),
        "ab3" or "ab3_exactwarm" => new MomentumSampler(MomentumKind.None, 3),
        "ab4" or "ab4_exactwarm" => new MomentumSampler(MomentumKind.None, 4),
        _ when name.StartsWith("hb_ab", StringComparison.Ordinal) || name.StartsWith("ghvb_ab", StringComparison.Ordinal) => Momentum(name),
        _ => null,
    };

    private static MomentumSampler Momentum(string name)
    {
        // e.g. "ghvb_ab3_b0.5_exactwarm", "hb_ab2_b0.8"
        string[] parts = name.Split('_');
        var kind = parts[0] == "hb" ? MomentumKind.HeavyBall : MomentumKind.GeneralizedHeavyBall;
        int order = int.Parse(parts[1][2..], CultureInfo.InvariantCulture);
        double beta = double.Parse(parts[2][1..], CultureInfo.InvariantCulture);
        return new MomentumSampler(kind, order, beta);
    }

    public static TheoryData<string, string, int, double, double, double> FullIntervalRows()
    {
        var data = new TheoryData<string, string, int, double, double, double>();
        foreach (string[] f in Rows("convergence_full_interval.csv"))
            data.Add(f[0], f[1], int.Parse(f[2], CultureInfo.InvariantCulture), Number(f[4]), Number(f[5]), Number(f[6]));
        return data;
    }

    /// <summary>
    /// Full interval, uniform grid 1 → 0: sampling error max over the z points, inversion and round-trip errors max over
    /// the x points (GMM2 includes the ill-conditioned x_c, flows.md §8.3).
    /// </summary>
    [Theory]
    [MemberData(nameof(FullIntervalRows))]
    public void Full_interval_errors_match_the_published_table(string model, string solver, int n, double sample, double invert, double recon)
    {
        FlowSampler sampler = Sampler(solver) ?? throw new InvalidOperationException($"no sampler for {solver}");
        var gmm = model == "GMM2" ? GaussianMixtureFlow.Gmm2() : GaussianMixtureFlow.Gmm3();
        var flow = new FlowSolver<double>(gmm, sampler, FlowTimeGrid.Uniform(n));
        string[] zs = model == "GMM2" ? ["z_a", "z_b", "z_c", "z_d"] : ["z_a", "z_b"];
        string[] xs = model == "GMM2" ? ["x_a", "x_b", "x_c"] : ["x_a", "x_b"];
        double es = 0, ei = 0, er = 0;
        foreach (string z in zs)
        {
            double[] x = FlowTestData.TrajectoryState(model, "sample", z, "1.0");
            Assert.True(flow.Sample(x).Succeeded);
            es = Math.Max(es, Distance(x, FlowTestData.TrajectoryState(model, "sample", z, "0.0")));
        }
        foreach (string p in xs)
        {
            double[] data = FlowTestData.TrajectoryState(model, "invert", p, "0.0");
            double[] noise = new double[data.Length], output = new double[data.Length];
            Assert.True(flow.Reconstruct(data, noise, output).Succeeded);
            ei = Math.Max(ei, Distance(noise, FlowTestData.TrajectoryState(model, "invert", p, "1.0")));
            er = Math.Max(er, Distance(output, data));
        }
        AssertMatches(sample, es, "sampling");
        AssertMatches(invert, ei, "inversion");
        AssertMatches(recon, er, "reconstruction");
    }

    public static TheoryData<string, string, int, double> InteriorRows()
    {
        var data = new TheoryData<string, string, int, double>();
        foreach (string[] f in Rows("convergence_interior_0.9_to_0.1.csv"))
            data.Add(f[0], f[1], int.Parse(f[2], CultureInfo.InvariantCulture), Number(f[4]));
        return data;
    }

    /// <summary>
    /// Interior interval τ 0.9 → 0.1 started from the exact state at 0.9, time-uniform and logSNR-uniform grids, max over
    /// the GMM2 and GMM3 z points; "_exactwarm" variants take exact states instead of their lower-order start steps.
    /// </summary>
    [Theory]
    [MemberData(nameof(InteriorRows))]
    public void Interior_errors_match_the_published_table(string grid, string solver, int n, double expected)
    {
        FlowSampler sampler = Sampler(solver) ?? throw new InvalidOperationException($"no sampler for {solver}");
        FlowTimeGrid g = grid == "time_uniform"
            ? FlowTimeGrid.TimeUniform(n, 0.9, 0.1)
            : FlowTimeGrid.LogSnrUniform(n, RectifiedFlowSchedule.Instance, 0.9, 0.1);
        double error = InteriorError(sampler, g, exactWarmUp: solver.EndsWith("_exactwarm", StringComparison.Ordinal));
        AssertMatches(expected, error, "sampling");
    }

    /// <summary>Max endpoint error over GMM2 z_a..z_d and GMM3 z_a, z_b on an interior grid, started from exact states.</summary>
    internal static double InteriorError(FlowSampler sampler, FlowTimeGrid grid, bool exactWarmUp)
    {
        double worst = 0;
        foreach ((string model, string[] zs) in new[] { ("GMM2", new[] { "z_a", "z_b", "z_c", "z_d" }), ("GMM3", new[] { "z_a", "z_b" }) })
        {
            var gmm = model == "GMM2" ? GaussianMixtureFlow.Gmm2() : GaussianMixtureFlow.Gmm3();
            foreach (string z in zs)
            {
                double[] start = FlowTestData.TrajectoryState(model, "sample", z, "0.9");
                double[] end = FlowTestData.TrajectoryState(model, "sample", z, "0.1");
                var flow = new FlowSolver<double>(gmm, sampler, grid);
                double[] x = (double[])start.Clone();
                FlowRunResult r = exactWarmUp
                    ? flow.SampleWithExactStart(x, Enumerable.Range(1, 3).Select(i => gmm.ReferenceFlow(start, 0.9, grid.NoiseLevels[i])).ToArray())
                    : flow.Sample(x);
                Assert.True(r.Succeeded, r.Message);
                worst = Math.Max(worst, Distance(x, end));
            }
        }
        return worst;
    }

    internal static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(s);
    }

    private static void AssertMatches(double expected, double actual, string what) =>
        Assert.True(Math.Abs(actual - expected) <= 2e-3 * expected + 2e-14,
            $"{what} error {actual:E4}, published {expected:E4} (ratio {actual / expected:F5})");

    private static IEnumerable<string[]> Rows(string file) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", file)).Skip(1)
            .Where(l => l.Length > 0).Select(l => l.Split(','));

    private static double Number(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
