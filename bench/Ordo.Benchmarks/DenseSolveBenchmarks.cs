using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;
using Ordo.LinearAlgebra;

namespace Ordo.Benchmarks;

/// <summary>
/// Dense LU factor + solve of a random n×n system: Ordo's span-based <see cref="DenseLU"/> (copy A into a reused buffer,
/// factor in place, solve in place; no allocation) against MathNet.Numerics 5.0.0's managed provider,
/// <c>Matrix&lt;double&gt;.LU().Solve(b)</c> (allocates the factor and the result). Both include copying A, because
/// a Newton or implicit-ODE step factors a fresh matrix every time. Figures: docs/core/linear-algebra.md.
/// </summary>
[MemoryDiagnoser]
public class DenseSolveBenchmarks
{
    private double[] _a = [];
    private double[] _lu = [];
    private double[] _b = [];
    private double[] _x = [];
    private int[] _pivots = [];
    private Matrix<double> _m = null!;
    private Vector<double> _v = null!;

    [Params(4, 10, 30, 100)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(20261201);
        _a = Enumerable.Range(0, N * N).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        _b = Enumerable.Range(0, N).Select(_ => rng.NextDouble()).ToArray();
        _lu = new double[N * N];
        _x = new double[N];
        _pivots = new int[N];
        MathNet.Numerics.Control.UseManaged();
        _m = Matrix<double>.Build.Dense(N, N, (i, j) => _a[i * N + j]);
        _v = Vector<double>.Build.DenseOfArray(_b);
    }

    [Benchmark(Baseline = true)]
    public double MathNetLuSolve() => _m.LU().Solve(_v)[0];

    [Benchmark]
    public double OrdoLuSolve()
    {
        _a.CopyTo(_lu, 0);
        _b.CopyTo(_x, 0);
        DenseLU.FactorAndSolve(_lu, N, _pivots, _x);
        return _x[0];
    }
}
