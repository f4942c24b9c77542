using Ordo.LinearAlgebra;

namespace Ordo.Optimization;

/// <summary>
/// Subspace minimization of L-BFGS-B by the direct primal method: with the variables at bound at the Cauchy point x^c
/// held fixed, minimize the quadratic model over the t free variables, then project the step onto the box.
/// </summary>
/// <remarks>
/// <para>Source: R. H. Byrd, P. Lu, J. Nocedal and C. Zhu, SIAM J. Sci. Comput. 16(5) (1995) 1190–1208, §5.1. With Z
/// the free columns of the identity, the reduced gradient is r = Zᵀ(g + θ(x^c − x) − W M c) and the reduced matrix
/// B̂ = θI − U M Uᵀ with U = ZᵀW (t × 2k). Sherman–Morrison–Woodbury gives
/// B̂⁻¹r = r/θ + U (M⁻¹ − UᵀU/θ)⁻¹ Uᵀr / θ², so the step d^u = −B̂⁻¹r costs one symmetric 2k × 2k solve (dense LU
/// with partial pivoting; M⁻¹ = [[−D, Lᵀ], [L, θSᵀS]] is indefinite) and O(k²·t) to form UᵀU (U is gathered into 2k contiguous rows, so the products are vector dots).</para>
/// <para>J. L. Morales and J. Nocedal, ACM TOMS 38(1) (2011) article 7: x̄ = P(x^c + Z d^u) when x̄ − x is a descent
/// direction; otherwise the original rule x̄ = x^c + α*·Z d^u with α* the largest α ≤ 1 that stays in the box.</para>
/// </remarks>
internal sealed class SubspaceMinimizer
{
    private readonly int[] _free;
    private readonly double[] _r;
    private readonly double[] _du;
    private readonly double[] _u;
    private readonly double[] _v;
    private readonly double[] _a;
    private readonly int[] _pivot;
    private readonly int _ld;

    /// <summary>Allocates the buffers for dimension n and memory m.</summary>
    public SubspaceMinimizer(int dimension, int memory)
    {
        _free = new int[dimension];
        _r = new double[dimension];
        _du = new double[dimension];
        _ld = 2 * memory;
        _u = new double[_ld * dimension];
        _v = new double[_ld];
        _a = new double[_ld * _ld];
        _pivot = new int[_ld];
    }

    /// <summary>The number of free variables at the last Cauchy point.</summary>
    public int FreeCount { get; private set; }

    /// <summary>True when the last step was the backtracked one (the projected step was not a descent direction).</summary>
    public bool Backtracked { get; private set; }

    /// <summary>Writes x̄ into <paramref name="xbar"/>; <paramref name="mc"/> is M·c from the Cauchy point.</summary>
    public void Minimize(ReadOnlySpan<double> x, ReadOnlySpan<double> g, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper,
        CompactLbfgsMatrix b, ReadOnlySpan<double> xc, ReadOnlySpan<double> mc, Span<double> xbar)
    {
        int n = x.Length, k = b.Count, k2 = 2 * k, ld = k2; // the reduced matrix is stored compactly (k2 × k2)
        double theta = b.Theta;
        xc.CopyTo(xbar);
        Backtracked = false;
        int nf = 0;
        for (int i = 0; i < n; i++)
            if (lower[i] < xc[i] && xc[i] < upper[i]) _free[nf++] = i;
        FreeCount = nf;
        if (nf == 0) return;

        var r = _r.AsSpan(0, nf);
        var du = _du.AsSpan(0, nf);
        for (int j = 0; j < nf; j++)
        {
            int i = _free[j];
            r[j] = g[i] + theta * (xc[i] - x[i]);
        }
        if (k > 0)
        {
            // U = ZᵀW gathered column by column (contiguous rows of length t), so every product below is a vector dot.
            for (int p = 0; p < k; p++)
            {
                var yp = b.Y(p);
                var sp = b.S(p);
                var uy = _u.AsSpan(p * n, nf);
                var us = _u.AsSpan((k + p) * n, nf);
                for (int j = 0; j < nf; j++)
                {
                    int i = _free[j];
                    uy[j] = yp[i];
                    us[j] = theta * sp[i];
                }
            }
            for (int p = 0; p < k2; p++) Blas1.Axpy(-mc[p], (ReadOnlySpan<double>)_u.AsSpan(p * n, nf), r);
            var v = _v.AsSpan(0, k2);
            var a = _a.AsSpan();
            b.MiddleInverse(a, ld);
            double invTheta = 1 / theta;
            for (int p = 0; p < k2; p++)
            {
                ReadOnlySpan<double> up = _u.AsSpan(p * n, nf);
                v[p] = Blas1.Dot(up, (ReadOnlySpan<double>)r);
                for (int q = 0; q <= p; q++)
                {
                    double t = a[p * ld + q] - invTheta * Blas1.Dot(up, (ReadOnlySpan<double>)_u.AsSpan(q * n, nf));
                    a[p * ld + q] = t;
                    a[q * ld + p] = t;
                }
            }
            if (!DenseLU.FactorAndSolve(a[..(k2 * k2)], k2, _pivot.AsSpan(0, k2), v[..k2]) || !Blas1.AllFinite<double>(v[..k2])) return; // singular reduced system: x̄ = x^c.
            for (int j = 0; j < nf; j++) du[j] = -r[j] * invTheta;
            double invTheta2 = invTheta * invTheta;
            for (int p = 0; p < k2; p++) Blas1.Axpy(-invTheta2 * v[p], (ReadOnlySpan<double>)_u.AsSpan(p * n, nf), du);
        }
        else
        {
            for (int j = 0; j < nf; j++) du[j] = -r[j] / theta;
        }

        double slope = 0;
        for (int j = 0; j < nf; j++)
        {
            int i = _free[j];
            xbar[i] = Math.Clamp(xc[i] + du[j], lower[i], upper[i]);
        }
        for (int i = 0; i < n; i++) slope += g[i] * (xbar[i] - x[i]);
        if (slope < 0) return;

        Backtracked = true;
        double alpha = 1;
        for (int j = 0; j < nf; j++)
        {
            int i = _free[j];
            double di = du[j];
            if (di > 0) alpha = Math.Min(alpha, (upper[i] - xc[i]) / di);
            else if (di < 0) alpha = Math.Min(alpha, (lower[i] - xc[i]) / di);
        }
        if (!(alpha > 0)) alpha = 0;
        for (int j = 0; j < nf; j++)
        {
            int i = _free[j];
            xbar[i] = Math.Clamp(xc[i] + alpha * du[j], lower[i], upper[i]);
        }
    }
}
