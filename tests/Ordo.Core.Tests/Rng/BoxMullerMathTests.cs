using System.Runtime.Intrinsics;
using Ordo.Rng;
using Xunit.Abstractions;

namespace Ordo.Core.Tests.Rng;

/// <summary>
/// <see cref="BoxMullerMath"/>: its logarithm and sine/cosine against the C library's (<see cref="Math.Log(double)"/>,
/// <see cref="Math.SinCos"/>) in ulps, and the vector form bitwise the scalar form, on random and edge inputs.
/// </summary>
public class BoxMullerMathTests(ITestOutputHelper output)
{
    private static double Ulp(double x) => Math.BitIncrement(Math.Abs(x)) - Math.Abs(x);

    private static IEnumerable<double> Uniforms(int n)
    {
        // The uniforms of the mapping, u = x·2⁻⁵³ + 2⁻⁵⁴, from a fixed generator; every binade of [2⁻⁵⁴, 1] is visited.
        var rng = new Random(20261202);
        for (int i = 0; i < n; i++)
        {
            ulong x = (ulong)rng.NextInt64(0, 1L << 53) >> rng.Next(0, 53);
            yield return x * (1.0 / 9007199254740992.0) + 1.0 / 18014398509481984.0;
        }
        foreach (double u in new[] { 1.0 / 18014398509481984.0, 0.125, 0.25, 0.5, 0.7071067811865476, 0.7071067811865475, 1.0, Math.BitDecrement(1.0), 0.375, 0.625, 0.875 })
            yield return u;
    }

    [Fact]
    public void Log_is_within_one_ulp_of_the_C_library()
    {
        double worst = 0;
        foreach (double u in Uniforms(1 << 20))
        {
            double exact = Math.Log(u), ours = BoxMullerMath.Log(u);
            double ulps = exact == 0 ? Math.Abs(ours) : Math.Abs(ours - exact) / Ulp(exact);
            worst = Math.Max(worst, ulps);
            Assert.True(ulps <= 1, $"u = {u:R}: ln {ours:R}, C library {exact:R} ({ulps} ulps)");
        }
        output.WriteLine($"max |ln u − Math.Log(u)| = {worst} ulps");
    }

    [Fact]
    public void Sine_and_cosine_of_two_pi_u_are_within_an_ulp_of_one_of_a_double_double_reference()
    {
        // Math.SinCos(2π·u) carries the rounding of the product 2π·u (up to 4.4e-16 near u = 1), more than the error
        // being measured, so the reference takes θ = 2πu as a double-double, θ_hi + θ_lo (2π split in two, the product
        // by a fused multiply-add), and sin θ ≈ sin θ_hi + θ_lo cos θ_hi with the C library on θ_hi. The error is
        // absolute, in units of 2⁻⁵³ (half an ulp of 1): the values feed r·cos, r·sin.
        const double TwoPiHi = 6.283185307179586, TwoPiLo = 2.4492935982947064e-16;
        const double Unit = 1.0 / 9007199254740992.0;
        double worst = 0;
        foreach (double u in Uniforms(1 << 20))
        {
            (double s, double c) = BoxMullerMath.SinCosTwoPi(u);
            double hi = TwoPiHi * u, lo = Math.FusedMultiplyAdd(TwoPiHi, u, -hi) + TwoPiLo * u;
            (double sh, double ch) = Math.SinCos(hi);
            double es = sh + lo * ch, ec = ch - lo * sh;
            double err = Math.Max(Math.Abs(s - es), Math.Abs(c - ec)) / Unit;
            worst = Math.Max(worst, err);
            Assert.True(err <= 2.5, $"u = {u:R}: ({s:R}, {c:R}) against ({es:R}, {ec:R}), {err:F2}·2⁻⁵³");
            Assert.True(Math.Abs(s * s + c * c - 1) <= 8 * Unit, $"u = {u:R}: sin² + cos² − 1 = {s * s + c * c - 1:E2}");
        }
        output.WriteLine($"max |sin, cos − reference| = {worst:F3}·2⁻⁵³");
        // Exact points: the quadrant comes from 4u without π, so the axes are hit exactly.
        Assert.Equal((0.0, 1.0), BoxMullerMath.SinCosTwoPi(1.0));
        Assert.Equal((1.0, 0.0), BoxMullerMath.SinCosTwoPi(0.25));
        Assert.Equal((0.0, -1.0), (Math.Abs(BoxMullerMath.SinCosTwoPi(0.5).Sin), BoxMullerMath.SinCosTwoPi(0.5).Cos));
        Assert.Equal((-1.0, 0.0), (BoxMullerMath.SinCosTwoPi(0.75).Sin, Math.Abs(BoxMullerMath.SinCosTwoPi(0.75).Cos)));
    }

    [Fact]
    public void Vector_form_is_bitwise_the_scalar_form()
    {
        double[] u = [.. Uniforms(1 << 18)];
        int n = u.Length / 4 * 4;
        for (int i = 0; i < n; i += 4)
        {
            var v = Vector256.Create(u[i], u[i + 1], u[i + 2], u[i + 3]);
            Vector256<double> log = BoxMullerMath.Log(v);
            (Vector256<double> sin, Vector256<double> cos) = BoxMullerMath.SinCosTwoPi(v);
            for (int k = 0; k < 4; k++)
            {
                (double s, double c) = BoxMullerMath.SinCosTwoPi(u[i + k]);
                Assert.Equal(BitConverter.DoubleToInt64Bits(BoxMullerMath.Log(u[i + k])), BitConverter.DoubleToInt64Bits(log[k]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(s), BitConverter.DoubleToInt64Bits(sin[k]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(c), BitConverter.DoubleToInt64Bits(cos[k]));
            }
        }
    }
}
