namespace Ordo.Problems.ProblemFiles;

/// <summary>
/// A problem file cannot be used: it cannot be read, is not valid JSON, or a field is missing, of the wrong type or
/// shape, or holds an expression that does not compile. The message is one line that names the file, then the JSON
/// field (e.g. <c>rhs[1]</c>, <c>parameters.g</c>; array positions counted from 0 as in JSON), then what is wrong, e.g.
/// <c>problems/pendulum.json: rhs[1]: unknown name 'q' at column 4; known names: theta, omega, t, g, L</c>.
/// </summary>
public sealed class ProblemFileException : Exception
{
    /// <summary>Creates the exception; the message is <c>file: field: detail</c> (the field part only when there is one).</summary>
    /// <param name="file">The file as the user named it.</param>
    /// <param name="field">The JSON field, or null when the problem is not in one field (unreadable file, bad JSON).</param>
    /// <param name="detail">What is wrong.</param>
    /// <param name="column">1-based column in the field's expression string, or 0.</param>
    /// <param name="line">1-based line in the file for a JSON syntax error, or 0.</param>
    /// <param name="inner">The underlying exception, if any.</param>
    public ProblemFileException(string file, string? field, string detail, int column = 0, int line = 0, Exception? inner = null)
        : base(Compose(file, field, detail), inner)
    {
        File = file;
        Field = field;
        Detail = detail;
        Column = column;
        Line = line;
    }

    /// <summary>The file as the user named it.</summary>
    public string File { get; }

    /// <summary>The JSON field at fault (<c>rhs[1]</c>, <c>reference.y</c>), or null.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the file and field.</summary>
    public string Detail { get; }

    /// <summary>1-based column in the field's expression string when an expression is at fault; 0 otherwise.</summary>
    public int Column { get; }

    /// <summary>1-based line of a JSON syntax error; 0 otherwise.</summary>
    public int Line { get; }

    private static string Compose(string file, string? field, string detail)
    {
        string text = string.IsNullOrEmpty(field) ? $"{file}: {detail}" : $"{file}: {field}: {detail}";
        // One line, always: the ordo command prints it as is.
        return text.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
    }
}
