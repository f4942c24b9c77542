using Xunit.Abstractions;
using Ordo.Rng;

namespace Ordo.Core.Tests.Rng;

/// <summary>
/// The vectorized Philox and Box–Muller of <see cref="PhiloxBatch"/> against the scalar code: blocks and uniforms
/// and normals bitwise on many counters (and the golden file to 1e-14), allocation-free.
/// </summary>
public class PhiloxBatchTests(ITestOutputHelper output)
{

    [Fact]
    public void Blocks_are_bitwise_the_scalar_blocks()
    {
        var random = new Random(11);
        const int n = 4099; // not a multiple of 4: the scalar tail too
        var counters = new Words4x32[n];
        var blocks = new Words4x32[n];
        for (int i = 0; i < n; i++)
            counters[i] = new Words4x32((uint)random.NextInt64(), (uint)random.NextInt64(), (uint)random.NextInt64(), (uint)random.NextInt64());
        var key = new PhiloxKey(0xA4093822, 0x299F31D0);
        PhiloxBatch.Generate(counters, key, blocks);
        for (int i = 0; i < n; i++)
            Assert.Equal(Philox4x32.Generate(counters[i], key), blocks[i]);
        output.WriteLine($"vectorized: {PhiloxBatch.IsVectorized}");
    }

    [Fact]
    public void Known_answer_vector_of_Random123()
    {
        // Philox4x32-10, counter 243f6a88 85a308d3 13198a2e 03707344, key a4093822 299f31d0 (sde.md §2.2).
        var counters = Enumerable.Repeat(new Words4x32(0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344), 8).ToArray();
        var blocks = new Words4x32[8];
        PhiloxBatch.Generate(counters, new PhiloxKey(0xA4093822, 0x299F31D0), blocks);
        Assert.All(blocks, b => Assert.Equal(new Words4x32(0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1), b));
    }

    [Fact]
    public void Consecutive_normals_are_bitwise_the_scalar_mapping()
    {
        const int n = 1 << 20;
        var z0 = new double[n];
        var z1 = new double[n];
        var key = new PhiloxKey(0x12345678, 0x9ABCDEF0);
        // The first index puts a carry from word 2 into word 3 inside the batch.
        ulong first = 0xFFFFFFFFUL - 1000;
        PhiloxBatch.Normals(key, 7, 0xF0000000, first, z0, z1);
        for (int i = 0; i < n; i++)
        {
            ulong index = first + (ulong)i;
            var block = Philox4x32.Generate(new Words4x32(7, 0xF0000000, (uint)index, (uint)(index >> 32)), key);
            RandomMapping.Normals(block, out double s0, out double s1);
            if (BitConverter.DoubleToInt64Bits(z0[i]) != BitConverter.DoubleToInt64Bits(s0) || BitConverter.DoubleToInt64Bits(z1[i]) != BitConverter.DoubleToInt64Bits(s1))
                Assert.Fail($"index {index}: vector ({z0[i]:R}, {z1[i]:R}), scalar ({s0:R}, {s1:R})");
        }
        output.WriteLine($"{2 * n} normals, vectorized = {PhiloxBatch.IsVectorized}: all bitwise the scalar mapping");
    }

    [Fact]
    public void Normals_of_blocks_match_the_golden_file_and_the_consecutive_form()
    {
        var cases = RandomTestData.Load("rng_golden.json").GetProperty("cases");
        int n = cases.GetArrayLength();
        var blocks = new Words4x32[n];
        var z0 = new double[n];
        var z1 = new double[n];
        for (int i = 0; i < n; i++)
        {
            var c = cases[i];
            uint[] ctr = RandomTestData.HexWords(c.GetProperty("ctr"));
            blocks[i] = Philox4x32.Generate(new Words4x32(ctr[0], ctr[1], ctr[2], ctr[3]), PhiloxKey.FromSeed(RandomTestData.Hex(c.GetProperty("seed").GetString()!)));
        }
        PhiloxBatch.Normals(blocks, z0, z1);
        for (int i = 0; i < n; i++)
        {
            RandomMappingGoldenTests.AssertRelative(double.Parse(cases[i].GetProperty("z0").GetString()!, System.Globalization.CultureInfo.InvariantCulture), z0[i]);
            RandomMappingGoldenTests.AssertRelative(double.Parse(cases[i].GetProperty("z1").GetString()!, System.Globalization.CultureInfo.InvariantCulture), z1[i]);
        }

        // The two entry points compute the same values for the same blocks and the same length.
        var key = new PhiloxKey(3, 4);
        var counters = new Words4x32[16];
        for (int i = 0; i < 16; i++)
            counters[i] = new Words4x32(5, 6, (uint)(40 + i), 0);
        var generated = new Words4x32[16];
        PhiloxBatch.Generate(counters, key, generated);
        double[] a0 = new double[16], a1 = new double[16], b0 = new double[16], b1 = new double[16];
        PhiloxBatch.Normals(generated, a0, a1);
        PhiloxBatch.Normals(key, 5, 6, 40, b0, b1);
        Assert.Equal(a0, b0);
        Assert.Equal(a1, b1);
    }

    [Fact]
    public void Extreme_uniforms_and_bad_input()
    {
        // u₁ = 2⁻⁵⁴ (largest radius) and u₁ = 1 (radius 0), in a batch long enough for the vector code.
        var blocks = new Words4x32[8];
        for (int i = 0; i < 8; i++)
            blocks[i] = i % 2 == 0 ? new Words4x32(0, 0, 0, 0) : new Words4x32(uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue);
        double[] z0 = new double[8], z1 = new double[8];
        PhiloxBatch.Normals(blocks, z0, z1);
        for (int i = 0; i < 8; i += 2)
        {
            Assert.InRange(Math.Sqrt(z0[i] * z0[i] + z1[i] * z1[i]), 8.6, 8.7);
            Assert.Equal(0.0, z0[i + 1]);
            Assert.Equal(0.0, Math.Abs(z1[i + 1]));
        }
        Assert.Throws<ArgumentException>(() => PhiloxBatch.Generate(new Words4x32[4], default, new Words4x32[3]));
        Assert.Throws<ArgumentException>(() => PhiloxBatch.Normals(new Words4x32[4], new double[4], new double[3]));
        Assert.Throws<ArgumentException>(() => PhiloxBatch.Normals(default, 0, 0, 0, new double[4], new double[3]));
    }

    [Fact]
    public void Consecutive_normals_allocate_nothing()
    {
        Span<double> z0 = stackalloc double[16], z1 = stackalloc double[16];
        PhiloxBatch.Normals(new PhiloxKey(1, 2), 0, 0, 0, z0, z1);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
            PhiloxBatch.Normals(new PhiloxKey(1, 2), 0, 0, (ulong)i * 16, z0, z1);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
