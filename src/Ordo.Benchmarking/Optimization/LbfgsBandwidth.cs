using System.Diagnostics;
using System.Numerics.Tensors;
using Ordo.Optimization;

namespace Ordo.Benchmarking.Optimization;

/// <summary>L-BFGS's iteration cost at large n against the memory-bandwidth bound.</summary>
/// <param name="Dimension">n.</param>
/// <param name="Memory">L-BFGS memory m.</param>
/// <param name="Iterations">Iterations timed.</param>
/// <param name="ReadBandwidthGBs">Measured streaming bandwidth (GB/s), a dot product over two 32 MB arrays, best of 20.</param>
/// <param name="SecondsPerIteration">Wall time per L-BFGS iteration, objective excluded.</param>
/// <param name="ObjectiveSecondsPerEvaluation">Wall time of one value-and-gradient evaluation of the test objective.</param>
/// <param name="EquivalentVectorPasses">SecondsPerIteration / (8·n bytes / bandwidth): how many streaming passes over an
/// n-vector the iteration costs.</param>
/// <param name="EvaluationsPerIteration">Objective evaluations per iteration (line-search trials).</param>
/// <param name="AllocatedBytesPerIteration">Managed bytes allocated per iteration after the first ten.</param>
public sealed record LbfgsBandwidthResult(int Dimension, int Memory, int Iterations, double ReadBandwidthGBs,
    double SecondsPerIteration, double ObjectiveSecondsPerEvaluation, double EquivalentVectorPasses,
    double EvaluationsPerIteration, double AllocatedBytesPerIteration);

/// <summary>
/// Measures L-BFGS (memory 10) at n = 10⁶ on a separable quadratic f = Σ cᵢ(xᵢ − 1)²/2 with cᵢ ∈ [1, 10⁴], whose
/// evaluation is one pass. The iteration's own cost (total time minus the measured objective time) is expressed in
/// "equivalent vector passes": time / (8n bytes / streaming bandwidth), compared with the passes over n-vectors that an
/// iteration must read or write (<see cref="PassesPerIteration"/>): their ratio is the distance from the memory-bandwidth
/// bound.
/// </summary>
public static class LbfgsBandwidth
{
    /// <summary>Vector passes (reads plus writes of n-vectors) of one L-BFGS iteration with m pairs and one trial point:
    /// 8m + 26, the count in <c>Lbfgs</c>'s class documentation (two-loop recursion with each axpy fused into the next dot,
    /// the pair update, the trial point and the line-search dots).</summary>
    public static double PassesPerIteration(int memory) => 8.0 * memory + 26;

    /// <summary>Runs the measurement (about a second at n = 10⁶).</summary>
    public static LbfgsBandwidthResult Measure(int n, int iterations = 60)
    {
        double bandwidth = StreamingBandwidth();
        var objective = new SeparableQuadratic(n);
        var x0 = new double[n];
        var g = new double[n];
        // Objective time per evaluation (best of 10).
        double best = double.PositiveInfinity;
        for (int k = 0; k < 10; k++)
        {
            var sw = Stopwatch.StartNew();
            objective.ValueAndGradient(x0, g);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        IMinimizer lbfgs = Minimizers.Create("lbfgs");
        var options = new MinimizeOptions { MaxIterations = iterations, GradientTolerance = 0, StallIterations = int.MaxValue };
        lbfgs.Minimize(objective, x0, options: options with { MaxIterations = 10 }); // warm-up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        var short10 = lbfgs.Minimize(objective, x0, options: options with { MaxIterations = 10 });
        long mid = GC.GetAllocatedBytesForCurrentThread();
        var swRun = Stopwatch.StartNew();
        var r = lbfgs.Minimize(objective, x0, options: options);
        double total = swRun.Elapsed.TotalSeconds;
        long after = GC.GetAllocatedBytesForCurrentThread();
        // Allocation per iteration: the difference between the long and the short run, per extra iteration.
        double allocPerIteration = r.Iterations > short10.Iterations
            ? (double)((after - mid) - (mid - before)) / (r.Iterations - short10.Iterations)
            : double.NaN;
        double own = (total - r.FunctionEvaluations * best) / Math.Max(1, r.Iterations);
        double passSeconds = 8.0 * n / (bandwidth * 1e9);
        return new LbfgsBandwidthResult(n, 10, r.Iterations, bandwidth, own, best, own / passSeconds,
            (double)r.FunctionEvaluations / Math.Max(1, r.Iterations), allocPerIteration);
    }

    /// <summary>Streaming read bandwidth in GB/s: a dot product over two 4·10⁶-element arrays (64 MB), best of 20.</summary>
    public static double StreamingBandwidth()
    {
        const int len = 4_000_000;
        var a = new double[len];
        var b = new double[len];
        a.AsSpan().Fill(1.0);
        b.AsSpan().Fill(0.5);
        double best = double.PositiveInfinity, sink = 0;
        for (int k = 0; k < 20; k++)
        {
            var sw = Stopwatch.StartNew();
            sink += TensorPrimitives.Dot<double>(a, b);
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        GC.KeepAlive(sink);
        return 2.0 * 8 * len / best / 1e9;
    }

    private sealed class SeparableQuadratic : IGradientObjective
    {
        private readonly double[] _c;

        public SeparableQuadratic(int n)
        {
            _c = new double[n];
            for (int i = 0; i < n; i++) _c[i] = Math.Pow(10, 4.0 * i / Math.Max(1, n - 1));
        }

        public int Dimension => _c.Length;

        public double Value(ReadOnlySpan<double> x)
        {
            double f = 0;
            for (int i = 0; i < x.Length; i++) { double d = x[i] - 1; f += 0.5 * _c[i] * d * d; }
            return f;
        }

        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            double f = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double d = x[i] - 1;
                double cd = _c[i] * d;
                gradient[i] = cd;
                f += 0.5 * cd * d;
            }
            return f;
        }
    }
}
