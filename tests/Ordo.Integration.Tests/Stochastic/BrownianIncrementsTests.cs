using Ordo.Rng;

namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// The fixed-grid generator of sde.md §1.2: the spec's counters, moments over 10⁶ steps (six standard errors, fixed
/// seed), Chen combination over several steps, zero allocation, bad input.
/// </summary>
public class BrownianIncrementsTests(ITestOutputHelper output)
{
    [Fact]
    public void Steps_use_the_spec_counters()
    {
        var grid = new BrownianIncrements(0.0, 0.25, 100, 3, 77, 5);
        PhiloxKey key = new CounterRng(77).StreamKey(5);
        Span<double> w = stackalloc double[3], h = stackalloc double[3];
        foreach (long n in new long[] { 0, 1, 42, 99 })
        {
            grid.Step(n, w, h);
            for (int j = 0; j < 3; j++)
            {
                RandomMapping.Normals(Philox4x32.Generate(new Words4x32((uint)j, 0xF0000000, (uint)n, 0), key), out double z0, out double z1);
                // The grid's normals come from the vectorized PhiloxBatch: equal to the scalar mapping to 4 ε = 4·2⁻⁵² relative.
                AssertUlps(0.5 * z0, w[j]);
                AssertUlps(Math.Sqrt(0.25 / 12) * z1, h[j]);
            }
        }
    }

    private static void AssertUlps(double expected, double actual)
        => Assert.True(Math.Abs(actual - expected) <= 4 * 2.220446049250313e-16 * Math.Abs(expected),
            $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void A_million_steps_have_the_right_moments()
    {
        const int n = 1_000_000;
        const double step = 0.01;
        var grid = new BrownianIncrements(0.0, step, n, 1, 2024);
        var w = new double[n];
        var a = new double[n];
        for (int i = 0; i < n; i++)
            grid.Step(i, w.AsSpan(i, 1), a.AsSpan(i, 1));
        double mean = 0, varW = 0, varH = 0, corr = 0, lag = 0, kurt = 0;
        for (int i = 0; i < n; i++)
        {
            double x = w[i] / Math.Sqrt(step), y = a[i] * Math.Sqrt(12 / step);
            mean += x;
            varW += x * x;
            varH += y * y;
            corr += x * y;
            kurt += x * x * x * x;
            if (i > 0)
                lag += x * w[i - 1] / Math.Sqrt(step);
        }
        mean /= n; varW /= n; varH /= n; corr /= n; lag /= n - 1; kurt = kurt / n / (varW * varW) - 3;
        double se = 1 / Math.Sqrt(n), seVar = Math.Sqrt(2.0 / n);
        output.WriteLine($"mean W/√h {mean:F5} (z {mean / se:F2}), Var W/h {varW:F5} (z {(varW - 1) / seVar:F2}), 12 Var H/h {varH:F5} (z {(varH - 1) / seVar:F2}), " +
            $"Corr(W,H) {corr:F5} (z {corr / se:F2}), lag-1 Corr {lag:F5} (z {lag / se:F2}), excess kurtosis {kurt:F4} (z {kurt / Math.Sqrt(24.0 / n):F2})");
        Assert.True(Math.Abs(mean) <= 6 * se);
        Assert.True(Math.Abs(varW - 1) <= 6 * seVar);
        Assert.True(Math.Abs(varH - 1) <= 6 * seVar);
        Assert.True(Math.Abs(corr) <= 6 * se);
        Assert.True(Math.Abs(lag) <= 6 * se);
        Assert.True(Math.Abs(kurt) <= 6 * Math.Sqrt(24.0 / n));
    }

    [Fact]
    public void Multi_step_increments_follow_the_chen_relations()
    {
        var grid = new BrownianIncrements(1.0, 0.1, 40, 2, 3);
        Span<double> w1 = stackalloc double[2], h1 = stackalloc double[2], w2 = stackalloc double[2], h2 = stackalloc double[2];
        Span<double> w = stackalloc double[2], h = stackalloc double[2];
        double a = 1.0 + 3 * 0.1, b = 1.0 + 17 * 0.1, c = 1.0 + 40 * 0.1;
        grid.Increment(a, b, w1, h1);
        grid.Increment(b, c, w2, h2);
        grid.Increment(a, c, w, h);
        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(w1[j] + w2[j], w[j], 1e-13);
            double chen = (b - a) * h1[j] + (c - b) * h2[j] + 0.5 * ((c - b) * w1[j] - (b - a) * w2[j]);
            Assert.Equal(chen, (c - a) * h[j], 1e-13);
        }
        // One step through Increment is the step itself.
        grid.Step(5, w1, h1);
        grid.Increment(1.5, 1.6, w2, h2);
        Assert.True(w1.SequenceEqual(w2) && h1.SequenceEqual(h2));
    }

    [Fact]
    public void Queries_allocate_nothing_and_bad_input_throws()
    {
        var grid = new BrownianIncrements(0.0, 0.5, 1000, 2, 1);
        Span<double> w = stackalloc double[2], h = stackalloc double[2];
        grid.Increment(0.0, 0.5, w, h);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 999; i++)
        {
            grid.Step(i, w, h);
            grid.Increment(i * 0.5, (i + 1) * 0.5, w, h);
            grid.Increment(i * 0.5, (i + 1) * 0.5, w);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianIncrements(0, 0, 10, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianIncrements(0, 0.1, 0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianIncrements(0, 0.1, 10, 0, 1));
        var g = new BrownianIncrements(0, 0.5, 10, 2, 1);
        var dw = new double[2];
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Increment(-0.5, 1.0, dw));
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Increment(0.0, 5.5, dw));
        Assert.Throws<ArgumentException>(() => g.Increment(1.0, 0.5, dw));
        var off = Assert.Throws<ArgumentException>(() => g.Increment(0.25, 1.0, dw));
        Assert.Contains("grid point", off.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => g.Step(10, dw, new double[2]));
        Assert.Throws<ArgumentException>(() => g.Step(0, new double[1], new double[2]));
    }
}
