using System.Globalization;
using System.Text.Json;

namespace Ordo.Core.Tests.Rng;

/// <summary>Reads the JSON files of Data/ (copied verbatim from shared/research/sde-data).</summary>
internal static class RandomTestData
{
    public static JsonElement Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", fileName);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    /// <summary>Parses "6627e8d5" or "0x6627e8d5".</summary>
    public static ulong Hex(string text)
        => ulong.Parse(text.StartsWith("0x", StringComparison.Ordinal) ? text[2..] : text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static uint[] HexWords(JsonElement array) => array.EnumerateArray().Select(e => checked((uint)Hex(e.GetString()!))).ToArray();

    /// <summary>Parses a C99/Python hexadecimal float such as "0x1.c2d38b1acc4fep-1" exactly.</summary>
    public static double HexFloat(string text)
    {
        bool negative = text.StartsWith('-');
        string s = negative ? text[1..] : text;
        int p = s.IndexOf('p', StringComparison.Ordinal);
        string mantissa = s[2..p];
        int exponent = int.Parse(s[(p + 1)..], CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string digits = dot < 0 ? mantissa : mantissa[..dot] + mantissa[(dot + 1)..];
        int fractionDigits = dot < 0 ? 0 : mantissa.Length - dot - 1;
        ulong bits = ulong.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        double value = Math.ScaleB(bits, exponent - 4 * fractionDigits); // exact: at most 53 significant bits
        return negative ? -value : value;
    }
}
