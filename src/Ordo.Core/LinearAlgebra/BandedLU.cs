namespace Ordo.LinearAlgebra;

/// <summary>
/// LU factorization with partial (row) pivoting of an n×n band matrix with <c>kl</c> sub-diagonals and <c>ku</c>
/// super-diagonals, in place, in LAPACK's band storage (the layout of <c>dgbtrf</c>/<c>dgbtrs</c>): column-major with
/// leading dimension ldab = 2·kl + ku + 1, element A[i, j] (zero-based) at <c>ab[j·ldab + kl + ku + i − j]</c>
/// (<see cref="Index"/>). The first kl rows of each stored column are workspace for the fill-in that row interchanges
/// create (U gets kl + ku super-diagonals); <see cref="Factor(Span{double}, int, int, int, Span{int}, out int)"/> clears them
/// itself, so the caller only fills the band. Nothing allocates; cost O(n·kl·(kl + ku)) to factor and O(n·(2kl + ku)) to solve.
/// </summary>
/// <remarks>
/// <para>Algorithm: Gaussian elimination with partial pivoting restricted to the band, G. H. Golub and C. F. Van Loan,
/// <i>Matrix Computations</i>, 4th ed., §4.3.5 (band Gaussian elimination with pivoting: U's upper bandwidth grows to
/// kl + ku, L keeps kl sub-diagonals); storage scheme and pivot convention of LAPACK's <c>dgbtf2</c>/<c>dgbtrs</c>
/// (E. Anderson et al., <i>LAPACK Users' Guide</i>, 3rd ed., SIAM 1999, §5.3.3 "Band Storage"). Every inner loop is a
/// SIMD axpy on a contiguous piece of a stored column.</para>
/// <para>Pivots are zero-based and global: <c>pivots[k]</c> is the row interchanged with row k at step k
/// (k ≤ pivots[k] ≤ min(k + kl, n − 1)), LAPACK's ipiv less one.</para>
/// </remarks>
public static class BandedLU
{
    /// <summary>The leading dimension 2·kl + ku + 1 of the band storage (rows per stored column).</summary>
    public static int LeadingDimension(int kl, int ku) => 2 * kl + ku + 1;

    /// <summary>The length n·(2·kl + ku + 1) of the band storage of an n×n matrix.</summary>
    public static int StorageLength(int n, int kl, int ku) => n * LeadingDimension(kl, ku);

    /// <summary>Position of A[i, j] in the band storage (valid for max(0, j − ku) ≤ i ≤ min(n − 1, j + kl)).</summary>
    public static int Index(int i, int j, int kl, int ku) => j * (2 * kl + ku + 1) + kl + ku + i - j;

    /// <summary>Factors the band matrix in place as PA = LU; returns false (A singular) when a pivot is exactly zero or
    /// the column holds a non-finite value.</summary>
    /// <inheritdoc cref="Factor(Span{double}, int, int, int, Span{int}, out int)"/>
    public static bool Factor(Span<double> ab, int n, int kl, int ku, Span<int> pivots) => Factor(ab, n, kl, ku, pivots, out _);

    /// <summary>
    /// Factors the band matrix in place as PA = LU (LAPACK <c>dgbtf2</c>). After the call the rows 0 … kl + ku of each
    /// stored column hold U (kl + ku super-diagonals) and the rows kl + ku + 1 … 2kl + ku the multipliers of L.
    /// </summary>
    /// <param name="ab">Band storage of A, length n·(2kl + ku + 1); see <see cref="Index"/>.</param>
    /// <param name="n">The order.</param>
    /// <param name="kl">Number of sub-diagonals (≥ 0).</param>
    /// <param name="ku">Number of super-diagonals (≥ 0).</param>
    /// <param name="pivots">Receives n zero-based row interchanges.</param>
    /// <param name="zeroPivot">The first step k whose pivot column was exactly zero (or non-finite), −1 when none: A is
    /// then singular and <see cref="Solve"/> would divide by zero. Elimination still finishes the other columns.</param>
    /// <returns>True when every pivot is non-zero and finite.</returns>
    /// <exception cref="ArgumentException">Negative n, kl or ku, or lengths that do not match.</exception>
    public static bool Factor(Span<double> ab, int n, int kl, int ku, Span<int> pivots, out int zeroPivot)
    {
        Check(ab.Length, n, kl, ku, nameof(ab));
        if (pivots.Length < n) Guard.Fail($"pivots has length {pivots.Length} but n = {n}.", nameof(pivots));
        int ld = 2 * kl + ku + 1, kv = kl + ku;
        zeroPivot = -1;

        // Clear the fill-in rows of columns ku+1 … kv−1 (the rows of later columns are cleared when step j reaches them).
        for (int j = ku + 1; j < Math.Min(kv, n); j++)
            ab.Slice(j * ld + kv - j, j - ku).Clear();

        int ju = 0; // last column touched by the row interchanges so far (U's current upper extent).
        for (int j = 0; j < n; j++)
        {
            if (j + kv < n) ab.Slice((j + kv) * ld, kl).Clear();
            int km = Math.Min(kl, n - 1 - j);
            int diag = j * ld + kv;
            // Pivot: the largest |entry| among A[j … j+km, j] (stored contiguously below the diagonal).
            int p = 0;
            double max = Math.Abs(ab[diag]);
            for (int r = 1; r <= km; r++)
            {
                double v = Math.Abs(ab[diag + r]);
                if (v > max) { max = v; p = r; }
            }
            pivots[j] = j + p;
            if (!(max > 0) || !double.IsFinite(max))
            {
                if (zeroPivot < 0) zeroPivot = j;
                continue;
            }
            ju = Math.Max(ju, Math.Min(j + ku + p, n - 1));
            if (p != 0)
            {
                // Swap rows j and j+p over columns j … ju: A[r, c] sits at c·ld + kv + r − c, a stride of ld − 1.
                int a = diag + p, b = diag;
                for (int c = j; c <= ju; c++, a += ld - 1, b += ld - 1) (ab[a], ab[b]) = (ab[b], ab[a]);
            }
            if (km == 0) continue;
            double pivot = ab[diag];
            Span<double> l = ab.Slice(diag + 1, km);
            for (int r = 0; r < km; r++) l[r] /= pivot;
            // Rank-one update of A[j+1 … j+km, j+1 … ju]: column c = j + d is contiguous at c·ld + kv + 1 − d.
            for (int d = 1; d <= ju - j; d++)
            {
                int col = (j + d) * ld + kv;
                double u = ab[col - d];
                if (u != 0) Blas1.Axpy(-u, l, ab.Slice(col + 1 - d, km));
            }
        }
        return zeroPivot < 0;
    }

    /// <summary>Solves A·x = b in place (<paramref name="b"/> becomes x) with the factors from <see cref="Factor(Span{double}, int, int, int, Span{int})"/>
    /// (LAPACK <c>dgbtrs</c> with trans = 'N').</summary>
    public static void Solve(ReadOnlySpan<double> ab, int n, int kl, int ku, ReadOnlySpan<int> pivots, Span<double> b)
    {
        Check(ab.Length, n, kl, ku, nameof(ab));
        if (b.Length != n) Guard.Fail($"b has length {b.Length} but n = {n}.", nameof(b));
        int ld = 2 * kl + ku + 1, kv = kl + ku;
        // L y = P b: apply interchange k, then eliminate below row k (the multipliers are contiguous in column k).
        if (kl > 0)
        {
            for (int k = 0; k < n - 1; k++)
            {
                int p = pivots[k];
                if (p != k) (b[k], b[p]) = (b[p], b[k]);
                int lm = Math.Min(kl, n - 1 - k);
                if (b[k] != 0) Blas1.Axpy(-b[k], ab.Slice(k * ld + kv + 1, lm), b.Slice(k + 1, lm));
            }
        }
        // U x = y: column-oriented back substitution, U has kv super-diagonals.
        for (int j = n - 1; j >= 0; j--)
        {
            if (b[j] == 0) continue;
            b[j] /= ab[j * ld + kv];
            int m = Math.Min(kv, j);
            if (m > 0) Blas1.Axpy(-b[j], ab.Slice(j * ld + kv - m, m), b.Slice(j - m, m));
        }
    }

    /// <summary>Solves Aᵀ·x = b in place with the factors from <see cref="Factor(Span{double}, int, int, int, Span{int})"/>
    /// (LAPACK <c>dgbtrs</c> with trans = 'T': Aᵀ = UᵀLᵀP).</summary>
    public static void SolveTranspose(ReadOnlySpan<double> ab, int n, int kl, int ku, ReadOnlySpan<int> pivots, Span<double> b)
    {
        Check(ab.Length, n, kl, ku, nameof(ab));
        if (b.Length != n) Guard.Fail($"b has length {b.Length} but n = {n}.", nameof(b));
        int ld = 2 * kl + ku + 1, kv = kl + ku;
        // Uᵀ y = b: forward substitution with the contiguous columns of U.
        for (int j = 0; j < n; j++)
        {
            int m = Math.Min(kv, j);
            double s = b[j];
            if (m > 0) s -= Blas1.Dot(ab.Slice(j * ld + kv - m, m), (ReadOnlySpan<double>)b.Slice(j - m, m));
            b[j] = s / ab[j * ld + kv];
        }
        // Lᵀ z = y, then undo the interchanges in reverse order.
        if (kl > 0)
        {
            for (int k = n - 2; k >= 0; k--)
            {
                int lm = Math.Min(kl, n - 1 - k);
                b[k] -= Blas1.Dot(ab.Slice(k * ld + kv + 1, lm), (ReadOnlySpan<double>)b.Slice(k + 1, lm));
                int p = pivots[k];
                if (p != k) (b[k], b[p]) = (b[p], b[k]);
            }
        }
    }

    /// <summary>y = A·x for a band matrix in band storage that is not factored (the fill-in rows are ignored): the
    /// residual check of a banded solve. <paramref name="y"/> must not overlap <paramref name="x"/>.</summary>
    public static void Multiply(ReadOnlySpan<double> ab, int n, int kl, int ku, ReadOnlySpan<double> x, Span<double> y)
    {
        Check(ab.Length, n, kl, ku, nameof(ab));
        if (x.Length != n) Guard.Fail($"x has length {x.Length} but n = {n}.", nameof(x));
        if (y.Length != n) Guard.Fail($"y has length {y.Length} but n = {n}.", nameof(y));
        int ld = 2 * kl + ku + 1, kv = kl + ku;
        y.Clear();
        for (int j = 0; j < n; j++)
        {
            // Column j holds A[j−ku … j+kl, j] at rows kv − ku … kv + kl … clipped to the matrix.
            int i0 = Math.Max(0, j - ku), i1 = Math.Min(n - 1, j + kl);
            if (x[j] != 0) Blas1.Axpy(x[j], ab.Slice(j * ld + kv + i0 - j, i1 - i0 + 1), y.Slice(i0, i1 - i0 + 1));
        }
    }

    private static void Check(int length, int n, int kl, int ku, string name)
    {
        if (n < 0) Guard.Fail($"n must be >= 0 but is {n}.", nameof(n));
        if (kl < 0 || ku < 0) Guard.Fail($"kl and ku must be >= 0 but are {kl} and {ku}.", kl < 0 ? nameof(kl) : nameof(ku));
        long need = (long)n * (2 * kl + ku + 1);
        if (length != need) Guard.Fail($"{name} has length {length} but n·(2kl + ku + 1) = {need}.", name);
    }
}
