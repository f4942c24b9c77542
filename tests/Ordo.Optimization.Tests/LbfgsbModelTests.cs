namespace Ordo.Optimization.Tests;

/// <summary>The pieces of L-BFGS-B against independent dense computations: the compact matrix against the BFGS
/// recursion, the Cauchy point against the model sampled along the projected path, the subspace step against the
/// dense reduced Newton step.</summary>
public class LbfgsbModelTests
{
    private const int N = 7;

    /// <summary>A random compact matrix with k pairs (y = A s for an SPD A, so sᵀy &gt; 0) and the same matrix built by
    /// the dense BFGS recursion B ← B − Bssᵀ B/(sᵀBs) + yyᵀ/(yᵀs) from B₀ = θI, θ = yᵀy/sᵀy of the newest pair.</summary>
    private static (CompactLbfgsMatrix Compact, double[,] Dense) RandomPairs(Random rng, int pairs, int memory)
    {
        var a = new double[N, N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) a[i, j] = (i == j ? N : 0) + (rng.NextDouble() - 0.5) * (i == j ? 1 : 0.8);
        for (int i = 0; i < N; i++) for (int j = 0; j < i; j++) a[i, j] = a[j, i];
        var compact = new CompactLbfgsMatrix(N, memory);
        var ss = new List<(double[] S, double[] Y)>();
        for (int p = 0; p < pairs; p++)
        {
            var s = new double[N];
            var y = new double[N];
            for (int i = 0; i < N; i++) s[i] = rng.NextDouble() - 0.5;
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) y[i] += a[i, j] * s[j];
            Assert.True(compact.TryAdd(s, y, 1e-12));
            ss.Add((s, y));
        }
        var kept = ss.Skip(Math.Max(0, pairs - memory)).ToList();
        double theta = compact.Theta;
        var b = new double[N, N];
        for (int i = 0; i < N; i++) b[i, i] = theta;
        foreach (var (s, y) in kept)
        {
            var bs = new double[N];
            for (int i = 0; i < N; i++) for (int j = 0; j < N; j++) bs[i] += b[i, j] * s[j];
            double sbs = 0, sy = 0;
            for (int i = 0; i < N; i++) { sbs += s[i] * bs[i]; sy += s[i] * y[i]; }
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) b[i, j] += -bs[i] * bs[j] / sbs + y[i] * y[j] / sy;
        }
        return (compact, b);
    }

    /// <summary>B·v from the compact form: θv − W M Wᵀ v.</summary>
    private static double[] CompactTimes(CompactLbfgsMatrix c, double[] v)
    {
        int k2 = 2 * c.Count;
        var p = new double[k2];
        var mp = new double[k2];
        c.WTransposeTimes(v, p);
        c.ApplyM(p, mp);
        var r = new double[N];
        for (int i = 0; i < N; i++) r[i] = c.Theta * v[i] - c.WRowDot(i, mp);
        return r;
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(4, 10)]
    [InlineData(9, 4)]
    public void CompactFormEqualsTheBfgsRecursion(int pairs, int memory)
    {
        var (c, b) = RandomPairs(new Random(pairs * 31 + memory), pairs, memory);
        Assert.Equal(Math.Min(pairs, memory), c.Count);
        for (int col = 0; col < N; col++)
        {
            var e = new double[N];
            e[col] = 1;
            var bc = CompactTimes(c, e);
            for (int i = 0; i < N; i++) Assert.True(Math.Abs(bc[i] - b[i, col]) < 1e-10 * (1 + Math.Abs(b[i, col])), $"B[{i},{col}]: {bc[i]} vs {b[i, col]}");
        }
    }

    private static double Model(double[,] b, double[] g, double[] x, double[] z)
    {
        double m = 0;
        for (int i = 0; i < N; i++)
        {
            double di = z[i] - x[i];
            m += g[i] * di;
            for (int j = 0; j < N; j++) m += 0.5 * di * b[i, j] * (z[j] - x[j]);
        }
        return m;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void CauchyPointIsTheFirstLocalMinimizerAlongTheProjectedPath(int seed)
    {
        var rng = new Random(100 + seed);
        var (c, b) = RandomPairs(rng, seed + 1, 10);
        double[] lower = new double[N], upper = new double[N], x = new double[N], g = new double[N];
        for (int i = 0; i < N; i++)
        {
            lower[i] = -rng.NextDouble() * 0.3;
            upper[i] = rng.NextDouble() * 0.3;
            x[i] = lower[i] + (upper[i] - lower[i]) * rng.NextDouble();
            g[i] = (rng.NextDouble() - 0.5) * 4;
        }
        x[0] = upper[0]; g[0] = -1; // at a bound, pushing out: fixed from the start
        var gcp = new GeneralizedCauchyPoint(N, 10);
        var xc = new double[N];
        gcp.Compute(x, g, lower, upper, c, xc);

        // Sample the model along P(x − t g) finely; the first local minimum of the samples is the Cauchy point.
        double tMax = 0;
        for (int i = 0; i < N; i++) if (g[i] != 0) tMax = Math.Max(tMax, Math.Max((x[i] - lower[i]) / g[i], (x[i] - upper[i]) / g[i]));
        const int samples = 200000;
        var z = new double[N];
        double previous = 0, tFirst = tMax, mFirst = double.NaN;
        for (int s = 1; s <= samples; s++)
        {
            double t = tMax * 1.5 * s / samples;
            for (int i = 0; i < N; i++) z[i] = Math.Clamp(x[i] - t * g[i], lower[i], upper[i]);
            double m = Model(b, g, x, z);
            if (m > previous) { tFirst = tMax * 1.5 * (s - 1) / samples; mFirst = previous; break; }
            previous = m;
        }
        if (double.IsNaN(mFirst)) mFirst = previous;
        double mc = Model(b, g, x, xc);
        Assert.True(Math.Abs(mc - mFirst) <= 1e-8 * (1 + Math.Abs(mFirst)), $"model at the Cauchy point {mc}, first sampled minimum {mFirst} at t = {tFirst}");
        for (int i = 0; i < N; i++)
        {
            Assert.InRange(xc[i], lower[i], upper[i]);
            Assert.True(Math.Abs(xc[i] - Math.Clamp(x[i] - tFirst * g[i], lower[i], upper[i])) < 1e-4, $"x^c[{i}]");
        }
        Assert.Equal(x[0], xc[0]);

        // c = Wᵀ(x^c − x) and M·c as returned.
        int k2 = 2 * c.Count;
        var zc = new double[N];
        for (int i = 0; i < N; i++) zc[i] = xc[i] - x[i];
        var cExpected = new double[k2];
        var mcExpected = new double[k2];
        c.WTransposeTimes(zc, cExpected);
        c.ApplyM(cExpected, mcExpected);
        for (int j = 0; j < k2; j++)
        {
            Assert.True(Math.Abs(gcp.C[j] - cExpected[j]) < 1e-10 * (1 + Math.Abs(cExpected[j])), $"c[{j}]");
            Assert.True(Math.Abs(gcp.MC[j] - mcExpected[j]) < 1e-9 * (1 + Math.Abs(mcExpected[j])), $"Mc[{j}]");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public void SubspaceStepIsTheReducedNewtonStep(int pairs)
    {
        var rng = new Random(7 + pairs);
        var (c, b) = RandomPairs(rng, pairs, 10);
        double[] lower = new double[N], upper = new double[N], x = new double[N], g = new double[N];
        for (int i = 0; i < N; i++)
        {
            lower[i] = -10;
            upper[i] = 10;
            x[i] = rng.NextDouble() - 0.5;
            g[i] = (rng.NextDouble() - 0.5) * 0.1;
        }
        // Variables 1 and 4 at their bounds in x^c; the box is wide so the step needs no projection.
        var xc = (double[])x.Clone();
        for (int i = 0; i < N; i++) xc[i] -= 0.1 * g[i];
        lower[1] = xc[1];
        upper[4] = xc[4];
        int k2 = 2 * c.Count;
        var cc = new double[k2];
        var mc = new double[k2];
        var zc = new double[N];
        for (int i = 0; i < N; i++) zc[i] = xc[i] - x[i];
        c.WTransposeTimes(zc, cc);
        c.ApplyM(cc, mc);
        var xbar = new double[N];
        new SubspaceMinimizer(N, 10).Minimize(x, g, lower, upper, c, xc, mc, xbar);

        // Dense: minimize the model over the free variables with the others fixed at x^c, by Gaussian elimination on
        // B_FF·d = −(g + B(x^c − x))_F.
        int[] free = [0, 2, 3, 5, 6];
        int t = free.Length;
        var h = new double[t, t + 1];
        for (int p = 0; p < t; p++)
        {
            double rhs = g[free[p]];
            for (int j = 0; j < N; j++) rhs += b[free[p], j] * zc[j];
            for (int q = 0; q < t; q++) h[p, q] = b[free[p], free[q]];
            h[p, t] = -rhs;
        }
        for (int p = 0; p < t; p++)
            for (int r = p + 1; r < t; r++)
            {
                double f = h[r, p] / h[p, p];
                for (int q = p; q <= t; q++) h[r, q] -= f * h[p, q];
            }
        var d = new double[t];
        for (int p = t - 1; p >= 0; p--)
        {
            double s = h[p, t];
            for (int q = p + 1; q < t; q++) s -= h[p, q] * d[q];
            d[p] = s / h[p, p];
        }
        for (int p = 0; p < t; p++)
            Assert.True(Math.Abs(xbar[free[p]] - (xc[free[p]] + d[p])) < 1e-10, $"x̄[{free[p]}] = {xbar[free[p]]}, dense {xc[free[p]] + d[p]}");
        Assert.Equal(xc[1], xbar[1]);
        Assert.Equal(xc[4], xbar[4]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(12)]
    public void WithoutBoundsTheStepIsTheTwoLoopLbfgsStep(int pairs)
    {
        // Nocedal's two-loop recursion with H₀ = I/θ on the same pairs gives −H·g; the Cauchy point plus the subspace
        // step over all (free) variables must land on x − H·g.
        var rng = new Random(40 + pairs);
        const int memory = 6;
        var (c, _) = RandomPairs(rng, pairs, memory);
        var x = new double[N];
        var g = new double[N];
        for (int i = 0; i < N; i++) { x[i] = rng.NextDouble() - 0.5; g[i] = rng.NextDouble() - 0.5; }
        var lower = Enumerable.Repeat(double.NegativeInfinity, N).ToArray();
        var upper = Enumerable.Repeat(double.PositiveInfinity, N).ToArray();
        var gcp = new GeneralizedCauchyPoint(N, memory);
        var xc = new double[N];
        gcp.Compute(x, g, lower, upper, c, xc);
        Assert.Equal(0, gcp.BreakpointsPassed);
        var xbar = new double[N];
        var sub = new SubspaceMinimizer(N, memory);
        sub.Minimize(x, g, lower, upper, c, xc, gcp.MC, xbar);
        Assert.Equal(N, sub.FreeCount);

        int k = c.Count;
        var q = (double[])g.Clone();
        var alpha = new double[k];
        for (int i = k - 1; i >= 0; i--)
        {
            var s = c.S(i);
            var y = c.Y(i);
            double rho = 1 / Dot(y, s);
            alpha[i] = rho * Dot(s, q);
            for (int j = 0; j < N; j++) q[j] -= alpha[i] * y[j];
        }
        for (int j = 0; j < N; j++) q[j] /= c.Theta;
        for (int i = 0; i < k; i++)
        {
            var s = c.S(i);
            var y = c.Y(i);
            double beta = Dot(y, q) / Dot(y, s);
            for (int j = 0; j < N; j++) q[j] += (alpha[i] - beta) * s[j];
        }
        for (int j = 0; j < N; j++)
            Assert.True(Math.Abs(xbar[j] - (x[j] - q[j])) < 1e-10 * (1 + Math.Abs(q[j])), $"x̄[{j}] = {xbar[j]}, two-loop {x[j] - q[j]}");
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
