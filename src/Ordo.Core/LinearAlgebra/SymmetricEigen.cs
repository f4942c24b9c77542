namespace Ordo.LinearAlgebra;

/// <summary>
/// Eigendecomposition A = QΛQᵀ of a small dense symmetric matrix by the cyclic Jacobi method. Row-major spans, nothing
/// allocates. Jacobi is slower than tridiagonalization + QR (about 5–10 sweeps of ~3n³ flops against ~9n³ in all) but
/// short, robust and accurate to high relative precision; it is meant for the n ≤ a few hundred of dense second-order
/// optimization, where one decomposition is reused for many solves.
/// </summary>
/// <remarks>Source: G. H. Golub and C. F. Van Loan, <i>Matrix Computations</i>, 4th ed., §8.5.2–8.5.3 (the symmetric
/// Schur decomposition 2×2 rotation, Algorithm 8.5.1, and the cyclic Jacobi sweep, Algorithm 8.5.3), with the
/// threshold rule of Rutishauser (skip rotations whose off-diagonal element is negligible).</remarks>
public static class SymmetricEigen
{
    /// <summary>
    /// Computes the eigenvalues and eigenvectors of the symmetric n×n matrix <paramref name="a"/> (destroyed: it is
    /// diagonalized in place; both triangles must hold A).
    /// </summary>
    /// <param name="a">The matrix, row-major; overwritten.</param>
    /// <param name="n">The order.</param>
    /// <param name="eigenvalues">Receives λ₁ ≤ … ≤ λₙ (ascending).</param>
    /// <param name="eigenvectors">Receives Q row-major with column j the eigenvector of λⱼ (Q[i·n + j]).</param>
    /// <param name="maxSweeps">Sweep limit (default 50; convergence is quadratic and usually takes 6–10).</param>
    /// <returns>True when the off-diagonal part fell below rounding level within <paramref name="maxSweeps"/>; false
    /// otherwise or when A has non-finite entries.</returns>
    public static bool Decompose(Span<double> a, int n, Span<double> eigenvalues, Span<double> eigenvectors, int maxSweeps = 50)
    {
        DenseLU.CheckSquare(a.Length, n, nameof(a));
        DenseLU.CheckSquare(eigenvectors.Length, n, nameof(eigenvectors));
        if (eigenvalues.Length != n) Guard.Fail($"eigenvalues has length {eigenvalues.Length} but n = {n}.", nameof(eigenvalues));
        if (!Blas1.AllFinite<double>(a)) return false;
        eigenvectors.Clear();
        for (int i = 0; i < n; i++) eigenvectors[i * n + i] = 1;
        bool converged = n <= 1;
        for (int sweep = 0; sweep < maxSweeps && !converged; sweep++)
        {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++)
            {
                diag += a[i * n + i] * a[i * n + i];
                for (int j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
            }
            if (off <= 1e-32 * diag || off == 0) { converged = true; break; }
            for (int p = 0; p < n - 1; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    double app = a[p * n + p], aqq = a[q * n + q];
                    // Rutishauser's threshold: a rotation on a negligible element changes nothing.
                    if (Math.Abs(apq) <= 1e-18 * Math.Sqrt(Math.Abs(app * aqq)) || apq == 0)
                    {
                        a[p * n + q] = a[q * n + p] = 0;
                        continue;
                    }
                    // Golub–Van Loan Algorithm 8.5.1: c, s with the smaller rotation angle.
                    double tau = (aqq - app) / (2 * apq);
                    double t = (tau >= 0 ? 1 : -1) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
                    double c = 1 / Math.Sqrt(1 + t * t), s = t * c;
                    Rotate(a, n, p, q, c, s);
                    // Q ← Q·J: columns p and q of Q.
                    for (int k = 0; k < n; k++)
                    {
                        double qkp = eigenvectors[k * n + p], qkq = eigenvectors[k * n + q];
                        eigenvectors[k * n + p] = c * qkp - s * qkq;
                        eigenvectors[k * n + q] = s * qkp + c * qkq;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) eigenvalues[i] = a[i * n + i];
        SortAscending(eigenvalues, eigenvectors, n);
        return converged;
    }

    /// <summary>A ← JᵀAJ for the rotation J in the (p, q) plane (both triangles kept).</summary>
    private static void Rotate(Span<double> a, int n, int p, int q, double c, double s)
    {
        double app = a[p * n + p], aqq = a[q * n + q], apq = a[p * n + q];
        for (int k = 0; k < n; k++)
        {
            if (k == p || k == q) continue;
            double akp = a[k * n + p], akq = a[k * n + q];
            double newKp = c * akp - s * akq, newKq = s * akp + c * akq;
            a[k * n + p] = a[p * n + k] = newKp;
            a[k * n + q] = a[q * n + k] = newKq;
        }
        a[p * n + p] = c * c * app - 2 * c * s * apq + s * s * aqq;
        a[q * n + q] = s * s * app + 2 * c * s * apq + c * c * aqq;
        a[p * n + q] = a[q * n + p] = 0;
    }

    private static void SortAscending(Span<double> values, Span<double> vectors, int n)
    {
        // Selection sort with column swaps: n² comparisons and at most n column swaps, negligible beside the sweeps.
        for (int i = 0; i < n - 1; i++)
        {
            int m = i;
            for (int j = i + 1; j < n; j++) if (values[j] < values[m]) m = j;
            if (m == i) continue;
            (values[i], values[m]) = (values[m], values[i]);
            for (int k = 0; k < n; k++)
                (vectors[k * n + i], vectors[k * n + m]) = (vectors[k * n + m], vectors[k * n + i]);
        }
    }
}
