namespace Ordo.Expressions.Syntax;

/// <summary>
/// Recursive-descent parser of the expression language (../shared/spec/problem-files-and-cli.md). Precedence, loosest
/// first: <c>or</c>, <c>and</c>, comparisons (not chainable), <c>+ -</c>, <c>* /</c>, unary <c>-</c>, <c>^</c>
/// (right-associative; its exponent may start with a unary minus). So <c>-x^2</c> is −(x²), <c>2^3^2</c> is 2⁹ and
/// <c>2^-1</c> is 0.5. Nesting depth and node count are bounded (<see cref="ExpressionLimits"/>), so hostile input
/// gets an <see cref="ExpressionException"/>, never a stack overflow.
/// </summary>
internal sealed class Parser
{
    private readonly string _text;
    private readonly List<Token> _tokens;
    private readonly ExpressionLimits _limits;
    private int _index;
    private int _depth;
    private int _nodes;

    private Parser(string text, ExpressionLimits limits)
    {
        _text = text;
        _limits = limits;
        _tokens = Lexer.Tokenize(text);
    }

    public static SyntaxNode Parse(string text, ExpressionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > limits.MaxLength)
            throw new ExpressionException($"the expression is {text.Length} characters long; the limit is {limits.MaxLength}", text.Length > 80 ? text[..80] + "…" : text, 0);
        var parser = new Parser(text, limits);
        if (parser.Current.Kind == TokenKind.End) throw parser.Error(parser.Current, "the expression is empty");
        SyntaxNode node = parser.ParseOr();
        if (parser.Current.Kind != TokenKind.End)
            throw parser.Error(parser.Current, $"unexpected {parser.Current.Describe()}; expected an operator or the end of the expression");
        return node;
    }

    private Token Current => _tokens[_index];

    private Token Advance() => _tokens[_index++];

    private ExpressionException Error(Token at, string message) => ExpressionException.At(_text, at.Position, message);

    private T Count<T>(T node) where T : SyntaxNode
    {
        if (++_nodes > _limits.MaxNodes)
            throw new ExpressionException($"the expression has more than {_limits.MaxNodes} nodes", _text.Length > 80 ? _text[..80] + "…" : _text, 0);
        return node;
    }

    private void Enter(Token at)
    {
        if (++_depth > _limits.MaxDepth)
            throw Error(at, $"the expression is nested more than {_limits.MaxDepth} levels deep");
    }

    private void Leave() => _depth--;

    private bool IsKeyword(string word) => Current.Kind == TokenKind.Identifier && Current.Text == word;

    private SyntaxNode ParseOr()
    {
        Enter(Current);
        SyntaxNode first = ParseAnd();
        if (!IsKeyword("or"))
        {
            Leave();
            return first;
        }
        var operands = new List<SyntaxNode> { first };
        while (IsKeyword("or"))
        {
            Advance();
            operands.Add(ParseAnd());
        }
        Leave();
        return Count(new LogicalSyntax(first.Position, false, operands));
    }

    private SyntaxNode ParseAnd()
    {
        SyntaxNode first = ParseComparison();
        if (!IsKeyword("and")) return first;
        var operands = new List<SyntaxNode> { first };
        while (IsKeyword("and"))
        {
            Advance();
            operands.Add(ParseComparison());
        }
        return Count(new LogicalSyntax(first.Position, true, operands));
    }

    private static CompareOperator? Relational(TokenKind kind) => kind switch
    {
        TokenKind.Less => CompareOperator.Less,
        TokenKind.LessEqual => CompareOperator.LessEqual,
        TokenKind.Greater => CompareOperator.Greater,
        TokenKind.GreaterEqual => CompareOperator.GreaterEqual,
        TokenKind.EqualEqual => CompareOperator.Equal,
        TokenKind.NotEqual => CompareOperator.NotEqual,
        _ => null,
    };

    private SyntaxNode ParseComparison()
    {
        SyntaxNode left = ParseAdditive();
        if (Relational(Current.Kind) is not CompareOperator op) return left;
        Token opToken = Advance();
        SyntaxNode right = ParseAdditive();
        if (Relational(Current.Kind) is not null)
            throw Error(Current, $"chained comparisons are not allowed ('{opToken.Text}' followed by '{Current.Text}'); write them with 'and', e.g. a < b and b < c");
        return Count(new CompareSyntax(opToken.Position, op, left, right));
    }

    private SyntaxNode ParseAdditive()
    {
        SyntaxNode first = ParseMultiplicative();
        if (Current.Kind is not (TokenKind.Plus or TokenKind.Minus)) return first;
        var terms = new List<(SyntaxNode, bool)> { (first, false) };
        while (Current.Kind is TokenKind.Plus or TokenKind.Minus)
        {
            bool subtract = Advance().Kind == TokenKind.Minus;
            terms.Add((ParseMultiplicative(), subtract));
        }
        return Count(new AddSyntax(first.Position, terms));
    }

    private SyntaxNode ParseMultiplicative()
    {
        SyntaxNode first = ParseUnary();
        if (Current.Kind is not (TokenKind.Star or TokenKind.Slash)) return first;
        var factors = new List<(SyntaxNode, bool)> { (first, false) };
        while (Current.Kind is TokenKind.Star or TokenKind.Slash)
        {
            bool divide = Advance().Kind == TokenKind.Slash;
            factors.Add((ParseUnary(), divide));
        }
        return Count(new MultiplySyntax(first.Position, factors));
    }

    private SyntaxNode ParseUnary()
    {
        if (Current.Kind != TokenKind.Minus) return ParsePower();
        Token minus = Advance();
        Enter(minus);
        SyntaxNode operand = ParseUnary();
        Leave();
        return Count(new NegateSyntax(minus.Position, operand));
    }

    private SyntaxNode ParsePower()
    {
        SyntaxNode @base = ParsePrimary();
        if (Current.Kind != TokenKind.Caret) return @base;
        Token caret = Advance();
        Enter(caret);
        SyntaxNode exponent = ParseUnary();   // right-associative, and 2^-1 is allowed
        Leave();
        return Count(new PowerSyntax(caret.Position, @base, exponent));
    }

    private SyntaxNode ParsePrimary()
    {
        Token token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Advance();
                return Count(new NumberSyntax(token.Position, token.Number));
            case TokenKind.LeftParen:
            {
                Advance();
                SyntaxNode inner = ParseOr();
                Expect(TokenKind.RightParen, token, "')' to close the '(' at column " + (token.Position + 1));
                return inner;
            }
            case TokenKind.Identifier:
            {
                Advance();
                if (token.Text is "and" or "or")
                    throw Error(token, $"unexpected '{token.Text}'; expected a number, a name, a function call or '('");
                if (Current.Kind == TokenKind.LeftParen)
                {
                    Token open = Advance();
                    Enter(open);
                    var arguments = new List<SyntaxNode>();
                    if (Current.Kind != TokenKind.RightParen)
                    {
                        arguments.Add(ParseOr());
                        while (Current.Kind == TokenKind.Comma)
                        {
                            Advance();
                            arguments.Add(ParseOr());
                        }
                    }
                    Expect(TokenKind.RightParen, open, $"',' or ')' to close the argument list of '{token.Text}'");
                    Leave();
                    return Count(new CallSyntax(token.Position, token.Text, arguments));
                }
                if (Current.Kind == TokenKind.LeftBracket)
                {
                    Token open = Advance();
                    Enter(open);
                    SyntaxNode index = ParseOr();
                    Expect(TokenKind.RightBracket, open, $"']' to close the index of '{token.Text}'");
                    Leave();
                    return Count(new IndexSyntax(token.Position, token.Text, index));
                }
                return Count(new NameSyntax(token.Position, token.Text));
            }
            default:
                throw Error(token, $"unexpected {token.Describe()}; expected a number, a name, a function call or '('");
        }
    }

    private void Expect(TokenKind kind, Token opener, string what)
    {
        if (Current.Kind != kind) throw Error(Current, $"expected {what} but found {Current.Describe()}");
        Advance();
    }
}
