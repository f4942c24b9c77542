namespace Ordo.LinearAlgebra;

/// <summary>Which LU a <see cref="DenseSolver"/> uses.</summary>
public enum DenseSolverBackend
{
    /// <summary>LAPACK from n ≥ <see cref="DenseSolver.LapackThreshold"/> when the library is present, else managed.</summary>
    Auto,
    /// <summary>Always the managed <see cref="DenseLU"/>.</summary>
    Managed,
    /// <summary>LAPACK at every size when the library is present; the managed LU when it is not (see <see cref="DenseSolver.UsesLapack"/>).</summary>
    Lapack,
}

/// <summary>
/// The dense linear solver of implicit methods: owns an n×n row-major matrix buffer, factors it in place (PA = LU with
/// partial pivoting) and solves with the factors, allocating nothing after construction. Small systems use the managed
/// <see cref="DenseLU"/>; from n ≥ <see cref="LapackThreshold"/> it calls the system LAPACK (<see cref="Lapack"/>:
/// OpenBLAS's blocked <c>dgetrf</c>) when that library loads, and falls back to <see cref="DenseLU"/> when it does not.
/// </summary>
/// <remarks>Sources: G. H. Golub and C. F. Van Loan, <i>Matrix Computations</i>, 4th ed., Alg. 3.4.1 (managed path);
/// E. Anderson et al., <i>LAPACK Users' Guide</i>, 3rd ed. (dgetrf/dgetrs). The threshold is measured: see
/// docs/core/linear-algebra.md, benchmark <c>LargeDenseSolveBenchmarks</c>.</remarks>
public sealed class DenseSolver
{
    /// <summary>The order from which <see cref="DenseSolverBackend.Auto"/> uses LAPACK. Measured with OpenBLAS 0.3.21 on one
    /// thread against the managed LU in optimized (tier-1) code (docs/core/linear-algebra.md, <c>LargeDenseSolveBenchmarks</c>):
    /// LAPACK/managed time 1.17 at n = 100, 1.02 at 200, 0.52 at 400; below about 150 the managed LU is as fast or faster (tools/lapack-crossover: LAPACK 1.3–2.3× faster at n = 200, 0.8–0.9 of managed at 100)
    /// and keeps small systems free of native calls.</summary>
    public const int LapackThreshold = 150;

    private readonly double[] _a;
    private readonly int[] _pivots;
    private readonly LapackLibrary? _lapack;

    /// <summary>A solver for n×n systems with the automatic choice of backend.</summary>
    public DenseSolver(int n) : this(n, DenseSolverBackend.Auto)
    {
    }

    /// <summary>A solver for n×n systems with the given backend preference.</summary>
    /// <exception cref="ArgumentOutOfRangeException">n is negative.</exception>
    public DenseSolver(int n, DenseSolverBackend backend)
        : this(n, backend switch
        {
            DenseSolverBackend.Managed => null,
            DenseSolverBackend.Lapack => Lapack.Library,
            _ => n >= LapackThreshold ? Lapack.Library : null,
        })
    {
    }

    internal DenseSolver(int n, LapackLibrary? lapack)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        Dimension = n;
        _a = new double[n * n];
        _pivots = new int[n];
        _lapack = lapack;
    }

    /// <summary>The order n.</summary>
    public int Dimension { get; }

    /// <summary>True when <see cref="Factor"/> calls LAPACK, false when it uses the managed <see cref="DenseLU"/>.</summary>
    public bool UsesLapack => _lapack is not null;

    /// <summary>The n×n matrix, row-major (a[i·n + j]): fill it, then call <see cref="Factor"/>, which overwrites it with
    /// the factors (in the backend's own layout).</summary>
    public Span<double> Matrix => _a;

    /// <summary>The first elimination step whose pivot was exactly zero in the last <see cref="Factor"/> (−1 when none; the
    /// LAPACK path eliminates Aᵀ, so the step can differ from the managed path's for the same singular matrix).</summary>
    public int ZeroPivot { get; private set; } = -1;

    /// <summary>Factors <see cref="Matrix"/> in place. Returns false (and sets <see cref="ZeroPivot"/>) when the matrix is
    /// exactly singular or not finite; <see cref="Solve"/> must not be called then.</summary>
    public bool Factor()
    {
        int n = Dimension;
        if (_lapack is null)
        {
            bool ok = DenseLU.Factor(_a, n, _pivots);
            ZeroPivot = ok ? -1 : FirstZeroDiagonal();
            return ok;
        }
        // LAPACK does not check for NaN; a non-finite matrix is reported the way the managed path reports it.
        if (!Blas1.AllFinite<double>(_a))
        {
            ZeroPivot = 0;
            return false;
        }
        int info = _lapack.Factor(_a, n, _pivots);
        ZeroPivot = info > 0 ? info - 1 : -1;
        return info == 0;
    }

    /// <summary>Solves A·x = b in place (<paramref name="b"/> becomes x) with the factors of the last successful <see cref="Factor"/>.</summary>
    /// <exception cref="ArgumentException">b does not have length n.</exception>
    public void Solve(Span<double> b)
    {
        if (b.Length != Dimension) Guard.Fail($"b has length {b.Length} but n = {Dimension}.", nameof(b));
        if (_lapack is null) DenseLU.Solve(_a, Dimension, _pivots, b);
        else _lapack.Solve(transpose: true, _a, Dimension, _pivots, b); // the buffer holds the factors of Aᵀ.
    }

    private int FirstZeroDiagonal()
    {
        int n = Dimension;
        for (int k = 0; k < n; k++)
        {
            double u = _a[k * n + k];
            if (u == 0 || !double.IsFinite(u)) return k;
        }
        return 0;
    }
}
