using System.Diagnostics;
using System.Globalization;
using System.Numerics;

namespace Ordo.Optimization.Differentiation;

/// <summary>
/// A forward-mode dual number v + t·ε with ε² = 0: a value and one tangent (directional derivative). Code written over
/// <c>T : IFloatingPointIeee754&lt;T&gt;</c> and run on <see cref="Dual{T}"/> carries the derivative of every
/// intermediate along with its value, so f(x + ε·d) = f(x) + ε·∇f(x)·d exactly (to rounding), without a tape.
/// Nesting works: <c>Dual&lt;Dual&lt;double&gt;&gt;</c> carries second derivatives (<see cref="ForwardModeObjective"/>
/// uses it for Hessian–vector products and Hessians).
/// </summary>
/// <remarks>
/// <para>Source: A. Griewank and A. Walther, <i>Evaluating Derivatives</i>, 2nd ed., SIAM 2008 (forward mode: ch. 3; the
/// derivatives of the elementary functions: Table 2.3 and §3.1; higher order by nesting: ch. 13); J. Revels, M. Lubin and
/// T. Papamarkou, "Forward-mode automatic differentiation in Julia", arXiv:1607.07892 (2016) (ForwardDiff.jl: dual numbers
/// through a language's generic numeric interface, nested duals for higher order).</para>
/// <para>Conventions (docs/optimization/derivatives.md has the full table):</para>
/// <list type="bullet">
/// <item>Comparisons (<c>==</c>, <c>&lt;</c>, <see cref="CompareTo(Dual{T})"/>, <see cref="Equals(Dual{T})"/>,
/// <see cref="GetHashCode"/>) look at the value only, so branches in user code take the same path as on doubles.
/// <see cref="IsZero"/> is the exception: it is true only when value <b>and</b> tangent are zero (ForwardDiff.jl's
/// convention), so generic code that skips work for a zero never drops a derivative.</item>
/// <item>A unary elementary function whose input tangent is exactly zero returns a zero tangent even where its
/// derivative is infinite (√x at 0, asin at ±1): a variable that is not being differentiated does not turn the
/// derivative with respect to another variable into NaN (0·∞).</item>
/// <item>Piecewise-constant functions (<see cref="Floor"/>, <see cref="Ceiling"/>, <see cref="Round(Dual{T})"/>,
/// <see cref="Truncate"/>, <see cref="Sign"/>, the integer and exponent/significand queries) have derivative 0.
/// <see cref="Abs"/> has derivative sign(x), 0 at x = 0. <see cref="Max"/>/<see cref="Min"/> and their variants take the
/// tangent of the argument they return, and the average of both tangents on a tie (the midpoint of the Clarke
/// subdifferential; consistent with Abs'(0) = 0). <see cref="Hypot"/> at (0, 0) has tangent 0; <see cref="Atan2"/> at
/// (0, 0) with a nonzero tangent is NaN (no derivative exists). <see cref="BitIncrement"/>/<see cref="BitDecrement"/> move
/// the value by one ulp and keep the tangent (x + a constant).</item>
/// <item>Conversions to other number types (<c>double.CreateChecked(d)</c>), parsing and formatting go through the
/// value; a converted or formatted dual loses its tangent. Constants (<see cref="Pi"/>, <see cref="One"/>, values
/// created with <c>CreateChecked</c>) have tangent 0.</item>
/// </list>
/// </remarks>
/// <typeparam name="T">The number type of value and tangent: <see cref="double"/>, <see cref="float"/>, or a dual
/// itself for higher derivatives.</typeparam>
[DebuggerDisplay("{Value} + {Tangent}ε")]
public readonly struct Dual<T> : IFloatingPointIeee754<Dual<T>> where T : IFloatingPointIeee754<T>
{
    private static readonly T s_two = T.One + T.One;
    private static readonly T s_three = s_two + T.One;
    private static readonly T s_ln2 = T.Log(s_two);
    private static readonly T s_ln10 = T.Log(T.CreateTruncating(10));

    /// <summary>Creates v + t·ε.</summary>
    /// <param name="value">The value v.</param>
    /// <param name="tangent">The tangent t (the derivative along the seeded direction).</param>
    public Dual(T value, T tangent)
    {
        Value = value;
        Tangent = tangent;
    }

    /// <summary>The value v.</summary>
    public T Value { get; }

    /// <summary>The tangent t: the derivative of the value along the seeded direction.</summary>
    public T Tangent { get; }

    /// <summary>A constant: tangent 0.</summary>
    public static Dual<T> Constant(T value) => new(value, T.Zero);

    /// <summary>The independent variable: tangent 1.</summary>
    public static Dual<T> Variable(T value) => new(value, T.One);

    /// <summary>A constant (tangent 0).</summary>
    public static implicit operator Dual<T>(T value) => new(value, T.Zero);

    // Chain rule for a unary function with value `value` and derivative `derivative` at the input, input tangent `tangent`.
    // A structurally zero tangent gives a zero tangent even when the derivative is infinite or NaN.
    private static Dual<T> Chain(T value, T derivative, T tangent)
        => new(value, T.IsZero(tangent) ? T.Zero : derivative * tangent);

    private static Dual<T> Piecewise(T value) => new(value, T.Zero);

    // ----- constants -----

    /// <inheritdoc/>
    public static Dual<T> One => new(T.One, T.Zero);
    /// <inheritdoc/>
    public static Dual<T> Zero => new(T.Zero, T.Zero);
    /// <inheritdoc/>
    public static Dual<T> NegativeOne => new(T.NegativeOne, T.Zero);
    /// <inheritdoc/>
    public static int Radix => T.Radix;
    /// <inheritdoc/>
    public static Dual<T> AdditiveIdentity => Zero;
    /// <inheritdoc/>
    public static Dual<T> MultiplicativeIdentity => One;
    /// <inheritdoc/>
    public static Dual<T> E => new(T.E, T.Zero);
    /// <inheritdoc/>
    public static Dual<T> Pi => new(T.Pi, T.Zero);
    /// <inheritdoc/>
    public static Dual<T> Tau => new(T.Tau, T.Zero);
    /// <inheritdoc/>
    public static Dual<T> Epsilon => new(T.Epsilon, T.Zero);
    /// <inheritdoc/>
    public static Dual<T> NaN => new(T.NaN, T.Zero);
    /// <inheritdoc/>
    public static Dual<T> NegativeInfinity => new(T.NegativeInfinity, T.Zero);
    /// <inheritdoc/>
    public static Dual<T> PositiveInfinity => new(T.PositiveInfinity, T.Zero);
    /// <inheritdoc/>
    public static Dual<T> NegativeZero => new(T.NegativeZero, T.Zero);

    // ----- arithmetic -----

    /// <inheritdoc/>
    public static Dual<T> operator +(Dual<T> left, Dual<T> right) => new(left.Value + right.Value, left.Tangent + right.Tangent);
    /// <inheritdoc/>
    public static Dual<T> operator -(Dual<T> left, Dual<T> right) => new(left.Value - right.Value, left.Tangent - right.Tangent);
    /// <inheritdoc/>
    public static Dual<T> operator *(Dual<T> left, Dual<T> right)
        => new(left.Value * right.Value, left.Tangent * right.Value + left.Value * right.Tangent);
    /// <inheritdoc/>
    public static Dual<T> operator /(Dual<T> left, Dual<T> right)
    {
        T q = left.Value / right.Value;
        return new(q, (left.Tangent - q * right.Tangent) / right.Value);
    }
    /// <summary>The remainder a − n·b with n the truncated quotient (the value is T's <c>%</c>); derivative
    /// a' − n·b' (n is piecewise constant).</summary>
    public static Dual<T> operator %(Dual<T> left, Dual<T> right)
    {
        T r = left.Value % right.Value;
        return new(r, RemainderTangent(left, right, r));
    }
    /// <inheritdoc/>
    public static Dual<T> operator -(Dual<T> value) => new(-value.Value, -value.Tangent);
    /// <inheritdoc/>
    public static Dual<T> operator +(Dual<T> value) => value;
    /// <inheritdoc/>
    public static Dual<T> operator ++(Dual<T> value) => new(value.Value + T.One, value.Tangent);
    /// <inheritdoc/>
    public static Dual<T> operator --(Dual<T> value) => new(value.Value - T.One, value.Tangent);

    private static T RemainderTangent(Dual<T> a, Dual<T> b, T r)
    {
        if (T.IsZero(b.Tangent)) return a.Tangent;
        T n = T.Round((a.Value - r) / b.Value);
        return a.Tangent - n * b.Tangent;
    }

    // ----- comparison and equality (by value) -----

    /// <summary>Compares values only.</summary>
    public static bool operator ==(Dual<T> left, Dual<T> right) => left.Value == right.Value;
    /// <summary>Compares values only.</summary>
    public static bool operator !=(Dual<T> left, Dual<T> right) => left.Value != right.Value;
    /// <summary>Compares values only.</summary>
    public static bool operator <(Dual<T> left, Dual<T> right) => left.Value < right.Value;
    /// <summary>Compares values only.</summary>
    public static bool operator >(Dual<T> left, Dual<T> right) => left.Value > right.Value;
    /// <summary>Compares values only.</summary>
    public static bool operator <=(Dual<T> left, Dual<T> right) => left.Value <= right.Value;
    /// <summary>Compares values only.</summary>
    public static bool operator >=(Dual<T> left, Dual<T> right) => left.Value >= right.Value;

    /// <summary>Compares values only (as T's <c>CompareTo</c>).</summary>
    public int CompareTo(Dual<T> other) => Value.CompareTo(other.Value);

    /// <summary>Compares values only; null is smaller than any dual.</summary>
    /// <exception cref="ArgumentException"><paramref name="obj"/> is not a <see cref="Dual{T}"/>.</exception>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        Dual<T> d => CompareTo(d),
        _ => throw new ArgumentException($"Object must be of type {nameof(Dual<T>)}.", nameof(obj)),
    };

    /// <summary>Equal values (T's <c>Equals</c>: NaN equals NaN); the tangents are not compared.</summary>
    public bool Equals(Dual<T> other) => Value.Equals(other.Value);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Dual<T> d && Equals(d);

    /// <summary>The hash of the value (consistent with <see cref="Equals(Dual{T})"/>).</summary>
    public override int GetHashCode() => Value.GetHashCode();

    // ----- classification (by value, except IsZero) -----

    /// <inheritdoc/>
    public static bool IsCanonical(Dual<T> value) => T.IsCanonical(value.Value);
    /// <inheritdoc/>
    public static bool IsComplexNumber(Dual<T> value) => false;
    /// <inheritdoc/>
    public static bool IsEvenInteger(Dual<T> value) => T.IsEvenInteger(value.Value);
    /// <inheritdoc/>
    public static bool IsFinite(Dual<T> value) => T.IsFinite(value.Value);
    /// <inheritdoc/>
    public static bool IsImaginaryNumber(Dual<T> value) => false;
    /// <inheritdoc/>
    public static bool IsInfinity(Dual<T> value) => T.IsInfinity(value.Value);
    /// <inheritdoc/>
    public static bool IsInteger(Dual<T> value) => T.IsInteger(value.Value);
    /// <inheritdoc/>
    public static bool IsNaN(Dual<T> value) => T.IsNaN(value.Value);
    /// <inheritdoc/>
    public static bool IsNegative(Dual<T> value) => T.IsNegative(value.Value);
    /// <inheritdoc/>
    public static bool IsNegativeInfinity(Dual<T> value) => T.IsNegativeInfinity(value.Value);
    /// <inheritdoc/>
    public static bool IsNormal(Dual<T> value) => T.IsNormal(value.Value);
    /// <inheritdoc/>
    public static bool IsOddInteger(Dual<T> value) => T.IsOddInteger(value.Value);
    /// <inheritdoc/>
    public static bool IsPositive(Dual<T> value) => T.IsPositive(value.Value);
    /// <inheritdoc/>
    public static bool IsPositiveInfinity(Dual<T> value) => T.IsPositiveInfinity(value.Value);
    /// <inheritdoc/>
    public static bool IsRealNumber(Dual<T> value) => T.IsRealNumber(value.Value);
    /// <inheritdoc/>
    public static bool IsSubnormal(Dual<T> value) => T.IsSubnormal(value.Value);
    /// <summary>True when value <b>and</b> tangent are zero (structural zero; see the remarks on the type).</summary>
    public static bool IsZero(Dual<T> value) => T.IsZero(value.Value) && T.IsZero(value.Tangent);

    // ----- sign, magnitude, min/max -----

    /// <summary>|x|, derivative sign(x)·x' with sign(0) = 0 (the midpoint of the subdifferential [−1, 1]).</summary>
    public static Dual<T> Abs(Dual<T> value)
    {
        T v = value.Value;
        T t = v > T.Zero ? value.Tangent : v < T.Zero ? -value.Tangent : T.IsNaN(v) ? T.NaN : T.Zero;
        return new(T.Abs(v), t);
    }

    /// <summary>The sign of the value (piecewise constant; no derivative).</summary>
    public static int Sign(Dual<T> value) => T.Sign(value.Value);

    /// <summary>|x| with the sign of <paramref name="sign"/>; derivative ±x' (0 with respect to the sign argument).</summary>
    public static Dual<T> CopySign(Dual<T> value, Dual<T> sign)
    {
        T r = T.CopySign(value.Value, sign.Value);
        return new(r, T.IsNegative(r) == T.IsNegative(value.Value) ? value.Tangent : -value.Tangent);
    }

    // The result r is one of the arguments' values (or NaN): take that argument's tangent, the average on a tie.
    private static Dual<T> Select(Dual<T> x, Dual<T> y, T r)
    {
        bool isX = r == x.Value, isY = r == y.Value;
        if (isX && isY) return new(r, (x.Tangent + y.Tangent) / s_two);
        if (isX) return new(r, x.Tangent);
        if (isY) return new(r, y.Tangent);
        return new(r, T.NaN);
    }

    /// <summary>The larger value (NaN if either is NaN); the tangent of the chosen argument, the average on a tie.</summary>
    public static Dual<T> Max(Dual<T> x, Dual<T> y) => Select(x, y, T.Max(x.Value, y.Value));
    /// <summary>The smaller value (NaN if either is NaN); the tangent of the chosen argument, the average on a tie.</summary>
    public static Dual<T> Min(Dual<T> x, Dual<T> y) => Select(x, y, T.Min(x.Value, y.Value));
    /// <summary>IEEE maxNumber (a NaN argument is ignored); tangent as <see cref="Max"/>.</summary>
    public static Dual<T> MaxNumber(Dual<T> x, Dual<T> y) => Select(x, y, T.MaxNumber(x.Value, y.Value));
    /// <summary>IEEE minNumber (a NaN argument is ignored); tangent as <see cref="Min"/>.</summary>
    public static Dual<T> MinNumber(Dual<T> x, Dual<T> y) => Select(x, y, T.MinNumber(x.Value, y.Value));
    /// <summary>The argument of larger magnitude; tangent of the chosen argument, the average on a tie.</summary>
    public static Dual<T> MaxMagnitude(Dual<T> x, Dual<T> y) => Select(x, y, T.MaxMagnitude(x.Value, y.Value));
    /// <summary>As <see cref="MaxMagnitude"/>, ignoring a NaN argument.</summary>
    public static Dual<T> MaxMagnitudeNumber(Dual<T> x, Dual<T> y) => Select(x, y, T.MaxMagnitudeNumber(x.Value, y.Value));
    /// <summary>The argument of smaller magnitude; tangent of the chosen argument, the average on a tie.</summary>
    public static Dual<T> MinMagnitude(Dual<T> x, Dual<T> y) => Select(x, y, T.MinMagnitude(x.Value, y.Value));
    /// <summary>As <see cref="MinMagnitude"/>, ignoring a NaN argument.</summary>
    public static Dual<T> MinMagnitudeNumber(Dual<T> x, Dual<T> y) => Select(x, y, T.MinMagnitudeNumber(x.Value, y.Value));

    /// <summary>min(max(x, min), max) with the tangent rules of <see cref="Max"/> and <see cref="Min"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="min"/> is greater than <paramref name="max"/>.</exception>
    public static Dual<T> Clamp(Dual<T> value, Dual<T> min, Dual<T> max)
    {
        if (min.Value > max.Value) throw new ArgumentException($"'{min.Value}' cannot be greater than {max.Value}.", nameof(min));
        return Min(Max(value, min), max);
    }

    // ----- rounding and the IEEE helpers -----

    /// <summary>⌈x⌉; derivative 0.</summary>
    public static Dual<T> Ceiling(Dual<T> x) => Piecewise(T.Ceiling(x.Value));
    /// <summary>⌊x⌋; derivative 0.</summary>
    public static Dual<T> Floor(Dual<T> x) => Piecewise(T.Floor(x.Value));
    /// <summary>Rounds to the nearest integer (ties to even); derivative 0.</summary>
    public static Dual<T> Round(Dual<T> x) => Piecewise(T.Round(x.Value));
    /// <summary>Rounds to <paramref name="digits"/> fractional digits; derivative 0.</summary>
    public static Dual<T> Round(Dual<T> x, int digits) => Piecewise(T.Round(x.Value, digits));
    /// <summary>Rounds with <paramref name="mode"/>; derivative 0.</summary>
    public static Dual<T> Round(Dual<T> x, MidpointRounding mode) => Piecewise(T.Round(x.Value, mode));
    /// <summary>Rounds to <paramref name="digits"/> digits with <paramref name="mode"/>; derivative 0.</summary>
    public static Dual<T> Round(Dual<T> x, int digits, MidpointRounding mode) => Piecewise(T.Round(x.Value, digits, mode));
    /// <summary>Rounds toward zero; derivative 0.</summary>
    public static Dual<T> Truncate(Dual<T> x) => Piecewise(T.Truncate(x.Value));

    /// <summary>The next representable value above x; the tangent is kept (x plus a constant).</summary>
    public static Dual<T> BitIncrement(Dual<T> x) => new(T.BitIncrement(x.Value), x.Tangent);
    /// <summary>The next representable value below x; the tangent is kept (x plus a constant).</summary>
    public static Dual<T> BitDecrement(Dual<T> x) => new(T.BitDecrement(x.Value), x.Tangent);

    /// <summary>x·2ⁿ; derivative 2ⁿ (exact).</summary>
    public static Dual<T> ScaleB(Dual<T> x, int n) => new(T.ScaleB(x.Value, n), T.ScaleB(x.Tangent, n));
    /// <summary>The unbiased binary exponent of the value (an integer; no derivative).</summary>
    public static int ILogB(Dual<T> x) => T.ILogB(x.Value);

    /// <summary>(a·b) + c rounded once; tangent a'b + ab' + c'.</summary>
    public static Dual<T> FusedMultiplyAdd(Dual<T> left, Dual<T> right, Dual<T> addend)
        => new(T.FusedMultiplyAdd(left.Value, right.Value, addend.Value),
               T.FusedMultiplyAdd(left.Tangent, right.Value, T.FusedMultiplyAdd(left.Value, right.Tangent, addend.Tangent)));
    /// <summary>(a·b) + c; tangent a'b + ab' + c'.</summary>
    public static Dual<T> MultiplyAddEstimate(Dual<T> left, Dual<T> right, Dual<T> addend) => left * right + addend;

    /// <summary>The IEEE remainder x − n·y with n = round(x/y); derivative x' − n·y'.</summary>
    public static Dual<T> Ieee754Remainder(Dual<T> left, Dual<T> right)
    {
        T r = T.Ieee754Remainder(left.Value, right.Value);
        return new(r, RemainderTangent(left, right, r));
    }

    /// <summary>1/x (T's estimate for the value); tangent −x'/x².</summary>
    public static Dual<T> ReciprocalEstimate(Dual<T> x)
    {
        T v = x.Value;
        return Chain(T.ReciprocalEstimate(v), -T.One / (v * v), x.Tangent);
    }

    /// <summary>1/√x (T's estimate for the value); tangent −x'/(2x^{3/2}).</summary>
    public static Dual<T> ReciprocalSqrtEstimate(Dual<T> x)
    {
        T v = x.Value;
        T s = T.Sqrt(v);
        return Chain(T.ReciprocalSqrtEstimate(v), -T.One / (s_two * v * s), x.Tangent);
    }

    /// <summary>a + (b − a)·w; tangent a'(1 − w) + b'w + (b − a)w'.</summary>
    public static Dual<T> Lerp(Dual<T> value1, Dual<T> value2, Dual<T> amount)
        => new(T.Lerp(value1.Value, value2.Value, amount.Value),
               value1.Tangent * (T.One - amount.Value) + value2.Tangent * amount.Value + (value2.Value - value1.Value) * amount.Tangent);

    /// <summary>Degrees to radians (linear).</summary>
    public static Dual<T> DegreesToRadians(Dual<T> degrees) => new(T.DegreesToRadians(degrees.Value), T.DegreesToRadians(degrees.Tangent));
    /// <summary>Radians to degrees (linear).</summary>
    public static Dual<T> RadiansToDegrees(Dual<T> radians) => new(T.RadiansToDegrees(radians.Value), T.RadiansToDegrees(radians.Tangent));

    // ----- powers and roots -----

    /// <summary>√x; derivative 1/(2√x) (+∞ at 0 unless the tangent is 0).</summary>
    public static Dual<T> Sqrt(Dual<T> x)
    {
        T s = T.Sqrt(x.Value);
        return Chain(s, T.One / (s_two * s), x.Tangent);
    }

    /// <summary>∛x; derivative 1/(3∛x²).</summary>
    public static Dual<T> Cbrt(Dual<T> x)
    {
        T c = T.Cbrt(x.Value);
        return Chain(c, T.One / (s_three * c * c), x.Tangent);
    }

    /// <summary>x^(1/n); derivative x^(1/n)/(n·x), and (1/n)·0^(1/n − 1) at 0.</summary>
    public static Dual<T> RootN(Dual<T> x, int n)
    {
        T v = x.Value;
        T r = T.RootN(v, n);
        T nn = T.CreateTruncating(n);
        T d = T.IsZero(v) ? T.Pow(v, T.One / nn - T.One) / nn : r / (nn * v);
        return Chain(r, d, x.Tangent);
    }

    /// <summary>√(x² + y²); tangent (x·x' + y·y')/√(x² + y²), 0 at the origin (a subgradient of the norm there).</summary>
    public static Dual<T> Hypot(Dual<T> x, Dual<T> y)
    {
        T h = T.Hypot(x.Value, y.Value);
        if ((T.IsZero(x.Tangent) && T.IsZero(y.Tangent)) || T.IsZero(h)) return new(h, T.Zero);
        return new(h, (x.Value * x.Tangent + y.Value * y.Tangent) / h);
    }

    /// <summary>xʸ; tangent y·x^(y−1)·x' + xʸ·ln(x)·y'. Each term is present only when its input tangent is nonzero,
    /// and the second is 0 where xʸ = 0, so x² at x = 0 or 0ʸ with constant y have finite tangents; a negative base with
    /// a varying exponent has no real derivative (NaN).</summary>
    public static Dual<T> Pow(Dual<T> x, Dual<T> y)
    {
        T value = T.Pow(x.Value, y.Value);
        T t = T.Zero;
        if (!T.IsZero(x.Tangent))
            t = y.Value * T.Pow(x.Value, y.Value - T.One) * x.Tangent;
        if (!T.IsZero(y.Tangent) && !T.IsZero(value))
            t += value * T.Log(x.Value) * y.Tangent;
        return new(value, t);
    }

    // ----- exponentials and logarithms -----

    /// <summary>eˣ; derivative eˣ.</summary>
    public static Dual<T> Exp(Dual<T> x)
    {
        T e = T.Exp(x.Value);
        return Chain(e, e, x.Tangent);
    }
    /// <summary>eˣ − 1; derivative eˣ.</summary>
    public static Dual<T> ExpM1(Dual<T> x) => Chain(T.ExpM1(x.Value), T.Exp(x.Value), x.Tangent);
    /// <summary>2ˣ; derivative 2ˣ·ln 2.</summary>
    public static Dual<T> Exp2(Dual<T> x)
    {
        T e = T.Exp2(x.Value);
        return Chain(e, e * s_ln2, x.Tangent);
    }
    /// <summary>2ˣ − 1; derivative 2ˣ·ln 2.</summary>
    public static Dual<T> Exp2M1(Dual<T> x) => Chain(T.Exp2M1(x.Value), T.Exp2(x.Value) * s_ln2, x.Tangent);
    /// <summary>10ˣ; derivative 10ˣ·ln 10.</summary>
    public static Dual<T> Exp10(Dual<T> x)
    {
        T e = T.Exp10(x.Value);
        return Chain(e, e * s_ln10, x.Tangent);
    }
    /// <summary>10ˣ − 1; derivative 10ˣ·ln 10.</summary>
    public static Dual<T> Exp10M1(Dual<T> x) => Chain(T.Exp10M1(x.Value), T.Exp10(x.Value) * s_ln10, x.Tangent);

    /// <summary>ln x; derivative 1/x.</summary>
    public static Dual<T> Log(Dual<T> x) => Chain(T.Log(x.Value), T.One / x.Value, x.Tangent);
    /// <summary>log_b x = ln x / ln b; tangent x'/(x ln b) − log_b(x)·b'/(b ln b).</summary>
    public static Dual<T> Log(Dual<T> x, Dual<T> newBase)
    {
        T r = T.Log(x.Value, newBase.Value);
        T lnB = T.Log(newBase.Value);
        T t = T.IsZero(x.Tangent) ? T.Zero : x.Tangent / (x.Value * lnB);
        if (!T.IsZero(newBase.Tangent)) t -= r * newBase.Tangent / (newBase.Value * lnB);
        return new(r, t);
    }
    /// <summary>ln(1 + x); derivative 1/(1 + x).</summary>
    public static Dual<T> LogP1(Dual<T> x) => Chain(T.LogP1(x.Value), T.One / (T.One + x.Value), x.Tangent);
    /// <summary>log₂ x; derivative 1/(x ln 2).</summary>
    public static Dual<T> Log2(Dual<T> x) => Chain(T.Log2(x.Value), T.One / (x.Value * s_ln2), x.Tangent);
    /// <summary>log₂(1 + x); derivative 1/((1 + x) ln 2).</summary>
    public static Dual<T> Log2P1(Dual<T> x) => Chain(T.Log2P1(x.Value), T.One / ((T.One + x.Value) * s_ln2), x.Tangent);
    /// <summary>log₁₀ x; derivative 1/(x ln 10).</summary>
    public static Dual<T> Log10(Dual<T> x) => Chain(T.Log10(x.Value), T.One / (x.Value * s_ln10), x.Tangent);
    /// <summary>log₁₀(1 + x); derivative 1/((1 + x) ln 10).</summary>
    public static Dual<T> Log10P1(Dual<T> x) => Chain(T.Log10P1(x.Value), T.One / ((T.One + x.Value) * s_ln10), x.Tangent);

    // ----- trigonometric -----

    /// <summary>sin x; derivative cos x.</summary>
    public static Dual<T> Sin(Dual<T> x) => Chain(T.Sin(x.Value), T.Cos(x.Value), x.Tangent);
    /// <summary>cos x; derivative −sin x.</summary>
    public static Dual<T> Cos(Dual<T> x) => Chain(T.Cos(x.Value), -T.Sin(x.Value), x.Tangent);
    /// <summary>tan x; derivative 1 + tan² x.</summary>
    public static Dual<T> Tan(Dual<T> x)
    {
        T t = T.Tan(x.Value);
        return Chain(t, T.One + t * t, x.Tangent);
    }
    /// <summary>(sin x, cos x) with their tangents.</summary>
    public static (Dual<T> Sin, Dual<T> Cos) SinCos(Dual<T> x)
    {
        var (s, c) = T.SinCos(x.Value);
        return (Chain(s, c, x.Tangent), Chain(c, -s, x.Tangent));
    }
    /// <summary>asin x; derivative 1/√(1 − x²).</summary>
    public static Dual<T> Asin(Dual<T> x) => Chain(T.Asin(x.Value), T.One / T.Sqrt(T.One - x.Value * x.Value), x.Tangent);
    /// <summary>acos x; derivative −1/√(1 − x²).</summary>
    public static Dual<T> Acos(Dual<T> x) => Chain(T.Acos(x.Value), -T.One / T.Sqrt(T.One - x.Value * x.Value), x.Tangent);
    /// <summary>atan x; derivative 1/(1 + x²).</summary>
    public static Dual<T> Atan(Dual<T> x) => Chain(T.Atan(x.Value), T.One / (T.One + x.Value * x.Value), x.Tangent);

    /// <summary>sin(πx); derivative π cos(πx).</summary>
    public static Dual<T> SinPi(Dual<T> x) => Chain(T.SinPi(x.Value), T.Pi * T.CosPi(x.Value), x.Tangent);
    /// <summary>cos(πx); derivative −π sin(πx).</summary>
    public static Dual<T> CosPi(Dual<T> x) => Chain(T.CosPi(x.Value), -T.Pi * T.SinPi(x.Value), x.Tangent);
    /// <summary>tan(πx); derivative π(1 + tan²(πx)).</summary>
    public static Dual<T> TanPi(Dual<T> x)
    {
        T t = T.TanPi(x.Value);
        return Chain(t, T.Pi * (T.One + t * t), x.Tangent);
    }
    /// <summary>(sin πx, cos πx) with their tangents.</summary>
    public static (Dual<T> SinPi, Dual<T> CosPi) SinCosPi(Dual<T> x)
    {
        var (s, c) = T.SinCosPi(x.Value);
        return (Chain(s, T.Pi * c, x.Tangent), Chain(c, -T.Pi * s, x.Tangent));
    }
    /// <summary>asin(x)/π; derivative 1/(π√(1 − x²)).</summary>
    public static Dual<T> AsinPi(Dual<T> x) => Chain(T.AsinPi(x.Value), T.One / (T.Pi * T.Sqrt(T.One - x.Value * x.Value)), x.Tangent);
    /// <summary>acos(x)/π; derivative −1/(π√(1 − x²)).</summary>
    public static Dual<T> AcosPi(Dual<T> x) => Chain(T.AcosPi(x.Value), -T.One / (T.Pi * T.Sqrt(T.One - x.Value * x.Value)), x.Tangent);
    /// <summary>atan(x)/π; derivative 1/(π(1 + x²)).</summary>
    public static Dual<T> AtanPi(Dual<T> x) => Chain(T.AtanPi(x.Value), T.One / (T.Pi * (T.One + x.Value * x.Value)), x.Tangent);

    /// <summary>atan2(y, x); tangent (x·y' − y·x')/(x² + y²) (NaN at the origin unless both tangents are 0).</summary>
    public static Dual<T> Atan2(Dual<T> y, Dual<T> x)
    {
        T a = T.Atan2(y.Value, x.Value);
        if (T.IsZero(y.Tangent) && T.IsZero(x.Tangent)) return new(a, T.Zero);
        return new(a, (x.Value * y.Tangent - y.Value * x.Tangent) / (x.Value * x.Value + y.Value * y.Value));
    }
    /// <summary>atan2(y, x)/π; tangent that of <see cref="Atan2"/> divided by π.</summary>
    public static Dual<T> Atan2Pi(Dual<T> y, Dual<T> x)
    {
        var a = Atan2(y, x);
        return new(T.Atan2Pi(y.Value, x.Value), a.Tangent / T.Pi);
    }

    // ----- hyperbolic -----

    /// <summary>sinh x; derivative cosh x.</summary>
    public static Dual<T> Sinh(Dual<T> x) => Chain(T.Sinh(x.Value), T.Cosh(x.Value), x.Tangent);
    /// <summary>cosh x; derivative sinh x.</summary>
    public static Dual<T> Cosh(Dual<T> x) => Chain(T.Cosh(x.Value), T.Sinh(x.Value), x.Tangent);
    /// <summary>tanh x; derivative 1 − tanh² x.</summary>
    public static Dual<T> Tanh(Dual<T> x)
    {
        T t = T.Tanh(x.Value);
        return Chain(t, T.One - t * t, x.Tangent);
    }
    /// <summary>asinh x; derivative 1/√(x² + 1).</summary>
    public static Dual<T> Asinh(Dual<T> x) => Chain(T.Asinh(x.Value), T.One / T.Sqrt(x.Value * x.Value + T.One), x.Tangent);
    /// <summary>acosh x; derivative 1/(√(x − 1)·√(x + 1)).</summary>
    public static Dual<T> Acosh(Dual<T> x)
        => Chain(T.Acosh(x.Value), T.One / (T.Sqrt(x.Value - T.One) * T.Sqrt(x.Value + T.One)), x.Tangent);
    /// <summary>atanh x; derivative 1/(1 − x²).</summary>
    public static Dual<T> Atanh(Dual<T> x) => Chain(T.Atanh(x.Value), T.One / (T.One - x.Value * x.Value), x.Tangent);

    // ----- exponent and significand (of the value) -----

    /// <inheritdoc/>
    public int GetExponentByteCount() => Value.GetExponentByteCount();
    /// <inheritdoc/>
    public int GetExponentShortestBitLength() => Value.GetExponentShortestBitLength();
    /// <inheritdoc/>
    public int GetSignificandBitLength() => Value.GetSignificandBitLength();
    /// <inheritdoc/>
    public int GetSignificandByteCount() => Value.GetSignificandByteCount();
    /// <inheritdoc/>
    public bool TryWriteExponentBigEndian(Span<byte> destination, out int bytesWritten) => Value.TryWriteExponentBigEndian(destination, out bytesWritten);
    /// <inheritdoc/>
    public bool TryWriteExponentLittleEndian(Span<byte> destination, out int bytesWritten) => Value.TryWriteExponentLittleEndian(destination, out bytesWritten);
    /// <inheritdoc/>
    public bool TryWriteSignificandBigEndian(Span<byte> destination, out int bytesWritten) => Value.TryWriteSignificandBigEndian(destination, out bytesWritten);
    /// <inheritdoc/>
    public bool TryWriteSignificandLittleEndian(Span<byte> destination, out int bytesWritten) => Value.TryWriteSignificandLittleEndian(destination, out bytesWritten);

    /// <summary>The value converted to an integer type, saturating (no derivative).</summary>
    public static TInteger ConvertToInteger<TInteger>(Dual<T> value) where TInteger : IBinaryInteger<TInteger>
        => T.ConvertToInteger<TInteger>(value.Value);
    /// <summary>The value converted to an integer type with the platform's overflow behaviour (no derivative).</summary>
    public static TInteger ConvertToIntegerNative<TInteger>(Dual<T> value) where TInteger : IBinaryInteger<TInteger>
        => T.ConvertToIntegerNative<TInteger>(value.Value);

    // ----- conversions (through the value; a conversion into a dual is a constant) -----

    static bool INumberBase<Dual<T>>.TryConvertFromChecked<TOther>(TOther value, out Dual<T> result)
        => TryConvertFrom(value, out result, ConversionKind.Checked);
    static bool INumberBase<Dual<T>>.TryConvertFromSaturating<TOther>(TOther value, out Dual<T> result)
        => TryConvertFrom(value, out result, ConversionKind.Saturating);
    static bool INumberBase<Dual<T>>.TryConvertFromTruncating<TOther>(TOther value, out Dual<T> result)
        => TryConvertFrom(value, out result, ConversionKind.Truncating);
    static bool INumberBase<Dual<T>>.TryConvertToChecked<TOther>(Dual<T> value, out TOther result)
        => TryConvertTo(value, out result, ConversionKind.Checked);
    static bool INumberBase<Dual<T>>.TryConvertToSaturating<TOther>(Dual<T> value, out TOther result)
        => TryConvertTo(value, out result, ConversionKind.Saturating);
    static bool INumberBase<Dual<T>>.TryConvertToTruncating<TOther>(Dual<T> value, out TOther result)
        => TryConvertTo(value, out result, ConversionKind.Truncating);

    /// <summary>A constant (tangent 0) with the value of <paramref name="value"/> converted to T, checked.</summary>
    /// <exception cref="NotSupportedException">T cannot be created from <typeparamref name="TOther"/>.</exception>
    public static Dual<T> CreateChecked<TOther>(TOther value) where TOther : INumberBase<TOther>
        => TryConvertFrom(value, out var r, ConversionKind.Checked) ? r : throw NotSupported<TOther>();
    /// <summary>A constant (tangent 0) with the value of <paramref name="value"/> converted to T, saturating.</summary>
    /// <exception cref="NotSupportedException">T cannot be created from <typeparamref name="TOther"/>.</exception>
    public static Dual<T> CreateSaturating<TOther>(TOther value) where TOther : INumberBase<TOther>
        => TryConvertFrom(value, out var r, ConversionKind.Saturating) ? r : throw NotSupported<TOther>();
    /// <summary>A constant (tangent 0) with the value of <paramref name="value"/> converted to T, truncating.</summary>
    /// <exception cref="NotSupportedException">T cannot be created from <typeparamref name="TOther"/>.</exception>
    public static Dual<T> CreateTruncating<TOther>(TOther value) where TOther : INumberBase<TOther>
        => TryConvertFrom(value, out var r, ConversionKind.Truncating) ? r : throw NotSupported<TOther>();

    private static NotSupportedException NotSupported<TOther>()
        => new($"Cannot create a Dual<{typeof(T).Name}> from a {typeof(TOther).Name}.");

    private enum ConversionKind { Checked, Saturating, Truncating }

    private static bool TryConvertFrom<TOther>(TOther value, out Dual<T> result, ConversionKind kind) where TOther : INumberBase<TOther>
    {
        if (typeof(TOther) == typeof(T))
        {
            result = new((T)(object)value, T.Zero);
            return true;
        }
        try
        {
            T v = kind switch
            {
                ConversionKind.Checked => T.CreateChecked(value),
                ConversionKind.Saturating => T.CreateSaturating(value),
                _ => T.CreateTruncating(value),
            };
            result = new(v!, T.Zero);
            return true;
        }
        catch (NotSupportedException)
        {
            result = default;
            return false;
        }
    }

    private static bool TryConvertTo<TOther>(Dual<T> value, out TOther result, ConversionKind kind) where TOther : INumberBase<TOther>
    {
        if (typeof(TOther) == typeof(T))
        {
            result = (TOther)(object)value.Value;
            return true;
        }
        try
        {
            result = kind switch
            {
                ConversionKind.Checked => TOther.CreateChecked(value.Value),
                ConversionKind.Saturating => TOther.CreateSaturating(value.Value),
                _ => TOther.CreateTruncating(value.Value),
            };
            return true;
        }
        catch (NotSupportedException)
        {
            result = default!;
            return false;
        }
    }

    // ----- parsing (a parsed dual is a constant) and formatting (of the value) -----

    /// <summary>Parses a value (tangent 0).</summary>
    public static Dual<T> Parse(string s, IFormatProvider? provider) => new(T.Parse(s, provider), T.Zero);
    /// <summary>Parses a value (tangent 0).</summary>
    public static Dual<T> Parse(string s, NumberStyles style, IFormatProvider? provider) => new(T.Parse(s, style, provider), T.Zero);
    /// <summary>Parses a value (tangent 0).</summary>
    public static Dual<T> Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => new(T.Parse(s, provider), T.Zero);
    /// <summary>Parses a value (tangent 0).</summary>
    public static Dual<T> Parse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider) => new(T.Parse(s, style, provider), T.Zero);
    /// <summary>Parses a UTF-8 value (tangent 0).</summary>
    public static Dual<T> Parse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider) => new(T.Parse(utf8Text, provider), T.Zero);
    /// <summary>Parses a UTF-8 value (tangent 0).</summary>
    public static Dual<T> Parse(ReadOnlySpan<byte> utf8Text, NumberStyles style, IFormatProvider? provider) => new(T.Parse(utf8Text, style, provider), T.Zero);

    /// <summary>Tries to parse a value (tangent 0).</summary>
    public static bool TryParse([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? s, IFormatProvider? provider, out Dual<T> result)
        => ParsedConstant(T.TryParse(s, provider, out T? v), v, out result);
    /// <summary>Tries to parse a value (tangent 0).</summary>
    public static bool TryParse([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? s, NumberStyles style, IFormatProvider? provider, out Dual<T> result)
        => ParsedConstant(T.TryParse(s, style, provider, out T? v), v, out result);
    /// <summary>Tries to parse a value (tangent 0).</summary>
    public static bool TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out Dual<T> result)
        => ParsedConstant(T.TryParse(s, provider, out T? v), v, out result);
    /// <summary>Tries to parse a value (tangent 0).</summary>
    public static bool TryParse(ReadOnlySpan<char> s, NumberStyles style, IFormatProvider? provider, out Dual<T> result)
        => ParsedConstant(T.TryParse(s, style, provider, out T? v), v, out result);
    /// <summary>Tries to parse a UTF-8 value (tangent 0).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, IFormatProvider? provider, out Dual<T> result)
        => ParsedConstant(T.TryParse(utf8Text, provider, out T? v), v, out result);
    /// <summary>Tries to parse a UTF-8 value (tangent 0).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Text, NumberStyles style, IFormatProvider? provider, out Dual<T> result)
        => ParsedConstant(T.TryParse(utf8Text, style, provider, out T? v), v, out result);

    private static bool ParsedConstant(bool ok, T? value, out Dual<T> result)
    {
        result = new(value!, T.Zero);
        return ok;
    }

    /// <summary>The value, formatted as T formats it (the tangent is not shown; the debugger display shows both).</summary>
    public override string ToString() => Value.ToString() ?? string.Empty;
    /// <summary>The value, formatted as T formats it.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);
    /// <summary>Formats the value.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => Value.TryFormat(destination, out charsWritten, format, provider);
    /// <summary>Formats the value as UTF-8.</summary>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
        => Value.TryFormat(utf8Destination, out bytesWritten, format, provider);
}
