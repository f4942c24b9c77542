using System.Diagnostics;
using Ordo.Benchmarking;
using Ordo.Benchmarking.Stiff;
using Ordo.Problems;

namespace Ordo.Cli.Tests;

public sealed class StiffBenchmarkTests
{
    private static StiffRun Run(string library, string method, double rtol, double error, double seconds, string status = "success") =>
        new(library, "P", method, rtol, rtol * 1e-3, status, "", status == "success" ? error : double.NaN,
            status == "success" ? seconds : double.NaN, 3, 100, 10, 10, 50, 1);

    [Fact]
    public void EqualAccuracy_OnASmallTable_GivesTheRatiosWorkedOutByHand()
    {
        StiffRun[] runs =
        [
            // Ordo rodas4: a straight line in log-log from (1e-3, 1 ms) to (1e-5, 10 ms); its 1e-8 run failed (ignored).
            Run(StiffRun.Ordo, "rodas4", 1e-4, 1e-3, 1e-3),
            Run(StiffRun.Ordo, "rodas4", 1e-6, 1e-5, 1e-2),
            Run(StiffRun.Ordo, "rodas4", 1e-8, 0, 0, "max_steps"),
            // Ordo rodas5p: one run, more accurate and cheaper than rodas4's loosest: 0.5 ms for 1e-4.
            Run(StiffRun.Ordo, "rodas5p", 1e-4, 1e-4, 5e-4),
            // Ordo auto: twice rodas4's time.
            Run(StiffRun.Ordo, "auto", 1e-4, 1e-3, 2e-3),
            Run(StiffRun.Ordo, "auto", 1e-6, 1e-5, 2e-2),
            // CVODE: (1e-2, 1 ms) to (1e-4, 4 ms): at 1e-3, 10^(-3 + log10(4)/2) = 2 ms.
            Run(StiffRun.Cvode, "bdf", 1e-4, 1e-2, 1e-3),
            Run(StiffRun.Cvode, "bdf", 1e-6, 1e-4, 4e-3),
            // scipy Radau: (1e-3, 0.1 s) to (1e-5, 1 s); LSODA: (1e-2, 10 ms) to (1e-3, 30 ms), faster down to 1e-3.
            Run(StiffRun.Scipy, "Radau", 1e-4, 1e-3, 0.1),
            Run(StiffRun.Scipy, "Radau", 1e-6, 1e-5, 1.0),
            Run(StiffRun.Scipy, "LSODA", 1e-4, 1e-2, 0.01),
            Run(StiffRun.Scipy, "LSODA", 1e-6, 1e-3, 0.03),
        ];
        StiffComparison c = StiffComparison.Compute(runs);

        // Levels from 1e-3 (Ordo's largest error: looser levels would repeat its loosest runs) to 1e-5 (nothing is
        // extrapolated to 1e-6).
        Assert.Equal([1e-3, 1e-4, 1e-5], c.Levels.Select(l => l.Error).ToArray(), (a, b) => Math.Abs(a / b - 1) < 1e-12);
        AccuracyLevel l3 = c.Levels[0], l4 = c.Levels[1], l5 = c.Levels[2];

        // 1e-3: rodas5p 0.5 ms (it over-delivers) beats rodas4's 1 ms; CVODE interpolated 2 ms; LSODA 30 ms beats Radau.
        Assert.Equal("rodas5p", l3.OrdoBestMethod);
        Assert.Equal(5e-4, l3.OrdoBestTime, 1e-15);
        Assert.Equal(2e-3, l3.CvodeTime, 1e-12);
        Assert.Equal(0.25, l3.OrdoOverCvode, 1e-9);
        Assert.Equal("LSODA", l3.ScipyBestMethod);
        Assert.Equal(60, l3.ScipyOverOrdo, 1e-9);
        Assert.Equal("rodas5p", l3.BestSingleMethod);
        Assert.Equal(4, l3.AutoOverBestSingle, 1e-9);   // auto 2 ms (its loosest run)

        // 1e-4: rodas5p exactly; CVODE 4 ms; only Radau reaches it, halfway in log: 10^-0.5 s; auto 2·10^-2.5 s.
        Assert.Equal(5e-4, l4.OrdoBestTime, 1e-15);
        Assert.Equal(0.125, l4.OrdoOverCvode, 1e-9);
        Assert.Equal("Radau", l4.ScipyBestMethod);
        Assert.Equal(Math.Pow(10, -0.5) / 5e-4, l4.ScipyOverOrdo, 1e-6);
        Assert.Equal(2 * Math.Pow(10, -2.5), l4.AutoTime, 1e-12);

        // 1e-5: only rodas4 (10 ms); CVODE never gets there.
        Assert.Equal(("rodas4", 1e-2), (l5.OrdoBestMethod, l5.OrdoBestTime));
        Assert.True(double.IsNaN(l5.CvodeTime));
        Assert.Equal(100, l5.ScipyOverOrdo, 1e-9);

        // Medians: Ordo/CVODE over {0.25, 0.125} = 0.1875 (met); scipy/Ordo over {60, 632, 100} = 100 (met);
        // auto/single over {4, 12.6, 2} = 4 (missed).
        TargetCheck cvode = c.Targets.Single(t => t.Target == StiffComparison.CvodeTarget);
        Assert.Equal(2, cvode.Ratios.Count);
        Assert.Equal(0.1875, cvode.Ratios.Median, 1e-9);
        Assert.True(cvode.Met);
        TargetCheck scipy = c.Targets.Single(t => t.Target == StiffComparison.ScipyTarget);
        Assert.Equal(100, scipy.Ratios.Median, 1e-9);
        Assert.True(scipy.Met);
        TargetCheck auto = c.Targets.Single(t => t.Target == StiffComparison.AutoTarget);
        Assert.Equal(4, auto.Ratios.Median, 1e-9);
        Assert.False(auto.Met);
    }

    [Fact]
    public void CvodeCsvParser_ReadsARunLine_AndIgnoresOthers()
    {
        StiffRun? r = CvodeRunner.ParseRunLine(
            "ROBER_1e11,1,0.001,1e-09,success,0,9.579785e-04,50,2.085869e-03,627,0,10,83,472,11,3,2.2962726036349453e-08 9.1850904778948467e-14 0.99999997703717991");
        Assert.NotNull(r);
        Assert.Equal((StiffRun.Cvode, "ROBER_1e11", "bdf", "success"), (r.Library, r.Problem, r.Method, r.Status));
        Assert.Equal((1e-3, 1e-9), (r.RelativeTolerance, r.AbsoluteTolerance));
        Assert.Equal(9.579785e-4, r.TimeSeconds, 1e-15);
        Assert.Equal(2.085869e-3, r.Error, 1e-15);
        Assert.Equal((50, 627L, 10L, 83L, 472, 11), (r.TimedSolves, r.RhsEvaluations, r.JacobianEvaluations, r.LuDecompositions, r.Steps, r.RejectedSteps));

        StiffRun? dq = CvodeRunner.ParseRunLine("E5,0,1e-06,1e-26,failed,-3,1.0e-03,1,nan,500,40,4,30,200,9,1,1 2 3 4");
        Assert.NotNull(dq);
        Assert.Equal(("bdf-dq", "failed", 540L), (dq.Method, dq.Status, dq.RhsEvaluations));
        Assert.Contains("-3", dq.Message, StringComparison.Ordinal);
        Assert.False(dq.IsUsable);

        Assert.Null(CvodeRunner.ParseRunLine("problem,jac,rtol,atol,status,flag,time_s,repeats,error,nfe,nfe_ls,nje,nsetups,steps,netf,ncfn,y_final"));
        Assert.Null(CvodeRunner.ParseRunLine("unknown,FOO"));
        Assert.Null(CvodeRunner.ParseRunLine(""));
    }

    [Fact]
    public void Cvode_MissingCompiler_SkipsWithAMessage()
    {
        BaselineOutcome o = new CvodeRunner("/nonexistent/gcc").Run(OdeTestProblems.Stiff, [1e-4], Path.GetTempPath());
        Assert.False(o.Available);
        Assert.Contains("CVODE comparison skipped", o.Message, StringComparison.Ordinal);
        Assert.Contains("not found", o.Message, StringComparison.Ordinal);
        Assert.Empty(o.Runs);
    }

    /// <summary>Builds bench/cvode/cvode_stiff.c, checks its f and J on every stiff problem against the C# ones, and
    /// reproduces the counters of ../shared/research/ode-data/cvode_rober_results.csv (CVODE 6.4.1 on ROBER 1e11,
    /// atol = 1e-6 · rtol) exactly. Without gcc or SUNDIALS the runner must say so cleanly instead.</summary>
    [Fact]
    public void Cvode_BuildsChecksAndReproducesTheResearchCounters_OrSkipsCleanly()
    {
        string dir = Directory.CreateTempSubdirectory("ordo-cvode-test-").FullName;
        try
        {
            bool present = CvodeRunner.FindExecutable("gcc") is not null && File.Exists("/usr/include/cvode/cvode.h");
            BaselineOutcome checks = new CvodeRunner().Run(OdeTestProblems.Stiff, [], dir);
            if (!present)
            {
                Assert.False(checks.Available);
                Assert.StartsWith("CVODE comparison skipped:", checks.Message, StringComparison.Ordinal);
                return;
            }
            Assert.True(checks.Available, checks.Message);
            Assert.Equal(OdeTestProblems.Stiff.Count, checks.Checks.Count);
            Assert.All(checks.Checks, c => Assert.True(c.Matches, $"{c.Problem}: f {c.MaxRhsDifference}, J {c.MaxJacobianDifference}"));

            BaselineOutcome o = new CvodeRunner().Run([OdeTestProblems.Get("ROBER_1e11")], [1e-3, 1e-6, 1e-9], dir,
                differenceQuotient: true, minTotalSeconds: 0, maxRepeats: 1);
            Assert.True(o.Available, o.Message);
            // (rtol, exact Jacobian?) -> steps, RHS calls (nfe + nfeLS), Jacobian evaluations, LU setups.
            var expected = new Dictionary<(double, string), (int, long, long, long)>
            {
                [(1e-3, "bdf")] = (472, 627, 10, 83), [(1e-3, "bdf-dq")] = (449, 622 + 30, 10, 87),
                [(1e-6, "bdf")] = (1073, 1455, 20, 182), [(1e-6, "bdf-dq")] = (1100, 1502 + 60, 20, 186),
                [(1e-9, "bdf")] = (2863, 3535, 51, 374), [(1e-9, "bdf-dq")] = (2900, 3611 + 159, 53, 383),
            };
            Assert.Equal(6, o.Runs.Count);
            foreach (StiffRun r in o.Runs)
            {
                Assert.Equal("success", r.Status);
                Assert.Equal(expected[(r.RelativeTolerance, r.Method)], (r.Steps, r.RhsEvaluations, r.JacobianEvaluations, r.LuDecompositions));
                Assert.True(r.TimeSeconds > 0);
                Assert.InRange(r.Error, 1e-12, 1e-1);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Scipy_MissingInterpreter_ReportsUnavailable()
    {
        BaselineOutcome o = new StiffScipyRunner("/nonexistent/python3").Run(OdeTestProblems.Stiff, ["Radau"], [1e-4]);
        Assert.False(o.Available);
        Assert.Contains("unavailable", o.Message, StringComparison.Ordinal);
        Assert.Empty(o.Runs);
    }

    /// <summary>scipy's f and J of every stiff problem match the C# ones, and Radau, BDF and LSODA solve ROBER_40 at
    /// rtol 1e-4 to about the tolerance; without scipy the runner must report "unavailable" instead.</summary>
    [Fact]
    public void Scipy_OnRober40_ChecksAndSolves_OrReportsUnavailable()
    {
        var options = new StiffBenchmarkOptions { MinTimePerPoint = TimeSpan.FromSeconds(0.02) };
        BaselineOutcome checks = new StiffScipyRunner().Run(OdeTestProblems.Stiff, ["Radau"], [], options);
        if (!ScipyImports())
        {
            Assert.False(checks.Available);
            Assert.Contains("unavailable", checks.Message, StringComparison.Ordinal);
            return;
        }
        Assert.True(checks.Available, checks.Message);
        Assert.All(checks.Checks, c => Assert.True(c.Matches, $"{c.Problem}: f {c.MaxRhsDifference}, J {c.MaxJacobianDifference}"));
        Assert.Equal(OdeTestProblems.Stiff.Count, checks.Checks.Count);

        BaselineOutcome o = new StiffScipyRunner().Run([OdeTestProblems.Get("ROBER_40")], ["Radau", "BDF", "LSODA"], [1e-4], options);
        Assert.True(o.Available, o.Message);
        Assert.Equal(["Radau", "BDF", "LSODA"], o.Runs.Select(r => r.Method).ToArray());
        Assert.All(o.Runs, r =>
        {
            Assert.Equal("success", r.Status);
            Assert.Equal(StiffRun.Scipy, r.Library);
            Assert.InRange(r.Error, 1e-9, 1e-1);
            Assert.True(r.TimeSeconds > 0 && r.TimedSolves >= 1);
            Assert.True(r.RhsEvaluations > 0 && r.JacobianEvaluations > 0 && r.LuDecompositions > 0 && r.Steps > 0);
        });
    }

    [Theory]
    [InlineData(new[] { "--problems", "DETEST_A1" }, "unknown stiff problem 'DETEST_A1'")]
    [InlineData(new[] { "--methods", "nope" }, "unknown method 'nope'")]
    [InlineData(new[] { "--rtols", "2" }, "--rtols: tolerance 2 is not between 0 and 1")]
    public void Cli_StiffSuite_BadInput_ExitsTwoNamingIt(string[] extra, string message)
    {
        (int code, string output, string error) = CliRunner.Run(["bench", "--suite", "stiff", .. extra]);
        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal("", output);
    }

    /// <summary>The wiring end to end: one problem, one method, one tolerance, no baselines; the report files are
    /// written and the run is in the CSV.</summary>
    [Fact]
    public void Cli_StiffSuite_WritesTheReport()
    {
        string dir = Directory.CreateTempSubdirectory("ordo-stiff-cli-").FullName;
        try
        {
            (int code, string output, string error) = CliRunner.Run("bench", "--suite", "stiff", "--problems", "ROBER_40", "--methods", "rodas5p",
                "--rtols", "1e-4", "--no-scipy", "--no-cvode", "--out", dir);
            Assert.True(code == 0, error);
            Assert.Contains("stiff report written to", output, StringComparison.Ordinal);
            Assert.Contains("CVODE comparison not run (--no-cvode).", output, StringComparison.Ordinal);
            string[] csv = File.ReadAllLines(Path.Combine(dir, "stiff-results.csv"));
            Assert.Equal(2, csv.Length);
            Assert.StartsWith("Ordo,ROBER_40,rodas5p,0.0001,1E-08,success,", csv[1], StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, "stiff-wp-ROBER_40.png")));
            Assert.Contains("## Targets", File.ReadAllText(Path.Combine(dir, "stiff-report.md")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool ScipyImports()
    {
        if (!File.Exists(ScipyRunner.DefaultPythonPath)) return false;
        var psi = new ProcessStartInfo(ScipyRunner.DefaultPythonPath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("import scipy.integrate");
        psi.Environment.Remove("PYTHONPATH");
        using Process p = Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }
}
