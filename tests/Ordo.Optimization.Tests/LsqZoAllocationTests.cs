namespace Ordo.Optimization.Tests;

/// <summary>The per-iteration work of the least-squares and zeroth-order methods allocates nothing: two runs that stop
/// at different iteration limits allocate the same number of bytes.</summary>
public class LsqZoAllocationTests
{
    private static long AllocatedBy(Func<MinimizationResult> run, int expectedIterations)
    {
        run(); // warm up (JIT, statics)
        long before = GC.GetAllocatedBytesForCurrentThread();
        var r = run();
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(expectedIterations, r.Iterations);
        return bytes;
    }

    private static void SameAllocation(Func<int, MinimizationResult> runFor, int shortRun, int longRun)
    {
        long a = AllocatedBy(() => runFor(shortRun), shortRun);
        long b = AllocatedBy(() => runFor(longRun), longRun);
        Assert.True(b - a <= 64, $"{shortRun} iterations: {a} B, {longRun} iterations: {b} B");
    }

    [Fact]
    public void IterationsAllocateNothing()
    {
        // Meyer needs 124 lm iterations, so 10 and 40 both end at the limit.
        SameAllocation(k => new LevenbergMarquardt().Minimize(Mgh.Meyer(), [0.02, 4000, 250], options: new MinimizeOptions { MaxIterations = k }), 10, 40);
        SameAllocation(k => new GaussNewton().Minimize(Mgh.Rosenbrock(), [-1.2, 1], options: new MinimizeOptions { MaxIterations = k }), 3, 9);
        SameAllocation(k => new NelderMead().Minimize(new Rosenbrock(), [-1.2, 1], options: new MinimizeOptions { MaxIterations = k }), 10, 60);
        SameAllocation(k => new TwoPointZerothOrder { Directions = 3 }.Minimize(new Rosenbrock(), [-1.2, 1], options: new MinimizeOptions { MaxIterations = k }), 5, 40);
    }
}
