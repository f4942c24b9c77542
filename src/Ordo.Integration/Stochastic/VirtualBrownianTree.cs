using System.Runtime.CompilerServices;
using Ordo.Rng;

namespace Ordo.Integration;

/// <summary>
/// The Ordo virtual Brownian tree (sde.md §1.5): an <c>m</c>-lane Brownian path on <c>[t0, t1]</c> with its
/// space-time Lévy area, generated from one seed, that answers <c>W_{s,t}</c> and <c>H_{s,t}</c> for any interval in
/// any order, bit-identical on re-query, with memory <c>O(L·m)</c> (Gaines &amp; Lyons 1997, "Variable step size
/// control in the numerical solution of stochastic differential equations"; Li, Wong, Chen &amp; Duvenaud 2020,
/// "Scalable gradients for stochastic differential equations" (the virtual Brownian tree); Foster, Lyons &amp;
/// Oberhauser 2020 and Foster 2020 (thesis, Thm 6.1.4/6.1.6: the (W, H) bridge laws); Jelinčič, Foster &amp; Kidger
/// 2024, "Single-seed generation of Brownian paths and integrals for adaptive and high order SDE solvers").
/// </summary>
/// <remarks>
/// <para>
/// <b>Tree.</b> Time is normalised, <c>τ = (t − t0)/T</c>, <c>T = t1 − t0</c>. Node <c>(ℓ, k)</c> covers
/// <c>[k 2^−ℓ, (k+1) 2^−ℓ]</c>; the root draws <c>W_{0,1} = n₀</c>, <c>H̄_{0,1} = n₁/√12</c>; each internal node is split at
/// its midpoint by the exact (W, H) midpoint law (sde.md §1.3) and a query descends to depth
/// <c>L = max(0, ⌈log₂(T/tol)⌉)</c> (capped at 62; ties go left), then interpolates exactly inside the leaf with the
/// (W, H) bridge law at an arbitrary point. The mode is the spec's <c>WH</c>: H is carried at every node, so the W
/// path is the same whether or not a solver asks for H.
/// </para>
/// <para>
/// <b>Random numbers.</b> Block <c>q</c> of node <c>(ℓ, k)</c>, lane <c>j</c>, is
/// <c>Philox4x32-10((j, ℓ + 256q, k mod 2³², k &gt;&gt; 32), key)</c> mapped by Box–Muller to <c>(n_{2q}, n_{2q+1})</c>
/// (<see cref="RandomMapping.Normals"/>): <c>q = 0</c> root, <c>q = 2</c> midpoint <c>(Z, N)</c>, <c>q = 4</c> leaf
/// <c>(X₁, X₂)</c>. The key is the stream key of <see cref="CounterRng.StreamKey"/> (stream 0: the seed's own key).
/// Every value is a pure function of <c>(seed, stream, lane, node)</c>, so the results do not depend on the query order.
/// </para>
/// <para>
/// <b>Tolerance.</b> Two points inside one leaf share the leaf's <c>(X₁, X₂)</c>, so an increment shorter than a leaf is
/// not an independent bridge (over half a leaf its variance is about 0.52 h, sde.md §1.5). Fixed-step runs need
/// <c>tol ≤ h/2</c>, adaptive runs a minimum step <c>≥ tol</c>. An increment with <c>0 &lt; t − s</c> shorter than
/// <see cref="LeafWidth"/> (less a relative 10⁻⁹ for rounding) throws unless <c>allowSubLeafIncrements</c> is set.
/// </para>
/// <para>
/// <b>Cache.</b> The node states of the last root-to-leaf path (levels 0..L, all lanes) and the last two evaluated
/// points are kept; a query re-descends only from the deepest level whose node still contains it. Node states are
/// pure functions of the seed, so cached and uncached answers are bitwise equal. The cache makes an instance
/// unsafe to share between threads: use one instance per thread (same seed and stream give the same path).
/// </para>
/// </remarks>
public sealed class VirtualBrownianTree : IBrownianPath
{
    /// <summary>The largest depth (sde.md §1.5 caps <c>L ≤ 62</c> so that <c>k &lt; 2⁶²</c>).</summary>
    public const int MaxDepth = 62;

    private const double Sqrt12 = 3.4641016151377544; // √12, as Python's math.sqrt(12.0)
    private const double Sqrt720 = 26.832815729997478; // √720
    private const double LeafSlack = 1e-9;

    private readonly int _lanes;
    private readonly int _depth;
    private readonly double _t0, _t1, _span, _sqrtSpan, _leafWidth, _edgeSlack;
    private PhiloxKey _key;
    private readonly bool _allowSubLeaf;
    private readonly bool _withK;

    // Per-level constants: h = 2^-ℓ, √h/4, √(h/12), 1.5/h.
    private readonly double[] _h, _quarterSqrtH, _sqrtHOver12, _threeHalvesOverH;

    // Cached root-to-leaf path: node (ℓ, _k[ℓ]) starting at _s[ℓ]; lane states at index ℓ·m + j.
    private readonly double[] _s;
    private readonly ulong[] _k;
    private readonly bool[] _right;
    private readonly double[] _ws, _hs, _wsu, _hsu;
    private readonly double[] _ks, _ksu; // K̄ states (WHK mode only; empty otherwise)
    private int _cachedDepth; // node states of levels 0.._cachedDepth are valid

    // Leaf interpolation normals of the last leaf.
    private readonly double[] _x1, _x2, _x3;
    // The counters and normals of one descent (levels × lanes, plus the leaf's lanes), drawn together by the vectorized
    // generator (bitwise the scalar NodeNormals, so the path does not depend on how its normals are computed).
    private readonly Words4x32[] _descentCounters, _descentBlocks;
    private readonly double[] _descentZ, _descentN;
    private ulong _leafK;
    private bool _leafValid;

    // The last two evaluated points (normalised τ; W_τ and H̄_τ per lane).
    private readonly double[] _pointTau = new double[2];
    private readonly bool[] _pointValid = new bool[2];
    private readonly double[] _pointW, _pointH, _pointK;
    private int _lastSlot;

    /// <summary>Creates the tree; node values are generated lazily on query.</summary>
    /// <param name="t0">The start of the interval.</param>
    /// <param name="t1">The end of the interval, <c>&gt; t0</c>.</param>
    /// <param name="tol">The leaf-width tolerance, <c>&gt; 0</c>: the leaf width is <c>(t1 − t0)·2^−L ≤ tol</c> (unless capped by <see cref="MaxDepth"/>).</param>
    /// <param name="lanes">The number of Brownian components, <c>≥ 1</c>.</param>
    /// <param name="seed">The 64-bit seed.</param>
    /// <param name="stream">The stream (trajectory) id; ensembles give path <c>p</c> stream <c>p</c> of one seed.</param>
    /// <param name="allowSubLeafIncrements">Accept increments shorter than a leaf (their law is then not exact; see the remarks).</param>
    /// <param name="mode"><see cref="BrownianTreeMode.WH"/> (default, the golden path) or <see cref="BrownianTreeMode.WHK"/> (also K; a different H path).</param>
    /// <exception cref="ArgumentException">Non-finite times, <c>t1 ≤ t0</c>, <c>tol ≤ 0</c> or NaN, <c>lanes &lt; 1</c>, or an unknown mode.</exception>
    public VirtualBrownianTree(double t0, double t1, double tol, int lanes, ulong seed, ulong stream = 0, bool allowSubLeafIncrements = false,
        BrownianTreeMode mode = BrownianTreeMode.WH)
    {
        if (!double.IsFinite(t0) || !double.IsFinite(t1))
            throw new ArgumentException($"The interval [{t0}, {t1}] must be finite.", nameof(t1));
        if (!(t1 > t0))
            throw new ArgumentException($"t1 = {t1} must be greater than t0 = {t0}.", nameof(t1));
        if (!(tol > 0) || double.IsInfinity(tol))
            throw new ArgumentOutOfRangeException(nameof(tol), tol, "The tolerance must be positive and finite.");
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);

        _lanes = lanes;
        _t0 = t0;
        _t1 = t1;
        _span = t1 - t0;
        _sqrtSpan = Math.Sqrt(_span);
        _edgeSlack = 16 * Math.ScaleB(1.0, -52) * Math.Max(_span, Math.Max(Math.Abs(t0), Math.Abs(t1)));
        Tolerance = tol;
        Seed = seed;
        Stream = stream;
        _allowSubLeaf = allowSubLeafIncrements;
        if (mode is not (BrownianTreeMode.WH or BrownianTreeMode.WHK))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown mode.");
        Mode = mode;
        _withK = mode == BrownianTreeMode.WHK;
        _depth = DepthFor(_span, tol);
        _leafWidth = Math.ScaleB(_span, -_depth);
        _key = new CounterRng(seed).StreamKey(stream);

        int levels = _depth + 1;
        _h = new double[levels];
        _quarterSqrtH = new double[levels];
        _sqrtHOver12 = new double[levels];
        _threeHalvesOverH = new double[levels];
        for (int l = 0; l < levels; l++)
        {
            double h = Math.ScaleB(1.0, -l);
            _h[l] = h;
            _quarterSqrtH[l] = 0.25 * Math.Sqrt(h);
            _sqrtHOver12[l] = Math.Sqrt(h / 12.0);
            _threeHalvesOverH[l] = 1.5 / h;
        }

        _s = new double[levels];
        _k = new ulong[levels];
        _right = new bool[levels];
        _ws = new double[levels * lanes];
        _hs = new double[levels * lanes];
        _wsu = new double[levels * lanes];
        _hsu = new double[levels * lanes];
        _ks = _withK ? new double[levels * lanes] : [];
        _ksu = _withK ? new double[levels * lanes] : [];
        int batch = _withK ? 0 : (_depth + 1) * lanes;
        _descentCounters = new Words4x32[batch];
        _descentBlocks = new Words4x32[batch];
        _descentZ = new double[batch];
        _descentN = new double[batch];
        _x1 = new double[lanes];
        _x2 = new double[lanes];
        _x3 = new double[lanes];
        _pointW = new double[2 * lanes];
        _pointH = new double[2 * lanes];
        _pointK = _withK ? new double[2 * lanes] : [];

        InitializeRoot();
    }

    /// <summary>
    /// Switches the tree to another stream of the same seed (another path of an ensemble) without allocating: the
    /// answers are then those of a new tree built with that stream.
    /// </summary>
    /// <param name="stream">The stream (trajectory) id.</param>
    public void Reset(ulong stream)
    {
        if (stream == Stream) return;
        Stream = stream;
        _key = new CounterRng(Seed).StreamKey(stream);
        InitializeRoot();
        ResetCache();
    }

    private void InitializeRoot()
    {
        for (int j = 0; j < _lanes; j++)
        {
            NodeNormals(j, 0, 0, 0, out double n0, out double n1);
            _wsu[j] = n0;
            _hsu[j] = n1 / Sqrt12;
            if (_withK)
            {
                NodeNormals(j, 0, 1, 0, out double n2, out _);
                _ksu[j] = n2 / Sqrt720;
            }
        }
    }

    /// <inheritdoc />
    public int Lanes => _lanes;

    /// <inheritdoc />
    public double T0 => _t0;

    /// <inheritdoc />
    public double T1 => _t1;

    /// <summary>Whether the tree also carries the space-time-time Lévy area K (<see cref="BrownianTreeMode.WHK"/>).</summary>
    public BrownianTreeMode Mode { get; }

    /// <summary>The tolerance the tree was built with.</summary>
    public double Tolerance { get; }

    /// <summary>The seed.</summary>
    public ulong Seed { get; }

    /// <summary>The stream (trajectory) id.</summary>
    public ulong Stream { get; private set; }

    /// <summary>The depth <c>L</c>: the smallest integer with <c>(t1 − t0)·2^−L ≤ tol</c>, at most <see cref="MaxDepth"/> (sde.md §1.5).</summary>
    public int Depth => _depth;

    /// <summary>The leaf width <c>(t1 − t0)·2^−L</c>; shorter increments throw unless allowed at construction.</summary>
    public double LeafWidth => _leafWidth;

    /// <summary>The depth for an interval length and a tolerance: the smallest <c>L ≥ 0</c> with <c>span·2^−L ≤ tol</c>, capped at <see cref="MaxDepth"/>.</summary>
    /// <param name="span">The interval length <c>t1 − t0 &gt; 0</c>.</param>
    /// <param name="tol">The tolerance <c>&gt; 0</c>.</param>
    /// <returns>The depth.</returns>
    public static int DepthFor(double span, double tol)
    {
        int depth = 0;
        while (depth < MaxDepth && Math.ScaleB(span, -depth) > tol)
            depth++;
        return depth;
    }

    /// <inheritdoc />
    public void Increment(double s, double t, Span<double> dW) => IncrementCore(s, t, dW, Span<double>.Empty, false);

    /// <inheritdoc />
    public void Increment(double s, double t, Span<double> dW, Span<double> h) => IncrementCore(s, t, dW, h, true);

    /// <summary>
    /// Writes <c>W_{s,t}</c>, <c>H_{s,t}</c> and the space-time-time Lévy area
    /// <c>K_{s,t} = (1/h²) ∫_s^t B_r ((s+t)/2 − r) dr ~ N(0, h/720)</c>, independent of (W, H) (sde.md §1.1, §1.3;
    /// Jelinčič, Foster &amp; Kidger 2024, Thm 3.7). Needs <see cref="BrownianTreeMode.WHK"/>.
    /// </summary>
    /// <param name="s">The start of the interval, in <c>[T0, T1]</c>.</param>
    /// <param name="t">The end of the interval, in <c>[s, T1]</c>.</param>
    /// <param name="dW">Receives <see cref="Lanes"/> increments.</param>
    /// <param name="h">Receives <see cref="Lanes"/> space-time Lévy areas.</param>
    /// <param name="k">Receives <see cref="Lanes"/> space-time-time Lévy areas.</param>
    /// <exception cref="InvalidOperationException">The tree was built in <see cref="BrownianTreeMode.WH"/> mode.</exception>
    /// <exception cref="ArgumentException">As <see cref="Increment(double, double, Span{double}, Span{double})"/>.</exception>
    public void Increment(double s, double t, Span<double> dW, Span<double> h, Span<double> k)
    {
        if (!_withK)
            throw new InvalidOperationException("K needs a tree built with BrownianTreeMode.WHK.");
        if (k.Length < _lanes)
            throw new ArgumentException($"The destination spans must hold at least {_lanes} values (one per lane).", nameof(k));
        IncrementCore(s, t, dW, h, true, k);
    }

    /// <summary>Forgets the cached path and points (for tests: answers must not change).</summary>
    internal void ResetCache()
    {
        _cachedDepth = 0;
        _leafValid = false;
        _pointValid[0] = _pointValid[1] = false;
    }

    private void IncrementCore(double s, double t, Span<double> dW, Span<double> hOut, bool withH, Span<double> kOut = default)
    {
        Validate(s, t, dW.Length, withH ? hOut.Length : _lanes);
        if (s == t)
        {
            dW[.._lanes].Clear();
            if (withH)
                hOut[.._lanes].Clear();
            if (!kOut.IsEmpty)
                kOut[.._lanes].Clear();
            return;
        }
        if (!_allowSubLeaf && t - s < _leafWidth * (1 - LeafSlack))
            ThrowSubLeaf(s, t);

        double tauA = Normalise(s), tauB = Normalise(t);
        int a = Point(tauA);
        int b = Point(tauB);
        int m = _lanes;
        double dTau = tauB - tauA;
        for (int j = 0; j < m; j++)
        {
            double wa = _pointW[a * m + j], wb = _pointW[b * m + j];
            dW[j] = _sqrtSpan * (wb - wa);
            if (withH)
            {
                double hBar = _pointH[b * m + j] - _pointH[a * m + j] - 0.5 * (tauB * wa - tauA * wb);
                hOut[j] = _sqrtSpan * (hBar / dTau);
                if (!kOut.IsEmpty)
                {
                    // K̄_{a,b} from origin values (sde.md §1.1, the longer Chen rule), K = K̄/(τ_b − τ_a)².
                    double ha = _pointH[a * m + j];
                    double kBar = _pointK[b * m + j] - _pointK[a * m + j] - 0.5 * dTau * ha + 0.5 * tauA * hBar
                        - (tauB - 2 * tauA) / 12 * (tauB * wa - tauA * wb);
                    kOut[j] = _sqrtSpan * (kBar / (dTau * dTau));
                }
            }
        }
    }

    // The checks call throw helpers: an interpolated message in this method would make every query pay for zeroing
    // the string handler's stack frame (the pitfall measured on BrownianIncrements.Step).
    private void Validate(double s, double t, int dWLength, int hLength)
    {
        // A query a few ulps outside [t0, t1] (a caller's t0 + n·h rounding past t1) is clamped, not refused: torchsde
        // #152 shows the warning spam the alternative causes (sde.md §6.2 row 6). Beyond that it is an error.
        if (!(s >= _t0 - _edgeSlack && s <= _t1 + _edgeSlack)) ThrowOutside(s, nameof(s));
        if (!(t >= _t0 - _edgeSlack && t <= _t1 + _edgeSlack)) ThrowOutside(t, nameof(t));
        if (s > t) ThrowReversed(s, t);
        if (dWLength < _lanes || hLength < _lanes) ThrowSpansTooShort();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowOutside(double time, string name) =>
        throw new ArgumentOutOfRangeException(name, time, $"The time must lie in [{_t0}, {_t1}] (to within {_edgeSlack:g2}).");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowReversed(double s, double t) =>
        throw new ArgumentException($"The interval [{s}, {t}] is reversed: s must not exceed t.", nameof(s));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowSpansTooShort() =>
        throw new ArgumentException($"The destination spans must hold at least {_lanes} values (one per lane).");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowSubLeaf(double s, double t) =>
        throw new ArgumentException(
            $"The increment [{s}, {t}] is shorter than the tree's leaf width {_leafWidth}: inside one leaf the noise is not an " +
            "independent Brownian bridge. Use tol ≤ step/2 (or a minimum step ≥ tol), or allowSubLeafIncrements.", nameof(t));

    private double Normalise(double t) => Math.Clamp((t - _t0) / _span, 0.0, 1.0);

    /// <summary>Evaluates (W_τ, H̄_τ) of all lanes into a point slot and returns the slot.</summary>
    private int Point(double tau)
    {
        for (int slot = 0; slot < 2; slot++)
        {
            if (_pointValid[slot] && _pointTau[slot] == tau)
            {
                _lastSlot = slot;
                return slot;
            }
        }
        int target = 1 - _lastSlot;
        Evaluate(tau, _pointW.AsSpan(target * _lanes, _lanes), _pointH.AsSpan(target * _lanes, _lanes),
            _withK ? _pointK.AsSpan(target * _lanes, _lanes) : default);
        _pointTau[target] = tau;
        _pointValid[target] = true;
        _lastSlot = target;
        return target;
    }

    private void Evaluate(double tau, Span<double> wOut, Span<double> hOut, Span<double> kOut)
    {
        int m = _lanes;
        int level = 0;
        while (level < _cachedDepth && (tau > _s[level] + 0.5 * _h[level]) == _right[level])
            level++;

        if (!_withK)
        {
            DescendWithBatchedNormals(level, tau);
            LeafWh(tau, wOut, hOut);
            return;
        }

        // WHK: the midpoint rule with K, one node at a time (sde.md §1.3).
        for (; level < _depth; level++)
        {
            double h = _h[level], s = _s[level];
            ulong k = _k[level];
            double t = s + 0.5 * h;
            bool right = tau > t;
            _right[level] = right;
            _s[level + 1] = right ? t : s;
            _k[level + 1] = right ? 2 * k + 1 : 2 * k;
            int p = level * m, c = p + m;
            for (int j = 0; j < m; j++)
                SplitWithK(level, k, j, p, c, right, s, t);
        }
        _cachedDepth = _depth;

        double leafS = _s[_depth], leafH = _h[_depth];
        ulong leafK = _k[_depth];
        if (!_leafValid || _leafK != leafK)
        {
            for (int j = 0; j < m; j++)
            {
                NodeNormals(j, _depth, 4, leafK, out _x1[j], out _x2[j]);
                NodeNormals(j, _depth, 5, leafK, out _x3[j], out _);
            }
            _leafK = leafK;
            _leafValid = true;
        }
        LeafWithK(tau, leafS, leafH, wOut, hOut, kOut);
    }

    /// <summary>The exact (W, H) bridge at an arbitrary point of the current leaf (sde.md §1.3), from its cached normals.</summary>
    private void LeafWh(double tau, Span<double> wOut, Span<double> hOut)
    {
        int m = _lanes;
        double leafS = _s[_depth], leafH = _h[_depth];
        double a = Math.Max(tau - leafS, 0.0);
        double b = Math.Max(leafH - a, 0.0);
        double coefA = 0, coefB = 0, coefC = 0;
        if (a != 0.0 && b != 0.0)
        {
            double a3 = Math.Pow(a, 3), b3 = Math.Pow(b, 3);
            double d = Math.Sqrt(a3 + b3);
            double sqrtAb = Math.Sqrt(a * b);
            coefA = a3 * sqrtAb / (2 * leafH * d);
            coefB = b3 * sqrtAb / (2 * leafH * d);
            coefC = Math.Sqrt(3 * a3 * b3) / (6 * d);
        }
        double h3 = leafH * leafH * leafH;
        double wMean = a / leafH, wFromH = 6 * a * b / h3, wNoise = 2 * (coefA + coefB) / leafH, hMean = Math.Pow(a, 3) / h3;
        int q = _depth * m;
        for (int j = 0; j < m; j++)
        {
            double ws = _ws[q + j];
            double wsr = wMean * _wsu[q + j] + wFromH * _hsu[q + j] + wNoise * _x1[j];
            double hsr = hMean * _hsu[q + j] - coefA * _x1[j] + coefC * _x2[j];
            double wr = ws + wsr;
            wOut[j] = wr;
            hOut[j] = _hs[q + j] + hsr + 0.5 * (tau * ws - leafS * wr);
        }
    }

    /// <summary>
    /// The WH descent from <paramref name="first"/> to the leaf containing <paramref name="tau"/>: the nodes visited are
    /// fixed by τ alone, so their counters are listed first and all their normals (and the leaf's, when it changes) are
    /// drawn in one call of the vectorized generator, then the midpoint rule runs level by level as in the scalar code.
    /// </summary>
    private void DescendWithBatchedNormals(int first, double tau)
    {
        int m = _lanes, count = 0;
        for (int level = first; level < _depth; level++)
        {
            double t = _s[level] + 0.5 * _h[level];
            ulong k = _k[level];
            bool right = tau > t;
            _right[level] = right;
            _s[level + 1] = right ? t : _s[level];
            _k[level + 1] = right ? 2 * k + 1 : 2 * k;
            for (int j = 0; j < m; j++) _descentCounters[count++] = NodeCounter(j, level, 2, k);
        }
        ulong leafK = _k[_depth];
        bool newLeaf = !_leafValid || _leafK != leafK;
        if (newLeaf)
            for (int j = 0; j < m; j++) _descentCounters[count++] = NodeCounter(j, _depth, 4, leafK);
        if (count > 0)
        {
            ReadOnlySpan<Words4x32> counters = _descentCounters.AsSpan(0, count);
            PhiloxBatch.Generate(counters, _key, _descentBlocks);
            PhiloxBatch.Normals(_descentBlocks.AsSpan(0, count), _descentZ, _descentN);
        }

        int next = 0;
        for (int level = first; level < _depth; level++)
        {
            double h = _h[level], s = _s[level], t = s + 0.5 * h;
            bool right = _right[level];
            double quarterSqrtH = _quarterSqrtH[level], sqrtHOver12 = _sqrtHOver12[level];
            double threeHalvesOverH = _threeHalvesOverH[level], quarterH = 0.25 * h;
            int p = level * m, c = p + m;
            for (int j = 0; j < m; j++, next++)
            {
                double z = quarterSqrtH * _descentZ[next];
                double n = sqrtHOver12 * _descentN[next];
                double wsu = _wsu[p + j], hsu = _hsu[p + j], ws = _ws[p + j], hs = _hs[p + j];
                if (right)
                {
                    double wst = 0.5 * wsu + threeHalvesOverH * hsu + z;
                    double hst = 0.125 * hsu - quarterH * z + quarterH * n;
                    double wt = ws + wst;
                    _ws[c + j] = wt;
                    _hs[c + j] = hs + hst + 0.5 * (t * ws - s * wt);
                    _wsu[c + j] = 0.5 * wsu - threeHalvesOverH * hsu - z;
                    _hsu[c + j] = 0.125 * hsu - quarterH * z - quarterH * n;
                }
                else
                {
                    _ws[c + j] = ws;
                    _hs[c + j] = hs;
                    _wsu[c + j] = 0.5 * wsu + threeHalvesOverH * hsu + z;
                    _hsu[c + j] = 0.125 * hsu - quarterH * z + quarterH * n;
                }
            }
        }
        _cachedDepth = _depth;
        if (newLeaf)
        {
            for (int j = 0; j < m; j++, next++)
            {
                _x1[j] = _descentZ[next];
                _x2[j] = _descentN[next];
            }
            _leafK = leafK;
            _leafValid = true;
        }
    }

    /// <summary>WHK midpoint rule (sde.md §1.3, Jelinčič–Foster–Kidger): z ~ N(0, h/16), x₁ ~ N(0, h/768), x₂ ~ N(0, h/2880).</summary>
    private void SplitWithK(int level, ulong k, int j, int p, int c, bool right, double s, double t)
    {
        double h = _h[level];
        NodeNormals(j, level, 2, k, out double n4, out double n5);
        NodeNormals(j, level, 3, k, out double n6, out _);
        double z = Math.Sqrt(h / 16) * n4, x1 = Math.Sqrt(h / 768) * n5, x2 = Math.Sqrt(h / 2880) * n6;
        double wsu = _wsu[p + j], hsu = _hsu[p + j], ksu = _ksu[p + j];
        double ws = _ws[p + j], hs = _hs[p + j], ks = _ks[p + j];
        double h2 = h * h;
        double wst = 0.5 * wsu + 1.5 / h * hsu + z, wtu = 0.5 * wsu - 1.5 / h * hsu - z;
        double hst = 0.125 * hsu - 0.25 * h * z + 15 / (8 * h) * ksu + 0.5 * h * x1;
        double htu = 0.125 * hsu - 0.25 * h * z - 15 / (8 * h) * ksu - 0.5 * h * x1;
        double kst = ksu / 32 - h2 / 8 * x1 + h2 / 4 * x2, ktu = ksu / 32 - h2 / 8 * x1 - h2 / 4 * x2;
        if (right)
        {
            double wt = ws + wst;
            _ws[c + j] = wt;
            _hs[c + j] = hs + hst + 0.5 * (t * ws - s * wt);
            _ks[c + j] = ks + kst + 0.5 * (t - s) * hs - 0.5 * s * hst + (t - 2 * s) / 12 * (t * ws - s * wt);
            (_wsu[c + j], _hsu[c + j], _ksu[c + j]) = (wtu, htu, ktu);
        }
        else
        {
            (_ws[c + j], _hs[c + j], _ks[c + j]) = (ws, hs, ks);
            (_wsu[c + j], _hsu[c + j], _ksu[c + j]) = (wst, hst, kst);
        }
    }

    /// <summary>
    /// Exact (W, H̄, K̄) bridge at <c>r = s + a</c> inside the leaf <c>[s, s + h]</c>, <c>b = h − a</c> (sde.md §1.3): the
    /// conditional mean rows and the Cholesky factor of the conditional covariance applied to <c>(X₁, X₂, X₃)</c>.
    /// </summary>
    private void LeafWithK(double tau, double s, double h, Span<double> wOut, Span<double> hOut, Span<double> kOut)
    {
        double a = Math.Max(tau - s, 0.0), b = Math.Max(h - a, 0.0);
        double h3 = h * h * h, h5 = h3 * h * h, a2 = a * a, b2 = b * b, a3 = a2 * a, a4 = a2 * a2;
        double vw = a * b * (a4 - 4 * a3 * b + 10 * a2 * b2 - 4 * a * b2 * b + b2 * b2) / h5;
        double cwh = -a4 * b * (a2 - 3 * a * b + 6 * b2) / (2 * h5);
        double cwk = a4 * a2 * b * (a - b) / (12 * h5);
        double vh = a3 * b * (3 * a4 - 6 * a3 * b + 10 * a2 * b2 + 5 * a * b2 * b + b2 * b2) / (12 * h5);
        double chk = -a4 * a4 * b / (24 * h5);
        double vk = a4 * a * b * (5 * a4 + 10 * a3 * b + 10 * a2 * b2 + 5 * a * b2 * b + b2 * b2) / (720 * h5);
        // 3×3 Cholesky (zero where the covariance degenerates at a = 0 or b = 0).
        double l11 = Math.Sqrt(Math.Max(vw, 0));
        double l21 = l11 > 0 ? cwh / l11 : 0, l31 = l11 > 0 ? cwk / l11 : 0;
        double l22 = Math.Sqrt(Math.Max(vh - l21 * l21, 0));
        double l32 = l22 > 0 ? (chk - l31 * l21) / l22 : 0;
        double l33 = Math.Sqrt(Math.Max(vk - l31 * l31 - l32 * l32, 0));
        double mWW = a / h, mWH = 6 * a * b / h3, mWK = -60 * a * b * (a - b) / h5;
        double mHH = a3 / h3, mHK = 30 * a3 * b / h5, mKK = a4 * a / h5;
        int q = _depth * _lanes;
        for (int j = 0; j < _lanes; j++)
        {
            double wsu = _wsu[q + j], hsu = _hsu[q + j], ksu = _ksu[q + j];
            double x1 = _x1[j], x2 = _x2[j], x3 = _x3[j];
            double wsr = mWW * wsu + mWH * hsu + mWK * ksu + l11 * x1;
            double hsr = mHH * hsu + mHK * ksu + l21 * x1 + l22 * x2;
            double ksr = mKK * ksu + l31 * x1 + l32 * x2 + l33 * x3;
            double ws = _ws[q + j], hs = _hs[q + j];
            double wr = ws + wsr;
            wOut[j] = wr;
            hOut[j] = hs + hsr + 0.5 * (tau * ws - s * wr);
            kOut[j] = _ks[q + j] + ksr + 0.5 * a * hs - 0.5 * s * hsr + (tau - 2 * s) / 12 * (tau * ws - s * wr);
        }
    }

    private void NodeNormals(int lane, int level, int block, ulong k, out double n0, out double n1) =>
        RandomMapping.Normals(Philox4x32.Generate(NodeCounter(lane, level, block, k), _key), out n0, out n1);

    private static Words4x32 NodeCounter(int lane, int level, int block, ulong k) =>
        new((uint)lane, (uint)(level + 256 * block), (uint)k, (uint)(k >> 32));
}
