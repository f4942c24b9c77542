using System.Runtime.CompilerServices;

namespace Ordo.Rng;

/// <summary>
/// Four 32-bit words: a Philox4x32 counter or one output block, word 0 first (the order of Random123's
/// known-answer vectors).
/// </summary>
/// <param name="X0">Word 0.</param>
/// <param name="X1">Word 1.</param>
/// <param name="X2">Word 2.</param>
/// <param name="X3">Word 3.</param>
public readonly record struct Words4x32(uint X0, uint X1, uint X2, uint X3);

/// <summary>A Philox4x32 key: two 32-bit words, word 0 first.</summary>
/// <param name="K0">Word 0.</param>
/// <param name="K1">Word 1.</param>
public readonly record struct PhiloxKey(uint K0, uint K1)
{
    /// <summary>The key of a 64-bit seed: <c>(seed &amp; 0xFFFFFFFF, seed &gt;&gt; 32)</c> (sde.md §1.5).</summary>
    /// <param name="seed">Any 64-bit seed.</param>
    public static PhiloxKey FromSeed(ulong seed) => new((uint)seed, (uint)(seed >> 32));
}

/// <summary>
/// The Philox4x32-10 counter-based generator: a keyed bijection of four 32-bit words with no state, so the
/// output for a counter depends on nothing but the counter and the key (Salmon, Moraes, Dror &amp; Shaw,
/// "Parallel random numbers: as easy as 1, 2, 3", SC'11; constants and round order as in Random123's
/// <c>philox.h</c>). Passes BigCrush; it is cuRAND's <c>PHILOX4_32_10</c>. Tested against every Philox4x32
/// known-answer vector of Random123 (<c>tests/kat_vectors</c>).
/// </summary>
/// <remarks>
/// One round: <c>(hi₀, lo₀) = M₀·c₀</c>, <c>(hi₁, lo₁) = M₁·c₂</c> (64-bit products split into halves),
/// <c>c ← (hi₁ ⊕ c₁ ⊕ k₀, lo₁, hi₀ ⊕ c₃ ⊕ k₁, lo₀)</c>; before every round but the first the key is bumped by the
/// Weyl constants, <c>k₀ += W₀</c>, <c>k₁ += W₁</c> (mod 2³²).
/// </remarks>
public static class Philox4x32
{
    /// <summary>Multiplier of words 0 (Random123 <c>PHILOX_M4x32_0</c>).</summary>
    public const uint M0 = 0xD2511F53;
    /// <summary>Multiplier of words 2 (Random123 <c>PHILOX_M4x32_1</c>).</summary>
    public const uint M1 = 0xCD9E8D57;
    /// <summary>Weyl increment of key word 0 (golden ratio, Random123 <c>PHILOX_W32_0</c>).</summary>
    public const uint W0 = 0x9E3779B9;
    /// <summary>Weyl increment of key word 1 (√3 − 1, Random123 <c>PHILOX_W32_1</c>).</summary>
    public const uint W1 = 0xBB67AE85;
    /// <summary>The number of rounds of Philox4x32-10.</summary>
    public const int Rounds = 10;

    /// <summary>Philox4x32-10 of one counter under one key; no allocation, no state.</summary>
    /// <param name="counter">The counter block.</param>
    /// <param name="key">The key.</param>
    /// <returns>The four output words.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Words4x32 Generate(Words4x32 counter, PhiloxKey key)
    {
        uint c0 = counter.X0, c1 = counter.X1, c2 = counter.X2, c3 = counter.X3;
        uint k0 = key.K0, k1 = key.K1;
        // Ten rounds written out; round r uses the key bumped r times (k + r·W mod 2³²).
        Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        Round(ref c0, ref c1, ref c2, ref c3, k0 + W0, k1 + W1);
        Round(ref c0, ref c1, ref c2, ref c3, k0 + unchecked(2 * W0), k1 + unchecked(2 * W1));
        Round(ref c0, ref c1, ref c2, ref c3, k0 + unchecked(3 * W0), k1 + unchecked(3 * W1));
        Round(ref c0, ref c1, ref c2, ref c3, k0 + unchecked(4 * W0), k1 + unchecked(4 * W1));
        Round(ref c0, ref c1, ref c2, ref c3, k0 + unchecked(5 * W0), k1 + unchecked(5 * W1));
        Round(ref c0, ref c1, ref c2, ref c3, k0 + unchecked(6 * W0), k1 + unchecked(6 * W1));
        Round(ref c0, ref c1, ref c2, ref c3, k0 + unchecked(7 * W0), k1 + unchecked(7 * W1));
        Round(ref c0, ref c1, ref c2, ref c3, k0 + unchecked(8 * W0), k1 + unchecked(8 * W1));
        Round(ref c0, ref c1, ref c2, ref c3, k0 + unchecked(9 * W0), k1 + unchecked(9 * W1));
        return new Words4x32(c0, c1, c2, c3);
    }

    /// <summary>Philox4x32 with a chosen number of rounds (the 7-round known-answer vectors use it).</summary>
    internal static Words4x32 Generate(Words4x32 counter, PhiloxKey key, int rounds)
    {
        uint c0 = counter.X0, c1 = counter.X1, c2 = counter.X2, c3 = counter.X3;
        uint k0 = key.K0, k1 = key.K1;
        for (int r = 0; r < rounds; r++)
        {
            if (r > 0)
            {
                k0 += W0;
                k1 += W1;
            }
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        }
        return new Words4x32(c0, c1, c2, c3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref uint c0, ref uint c1, ref uint c2, ref uint c3, uint k0, uint k1)
    {
        ulong p0 = (ulong)M0 * c0;
        ulong p1 = (ulong)M1 * c2;
        uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
        uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
        c0 = n0;
        c1 = (uint)p1;
        c2 = n2;
        c3 = (uint)p0;
    }
}
