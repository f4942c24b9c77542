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

    /// <summary>Runs scipy through Debian's interpreter (scripts/test installs python3-scipy when it is missing).</summary>
    [Fact]
    public void Scipy_OnDetestA1_MatchesTheRhsAndSolves()
    {
        RequireScipy();
        OdeTestProblem a1 = OdeTestProblems.Get("DETEST_A1");
        ScipyOutcome o = new ScipyRunner().Run([a1], ["RK45", "DOP853"], [1e-4]);
        Assert.True(o.Available, o.Message);
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

    /// <summary>The scipy tests need Debian's /usr/bin/python3 with scipy; scripts/test installs python3-scipy.</summary>
    private static void RequireScipy()
    {
        ScipyOutcome probe = new ScipyRunner().Run([OdeTestProblems.Get("DETEST_A1")], [], [1e-4]);
        Assert.True(File.Exists(ScipyRunner.DefaultPythonPath) && probe.Available,
            $"scipy is not available ({probe.Message}); run scripts/test, which installs python3-scipy, or apt-get install python3-scipy");
    }

    // DETEST B1 (Lotka-Volterra growth) built here, once right and once with a wrong coefficient.
    private static OdeTestProblem B1(double coefficient) => new("DETEST_B1", "nonstiff", "B1 as built by the test",
        (t, y, dy) =>
        {
            dy[0] = coefficient * (y[0] - y[0] * y[1]);
            dy[1] = -(y[1] - y[0] * y[1]);
        },
        0, 20, [1.0, 3.0], null, "", 1e-3);

    [Fact]
    public void RhsCheck_AcceptsTheSameMath_AndRejectsDifferentMath()
    {
        RequireScipy();
        ScipyOutcome right = new ScipyRunner().Run([B1(2.0)], [], [1e-4]);
        RhsCheck ok = Assert.Single(right.RhsChecks);
        Assert.True(ok.Matches, $"max rel diff {ok.MaxRelativeDifference}");
        Assert.Equal(0, ok.MaxRelativeDifference);

        ScipyOutcome wrong = new ScipyRunner().Run([B1(2.5)], ["RK45"], [1e-4]);
        RhsCheck bad = Assert.Single(wrong.RhsChecks);
        Assert.False(bad.Matches);
        Assert.True(bad.MaxRelativeDifference > 0.1);
        Assert.Empty(wrong.Runs);      // not run with scipy
        Assert.False(wrong.Available);
        Assert.Contains("matched", wrong.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProblemUnknownToPython_IsNotRun()
    {
        RequireScipy();
        var mine = new OdeTestProblem("MyOscillator", "nonstiff", "x'' = -x", (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; },
            0, 1, [1.0, 0.0], [Math.Cos(1), -Math.Sin(1)], "closed form", 1e-3);
        ScipyOutcome o = new ScipyRunner().Run([mine, OdeTestProblems.Get("DETEST_A1")], ["RK45"], [1e-4]);
        Assert.True(o.Available);
        RhsCheck unknown = o.RhsChecks.Single(c => c.Problem == "MyOscillator");
        Assert.False(unknown.Matches);
        Assert.True(double.IsNaN(unknown.MaxRelativeDifference));
        BenchmarkRun run = Assert.Single(o.Runs);
        Assert.Equal("DETEST_A1", run.Problem);
    }
}
