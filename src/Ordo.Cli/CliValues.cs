using System.Globalization;

namespace Ordo.Cli;

/// <summary>Reads option values (invariant culture) and turns bad ones into <see cref="BadInputException"/>s that name
/// the option.</summary>
internal static class CliValues
{
    public static double? Double(string? text, string option)
    {
        if (text is null) return null;
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new BadInputException($"{option}: cannot read '{text}' as a finite number");
        return value;
    }

    public static int? PositiveInt(string? text, string option)
    {
        if (text is null) return null;
        if (!long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
            throw new BadInputException($"{option}: cannot read '{text}' as a whole number");
        if (value < 1) throw new BadInputException($"{option}: must be at least 1 but is {value}");
        if (value > int.MaxValue) throw new BadInputException($"{option}: {value} is too large (at most {int.MaxValue})");
        return (int)value;
    }

    /// <summary>A comma-separated list of finite numbers.</summary>
    public static double[] List(string text, string option)
    {
        string[] items = text.Split(',', StringSplitOptions.TrimEntries);
        if (items.Length == 0 || items.All(string.IsNullOrEmpty)) throw new BadInputException($"{option}: needs comma-separated numbers, e.g. {option} 1,0.5");
        var values = new double[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (!double.TryParse(items[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                throw new BadInputException($"{option}: cannot read '{items[i]}' (value {i + 1}) as a finite number");
        }
        return values;
    }

    /// <summary>A number for people: up to 10 significant digits; "nan", "inf", "-inf" for the others.</summary>
    public static string Human(double x) => double.IsNaN(x) ? "nan" : double.IsPositiveInfinity(x) ? "inf" : double.IsNegativeInfinity(x) ? "-inf"
        : x.ToString("G10", CultureInfo.InvariantCulture).Replace('E', 'e');

    /// <summary>A small positive quantity for people (an error, a tolerance): 3 significant digits in e-notation.</summary>
    public static string Sci(double x) => double.IsFinite(x) ? x.ToString("0.00e+00", CultureInfo.InvariantCulture) : Human(x);

    /// <summary>A point for people: "(1.8, -0.2)", 6 significant digits; long vectors show their first 4 and last component.</summary>
    public static string Vector(ReadOnlySpan<double> x)
    {
        static string One(double v) => double.IsFinite(v) ? v.ToString("G6", CultureInfo.InvariantCulture).Replace('E', 'e') : Human(v);
        if (x.Length <= 6)
        {
            var parts = new string[x.Length];
            for (int i = 0; i < x.Length; i++) parts[i] = One(x[i]);
            return "(" + string.Join(", ", parts) + ")";
        }
        return $"({One(x[0])}, {One(x[1])}, {One(x[2])}, {One(x[3])}, …, {One(x[^1])})";
    }

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Milliseconds for people.</summary>
    public static string Ms(double ms) => ms >= 100 ? ms.ToString("0", CultureInfo.InvariantCulture) + " ms"
        : ms >= 1 ? ms.ToString("0.00", CultureInfo.InvariantCulture) + " ms"
        : ms.ToString("0.000", CultureInfo.InvariantCulture) + " ms";

    /// <summary>Sorts the times of K repeated runs and returns their median and minimum.</summary>
    public static (double Median, double Min) MedianAndMin(double[] times)
    {
        Array.Sort(times);
        double median = times.Length % 2 == 1 ? times[times.Length / 2] : 0.5 * (times[times.Length / 2 - 1] + times[times.Length / 2]);
        return (median, times[0]);
    }
}
