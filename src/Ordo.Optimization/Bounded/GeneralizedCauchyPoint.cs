namespace Ordo.Optimization;

/// <summary>
/// The generalized Cauchy point: the first local minimizer of the quadratic model
/// m(z) = gᵀ(z − x) + ½(z − x)ᵀB(z − x) along the projected steepest-descent path x(t) = P(x − t·g), with B in compact
/// form (<see cref="CompactLbfgsMatrix"/>).
/// </summary>
/// <remarks>
/// Source: R. H. Byrd, P. Lu, J. Nocedal and C. Zhu, "A limited memory algorithm for bound constrained optimization",
/// SIAM J. Sci. Comput. 16(5) (1995) 1190–1208, §4 (algorithm CP). Breakpoints tᵢ = (xᵢ − uᵢ)/gᵢ (gᵢ &lt; 0),
/// (xᵢ − lᵢ)/gᵢ (gᵢ &gt; 0), ∞ otherwise, are visited in increasing order from a binary min-heap built in O(n) over a
/// preallocated index array (only the breakpoints passed are extracted, O(log n) each). On each segment the model is
/// the quadratic f′·Δt + ½f″·Δt² with f′ = gᵀd + θdᵀz − pᵀMc and f″ = θdᵀd − pᵀMp, p = Wᵀd, c = Wᵀz (z = x(t) − x);
/// when variable b reaches its bound, d_b becomes 0 and
/// f′ ← f′ + Δt f″ + g_b² + θg_b z_b − g_b w_bᵀMc, f″ ← f″ − θg_b² − 2g_b w_bᵀMp − g_b² w_bᵀMw_b, p ← p + g_b w_b.
/// The search stops in the first segment where −f′/f″ is shorter than the segment. M·p and M·c are carried along by
/// linearity, so each breakpoint costs one application of M (O(k²)) and O(k) for the row w_b of W.
/// </remarks>
internal sealed class GeneralizedCauchyPoint
{
    private readonly double[] _t;
    private readonly double[] _d;
    private readonly int[] _heap;
    private readonly double[] _p;
    private readonly double[] _mp;
    private readonly double[] _wb;
    private readonly double[] _mwb;
    private int _heapCount;

    /// <summary>Allocates the buffers for dimension n and memory m.</summary>
    public GeneralizedCauchyPoint(int dimension, int memory)
    {
        _t = new double[dimension];
        _d = new double[dimension];
        _heap = new int[dimension];
        _p = new double[2 * memory];
        _mp = new double[2 * memory];
        _wb = new double[2 * memory];
        _mwb = new double[2 * memory];
        C = new double[2 * memory];
        MC = new double[2 * memory];
    }

    /// <summary>c = Wᵀ(x^c − x) after <see cref="Compute"/> (the first 2k entries).</summary>
    public double[] C { get; }

    /// <summary>M·c after <see cref="Compute"/> (the first 2k entries).</summary>
    public double[] MC { get; }

    /// <summary>Breakpoints passed by the last <see cref="Compute"/>.</summary>
    public int BreakpointsPassed { get; private set; }

    /// <summary>Writes the generalized Cauchy point of the model at x (gradient g, matrix b) into <paramref name="xc"/>.</summary>
    public void Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> g, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper,
        CompactLbfgsMatrix b, Span<double> xc)
    {
        int n = x.Length, k2 = 2 * b.Count;
        double theta = b.Theta;
        var p = _p.AsSpan(0, k2);
        var mp = _mp.AsSpan(0, k2);
        var c = C.AsSpan(0, k2);
        var mc = MC.AsSpan(0, k2);
        var wb = _wb.AsSpan(0, k2);
        var mwb = _mwb.AsSpan(0, k2);
        c.Clear();
        mc.Clear();
        BreakpointsPassed = 0;

        _heapCount = 0;
        double fp = 0;
        int moving = 0;
        for (int i = 0; i < n; i++)
        {
            double gi = g[i], ti;
            if (gi < 0) ti = double.IsPositiveInfinity(upper[i]) ? double.PositiveInfinity : (x[i] - upper[i]) / gi;
            else if (gi > 0) ti = double.IsNegativeInfinity(lower[i]) ? double.PositiveInfinity : (x[i] - lower[i]) / gi;
            else ti = double.PositiveInfinity;
            if (!(ti > 0)) ti = 0;
            _t[i] = ti;
            _d[i] = ti == 0 ? 0 : -gi;
            xc[i] = x[i];
            fp -= _d[i] * _d[i];
            if (_d[i] != 0) moving++;
            if (ti > 0 && ti < double.PositiveInfinity) _heap[_heapCount++] = i;
        }
        if (fp == 0) return; // the projected gradient is zero: x is its own Cauchy point.
        for (int i = _heapCount / 2 - 1; i >= 0; i--) SiftDown(i);

        b.WTransposeTimes(_d, p);
        b.ApplyM(p, mp);
        double fpp = -theta * fp - Blas1.Dot<double>(p, mp);
        double fppFloor = double.Epsilon + 2.2e-16 * Math.Abs(fpp);
        if (fpp < fppFloor) fpp = fppFloor;
        double dtMin = -fp / fpp;
        double tOld = 0;
        while (_heapCount > 0)
        {
            int bi = _heap[0];
            double dt = _t[bi] - tOld;
            if (dtMin < dt) break;
            PopMin();
            BreakpointsPassed++;
            double gb = g[bi];
            xc[bi] = _d[bi] > 0 ? upper[bi] : lower[bi];
            double zb = xc[bi] - x[bi];
            if (k2 > 0)
            {
                Blas1.Axpy<double>(dt, p, c);
                Blas1.Axpy<double>(dt, mp, mc);
                b.WRow(bi, wb);
                b.ApplyM(wb, mwb);
                fp += dt * fpp + gb * gb + theta * gb * zb - gb * Blas1.Dot<double>(wb, mc);
                fpp -= theta * gb * gb + 2 * gb * Blas1.Dot<double>(wb, mp) + gb * gb * Blas1.Dot<double>(wb, mwb);
                Blas1.Axpy<double>(gb, wb, p);
                Blas1.Axpy<double>(gb, mwb, mp);
            }
            else
            {
                fp += dt * fpp + gb * gb + theta * gb * zb;
                fpp -= theta * gb * gb;
            }
            _d[bi] = 0;
            tOld = _t[bi];
            if (--moving == 0) { dtMin = 0; break; }
            if (fpp < fppFloor) fpp = fppFloor;
            dtMin = fp >= 0 ? 0 : -fp / fpp;
        }
        if (!(dtMin > 0)) dtMin = 0;
        if (!double.IsFinite(dtMin)) dtMin = 0;
        tOld += dtMin;
        for (int i = 0; i < n; i++)
            if (_d[i] != 0) xc[i] = Math.Clamp(x[i] + tOld * _d[i], lower[i], upper[i]);
        if (k2 > 0)
        {
            Blas1.Axpy<double>(dtMin, p, c);
            Blas1.Axpy<double>(dtMin, mp, mc);
        }
    }

    private void SiftDown(int i)
    {
        int[] h = _heap;
        int item = h[i];
        double key = _t[item];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _heapCount) break;
            if (child + 1 < _heapCount && _t[h[child + 1]] < _t[h[child]]) child++;
            if (_t[h[child]] >= key) break;
            h[i] = h[child];
            i = child;
        }
        h[i] = item;
    }

    private void PopMin()
    {
        _heapCount--;
        if (_heapCount > 0)
        {
            _heap[0] = _heap[_heapCount];
            SiftDown(0);
        }
    }
}
