using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Ordo.Benchmarks;

/// <summary>
/// The genericity question in isolation: Ordo's generic kernels instantiated at <c>T = double</c> against
/// line-by-line copies of the same code written for <see cref="double"/> only (same loops, same SIMD width, same
/// checks). Equal times mean the generic number type costs nothing on the double path.
/// </summary>
[MemoryDiagnoser]
public class GenericKernelBenchmarks
{
    private double[] _stages = [];
    private double[] _y = [];
    private double[] _yNew = [];
    private double[] _z = [];
    private double[] _atol = [];
    private readonly int[] _indices = [0, 1, 2, 3, 4, 5];
    private readonly double[] _coefficients = [9017.0 / 3168, -355.0 / 33, 46732.0 / 5247, 49.0 / 176, -5103.0 / 18656, 0.1];

    [Params(1, 4, 28, 80)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(20261201);
        _stages = Enumerable.Range(0, 6 * N).Select(_ => rng.NextDouble()).ToArray();
        _y = Enumerable.Range(0, N).Select(_ => rng.NextDouble()).ToArray();
        _yNew = Enumerable.Range(0, N).Select(_ => rng.NextDouble()).ToArray();
        _atol = Enumerable.Repeat(1e-9, N).ToArray();
        _z = new double[N];
    }

    [Benchmark(Baseline = true)]
    public double CombineDoubleOnly()
    {
        DoubleOnly.LinearCombination(_z, _y, 0.01, _stages, N, _indices, _coefficients);
        return _z[0];
    }

    [Benchmark]
    public double CombineGeneric()
    {
        Blas1.LinearCombination<double>(_z, _y, 0.01, _stages, N, _indices, _coefficients);
        return _z[0];
    }

    [Benchmark]
    public double NormDoubleOnly() => DoubleOnly.WeightedSumOfSquares(_z, _y, _yNew, _atol, 1e-6);

    [Benchmark]
    public double NormGeneric() => ErrorNorm.WeightedSumOfSquares<double>(_z, _y, _yNew, _atol, 1e-6);

    /// <summary>Copies of <see cref="Blas1.LinearCombination{T}"/> and <see cref="ErrorNorm.WeightedSumOfSquares{T}"/> with T = double.</summary>
    private static class DoubleOnly
    {
        public static void LinearCombination(Span<double> destination, ReadOnlySpan<double> y, double h, ReadOnlySpan<double> stages, int n,
            ReadOnlySpan<int> indices, ReadOnlySpan<double> coefficients)
        {
            if (n < 0 || destination.Length < n || (!y.IsEmpty && y.Length < n) || indices.Length != coefficients.Length)
                throw new ArgumentException("inconsistent lengths");
            for (int j = 0; j < indices.Length; j++)
            {
                if ((uint)indices[j] * (long)n + n > stages.Length) throw new ArgumentException("index");
            }
            Unchecked(destination, y, h, stages, n, indices, coefficients);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Unchecked(Span<double> destination, ReadOnlySpan<double> y, double h, ReadOnlySpan<double> stages, int n,
            ReadOnlySpan<int> indices, ReadOnlySpan<double> coefficients)
        {
            int terms = indices.Length;
            ref double s0 = ref MemoryMarshal.GetReference(stages);
            ref double d0 = ref MemoryMarshal.GetReference(destination);
            ref double y0 = ref MemoryMarshal.GetReference(y);
            ref int i0 = ref MemoryMarshal.GetReference(indices);
            ref double c0 = ref MemoryMarshal.GetReference(coefficients);
            bool hasY = !y.IsEmpty;
            int m = 0;
            if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
            {
                var vh = new Vector<double>(h);
                for (; m <= n - Vector<double>.Count; m += Vector<double>.Count)
                {
                    var acc = Vector<double>.Zero;
                    for (int j = 0; j < terms; j++)
                    {
                        int k = Unsafe.Add(ref i0, j);
                        acc += new Vector<double>(Unsafe.Add(ref c0, j)) * Vector.LoadUnsafe(ref s0, (nuint)(k * n + m));
                    }
                    acc *= vh;
                    if (hasY) acc += Vector.LoadUnsafe(ref y0, (nuint)m);
                    acc.StoreUnsafe(ref d0, (nuint)m);
                }
            }
            for (; m < n; m++)
            {
                double acc = 0;
                for (int j = 0; j < terms; j++)
                    acc += Unsafe.Add(ref c0, j) * Unsafe.Add(ref s0, Unsafe.Add(ref i0, j) * n + m);
                acc *= h;
                Unsafe.Add(ref d0, m) = hasY ? Unsafe.Add(ref y0, m) + acc : acc;
            }
        }

        public static double WeightedSumOfSquares(ReadOnlySpan<double> error, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew,
            ReadOnlySpan<double> absoluteTolerance, double relativeTolerance)
        {
            int n = error.Length;
            if (y.Length != n || yNew.Length != n || absoluteTolerance.Length != n) throw new ArgumentException("lengths");
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                double scale = absoluteTolerance[i] + relativeTolerance * Math.Max(Math.Abs(y[i]), Math.Abs(yNew[i]));
                double e = error[i];
                double r = e == 0 ? 0 : e / scale;
                sum += r * r;
            }
            return sum;
        }
    }
}
