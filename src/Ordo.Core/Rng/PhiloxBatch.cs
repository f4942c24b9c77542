using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ordo.Rng;

/// <summary>
/// Philox4x32-10 (<see cref="Philox4x32"/>; Salmon, Moraes, Dror &amp; Shaw, SC'11) over many counters at once and the
/// Box–Muller normals of <see cref="RandomMapping.Normals(Words4x32, out double, out double)"/> over many blocks (Box &amp; Muller 1958),
/// vectorized with <see cref="System.Runtime.Intrinsics"/>.
/// </summary>
/// <remarks>
/// <para>Philox runs four blocks per <see cref="Vector256{T}"/> of 64-bit lanes, one 32-bit word zero-extended per lane, so
/// a round is two 32×32→64-bit multiplies (<see cref="Avx2.Multiply(Vector256{uint}, Vector256{uint})"/>), two shifts
/// and four exclusive ors; without AVX2 it falls back to the scalar <see cref="Philox4x32.Generate(Words4x32, PhiloxKey)"/>.
/// Blocks and uniforms are bitwise those of the scalar code on every machine.</para>
/// <para>The normals use the vector form of <see cref="BoxMullerMath"/>, which performs the operations of the scalar
/// mapping in the same order, so they are bitwise <see cref="RandomMapping.Normals(Words4x32, out double, out double)"/>
/// on every machine and at every JIT tier (a short tail is padded, so every value goes through the same code). Not
/// <see cref="Vector256.Log(Vector256{double})"/> and <see cref="Vector256.SinCos(Vector256{double})"/>: their
/// multiply-add estimates are fused in optimized code and not in tier-0 code, so their last bit changes when a method
/// is re-jitted, which broke the thread-count independence of ensembles.</para>
/// </remarks>
public static class PhiloxBatch
{
    private const ulong Low32 = 0xFFFFFFFF;
    private const ulong OneBits = 0x3FF0000000000000; // 1.0
    private const ulong TwoPowMinus53Bits = 0x3CA0000000000000; // 2⁻⁵³
    private const double TwoPowMinus54 = 1.0 / 18014398509481984.0;

    /// <summary>Whether the blocks are computed with AVX2 (otherwise by the scalar code).</summary>
    public static bool IsVectorized => Avx2.IsSupported;

    /// <summary>Philox4x32-10 of each counter under one key; bitwise <see cref="Philox4x32.Generate(Words4x32, PhiloxKey)"/> of each.</summary>
    /// <param name="counters">The counters.</param>
    /// <param name="key">The key.</param>
    /// <param name="destination">Receives one block per counter; at least as long as <paramref name="counters"/>.</param>
    /// <exception cref="ArgumentException">The destination is shorter than the counters.</exception>
    public static void Generate(ReadOnlySpan<Words4x32> counters, PhiloxKey key, Span<Words4x32> destination)
    {
        if (destination.Length < counters.Length)
            throw new ArgumentException($"The destination holds {destination.Length} blocks, fewer than the {counters.Length} counters.", nameof(destination));
        int i = 0;
        if (Avx2.IsSupported)
        {
            for (; i + 4 <= counters.Length; i += 4)
            {
                ReadOnlySpan<Words4x32> c = counters.Slice(i, 4);
                var c0 = Vector256.Create(c[0].X0, c[1].X0, c[2].X0, (ulong)c[3].X0);
                var c1 = Vector256.Create(c[0].X1, c[1].X1, c[2].X1, (ulong)c[3].X1);
                var c2 = Vector256.Create(c[0].X2, c[1].X2, c[2].X2, (ulong)c[3].X2);
                var c3 = Vector256.Create(c[0].X3, c[1].X3, c[2].X3, (ulong)c[3].X3);
                Rounds(ref c0, ref c1, ref c2, ref c3, key);
                for (int k = 0; k < 4; k++)
                    destination[i + k] = new Words4x32((uint)c0.GetElement(k), (uint)c1.GetElement(k), (uint)c2.GetElement(k), (uint)c3.GetElement(k));
            }
        }
        for (; i < counters.Length; i++)
            destination[i] = Philox4x32.Generate(counters[i], key);
    }

    /// <summary>
    /// The Box–Muller normals of blocks: <c>z0[i]</c>, <c>z1[i]</c> are bitwise
    /// <see cref="RandomMapping.Normals(Words4x32, out double, out double)"/> of <c>blocks[i]</c>.
    /// </summary>
    /// <param name="blocks">Philox output blocks.</param>
    /// <param name="z0">Receives the cosine normals; at least as long as <paramref name="blocks"/>.</param>
    /// <param name="z1">Receives the sine normals; at least as long as <paramref name="blocks"/>.</param>
    /// <exception cref="ArgumentException">A destination shorter than the blocks.</exception>
    public static void Normals(ReadOnlySpan<Words4x32> blocks, Span<double> z0, Span<double> z1)
    {
        int n = blocks.Length;
        CheckDestinations(n, z0.Length, z1.Length);
        if (!Avx2.IsSupported)
        {
            for (int i = 0; i < n; i++)
                RandomMapping.Normals(blocks[i], out z0[i], out z1[i]);
            return;
        }
        Span<double> u1 = stackalloc double[4], u2 = stackalloc double[4];
        for (int i = 0; i < n; i += 4)
        {
            int m = Math.Min(4, n - i);
            u1.Fill(0.5); // padding of a short tail: every value goes through the vector code
            u2.Fill(0.5);
            for (int k = 0; k < m; k++)
                RandomMapping.Uniforms(blocks[i + k], out u1[k], out u2[k]);
            BoxMuller(Vector256.Create<double>(u1), Vector256.Create<double>(u2), out Vector256<double> a, out Vector256<double> b);
            Store(a, z0.Slice(i, m));
            Store(b, z1.Slice(i, m));
        }
    }

    /// <summary>
    /// The Box–Muller normals of the blocks at consecutive counters <c>(word0, word1, i mod 2³², i &gt;&gt; 32)</c>,
    /// <c>i = firstIndex, firstIndex + 1, …</c> (the layout of the fixed grid of sde.md §1.2), computed in vector registers
    /// from counter to normal. Allocation-free.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="word0">Word 0 of every counter.</param>
    /// <param name="word1">Word 1 of every counter.</param>
    /// <param name="firstIndex">The 64-bit index (words 2 and 3) of the first counter; it wraps modulo 2⁶⁴.</param>
    /// <param name="z0">Receives the cosine normals, one per counter (its length is the count).</param>
    /// <param name="z1">Receives the sine normals; at least as long as <paramref name="z0"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="z1"/> shorter than <paramref name="z0"/>.</exception>
    public static void Normals(PhiloxKey key, uint word0, uint word1, ulong firstIndex, Span<double> z0, Span<double> z1)
    {
        int n = z0.Length;
        CheckDestinations(n, n, z1.Length);
        if (!Avx2.IsSupported)
        {
            for (int i = 0; i < n; i++)
            {
                ulong index = firstIndex + (ulong)i;
                RandomMapping.Normals(Philox4x32.Generate(new Words4x32(word0, word1, (uint)index, (uint)(index >> 32)), key), out z0[i], out z1[i]);
            }
            return;
        }
        var w0 = Vector256.Create((ulong)word0);
        var w1 = Vector256.Create((ulong)word1);
        var offsets = Vector256.Create(0UL, 1, 2, 3);
        int j = 0;
        for (; j + 8 <= n; j += 8)
        {
            // Two groups of four blocks interleaved, for instruction-level parallelism.
            Vector256<ulong> a0 = w0, a1 = w1, b0 = w0, b1 = w1;
            Vector256<ulong> ia = Vector256.Create(firstIndex + (ulong)j) + offsets;
            Vector256<ulong> ib = ia + Vector256.Create(4UL);
            Vector256<ulong> a2 = ia, a3 = ia >>> 32, b2 = ib, b3 = ib >>> 32;
            Rounds2(ref a0, ref a1, ref a2, ref a3, ref b0, ref b1, ref b2, ref b3, key);
            BoxMuller(Uniform(a0, a1), Uniform(a2, a3), out Vector256<double> za, out Vector256<double> sa);
            BoxMuller(Uniform(b0, b1), Uniform(b2, b3), out Vector256<double> zb, out Vector256<double> sb);
            za.CopyTo(z0.Slice(j, 4));
            sa.CopyTo(z1.Slice(j, 4));
            zb.CopyTo(z0.Slice(j + 4, 4));
            sb.CopyTo(z1.Slice(j + 4, 4));
        }
        for (; j < n; j += 4)
        {
            // A short tail computes all four blocks and stores the ones asked for.
            int m = Math.Min(4, n - j);
            Vector256<ulong> a0 = w0, a1 = w1;
            Vector256<ulong> ia = Vector256.Create(firstIndex + (ulong)j) + offsets;
            Vector256<ulong> a2 = ia, a3 = ia >>> 32;
            Rounds(ref a0, ref a1, ref a2, ref a3, key);
            BoxMuller(Uniform(a0, a1), Uniform(a2, a3), out Vector256<double> za, out Vector256<double> sa);
            Store(za, z0.Slice(j, m));
            Store(sa, z1.Slice(j, m));
        }
    }

    /// <summary>The mapping of <see cref="RandomMapping.Normals(Words4x32, out double, out double)"/> on four pairs of uniforms.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BoxMuller(Vector256<double> u1, Vector256<double> u2, out Vector256<double> z0, out Vector256<double> z1)
    {
        Vector256<double> r = Vector256.Sqrt(Vector256.Create(-2.0) * BoxMullerMath.Log(u1));
        (Vector256<double> sin, Vector256<double> cos) = BoxMullerMath.SinCosTwoPi(u2);
        z0 = r * cos;
        z1 = r * sin;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector256<double> v, Span<double> destination)
    {
        if (destination.Length == 4)
            v.CopyTo(destination);
        else
            for (int k = 0; k < destination.Length; k++)
                destination[k] = v.GetElement(k);
    }

    /// <summary>
    /// The uniform of words <c>lo</c>, <c>hi</c> (in the low halves of the lanes) of four blocks, bitwise
    /// <see cref="RandomMapping.OpenUniform"/>: the top 53 bits <c>x</c> of <c>hi·2³² + lo</c> are split as <c>x = 2a + b</c>;
    /// <c>a·2⁻⁵²</c> is exact as <c>(1 + a·2⁻⁵²) − 1</c> built from the bits, <c>b·2⁻⁵³</c> is 0 or 2⁻⁵³ by a mask, their
    /// sum is <c>x·2⁻⁵³</c> exactly, and adding 2⁻⁵⁴ rounds once, as in the scalar formula.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Uniform(Vector256<ulong> lo, Vector256<ulong> hi)
    {
        Vector256<ulong> x = ((hi << 32) | (lo & Vector256.Create(Low32))) >>> 11;
        Vector256<double> a = (x >>> 1 | Vector256.Create(OneBits)).AsDouble() - Vector256<double>.One;
        Vector256<double> b = ((Vector256<ulong>.Zero - (x & Vector256<ulong>.One)) & Vector256.Create(TwoPowMinus53Bits)).AsDouble();
        return a + b + Vector256.Create(TwoPowMinus54);
    }

    /// <summary>Ten Philox rounds on four blocks; only the low 32 bits of each lane are meaningful on exit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds(ref Vector256<ulong> c0, ref Vector256<ulong> c1, ref Vector256<ulong> c2, ref Vector256<ulong> c3, PhiloxKey key)
    {
        Vector256<uint> m0 = Vector256.Create((ulong)Philox4x32.M0).AsUInt32(), m1 = Vector256.Create((ulong)Philox4x32.M1).AsUInt32();
        uint k0 = key.K0, k1 = key.K1;
        for (int r = 0; r < Philox4x32.Rounds; r++)
        {
            // vpmuludq reads the low 32 bits of each lane, so the high halves left in c1, c3 by earlier rounds do no harm.
            Vector256<ulong> p0 = Avx2.Multiply(c0.AsUInt32(), m0), p1 = Avx2.Multiply(c2.AsUInt32(), m1);
            c0 = (p1 >>> 32) ^ c1 ^ Vector256.Create((ulong)k0);
            c2 = (p0 >>> 32) ^ c3 ^ Vector256.Create((ulong)k1);
            c1 = p1;
            c3 = p0;
            k0 += Philox4x32.W0;
            k1 += Philox4x32.W1;
        }
    }

    /// <summary><see cref="Rounds"/> on two groups of four blocks, interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds2(ref Vector256<ulong> a0, ref Vector256<ulong> a1, ref Vector256<ulong> a2, ref Vector256<ulong> a3,
        ref Vector256<ulong> b0, ref Vector256<ulong> b1, ref Vector256<ulong> b2, ref Vector256<ulong> b3, PhiloxKey key)
    {
        Vector256<uint> m0 = Vector256.Create((ulong)Philox4x32.M0).AsUInt32(), m1 = Vector256.Create((ulong)Philox4x32.M1).AsUInt32();
        uint k0 = key.K0, k1 = key.K1;
        for (int r = 0; r < Philox4x32.Rounds; r++)
        {
            Vector256<ulong> vk0 = Vector256.Create((ulong)k0), vk1 = Vector256.Create((ulong)k1);
            Vector256<ulong> pa0 = Avx2.Multiply(a0.AsUInt32(), m0), pa1 = Avx2.Multiply(a2.AsUInt32(), m1);
            Vector256<ulong> pb0 = Avx2.Multiply(b0.AsUInt32(), m0), pb1 = Avx2.Multiply(b2.AsUInt32(), m1);
            a0 = (pa1 >>> 32) ^ a1 ^ vk0;
            a2 = (pa0 >>> 32) ^ a3 ^ vk1;
            b0 = (pb1 >>> 32) ^ b1 ^ vk0;
            b2 = (pb0 >>> 32) ^ b3 ^ vk1;
            a1 = pa1;
            a3 = pa0;
            b1 = pb1;
            b3 = pb0;
            k0 += Philox4x32.W0;
            k1 += Philox4x32.W1;
        }
    }

    private static void CheckDestinations(int count, int z0Length, int z1Length)
    {
        if (z0Length < count || z1Length < count)
            throw new ArgumentException($"The destinations must hold at least {count} values.");
    }
}
