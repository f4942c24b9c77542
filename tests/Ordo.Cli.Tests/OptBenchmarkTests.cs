using Ordo.Benchmarking.Optimization;
using Ordo.Cli;

namespace Ordo.Cli.Tests;

public class OptBenchmarkTests
{
    [Fact]
    public void ProfilesMatchTheirDefinitionsOnAHandTable()
    {
        // Two problems, three solvers; costs to pass the test (+∞: never).
        var costs = new List<IReadOnlyDictionary<string, double>>
        {
            new Dictionary<string, double> { ["a"] = 10, ["b"] = 20, ["c"] = double.PositiveInfinity },
            new Dictionary<string, double> { ["a"] = 90, ["b"] = 30, ["c"] = 60 },
        };
        double[] alphas = [1, 2, 3, 1e9];
        // a: ratios 1 and 3; b: 2 and 1; c: ∞ and 2.
        Assert.Equal([0.5, 0.5, 1, 1], Profiles.Performance(costs, "a", alphas));
        Assert.Equal([0.5, 1, 1, 1], Profiles.Performance(costs, "b", alphas));
        Assert.Equal([0, 0.5, 0.5, 0.5], Profiles.Performance(costs, "c", alphas));
        // Data profile with n = 1 and n = 9: t/(n+1) = a: 5, 9; c: ∞, 6.
        double[] kappas = [5, 6, 9];
        Assert.Equal([0.5, 0.5, 1], Profiles.Data(costs, [1, 9], "a", kappas));
        Assert.Equal([0, 0.5, 0.5], Profiles.Data(costs, [1, 9], "c", kappas));
    }

    [Fact]
    public void SmallOptRunAgreesWithTheScipyBaselineAndCountsConsistently()
    {
        var options = new OptBenchmarkOptions
        {
            Methods = ["lm", "bfgs"],
            ProblemIds = [1, 5],
            ScipyMethods = ["BFGS", "ls-lm"],
            Repeat = 1,
            RunBandwidth = false,
        };
        OptBenchmarkResult result = OptBenchmark.Run(options);
        Assert.Equal(4, result.Runs.Count(r => r.Side == "Ordo"));
        foreach (OptRun run in result.Runs.Where(r => r.Side == "Ordo"))
        {
            Assert.True(run.Solved(1e-6), $"{run.Method} on MGH {run.ProblemId}: f = {run.F}");
            // The cost to a tighter τ is never smaller, and it is at most the run's total cost nf + n·ng.
            for (int i = 1; i < run.CostTo.Count; i++) Assert.True(run.CostTo[i] >= run.CostTo[i - 1]);
            Assert.Equal(0, run.HessianWork);
            Assert.True(run.CostTo[^1] <= run.FunctionEvaluations + (double)run.N * run.GradientEvaluations);
        }
        if (result.Runs.Any(r => r.Side == "scipy"))
        {
            // research/opt-data/scipy_mgh_results.csv (scipy 1.10.1, the research team's run): BFGS takes 39
            // evaluations on Rosenbrock, least_squares(method="lm") 21.
            OptRun bfgs1 = result.Runs.Single(r => r.Side == "scipy" && r.Method == "BFGS" && r.ProblemId == 1);
            Assert.Equal(39, bfgs1.FunctionEvaluations);
            OptRun lm1 = result.Runs.Single(r => r.Side == "scipy" && r.Method == "ls-lm" && r.ProblemId == 1);
            Assert.Equal(21, lm1.FunctionEvaluations);
            Assert.True(bfgs1.Solved(1e-6) && lm1.Solved(1e-6));
        }
        else
        {
            Assert.Contains("skipped", result.ScipyMessage);
        }
        OptMethodSummary lm = result.Summaries.Single(s => s.Side == "Ordo" && s.Method == "lm");
        Assert.Equal(2, lm.SolvedPrimary);
        Assert.Equal(0, lm.ClaimedButUnsolved);
    }

    [Fact]
    public void OptOptionsRejectBadValues()
    {
        Assert.Throws<BadInputException>(() => BenchCommand.BuildOptOptions(null, "36", true));
        var e = Assert.Throws<BadInputException>(() => BenchCommand.BuildOptOptions("no-such", null, true));
        Assert.Contains("Unknown minimization method", e.Message);
        var o = BenchCommand.BuildOptOptions("lm,LM,bfgs", "3,1,3", false);
        Assert.Equal(["lm", "bfgs"], o.Methods);
        Assert.Equal([1, 3], o.ProblemIds);
        Assert.False(o.RunScipy);
    }
}
