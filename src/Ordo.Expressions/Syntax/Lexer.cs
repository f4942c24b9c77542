using System.Globalization;

namespace Ordo.Expressions.Syntax;

/// <summary>Splits an expression string into tokens (numbers, names, operators), with their positions.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            if (i >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, text.Length, 0, "", 0));
                return tokens;
            }
            char c = text[i];
            int start = i;
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1])))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                if (i < text.Length && text[i] == '.')
                {
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                }
                if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
                {
                    int mark = i;
                    i++;
                    if (i < text.Length && (text[i] == '+' || text[i] == '-')) i++;
                    if (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                    }
                    else
                    {
                        throw ExpressionException.At(text, mark, $"malformed number '{text[start..i]}': an exponent needs digits");
                    }
                }
                string s = text[start..i];
                if (!double.TryParse(s, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                    throw ExpressionException.At(text, start, $"number '{s}' is not a finite double");
                tokens.Add(new Token(TokenKind.Number, start, i - start, s, value));
                continue;
            }
            if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new Token(TokenKind.Identifier, start, i - start, text[start..i], 0));
                continue;
            }
            TokenKind kind;
            int length = 1;
            switch (c)
            {
                case '+': kind = TokenKind.Plus; break;
                case '-': kind = TokenKind.Minus; break;
                case '*': kind = TokenKind.Star; break;
                case '/': kind = TokenKind.Slash; break;
                case '^': kind = TokenKind.Caret; break;
                case '(': kind = TokenKind.LeftParen; break;
                case ')': kind = TokenKind.RightParen; break;
                case '[': kind = TokenKind.LeftBracket; break;
                case ']': kind = TokenKind.RightBracket; break;
                case ',': kind = TokenKind.Comma; break;
                case '<':
                    (kind, length) = Next(text, i) == '=' ? (TokenKind.LessEqual, 2) : (TokenKind.Less, 1);
                    break;
                case '>':
                    (kind, length) = Next(text, i) == '=' ? (TokenKind.GreaterEqual, 2) : (TokenKind.Greater, 1);
                    break;
                case '=':
                    if (Next(text, i) != '=') throw ExpressionException.At(text, i, "unexpected '=': write '==' to compare");
                    (kind, length) = (TokenKind.EqualEqual, 2);
                    break;
                case '!':
                    if (Next(text, i) != '=') throw ExpressionException.At(text, i, "unexpected '!': write '!=' to compare");
                    (kind, length) = (TokenKind.NotEqual, 2);
                    break;
                default:
                    throw ExpressionException.At(text, i, $"unexpected character '{(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())}'");
            }
            tokens.Add(new Token(kind, start, length, text.Substring(start, length), 0));
            i += length;
        }
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';
}
