namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// Moments of the virtual Brownian tree over M = 20 000 streams of one fixed seed (sde.md §5.4), each bound six
/// standard errors of its estimator, so with fixed seeds the tests are deterministic and cannot flake. The measured
/// distances (in standard errors) are written to the test output.
/// </summary>
public class BrownianStatisticsTests(ITestOutputHelper output)
{
    private const int M = 20_000;
    private const double Sigmas = 6;
    private const ulong Seed = 0x5EED_0007;

    private static readonly (double S, double T)[] Intervals = [(0.0, 1.0), (0.1, 0.35), (0.5, 0.5 + 1.0 / 64), (0.3, 0.3 + 1.0 / 256)];

    private void Near(string what, double value, double expected, double standardError)
    {
        double z = (value - expected) / standardError;
        output.WriteLine($"{what,-40} {value,10:F5}  expected {expected,7:F4}  se {standardError:G2}  z {z,6:F2}");
        Assert.True(Math.Abs(z) <= Sigmas, $"{what} = {value}, expected {expected} ± {Sigmas}·{standardError}");
    }

    private static double Correlation(double[] x, double[] y)
    {
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += x[i] * y[i];
            sxx += x[i] * x[i];
            syy += y[i] * y[i];
        }
        return sxy / Math.Sqrt(sxx * syy); // the means are 0 by construction
    }

    private static double MeanSquare(double[] x) => x.Sum(v => v * v) / x.Length;

    /// <summary>Kolmogorov–Smirnov distance of a sample to N(0, 1).</summary>
    private static double KolmogorovDistance(double[] x)
    {
        double[] sorted = (double[])x.Clone();
        Array.Sort(sorted);
        double d = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            double f = NormalCdf(sorted[i]);
            d = Math.Max(d, Math.Max(Math.Abs(f - (double)i / sorted.Length), Math.Abs((i + 1.0) / sorted.Length - f)));
        }
        return d;
    }

    /// <summary>Φ(x) by Abramowitz &amp; Stegun 26.2.17 (absolute error &lt; 7.5·10⁻⁸, far below the 0.02 bound).</summary>
    private static double NormalCdf(double x)
    {
        double t = 1 / (1 + 0.2316419 * Math.Abs(x));
        double poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
        double tail = Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI) * poly;
        return x >= 0 ? 1 - tail : tail;
    }

    private static (double[] W, double[] H) Sample(Func<VirtualBrownianTree, (double, double)> query)
    {
        var w = new double[M];
        var h = new double[M];
        for (int p = 0; p < M; p++)
            (w[p], h[p]) = query(new VirtualBrownianTree(0.0, 1.0, Math.ScaleB(1.0, -8), 2, Seed, (ulong)p + 1));
        return (w, h);
    }

    private static (double, double) Lane(VirtualBrownianTree tree, double s, double t, int lane)
    {
        Span<double> w = stackalloc double[2], h = stackalloc double[2];
        tree.Increment(s, t, w, h);
        return (w[lane], h[lane]);
    }

    [Fact]
    public void Increments_and_levy_areas_have_their_laws()
    {
        double seVar = Math.Sqrt(2.0 / M), seCorr = 1 / Math.Sqrt(M), seKurt = Math.Sqrt(24.0 / M);
        foreach ((double s, double t) in Intervals)
        {
            double h = t - s;
            var (w, a) = Sample(tree => Lane(tree, s, t, 0));
            double[] wn = w.Select(v => v / Math.Sqrt(h)).ToArray();
            double[] hn = a.Select(v => v * Math.Sqrt(12 / h)).ToArray();
            string at = $"[{s}, {t:G6}]";
            Near($"mean W/√h {at}", wn.Average(), 0, seCorr);
            Near($"Var W/h {at}", MeanSquare(wn), 1, seVar);
            Near($"12 Var H/h {at}", MeanSquare(hn), 1, seVar);
            Near($"Corr(W, H) {at}", Correlation(w, a), 0, seCorr);
            Near($"excess kurtosis W/√h {at}", wn.Average(v => v * v * v * v) / Math.Pow(MeanSquare(wn), 2) - 3, 0, seKurt);
            double dW = KolmogorovDistance(wn), dH = KolmogorovDistance(hn);
            output.WriteLine($"KS distance W, H {at}: {dW:F4}, {dH:F4} (bound 0.02)");
            Assert.True(dW <= 0.02 && dH <= 0.02, $"KS distances {dW}, {dH} on {at}");
        }
    }

    [Fact]
    public void Disjoint_intervals_and_lanes_are_independent()
    {
        double seCorr = 1 / Math.Sqrt(M);
        var (w1, h1) = Sample(tree => Lane(tree, 0.1, 0.35, 0));
        var (w2, h2) = Sample(tree => Lane(tree, 0.35, 0.9, 0));
        Near("Corr(W[0.1,0.35], W[0.35,0.9])", Correlation(w1, w2), 0, seCorr);
        Near("Corr(H[0.1,0.35], H[0.35,0.9])", Correlation(h1, h2), 0, seCorr);
        Near("Corr(W[0.1,0.35], H[0.35,0.9])", Correlation(w1, h2), 0, seCorr);
        var (l1, m1) = Sample(tree => Lane(tree, 0.1, 0.35, 1));
        Near("Corr(W lane 0, W lane 1)", Correlation(w1, l1), 0, seCorr);
        Near("Corr(H lane 0, H lane 1)", Correlation(h1, m1), 0, seCorr);
    }

    [Fact]
    public void Point_covariance_and_time_integral()
    {
        var (a, _) = Sample(tree => Lane(tree, 0.0, 0.3, 0));
        var (b, _) = Sample(tree => Lane(tree, 0.0, 0.8, 0));
        double cov = a.Zip(b, (x, y) => x * y).Average();
        Near("Cov(W_0.3, W_0.8)/0.3", cov / 0.3, 1, Math.Sqrt((0.3 * 0.8 + 0.3 * 0.3) / M) / 0.3);
        // ∫₀¹ W dt = W/2 + H on [0, 1], variance 1/3 (sde.md §1.1).
        var (w, h) = Sample(tree => Lane(tree, 0.0, 1.0, 1));
        double[] integral = w.Zip(h, (x, y) => 0.5 * x + y).ToArray();
        Near("3 Var ∫₀¹ W dt", 3 * MeanSquare(integral), 1, Math.Sqrt(2.0 / M));
    }

    [Fact]
    public void Whk_mode_gives_K_with_variance_h_over_720_independent_of_W_and_H()
    {
        double seVar = Math.Sqrt(2.0 / M), seCorr = 1 / Math.Sqrt(M);
        foreach ((double s, double t) in new[] { (0.0, 1.0), (0.1, 0.35), (0.3, 0.3 + 1.0 / 256) })
        {
            double h = t - s;
            var w = new double[M];
            var a = new double[M];
            var k = new double[M];
            double[] dw = new double[1], dh = new double[1], dk = new double[1];
            for (int p = 0; p < M; p++)
            {
                var tree = new VirtualBrownianTree(0.0, 1.0, Math.ScaleB(1.0, -8), 1, Seed, (ulong)p + 1, mode: BrownianTreeMode.WHK);
                tree.Increment(s, t, dw, dh, dk);
                (w[p], a[p], k[p]) = (dw[0], dh[0], dk[0]);
            }
            string at = $"WHK [{s}, {t:G6}]";
            Near($"Var W/h {at}", MeanSquare(w) / h, 1, seVar);
            Near($"12 Var H/h {at}", 12 * MeanSquare(a) / h, 1, seVar);
            Near($"720 Var K/h {at}", 720 * MeanSquare(k) / h, 1, seVar);
            Near($"Corr(W, H) {at}", Correlation(w, a), 0, seCorr);
            Near($"Corr(W, K) {at}", Correlation(w, k), 0, seCorr);
            Near($"Corr(H, K) {at}", Correlation(a, k), 0, seCorr);
        }
    }
}
