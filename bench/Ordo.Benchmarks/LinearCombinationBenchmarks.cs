using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;

namespace Ordo.Benchmarks;

/// <summary>
/// Why the stage combination is one fused kernel (<see cref="Blas1.LinearCombination{T}"/>): the last DP5 stage,
/// z = y + h(a₁k₁ + … + a₆k₆), done in one pass against the textbook chain of axpys (copy y, then six
/// <see cref="TensorPrimitives.MultiplyAdd(ReadOnlySpan{double}, double, ReadOnlySpan{double}, Span{double})"/> calls).
/// </summary>
[MemoryDiagnoser]
public class LinearCombinationBenchmarks
{
    private double[] _stages = [];
    private double[] _y = [];
    private double[] _z = [];
    private readonly int[] _indices = [0, 1, 2, 3, 4, 5];
    private readonly double[] _coefficients = [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656, 0.1];

    [Params(1, 4, 28, 80, 1000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(20261201);
        _stages = Enumerable.Range(0, 6 * N).Select(_ => rng.NextDouble()).ToArray();
        _y = Enumerable.Range(0, N).Select(_ => rng.NextDouble()).ToArray();
        _z = new double[N];
    }

    [Benchmark(Baseline = true)]
    public double AxpyChain()
    {
        _y.CopyTo(_z, 0);
        for (int j = 0; j < 6; j++)
            TensorPrimitives.MultiplyAdd(_stages.AsSpan(j * N, N), 0.01 * _coefficients[j], _z, _z);
        return _z[0];
    }

    [Benchmark]
    public double Fused()
    {
        Blas1.LinearCombination<double>(_z, _y, 0.01, _stages, N, _indices, _coefficients);
        return _z[0];
    }
}
