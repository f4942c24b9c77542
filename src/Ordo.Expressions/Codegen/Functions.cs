namespace Ordo.Expressions.Codegen;

/// <summary>
/// The math of the expression language in double precision, one method per function, shared by the compiled code and
/// the constant folder so that both give bit-identical results. Tiny methods; the JIT inlines them.
/// </summary>
internal static class Functions
{
    public static double Sin(double x) => Math.Sin(x);
    public static double Cos(double x) => Math.Cos(x);
    public static double Tan(double x) => Math.Tan(x);
    public static double Asin(double x) => Math.Asin(x);
    public static double Acos(double x) => Math.Acos(x);
    public static double Atan(double x) => Math.Atan(x);
    public static double Atan2(double y, double x) => Math.Atan2(y, x);
    public static double Sinh(double x) => Math.Sinh(x);
    public static double Cosh(double x) => Math.Cosh(x);
    public static double Tanh(double x) => Math.Tanh(x);
    public static double Exp(double x) => Math.Exp(x);
    public static double Log(double x) => Math.Log(x);
    public static double Log10(double x) => Math.Log10(x);
    public static double Sqrt(double x) => Math.Sqrt(x);
    public static double Abs(double x) => Math.Abs(x);

    /// <summary>−1, 0 or 1; NaN for NaN (Math.Sign would throw).</summary>
    public static double Sign(double x) => x > 0 ? 1 : x < 0 ? -1 : x == 0 ? 0 : double.NaN;

    /// <summary>a^b, with a² computed as a·a (the common case, and exact where pow may not be).</summary>
    public static double Pow(double a, double b) => b == 2 ? a * a : Math.Pow(a, b);

    /// <summary>The exponents that <see cref="PowConstant"/> computes with multiplications and square roots instead of
    /// pow (5–20× faster); the code generator emits exactly the same operations.</summary>
    public static bool IsSpecialExponent(double b) => b is 1 or 2 or 3 or 4 or 0.5 or 1.5 or -1 or -2 or -0.5 or -1.5;

    /// <summary>a^b for a constant exponent b: a·a, a·a·a, (a·a)·(a·a), √a, a·√a, 1/a, 1/(a·a), 1/√a, 1/(a·√a) for
    /// the special exponents, pow otherwise. (Differs from pow only in the last bit, and at a = −0 or ±∞ for the
    /// fractional exponents.)</summary>
    public static double PowConstant(double a, double b) => b switch
    {
        1 => a,
        2 => Square(a),
        3 => Cube(a),
        4 => Fourth(a),
        0.5 => Math.Sqrt(a),
        1.5 => ThreeHalves(a),
        -1 => Reciprocal(a),
        -2 => InverseSquare(a),
        -0.5 => InverseSqrt(a),
        -1.5 => InverseThreeHalves(a),
        _ => Math.Pow(a, b),
    };

    /// <summary>The name of the helper that computes a^b for a special exponent b.</summary>
    public static string PowHelper(double b) => b switch
    {
        2 => nameof(Square),
        3 => nameof(Cube),
        4 => nameof(Fourth),
        0.5 => nameof(Sqrt),
        1.5 => nameof(ThreeHalves),
        -1 => nameof(Reciprocal),
        -2 => nameof(InverseSquare),
        -0.5 => nameof(InverseSqrt),
        -1.5 => nameof(InverseThreeHalves),
        _ => throw new ArgumentOutOfRangeException(nameof(b), b, "not a special exponent"),
    };

    public static double Square(double a) => a * a;
    public static double Cube(double a) => a * a * a;
    public static double Fourth(double a) => a * a * (a * a);
    public static double ThreeHalves(double a) => a * Math.Sqrt(a);
    public static double Reciprocal(double a) => 1 / a;
    public static double InverseSquare(double a) => 1 / (a * a);
    public static double InverseSqrt(double a) => 1 / Math.Sqrt(a);
    public static double InverseThreeHalves(double a) => 1 / (a * Math.Sqrt(a));

    /// <summary>min/max of the language: the first argument wins ties; a NaN, once met, is the result.</summary>
    public static double Min(double best, double x) => double.IsNaN(best) ? best : double.IsNaN(x) || x < best ? x : best;

    /// <inheritdoc cref="Min"/>
    public static double Max(double best, double x) => double.IsNaN(best) ? best : double.IsNaN(x) || x > best ? x : best;

    /// <summary>∂(a^b)/∂b = a^b · ln a, taken as 0 where a^b = 0 (the limit from the right).</summary>
    public static double PowExponentPartial(double value, double a) => value == 0 ? 0 : value * Math.Log(a);

    /// <summary>∂(a^b)/∂a = b · a^(b−1) (written so that b = 0 gives 0 and b = 1 gives 1 even at a = 0).</summary>
    public static double PowBasePartial(double a, double b) => b == 0 ? 0 : b == 1 ? 1 : b == 2 ? 2 * a : b * Math.Pow(a, b - 1);
}
