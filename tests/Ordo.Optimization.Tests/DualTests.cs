using System.Globalization;
using System.Numerics;
using Ordo.Optimization.Differentiation;

namespace Ordo.Optimization.Tests;

using D1 = Dual<double>;
using D2 = Dual<Dual<double>>;

public class DualTests
{
    // Every elementary function by name, generic, so one table drives double, Dual<double> and Dual<Dual<double>>.
    private static T Apply<T>(string name, T x) where T : IFloatingPointIeee754<T>
    {
        T c(double v) => T.CreateTruncating(v);
        return name switch
        {
            "Sqrt" => T.Sqrt(x),
            "Cbrt" => T.Cbrt(x),
            "Exp" => T.Exp(x),
            "ExpM1" => T.ExpM1(x),
            "Exp2" => T.Exp2(x),
            "Exp2M1" => T.Exp2M1(x),
            "Exp10" => T.Exp10(x),
            "Exp10M1" => T.Exp10M1(x),
            "Log" => T.Log(x),
            "LogP1" => T.LogP1(x),
            "Log2" => T.Log2(x),
            "Log2P1" => T.Log2P1(x),
            "Log10" => T.Log10(x),
            "Log10P1" => T.Log10P1(x),
            "LogBase3" => T.Log(x, c(3)),
            "Log3Base" => T.Log(c(3), x),
            "Sin" => T.Sin(x),
            "Cos" => T.Cos(x),
            "Tan" => T.Tan(x),
            "SinCos.Sin" => T.SinCos(x).Sin,
            "SinCos.Cos" => T.SinCos(x).Cos,
            "Asin" => T.Asin(x),
            "Acos" => T.Acos(x),
            "Atan" => T.Atan(x),
            "SinPi" => T.SinPi(x),
            "CosPi" => T.CosPi(x),
            "TanPi" => T.TanPi(x),
            "SinCosPi.Sin" => T.SinCosPi(x).SinPi,
            "SinCosPi.Cos" => T.SinCosPi(x).CosPi,
            "AsinPi" => T.AsinPi(x),
            "AcosPi" => T.AcosPi(x),
            "AtanPi" => T.AtanPi(x),
            "Sinh" => T.Sinh(x),
            "Cosh" => T.Cosh(x),
            "Tanh" => T.Tanh(x),
            "Asinh" => T.Asinh(x),
            "Acosh" => T.Acosh(x),
            "Atanh" => T.Atanh(x),
            "Abs" => T.Abs(x),
            "PowX2.5" => T.Pow(x, c(2.5)),
            "Pow2.5X" => T.Pow(c(2.5), x),
            "PowX3" => T.Pow(x, c(3)),
            "PowXX" => T.Pow(x, x),
            "RootN3" => T.RootN(x, 3),
            "RootN-2" => T.RootN(x, -2),
            "HypotX2" => T.Hypot(x, c(2)),
            "Atan2X2" => T.Atan2(x, c(2)),
            "Atan2PiX2" => T.Atan2Pi(x, c(2)),
            "Atan22X" => T.Atan2(c(2), x),
            "ReciprocalEstimate" => T.ReciprocalEstimate(x),
            "ReciprocalSqrtEstimate" => T.ReciprocalSqrtEstimate(x),
            "DegreesToRadians" => T.DegreesToRadians(x),
            "RadiansToDegrees" => T.RadiansToDegrees(x),
            "ScaleB3" => T.ScaleB(x, 3),
            "BitIncrement" => T.BitIncrement(x),
            "BitDecrement" => T.BitDecrement(x),
            "Floor" => T.Floor(x),
            "Ceiling" => T.Ceiling(x),
            "Round" => T.Round(x),
            "Round2" => T.Round(x, 2),
            "RoundAway" => T.Round(x, MidpointRounding.AwayFromZero),
            "Truncate" => T.Truncate(x),
            "Negate" => -x,
            "Increment" => x + T.One,
            "PlusPlus" => Increment(x),
            "MinusMinus" => Decrement(x),
            "Square" => x * x,
            "Reciprocal" => T.One / x,
            "XOver3" => x / c(3),
            "Difference" => c(5) - x * c(2),
            "FmaXX1" => T.FusedMultiplyAdd(x, x, T.One),
            "MaeXX1" => T.MultiplyAddEstimate(x, x, T.One),
            "Lerp13X" => T.Lerp(c(1), c(3), x),
            "LerpX31" => T.Lerp(x, c(3), c(0.25)),
            "MaxX1" => T.Max(x, T.One),
            "MinX1" => T.Min(x, T.One),
            "MaxMagnitudeX1" => T.MaxMagnitude(x, T.One),
            "MinMagnitudeNumberX1" => T.MinMagnitudeNumber(x, T.One),
            "ClampX" => T.Clamp(x, c(-1), c(1)),
            "ModX07" => x % c(0.7),
            "Mod7X" => c(7.9) % x,
            "Ieee754RemainderX07" => T.Ieee754Remainder(x, c(0.7)),
            "Ieee754Remainder7X" => T.Ieee754Remainder(c(7.9), x),
            "CopySignXNeg" => T.CopySign(x, c(-1)),
            "Composite" => T.Exp(T.Sin(x) * x) / (T.One + x * x) + T.Log(T.Cosh(x)),
            _ => throw new ArgumentException(name),
        };
    }

    private static T Increment<T>(T x) where T : IFloatingPointIeee754<T> { x++; return x; }
    private static T Decrement<T>(T x) where T : IFloatingPointIeee754<T> { x--; return x; }

    /// <summary>A test case: points in the domain (away from kinks), closed-form f' and f''.</summary>
    public sealed record Case(string Name, double[] Points, Func<double, double> D1, Func<double, double>? D2, bool FiniteDifferences = true)
    {
        public override string ToString() => Name;
    }

    private static readonly double Ln2 = Math.Log(2), Ln10 = Math.Log(10), Ln3 = Math.Log(3), Ln25 = Math.Log(2.5);

    public static readonly TheoryData<Case> Cases = new(
    [
        new("Sqrt", [0.3, 1, 4.5], x => 0.5 / Math.Sqrt(x), x => -0.25 * Math.Pow(x, -1.5)),
        new("Cbrt", [0.3, 2, -1.7], x => 1 / (3 * Math.Cbrt(x) * Math.Cbrt(x)), x => -2 / (9 * Math.Pow(Math.Cbrt(x), 5))),
        new("Exp", [-1.3, 0, 2.2], Math.Exp, Math.Exp),
        new("ExpM1", [-1.3, 1e-3, 2.2], Math.Exp, Math.Exp),
        new("Exp2", [-1.3, 0.4, 3.2], x => Math.Pow(2, x) * Ln2, x => Math.Pow(2, x) * Ln2 * Ln2),
        new("Exp2M1", [-1.3, 0.4, 3.2], x => Math.Pow(2, x) * Ln2, x => Math.Pow(2, x) * Ln2 * Ln2),
        new("Exp10", [-1.3, 0.4, 1.2], x => Math.Pow(10, x) * Ln10, x => Math.Pow(10, x) * Ln10 * Ln10),
        new("Exp10M1", [-1.3, 0.4, 1.2], x => Math.Pow(10, x) * Ln10, x => Math.Pow(10, x) * Ln10 * Ln10),
        new("Log", [0.3, 1.7, 10], x => 1 / x, x => -1 / (x * x)),
        new("LogP1", [-0.6, 0.3, 10], x => 1 / (1 + x), x => -1 / ((1 + x) * (1 + x))),
        new("Log2", [0.3, 1.7, 10], x => 1 / (x * Ln2), x => -1 / (x * x * Ln2)),
        new("Log2P1", [-0.6, 0.3, 10], x => 1 / ((1 + x) * Ln2), x => -1 / ((1 + x) * (1 + x) * Ln2)),
        new("Log10", [0.3, 1.7, 10], x => 1 / (x * Ln10), x => -1 / (x * x * Ln10)),
        new("Log10P1", [-0.6, 0.3, 10], x => 1 / ((1 + x) * Ln10), x => -1 / ((1 + x) * (1 + x) * Ln10)),
        new("LogBase3", [0.3, 1.7, 10], x => 1 / (x * Ln3), x => -1 / (x * x * Ln3)),
        new("Log3Base", [0.3, 1.7, 10], x => -Ln3 / (x * Math.Pow(Math.Log(x), 2)), x => Ln3 * (2 + Math.Log(x)) / (x * x * Math.Pow(Math.Log(x), 3))),
        new("Sin", [-1.2, 0.3, 2], Math.Cos, x => -Math.Sin(x)),
        new("Cos", [-1.2, 0.3, 2], x => -Math.Sin(x), x => -Math.Cos(x)),
        new("Tan", [-1.2, 0.3, 2], x => 1 + Math.Tan(x) * Math.Tan(x), x => 2 * Math.Tan(x) * (1 + Math.Tan(x) * Math.Tan(x))),
        new("SinCos.Sin", [-1.2, 0.3, 2], Math.Cos, x => -Math.Sin(x)),
        new("SinCos.Cos", [-1.2, 0.3, 2], x => -Math.Sin(x), x => -Math.Cos(x)),
        new("Asin", [-0.7, 0, 0.4], x => 1 / Math.Sqrt(1 - x * x), x => x / Math.Pow(1 - x * x, 1.5)),
        new("Acos", [-0.7, 0, 0.4], x => -1 / Math.Sqrt(1 - x * x), x => -x / Math.Pow(1 - x * x, 1.5)),
        new("Atan", [-3, 0.2, 5], x => 1 / (1 + x * x), x => -2 * x / Math.Pow(1 + x * x, 2)),
        new("SinPi", [-0.8, 0.1, 0.3], x => Math.PI * Math.Cos(Math.PI * x), x => -Math.PI * Math.PI * Math.Sin(Math.PI * x)),
        new("CosPi", [-0.8, 0.1, 0.3], x => -Math.PI * Math.Sin(Math.PI * x), x => -Math.PI * Math.PI * Math.Cos(Math.PI * x)),
        new("TanPi", [-0.8, 0.1, 0.3], x => Math.PI * (1 + Math.Pow(Math.Tan(Math.PI * x), 2)),
            x => 2 * Math.PI * Math.PI * Math.Tan(Math.PI * x) * (1 + Math.Pow(Math.Tan(Math.PI * x), 2))),
        new("SinCosPi.Sin", [-0.8, 0.1, 0.3], x => Math.PI * Math.Cos(Math.PI * x), x => -Math.PI * Math.PI * Math.Sin(Math.PI * x)),
        new("SinCosPi.Cos", [-0.8, 0.1, 0.3], x => -Math.PI * Math.Sin(Math.PI * x), x => -Math.PI * Math.PI * Math.Cos(Math.PI * x)),
        new("AsinPi", [-0.7, 0, 0.4], x => 1 / (Math.PI * Math.Sqrt(1 - x * x)), x => x / (Math.PI * Math.Pow(1 - x * x, 1.5))),
        new("AcosPi", [-0.7, 0, 0.4], x => -1 / (Math.PI * Math.Sqrt(1 - x * x)), x => -x / (Math.PI * Math.Pow(1 - x * x, 1.5))),
        new("AtanPi", [-3, 0.2, 5], x => 1 / (Math.PI * (1 + x * x)), x => -2 * x / (Math.PI * Math.Pow(1 + x * x, 2))),
        new("Sinh", [-2, 0.5, 1.3], Math.Cosh, Math.Sinh),
        new("Cosh", [-2, 0.5, 1.3], Math.Sinh, Math.Cosh),
        new("Tanh", [-2, 0.5, 1.3], x => 1 - Math.Tanh(x) * Math.Tanh(x), x => -2 * Math.Tanh(x) * (1 - Math.Tanh(x) * Math.Tanh(x))),
        new("Asinh", [-2, 0.5, 1.3], x => 1 / Math.Sqrt(x * x + 1), x => -x / Math.Pow(x * x + 1, 1.5)),
        new("Acosh", [1.2, 3], x => 1 / Math.Sqrt(x * x - 1), x => -x / Math.Pow(x * x - 1, 1.5)),
        new("Atanh", [-0.5, 0.3], x => 1 / (1 - x * x), x => 2 * x / Math.Pow(1 - x * x, 2)),
        new("Abs", [-2, 3], x => Math.Sign(x), _ => 0),
        new("PowX2.5", [0.4, 1.7], x => 2.5 * Math.Pow(x, 1.5), x => 3.75 * Math.Sqrt(x)),
        new("Pow2.5X", [-1, 0.4, 1.7], x => Math.Pow(2.5, x) * Ln25, x => Math.Pow(2.5, x) * Ln25 * Ln25),
        new("PowX3", [-1.5, 0, 2], x => 3 * x * x, x => 6 * x),
        new("PowXX", [0.5, 1.7], x => Math.Pow(x, x) * (Math.Log(x) + 1), x => Math.Pow(x, x) * (Math.Pow(Math.Log(x) + 1, 2) + 1 / x)),
        new("RootN3", [0.3, 2, -1.7], x => 1 / (3 * Math.Cbrt(x) * Math.Cbrt(x)), x => -2 / (9 * Math.Pow(Math.Cbrt(x), 5))),
        new("RootN-2", [0.3, 2], x => -0.5 * Math.Pow(x, -1.5), x => 0.75 * Math.Pow(x, -2.5)),
        new("HypotX2", [-1.3, 0, 0.7], x => x / Math.Sqrt(x * x + 4), x => 4 / Math.Pow(x * x + 4, 1.5)),
        new("Atan2X2", [-1.3, 0, 0.7], x => 2 / (4 + x * x), x => -4 * x / Math.Pow(4 + x * x, 2)),
        new("Atan2PiX2", [-1.3, 0, 0.7], x => 2 / (Math.PI * (4 + x * x)), x => -4 * x / (Math.PI * Math.Pow(4 + x * x, 2))),
        new("Atan22X", [-1.3, 0.5, 0.7], x => -2 / (4 + x * x), x => 4 * x / Math.Pow(4 + x * x, 2)),
        // The estimates may be hardware approximations of 1/x and 1/√x (x86 rcp14): the tangent is the exact derivative,
        // so only the closed forms are compared.
        new("ReciprocalEstimate", [0.5, -3], x => -1 / (x * x), x => 2 / (x * x * x), FiniteDifferences: false),
        new("ReciprocalSqrtEstimate", [0.5, 4], x => -0.5 * Math.Pow(x, -1.5), x => 0.75 * Math.Pow(x, -2.5), FiniteDifferences: false),
        new("DegreesToRadians", [-30, 100], _ => Math.PI / 180, _ => 0),
        new("RadiansToDegrees", [-0.3, 2], _ => 180 / Math.PI, _ => 0),
        new("ScaleB3", [-0.3, 2], _ => 8, _ => 0),
        new("BitIncrement", [-0.3, 2], _ => 1, _ => 0),
        new("BitDecrement", [-0.3, 2], _ => 1, _ => 0),
        new("Floor", [-0.3, 2.4], _ => 0, _ => 0),
        new("Ceiling", [-0.3, 2.4], _ => 0, _ => 0),
        new("Round", [-0.3, 2.4], _ => 0, _ => 0),
        new("Round2", [-0.3013, 2.4178], _ => 0, _ => 0),
        new("RoundAway", [-0.3, 2.4], _ => 0, _ => 0),
        new("Truncate", [-0.3, 2.4], _ => 0, _ => 0),
        new("Negate", [-0.3, 2.4], _ => -1, _ => 0),
        new("Increment", [-0.3, 2.4], _ => 1, _ => 0),
        new("PlusPlus", [-0.3, 2.4], _ => 1, _ => 0),
        new("MinusMinus", [-0.3, 2.4], _ => 1, _ => 0),
        new("Square", [-0.3, 2.4], x => 2 * x, _ => 2),
        new("Reciprocal", [-0.3, 2.4], x => -1 / (x * x), x => 2 / (x * x * x)),
        new("XOver3", [-0.3, 2.4], _ => 1 / 3.0, _ => 0),
        new("Difference", [-0.3, 2.4], _ => -2, _ => 0),
        new("FmaXX1", [-0.3, 2.4], x => 2 * x, _ => 2),
        new("MaeXX1", [-0.3, 2.4], x => 2 * x, _ => 2),
        new("Lerp13X", [-0.3, 0.4], _ => 2, _ => 0),
        new("LerpX31", [-0.3, 0.4], _ => 0.75, _ => 0),
        new("MaxX1", [0.3, 2.4], x => x > 1 ? 1 : 0, _ => 0),
        new("MinX1", [0.3, 2.4], x => x < 1 ? 1 : 0, _ => 0),
        new("MaxMagnitudeX1", [-2.5, 0.3, 2.4], x => Math.Abs(x) > 1 ? 1 : 0, _ => 0),
        new("MinMagnitudeNumberX1", [-2.5, 0.3, 2.4], x => Math.Abs(x) < 1 ? 1 : 0, _ => 0),
        new("ClampX", [-2.5, 0.3, 2.4], x => Math.Abs(x) < 1 ? 1 : 0, _ => 0),
        new("ModX07", [-2.5, 0.3, 2.4], _ => 1, _ => 0),
        new("Mod7X", [2.1, 3.1], x => -Math.Truncate(7.9 / x), _ => 0),
        new("Ieee754RemainderX07", [-2.5, 0.3, 2.4], _ => 1, _ => 0),
        new("Ieee754Remainder7X", [2.1, 3.1], x => -Math.Round(7.9 / x), _ => 0),
        new("CopySignXNeg", [-2.5, 0.3], x => x < 0 ? 1 : -1, _ => 0),
        new("Composite", [-1.1, 0.4, 1.9],
            x =>
            {
                // f = exp(x sin x)/(1 + x²) + ln cosh x
                double e = Math.Exp(x * Math.Sin(x)), q = 1 + x * x;
                return e * (Math.Sin(x) + x * Math.Cos(x)) / q - e * 2 * x / (q * q) + Math.Tanh(x);
            }, null),
    ]);

    private static void Close(double expected, double actual, double tolerance, string what)
        => Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)),
            $"{what}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):G3})");

    private static double Central(Func<double, double> f, double x)
    {
        double h = 1e-5 * Math.Max(1, Math.Abs(x));
        return (f(x + h) - f(x - h)) / (2 * h);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FirstDerivativeMatchesClosedFormAndCentralDifferences(Case c)
    {
        foreach (double x in c.Points)
        {
            var r = Apply(c.Name, D1.Variable(x));
            Assert.Equal(Apply(c.Name, x), r.Value);
            Close(c.D1(x), r.Tangent, 1e-13, $"{c.Name}'({x}) closed form");
            if (c.FiniteDifferences)
                Close(Central(v => Apply(c.Name, v), x), r.Tangent, 1e-7, $"{c.Name}'({x}) central difference");
            // A constant has tangent 0 (and a scaled seed a scaled tangent).
            Assert.Equal(0, Apply(c.Name, D1.Constant(x)).Tangent);
            Close(3 * c.D1(x), Apply(c.Name, new D1(x, 3)).Tangent, 1e-13, $"{c.Name} linear in the seed");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NestedDualsGiveSecondDerivatives(Case c)
    {
        foreach (double x in c.Points)
        {
            var r = Apply(c.Name, new D2(new D1(x, 1), new D1(1, 0)));
            double first = Apply(c.Name, D1.Variable(x)).Tangent;
            Assert.Equal(Apply(c.Name, x), r.Value.Value);
            Close(first, r.Value.Tangent, 1e-15, $"{c.Name}: inner first derivative");
            Close(first, r.Tangent.Value, 1e-15, $"{c.Name}: outer first derivative");
            if (c.D2 is { } d2) Close(d2(x), r.Tangent.Tangent, 1e-12, $"{c.Name}''({x}) closed form");
            if (c.FiniteDifferences)
                Close(Central(v => Apply(c.Name, D1.Variable(v)).Tangent, x), r.Tangent.Tangent, 1e-6, $"{c.Name}''({x}) central difference of f'");
        }
    }

    private static void Partials(Func<D1, D1, D1> g, Func<double, double, double> f, double a, double b, double da, double db)
    {
        Close(da, g(D1.Variable(a), D1.Constant(b)).Tangent, 1e-13, "∂/∂a closed form");
        Close(db, g(D1.Constant(a), D1.Variable(b)).Tangent, 1e-13, "∂/∂b closed form");
        Close(Central(v => f(v, b), a), da, 1e-7, "∂/∂a central difference");
        Close(Central(v => f(a, v), b), db, 1e-7, "∂/∂b central difference");
        Assert.Equal(f(a, b), g(D1.Constant(a), D1.Constant(b)).Value);
    }

    [Fact]
    public void BinaryFunctionsHaveBothPartialDerivatives()
    {
        double a = 1.3, b = 2.7;
        Partials(D1.Pow, Math.Pow, a, b, b * Math.Pow(a, b - 1), Math.Pow(a, b) * Math.Log(a));
        Partials(D1.Atan2, Math.Atan2, 0.7, -1.2, -1.2 / (0.49 + 1.44), -0.7 / (0.49 + 1.44));
        Partials(D1.Atan2Pi, double.Atan2Pi, 0.7, -1.2, -1.2 / (0.49 + 1.44) / Math.PI, -0.7 / (0.49 + 1.44) / Math.PI);
        Partials(D1.Hypot, double.Hypot, 0.7, -1.2, 0.7 / double.Hypot(0.7, 1.2), -1.2 / double.Hypot(0.7, 1.2));
        Partials(D1.Log, Math.Log, a, b, 1 / (a * Math.Log(b)), -Math.Log(a) / (b * Math.Log(b) * Math.Log(b)));
        Partials((x, y) => x * y, (x, y) => x * y, a, b, b, a);
        Partials((x, y) => x / y, (x, y) => x / y, a, b, 1 / b, -a / (b * b));
        Partials((x, y) => x - y, (x, y) => x - y, a, b, 1, -1);
        Partials((x, y) => x % y, (x, y) => x % y, 7.9, 2.1, 1, -3);
        Partials(D1.Ieee754Remainder, Math.IEEERemainder, 7.9, 2.1, 1, -4);
        Partials((x, y) => D1.FusedMultiplyAdd(x, y, 0.5), (x, y) => Math.FusedMultiplyAdd(x, y, 0.5), a, b, b, a);
        Partials((x, y) => D1.FusedMultiplyAdd(2, x, y), (x, y) => Math.FusedMultiplyAdd(2, x, y), a, b, 2, 1);
        Partials((x, y) => D1.Lerp(x, y, 0.3), (x, y) => double.Lerp(x, y, 0.3), a, b, 0.7, 0.3);
        Partials((x, y) => D1.Lerp(1, x, y), (x, y) => double.Lerp(1, x, y), a, 0.3, 0.3, a - 1);
        Partials(D1.Max, Math.Max, a, b, 0, 1);
        Partials(D1.Min, Math.Min, a, b, 1, 0);
        Partials(D1.CopySign, Math.CopySign, a, -b, -1, 0);
        Partials(D1.CopySign, Math.CopySign, -a, -b, 1, 0);
    }

    [Fact]
    public void KinksAndSingularitiesFollowTheDocumentedConventions()
    {
        // |x| at 0: derivative 0 (sign(0)).
        Assert.Equal(0, D1.Abs(D1.Variable(0)).Tangent);
        Assert.Equal(0, D1.Abs(D1.Variable(-0.0)).Tangent);
        Assert.True(double.IsNaN(D1.Abs(D1.Variable(double.NaN)).Tangent));
        // A tie of max/min: the average of the tangents (so max(x, -x) = |x| has derivative 0 at 0, like Abs).
        Assert.Equal(0, D1.Max(D1.Variable(0), -D1.Variable(0)).Tangent);
        Assert.Equal(0.5, D1.Max(D1.Variable(1), D1.Constant(1)).Tangent);
        Assert.Equal(0.5, D1.Min(D1.Variable(1), D1.Constant(1)).Tangent);
        Assert.True(double.IsNaN(D1.Max(D1.Variable(double.NaN), 1).Value));
        Assert.Equal(1, D1.MaxNumber(double.NaN, D1.Variable(1)).Tangent);
        // max-magnitude of 2 and −2 is +2 (not a tie of values): the tangent of the +2 argument.
        Assert.Equal(1, D1.MaxMagnitude(new D1(2, 1), new D1(-2, 5)).Tangent);
        // √x at 0 with a zero tangent stays 0 (no 0·∞), so ∂/∂y of √x + y at x = 0 is finite.
        var s = D1.Sqrt(D1.Constant(0)) + D1.Variable(3);
        Assert.Equal(1, s.Tangent);
        Assert.Equal(double.PositiveInfinity, D1.Sqrt(D1.Variable(0)).Tangent);
        Assert.Equal(0, D1.Asin(D1.Constant(1)).Tangent);
        Assert.Equal(0, D1.Pow(D1.Constant(0), D1.Variable(2)).Tangent);
        Assert.Equal(0, D1.Pow(D1.Variable(0), 2).Tangent);
        Assert.Equal(1, D1.Pow(D1.Variable(0), 1).Tangent);
        Assert.True(double.IsNaN(D1.Pow(-2, D1.Variable(0.5)).Tangent));
        Assert.Equal(0, D1.Hypot(D1.Variable(0), D1.Variable(0)).Tangent);
        Assert.True(double.IsNaN(D1.Atan2(D1.Variable(0), 0).Tangent));
        Assert.Equal(0, D1.Atan2(D1.Constant(0), 0).Tangent);
        Assert.Throws<ArgumentException>(() => D1.Clamp(0, 2, 1));
        Assert.Equal(-1, D1.Sign(new D1(-3, 7)));
        Assert.Equal(3, D1.ILogB(new D1(8.5, 1)));
    }

    [Fact]
    public void ComparisonsLookAtTheValueAndIsZeroAtBoth()
    {
        var a = new D1(2, 1);
        var b = new D1(2, -5);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals(b));
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(0, a.CompareTo(b));
        Assert.True(new D1(1, 9) < a);
        Assert.True(a >= b && a <= b && !(a > b) && !(a < b));
        Assert.Equal(1, a.CompareTo(null));
        Assert.Throws<ArgumentException>(() => a.CompareTo("2"));
        Assert.True(D1.NaN.Equals(D1.NaN));
        Assert.False(D1.NaN == D1.NaN);
        Assert.False(D1.IsZero(new D1(0, 1)));
        Assert.True(D1.IsZero(new D1(-0.0, 0)));
        Assert.False(D2.IsZero(new D2(new D1(0, 0), new D1(0, 1))));
        Assert.True(D1.IsNaN(new D1(double.NaN, 0)) && !D1.IsNaN(new D1(1, double.NaN)));
        Assert.True(D1.IsFinite(a) && D1.IsPositive(a) && !D1.IsNegative(a) && D1.IsInteger(a) && D1.IsEvenInteger(a));
        Assert.True(D1.IsInfinity(D1.PositiveInfinity) && D1.IsNegativeInfinity(D1.NegativeInfinity) && D1.IsPositiveInfinity(D1.PositiveInfinity));
        Assert.True(D1.IsNegative(D1.NegativeZero) && D1.IsNormal(a) && D1.IsSubnormal(D1.Epsilon) && D1.IsOddInteger(new D1(3, 1)));
        Assert.True(D1.IsRealNumber(a) && !D1.IsComplexNumber(a) && !D1.IsImaginaryNumber(a) && D1.IsCanonical(a));
    }

    [Fact]
    public void ConstantsConversionsParsingAndFormattingGoThroughTheValue()
    {
        Assert.Equal(Math.PI, D1.Pi.Value);
        Assert.Equal(Math.E, D1.E.Value);
        Assert.Equal(2 * Math.PI, D1.Tau.Value);
        Assert.Equal(0, D1.Pi.Tangent);
        Assert.Equal(-1, D1.NegativeOne.Value);
        Assert.Equal(1, D1.MultiplicativeIdentity.Value);
        Assert.Equal(0, D1.AdditiveIdentity.Value);
        Assert.Equal(2, D1.Radix);

        var c = D1.CreateChecked(3);
        Assert.Equal(3, c.Value);
        Assert.Equal(0, c.Tangent);
        Assert.Equal(2.5f, D1.CreateTruncating(2.5f).Value);
        Assert.Equal(2.5, double.CreateChecked(new D1(2.5, 7)));
        Assert.Equal(2, int.CreateTruncating(new D1(2.7, 7)));
        Assert.Equal(int.MaxValue, int.CreateSaturating(new D1(1e300, 7)));
        Assert.Throws<OverflowException>(() => int.CreateChecked(new D1(1e300, 7)));
        Assert.Equal(3, D1.ConvertToInteger<int>(new D1(3.9, 1)));
        // A dual into a nested dual: the value (with its inner tangent) and outer tangent 0.
        var n = D2.CreateChecked(new D1(2, 5));
        Assert.Equal(new D1(2, 5).Tangent, n.Value.Tangent);
        Assert.Equal(0, n.Tangent.Value);
        Assert.Equal(1.5, D2.CreateChecked(1.5).Value.Value);

        Assert.Equal(2.5, D1.Parse("2.5", CultureInfo.InvariantCulture).Value);
        Assert.Equal(-2.5, D1.Parse("-2.5".AsSpan(), NumberStyles.Float, CultureInfo.InvariantCulture).Value);
        Assert.Equal(7, D1.Parse("7"u8, CultureInfo.InvariantCulture).Value);
        Assert.True(D1.TryParse("1e3", NumberStyles.Float, CultureInfo.InvariantCulture, out var p) && p.Value == 1000);
        Assert.False(D1.TryParse("x", CultureInfo.InvariantCulture, out _));
        Assert.Equal("2.5", new D1(2.5, 1).ToString("G", CultureInfo.InvariantCulture));
        Assert.Equal("2.5", new D1(2.5, 1).ToString());
        Span<char> buf = stackalloc char[16];
        Assert.True(new D1(0.126, 1).TryFormat(buf, out int w, "F2", CultureInfo.InvariantCulture));
        Assert.Equal("0.13", buf[..w].ToString());
        Assert.Equal("2.5", string.Create(CultureInfo.InvariantCulture, $"{new D1(2.5, 1)}"));

        var x = new D1(8.5, 1);
        Assert.Equal(((IFloatingPoint<double>)8.5).GetExponentShortestBitLength(), ((IFloatingPoint<D1>)x).GetExponentShortestBitLength());
        Span<byte> bytes = stackalloc byte[8];
        Assert.True(((IFloatingPoint<D1>)x).TryWriteSignificandLittleEndian(bytes, out int written));
        Assert.Equal(8, written);
    }

    [Fact]
    public void GenericLibraryCodeRunsOnDuals()
    {
        // Ordo's own generic kernels (Blas1 over T) differentiate: d/dt ‖x + t·v‖² = 2 xᵀv.
        double[] x = [1, -2, 3], v = [0.5, 0.25, -1];
        var xd = new D1[3];
        for (int i = 0; i < 3; i++) xd[i] = new D1(x[i], v[i]);
        var dot = Blas1.Dot<D1>(xd, xd);
        Assert.Equal(14, dot.Value);
        Assert.Equal(2 * (0.5 - 0.5 - 3), dot.Tangent);
        var norm = Blas1.Norm2<D1>(xd);
        Assert.Equal(Math.Sqrt(14), norm.Value, 1e-15);
        Assert.Equal((0.5 - 0.5 - 3) / Math.Sqrt(14), norm.Tangent, 1e-15);
    }

    // ----- ForwardModeObjective -----

    private sealed class GenericRosenbrock : IGenericScalarFunction
    {
        public int Dimension => 2;
        public T Evaluate<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
        {
            T a = x[1] - x[0] * x[0], b = T.One - x[0];
            return T.CreateTruncating(100) * a * a + b * b;
        }
    }

    // f = x₀²x₁ + sin(x₁x₂) + exp(x₀ − x₂)
    private sealed class Mixed : IGenericScalarFunction
    {
        public int Dimension => 3;
        public T Evaluate<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
            => x[0] * x[0] * x[1] + T.Sin(x[1] * x[2]) + T.Exp(x[0] - x[2]);

        public static double[] Gradient(double[] x)
        {
            double e = Math.Exp(x[0] - x[2]), p = x[1] * x[2];
            return [2 * x[0] * x[1] + e, x[0] * x[0] + x[2] * Math.Cos(p), x[1] * Math.Cos(p) - e];
        }

        public static double[] Hessian(double[] x)
        {
            double e = Math.Exp(x[0] - x[2]), p = x[1] * x[2], s = Math.Sin(p), c = Math.Cos(p);
            return
            [
                2 * x[1] + e, 2 * x[0], -e,
                2 * x[0], -x[2] * x[2] * s, c - p * s,
                -e, c - p * s, -x[1] * x[1] * s + e,
            ];
        }
    }

    [Fact]
    public void RosenbrockGradientHessianVectorProductAndHessianMatchTheHandFormulas()
    {
        var ad = new ForwardModeObjective(new GenericRosenbrock());
        var hand = new Rosenbrock();
        foreach (double[] x in new[] { new[] { -1.2, 1.0 }, [1.0, 1.0], [0.3, -0.7], [2.5, 6.1] })
        {
            var g = new double[2];
            var gh = new double[2];
            double f = ad.ValueAndGradient(x, g);
            double fh = hand.ValueAndGradient(x, gh);
            Assert.Equal(fh, f, 1e-12 * Math.Max(1, fh));
            Assert.Equal(fh, ad.Value(x), 1e-12 * Math.Max(1, fh));
            for (int i = 0; i < 2; i++) Close(gh[i], g[i], 1e-13, $"∂f/∂x{i} at ({x[0]}, {x[1]})");

            var h = new double[4];
            var hh = new double[4];
            ad.Hessian(x, h);
            hand.Hessian(x, hh);
            for (int i = 0; i < 4; i++) Close(hh[i], h[i], 1e-13, $"H[{i}] at ({x[0]}, {x[1]})");

            double[] v = [0.7, -1.9];
            var hv = new double[2];
            ad.HessianVectorProduct(x, v, hv);
            Close(hh[0] * v[0] + hh[1] * v[1], hv[0], 1e-13, "(Hv)₀");
            Close(hh[2] * v[0] + hh[3] * v[1], hv[1], 1e-13, "(Hv)₁");

            double dd = ad.DirectionalDerivative(x, v, out double fv);
            Assert.Equal(f, fv);
            Close(gh[0] * v[0] + gh[1] * v[1], dd, 1e-13, "∇f·v");
        }
    }

    [Fact]
    public void ThreeVariableHessianIsExactAndSymmetric()
    {
        var ad = new ForwardModeObjective(new Mixed());
        double[] x = [0.4, -1.3, 0.8];
        var g = new double[3];
        ad.ValueAndGradient(x, g);
        var gh = Mixed.Gradient(x);
        for (int i = 0; i < 3; i++) Close(gh[i], g[i], 1e-14, $"g{i}");
        var h = new double[9];
        ad.Hessian(x, h);
        var hh = Mixed.Hessian(x);
        for (int i = 0; i < 9; i++) Close(hh[i], h[i], 1e-14, $"H[{i / 3},{i % 3}]");
        double[] v = [1, 2, -0.5];
        var hv = new double[3];
        ad.HessianVectorProduct(x, v, hv);
        for (int i = 0; i < 3; i++) Close(hh[3 * i] * v[0] + hh[3 * i + 1] * v[1] + hh[3 * i + 2] * v[2], hv[i], 1e-14, $"(Hv){i}");
    }

    [Fact]
    public void GradientCheckerPassesOnTheForwardModeGradient()
    {
        var ad = new ForwardModeObjective(new Mixed());
        var check = GradientChecker.Check(ad, [0.4, -1.3, 0.8]);
        Assert.True(check.Passed, check.ToString());
        Assert.True(check.MaxRelativeError < 1e-8, check.ToString());
        Assert.True(GradientChecker.Check(new ForwardModeObjective(new GenericRosenbrock()), [-1.2, 1]).Passed);
    }

    // f = Σ (exp(xᵢ − cᵢ) − (xᵢ − cᵢ)) + (Σ (xᵢ − cᵢ))², convex, minimum n at x = c.
    private sealed class ExpSum(double[] c) : IGenericScalarFunction
    {
        public int Dimension => c.Length;
        public T Evaluate<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
        {
            T sum = T.Zero, s = T.Zero;
            for (int i = 0; i < x.Length; i++)
            {
                T d = x[i] - T.CreateTruncating(c[i]);
                sum += T.Exp(d) - d;
                s += d;
            }
            return sum + s * s;
        }
    }

    [Fact]
    public void AGenericObjectiveIsMinimizedByGradientDescent()
    {
        double[] c = [0.5, -1, 2, 0.25];
        var r = new GradientDescent().Minimize(new ForwardModeObjective(new ExpSum(c)), [0, 0, 0, 0]);
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        for (int i = 0; i < 4; i++) Assert.Equal(c[i], r.X[i], 1e-7);
        Assert.Equal(4, r.F, 1e-12);
    }

    [Fact]
    public void EvaluationsAllocateNothing()
    {
        var ad = new ForwardModeObjective(new ExpSum([0.5, -1, 2, 0.25, 3]));
        double[] x = [0.1, 0.2, 0.3, 0.4, 0.5], v = [1, -1, 0.5, 2, 0];
        var g = new double[5];
        var hv = new double[5];
        var h = new double[25];
        for (int k = 0; k < 200; k++)
        {
            ad.ValueAndGradient(x, g);
            ad.HessianVectorProduct(x, v, hv);
            ad.Hessian(x, h);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 100; k++) ad.ValueAndGradient(x, g);
        long afterGradient = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 100; k++) ad.HessianVectorProduct(x, v, hv);
        for (int k = 0; k < 20; k++) ad.Hessian(x, h);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, afterGradient - before);
        Assert.Equal(0, after - afterGradient);
    }

    [Fact]
    public void DimensionIsChecked()
    {
        var ad = new ForwardModeObjective(new GenericRosenbrock());
        Assert.Throws<ArgumentException>(() => ad.ValueAndGradient([1, 2, 3], new double[2]));
        Assert.Throws<ArgumentException>(() => ad.Hessian([1, 2], new double[3]));
        Assert.Throws<ArgumentNullException>(() => new ForwardModeObjective(null!));
    }
}
