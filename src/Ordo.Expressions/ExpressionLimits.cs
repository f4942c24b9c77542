namespace Ordo.Expressions;

/// <summary>
/// Limits that make hostile input harmless: a string past them gets a clean <see cref="ExpressionException"/> at
/// compile time, never a stack overflow, an out-of-memory or an evaluation that does not end.
/// </summary>
public sealed record ExpressionLimits
{
    /// <summary>Longest expression string (default 1,000,000 characters).</summary>
    public int MaxLength { get; init; } = 1_000_000;

    /// <summary>Most syntax nodes in one expression (default 10,000: far more than a formula needs — long sums belong in
    /// <c>sum</c> — and small enough that the derivative code of the largest expression stays well within the 65,535
    /// locals one compiled method may hold).</summary>
    public int MaxNodes { get; init; } = 10_000;

    /// <summary>Deepest nesting of parentheses, calls, indices and operators (default 200). Chains of + and * do not
    /// nest (they are n-ary), so only genuinely nested structure counts.</summary>
    public int MaxDepth { get; init; } = 200;

    /// <summary>Most loop iterations of <c>sum</c>/<c>prod</c> one evaluation may run, nested ranges multiplied
    /// (default 100,000,000).</summary>
    public long MaxIterations { get; init; } = 100_000_000;

    /// <summary>The defaults.</summary>
    public static ExpressionLimits Default { get; } = new();
}
