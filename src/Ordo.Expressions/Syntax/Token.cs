namespace Ordo.Expressions.Syntax;

internal enum TokenKind
{
    End,
    Number,
    Identifier,
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Comma,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    EqualEqual,
    NotEqual,
}

internal readonly record struct Token(TokenKind Kind, int Position, int Length, string Text, double Number)
{
    public string Describe() => Kind switch
    {
        TokenKind.End => "end of the expression",
        TokenKind.Number => $"number '{Text}'",
        TokenKind.Identifier => $"name '{Text}'",
        _ => $"'{Text}'",
    };
}
