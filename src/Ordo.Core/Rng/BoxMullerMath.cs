using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Ordo.Rng;

/// <summary>
/// The logarithm and sine/cosine of the Box–Muller transform, written once as a fixed sequence of IEEE-754 additions,
/// multiplications and one division, in a scalar and a <see cref="Vector256{T}"/> form that perform the same operations
/// in the same order, so a normal is bitwise the same whichever form computes it, on every CPU and at every JIT tier.
/// </summary>
/// <remarks>
/// <para>Why not <see cref="Math.Log(double)"/> and <see cref="Vector256.Log(Vector256{double})"/>: the first comes from
/// the platform's C library (its last bit may differ between libm versions), and the second is evaluated with
/// multiply-add "estimates" that the JIT fuses in optimized code and leaves unfused in unoptimized (tier-0) code, so the
/// same call returns values an ulp apart before and after tiering. An ensemble whose workers reach tier 1 at different
/// paths then loses its bitwise reproducibility across thread counts (seen in CI: one ulp in one mean of eight).
/// Nothing here fuses: the JIT never contracts <c>a·b + c</c>, and additions, multiplications, division and square root
/// are correctly rounded on every IEEE machine.</para>
/// <para>Logarithm: the reduction and polynomial of fdlibm's <c>e_log.c</c> (Sun Microsystems 1993; the
/// <c>Lg1…Lg7</c> minimax coefficients of <c>log(1+f) = 2s + 2s³/3 + …</c>, <c>s = f/(2+f)</c>), error below one ulp.
/// Sine and cosine of <c>2πu</c> for <c>u ∈ [0, 1]</c>: the quadrant is read off <c>4u</c> exactly (no π in the
/// reduction), and the remainder <c>θ ∈ [−π/4, π/4]</c> goes through the kernels of fdlibm's <c>k_sin.c</c> and
/// <c>k_cos.c</c>. Measured against <see cref="Math.Log(double)"/> and <see cref="Math.SinCos"/> in
/// <c>BoxMullerMathTests</c>.</para>
/// </remarks>
internal static class BoxMullerMath
{
    private const double Ln2Hi = 6.93147180369123816490e-01, Ln2Lo = 1.90821492927058770002e-10;
    private const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01, Lg3 = 2.857142874366239149e-01,
        Lg4 = 2.222219843214978396e-01, Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01, Lg7 = 1.479819860511658591e-01;
    private const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
        S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    private const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
        C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
    private const double Sqrt2 = 1.4142135623730951;
    private const double HalfPi = 1.5707963267948966;
    private const ulong MantissaMask = 0x000FFFFFFFFFFFFF, OneBits = 0x3FF0000000000000, SignBit = 0x8000000000000000;

    /// <summary>ln u for a positive normal double u (the Box–Muller uniforms lie in [2⁻⁵⁴, 1]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double u)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(u);
        double k = (long)(bits >> 52) - 1023;
        double m = BitConverter.UInt64BitsToDouble((bits & MantissaMask) | OneBits); // u = 2ᵏ·m, m ∈ [1, 2)
        if (m > Sqrt2) { m *= 0.5; k += 1; } // m ∈ [√2/2, √2]
        return LogKernel(m - 1, k);
    }

    /// <summary>ln u of four positive normal doubles, bitwise <see cref="Log(double)"/> of each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log(Vector256<double> u)
    {
        Vector256<ulong> bits = u.AsUInt64();
        // The biased exponent (≤ 2047) sits in the low bits of 1.5·2⁵² + e, so subtracting the constant gives e exactly.
        Vector256<double> k = ((bits >>> 52) | Vector256.Create(0x4338000000000000UL)).AsDouble() - Vector256.Create(6755399441055744.0 + 1023);
        Vector256<double> m = ((bits & Vector256.Create(MantissaMask)) | Vector256.Create(OneBits)).AsDouble();
        Vector256<double> big = Vector256.GreaterThan(m, Vector256.Create(Sqrt2));
        m = Vector256.ConditionalSelect(big, m * 0.5, m);
        k += big & Vector256<double>.One;
        return LogKernel(m - Vector256<double>.One, k);
    }

    /// <summary>sin 2πu and cos 2πu for u ∈ [0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double Sin, double Cos) SinCosTwoPi(double u)
    {
        double x = 4 * u; // exact
        double n = Math.Round(x); // quadrant 0…4, ties to even as the vector rounding
        double theta = (x - n) * HalfPi; // x − n is exact; θ ∈ [−π/4, π/4]
        double s = SinKernel(theta), c = CosKernel(theta);
        int q = (int)n & 3;
        double sin = (q & 1) != 0 ? c : s, cos = (q & 1) != 0 ? s : c;
        if ((q & 2) != 0) sin = -sin;
        if (((q + 1) & 2) != 0) cos = -cos;
        return (sin, cos);
    }

    /// <summary>sin 2πu and cos 2πu of four u ∈ [0, 1], bitwise <see cref="SinCosTwoPi(double)"/> of each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<double> Sin, Vector256<double> Cos) SinCosTwoPi(Vector256<double> u)
    {
        Vector256<double> x = u * 4;
        Vector256<double> n = Vector256.Round(x);
        Vector256<double> theta = (x - n) * HalfPi;
        Vector256<double> s = SinKernel(theta), c = CosKernel(theta);
        Vector256<ulong> q = (n + Vector256.Create(6755399441055744.0)).AsUInt64(); // the integer n in the low bits
        Vector256<double> odd = Vector256.Equals(q & Vector256<ulong>.One, Vector256<ulong>.One).AsDouble();
        Vector256<double> sin = Vector256.ConditionalSelect(odd, c, s), cos = Vector256.ConditionalSelect(odd, s, c);
        Vector256<ulong> sinSign = (q & Vector256.Create(2UL)) << 62, cosSign = ((q + Vector256<ulong>.One) & Vector256.Create(2UL)) << 62;
        return ((sin.AsUInt64() ^ sinSign).AsDouble(), (cos.AsUInt64() ^ cosSign).AsDouble());
    }

    // log(1 + f) + k ln 2 for f ∈ [√2/2 − 1, √2 − 1] (fdlibm e_log.c, the k ≠ 0 branch, which is exact for k = 0 too).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double LogKernel(double f, double k)
    {
        double s = f / (2.0 + f), z = s * s, w = z * z;
        double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
        double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
        double r = t2 + t1, hfsq = 0.5 * f * f;
        return k * Ln2Hi - ((hfsq - (s * (hfsq + r) + k * Ln2Lo)) - f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> LogKernel(Vector256<double> f, Vector256<double> k)
    {
        Vector256<double> s = f / (Vector256.Create(2.0) + f), z = s * s, w = z * z;
        Vector256<double> t1 = w * (Vector256.Create(Lg2) + w * (Vector256.Create(Lg4) + w * Lg6));
        Vector256<double> t2 = z * (Vector256.Create(Lg1) + w * (Vector256.Create(Lg3) + w * (Vector256.Create(Lg5) + w * Lg7)));
        Vector256<double> r = t2 + t1, hfsq = Vector256.Create(0.5) * f * f;
        return k * Ln2Hi - ((hfsq - (s * (hfsq + r) + k * Ln2Lo)) - f);
    }

    // sin θ for |θ| ≤ π/4 (fdlibm k_sin.c with a zero tail).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SinKernel(double x)
    {
        double z = x * x, v = z * x;
        double r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
        return x + v * (S1 + z * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> SinKernel(Vector256<double> x)
    {
        Vector256<double> z = x * x, v = z * x;
        Vector256<double> r = Vector256.Create(S2) + z * (Vector256.Create(S3) + z * (Vector256.Create(S4) + z * (Vector256.Create(S5) + z * S6)));
        return x + v * (Vector256.Create(S1) + z * r);
    }

    // cos θ for |θ| ≤ π/4 (fdlibm k_cos.c with a zero tail: 1 − θ²/2 is formed so that its rounding error is kept).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double CosKernel(double x)
    {
        double z = x * x;
        double r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
        double hz = 0.5 * z, w = 1.0 - hz;
        return w + (((1.0 - w) - hz) + z * r);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> CosKernel(Vector256<double> x)
    {
        Vector256<double> z = x * x, one = Vector256<double>.One;
        Vector256<double> r = z * (Vector256.Create(C1) + z * (Vector256.Create(C2) + z * (Vector256.Create(C3) + z * (Vector256.Create(C4) + z * (Vector256.Create(C5) + z * C6)))));
        Vector256<double> hz = Vector256.Create(0.5) * z, w = one - hz;
        return w + (((one - w) - hz) + z * r);
    }
}
