namespace Ordo.LinearAlgebra;

/// <summary>
/// LU factorization with partial (row) pivoting of a small dense square matrix, in place: PA = LU with L unit lower
/// triangular and U upper triangular. The matrix is row-major in a <see cref="Span{T}"/> of length n·n (a[i·n + j]);
/// after <see cref="Factor"/> its strict lower triangle holds L (without the unit diagonal) and its upper triangle U.
/// Nothing allocates. This is the one dense LU of Ordo: Newton methods and implicit ODE steppers call it every step.
/// </summary>
/// <remarks>
/// <para>Algorithm: right-looking Gaussian elimination (kij form) with partial pivoting, G. H. Golub and C. F. Van Loan,
/// <i>Matrix Computations</i>, 4th ed., Algorithm 3.4.1; the row updates are SIMD axpys on contiguous rows.
/// Backward stable in practice: ‖PA − LU‖ ≤ c·n·u·‖L‖‖U‖ (Golub–Van Loan Theorem 3.4.1).</para>
/// <para>The condition estimate is Hager's 1-norm estimator of ‖A⁻¹‖₁ as refined by Higham (N. J. Higham, "FORTRAN codes
/// for estimating the one-norm of a real or complex matrix", ACM TOMS 14 (1988), Algorithm 4.1 with the extra
/// alternating-sign test vector), the method of LAPACK's <c>dgecon</c>: a few solves with A and Aᵀ, O(n²).</para>
/// </remarks>
public static class DenseLU
{
    /// <summary>
    /// Factors the n×n row-major matrix <paramref name="a"/> in place as PA = LU. <paramref name="pivots"/>[k] is the
    /// row swapped with row k at step k (LAPACK's ipiv, zero-based).
    /// </summary>
    /// <returns>False when a pivot is exactly zero (A is singular to working precision in the exact sense); the
    /// factorization is then finished for the remaining columns but <see cref="Solve"/> would divide by zero. Non-finite
    /// entries also give false.</returns>
    /// <exception cref="ArgumentException">Lengths do not match n.</exception>
    public static bool Factor(Span<double> a, int n, Span<int> pivots)
    {
        CheckSquare(a.Length, n, nameof(a));
        if (pivots.Length < n) Guard.Fail($"pivots has length {pivots.Length} but n = {n}.", nameof(pivots));
        bool regular = true;
        for (int k = 0; k < n; k++)
        {
            int p = k;
            double max = Math.Abs(a[k * n + k]);
            for (int i = k + 1; i < n; i++)
            {
                double v = Math.Abs(a[i * n + k]);
                if (v > max) { max = v; p = i; }
            }
            pivots[k] = p;
            if (p != k) SwapRows(a, n, k, p);
            double pivot = a[k * n + k];
            if (!(max > 0) || !double.IsFinite(max))
            {
                regular = false;
                continue;
            }
            int rest = n - k - 1;
            if (rest == 0) continue;
            ReadOnlySpan<double> rowK = a.Slice(k * n + k + 1, rest);
            for (int i = k + 1; i < n; i++)
            {
                double l = a[i * n + k] / pivot;
                a[i * n + k] = l;
                if (l != 0) Blas1.Axpy(-l, rowK, a.Slice(i * n + k + 1, rest));
            }
        }
        return regular;
    }

    /// <summary>Solves A·x = b in place (<paramref name="b"/> becomes x) with the factors from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> pivots, Span<double> b)
    {
        CheckSquare(lu.Length, n, nameof(lu));
        if (b.Length != n) Guard.Fail($"b has length {b.Length} but n = {n}.", nameof(b));
        for (int k = 0; k < n; k++)
        {
            int p = pivots[k];
            if (p != k) (b[k], b[p]) = (b[p], b[k]);
        }
        // L y = Pb (unit lower triangular, rows contiguous).
        for (int i = 1; i < n; i++)
            b[i] -= Blas1.Dot(lu.Slice(i * n, i), b[..i]);
        // U x = y.
        for (int i = n - 1; i >= 0; i--)
        {
            double s = b[i];
            int rest = n - i - 1;
            if (rest > 0) s -= Blas1.Dot(lu.Slice(i * n + i + 1, rest), b.Slice(i + 1, rest));
            b[i] = s / lu[i * n + i];
        }
    }

    /// <summary>Solves Aᵀ·x = b in place with the factors from <see cref="Factor"/> (Aᵀ = UᵀLᵀP).</summary>
    public static void SolveTranspose(ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> pivots, Span<double> b)
    {
        CheckSquare(lu.Length, n, nameof(lu));
        if (b.Length != n) Guard.Fail($"b has length {b.Length} but n = {n}.", nameof(b));
        // Uᵀ y = b: column-oriented forward substitution, using the contiguous rows of U.
        for (int i = 0; i < n; i++)
        {
            b[i] /= lu[i * n + i];
            int rest = n - i - 1;
            if (rest > 0 && b[i] != 0) Blas1.Axpy(-b[i], lu.Slice(i * n + i + 1, rest), b.Slice(i + 1, rest));
        }
        // Lᵀ z = y: backward, using the contiguous rows of L.
        for (int i = n - 1; i > 0; i--)
        {
            if (b[i] != 0) Blas1.Axpy(-b[i], lu.Slice(i * n, i), b[..i]);
        }
        // x = Pᵀ z: undo the swaps in reverse order.
        for (int k = n - 1; k >= 0; k--)
        {
            int p = pivots[k];
            if (p != k) (b[k], b[p]) = (b[p], b[k]);
        }
    }

    /// <summary>Factors and solves in one call: <paramref name="a"/> is overwritten by its factors and
    /// <paramref name="b"/> by the solution. Returns false (and leaves b unchanged) when A is exactly singular.</summary>
    public static bool FactorAndSolve(Span<double> a, int n, Span<int> pivots, Span<double> b)
    {
        if (!Factor(a, n, pivots)) return false;
        Solve(a, n, pivots, b);
        return true;
    }

    /// <summary>The 1-norm ‖A‖₁ = maxⱼ Σᵢ |aᵢⱼ| of a row-major n×n matrix (take it before <see cref="Factor"/> overwrites A;
    /// <see cref="ReciprocalConditionEstimate"/> needs it). <paramref name="work"/> holds n column sums.</summary>
    public static double OneNorm(ReadOnlySpan<double> a, int n, Span<double> work)
    {
        CheckSquare(a.Length, n, nameof(a));
        if (work.Length < n) Guard.Fail($"work needs n = {n} elements.", nameof(work));
        var sums = work[..n];
        sums.Clear();
        for (int i = 0; i < n; i++)
        {
            var row = a.Slice(i * n, n);
            for (int j = 0; j < n; j++) sums[j] += Math.Abs(row[j]);
        }
        double m = 0;
        foreach (double s in sums) if (!(s <= m)) m = s;
        return m;
    }

    /// <summary>
    /// The ratio min|uᵢᵢ| / max|uᵢᵢ| of the factored matrix: a free but crude singularity indicator (0 for an exactly
    /// singular matrix; small values mean near singularity, but it can be O(1) for ill-conditioned matrices, so use
    /// <see cref="ReciprocalConditionEstimate"/> when it matters).
    /// </summary>
    public static double PivotRatio(ReadOnlySpan<double> lu, int n)
    {
        CheckSquare(lu.Length, n, nameof(lu));
        if (n == 0) return 1;
        double min = double.PositiveInfinity, max = 0;
        for (int i = 0; i < n; i++)
        {
            double u = Math.Abs(lu[i * n + i]);
            if (u < min) min = u;
            if (u > max) max = u;
        }
        return max > 0 ? min / max : 0;
    }

    /// <summary>
    /// Estimates 1/κ₁(A) = 1/(‖A‖₁·‖A⁻¹‖₁) from the factors (Hager–Higham estimator, as LAPACK's <c>dgecon</c>): at
    /// most five pairs of solves with A and Aᵀ plus one extra solve, O(n²). The estimate of ‖A⁻¹‖₁ is a lower bound that
    /// is almost always within a factor 3 of the truth, so the returned value is an upper bound on 1/κ₁ in that sense.
    /// </summary>
    /// <param name="lu">The factors from <see cref="Factor"/>.</param>
    /// <param name="n">The order.</param>
    /// <param name="pivots">The pivots from <see cref="Factor"/>.</param>
    /// <param name="anorm">‖A‖₁ of the original matrix (<see cref="OneNorm"/> before factoring).</param>
    /// <param name="work">Scratch of at least 2n doubles.</param>
    /// <returns>A value in [0, 1]; 0 when a pivot is zero or the estimate overflows.</returns>
    public static double ReciprocalConditionEstimate(ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> pivots, double anorm, Span<double> work)
    {
        CheckSquare(lu.Length, n, nameof(lu));
        if (work.Length < 2 * n) Guard.Fail($"work needs 2n = {2 * n} elements.", nameof(work));
        if (n == 0) return 1;
        if (!(anorm > 0) || !double.IsFinite(anorm)) return 0;
        for (int i = 0; i < n; i++) if (lu[i * n + i] == 0) return 0;
        double inverseNorm = InverseOneNormEstimate(lu, n, pivots, work);
        if (!double.IsFinite(inverseNorm) || inverseNorm <= 0) return 0;
        double r = 1 / (anorm * inverseNorm);
        return Math.Min(1, r);
    }

    private static double InverseOneNormEstimate(ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> pivots, Span<double> work)
    {
        var y = work[..n];
        var xi = work.Slice(n, n);
        // Hager's iteration from x = (1/n, ..., 1/n).
        y.Fill(1.0 / n);
        int current = -1; // −1: x is the uniform vector; otherwise x = e_current.
        double estimate = 0;
        for (int iteration = 0; iteration < 5; iteration++)
        {
            Solve(lu, n, pivots, y);
            double norm = 0;
            foreach (double v in y) norm += Math.Abs(v);
            if (iteration > 0 && norm <= estimate) break;
            estimate = norm;
            for (int i = 0; i < n; i++) xi[i] = y[i] >= 0 ? 1 : -1;
            SolveTranspose(lu, n, pivots, xi);
            int j = 0;
            double zmax = Math.Abs(xi[0]);
            for (int i = 1; i < n; i++)
            {
                double v = Math.Abs(xi[i]);
                if (v > zmax) { zmax = v; j = i; }
            }
            double ztx;
            if (current < 0)
            {
                ztx = 0;
                foreach (double v in xi) ztx += v;
                ztx /= n;
            }
            else
            {
                ztx = xi[current];
            }
            if (zmax <= ztx || j == current) break;
            current = j;
            y.Clear();
            y[j] = 1;
        }
        // Higham's safeguard: x_i = (−1)^i (1 + i/(n − 1)), estimate 2‖A⁻¹x‖₁/(3n).
        for (int i = 0; i < n; i++)
            y[i] = (i % 2 == 0 ? 1 : -1) * (1 + (n > 1 ? (double)i / (n - 1) : 0));
        Solve(lu, n, pivots, y);
        double alt = 0;
        foreach (double v in y) alt += Math.Abs(v);
        alt = 2 * alt / (3 * n);
        return Math.Max(estimate, alt);
    }

    private static void SwapRows(Span<double> a, int n, int r, int s)
    {
        var x = a.Slice(r * n, n);
        var y = a.Slice(s * n, n);
        for (int j = 0; j < n; j++) (x[j], y[j]) = (y[j], x[j]);
    }

    internal static void CheckSquare(int length, int n, string name)
    {
        if (n < 0 || length != n * n) Guard.Fail($"{name} has length {length} but n·n = {(long)n * n}.", name);
    }
}
