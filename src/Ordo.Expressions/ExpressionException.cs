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

    /// <summary>The position goes right after the headline of the message, before any "; detail" (a list of known
    /// names, a hint): "unknown name 'q' at column 4; known names: x, v, t, mu".</summary>
    internal static ExpressionException At(string expression, int index, string message)
    {
        string where = $" at column {index + 1}";
        int detail = message.IndexOf("; ", StringComparison.Ordinal);
        return new(detail < 0 ? message + where : message.Insert(detail, where), expression, index + 1);
    }
}
