using Ordo.Benchmarking;
using Ordo.Integration;
using Ordo.Problems;

namespace Ordo.Cli.Tests;

public sealed class OdeBenchmarkTests
{
    private static readonly OdeTestProblem Oscillator = new("Oscillator", "nonstiff", "harmonic oscillator x'' = -x",
        (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, 0, 2, [1.0, 0.0], [Math.Cos(2), -Math.Sin(2)], "closed form", 1e-3);

    private static readonly OdeTestProblem NoReference = new("NoReference", "nonstiff", "y' = -2y without a reference",
        (t, y, dy) => dy[0] = -2 * y[0], 0, 1, [1.0], null, "", 1e-3);

    private static OdeBenchmarkOptions Quick => new()
    {
        Problems = [Oscillator, NoReference],
        Methods = [OdeMethods.DormandPrince54, OdeMethods.Tsitouras54],
        RelativeTolerances = [1e-4, 1e-7],
        RunScipy = false,
        WarmUpTime = TimeSpan.FromMilliseconds(20),
        MinTimePerRun = TimeSpan.FromMilliseconds(5),
        MinBatches = 2,
    };

    [Fact]
    public void Run_MeasuresEveryPoint()
    {
        OdeBenchmarkResult r = OdeBenchmark.Run(Quick);
        Assert.Equal(8, r.Runs.Count);
        Assert.All(r.Runs, run =>
        {
            Assert.Equal(BenchmarkSide.Ordo, run.Side);
            Assert.Equal("success", run.Status);
            Assert.True(run.TimeSeconds > 0 && run.TimedSolves >= 2);
            Assert.True(run.RhsEvaluations > 0 && run.AcceptedSteps > 0);
            Assert.Equal(1e-3 * run.RelativeTolerance, run.AbsoluteTolerance, 1e-20);
            Assert.True(double.IsFinite(r.Overhead(run)) && r.Overhead(run) > 0);
        });
        // With a reference: a small error that shrinks with the tolerance. Without: no error.
        BenchmarkRun loose = r.Runs.Single(x => x.Problem == "Oscillator" && x.Method == "dp5" && x.RelativeTolerance == 1e-4);
        BenchmarkRun tight = r.Runs.Single(x => x.Problem == "Oscillator" && x.Method == "dp5" && x.RelativeTolerance == 1e-7);
        Assert.InRange(loose.Error, 1e-9, 1e-3);
        Assert.True(tight.Error < loose.Error);
        Assert.True(tight.RhsEvaluations > loose.RhsEvaluations);
        Assert.All(r.Runs.Where(x => x.Problem == "NoReference"), x => Assert.True(double.IsNaN(x.Error)));
        Assert.Equal(2, r.RhsTimings.Count);
        Assert.Empty(r.Comparison.EqualError);
        Assert.False(r.Scipy.Available);
        MethodSummary dp5 = r.MethodSummaries.Single(m => m.Method == "dp5");
        Assert.Equal((4, 0), (dp5.Runs, dp5.Failures));
        Assert.Null(dp5.VsScipy);
    }

    [Fact]
    public void FailedSolve_IsReportedNotTimed()
    {
        // y' = y², y(0) = 1 blows up at t = 1: the solve to t = 2 cannot succeed.
        var blowUp = new OdeTestProblem("BlowUp", "nonstiff", "y' = y^2", (t, y, dy) => dy[0] = y[0] * y[0], 0, 2, [1.0], [1.0], "", 1e-3);
        OdeBenchmarkResult r = OdeBenchmark.Run(Quick with { Problems = [blowUp], Methods = [OdeMethods.DormandPrince54], RelativeTolerances = [1e-4] });
        BenchmarkRun run = Assert.Single(r.Runs);
        Assert.NotEqual("success", run.Status);
        Assert.False(run.IsUsable);
        Assert.True(double.IsNaN(run.TimeSeconds));
        Assert.NotEmpty(run.Message);
    }

    [Fact]
    public void Report_WithAProblemWithoutReference_StillWritesEverything()
    {
        OdeBenchmarkResult r = OdeBenchmark.Run(Quick);
        string dir = Directory.CreateTempSubdirectory("ordo-report-").FullName;
        try
        {
            ReportFiles files = BenchmarkReport.Write(r, dir);
            Assert.True(File.Exists(files.Markdown) && File.Exists(files.Csv));
            Assert.Equal(2, files.Plots.Count); // time and RHS diagrams of the problem with a reference
            string md = File.ReadAllText(files.Markdown);
            Assert.Contains("no reference solution", md, StringComparison.Ordinal);
            Assert.Contains("wp-time-Oscillator.png", md, StringComparison.Ordinal);
            Assert.Equal(9, File.ReadAllLines(files.Csv).Length);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Options_RejectFixedStepMethodsAndBadTolerances()
    {
        Assert.Throws<ArgumentException>(() => (Quick with { Methods = [OdeMethods.RungeKutta4] }).Validate());
        Assert.Throws<ArgumentException>(() => (Quick with { RelativeTolerances = [0] }).Validate());
        Assert.Throws<ArgumentException>(() => (Quick with { RelativeTolerances = [1e-16] }).Validate());
    }

    [Fact]
    public void ConvergenceStudy_DetestD1_EveryMethodShowsItsOrder()
    {
        // The report's convergence figure, checked: on the Kepler orbit D1 (closed form through Kepler's equation) every
        // method's fitted slope is within 0.3 of its classical order.
        ConvergenceStudy study = ConvergenceStudy.Run(OdeTestProblems.Get("DETEST_D1"), OdeMethods.All);
        Assert.Equal(OdeMethods.All.Count, study.Fits.Count);
        foreach (ConvergenceFit fit in study.Fits)
        {
            Assert.Equal(3, fit.Points);
            Assert.InRange(fit.Slope, fit.Order - 0.3, fit.Order + 0.3);
        }
    }

    [Fact]
    public void ConvergenceStudy_ProblemWithoutClosedForm_Throws() =>
        Assert.Throws<ArgumentException>(() => ConvergenceStudy.Run(OdeTestProblems.Get("Arenstorf"), OdeMethods.All));
}
