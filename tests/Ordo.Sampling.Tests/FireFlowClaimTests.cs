using System.Globalization;
using System.Text;

namespace Ordo.Sampling.Tests;

/// <summary>
/// FireFlow's claims on the exact model (flows.md §10, §12 items 9–12), and every row of
/// flows-data/recon_edit_small_N.csv reproduced. Run with <c>--logger "console;verbosity=detailed"</c> for the tables
/// quoted in docs/sampling/flow-samplers.md.
/// </summary>
public class FireFlowClaimTests(ITestOutputHelper output)
{
    private static FlowSampler Sampler(string name) => name switch
    {
        "midpoint(=RF-Solver-2)" => FlowSamplers.RfSolver,
        "dpmpp_2m" => FlowSamplers.Get("dpm-solver++2m"),
        _ => FlowSamplers.Get(name),
    };

    private static FlowTimeGrid Grid(string name, int n) => name == "uniform" ? FlowTimeGrid.Uniform(n) : FlowTimeGrid.FluxShifted(n, 1.15);

    private static GaussianMixtureFlow Model(string name) => name == "GMM2" ? GaussianMixtureFlow.Gmm2() : GaussianMixtureFlow.Gmm3();

    /// <summary>(model, data points to invert, noise points to sample) of a row's point column.</summary>
    private static IEnumerable<(string Model, string[] Xs, string[] Zs)> Points(string model, string point) => (model, point) switch
    {
        ("GMM2(x_a,x_b)+GMM3", _) => [("GMM2", ["x_a", "x_b"], ["z_a", "z_b", "z_c", "z_d"]), ("GMM3", ["x_a", "x_b"], ["z_a", "z_b"])],
        ("GMM2", "max") => [("GMM2", ["x_a", "x_b", "x_c"], ["z_a", "z_b", "z_c", "z_d"])],
        ("GMM3", "max") => [("GMM3", ["x_a", "x_b"], ["z_a", "z_b"])],
        _ => [(model, [point], [])],
    };

    internal sealed record Errors(int Nfe, double Invert, double Recon, double Sample);

    /// <summary>Inversion, reconstruction and sampling errors (max over the points) and the round-trip NFE.</summary>
    internal static Errors Measure(FlowSampler sampler, string grid, int n, IEnumerable<(string Model, string[] Xs, string[] Zs)> sets)
    {
        double inv = 0, rec = 0, smp = 0;
        int nfe = 0;
        foreach ((string model, string[] xs, string[] zs) in sets)
        {
            var solver = new FlowSolver<double>(Model(model), sampler, Grid(grid, n));
            foreach (string p in xs)
            {
                double[] data = FlowTestData.TrajectoryState(model, "invert", p, "0.0");
                double[] noise = new double[data.Length], back = new double[data.Length];
                FlowRoundTripResult r = solver.Reconstruct(data, noise, back);
                nfe = r.Evaluations;
                inv = Math.Max(inv, PublishedErrorTableTests.Distance(noise, FlowTestData.TrajectoryState(model, "invert", p, "1.0")));
                rec = Math.Max(rec, PublishedErrorTableTests.Distance(back, data));
            }
            foreach (string z in zs)
            {
                double[] x = FlowTestData.TrajectoryState(model, "sample", z, "1.0");
                solver.Sample(x);
                smp = Math.Max(smp, PublishedErrorTableTests.Distance(x, FlowTestData.TrajectoryState(model, "sample", z, "0.0")));
            }
        }
        return new Errors(nfe, inv, rec, smp);
    }

    /// <summary>Editing error: GMM2 points inverted under class A, sampled under class B, against the exact edit map.</summary>
    internal static (int Nfe, double Error) EditError(FlowSampler sampler, string grid, int n)
    {
        var gmm = GaussianMixtureFlow.Gmm2();
        var solver = new FlowSolver<double>(gmm, sampler, Grid(grid, n));
        double worst = 0;
        int nfe = 0;
        foreach (double[] x in new[] { FlowTestData.Gmm2XA, FlowTestData.Gmm2XB, FlowTestData.Gmm2XC })
        {
            double[] noise = new double[2], edited = new double[2], exact = new double[2];
            nfe = solver.Edit(x, FlowCondition.Class(0), FlowCondition.Class(1), noise, edited).Evaluations;
            Assert.True(gmm.TryExactEdit(x, 0, 1, exact));
            worst = Math.Max(worst, PublishedErrorTableTests.Distance(edited, exact));
        }
        return (nfe, worst);
    }

    public static TheoryData<string, string, string, string, string, int, int, string, string, string> Rows()
    {
        var data = new TheoryData<string, string, string, string, string, int, int, string, string, string>();
        foreach (string line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "recon_edit_small_N.csv")).Skip(1))
        {
            string[] f = SplitCsv(line);
            data.Add(f[0], f[1], f[2], f[3], f[4], int.Parse(f[5], CultureInfo.InvariantCulture), int.Parse(f[6], CultureInfo.InvariantCulture), f[7], f[8], f[9]);
        }
        return data;
    }

    /// <summary>Every row of recon_edit_small_N.csv (N = 4…30, uniform and FLUX grids, per point, equal NFE, editing): NFE
    /// exactly, errors to 0.5 % (the CSV keeps 5 digits).</summary>
    [Theory]
    [MemberData(nameof(Rows))]
    public void Reproduces_the_small_n_table(string table, string grid, string model, string point, string solver, int n, int nfeTotal,
        string invert, string recon, string sample)
    {
        FlowSampler s = Sampler(solver);
        if (table.StartsWith("edit", StringComparison.Ordinal))
        {
            (int nfe, double error) = EditError(s, grid, n);
            Assert.Equal(nfeTotal, nfe);
            Close(recon, error, "edit");
            return;
        }
        Errors e = Measure(s, grid, n, Points(model, point));
        Assert.Equal(nfeTotal, e.Nfe);
        Close(invert, e.Invert, "inversion");
        Close(recon, e.Recon, "reconstruction");
        Close(sample, e.Sample, "sampling");
    }

    private static void Close(string published, double actual, string what)
    {
        if (published.Length == 0) return;
        double p = double.Parse(published, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(actual - p) <= 5e-4 * p + 1e-15, $"{what}: {actual:E4} vs published {p:E4}");
    }

    /// <summary>
    /// The claim at equal NFE: FireFlow with 2k steps (4k + 2 evaluations for inversion plus reconstruction) against
    /// RF-Solver with k steps (4k), k = 4…64, uniform grid, GMM2 x_a, x_b and GMM3: FireFlow's reconstruction error is at
    /// least 2.5× lower (3.2–4.1× measured) and its sampling error 1.1–1.5× lower. On the FLUX μ = 1.15 grid the advantage
    /// holds at k = 4 only (flows.md §10: this toy's curvature sits near the data end, where that grid is coarse).
    /// </summary>
    [Fact]
    public void At_equal_nfe_fireflow_reconstructs_at_least_2_5_times_better_than_rf_solver()
    {
        var sets = Points("GMM2(x_a,x_b)+GMM3", "max").ToArray();
        var table = new StringBuilder("| grid | k | RF-Solver steps / NFE | FireFlow steps / NFE | RF-Solver recon | FireFlow recon | ratio | RF-Solver sample | FireFlow sample | ratio |\n|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (string grid in new[] { "uniform", "flux_mu1.15" })
        {
            foreach (int k in new[] { 4, 8, 16, 32, 64 })
            {
                Errors rf = Measure(FlowSamplers.RfSolver, grid, k, sets), ff = Measure(FlowSamplers.FireFlow, grid, 2 * k, sets);
                double recon = rf.Recon / ff.Recon, sample = rf.Sample / ff.Sample;
                table.Append(CultureInfo.InvariantCulture, $"| {grid} | {k} | {k} / {rf.Nfe} | {2 * k} / {ff.Nfe} | {rf.Recon:E2} | {ff.Recon:E2} | {recon:F2} | {rf.Sample:E2} | {ff.Sample:E2} | {sample:F2} |\n");
                if (grid == "uniform")
                {
                    Assert.True(recon >= 2.5, $"k = {k}: ratio {recon:F2}");
                    Assert.InRange(sample, 1.05, 1.6);
                }
                Assert.Equal(4 * k, rf.Nfe);
                Assert.Equal(4 * k + 2, ff.Nfe);
            }
        }
        output.WriteLine(table.ToString());
    }

    /// <summary>
    /// The claim at 8 steps (GMM3, flows.md §12 item 9): FireFlow's reconstruction error is within 2.5× of RF-Solver's —
    /// the same order of magnitude — with 18 evaluations against 32 (56 %), and about 24× below Euler's at the same 18.
    /// </summary>
    [Fact]
    public void At_eight_steps_fireflow_is_within_the_same_order_of_magnitude_at_about_half_the_evaluations()
    {
        var sets = Points("GMM3", "max").ToArray();
        var table = new StringBuilder("| grid | method | steps | NFE (inv + rec) | inversion error | reconstruction error | sample error |\n|---|---|---|---|---|---|---|\n");
        foreach (string grid in new[] { "uniform", "flux_mu1.15" })
        {
            Errors euler = Measure(FlowSamplers.Euler, grid, 9, sets);
            Errors rf4 = Measure(FlowSamplers.RfSolver, grid, 4, sets);
            Errors rf = Measure(FlowSamplers.RfSolver, grid, 8, sets);
            Errors ff = Measure(FlowSamplers.FireFlow, grid, 8, sets);
            foreach ((string name, int steps, Errors e) in new[] { ("Euler", 9, euler), ("RF-Solver", 4, rf4), ("RF-Solver", 8, rf), ("FireFlow", 8, ff) })
                table.Append(CultureInfo.InvariantCulture, $"| {grid} | {name} | {steps} | {e.Nfe} | {e.Invert:E2} | {e.Recon:E2} | {e.Sample:E2} |\n");
            Assert.Equal(18, ff.Nfe);
            Assert.Equal(32, rf.Nfe);
            Assert.True(ff.Recon / rf.Recon < (grid == "uniform" ? 2.5 : 2.5), $"{grid}: {ff.Recon / rf.Recon:F2}");
            Assert.True(euler.Recon / ff.Recon > (grid == "uniform" ? 20 : 7), $"{grid}: Euler/FireFlow {euler.Recon / ff.Recon:F1}");
        }
        output.WriteLine(table.ToString());
    }

    /// <summary>At large N FireFlow's endpoint error is about 3.1× the midpoint rule's at the same N (GMM3: 9.05e-6 vs 2.90e-6 at N = 256).</summary>
    [Fact]
    public void Fireflow_error_constant_is_about_three_times_the_midpoint_rules()
    {
        double ff = ConvergenceOrderTests.SampleError(FlowSamplers.FireFlow, 256);
        double mid = ConvergenceOrderTests.SampleError(FlowSamplers.Midpoint, 256);
        output.WriteLine($"N = 256: FireFlow {ff:E3}, midpoint {mid:E3}, ratio {ff / mid:F2}");
        Assert.InRange(ff / mid, 2.9, 3.3);
    }

    /// <summary>
    /// Editing with a closed-form truth (flows.md §12 item 12): GMM2 inverted under A and sampled under B converges to
    /// μ_B + (s_B/s_A)(x − μ_A); max error over x_a, x_b, x_c at N = 8 / 15 / 30: midpoint 3.6e-3 / 5.6e-4 / 7.0e-5,
    /// FireFlow 1.7e-2 / 3.5e-3 / 8.5e-4, Euler 0.91 / 0.53 / 0.28 — second order for the second-order samplers.
    /// </summary>
    [Fact]
    public void Editing_converges_to_the_exact_edit_map()
    {
        var table = new StringBuilder("| method | N = 8 | N = 15 | N = 30 | order 15 → 30 |\n|---|---|---|---|---|\n");
        foreach ((string name, double[] published) in new[]
        {
            ("euler", new[] { 0.914, 0.529, 0.278 }),
            ("rf-solver", new[] { 3.57e-3, 5.59e-4, 7.05e-5 }),
            ("fireflow", new[] { 1.74e-2, 3.45e-3, 8.48e-4 }),
        })
        {
            double[] e = [EditError(FlowSamplers.Get(name), "uniform", 8).Error, EditError(FlowSamplers.Get(name), "uniform", 15).Error, EditError(FlowSamplers.Get(name), "uniform", 30).Error];
            double order = Math.Log(e[1] / e[2]) / Math.Log(2);
            table.Append(CultureInfo.InvariantCulture, $"| {name} | {e[0]:E2} | {e[1]:E2} | {e[2]:E2} | {order:F2} |\n");
            for (int i = 0; i < 3; i++) Assert.Equal(published[i], e[i], published[i] * 0.01);
            Assert.True(e[0] > e[1] && e[1] > e[2]);
        }
        output.WriteLine(table.ToString());
    }

    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new StringBuilder();
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return fields.ToArray();
    }
}
