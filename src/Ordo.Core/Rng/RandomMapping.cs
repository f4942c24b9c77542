using System.Runtime.CompilerServices;

namespace Ordo.Rng;

/// <summary>
/// The Ordo mapping from Philox output words to uniforms and standard normals (sde.md §2.3; golden values in
/// <c>sde-data/rng_golden.json</c>). Words and uniforms are exact; normals use the logarithm and sine/cosine of
/// <see cref="BoxMullerMath"/> (fdlibm's polynomials as plain IEEE arithmetic) and <see cref="Math.Sqrt"/>, so a normal
/// is bitwise the same on every CPU, at every JIT tier and in the vector code of <see cref="PhiloxBatch"/>. The golden
/// values were computed with the C library's <c>log</c>, <c>sin</c> and <c>cos</c>, from which these differ by an ulp
/// at most (the golden test allows a relative 1e-14).
/// </summary>
public static class RandomMapping
{
    private const double TwoPowMinus53 = 1.0 / 9007199254740992.0;
    private const double TwoPowMinus54 = 0.5 * TwoPowMinus53;

    /// <summary>
    /// A uniform in (0, 1] from two words, the spec's formula <c>u = ((hi·2³² + lo) &gt;&gt; 11)·2⁻⁵³ + 2⁻⁵⁴</c>
    /// ("multiply, then add half a step", as Random123's <c>u01</c>). Never 0 (the smallest value is 2⁻⁵⁴), so
    /// <c>ln u</c> is finite.
    /// </summary>
    /// <remarks>
    /// The spec (sde.md §2.3) calls the result "never 1" and exact; that holds below ½ only. In [½, 1) doubles are
    /// 2⁻⁵³ apart, so the added half step is a tie that rounds to even: those values land on the even multiples of
    /// 2⁻⁵³, and the largest input (top 53 bits all ones, probability 2⁻⁵³) gives exactly 1. The formula is kept
    /// because the golden values (<c>rng_golden.json</c>, <c>vbt_golden.json</c>) are built on it; for Box–Muller
    /// <c>u₁ = 1</c> only means radius 0 and <c>u₂ = 1</c> the angle 2π, both harmless.
    /// </remarks>
    /// <param name="lo">The low word.</param>
    /// <param name="hi">The high word.</param>
    /// <returns>A value in [2⁻⁵⁴, 1].</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double OpenUniform(uint lo, uint hi)
        => (((ulong)hi << 32 | lo) >> 11) * TwoPowMinus53 + TwoPowMinus54;

    /// <summary>The two uniforms of a block: <c>u₁ = OpenUniform(x₀, x₁)</c>, <c>u₂ = OpenUniform(x₂, x₃)</c>.</summary>
    /// <param name="block">A Philox4x32 output block.</param>
    /// <param name="u1">The uniform of words 0 and 1.</param>
    /// <param name="u2">The uniform of words 2 and 3.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Uniforms(Words4x32 block, out double u1, out double u2)
    {
        u1 = OpenUniform(block.X0, block.X1);
        u2 = OpenUniform(block.X2, block.X3);
    }

    /// <summary>
    /// Two independent standard normals from one block by the Box–Muller transform (Box &amp; Muller 1958):
    /// with the uniforms of <see cref="Uniforms"/>, <c>r = √(−2 ln u₁)</c>, <c>z₀ = r cos 2πu₂</c>,
    /// <c>z₁ = r sin 2πu₂</c>. Fixed consumption (one block, two normals, no rejection) is what counter addressing needs.
    /// </summary>
    /// <param name="block">A Philox4x32 output block.</param>
    /// <param name="z0">The cosine normal.</param>
    /// <param name="z1">The sine normal.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Normals(Words4x32 block, out double z0, out double z1)
    {
        Uniforms(block, out double u1, out double u2);
        double r = Math.Sqrt(-2.0 * BoxMullerMath.Log(u1));
        (double sin, double cos) = BoxMullerMath.SinCosTwoPi(u2);
        z0 = r * cos;
        z1 = r * sin;
    }
}
