using Ordo.Benchmarking;
using Ordo.Problems;

namespace Ordo.Cli.Tests;

public sealed class ScipyRunnerTests
{
    [Fact]
    public void MissingInterpreter_SkipsWithAMessage()
    {
        ScipyOutcome o = new ScipyRunner("/nonexistent/python3").Run(OdeTestProblems.NonStiff, ["RK45"], [1e-4]);
        Assert.False(o.Available);
        Assert.Contains("/nonexistent/python3 not found", o.Message, StringComparison.Ordinal);
        Assert.Empty(o.Runs);
    }

    [Fact]
    public void EmbeddedScripts_ArePresent()
    {
        string dir = Directory.CreateTempSubdirectory("ordo-scripts-").FullName;
        try
        {
            ScipyRunner.WriteScripts(dir);
            string bench = File.ReadAllText(Path.Combine(dir, "solve_ivp_bench.py"));
            Assert.Contains("solve_ivp", bench, StringComparison.Ordinal);
            Assert.Contains("RHS = {", File.ReadAllText(Path.Combine(dir, "odeproblems_nonstiff.py")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Runs scipy when Debian's interpreter with scipy is on this machine (it is on the project machines;
    /// elsewhere the test checks that the comparison is skipped with a message instead).</summary>
    [Fact]
    public void Scipy_OnDetestA1_MatchesTheRhsAndSolves()
    {
        OdeTestProblem a1 = OdeTestProblems.Get("DETEST_A1");
        ScipyOutcome o = new ScipyRunner().Run([a1], ["RK45", "DOP853"], [1e-4]);
        if (!o.Available)
        {
            Assert.Contains("skipped", o.Message, StringComparison.Ordinal);
            return;
        }
        RhsCheck check = Assert.Single(o.RhsChecks);
        Assert.True(check.Matches);
        Assert.Equal(2, o.Runs.Count);
        Assert.All(o.Runs, r =>
        {
            Assert.Equal("success", r.Status);
            Assert.Equal(BenchmarkSide.Scipy, r.Side);
            Assert.InRange(r.Error, 1e-12, 1e-3);
            Assert.True(r.TimeSeconds > 0 && r.TimedSolves >= 3);
            Assert.True(r.RhsEvaluations > 50);
        });
        Assert.True(o.Versions.ContainsKey("scipy"));
    }
}
