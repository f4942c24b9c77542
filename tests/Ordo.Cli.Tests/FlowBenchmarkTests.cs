using Ordo.Benchmarking;
using Ordo.Sampling;

using static Ordo.Cli.Tests.CliRunner;

namespace Ordo.Cli.Tests;

/// <summary>The flow suite of <c>ordo bench</c>: it runs on a tiny configuration and writes its files, and its
/// comparisons reproduce flows.md §10.</summary>
public sealed class FlowBenchmarkTests
{
    private static readonly FlowBenchmarkOptions Tiny = new()
    {
        Samplers = [FlowSamplers.Euler, FlowSamplers.FireFlow],
        Steps = [4, 8],
        EqualNfeK = [4, 8],
        EditSteps = [8],
    };

    private static readonly Lazy<FlowBenchmarkResult> s_tiny = new(() => FlowBenchmark.Run(Tiny));

    [Fact]
    public void Bench_FlowSuite_TinyRun_WritesReportCsvsAndPlots()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ordo-flow-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            (int code, string output, string error) = Run("bench", "--suite", "flow", "--samplers", "euler,fireflow", "--steps", "8,4", "--out", dir);
            Assert.True(code == 0, $"exit {code}; stderr: {error}");
            Assert.Contains("Same N = 8, GMM3", output, StringComparison.Ordinal);
            Assert.Contains("Equal NFE per pass", output, StringComparison.Ordinal);
            Assert.Contains("Editing GMM2 A → B", output, StringComparison.Ordinal);
            Assert.Contains("flow report written to", output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir, "report.md"))); // the ODE suite did not run

            string[] sweep = File.ReadAllLines(Path.Combine(dir, "flow-sweep.csv"));
            Assert.Equal(1 + 2 * 2 * 2 * 2, sweep.Length); // header + models × grids × samplers × N
            Assert.StartsWith("table,model,schedule,sampler,steps,nfe_pass,nfe_roundtrip,", sweep[0], StringComparison.Ordinal);
            Assert.Contains(sweep, line => line.StartsWith("sweep,GMM3,uniform,fireflow,8,9,18,", StringComparison.Ordinal));
            Assert.All(sweep.Skip(1), line => Assert.EndsWith(",success", line, StringComparison.Ordinal));
            Assert.True(File.ReadAllLines(Path.Combine(dir, "flow-comparison.csv")).Length > 20);
            Assert.True(File.ReadAllLines(Path.Combine(dir, "flow-trajectories.csv")).Length > 100);

            string[] pngs = Directory.GetFiles(dir, "*.png").Select(Path.GetFileName).Order().ToArray()!;
            Assert.Equal(["flow-edit-GMM2.png", "flow-reconstruction-GMM2.png", "flow-reconstruction-GMM3.png",
                "flow-sampling-GMM2.png", "flow-sampling-GMM3.png", "flow-trajectories-GMM2.png"], pngs);
            Assert.All(Directory.GetFiles(dir, "*.png"), p => Assert.True(new FileInfo(p).Length > 10_000, p));
            string md = File.ReadAllText(Path.Combine(dir, "flow-report.md"));
            Assert.All(pngs, p => Assert.Contains($"]({p})", md, StringComparison.Ordinal));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "--samplers", "nope" }, "--samplers: unknown flow sampler 'nope'; known: euler")]
    [InlineData(new[] { "--steps", "4,0" }, "--steps: must be at least 1 but is 0")]
    [InlineData(new[] { "--steps", "4,x" }, "--steps: cannot read 'x' as a whole number")]
    public void Bench_FlowSuite_BadInput_ExitsTwo(string[] extra, string message)
    {
        (int code, string output, string error) = Run(["bench", "--suite", "flow", .. extra]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    private static FlowMeasurement Same(string schedule, string sampler, int steps) =>
        s_tiny.Value.SameSteps.Single(m => m.Schedule == schedule && m.Sampler == sampler && m.Steps == steps);

    [Theory]
    // flows.md §10, N = 8, GMM3, max over x_a and x_b: reconstruction error and NFE (inversion + reconstruction).
    [InlineData("uniform", "fireflow", 8, 18, 1.26e-2, 2.09e-2, 7.87e-3)]
    [InlineData("uniform", "midpoint", 8, 32, 5.56e-3, 7.38e-3, 3.07e-3)]
    [InlineData("uniform", "rf-solver", 8, 32, 5.56e-3, 7.38e-3, 3.07e-3)]
    [InlineData("uniform", "midpoint", 4, 16, 5.18e-2, 4.03e-2, 2.11e-2)]
    [InlineData("uniform", "euler", 9, 18, 2.99e-1, 1.80e-1, 1.48e-1)]
    [InlineData("uniform", "euler", 8, 16, 3.44e-1, 2.02e-1, 1.66e-1)]
    [InlineData("flux-shift", "fireflow", 8, 18, 3.17e-2, 2.25e-2, 1.66e-2)]
    [InlineData("flux-shift", "rf-solver", 8, 32, 1.32e-2, 1.01e-2, 9.53e-3)]
    [InlineData("flux-shift", "euler", 9, 18, 2.56e-1, 2.31e-1, 2.03e-1)]
    public void SameSteps_ReproducesFlowsMdSection10(string schedule, string sampler, int steps, int nfe, double reconstruction, double inversion, double sampling)
    {
        FlowMeasurement m = Same(schedule, sampler, steps);
        Assert.Equal("GMM3", m.Model);
        Assert.Equal(nfe, m.RoundTripEvaluations);
        Assert.InRange(m.ReconstructionError, reconstruction * 0.98, reconstruction * 1.02);
        Assert.InRange(m.InversionError, inversion * 0.98, inversion * 1.02);
        Assert.InRange(m.SampleError, sampling * 0.98, sampling * 1.02);
        Assert.Equal("success", m.Status);
    }

    [Fact]
    public void EqualNfe_FireFlowBeatsMidpointThreeToFourTimes_OnTheUniformGrid()
    {
        // flows.md §10: at equal NFE FireFlow's reconstruction error is 3.2–4.1× lower than midpoint's, Euler 10–7700× worse.
        foreach (FlowEqualNfeRow row in s_tiny.Value.EqualNfe.Where(r => r.Schedule == "uniform"))
        {
            Assert.Equal(2 * row.K + 1, row.FireFlow.PassEvaluations);
            Assert.Equal(2 * row.K, row.Midpoint.PassEvaluations);
            Assert.Equal(2 * row.K + 1, row.Euler.PassEvaluations);
            Assert.Equal(row.Midpoint.ReconstructionError, row.RfSolver.ReconstructionError, 1e-12);
            Assert.InRange(row.Midpoint.ReconstructionError / row.FireFlow.ReconstructionError, 3.1, 4.2);
            Assert.InRange(row.Euler.ReconstructionError / row.FireFlow.ReconstructionError, 10, 8000);
        }
    }

    [Theory]
    // flows.md §10, editing GMM2 A → B, max over x_a, x_b, x_c.
    [InlineData("uniform", "euler", 0.914)]
    [InlineData("uniform", "midpoint", 3.57e-3)]
    [InlineData("uniform", "fireflow", 1.74e-2)]
    [InlineData("flux-shift", "euler", 1.63)]
    [InlineData("flux-shift", "midpoint", 2.09e-2)]
    [InlineData("flux-shift", "fireflow", 6.79e-2)]
    public void Editing_ReproducesFlowsMdSection10(string schedule, string sampler, double expected)
    {
        FlowMeasurement m = s_tiny.Value.Editing.Single(e => e.Schedule == schedule && e.Sampler == sampler && e.Steps == 8);
        Assert.InRange(m.EditError, expected * 0.98, expected * 1.02);
    }

    [Fact]
    public void Trajectories_StartAtTheDataAndHaveAStateAfterEveryStep()
    {
        FlowBenchmarkResult r = s_tiny.Value;
        FlowTrajectory inversion = r.Trajectories.Single(t => t.Kind == "inversion" && t.Sampler == "fireflow" && t.Point == "x_a");
        Assert.Equal(9, inversion.States.Count);
        Assert.Equal([1.8, 1.2], inversion.States[0]);
        FlowTrajectory edit = r.Trajectories.Single(t => t.Kind == "edit" && t.Sampler == "euler" && t.Point == "x_b");
        Assert.Equal(17, edit.States.Count);
        FlowTrajectory exact = r.Trajectories.Single(t => t.Kind == "edit" && t.Sampler == "exact" && t.Point == "x_a");
        Assert.Equal(-1.62, exact.States[^1][0], 1e-9); // flows.md §8.4: x_a ↦ (−1.62, −0.18)
        Assert.Equal(-0.18, exact.States[^1][1], 1e-9);
    }

    [Fact]
    public void Orders_SecondOrderSamplersReconstructWithOrderThree()
    {
        FlowBenchmarkResult r = FlowBenchmark.Run(Tiny with
        {
            Samplers = [FlowSamplers.Euler, FlowSamplers.FireFlow, FlowSamplers.Midpoint, FlowSamplers.RungeKutta4],
            Steps = [64, 128],
            EqualNfeK = [4],
            EditSteps = [8],
        });
        FlowOrder Of(string s) => r.Orders.Single(o => o.Sampler == s);
        Assert.Equal((64, 128), (Of("euler").FromSteps, Of("euler").ToSteps));
        Assert.InRange(Of("euler").Sampling, 0.9, 1.1);
        Assert.InRange(Of("euler").Reconstruction, 0.9, 1.1);
        Assert.InRange(Of("fireflow").Sampling, 1.9, 2.1);
        Assert.InRange(Of("fireflow").Reconstruction, 2.9, 3.1);
        Assert.InRange(Of("midpoint").Reconstruction, 2.9, 3.1);
        Assert.InRange(Of("rk4").Reconstruction, 4.8, 5.2);
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Throws<ArgumentException>(() => (Tiny with { Samplers = [] }).Validate());
        Assert.Throws<ArgumentException>(() => (Tiny with { Steps = [0] }).Validate());
        Assert.Throws<ArgumentException>(() => (Tiny with { Schedules = ["cosine"] }).Validate());
    }
}
