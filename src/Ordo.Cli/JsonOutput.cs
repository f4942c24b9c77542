using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Ordo.Cli;

/// <summary>Writes the one JSON object of a <c>--json</c> command to stdout (one line). Non-finite numbers, which JSON
/// cannot hold, are written as <c>null</c>.</summary>
internal static class JsonOutput
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static void Write(TextWriter output, Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, s_options))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    public static void Number(this Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }

    public static void Numbers(this Utf8JsonWriter w, string name, ReadOnlySpan<double> values)
    {
        w.WriteStartArray(name);
        foreach (double v in values)
        {
            if (double.IsFinite(v)) w.WriteNumberValue(v);
            else w.WriteNullValue();
        }
        w.WriteEndArray();
    }

    /// <summary>A row-major rows × cols matrix as an array of rows.</summary>
    public static void Matrix(this Utf8JsonWriter w, string name, ReadOnlySpan<double> rowMajor, int rows, int cols)
    {
        w.WriteStartArray(name);
        for (int i = 0; i < rows; i++)
        {
            w.WriteStartArray();
            foreach (double v in rowMajor.Slice(i * cols, cols))
            {
                if (double.IsFinite(v)) w.WriteNumberValue(v);
                else w.WriteNullValue();
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    /// <summary>The <c>time_ms</c> object of the contract: median and minimum over the repeated runs.</summary>
    public static void TimeMs(this Utf8JsonWriter w, double median, double min)
    {
        w.WriteStartObject("time_ms");
        w.WriteNumber("median", median);
        w.WriteNumber("min", min);
        w.WriteEndObject();
    }
}
