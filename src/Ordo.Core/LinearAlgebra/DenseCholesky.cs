namespace Ordo.LinearAlgebra;

/// <summary>
/// Cholesky factorization A = LLᵀ of a small dense symmetric positive definite matrix, in place on a row-major
/// <see cref="Span{T}"/> of length n·n, and the modified Cholesky factorization of Nocedal &amp; Wright for indefinite
/// Hessians. Only the lower triangle of A is read; after factoring it holds L (the strict upper triangle is left as it
/// was). Nothing allocates.
/// </summary>
/// <remarks>
/// Algorithm: the row-oriented (Cholesky–Banachiewicz) inner-product form, G. H. Golub and C. F. Van Loan, <i>Matrix
/// Computations</i>, 4th ed., §4.2; every inner product is a SIMD dot product of two contiguous rows.
/// </remarks>
public static class DenseCholesky
{
    /// <summary>
    /// Factors the symmetric n×n row-major matrix <paramref name="a"/> in place as LLᵀ (lower triangle).
    /// </summary>
    /// <returns>False when A is not (numerically) positive definite: a pivot dᵢ = aᵢᵢ − Σₖ lᵢₖ² is ≤ 0 or not finite. The
    /// matrix is then partly overwritten.</returns>
    public static bool Factor(Span<double> a, int n)
    {
        DenseLU.CheckSquare(a.Length, n, nameof(a));
        for (int j = 0; j < n; j++)
        {
            var rowJ = a.Slice(j * n, j);
            double d = a[j * n + j] - Blas1.Dot<double>(rowJ, rowJ);
            if (!(d > 0) || !double.IsFinite(d)) return false;
            double ljj = Math.Sqrt(d);
            a[j * n + j] = ljj;
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i * n + j] - Blas1.Dot<double>(a.Slice(i * n, j), rowJ);
                a[i * n + j] = s / ljj;
            }
        }
        return true;
    }

    /// <summary>Solves A·x = b in place (<paramref name="b"/> becomes x) with the factor from <see cref="Factor"/>
    /// (L y = b, then Lᵀ x = y).</summary>
    public static void Solve(ReadOnlySpan<double> l, int n, Span<double> b)
    {
        DenseLU.CheckSquare(l.Length, n, nameof(l));
        if (b.Length != n) Guard.Fail($"b has length {b.Length} but n = {n}.", nameof(b));
        for (int i = 0; i < n; i++)
            b[i] = (b[i] - Blas1.Dot(l.Slice(i * n, i), b[..i])) / l[i * n + i];
        for (int i = n - 1; i >= 0; i--)
        {
            b[i] /= l[i * n + i];
            if (i > 0 && b[i] != 0) Blas1.Axpy(-b[i], l.Slice(i * n, i), b[..i]);
        }
    }

    /// <summary>Solves L·y = b in place (forward substitution only): yᵀy = bᵀA⁻¹b, the squared "dual norm" of b in the
    /// metric of A that affine-invariant Newton methods use.</summary>
    public static void SolveLower(ReadOnlySpan<double> l, int n, Span<double> b)
    {
        DenseLU.CheckSquare(l.Length, n, nameof(l));
        if (b.Length != n) Guard.Fail($"b has length {b.Length} but n = {n}.", nameof(b));
        for (int i = 0; i < n; i++)
            b[i] = (b[i] - Blas1.Dot(l.Slice(i * n, i), b[..i])) / l[i * n + i];
    }

    /// <summary>
    /// Modified Cholesky by a multiple of the identity: finds τ ≥ 0 such that A + τI is positive definite and writes its
    /// Cholesky factor into <paramref name="factor"/>. This is Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed.,
    /// Algorithm 3.3 ("Cholesky with added multiple of the identity"), not Gill–Murray–Wright's modified LDLᵀ: τ₀ = 0 if
    /// minᵢ aᵢᵢ &gt; 0, else β − minᵢ aᵢᵢ; on failure τ ← max(2τ, β). The book's absolute β = 10⁻³ is made relative
    /// here, β = <paramref name="beta"/>·maxᵢ|aᵢᵢ| (<paramref name="beta"/> when the diagonal is zero), so that the shift
    /// does not depend on the units of f. Cost: one Cholesky factorization (n³/3 flops) per trial shift.
    /// </summary>
    /// <param name="a">The symmetric matrix (lower triangle read), row-major n×n; not modified.</param>
    /// <param name="factor">Receives the Cholesky factor of A + τI (length n·n).</param>
    /// <param name="n">The order.</param>
    /// <param name="beta">Relative shift β (default 10⁻³ as in the book).</param>
    /// <returns>The shift τ used (0 when A itself is positive definite), or NaN when A has non-finite entries or no
    /// shift up to 10³⁰⁰ worked (factor is then undefined).</returns>
    public static double FactorModified(ReadOnlySpan<double> a, Span<double> factor, int n, double beta = 1e-3)
    {
        DenseLU.CheckSquare(a.Length, n, nameof(a));
        DenseLU.CheckSquare(factor.Length, n, nameof(factor));
        double minDiag = double.PositiveInfinity, maxAbsDiag = 0;
        for (int i = 0; i < n; i++)
        {
            double d = a[i * n + i];
            if (!double.IsFinite(d)) return double.NaN;
            minDiag = Math.Min(minDiag, d);
            maxAbsDiag = Math.Max(maxAbsDiag, Math.Abs(d));
        }
        double b = beta * (maxAbsDiag > 0 ? maxAbsDiag : 1);
        double tau = minDiag > 0 ? 0 : b - minDiag;
        for (int attempt = 0; attempt < 2100; attempt++)
        {
            a.CopyTo(factor);
            if (tau != 0)
                for (int i = 0; i < n; i++) factor[i * n + i] += tau;
            if (Factor(factor, n)) return tau;
            tau = Math.Max(2 * tau, b);
            if (!double.IsFinite(tau) || tau > 1e300) break;
        }
        return double.NaN;
    }
}
