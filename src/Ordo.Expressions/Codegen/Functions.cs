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

    /// <summary>∂(a^b)/∂b = a^b · ln a, taken as 0 where a^b = 0 (the limit from the right).</summary>
    public static double PowExponentPartial(double value, double a) => value == 0 ? 0 : value * Math.Log(a);

    /// <summary>∂(a^b)/∂a = b · a^(b−1) (written so that b = 0 gives 0 and b = 1 gives 1 even at a = 0).</summary>
    public static double PowBasePartial(double a, double b) => b == 0 ? 0 : b == 1 ? 1 : b == 2 ? 2 * a : b * Math.Pow(a, b - 1);
}
