namespace Ordo.Optimization;

/// <summary>
/// Householder QR with column pivoting (Businger–Golub) of an m×n matrix, J·P = Q·R, with the buffers of one size
/// allocated once and reused by every factorization (no allocation per call). R is kept as an n×n upper-triangular
/// matrix (rows ≥ m are zero when m &lt; n) and Qᵀb is applied on the fly.
/// </summary>
/// <remarks>Sources: P. Businger and G. H. Golub, "Linear least squares solutions by Householder transformations",
/// Numer. Math. 7 (1965) 269–276; Å. Björck, <i>Numerical Methods for Least Squares Problems</i>, SIAM 1996, §2.7.
/// The down-dated column norms are recomputed when cancellation has eaten more than half their digits
/// (Björck §2.7.3).</remarks>
internal sealed class PivotedQR
{
    private readonly int _m;
    private readonly int _n;
    private readonly double[] _a;      // column-major m×n working copy: R above the diagonal, Householder vectors below
    private readonly double[] _beta;   // Householder scalars
    private readonly double[] _norms;  // partial column norms
    private readonly double[] _norms0; // norms at the last recomputation
    private readonly double[] _r;      // n×n upper triangular R, row-major
    private readonly double[] _head;   // first components of the Householder vectors
    private readonly double[] _t;      // complete orthogonal decomposition workspace (k×n rows of R), row-major
    private readonly double[] _tau;
    private readonly double[] _wHead;

    public PivotedQR(int m, int n)
    {
        _m = m;
        _n = n;
        _a = new double[m * n];
        _beta = new double[n];
        _norms = new double[n];
        _norms0 = new double[n];
        _r = new double[n * n];
        _head = new double[n];
        _t = new double[n * n];
        _tau = new double[n];
        _wHead = new double[n];
        Permutation = new int[n];
        ColumnNorms = new double[n];
    }

    /// <summary>P as an index map: column j of R corresponds to variable Permutation[j].</summary>
    public int[] Permutation { get; }

    /// <summary>‖J_j‖₂ of the original columns, in the original order (what Moré's scaling uses).</summary>
    public double[] ColumnNorms { get; }

    /// <summary>R, n×n row-major, upper triangular: R[i·n + j], j ≥ i.</summary>
    public ReadOnlySpan<double> R => _r;

    /// <summary>R[i, j].</summary>
    public double this[int i, int j] => _r[i * _n + j];

    /// <summary>Factors the row-major m×n matrix <paramref name="jacobian"/>.</summary>
    public void Factor(ReadOnlySpan<double> jacobian)
    {
        int m = _m, n = _n;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                _a[j * m + i] = jacobian[i * n + j];
        for (int j = 0; j < n; j++)
        {
            double s = Blas1.Norm2<double>(_a.AsSpan(j * m, m));
            ColumnNorms[j] = s;
            _norms[j] = s;
            _norms0[j] = s;
            Permutation[j] = j;
        }
        int steps = Math.Min(m, n);
        for (int k = 0; k < steps; k++)
        {
            int p = k;
            for (int j = k + 1; j < n; j++) if (_norms[j] > _norms[p]) p = j;
            if (p != k)
            {
                SwapColumns(k, p);
                (Permutation[k], Permutation[p]) = (Permutation[p], Permutation[k]);
                (_norms[k], _norms[p]) = (_norms[p], _norms[k]);
                (_norms0[k], _norms0[p]) = (_norms0[p], _norms0[k]);
            }
            var col = _a.AsSpan(k * m + k, m - k);
            double alpha = Blas1.Norm2<double>(col);
            if (alpha == 0) { _beta[k] = 0; continue; }
            if (col[0] > 0) alpha = -alpha;
            // v = x − αe₁ stored in place (v₀ = x₀ − α), H = I − β v vᵀ with β = 1/(−α v₀).
            col[0] -= alpha;
            double beta = -1 / (alpha * col[0]);
            _beta[k] = beta;
            for (int j = k + 1; j < n; j++)
            {
                var cj = _a.AsSpan(j * m + k, m - k);
                double t = beta * Blas1.Dot<double>(col, cj);
                Blas1.Axpy(-t, col, cj);
                if (_norms[j] != 0)
                {
                    double ratio = Math.Abs(cj[0]) / _norms[j];
                    double down = Math.Max(0, 1 - ratio * ratio);
                    double est = _norms[j] * Math.Sqrt(down);
                    if (down * Math.Pow(_norms[j] / _norms0[j], 2) <= 1.5e-8)
                    {
                        est = m - k - 1 > 0 ? Blas1.Norm2<double>(cj.Slice(1)) : 0;
                        _norms0[j] = est;
                    }
                    _norms[j] = est;
                }
            }
            // The diagonal of R takes v₀'s place; v₀ is kept aside for applying Qᵀ.
            _head[k] = col[0];
            col[0] = alpha;
        }
        _r.AsSpan().Clear();
        for (int i = 0; i < Math.Min(m, n); i++)
            for (int j = i; j < n; j++)
                _r[i * n + j] = _a[j * m + i];
    }

    private void SwapColumns(int k, int p)
    {
        int m = _m;
        var ck = _a.AsSpan(k * m, m);
        var cp = _a.AsSpan(p * m, m);
        for (int i = 0; i < m; i++) (ck[i], cp[i]) = (cp[i], ck[i]);
    }

    /// <summary>Overwrites b (length m) with Qᵀb.</summary>
    public void ApplyQTranspose(Span<double> b)
    {
        int m = _m;
        int steps = Math.Min(m, _n);
        for (int k = 0; k < steps; k++)
        {
            double beta = _beta[k];
            if (beta == 0) continue;
            var v = _a.AsSpan(k * m + k, m - k);
            var bk = b.Slice(k, m - k);
            double head = _head[k];
            double t = head * bk[0];
            for (int i = 1; i < v.Length; i++) t += v[i] * bk[i];
            t *= beta;
            bk[0] -= t * head;
            for (int i = 1; i < v.Length; i++) bk[i] -= t * v[i];
        }
    }

    /// <summary>Numerical rank: the number of leading diagonal entries with |R_kk| &gt; tol·|R_00|.</summary>
    public int Rank(double relativeTolerance)
    {
        int steps = Math.Min(_m, _n);
        double r00 = steps > 0 ? Math.Abs(_r[0]) : 0;
        if (r00 == 0) return 0;
        int k = 0;
        while (k < steps && Math.Abs(_r[k * _n + k]) > relativeTolerance * r00) k++;
        return k;
    }

    /// <summary>
    /// The minimum-norm solution of min ‖J x − b‖₂ treating J as having rank <paramref name="rank"/>: the trailing
    /// rows of R are dropped and the k×n trapezoid [R₁₁ R₁₂] is reduced to [T 0]·Z by Householder transformations from
    /// the right (the complete orthogonal decomposition, Björck §2.7.5), so x = P·Zᵀ·[T⁻¹c; 0] has the least 2-norm
    /// among all least-squares solutions of the rank-k problem. <paramref name="qtb"/> holds Qᵀb (at least its first
    /// k entries); <paramref name="x"/> (length n) receives the solution in the original variable order.
    /// </summary>
    public void SolveMinimumNorm(ReadOnlySpan<double> qtb, int rank, Span<double> x, Span<double> z)
    {
        int n = _n, k = rank;
        z.Clear();
        if (k == 0) { x.Clear(); return; }
        for (int i = 0; i < k; i++)
            for (int j = 0; j < n; j++)
                _t[i * n + j] = j >= i ? _r[i * n + j] : 0;
        // Zero T[i, k..n−1] row by row from the bottom.
        for (int i = k - 1; i >= 0 && k < n; i--)
        {
            var tail = _t.AsSpan(i * n + k, n - k);
            double a0 = _t[i * n + i];
            double alpha = Math.Sqrt(a0 * a0 + Blas1.Dot<double>(tail, tail));
            if (alpha == 0 || Blas1.Dot<double>(tail, tail) == 0) { _tau[i] = 0; continue; }
            if (a0 > 0) alpha = -alpha;
            double w0 = a0 - alpha;
            double tau = -1 / (alpha * w0);
            _tau[i] = tau;
            _wHead[i] = w0;
            for (int r = 0; r < i; r++)
            {
                var rowTail = _t.AsSpan(r * n + k, n - k);
                double t = tau * (_t[r * n + i] * w0 + Blas1.Dot<double>(rowTail, tail));
                _t[r * n + i] -= t * w0;
                Blas1.Axpy(-t, tail, rowTail);
            }
            _t[i * n + i] = alpha; // the tail now holds w's tail (the row's entries there are zero)
        }
        // Back substitution with the k×k upper triangle T.
        for (int i = k - 1; i >= 0; i--)
        {
            double s = qtb[i];
            for (int j = i + 1; j < k; j++) s -= _t[i * n + j] * z[j];
            z[i] = s / _t[i * n + i];
        }
        // z ← H_{k−1}⋯H_0·[y; 0]: apply H_0 first.
        for (int i = 0; i < k && k < n; i++)
        {
            double tau = _tau[i];
            if (tau == 0) continue;
            var tail = _t.AsSpan(i * n + k, n - k);
            var zTail = z.Slice(k, n - k);
            double w0 = _wHead[i];
            double t = tau * (w0 * z[i] + Blas1.Dot<double>(tail, zTail));
            z[i] -= t * w0;
            Blas1.Axpy(-t, tail, zTail);
        }
        for (int j = 0; j < n; j++) x[Permutation[j]] = z[j];
    }
}
