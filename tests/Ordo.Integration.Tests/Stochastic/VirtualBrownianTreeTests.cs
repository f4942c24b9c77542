namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// Behaviour of <see cref="VirtualBrownianTree"/> (sde.md §5.4): query-order independence, cached vs uncached,
/// additivity (Chen relations of §1.1), zero allocation per query, the leaf guard and argument checks.
/// </summary>
public class VirtualBrownianTreeTests
{
    private const int Lanes = 3;

    private static double[] Times(int count, int seed, double t0, double t1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => t0 + (t1 - t0) * random.NextDouble()).ToArray();
    }

    private static (double[] W, double[] H) Query(VirtualBrownianTree tree, double s, double t)
    {
        var w = new double[tree.Lanes];
        var h = new double[tree.Lanes];
        tree.Increment(s, t, w, h);
        return (w, h);
    }

    [Fact]
    public void Same_answer_whatever_the_query_order()
    {
        double[] times = Times(200, 11, 0.5, 4.0);
        var pairs = times.Zip(times.Skip(1), (a, b) => (S: Math.Min(a, b), T: Math.Max(a, b))).Where(p => p.T - p.S >= 1e-3).ToArray();
        // Reference: a fresh tree per query.
        var expected = pairs.Select(p => Query(new VirtualBrownianTree(0.5, 4.0, 1e-3, Lanes, 42, 5), p.S, p.T)).ToArray();

        var tree = new VirtualBrownianTree(0.5, 4.0, 1e-3, Lanes, 42, 5);
        var otherStream = new VirtualBrownianTree(0.5, 4.0, 1e-3, Lanes, 42, 6);
        var otherSeed = new VirtualBrownianTree(0.5, 4.0, 1e-3, 1, 43, 5);
        var random = new Random(3);
        int[] order = Enumerable.Range(0, pairs.Length).Concat(Enumerable.Range(0, pairs.Length)).OrderBy(_ => random.Next()).ToArray();
        foreach (int i in order)
        {
            Query(otherStream, pairs[(i + 7) % pairs.Length].S, pairs[(i + 7) % pairs.Length].T);
            var (w, h) = Query(tree, pairs[i].S, pairs[i].T);
            Query(otherSeed, pairs[i].S, pairs[i].T);
            Assert.Equal(expected[i].W, w); // bitwise
            Assert.Equal(expected[i].H, h);
        }
    }

    [Fact]
    public void Cached_and_uncached_evaluation_are_bitwise_equal()
    {
        var cached = new VirtualBrownianTree(0.0, 1.0, Math.ScaleB(1.0, -20), 2, 7);
        var uncached = new VirtualBrownianTree(0.0, 1.0, Math.ScaleB(1.0, -20), 2, 7);
        double[] times = Times(10_000, 5, 0.0, 1.0);
        Array.Sort(times, 0, 5_000); // half monotone (stepping), half random
        Span<double> w1 = stackalloc double[2], h1 = stackalloc double[2], w2 = stackalloc double[2], h2 = stackalloc double[2];
        for (int i = 1; i < times.Length; i++)
        {
            double s = Math.Min(times[i - 1], times[i]), t = Math.Max(times[i - 1], times[i]);
            if (t - s < cached.LeafWidth)
                continue;
            cached.Increment(s, t, w1, h1);
            uncached.ResetCache();
            uncached.Increment(s, t, w2, h2);
            Assert.True(w1.SequenceEqual(w2) && h1.SequenceEqual(h2), $"query {i} [{s}, {t}]");
        }
    }

    [Fact]
    public void Whk_mode_is_order_independent_and_keeps_the_W_law()
    {
        var cached = new VirtualBrownianTree(0.0, 2.0, 1e-3, 2, 5, 1, mode: BrownianTreeMode.WHK);
        var uncached = new VirtualBrownianTree(0.0, 2.0, 1e-3, 2, 5, 1, mode: BrownianTreeMode.WHK);
        double[] times = Times(2_000, 8, 0.0, 2.0);
        Span<double> w1 = stackalloc double[2], h1 = stackalloc double[2], k1 = stackalloc double[2];
        Span<double> w2 = stackalloc double[2], h2 = stackalloc double[2], k2 = stackalloc double[2];
        for (int i = 1; i < times.Length; i++)
        {
            double s = Math.Min(times[i - 1], times[i]), t = Math.Max(times[i - 1], times[i]);
            if (t - s < cached.LeafWidth)
                continue;
            cached.Increment(s, t, w1, h1, k1);
            uncached.ResetCache();
            uncached.Increment(s, t, w2, h2, k2);
            Assert.True(w1.SequenceEqual(w2) && h1.SequenceEqual(h2) && k1.SequenceEqual(k2), $"query {i}");
            Assert.True(double.IsFinite(k1[0]) && double.IsFinite(k1[1]));
        }
        var wh = new VirtualBrownianTree(0.0, 2.0, 1e-3, 2, 5, 1);
        Assert.Equal(BrownianTreeMode.WH, wh.Mode);
        Assert.Throws<InvalidOperationException>(() => wh.Increment(0.0, 1.0, new double[2], new double[2], new double[2]));
        Assert.Throws<ArgumentException>(() => cached.Increment(0.0, 1.0, new double[2], new double[2], new double[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualBrownianTree(0.0, 2.0, 1e-3, 2, 5, 1, mode: (BrownianTreeMode)7));
    }

    [Theory]
    [InlineData(BrownianTreeMode.WH, 1UL)]
    [InlineData(BrownianTreeMode.WH, 2UL)]
    [InlineData(BrownianTreeMode.WHK, 1UL)]
    [InlineData(BrownianTreeMode.WHK, 2UL)]
    public void H_and_K_are_the_integrals_of_the_W_path(BrownianTreeMode mode, ulong stream)
    {
        // Pathwise: H̄ = ∫_s^u B_r dr and K̄ = ∫_s^u B_r ((s+u)/2 − r) dr of the tree's own W path (sde.md §1.1), by the
        // trapezoid rule on N = 2¹⁴ points. The rule's error has standard deviation about δ√(h/12) for H̄ (δ = h/N; it
        // is the sum of the sub-interval areas) and at most (h/2) times that for K̄; the bounds are 10 of those.
        const int n = 1 << 14;
        const double s = 0.2, u = 0.7, h = u - s, delta = h / n, mid = 0.5 * (s + u);
        var tree = new VirtualBrownianTree(0.0, 1.0, Math.ScaleB(1.0, -20), 1, 31, stream, mode: mode);
        double[] w = new double[1], a = new double[1], k = new double[1];
        if (mode == BrownianTreeMode.WHK)
            tree.Increment(s, u, w, a, k);
        else
            tree.Increment(s, u, w, a);
        double wsu = w[0], hBar = h * a[0], kBar = h * h * k[0];
        double integralH = 0, integralK = 0, previous = 0;
        for (int i = 1; i <= n; i++)
        {
            double r = i == n ? u : s + i * delta;
            tree.Increment(s, r, w);
            double bPrev = previous - (i - 1) * delta / h * wsu, bNow = w[0] - (r - s) / h * wsu;
            integralH += 0.5 * delta * (bPrev + bNow);
            integralK += 0.5 * delta * (bPrev * (mid - (r - delta)) + bNow * (mid - r));
            previous = w[0];
        }
        double scale = delta * Math.Sqrt(h / 12);
        Assert.True(Math.Abs(integralH - hBar) <= 10 * scale, $"H̄ {hBar} vs ∫B {integralH}");
        if (mode == BrownianTreeMode.WHK)
            Assert.True(Math.Abs(integralK - kBar) <= 10 * scale * h / 2, $"K̄ {kBar} vs ∫B(m−r) {integralK}");
    }

    [Fact]
    public void Increments_are_additive()
    {
        const double t0 = -1.0, t1 = 3.0;
        var tree = new VirtualBrownianTree(t0, t1, 1e-4, Lanes, 2024, 1);
        var random = new Random(9);
        double bound = 1e-13 * Math.Sqrt(t1 - t0);
        for (int i = 0; i < 2_000; i++)
        {
            double[] p = [t0 + (t1 - t0) * random.NextDouble(), t0 + (t1 - t0) * random.NextDouble(), t0 + (t1 - t0) * random.NextDouble()];
            Array.Sort(p);
            double a = p[0], b = p[1], c = p[2];
            if (b - a < 1e-3 || c - b < 1e-3)
                continue;
            var (wab, hab) = Query(tree, a, b);
            var (wbc, hbc) = Query(tree, b, c);
            var (wac, hac) = Query(tree, a, c);
            for (int j = 0; j < Lanes; j++)
            {
                Assert.True(Math.Abs(wab[j] + wbc[j] - wac[j]) <= bound, $"W additivity at {i}, lane {j}");
                // Chen: H̄(a,c) = H̄(a,b) + H̄(b,c) + ½((c−b) W(a,b) − (b−a) W(b,c)), H̄ = h·H.
                double chen = (b - a) * hab[j] + (c - b) * hbc[j] + 0.5 * ((c - b) * wab[j] - (b - a) * wbc[j]);
                Assert.True(Math.Abs((c - a) * hac[j] - chen) <= bound, $"H̄ Chen relation at {i}, lane {j}");
            }
        }
        // The whole interval from a point query at t0 is exactly W(t0, t1).
        var (w0, _) = Query(tree, t0, t0);
        Assert.All(w0, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void Queries_allocate_nothing_after_construction()
    {
        var tree = new VirtualBrownianTree(0.0, 20.0, 1e-4, 4, 1);
        Span<double> w = stackalloc double[4], h = stackalloc double[4];
        tree.Increment(0.0, 0.01, w, h);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            double s = i * 1e-3;
            tree.Increment(s, s + 1e-3, w, h);
            tree.Increment(s, s + 7e-3, w);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_deeper_tree_refines_the_same_coarse_path()
    {
        // Node values at dyadic points do not depend on L (sde.md §1.5): W and H̄ over [0, k/256] agree to rounding.
        var coarse = new VirtualBrownianTree(0.0, 2.0, 2.0 / 256, 2, 99, 3);
        var fine = new VirtualBrownianTree(0.0, 2.0, 2.0 / 4096, 2, 99, 3);
        Assert.Equal(8, coarse.Depth);
        Assert.Equal(12, fine.Depth);
        for (int k = 1; k <= 256; k++)
        {
            double t = 2.0 * k / 256;
            var (wc, hc) = Query(coarse, 0.0, t);
            var (wf, hf) = Query(fine, 0.0, t);
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal(wc[j], wf[j], 1e-13);
                Assert.Equal(hc[j], hf[j], 1e-13);
            }
        }
    }

    [Fact]
    public void Depth_follows_the_tolerance()
    {
        Assert.Equal(11, VirtualBrownianTree.DepthFor(2.0, Math.ScaleB(1.0, -10)));
        Assert.Equal(13, VirtualBrownianTree.DepthFor(4.5, 1e-3));
        Assert.Equal(0, VirtualBrownianTree.DepthFor(1.0, 5.0));
        Assert.Equal(VirtualBrownianTree.MaxDepth, VirtualBrownianTree.DepthFor(1.0, 1e-300));
        var tree = new VirtualBrownianTree(0.0, 3.0, 0.1, 1, 1);
        Assert.Equal(5, tree.Depth);
        Assert.Equal(3.0 / 32, tree.LeafWidth);
        Assert.True(tree.LeafWidth <= tree.Tolerance);
    }

    [Fact]
    public void Bad_input_throws_clear_argument_exceptions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualBrownianTree(0, 1, 0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualBrownianTree(0, 1, -1e-3, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualBrownianTree(0, 1, double.NaN, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VirtualBrownianTree(0, 1, 1e-3, 0, 1));
        Assert.Throws<ArgumentException>(() => new VirtualBrownianTree(1, 1, 1e-3, 1, 1));
        Assert.Throws<ArgumentException>(() => new VirtualBrownianTree(0, double.PositiveInfinity, 1e-3, 1, 1));

        var tree = new VirtualBrownianTree(0, 1, 1e-3, 2, 1);
        var w = new double[2];
        var h = new double[2];
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Increment(-0.1, 0.5, w));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Increment(0.5, 1.1, w, h));
        Assert.Throws<ArgumentOutOfRangeException>(() => tree.Increment(double.NaN, 0.5, w));
        var reversed = Assert.Throws<ArgumentException>(() => tree.Increment(0.6, 0.5, w));
        Assert.Contains("reversed", reversed.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => tree.Increment(0.1, 0.5, new double[1]));
        Assert.Throws<ArgumentException>(() => tree.Increment(0.1, 0.5, w, new double[1]));
        var leaf = Assert.Throws<ArgumentException>(() => tree.Increment(0.5, 0.5 + 1e-4, w));
        Assert.Contains("leaf width", leaf.Message, StringComparison.Ordinal);

        // Opted out, a sub-leaf increment is answered; a leaf-wide one always is.
        new VirtualBrownianTree(0, 1, 1e-3, 2, 1, allowSubLeafIncrements: true).Increment(0.5, 0.5 + 1e-4, w, h);
        tree.Increment(0.5, 0.5 + tree.LeafWidth, w, h);
    }
}
