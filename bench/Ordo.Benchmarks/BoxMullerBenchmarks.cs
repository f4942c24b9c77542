using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Ordo.Rng;

namespace Ordo.Benchmarks;

/// <summary>
/// What the reproducible Box–Muller kernels cost (<see cref="BoxMullerMath"/>, docs/integration/sde.md "Random
/// numbers"): 4096 pairs of uniforms to normals with the vector <c>BoxMullerMath</c> (bitwise the scalar form on every
/// machine and JIT tier), with <see cref="Vector256.Log(Vector256{double})"/>/<see cref="Vector256.SinCos(Vector256{double})"/>
/// (what <see cref="PhiloxBatch"/> used before: an ulp apart between JIT tiers and instruction sets), and with the
/// scalar <c>BoxMullerMath</c> and <see cref="Math.Log(double)"/>/<see cref="Math.SinCos"/>; and the whole
/// counter-to-normal <see cref="PhiloxBatch.Normals(PhiloxKey, uint, uint, ulong, Span{double}, Span{double})"/>.
/// Run: <c>dotnet run -c Release --project bench/Ordo.Benchmarks -- --filter '*BoxMuller*'</c>.
/// </summary>
[MemoryDiagnoser]
public class BoxMullerBenchmarks
{
    private const int Pairs = 4096;
    private readonly double[] _u1 = new double[Pairs], _u2 = new double[Pairs], _z0 = new double[Pairs], _z1 = new double[Pairs];

    [GlobalSetup]
    public void Setup()
    {
        var key = new PhiloxKey(20261202, 7);
        for (int i = 0; i < Pairs; i++)
            RandomMapping.Uniforms(Philox4x32.Generate(new Words4x32((uint)i, 1, 2, 3), key), out _u1[i], out _u2[i]);
    }

    [Benchmark(Baseline = true)]
    public void VectorBoxMullerMath()
    {
        for (int i = 0; i < Pairs; i += 4)
        {
            var u1 = Vector256.Create<double>(_u1.AsSpan(i, 4));
            (Vector256<double> sin, Vector256<double> cos) = BoxMullerMath.SinCosTwoPi(Vector256.Create<double>(_u2.AsSpan(i, 4)));
            Vector256<double> r = Vector256.Sqrt(Vector256.Create(-2.0) * BoxMullerMath.Log(u1));
            (r * cos).CopyTo(_z0.AsSpan(i, 4));
            (r * sin).CopyTo(_z1.AsSpan(i, 4));
        }
    }

    [Benchmark]
    public void VectorRuntimeLogSinCos()
    {
        for (int i = 0; i < Pairs; i += 4)
        {
            var u1 = Vector256.Create<double>(_u1.AsSpan(i, 4));
            (Vector256<double> sin, Vector256<double> cos) = Vector256.SinCos(Vector256.Create(2 * Math.PI) * Vector256.Create<double>(_u2.AsSpan(i, 4)));
            Vector256<double> r = Vector256.Sqrt(Vector256.Create(-2.0) * Vector256.Log(u1));
            (r * cos).CopyTo(_z0.AsSpan(i, 4));
            (r * sin).CopyTo(_z1.AsSpan(i, 4));
        }
    }

    [Benchmark]
    public void ScalarBoxMullerMath()
    {
        for (int i = 0; i < Pairs; i++)
        {
            double r = Math.Sqrt(-2.0 * BoxMullerMath.Log(_u1[i]));
            (double sin, double cos) = BoxMullerMath.SinCosTwoPi(_u2[i]);
            _z0[i] = r * cos;
            _z1[i] = r * sin;
        }
    }

    [Benchmark]
    public void ScalarCLibrary()
    {
        for (int i = 0; i < Pairs; i++)
        {
            double r = Math.Sqrt(-2.0 * Math.Log(_u1[i]));
            (double sin, double cos) = Math.SinCos(2 * Math.PI * _u2[i]);
            _z0[i] = r * cos;
            _z1[i] = r * sin;
        }
    }

    [Benchmark]
    public void PhiloxBatchNormals() => PhiloxBatch.Normals(new PhiloxKey(20261202, 7), 1, 2, 0, _z0, _z1);
}
