using System.Text.Json;
using Ordo.Problems.Flows;
using Ordo.Problems.ProblemFiles;
using Ordo.Sampling;

using static Ordo.Cli.Tests.CliRunner;

namespace Ordo.Cli.Tests;

/// <summary><c>ordo flow reconstruct</c> and <c>ordo flow edit</c> on the GMM examples (flows.md §8, §10) and on bad
/// input, run in-process.</summary>
public sealed class FlowCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ordo-cli-flow-" + Guid.NewGuid().ToString("N"));

    public FlowCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Gmm2 => Example("gmm2-flow.json");

    private static string Gmm3 => Example("gmm3-flow.json");

    private static double[][] Points(JsonElement e) => e.EnumerateArray().Select(p => p.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToArray();

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());

    private string WriteFile(string name, string json)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    [Theory]
    [InlineData("fireflow", 18)]
    [InlineData("rf-solver", 32)]
    [InlineData("midpoint", 32)]
    [InlineData("euler", 16)]
    [InlineData("rk4", 64)]
    public void Reconstruct_Json_IsTheContractObject(string sampler, int nfe)
    {
        JsonElement r = RunJson("flow", "reconstruct", Gmm2, "--sampler", sampler, "--steps", "8", "--json");
        Assert.Equal(["kind", "name", "operation", "sampler", "schedule", "steps", "nfe", "status", "noise", "output", "error", "time_ms", "repeat"], Names(r));
        Assert.Equal("flow", r.GetProperty("kind").GetString());
        Assert.Equal("GMM2", r.GetProperty("name").GetString());
        Assert.Equal("reconstruct", r.GetProperty("operation").GetString());
        Assert.Equal(sampler, r.GetProperty("sampler").GetString());
        Assert.Equal("uniform", r.GetProperty("schedule").GetString());
        Assert.Equal(8, r.GetProperty("steps").GetInt32());
        Assert.Equal(nfe, r.GetProperty("nfe").GetInt32());
        Assert.Equal("success", r.GetProperty("status").GetString());
        double[][] input = [[1.8, 1.2], [-1.4, -0.2], [0.2, 0.3]];
        double[][] noise = Points(r.GetProperty("noise")), output = Points(r.GetProperty("output"));
        Assert.Equal(3, noise.Length);
        Assert.Equal(3, output.Length);
        Assert.All(noise.Concat(output), p => Assert.Equal(2, p.Length));
        JsonElement error = r.GetProperty("error");
        Assert.Equal(["max_reconstruction_error"], Names(error));
        double max = Enumerable.Range(0, 3).Max(i => Distance(output[i], input[i]));
        Assert.Equal(max, error.GetProperty("max_reconstruction_error").GetDouble(), 1e-15);
        JsonElement time = r.GetProperty("time_ms");
        Assert.Equal(["median", "min"], Names(time));
        Assert.True(time.GetProperty("min").GetDouble() > 0);
        Assert.Equal(1, r.GetProperty("repeat").GetInt32());
    }

    [Fact]
    public void Reconstruct_NoiseIsTheExactInversionForAnAccurateSampler()
    {
        // flows.md §8.4: GMM2 x_a and x_b inverted to τ = 1 (t = 0, noise).
        JsonElement r = RunJson("flow", "reconstruct", Gmm2, "--sampler", "rk4", "--steps", "256", "--json");
        double[][] noise = Points(r.GetProperty("noise"));
        Assert.True(Distance(noise[0], [0.472224015571961, 0.741850522109239]) < 1e-8);
        Assert.True(Distance(noise[1], [-0.316218709133750, 0.111494064227532]) < 1e-8);
    }

    [Theory]
    // flows.md §10, GMM3, max over x_a and x_b.
    [InlineData("fireflow", 8, "uniform", 18, 1.26e-2)]
    [InlineData("midpoint", 8, "uniform", 32, 5.56e-3)]
    [InlineData("rf-solver", 4, "uniform", 16, 5.18e-2)]
    [InlineData("euler", 9, "uniform", 18, 2.99e-1)]
    [InlineData("fireflow", 8, "flux-shift", 18, 3.17e-2)]
    [InlineData("midpoint", 8, "flux-shift", 32, 1.32e-2)]
    [InlineData("euler", 9, "flux-shift", 18, 2.56e-1)]
    public void Reconstruct_Gmm3_ReproducesFlowsMdSection10(string sampler, int steps, string schedule, int nfe, double expected)
    {
        JsonElement r = RunJson("flow", "reconstruct", Gmm3, "--sampler", sampler, "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--schedule", schedule, "--json");
        Assert.Equal(schedule, r.GetProperty("schedule").GetString());
        Assert.Equal(nfe, r.GetProperty("nfe").GetInt32());
        double error = r.GetProperty("error").GetProperty("max_reconstruction_error").GetDouble();
        Assert.InRange(error, expected * 0.99, expected * 1.01);
    }

    [Theory]
    // flows.md §10, editing GMM2 A → B, max over x_a, x_b, x_c, uniform grid.
    [InlineData("midpoint", 8, 32, 3.57e-3)]
    [InlineData("fireflow", 8, 18, 1.74e-2)]
    [InlineData("euler", 8, 16, 0.914)]
    [InlineData("fireflow", 30, 62, 8.48e-4)]
    public void Edit_Json_IsTheContractObject_AndMatchesFlowsMd(string sampler, int steps, int nfe, double expected)
    {
        JsonElement r = RunJson("flow", "edit", Gmm2, "--from", "1", "--to", "2", "--sampler", sampler,
            "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--json");
        Assert.Equal(["kind", "name", "operation", "sampler", "schedule", "steps", "nfe", "status", "from", "to", "noise", "output", "error", "time_ms", "repeat"], Names(r));
        Assert.Equal("edit", r.GetProperty("operation").GetString());
        Assert.Equal((1, 2), (r.GetProperty("from").GetInt32(), r.GetProperty("to").GetInt32()));
        Assert.Equal(nfe, r.GetProperty("nfe").GetInt32());
        double[][] output = Points(r.GetProperty("output"));
        double[][] exact = [[-1.62, -0.18], [-3.54, -2.42], [-2.58, -1.62]]; // flows.md §8.4
        double max = Enumerable.Range(0, 3).Max(i => Distance(output[i], exact[i]));
        double error = r.GetProperty("error").GetProperty("max_edit_error").GetDouble();
        Assert.Equal(max, error, 1e-12);
        Assert.InRange(error, expected * 0.99, expected * 1.01);
    }

    [Fact]
    public void Edit_NoiseIsTheExactInversionUnderTheSourceComponent()
    {
        // Component 1 of GMM2 is N((2, 1), 0.5² I): x ↦ z = (x − μ)/s = (−0.4, 0.4) for x_a (flows.md §8.4).
        JsonElement r = RunJson("flow", "edit", Gmm2, "--from", "1", "--to", "2", "--sampler", "rk4", "--steps", "64", "--json");
        Assert.True(Distance(Points(r.GetProperty("noise"))[0], [-0.4, 0.4]) < 1e-8);
        Assert.True(r.GetProperty("error").GetProperty("max_edit_error").GetDouble() < 1e-6);
    }

    [Fact]
    public void Reconstruct_WithACondition_RunsUnderThatComponent()
    {
        string json = File.ReadAllText(Gmm2).Replace("\"points\":", "\"condition\": 2, \"points\":", StringComparison.Ordinal);
        string file = WriteFile("conditioned.json", json);
        JsonElement r = RunJson("flow", "reconstruct", file, "--sampler", "fireflow", "--steps", "8", "--json");
        Assert.Equal(2, r.GetProperty("condition").GetInt32());
        // The same run through the library under class 1 (0-based) gives the same noise.
        var problem = (FlowProblemFile)ProblemFileReader.Load(file);
        var solver = new FlowSolver<double>(problem.Model, FlowSamplers.FireFlow, FlowTimeGrid.Uniform(8));
        double[] data = problem.Points.ToArray(), noise = new double[data.Length], output = new double[data.Length];
        solver.Reconstruct(data, noise, output, FlowCondition.Class(1));
        Assert.Equal(noise, Points(r.GetProperty("noise")).SelectMany(p => p).ToArray());
        // Under component 2 = N((−1.5, −0.5), diag(0.3², 0.8²)) x_b inverts to (x − μ)/s = (0.333.., 0.375).
        Assert.True(Distance(Points(r.GetProperty("noise"))[1], [0.1 / 0.3, 0.3 / 0.8]) < 1e-2);
    }

    [Fact]
    public void NonFiniteVelocity_IsAStatus_WithoutAnError()
    {
        // The velocity at a point 1e300 away overflows: the inversion stops at its first step, nothing is sampled.
        string file = WriteFile("huge.json", File.ReadAllText(Gmm2).Replace("[0.2, 0.3]]", "[1e300, 1e300]]", StringComparison.Ordinal));
        JsonElement r = RunJson("flow", "reconstruct", file, "--sampler", "fireflow", "--steps", "4", "--json");
        Assert.Equal("nonfinite_velocity", r.GetProperty("status").GetString());
        Assert.Equal(1, r.GetProperty("nfe").GetInt32());
        Assert.False(r.TryGetProperty("error", out _));
        Assert.All(r.GetProperty("output").EnumerateArray().SelectMany(p => p.EnumerateArray()), v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
        (int code, string output, _) = Run("flow", "reconstruct", file, "--sampler", "fireflow", "--steps", "4");
        Assert.Equal(0, code);
        Assert.Contains("nonfinite_velocity: the model returned NaN for point 2", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeat_ReportsMedianAndMin()
    {
        JsonElement r = RunJson("flow", "reconstruct", Gmm3, "--sampler", "euler", "--steps", "16", "--repeat", "5", "--json");
        Assert.Equal(5, r.GetProperty("repeat").GetInt32());
        double median = r.GetProperty("time_ms").GetProperty("median").GetDouble();
        double min = r.GetProperty("time_ms").GetProperty("min").GetDouble();
        Assert.True(min > 0 && min <= median, $"min {min}, median {median}");
    }

    [Fact]
    public void Human_ReconstructAndEdit_ShowATablePerPoint()
    {
        (int code, string output, string error) = Run("flow", "reconstruct", Gmm2, "--sampler", "fireflow", "--steps", "8");
        Assert.True(code == 0, error);
        Assert.Contains("18 per point: 9 inversion + 9 sampling", output, StringComparison.Ordinal);
        Assert.Contains("fireflow (FireFlow), 8 steps, uniform grid", output, StringComparison.Ordinal);
        Assert.Contains("‖output − input‖", output, StringComparison.Ordinal);
        Assert.Contains("(1.8, 1.2)", output, StringComparison.Ordinal);
        Assert.Contains("(-1.4, -0.2)", output, StringComparison.Ordinal);

        (code, output, error) = Run("flow", "edit", Gmm2, "--from", "1", "--to", "2", "--sampler", "midpoint", "--steps", "8", "--schedule", "flux-shift");
        Assert.True(code == 0, error);
        Assert.Contains("edit: invert under component 1, sample under component 2", output, StringComparison.Ordinal);
        Assert.Contains("exact edit", output, StringComparison.Ordinal);
        Assert.Contains("(-1.62, -0.18)", output, StringComparison.Ordinal);
        Assert.Contains("flux-shift", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Methods_ListsEveryFlowSampler()
    {
        (int code, string output, _) = Run("methods");
        Assert.Equal(0, code);
        foreach (FlowSampler s in FlowSamplers.All)
        {
            Assert.Contains(s.Name, output, StringComparison.Ordinal);
            Assert.Contains(s.Description, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_FlowFile_GivesTheVelocityAtTheFirstPoint()
    {
        JsonElement r = RunJson("check", Gmm2, "--t", "0", "--at", "0.3,-0.7", "--json");
        Assert.Equal(["kind", "name", "n", "components", "points", "t", "at", "velocity", "jacobian"], Names(r));
        // flows.md §8.1: at t = 0 (noise) v = Σ π_k μ_k − x = (−0.1, 0.1) − (0.3, −0.7).
        double[] v = r.GetProperty("velocity").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(-0.4, v[0], 1e-12);
        Assert.Equal(0.8, v[1], 1e-12);
    }

    [Theory]
    [InlineData(new[] { "reconstruct", "{gmm2}", "--sampler", "foo", "--steps", "8", "--json" }, "--sampler: unknown flow sampler 'foo'; known: euler, heun, midpoint")]
    [InlineData(new[] { "reconstruct", "{gmm2}", "--sampler", "fireflow", "--steps", "0", "--json" }, "--steps: must be at least 1 but is 0")]
    [InlineData(new[] { "reconstruct", "{gmm2}", "--sampler", "fireflow", "--steps", "abc", "--json" }, "--steps: cannot read 'abc' as a whole number")]
    [InlineData(new[] { "reconstruct", "{gmm2}", "--sampler", "fireflow", "--steps", "8", "--schedule", "cosine", "--json" }, "--schedule: unknown schedule 'cosine'; known: uniform, flux-shift")]
    [InlineData(new[] { "reconstruct", "{gmm2}", "--sampler", "fireflow", "--steps", "8", "--repeat", "0", "--json" }, "--repeat: must be at least 1")]
    [InlineData(new[] { "reconstruct", "{gmm2}", "--steps", "8", "--json" }, "Option '--sampler' is required")]
    [InlineData(new[] { "reconstruct", "{gmm2}", "--sampler", "euler", "--json" }, "Option '--steps' is required")]
    [InlineData(new[] { "edit", "{gmm2}", "--from", "3", "--to", "1", "--sampler", "euler", "--steps", "8", "--json" }, "--from: is 3 but GMM2 has components 1 to 2")]
    [InlineData(new[] { "edit", "{gmm2}", "--from", "1", "--to", "0", "--sampler", "euler", "--steps", "8", "--json" }, "--to: is 0 but GMM2 has components 1 to 2")]
    [InlineData(new[] { "edit", "{gmm2}", "--from", "x", "--to", "1", "--sampler", "euler", "--steps", "8", "--json" }, "--from: cannot read 'x' as a whole number")]
    [InlineData(new[] { "edit", "{gmm2}", "--from", "1", "--sampler", "euler", "--steps", "8", "--json" }, "Option '--to' is required")]
    [InlineData(new[] { "reconstruct", "{pendulum}", "--sampler", "euler", "--steps", "8", "--json" }, "is an ode problem; 'ordo flow' takes a file of kind flow")]
    [InlineData(new[] { "reconstruct", "{missing}", "--sampler", "euler", "--steps", "8", "--json" }, "no such file")]
    [InlineData(new[] { "reconstruct", "{bad}", "--sampler", "euler", "--steps", "8", "--json" }, "time_convention: is \"t=1 noise, t=0 data\" but version 1")]
    public void BadInput_ExitsTwoWithOneLine(string[] args, string message)
    {
        string bad = WriteFile("bad.json", File.ReadAllText(Gmm2).Replace("t=0 noise, t=1 data", "t=1 noise, t=0 data", StringComparison.Ordinal));
        string[] full = ["flow", .. args.Select(a => a
            .Replace("{gmm2}", Gmm2, StringComparison.Ordinal)
            .Replace("{pendulum}", Example("pendulum.json"), StringComparison.Ordinal)
            .Replace("{missing}", Path.Combine(_dir, "missing.json"), StringComparison.Ordinal)
            .Replace("{bad}", bad, StringComparison.Ordinal))];
        (int code, string output, string error) = Run(full);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.StartsWith("ordo: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void SolveOnAFlowFile_PointsToOrdoFlow()
    {
        (int code, string output, string error) = Run("solve", Gmm2, "--json");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("is a flow problem: 'ordo flow reconstruct", error, StringComparison.Ordinal);
    }

    [Fact]
    public void FlowErrors_AreEuclideanPerPoint()
    {
        Assert.Equal([5.0, 0.0], FlowErrors.PointDistances([3.0, 4, 1, 1], [0.0, 0, 1, 1], 2));
        Assert.Equal(5.0, FlowErrors.MaxPointDistance([3.0, 4, 1, 1], [0.0, 0, 1, 1], 2));
        Assert.True(double.IsNaN(FlowErrors.Max([1.0, double.NaN, 2.0])));
    }
}
