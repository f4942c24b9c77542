namespace Ordo.Expressions.Tests;

/// <summary>Compiled functions allocate nothing per call and can be shared between threads.</summary>
public class AllocationAndThreadingTests
{
    private const string Objective =
        "sum(i, 1, n-1, 100*(x[i+1] - x[i]^2)^2 + (1 - x[i])^2) + w[1]*if(x[1] > 0 and y < 2, log(1 + x[1]^2), exp(-y)) " +
        "+ max(x[2], y, 0.5)*atan2(y, x[3]) + prod(k, 1, 3, cos(x[k]*t)) - sqrt(abs(y) + 1)/x[4]";

    private static ExpressionContext Context() => new ExpressionContext()
        .AddVectorVariable("x", 5).AddVariable("y").AddTime().AddParameter("n", 5).AddData("w", [0.5, 2]);

    private static readonly string[] s_rhs =
    [
        "x[2]", "-x[1] + y*(1 - x[1]^2)*x[2]", "sum(i, 1, 5, w[1]*x[i]) - t", "if(x[4] > 0, x[4]*x[5], -x[5])", "min(x[1], x[2], y)^2", "sin(t*y)",
    ];

    private static long Allocated(Action action)
    {
        for (int i = 0; i < 200; i++) action();   // warm-up: lazy compilation, JIT tiers, pools
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static object? s_escape;

    [Fact]
    public void AllocationMeasurement_SeesAnAllocation()
    {
        Assert.True(Allocated(() => s_escape = new double[1]) >= 1000 * 32);
        Assert.NotNull(s_escape);
    }

    [Fact]
    public void Evaluate_AndValueAndGradient_AllocateNothing()
    {
        CompiledScalarFunction f = ExpressionCompiler.CompileScalar(Objective, Context());
        double[] x = [0.3, -0.7, 1.1, 2.0, 0.4, 0.9];
        double[] g = new double[6], v = [1, 0, -1, 0.5, 0, 2], hv = new double[6], h = new double[36];
        double sink = 0;
        Assert.Equal(0, Allocated(() => sink += f.Evaluate(x, 0.25)));
        Assert.Equal(0, Allocated(() => sink += f.ValueAndGradient(x, g, 0.25)));
        Assert.Equal(0, Allocated(() => f.HessianVectorProduct(x, v, hv, 0.25)));
        Assert.Equal(0, Allocated(() => f.Hessian(x, h, 0.25)));
        Assert.True(double.IsFinite(sink));
    }

    [Fact]
    public void VectorEvaluate_AndJacobian_AllocateNothing()
    {
        CompiledVectorFunction f = ExpressionCompiler.CompileVector(s_rhs, Context());
        double[] x = [0.3, -0.7, 1.1, 2.0, 0.4, 0.9];
        double[] r = new double[6], j = new double[36];
        Assert.Equal(0, Allocated(() => f.Evaluate(0.25, x, r)));
        Assert.Equal(0, Allocated(() => f.Jacobian(0.25, x, j)));
    }

    private static double[][] Points(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 6).Select(_ => rng.NextDouble() * 4 - 2).ToArray()).ToArray();
    }

    /// <summary>Everything the compiled functions give at one point, for comparison.</summary>
    private static double[] Results(CompiledScalarFunction f, CompiledVectorFunction F, double[] x, double t)
    {
        var g = new double[6];
        var hv = new double[6];
        var r = new double[6];
        var j = new double[36];
        double value = f.Evaluate(x, t);
        double value2 = f.ValueAndGradient(x, g, t);
        f.HessianVectorProduct(x, [1, -1, 0.5, 0, 2, 1], hv, t);
        F.Evaluate(t, x, r);
        F.Jacobian(t, x, j);
        return [value, value2, .. g, .. hv, .. r, .. j];
    }

    [Fact]
    public void CompiledFunctions_UsedFromManyThreads_GiveTheSequentialResults()
    {
        double[][] points = Points(300, 11);
        // Fresh functions: the first derivative calls (which compile the lazy code) race on purpose.
        CompiledScalarFunction f = ExpressionCompiler.CompileScalar(Objective, Context());
        CompiledVectorFunction F = ExpressionCompiler.CompileVector(s_rhs, Context());
        const int threads = 8;
        var results = new double[threads][][];
        using var start = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(w => new Thread(() =>
        {
            start.SignalAndWait();
            var mine = new double[points.Length][];
            // Each thread walks the points in its own order, so different points run at the same time.
            for (int k = 0; k < points.Length; k++)
            {
                int i = (k * 7 + w * 37) % points.Length;
                mine[i] = Results(f, F, points[i], 0.1 * i);
            }
            results[w] = mine;
        })).ToArray();
        foreach (Thread worker in workers) worker.Start();
        foreach (Thread worker in workers) worker.Join();

        // The sequential reference, from separately compiled functions.
        CompiledScalarFunction f2 = ExpressionCompiler.CompileScalar(Objective, Context());
        CompiledVectorFunction F2 = ExpressionCompiler.CompileVector(s_rhs, Context());
        for (int i = 0; i < points.Length; i++)
        {
            double[] expected = Results(f2, F2, points[i], 0.1 * i);
            for (int w = 0; w < threads; w++)
            {
                Assert.NotNull(results[w]);
                double[] actual = results[w][i];
                for (int k = 0; k < expected.Length; k++)
                    Assert.True(BitConverter.DoubleToInt64Bits(expected[k]) == BitConverter.DoubleToInt64Bits(actual[k]) || (double.IsNaN(expected[k]) && double.IsNaN(actual[k])),
                        $"thread {w}, point {i}, entry {k}: {actual[k]:R} instead of {expected[k]:R}");
            }
        }
    }

    [Fact]
    public void CompileScalar_FromManyThreadsAtOnce_Works()
    {
        // Compilation itself shares no state between calls either.
        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var f = ExpressionCompiler.CompileScalar($"sum(k, 1, {i + 1}, x[1]^k)", new ExpressionContext().AddVectorVariable("x", 1));
            double expected = Enumerable.Range(1, i + 1).Sum(k => Math.Pow(0.5, k));   // exact: sums of powers of two
            if (f.Evaluate([0.5]) != expected) errors.Add($"{i}: {f.Evaluate([0.5])} vs {expected}");
        });
        Assert.Empty(errors);
    }
}
