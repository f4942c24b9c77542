using Ordo.Rng;

namespace Ordo.Core.Tests.Rng;

/// <summary>
/// <see cref="CounterRng"/>: stream keys and sequence values against a pure-Python port of cbrng.py
/// (the literals below), order independence, statistics with fixed seeds, and zero allocation.
/// </summary>
public class CounterRandomTests
{
    [Theory]
    [InlineData(1UL, 7UL, 0x53bf7553u, 0x29d54ebau)] // seed 1, stream 7: the stream of vbt_golden.json
    [InlineData(0x0123456789ABCDEFUL, 7UL, 0x5ff5e24fu, 0x15c3d37fu)]
    [InlineData(2024UL, (1UL << 40) + 3, 0xa99ff2a0u, 0x85bfa866u)]
    public void StreamKey_IsPhiloxOfTheStreamUnderTheSeedKey(ulong seed, ulong stream, uint k0, uint k1)
    {
        var rng = new CounterRng(seed);
        Assert.Equal(new PhiloxKey(k0, k1), rng.StreamKey(stream));
        Assert.Equal(PhiloxKey.FromSeed(seed), rng.StreamKey(0));
    }

    [Theory]
    [InlineData(42UL, 0UL, 0UL, 0x28c3fa5du, 0x5cd687c0u, 0x09c494a2u, 0x79381f59u, "0x1.735a1f00a30ffp-2", "0x1.e4e07d6427125p-2", -1.4046250240847387, 0.235947370581231)]
    [InlineData(42UL, 5UL, 3UL, 0x61165af9u, 0x7ee9716du, 0x0fc07b02u, 0xd9acf3a0u, "0x1.fba5c5b584597p-2", "0x1.b359e7401f810p-1", 0.6980900691050467, -0.9570992942970397)]
    [InlineData(0x0123456789ABCDEFUL, (1UL << 33) + 1, (1UL << 40) + 9, 0x9579f96eu, 0x6e121613u, 0x78ba89e2u, 0xdf0e8888u, "0x1.b848584e55e7fp-2", "0x1.be1d1110f1752p-1", 0.8972116141025631, -0.9397453673171305)]
    public void Sequence_MatchesTheReference(ulong seed, ulong stream, ulong block, uint x0, uint x1, uint x2, uint x3,
        string u1, string u2, double z0, double z1)
    {
        var rng = new CounterRng(seed);
        Assert.Equal(new Words4x32(x0, x1, x2, x3), rng.Block(stream, block));

        Span<double> u = stackalloc double[2];
        rng.Uniforms(stream, 2 * block, u);
        Assert.Equal(RandomTestData.HexFloat(u1), u[0]);
        Assert.Equal(RandomTestData.HexFloat(u2), u[1]);

        Span<double> z = stackalloc double[2];
        rng.Normals(stream, 2 * block, z);
        RandomMappingGoldenTests.AssertRelative(z0, z[0]);
        RandomMappingGoldenTests.AssertRelative(z1, z[1]);
        Assert.Equal(z[0], rng.Normal(stream, 2 * block));
        Assert.Equal(z[1], rng.Normal(stream, 2 * block + 1));
    }

    [Fact]
    public void Normals_DependOnlyOnSeedStreamAndIndex_NotOnQueryOrder()
    {
        const int n = 1001;
        var rng = new CounterRng(20261202);
        double[] reference = new double[n];
        rng.Normals(3, 100, reference);

        // Every index on its own, in a shuffled order, interleaved with queries of other streams and seeds.
        int[] order = Enumerable.Range(0, n).ToArray();
        new System.Random(5).Shuffle(order);
        var other = new CounterRng(1);
        Span<double> scratch = stackalloc double[3];
        foreach (int i in order)
        {
            other.Normals((ulong)i, (ulong)i, scratch);
            rng.Normals(4, (ulong)i, scratch);
            Assert.Equal(BitConverter.DoubleToInt64Bits(reference[i]), BitConverter.DoubleToInt64Bits(rng.Normal(3, 100 + (ulong)i)));
        }

        // Sub-ranges at odd and even offsets and of odd and even lengths, backwards.
        for (int start = n - 7; start >= 0; start -= 37)
        {
            for (int length = 0; length <= 6; length++)
            {
                double[] part = new double[length];
                rng.Normals(3, 100 + (ulong)start, part);
                Assert.Equal(reference.AsSpan(start, length).ToArray(), part);
            }
        }
    }

    [Fact]
    public void Uniforms_DependOnlyOnTheIndex_AndLieInTheUnitInterval()
    {
        var rng = new CounterRng(77);
        double[] all = new double[64];
        rng.Uniforms(9, 11, all);
        for (int i = 63; i >= 0; i--)
        {
            double[] one = new double[1];
            rng.Uniforms(9, 11 + (ulong)i, one);
            Assert.Equal(all[i], one[0]);
            Assert.InRange(one[0], Math.ScaleB(1.0, -54), 1.0);
        }
    }

    [Fact]
    public void StreamsAndSeeds_GiveDifferentSequences()
    {
        Span<double> a = stackalloc double[4], b = stackalloc double[4], c = stackalloc double[4];
        new CounterRng(1).Normals(0, 0, a);
        new CounterRng(1).Normals(1, 0, b);
        new CounterRng(2).Normals(0, 0, c);
        Assert.False(a.SequenceEqual(b));
        Assert.False(a.SequenceEqual(c));
        Assert.False(b.SequenceEqual(c));
    }

    [Fact]
    public void Normals_MomentsOfAMillion_WithinSixStandardErrors()
    {
        // Fixed seed: the outcome is deterministic, and 6 standard errors leave a wide margin (measured: mean 0.85,
        // variance −1.30, skewness 1.53, excess kurtosis 0.97, correlation −0.37, tail 0.10 standard errors), so this
        // cannot flake. Standard errors: mean 1/√N, variance √(2/N), correlation 1/√(N/2), skewness √(6/N),
        // excess kurtosis √(24/N).
        const int n = 1_000_000;
        double[] z = new double[n];
        new CounterRng(2024).Normals(11, 0, z);
        double mean = z.Average();
        double m2 = 0, m3 = 0, m4 = 0, cross = 0;
        for (int i = 0; i < n; i++)
        {
            double d = z[i] - mean, d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        for (int i = 0; i < n; i += 2)
            cross += (z[i] - mean) * (z[i + 1] - mean);
        m2 /= n;
        m3 /= n;
        m4 /= n;
        double corr = cross / (n / 2) / m2;

        Assert.InRange(mean, -6 / Math.Sqrt(n), 6 / Math.Sqrt(n));
        Assert.InRange(m2, 1 - 6 * Math.Sqrt(2.0 / n), 1 + 6 * Math.Sqrt(2.0 / n));
        Assert.InRange(m3 / Math.Pow(m2, 1.5), -6 * Math.Sqrt(6.0 / n), 6 * Math.Sqrt(6.0 / n));
        Assert.InRange(m4 / (m2 * m2) - 3, -6 * Math.Sqrt(24.0 / n), 6 * Math.Sqrt(24.0 / n));
        Assert.InRange(corr, -6 / Math.Sqrt(n / 2), 6 / Math.Sqrt(n / 2));
        // Tail: P(|z| > 3) = 0.0026998; binomial standard error √(p(1−p)/N).
        double tail = z.Count(v => Math.Abs(v) > 3) / (double)n, p = 0.0026997960632601866;
        Assert.InRange(tail, p - 6 * Math.Sqrt(p * (1 - p) / n), p + 6 * Math.Sqrt(p * (1 - p) / n));
    }

    [Fact]
    public void Uniforms_MeanAndVarianceOfAMillion_WithinSixStandardErrors()
    {
        // Measured: mean 1.22, variance −0.62 standard errors.
        const int n = 1_000_000;
        double[] u = new double[n];
        new CounterRng(99).Uniforms(0, 0, u);
        double mean = u.Average();
        double variance = u.Sum(v => (v - mean) * (v - mean)) / n;
        Assert.InRange(mean, 0.5 - 6 * Math.Sqrt(1.0 / 12 / n), 0.5 + 6 * Math.Sqrt(1.0 / 12 / n));
        // Var of (u − ½)² is 1/80 − 1/144 = 1/180.
        Assert.InRange(variance, 1.0 / 12 - 6 * Math.Sqrt(1.0 / 180 / n), 1.0 / 12 + 6 * Math.Sqrt(1.0 / 180 / n));
    }

    [Fact]
    public void Calls_AllocateNothing()
    {
        var rng = new CounterRng(5);
        Span<double> buffer = stackalloc double[257];
        double sink = 0;
        for (int warm = 0; warm < 3; warm++)
            sink += Run(rng, buffer);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < 100; r++)
            sink += Run(rng, buffer);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(double.IsFinite(sink));

        static double Run(CounterRng rng, Span<double> buffer)
        {
            rng.Normals(3, 1, buffer);
            rng.Uniforms(4, 2, buffer[..100]);
            var block = Philox4x32.Generate(new Words4x32(1, 2, 3, 4), rng.StreamKey(9));
            RandomMapping.Normals(block, out double z0, out double z1);
            return buffer[0] + buffer[256] + z0 + z1 + rng.Normal(7, 8);
        }
    }
}
