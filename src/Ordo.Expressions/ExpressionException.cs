namespace Ordo.Expressions;

/// <summary>
/// An expression could not be parsed or compiled: the message says what is wrong, where (1-based column in the
/// expression string) and what was expected, e.g. "unknown name 'q' at column 4; known names: x, v, t, mu".
/// </summary>
public sealed class ExpressionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ExpressionException(string message, string expression, int column) : base(message)
    {
        Expression = expression;
        Column = column;
        Reason = message;
    }

    private ExpressionException(ExpressionException inner, int elementIndex)
        : base($"expression {elementIndex}: {inner.Reason}", inner)
    {
        Expression = inner.Expression;
        Column = inner.Column;
        Reason = inner.Reason;
        ElementIndex = elementIndex;
    }

    /// <summary>What is wrong, with the position, without the "expression i:" prefix of a vector's element.</summary>
    public string Reason { get; }

    /// <summary>For <see cref="ExpressionCompiler.CompileVector"/>: the 0-based index of the expression at fault; null otherwise.</summary>
    public int? ElementIndex { get; }

    internal ExpressionException ForElement(int index) => new(this, index);

    /// <summary>The expression text.</summary>
    public string Expression { get; }

    /// <summary>1-based column of the offending token (0 when the problem is not at one place).</summary>
    public int Column { get; }

    /// <summary>"what is wrong at column N; the rest": the position goes after the first clause, so that lists of
    /// known names and hints come after it ("unknown name 'q' at column 4; known names: x, v").</summary>
    internal static ExpressionException At(string expression, int index, string message)
    {
        int split = message.IndexOf("; ", StringComparison.Ordinal);
        string located = split < 0
            ? $"{message} at column {index + 1}"
            : $"{message[..split]} at column {index + 1}{message[split..]}";
        return new(located, expression, index + 1);
    }
}
