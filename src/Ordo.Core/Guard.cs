using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Ordo;

/// <summary>
/// Argument checks shared by every solver family. Each check throws an exception that names the argument and,
/// where it helps, says how to fix the call. Solvers call these before any work, never inside a hot loop.
/// </summary>
public static class Guard
{
    /// <summary>Throws unless <paramref name="value"/> is a finite number (not NaN, not ±∞).</summary>
    public static void Finite(double value, string paramName)
    {
        if (!double.IsFinite(value))
            throw new ArgumentException($"{paramName} must be a finite number but is {value}.", paramName);
    }

    /// <summary>Throws unless every element of <paramref name="values"/> is finite; the message names the first bad index.</summary>
    public static void AllFinite<T>(ReadOnlySpan<T> values, string paramName) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
                throw new ArgumentException($"{paramName}[{i}] must be finite but is {values[i]}.", paramName);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    public static void Positive(double value, string paramName)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a finite number > 0 but is {value}.");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and not negative.</summary>
    public static void NonNegative(double value, string paramName)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(paramName, value, $"{paramName} must be a finite number >= 0 but is {value}.");
    }

    /// <summary>Throws unless a span has the expected length; the message gives both lengths.</summary>
    public static void Length(int actual, int expected, string paramName, string what = "the problem dimension")
    {
        if (actual != expected)
            throw new ArgumentException($"{paramName} has length {actual} but {what} is {expected}.", paramName);
    }

    /// <summary>Throws an <see cref="ArgumentException"/>; for use from hot code where a throw statement would hurt inlining.</summary>
    [DoesNotReturn]
    public static void Fail(string message, string paramName) => throw new ArgumentException(message, paramName);
}
