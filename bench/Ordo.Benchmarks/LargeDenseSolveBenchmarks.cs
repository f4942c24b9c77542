using BenchmarkDotNet.Attributes;
using Ordo.LinearAlgebra;

namespace Ordo.Benchmarks;

/// <summary>
/// Dense LU factor + solve of a random, diagonally weighted n×n system at the sizes of large implicit ODE steps: the
/// managed <see cref="DenseLU"/> against the system LAPACK (<c>dgetrf_</c>/<c>dgetrs_</c> through <see cref="DenseSolver"/>,
/// OpenBLAS when installed; run with OPENBLAS_NUM_THREADS=1). Both copy A into the solver's buffer first, as a stepper
/// forms a fresh iteration matrix before each factorization. The crossover sets <see cref="DenseSolver.LapackThreshold"/>;
/// figures: docs/core/linear-algebra.md. When no LAPACK library loads, the "Lapack" rows measure the managed fallback.
/// </summary>
[MemoryDiagnoser]
public class LargeDenseSolveBenchmarks
{
    private double[] _a = [];
    private double[] _b = [];
    private double[] _x = [];
    private DenseSolver _managed = null!;
    private DenseSolver _lapack = null!;

    [Params(50, 100, 200, 400)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(20261202);
        _a = Enumerable.Range(0, N * N).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        for (int i = 0; i < N; i++) _a[i * N + i] += N;
        _b = Enumerable.Range(0, N).Select(_ => rng.NextDouble()).ToArray();
        _x = new double[N];
        _managed = new DenseSolver(N, DenseSolverBackend.Managed);
        _lapack = new DenseSolver(N, DenseSolverBackend.Lapack);
        if (!_lapack.UsesLapack) Console.WriteLine("// LargeDenseSolveBenchmarks: no LAPACK library loaded; the Lapack rows run the managed LU.");
        else Console.WriteLine($"// LargeDenseSolveBenchmarks: LAPACK from {Lapack.LibraryName}");
    }

    private double Run(DenseSolver solver)
    {
        _a.CopyTo(solver.Matrix);
        _b.CopyTo(_x, 0);
        solver.Factor();
        solver.Solve(_x);
        return _x[0];
    }

    [Benchmark(Baseline = true)]
    public double ManagedLU() => Run(_managed);

    [Benchmark]
    public double LapackLU() => Run(_lapack);
}
