using Ordo.Benchmarking.Sde;
using Ordo.Cli;

namespace Ordo.Cli.Tests;

public class SdeBenchmarkTests
{
    [Fact]
    public void ClosedFormMomentsMatchTheResearchValues()
    {
        // research sde.md §5.5 (expected_values.json): GBM exact E X = 1.372800507508, E X² = 4.017282338753;
        // Euler–Maruyama N = 16: E X = 1.331432947157, sd X = 1.282026446319, E X² = 3.416305501837, sd X² = 10.46226715422.
        SdeMoments gbm = SdeBenchProblems.Gbm.Exact!;
        Assert.Equal(1.372800507508, gbm.Mean, 1e-11);
        Assert.Equal(4.017282338753 - 1.372800507508 * 1.372800507508, gbm.Variance, 1e-10);
        SdeMoments em = SdeBenchProblems.Gbm.EulerMaruyama!(16);
        Assert.Equal(1.331432947157, em.Mean, 1e-11);
        Assert.Equal(1.282026446319 * 1.282026446319, em.Variance, 1e-10);
        // Var(X²) = E X⁴ − (E X²)²; E X⁴ from the fourth central moment: μ₄ = E X⁴ − 4 E X³ m + 6 E X² m² − 3m⁴, and
        // E X³ = X0³ (a³ + 3a s²)^N (the same product law), so the check is on the whole formula.
        double h = 1.0 / 16, a = 1 + SdeBenchProblems.GbmMu * h, s2 = SdeBenchProblems.GbmSigma * SdeBenchProblems.GbmSigma * h;
        double m = em.Mean, r2 = 3.416305501837, r3 = Math.Pow(SdeBenchProblems.GbmX0, 3) * Math.Pow(a * a * a + 3 * a * s2, 16);
        double r4 = em.FourthCentral + 4 * r3 * m - 6 * r2 * m * m + 3 * m * m * m * m;
        Assert.Equal(10.46226715422, Math.Sqrt(r4 - r2 * r2), 1e-8);
        // OU exact mean 0.864664716763, variance 0.157069497778; Euler–Maruyama N = 16: 0.881932912979, 0.168287601146.
        Assert.Equal(0.864664716763, SdeBenchProblems.Ou.Exact!.Mean, 1e-11);
        Assert.Equal(0.157069497778, SdeBenchProblems.Ou.Exact!.Variance, 1e-11);
        Assert.Equal(0.881932912979, SdeBenchProblems.Ou.EulerMaruyama!(16).Mean, 1e-11);
        Assert.Equal(0.168287601146, SdeBenchProblems.Ou.EulerMaruyama!(16).Variance, 1e-11);
    }

    [Fact]
    public void SmallSdeRunMeasuresBothSidesAndTheyComputeTheSameThing()
    {
        var options = new SdeBenchmarkOptions
        {
            Paths = 2000, Steps = 20, Repeat = 1, WarmUp = TimeSpan.Zero,
            FixedMethods = ["shark"], AdaptiveMethods = ["sriw1"], AdaptiveTolerances = [1e-2],
        };
        SdeBenchmarkResult result = SdeBenchmark.Run(options);
        foreach (SdeBenchProblem p in SdeBenchProblems.All)
        {
            SdeBenchRun em = result.OrdoEuler(p.Name, 1)!;
            Assert.Equal(options.EulerPaths(p), em.Paths);
            Assert.Equal((long)em.Paths * options.Steps, em.PathSteps);
            Assert.Equal(0, em.FailedPaths);
            Assert.True(em.Throughput > 0 && double.IsFinite(em.Throughput));
            // Zero allocation per step: the ensemble's set-up and statistics blocks only (a heap object per step would
            // be at least 24 bytes per path-step; the set-up spread over these few path-steps is under 2).
            Assert.InRange(em.BytesPerPathStep, 0, 8.0);
            if (Environment.ProcessorCount > 1)
            {
                SdeBenchRun all = result.OrdoEuler(p.Name, Environment.ProcessorCount)!;
                Assert.Equal(em.Mean, all.Mean); // reproducible whatever the thread count
            }
            if (p.EulerMaruyama is { } moments)
            {
                SdeMoments exact = moments(options.Steps);
                Assert.True(Math.Abs(em.Mean[0] - exact.Mean) <= 5 * exact.MeanStandardError(em.Paths),
                    $"{p.Name}: Ordo mean {em.Mean[0]} against the exact Euler–Maruyama mean {exact.Mean}");
            }
        }
        // shark needs additive noise: run on OU and DW8, not on GBM; the adaptive sriw1 runs everywhere.
        Assert.DoesNotContain(result.Runs, r => r.Problem == "GBM" && r.Method == "shark");
        Assert.Contains(result.Runs, r => r.Problem == "OU" && r.Method == "shark" && !r.Adaptive);
        Assert.Equal(3, result.Runs.Count(r => r.Method == "sriw1" && r.Adaptive && r.FailedPaths == 0 && r.RejectedSteps >= 0));
        if (result.Runs.Any(r => r.Side == "numpy"))
        {
            foreach (SdeBenchProblem p in SdeBenchProblems.All)
            {
                SdeBenchRun numpy = result.NumpyBest(p.Name)!, ordo = result.OrdoEuler(p.Name, 1)!;
                Assert.Equal(ordo.Paths, numpy.Paths);
                Assert.Equal(ordo.PathSteps, numpy.PathSteps);
                Assert.Equal(p.Dimension, numpy.Mean.Count);
                for (int i = 0; i < p.Dimension; i++)
                {
                    // Same SDE, same h, different random numbers: the means agree within 5 combined standard errors.
                    double se = Math.Sqrt(ordo.Variance[i] / ordo.Paths + numpy.Variance[i] / numpy.Paths);
                    Assert.True(Math.Abs(ordo.Mean[i] - numpy.Mean[i]) <= 5 * se, $"{p.Name}[{i}]: Ordo {ordo.Mean[i]}, numpy {numpy.Mean[i]}");
                }
            }
            Assert.True(double.IsFinite(result.Noise.NumpyNanoseconds));
        }
        else
        {
            Assert.Contains("skipped", result.NumpyMessage, StringComparison.Ordinal);
        }

        string dir = Path.Combine(Path.GetTempPath(), "ordo-sde-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            SdeReportFiles files = SdeBenchmarkReport.Write(result, dir);
            string md = File.ReadAllText(files.Markdown);
            Assert.Contains("Ordo/numpy 1 thread", md, StringComparison.Ordinal);
            Assert.Contains("Euler–Maruyama exact, N = 20", md, StringComparison.Ordinal);
            string[] csv = File.ReadAllLines(files.Csv);
            Assert.Equal(result.Runs.Count + 1, csv.Length);
            Assert.All(csv.Skip(1), line => Assert.Equal(csv[0].Split(',').Length, line.Split(',').Length));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BenchSdeWritesTheReportAndPrintsTheRatioTable()
    {
        string dir = Path.Combine(Path.GetTempPath(), "ordo-sde-cli-" + Guid.NewGuid().ToString("N"));
        try
        {
            (int code, string output, string error) = CliRunner.Run("bench", "--suite", "sde", "--problems", "GBM", "--paths", "640",
                "--sde-steps", "10", "--no-numpy", "--out", dir);
            Assert.True(code == 0, error);
            Assert.Contains("Ordo/numpy 1 thread", output, StringComparison.Ordinal);
            Assert.Contains("numpy comparison not requested (--no-numpy).", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, "sde-report.md")));
            Assert.True(File.Exists(Path.Combine(dir, "sde.csv")));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void SdeOptionsRejectBadValues()
    {
        var e = Assert.Throws<BadInputException>(() => BenchCommand.BuildSdeOptions("GBM,nope", null, null, true));
        Assert.Contains("unknown SDE problem 'nope'", e.Message, StringComparison.Ordinal);
        Assert.Throws<BadInputException>(() => BenchCommand.BuildSdeOptions(null, "0", null, true));
        Assert.Throws<BadInputException>(() => BenchCommand.BuildSdeOptions(null, null, "-3", true));
        Assert.Throws<BadInputException>(() => BenchCommand.BuildSdeOptions(null, "20000000", null, true));
        SdeBenchmarkOptions o = BenchCommand.BuildSdeOptions("ou,GBM,OU", "5000", "50", false);
        Assert.Equal(["OU", "GBM"], o.Problems);
        Assert.Equal(5000, o.Paths);
        Assert.Equal(50, o.Steps);
        Assert.False(o.RunNumpy);
    }
}
