namespace Ordo.Integration;

/// <summary>
/// LU factorization with partial pivoting of a small dense complex n×n matrix stored row-major and interleaved in a
/// span of doubles (a[2(i·n + j)] = Re aᵢⱼ, a[2(i·n + j) + 1] = Im aᵢⱼ). Used by the Radau IIA stepper for the complex
/// iteration matrix ((α − iβ)/h)I − J. Nothing allocates.
/// </summary>
/// <remarks>Gaussian elimination with partial pivoting (pivot chosen by |Re| + |Im|), G. H. Golub and C. F. Van Loan,
/// <i>Matrix Computations</i>, 4th ed., Algorithm 3.4.1, in complex arithmetic.</remarks>
internal static class ComplexLU
{
    /// <summary>Factors <paramref name="a"/> (length 2n²) in place as PA = LU; false when a pivot is zero or not finite.</summary>
    public static bool Factor(Span<double> a, int n, Span<int> pivots)
    {
        bool regular = true;
        for (int k = 0; k < n; k++)
        {
            int p = k;
            double max = -1;
            for (int i = k; i < n; i++)
            {
                int q = 2 * (i * n + k);
                double v = Math.Abs(a[q]) + Math.Abs(a[q + 1]);
                if (v > max) { max = v; p = i; }
            }
            pivots[k] = p;
            if (p != k)
            {
                Span<double> rk = a.Slice(2 * k * n, 2 * n), rp = a.Slice(2 * p * n, 2 * n);
                for (int j = 0; j < 2 * n; j++) (rk[j], rp[j]) = (rp[j], rk[j]);
            }
            if (!(max > 0) || !double.IsFinite(max)) { regular = false; continue; }
            int kk = 2 * (k * n + k);
            double pr = a[kk], pi = a[kk + 1];
            double d = pr * pr + pi * pi;
            double ir = pr / d, ii = -pi / d;
            for (int i = k + 1; i < n; i++)
            {
                int ik = 2 * (i * n + k);
                double xr = a[ik], xi = a[ik + 1];
                double lr = xr * ir - xi * ii, li = xr * ii + xi * ir;
                a[ik] = lr;
                a[ik + 1] = li;
                if (lr == 0 && li == 0) continue;
                for (int j = k + 1; j < n; j++)
                {
                    int kj = 2 * (k * n + j), ij = 2 * (i * n + j);
                    double ur = a[kj], ui = a[kj + 1];
                    a[ij] -= lr * ur - li * ui;
                    a[ij + 1] -= lr * ui + li * ur;
                }
            }
        }
        return regular;
    }

    /// <summary>Solves A·x = b in place (b interleaved, length 2n) with the factors from <see cref="Factor"/>.</summary>
    public static void Solve(ReadOnlySpan<double> lu, int n, ReadOnlySpan<int> pivots, Span<double> b)
    {
        for (int k = 0; k < n; k++)
        {
            int p = pivots[k];
            if (p != k)
            {
                (b[2 * k], b[2 * p]) = (b[2 * p], b[2 * k]);
                (b[2 * k + 1], b[2 * p + 1]) = (b[2 * p + 1], b[2 * k + 1]);
            }
        }
        for (int i = 1; i < n; i++)
        {
            double sr = b[2 * i], si = b[2 * i + 1];
            for (int j = 0; j < i; j++)
            {
                int ij = 2 * (i * n + j);
                double lr = lu[ij], li = lu[ij + 1], xr = b[2 * j], xi = b[2 * j + 1];
                sr -= lr * xr - li * xi;
                si -= lr * xi + li * xr;
            }
            b[2 * i] = sr;
            b[2 * i + 1] = si;
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double sr = b[2 * i], si = b[2 * i + 1];
            for (int j = i + 1; j < n; j++)
            {
                int ij = 2 * (i * n + j);
                double ur = lu[ij], ui = lu[ij + 1], xr = b[2 * j], xi = b[2 * j + 1];
                sr -= ur * xr - ui * xi;
                si -= ur * xi + ui * xr;
            }
            int ii = 2 * (i * n + i);
            double pr = lu[ii], pi = lu[ii + 1];
            double d = pr * pr + pi * pi;
            b[2 * i] = (sr * pr + si * pi) / d;
            b[2 * i + 1] = (si * pr - sr * pi) / d;
        }
    }
}
