using System.Runtime.CompilerServices;

namespace Ordo.Rng;

/// <summary>
/// Reproducible random numbers addressed by <c>(seed, stream, index)</c>: every value is a pure function of the
/// three, whatever was asked before and in whatever order, on any thread (Philox4x32-10 with the Ordo mapping,
/// sde.md §2). A stream is one trajectory (one path of an ensemble); its values are a sequence indexed from 0.
/// The struct holds only the seed, so copies are free and calls allocate nothing.
/// </summary>
/// <remarks>
/// <para>
/// <b>Streams (per-path seeds from one master seed).</b> Stream 0 uses the key of the seed,
/// <c>(seed &amp; 0xFFFFFFFF, seed &gt;&gt; 32)</c>; stream <c>m ≠ 0</c> uses the first two words of
/// <c>Philox4x32-10((m mod 2³², m &gt;&gt; 32, 0, 0x4F52444F), key of the seed)</c> (sde.md §1.5). An ensemble gives
/// path <c>p</c> stream <c>p</c> of one master seed; the virtual Brownian tree derives its keys the same way.
/// </para>
/// <para>
/// <b>Sequence layout.</b> Values <c>2b</c> and <c>2b + 1</c> of a stream come from block
/// <c>b</c>: <c>Philox4x32-10((b mod 2³², b &gt;&gt; 32, 0, 0x464C4154), stream key)</c> — the normals <c>(z₀, z₁)</c>
/// or the uniforms <c>(u₁, u₂)</c> of <see cref="RandomMapping"/>. Word 3 (<see cref="SequenceTag"/>, "FLAT") keeps
/// these counters apart from the stream derivation (word 3 = 0x4F52444F) and from the tree's node counters
/// (<c>(lane, level + 256q, k mod 2³², k &gt;&gt; 32)</c>, where <c>k &lt; 2⁶²</c> makes word 3 &lt; 2³⁰).
/// Indices are taken modulo 2⁶⁴.
/// </para>
/// </remarks>
/// <param name="seed">The master seed; any 64-bit value.</param>
public readonly struct CounterRng(ulong seed)
{
    /// <summary>Word 3 of the counter of a stream's derived key (sde.md §1.5; "ORDO" in ASCII).</summary>
    public const uint StreamTag = 0x4F52444F;

    /// <summary>Word 3 of the counters of the indexed sequence of <see cref="Normals"/> and <see cref="Uniforms"/> ("FLAT").</summary>
    public const uint SequenceTag = 0x464C4154;

    /// <summary>The master seed.</summary>
    public ulong Seed { get; } = seed;

    /// <summary>The Philox key of a stream (see the remarks of <see cref="CounterRng"/>).</summary>
    /// <param name="stream">The stream (trajectory) id; 0 is the seed's own key.</param>
    /// <returns>The key.</returns>
    public PhiloxKey StreamKey(ulong stream)
    {
        PhiloxKey key = PhiloxKey.FromSeed(Seed);
        if (stream == 0)
            return key;
        Words4x32 x = Philox4x32.Generate(new Words4x32((uint)stream, (uint)(stream >> 32), 0, StreamTag), key);
        return new PhiloxKey(x.X0, x.X1);
    }

    /// <summary>Block <paramref name="block"/> of the indexed sequence of a stream (values <c>2·block</c> and <c>2·block + 1</c>).</summary>
    /// <param name="stream">The stream id.</param>
    /// <param name="block">The block index.</param>
    /// <returns>The four Philox words.</returns>
    public Words4x32 Block(ulong stream, ulong block) => SequenceBlock(StreamKey(stream), block);

    /// <summary>Standard normal number <paramref name="index"/> of a stream.</summary>
    /// <param name="stream">The stream id.</param>
    /// <param name="index">The index in the stream's sequence.</param>
    /// <returns><c>z₀</c> of block <c>index / 2</c> for an even index, <c>z₁</c> for an odd one.</returns>
    public double Normal(ulong stream, ulong index)
    {
        RandomMapping.Normals(Block(stream, index >> 1), out double z0, out double z1);
        return (index & 1) == 0 ? z0 : z1;
    }

    /// <summary>
    /// Writes standard normals <c>index, index + 1, …</c> of a stream into <paramref name="destination"/>;
    /// each value is the one <see cref="Normal"/> returns for its index.
    /// </summary>
    /// <param name="stream">The stream id.</param>
    /// <param name="index">The index of the first value.</param>
    /// <param name="destination">Receives <c>destination.Length</c> normals.</param>
    public void Normals(ulong stream, ulong index, Span<double> destination)
        => Fill<NormalPair>(StreamKey(stream), index, destination);

    /// <summary>
    /// Writes uniforms in (0, 1] (see <see cref="RandomMapping.OpenUniform"/>) with indices <c>index, index + 1, …</c> of a stream into <paramref name="destination"/>
    /// (<c>u₁</c> of block <c>i / 2</c> for an even index <c>i</c>, <c>u₂</c> for an odd one).
    /// </summary>
    /// <param name="stream">The stream id.</param>
    /// <param name="index">The index of the first value.</param>
    /// <param name="destination">Receives <c>destination.Length</c> uniforms.</param>
    public void Uniforms(ulong stream, ulong index, Span<double> destination)
        => Fill<UniformPair>(StreamKey(stream), index, destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Words4x32 SequenceBlock(PhiloxKey key, ulong block)
        => Philox4x32.Generate(new Words4x32((uint)block, (uint)(block >> 32), 0, SequenceTag), key);

    private static void Fill<TPair>(PhiloxKey key, ulong index, Span<double> destination) where TPair : struct, IPairMap
    {
        int i = 0, n = destination.Length;
        ulong block = index >> 1;
        if (n == 0)
            return;
        if ((index & 1) != 0)
        {
            TPair.Map(SequenceBlock(key, block++), out _, out destination[i++]);
        }
        for (; i + 1 < n; i += 2)
            TPair.Map(SequenceBlock(key, block++), out destination[i], out destination[i + 1]);
        if (i < n)
            TPair.Map(SequenceBlock(key, block), out destination[i], out _);
    }

    private interface IPairMap
    {
        static abstract void Map(Words4x32 block, out double first, out double second);
    }

    private readonly struct NormalPair : IPairMap
    {
        public static void Map(Words4x32 block, out double first, out double second) => RandomMapping.Normals(block, out first, out second);
    }

    private readonly struct UniformPair : IPairMap
    {
        public static void Map(Words4x32 block, out double first, out double second) => RandomMapping.Uniforms(block, out first, out second);
    }
}
