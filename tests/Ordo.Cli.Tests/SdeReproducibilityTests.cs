using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;
using static Ordo.Cli.Tests.CliRunner;

namespace Ordo.Cli.Tests;

/// <summary>
/// Bitwise reproducibility of SDE ensembles across instruction sets, JIT tiers and thread counts, end to end:
/// <c>ordo solve</c> runs in child processes fully optimized on one core, unoptimized without AVX2 on two, and without
/// any SIMD, and the statistics must be the same to the last bit as each other and as in this process. With the normals
/// computed by <c>Vector256.Log</c>/<c>SinCos</c> (before <c>BoxMullerMath</c>) the run without AVX2 differed in the last
/// digit, and in CI an ensemble on one thread and on two differed by an ulp in one mean of eight.
/// </summary>
public class SdeReproducibilityTests(ITestOutputHelper output)
{
    private static string Statistics(JsonElement r) => r.GetProperty("mean").GetRawText() + r.GetProperty("variance").GetRawText()
        + r.GetProperty("quantiles").GetRawText() + r.GetProperty("stats").GetRawText();

    private static JsonElement RunChild(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ordo.dll"));
        foreach (string a in args) start.ArgumentList.Add(a);
        foreach (string name in new[] { "DOTNET_TieredCompilation", "DOTNET_JITMinOpts", "DOTNET_EnableAVX2", "DOTNET_EnableHWIntrinsic", "DOTNET_PROCESSOR_COUNT" })
            start.Environment.Remove(name);
        foreach ((string name, string value) in environment) start.Environment[name] = value;
        using Process process = Process.Start(start)!;
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), "ordo did not finish within 3 minutes");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}; stderr: {stderr.Result}");
        using JsonDocument doc = JsonDocument.Parse(stdout);
        return doc.RootElement.Clone();
    }

    [Theory]
    [InlineData("gbm.json", "euler-maruyama", "0.01")] // the fixed grid: vectorized normals
    [InlineData("ou.json", "shark", "0.02")] // the fixed grid with the space-time Lévy area
    [InlineData("commuting-linear.json", null, null)] // the default adaptive method on the virtual Brownian tree
    public void Ensemble_statistics_are_the_same_bits_on_every_instruction_set_tier_and_thread_count(string file, string? method, string? dt)
    {
        var args = new List<string> { "solve", Example(file), "--paths", "1500", "--seed", "11", "--json" };
        if (method is not null) args.AddRange(["--method", method, "--dt", dt!]);
        JsonElement optimized = RunChild(new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0", ["DOTNET_PROCESSOR_COUNT"] = "1" }, [.. args]);
        JsonElement unoptimized = RunChild(new Dictionary<string, string> { ["DOTNET_JITMinOpts"] = "1", ["DOTNET_EnableAVX2"] = "0", ["DOTNET_PROCESSOR_COUNT"] = "2" }, [.. args]);
        JsonElement scalar = RunChild(new Dictionary<string, string> { ["DOTNET_EnableHWIntrinsic"] = "0" }, [.. args]);
        output.WriteLine($"{file}: mean {optimized.GetProperty("mean").GetRawText()}");
        Assert.Equal(1500, optimized.GetProperty("successful_paths").GetInt32());
        Assert.Equal(Statistics(optimized), Statistics(unoptimized));
        Assert.Equal(Statistics(optimized), Statistics(scalar));
        // And the same as in this process (default tiering, all cores).
        Assert.Equal(Statistics(optimized), Statistics(RunJson([.. args])));
    }
}
