namespace Ordo.Optimization;

/// <summary>
/// The limited-memory BFGS matrix in compact form, B = θI − W M Wᵀ with W = [Y θS] (n × 2k) and
/// M = [[−D, Lᵀ], [L, θSᵀS]]⁻¹ (2k × 2k), where D = diag(sᵢᵀyᵢ) and L is the strictly lower part of SᵀY
/// (L_ij = sᵢᵀyⱼ for i &gt; j). The pairs are kept oldest first in a ring buffer of m slots allocated once; SᵀS and SᵀY
/// are updated with O(m·n) work per accepted pair.
/// </summary>
/// <remarks>
/// Source: R. H. Byrd, J. Nocedal and R. B. Schnabel, "Representations of quasi-Newton matrices and their use in limited
/// memory methods", Math. Programming 63 (1994) 129–156, Theorem 2.3; R. H. Byrd, P. Lu, J. Nocedal and C. Zhu, SIAM J.
/// Sci. Comput. 16(5) (1995) 1190–1208, §3. M·v is applied through the block elimination of the middle matrix:
/// with T = θSᵀS + L D⁻¹ Lᵀ (symmetric positive definite when S has full rank, factored by Cholesky),
/// [[−D, Lᵀ], [L, θSᵀS]]·[a; b] = [u; v] gives b = T⁻¹(v + L D⁻¹ u) and a = D⁻¹(Lᵀb − u).
/// </remarks>
internal sealed class CompactLbfgsMatrix
{
    private readonly int _n;
    private readonly int _m;
    private readonly double[] _s;   // m slots × n
    private readonly double[] _y;   // m slots × n
    private readonly double[] _ss;  // physical m × m: sᵢᵀsⱼ
    private readonly double[] _sy;  // physical m × m: sᵢᵀyⱼ
    private readonly double[] _d;   // logical: sᵢᵀyᵢ
    private readonly double[] _l;   // logical m × m, strictly lower: sᵢᵀyⱼ, i > j
    private readonly double[] _lOverD; // logical m × m: L_ij / D_j
    private readonly int[] _offset; // logical → offset of the slot in _s and _y
    private readonly double[] _chol; // logical m × m, lower Cholesky factor of T
    private readonly double[] _rhs; // m
    private int _head;

    /// <summary>Allocates storage for <paramref name="memory"/> pairs of dimension <paramref name="dimension"/>.</summary>
    public CompactLbfgsMatrix(int dimension, int memory)
    {
        _n = dimension;
        _m = memory;
        _s = new double[memory * dimension];
        _y = new double[memory * dimension];
        _ss = new double[memory * memory];
        _sy = new double[memory * memory];
        _d = new double[memory];
        _l = new double[memory * memory];
        _lOverD = new double[memory * memory];
        _offset = new int[memory];
        _chol = new double[memory * memory];
        _rhs = new double[memory];
    }

    /// <summary>The number of stored pairs k (0 ≤ k ≤ m).</summary>
    public int Count { get; private set; }

    /// <summary>The memory m.</summary>
    public int Memory => _m;

    /// <summary>θ = yᵀy/sᵀy of the newest pair (1 with no pairs).</summary>
    public double Theta { get; private set; } = 1;

    /// <summary>Drops every pair (B = I).</summary>
    public void Reset()
    {
        Count = 0;
        _head = 0;
        Theta = 1;
    }

    private int Slot(int logical) => (_head + logical) % _m;

    /// <summary>sᵢ (logical index, oldest first).</summary>
    public ReadOnlySpan<double> S(int i) => _s.AsSpan(Slot(i) * _n, _n);

    /// <summary>yᵢ (logical index, oldest first).</summary>
    public ReadOnlySpan<double> Y(int i) => _y.AsSpan(Slot(i) * _n, _n);

    /// <summary>Stores the pair (s, y) when sᵀy &gt; ε·yᵀy (the curvature test that keeps B positive definite), dropping
    /// the oldest pair when the memory is full. Returns false (and keeps the matrix) when the test fails.</summary>
    public bool TryAdd(ReadOnlySpan<double> s, ReadOnlySpan<double> y, double epsilon)
    {
        double sy = Blas1.Dot(s, y);
        double yy = Blas1.Dot(y, y);
        if (!(sy > epsilon * yy) || !double.IsFinite(sy) || !double.IsFinite(yy)) return false;
        int p;
        if (Count < _m)
        {
            p = Slot(Count);
            Count++;
        }
        else
        {
            p = _head;
            _head = (_head + 1) % _m;
        }
        s.CopyTo(_s.AsSpan(p * _n, _n));
        y.CopyTo(_y.AsSpan(p * _n, _n));
        for (int i = 0; i < Count; i++)
        {
            int q = Slot(i);
            var sq = _s.AsSpan(q * _n, _n);
            var yq = _y.AsSpan(q * _n, _n);
            double ssv = q == p ? Blas1.Dot(s, s) : Blas1.Dot(s, (ReadOnlySpan<double>)sq);
            _ss[p * _m + q] = ssv;
            _ss[q * _m + p] = ssv;
            _sy[p * _m + q] = q == p ? sy : Blas1.Dot(s, (ReadOnlySpan<double>)yq);
            if (q != p) _sy[q * _m + p] = Blas1.Dot((ReadOnlySpan<double>)sq, y);
        }
        Theta = yy / sy;
        if (!Factor())
        {
            // S is numerically rank deficient: keep only the newest pair, for which T = θ·sᵀs > 0.
            _head = p;
            Count = 1;
            Factor();
        }
        return true;
    }

    /// <summary>Builds D and L in logical order and the Cholesky factor of T = θSᵀS + L D⁻¹ Lᵀ.</summary>
    private bool Factor()
    {
        int k = Count, m = _m;
        for (int i = 0; i < k; i++)
        {
            int pi = Slot(i);
            _d[i] = _sy[pi * m + pi];
            for (int j = 0; j < k; j++)
                _l[i * m + j] = i > j ? _sy[pi * m + Slot(j)] : 0;
        }
        for (int i = 0; i < k; i++)
        {
            _offset[i] = Slot(i) * _n;
            for (int j = 0; j < k; j++) _lOverD[i * m + j] = _l[i * m + j] / _d[j];
        }
        for (int i = 0; i < k; i++)
        {
            int pi = Slot(i);
            for (int j = 0; j <= i; j++)
            {
                double t = Theta * _ss[pi * m + Slot(j)];
                for (int q = 0; q < j; q++) t += _l[i * m + q] * _l[j * m + q] / _d[q];
                _chol[i * m + j] = t;
            }
        }
        for (int j = 0; j < k; j++)
        {
            double diag = _chol[j * m + j];
            for (int q = 0; q < j; q++) diag -= _chol[j * m + q] * _chol[j * m + q];
            if (!(diag > 0) || !double.IsFinite(diag)) return false;
            diag = Math.Sqrt(diag);
            _chol[j * m + j] = diag;
            for (int i = j + 1; i < k; i++)
            {
                double t = _chol[i * m + j];
                for (int q = 0; q < j; q++) t -= _chol[i * m + q] * _chol[j * m + q];
                _chol[i * m + j] = t / diag;
            }
        }
        return true;
    }

    /// <summary>result = M·v for a 2k-vector v (result must not overlap v).</summary>
    public void ApplyM(ReadOnlySpan<double> v, Span<double> result)
    {
        int k = Count, m = _m;
        var u1 = v[..k];
        var v2 = v.Slice(k, k);
        var a = result[..k];
        var b = result.Slice(k, k);
        // rhs = v2 + L D⁻¹ u1, then b = T⁻¹ rhs by forward and back substitution with the Cholesky factor.
        for (int i = 0; i < k; i++)
        {
            double t = v2[i];
            for (int j = 0; j < i; j++) t += _lOverD[i * m + j] * u1[j];
            _rhs[i] = t;
        }
        for (int i = 0; i < k; i++)
        {
            double t = _rhs[i];
            for (int j = 0; j < i; j++) t -= _chol[i * m + j] * b[j];
            b[i] = t / _chol[i * m + i];
        }
        for (int i = k - 1; i >= 0; i--)
        {
            double t = b[i];
            for (int j = i + 1; j < k; j++) t -= _chol[j * m + i] * b[j];
            b[i] = t / _chol[i * m + i];
        }
        for (int i = 0; i < k; i++)
        {
            double t = -u1[i];
            for (int j = i + 1; j < k; j++) t += _l[j * m + i] * b[j];
            a[i] = t / _d[i];
        }
    }

    /// <summary>Writes the 2k × 2k middle matrix M⁻¹ = [[−D, Lᵀ], [L, θSᵀS]] row-major with leading dimension
    /// <paramref name="ld"/>.</summary>
    public void MiddleInverse(Span<double> k2, int ld)
    {
        int k = Count, m = _m;
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < k; j++)
            {
                k2[i * ld + j] = i == j ? -_d[i] : 0;
                double lij = _l[i * m + j];
                k2[i * ld + k + j] = _l[j * m + i];       // Lᵀ
                k2[(k + i) * ld + j] = lij;               // L
                k2[(k + i) * ld + k + j] = Theta * _ss[Slot(i) * m + Slot(j)];
            }
        }
    }

    /// <summary>Row i of W = [Y θS] (a 2k-vector).</summary>
    public void WRow(int i, Span<double> w)
    {
        int k = Count;
        for (int j = 0; j < k; j++)
        {
            int o = _offset[j] + i;
            w[j] = _y[o];
            w[k + j] = Theta * _s[o];
        }
    }

    /// <summary>(W·v)ᵢ for a 2k-vector v.</summary>
    public double WRowDot(int i, ReadOnlySpan<double> v)
    {
        int k = Count;
        double t = 0, u = 0;
        for (int j = 0; j < k; j++)
        {
            int o = _offset[j] + i;
            t += _y[o] * v[j];
            u += _s[o] * v[k + j];
        }
        return t + Theta * u;
    }

    /// <summary>p = Wᵀd (a 2k-vector).</summary>
    public void WTransposeTimes(ReadOnlySpan<double> d, Span<double> p)
    {
        int k = Count;
        for (int j = 0; j < k; j++)
        {
            p[j] = Blas1.Dot(Y(j), d);
            p[k + j] = Theta * Blas1.Dot(S(j), d);
        }
    }
}
