namespace Ordo.Expressions.Codegen;

/// <summary>
/// A forward-mode dual number a + b·ε (ε² = 0): running the reverse-mode gradient code on duals seeded with a
/// direction v gives the Hessian–vector product in the tangents ("forward over reverse").
/// </summary>
internal readonly struct Dual(double value, double tangent)
{
    public readonly double Value = value;
    public readonly double Tangent = tangent;

    public static Dual Constant(double value) => new(value, 0);
    public static Dual Add(Dual a, Dual b) => new(a.Value + b.Value, a.Tangent + b.Tangent);
    public static Dual Subtract(Dual a, Dual b) => new(a.Value - b.Value, a.Tangent - b.Tangent);
    public static Dual Multiply(Dual a, Dual b) => new(a.Value * b.Value, a.Tangent * b.Value + a.Value * b.Tangent);
    public static Dual Divide(Dual a, Dual b)
    {
        double q = a.Value / b.Value;
        return new(q, (a.Tangent - q * b.Tangent) / b.Value);
    }
    public static Dual Negate(Dual a) => new(-a.Value, -a.Tangent);

    private static Dual Chain(Dual a, double value, double derivative) => new(value, derivative * a.Tangent);

    public static Dual Sin(Dual a) => Chain(a, Math.Sin(a.Value), Math.Cos(a.Value));
    public static Dual Cos(Dual a) => Chain(a, Math.Cos(a.Value), -Math.Sin(a.Value));
    public static Dual Tan(Dual a) { double t = Math.Tan(a.Value); return Chain(a, t, 1 + t * t); }
    public static Dual Asin(Dual a) => Chain(a, Math.Asin(a.Value), 1 / Math.Sqrt(1 - a.Value * a.Value));
    public static Dual Acos(Dual a) => Chain(a, Math.Acos(a.Value), -1 / Math.Sqrt(1 - a.Value * a.Value));
    public static Dual Atan(Dual a) => Chain(a, Math.Atan(a.Value), 1 / (1 + a.Value * a.Value));
    public static Dual Atan2(Dual y, Dual x)
    {
        double r2 = x.Value * x.Value + y.Value * y.Value;
        return new(Math.Atan2(y.Value, x.Value), (x.Value * y.Tangent - y.Value * x.Tangent) / r2);
    }
    public static Dual Sinh(Dual a) => Chain(a, Math.Sinh(a.Value), Math.Cosh(a.Value));
    public static Dual Cosh(Dual a) => Chain(a, Math.Cosh(a.Value), Math.Sinh(a.Value));
    public static Dual Tanh(Dual a) { double t = Math.Tanh(a.Value); return Chain(a, t, 1 - t * t); }
    public static Dual Exp(Dual a) { double e = Math.Exp(a.Value); return Chain(a, e, e); }
    public static Dual Log(Dual a) => Chain(a, Math.Log(a.Value), 1 / a.Value);
    public static Dual Log10(Dual a) => Chain(a, Math.Log10(a.Value), 1 / (a.Value * Math.Log(10)));
    public static Dual Sqrt(Dual a) { double s = Math.Sqrt(a.Value); return Chain(a, s, 0.5 / s); }
    public static Dual Abs(Dual a) => Chain(a, Math.Abs(a.Value), Functions.Sign(a.Value));
    public static Dual Sign(Dual a) => new(Functions.Sign(a.Value), 0);

    public static Dual Pow(Dual a, Dual b)
    {
        double value = Functions.Pow(a.Value, b.Value);
        double tangent = Functions.PowBasePartial(a.Value, b.Value) * a.Tangent;
        if (b.Tangent != 0) tangent += Functions.PowExponentPartial(value, a.Value) * b.Tangent;
        return new(value, tangent);
    }

    public static Dual PowBasePartial(Dual a, Dual b) =>
        // d/da of b·a^(b−1), used by reverse mode on duals: the tangent of the partial.
        b.Value == 0 ? Constant(0) : b.Value == 1 ? Constant(1) : Multiply(b, Pow(a, Subtract(b, Constant(1))));

    public static Dual PowExponentPartial(Dual value, Dual a) => value.Value == 0 ? Constant(0) : Multiply(value, Log(a));
}
