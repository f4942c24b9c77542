namespace Ordo.Expressions.Syntax;

/// <summary>A node of the parsed expression; <see cref="Position"/> is the 0-based index of its first character.</summary>
internal abstract record SyntaxNode(int Position);

internal sealed record NumberSyntax(int Position, double Value) : SyntaxNode(Position);

internal sealed record NameSyntax(int Position, string Name) : SyntaxNode(Position);

/// <summary><c>name[index]</c>.</summary>
internal sealed record IndexSyntax(int Position, string Name, SyntaxNode Index) : SyntaxNode(Position);

internal sealed record NegateSyntax(int Position, SyntaxNode Operand) : SyntaxNode(Position);

/// <summary>A chain <c>a ± b ± c …</c>, kept n-ary so that long sums do not nest.</summary>
internal sealed record AddSyntax(int Position, IReadOnlyList<(SyntaxNode Term, bool Subtract)> Terms) : SyntaxNode(Position);

/// <summary>A chain <c>a */ b */ c …</c>, kept n-ary so that long products do not nest.</summary>
internal sealed record MultiplySyntax(int Position, IReadOnlyList<(SyntaxNode Factor, bool Divide)> Factors) : SyntaxNode(Position);

internal sealed record PowerSyntax(int Position, SyntaxNode Base, SyntaxNode Exponent) : SyntaxNode(Position);

/// <summary><c>name(arg, …)</c>: a function, or one of the forms <c>if</c>, <c>sum</c>, <c>prod</c>.</summary>
internal sealed record CallSyntax(int Position, string Name, IReadOnlyList<SyntaxNode> Arguments) : SyntaxNode(Position);

internal enum CompareOperator { Less, LessEqual, Greater, GreaterEqual, Equal, NotEqual }

internal sealed record CompareSyntax(int Position, CompareOperator Operator, SyntaxNode Left, SyntaxNode Right) : SyntaxNode(Position);

/// <summary><c>a and b and …</c> or <c>a or b or …</c>.</summary>
internal sealed record LogicalSyntax(int Position, bool IsAnd, IReadOnlyList<SyntaxNode> Operands) : SyntaxNode(Position);
