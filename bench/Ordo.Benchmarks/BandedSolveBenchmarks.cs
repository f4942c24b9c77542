using BenchmarkDotNet.Attributes;
using Ordo.LinearAlgebra;

namespace Ordo.Benchmarks;

/// <summary>
/// Factor + solve of I − hγJ for the 1-D Brusselator Jacobian with N = 500 grid points (n = 1000, interleaved, so
/// kl = ku = 2): <see cref="BandedLU"/> in band storage against the dense <see cref="DenseSolver"/> (LAPACK when installed)
/// on the same matrix. Figures: docs/core/linear-algebra.md.
/// </summary>
[MemoryDiagnoser]
public class BandedSolveBenchmarks
{
    private const int Grid = 500, N = 2 * Grid, Kl = 2, Ku = 2;
    private double[] _band = [];
    private double[] _work = [];
    private double[] _dense = [];
    private double[] _b = [];
    private double[] _x = [];
    private int[] _pivots = [];
    private DenseSolver _solver = null!;

    [GlobalSetup]
    public void Setup()
    {
        const double k = 1.0 / 50 * (Grid + 1) * (Grid + 1), hGamma = 1e-3;
        _band = new double[BandedLU.StorageLength(N, Kl, Ku)];
        _dense = new double[N * N];
        void Set(int i, int j, double jij)
        {
            double m = (i == j ? 1 : 0) - hGamma * jij;
            _band[BandedLU.Index(i, j, Kl, Ku)] = m;
            _dense[i * N + j] = m;
        }
        for (int i = 0; i < Grid; i++)
        {
            double x = (i + 1.0) / (Grid + 1), u = 1 + Math.Sin(2 * Math.PI * x), v = 3;
            int ru = 2 * i, rv = ru + 1;
            Set(ru, ru, 2 * u * v - 4 - 2 * k);
            Set(ru, rv, u * u);
            Set(rv, ru, 3 - 2 * u * v);
            Set(rv, rv, -u * u - 2 * k);
            if (i > 0) { Set(ru, ru - 2, k); Set(rv, rv - 2, k); }
            if (i < Grid - 1) { Set(ru, ru + 2, k); Set(rv, rv + 2, k); }
        }
        _work = new double[_band.Length];
        _pivots = new int[N];
        _b = Enumerable.Range(0, N).Select(i => Math.Cos(i)).ToArray();
        _x = new double[N];
        _solver = new DenseSolver(N);
        Console.WriteLine($"// BandedSolveBenchmarks: dense path uses {(_solver.UsesLapack ? "LAPACK " + Lapack.LibraryName : "the managed DenseLU")}");
    }

    [Benchmark(Baseline = true)]
    public double Dense()
    {
        _dense.CopyTo(_solver.Matrix);
        _b.CopyTo(_x, 0);
        _solver.Factor();
        _solver.Solve(_x);
        return _x[0];
    }

    [Benchmark]
    public double Banded()
    {
        _band.CopyTo(_work, 0);
        _b.CopyTo(_x, 0);
        BandedLU.Factor(_work, N, Kl, Ku, _pivots);
        BandedLU.Solve(_work, N, Kl, Ku, _pivots, _x);
        return _x[0];
    }
}
