namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// Issue 7, "zero allocation per step": a single-threaded ensemble (MaxDegreeOfParallelism = 1 runs every block on the
/// calling thread) allocates its set-up and one statistics block per 64 paths, and nothing per step or per path.
/// Measured with GC.GetAllocatedBytesForCurrentThread after a warm-up ensemble of the same configuration.
/// </summary>
public class SdeAllocationTests
{
    private static (long Bytes, SdeEnsembleResult Result) Allocated(SdeProblem problem, SdeMethod method, SdeOptions options, int paths)
    {
        var ensemble = new SdeEnsembleOptions { Paths = paths, Quantiles = [], MaxDegreeOfParallelism = 1 };
        SdeEnsemble.Solve(problem, method, options, ensemble with { Paths = 64 }); // warm-up
        long before = GC.GetAllocatedBytesForCurrentThread();
        SdeEnsembleResult result = SdeEnsemble.Solve(problem, method, options, ensemble);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(SdeStatus.Success, result.Status);
        return (allocated, result);
    }

    public static TheoryData<string, string> FixedStepCases => new()
    {
        { "GBM", "euler-maruyama" }, { "GBM", "milstein" }, { "GBM", "sriw1" },
        { "OU", "euler-maruyama" }, { "OU", "shark" }, { "OU", "sra1" },
    };

    private static SdeProblem Problem(string name) => name == "GBM" ? SdeReferenceProblems.Gbm() : SdeReferenceProblems.Ou();

    [Theory]
    [MemberData(nameof(FixedStepCases))]
    public void FixedStepEnsembleAllocatesNothingPerStepAndAFewBytesPerPath(string problemName, string methodName)
    {
        SdeProblem problem = Problem(problemName);
        SdeMethod method = SdeMethods.Get(methodName);
        // 40× more steps: the same allocation (nothing per step).
        long fewSteps = Allocated(problem, method, new SdeOptions { FixedStep = 1.0 / 10, Seed = 7 }, 320).Bytes;
        long manySteps = Allocated(problem, method, new SdeOptions { FixedStep = 1.0 / 400, Seed = 7 }, 320).Bytes;
        Assert.True(Math.Abs(manySteps - fewSteps) <= 256,
            $"{methodName} on {problemName}: {fewSteps} bytes for 320 paths × 10 steps, {manySteps} for 320 × 400 steps");
        // 10× more paths: one statistics block per 64 paths, far below a byte per path-step.
        long manyPaths = Allocated(problem, method, new SdeOptions { FixedStep = 1.0 / 10, Seed = 7 }, 3200).Bytes;
        long perExtraPath = (manyPaths - fewSteps) / (3200 - 320);
        Assert.True(manyPaths > fewSteps, "the blocks of the ensemble must be counted on this thread (MaxDegreeOfParallelism = 1)");
        Assert.True(perExtraPath <= 16, $"{methodName} on {problemName}: {perExtraPath} bytes per extra path (at most 16 expected: a block of statistics per 64 paths)");
    }

    [Theory]
    [InlineData("GBM", "sriw1")]
    [InlineData("OU", "shark")]
    public void AdaptiveEnsembleAllocationDoesNotGrowWithTheSteps(string problemName, string methodName)
    {
        SdeProblem problem = Problem(problemName);
        SdeMethod method = SdeMethods.Get(methodName);
        var loose = new SdeOptions { RelativeTolerance = 1e-1, AbsoluteTolerance = 1e-1, Seed = 3 };
        var tight = new SdeOptions { RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-3, Seed = 3 };
        var (looseBytes, looseRun) = Allocated(problem, method, loose, 64);
        var (tightBytes, tightRun) = Allocated(problem, method, tight, 64);
        Assert.True(tightRun.Stats.AcceptedSteps > 5 * looseRun.Stats.AcceptedSteps,
            $"the tight tolerance must take many more steps ({looseRun.Stats.AcceptedSteps} vs {tightRun.Stats.AcceptedSteps})");
        Assert.True(Math.Abs(tightBytes - looseBytes) <= 256,
            $"{methodName} on {problemName}: {looseBytes} bytes at rtol 1e-1 ({looseRun.Stats.AcceptedSteps} steps), {tightBytes} at 1e-3 ({tightRun.Stats.AcceptedSteps} steps)");
    }
}
