namespace Ordo.Expressions.Binding;

/// <summary>The variables each expression uses, by structure (conservative over index ranges).</summary>
internal static class Sparsity
{
    public static SparsityPattern Of(IReadOnlyList<BoundNode> nodes, int columns)
    {
        var rows = new List<SortedSet<int>>(nodes.Count);
        foreach (BoundNode node in nodes)
        {
            var set = new SortedSet<int>();
            Collect(node, set);
            rows.Add(set);
        }
        return new SparsityPattern(nodes.Count, columns, rows);
    }

    private static void Collect(BoundNode node, SortedSet<int> set)
    {
        switch (node)
        {
            case BoundVariable v:
                set.Add(v.Slot);
                break;
            case BoundVectorElement v:
                // Every index value the binder allowed lies in [1, Length]; the interval may be wider when sum indices depend on each other.
                for (long i = Math.Max(1, v.Index.Min); i <= Math.Min(v.Length, v.Index.Max); i++) set.Add(v.Offset + (int)i - 1);
                break;
            case BoundNegate n:
                Collect(n.Operand, set);
                break;
            case BoundAdd n:
                foreach (BoundNode t in n.Terms) Collect(t, set);
                break;
            case BoundMultiply n:
                foreach (BoundNode f in n.Factors) Collect(f, set);
                break;
            case BoundPower n:
                Collect(n.Base, set);
                Collect(n.Exponent, set);
                break;
            case BoundCall n:
                foreach (BoundNode a in n.Arguments) Collect(a, set);
                break;
            case BoundIf n:
                Collect(n.WhenTrue, set);
                Collect(n.WhenFalse, set);
                break;
            case BoundReduction n:
                Collect(n.Body, set);
                break;
        }
    }

    /// <summary>True when any expression mentions the time variable (in a value or in an if-condition).</summary>
    public static bool UsesTime(IReadOnlyList<BoundNode> nodes)
    {
        foreach (BoundNode node in nodes)
            if (UsesTime(node)) return true;
        return false;
    }

    private static bool UsesTime(BoundNode node) => node switch
    {
        BoundTime => true,
        BoundNegate n => UsesTime(n.Operand),
        BoundAdd n => n.Terms.Any(UsesTime),
        BoundMultiply n => n.Factors.Any(UsesTime),
        BoundPower n => UsesTime(n.Base) || UsesTime(n.Exponent),
        BoundCall n => n.Arguments.Any(UsesTime),
        BoundIf n => UsesTime(n.Condition) || UsesTime(n.WhenTrue) || UsesTime(n.WhenFalse),
        BoundReduction n => UsesTime(n.Body),
        _ => false,
    };

    private static bool UsesTime(BoundCondition condition) => condition switch
    {
        BoundCompare c => UsesTime(c.Left) || UsesTime(c.Right),
        BoundLogical l => l.Operands.Any(UsesTime),
        _ => false,
    };
}
