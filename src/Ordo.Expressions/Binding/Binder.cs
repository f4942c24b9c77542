using Ordo.Expressions.Syntax;

namespace Ordo.Expressions.Binding;

/// <summary>
/// Resolves the names of a parsed expression against an <see cref="ExpressionContext"/>, checks types (values,
/// conditions, integer indices), proves every index in range, folds constants and bounds the work of sums and products.
/// Every problem is an <see cref="ExpressionException"/> with the position of the offending token.
/// </summary>
internal sealed class Binder
{
    private static readonly Dictionary<string, (Function Function, int MinArgs, int MaxArgs)> s_functions = new(StringComparer.Ordinal)
    {
        ["sin"] = (Function.Sin, 1, 1), ["cos"] = (Function.Cos, 1, 1), ["tan"] = (Function.Tan, 1, 1),
        ["asin"] = (Function.Asin, 1, 1), ["acos"] = (Function.Acos, 1, 1), ["atan"] = (Function.Atan, 1, 1),
        ["atan2"] = (Function.Atan2, 2, 2), ["sinh"] = (Function.Sinh, 1, 1), ["cosh"] = (Function.Cosh, 1, 1),
        ["tanh"] = (Function.Tanh, 1, 1), ["exp"] = (Function.Exp, 1, 1), ["log"] = (Function.Log, 1, 1),
        ["log10"] = (Function.Log10, 1, 1), ["sqrt"] = (Function.Sqrt, 1, 1), ["abs"] = (Function.Abs, 1, 1),
        ["pow"] = (Function.Pow, 2, 2), ["min"] = (Function.Min, 2, int.MaxValue), ["max"] = (Function.Max, 2, int.MaxValue),
        ["sign"] = (Function.Sign, 1, 1),
    };

    private readonly string _text;
    private readonly ExpressionContext _context;
    private readonly ExpressionLimits _limits;
    private readonly List<IndexVariable> _scope = [];

    private Binder(string text, ExpressionContext context, ExpressionLimits limits)
    {
        _text = text;
        _context = context;
        _limits = limits;
    }

    public static BoundNode Bind(string text, SyntaxNode syntax, ExpressionContext context, ExpressionLimits limits)
    {
        var binder = new Binder(text, context, limits);
        BoundNode node = binder.Value(syntax);
        double work = Work(node);
        if (work > limits.MaxIterations)
            throw new ExpressionException($"the sums and products of this expression run up to {work:0} iterations per evaluation; the limit is {limits.MaxIterations}", text, 0);
        return node;
    }

    public static IEnumerable<string> FunctionNames => s_functions.Keys;

    private ExpressionException Error(int position, string message) => ExpressionException.At(_text, position, message);

    private string KnownNames()
    {
        IEnumerable<string> names = _context.KnownNames.Concat(_scope.Select(v => v.Name)).Append("pi");
        return string.Join(", ", names);
    }

    private IndexVariable? FindIndex(string name)
    {
        for (int i = _scope.Count - 1; i >= 0; i--)
        {
            if (_scope[i].Name == name) return _scope[i];
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------------------- values

    private BoundNode Value(SyntaxNode syntax)
    {
        BoundNode node = syntax switch
        {
            NumberSyntax n => new BoundConstant(n.Position, n.Value),
            NameSyntax n => Name(n),
            IndexSyntax n => Indexed(n),
            NegateSyntax n => new BoundNegate(n.Position, Value(n.Operand)),
            AddSyntax n => new BoundAdd(n.Position, n.Terms.Select(t => Value(t.Term)).ToArray(), n.Terms.Select(t => t.Subtract).ToArray()),
            MultiplySyntax n => new BoundMultiply(n.Position, n.Factors.Select(f => Value(f.Factor)).ToArray(), n.Factors.Select(f => f.Divide).ToArray()),
            PowerSyntax n => new BoundPower(n.Position, Value(n.Base), Value(n.Exponent)),
            CallSyntax n => Call(n),
            CompareSyntax n => throw Error(n.Position, "a comparison can only be the condition of if(condition, a, b)"),
            LogicalSyntax n => throw Error(n.Position, $"'{(n.IsAnd ? "and" : "or")}' can only join the conditions of if(condition, a, b)"),
            _ => throw new InvalidOperationException($"unknown syntax node {syntax.GetType().Name}. This is a bug in Ordo.Expressions."),
        };
        return Fold(node);
    }

    /// <summary>Replaces a constant subtree by its value.</summary>
    private static BoundNode Fold(BoundNode node) =>
        node is not BoundConstant && node.IsConstant ? new BoundConstant(node.Position, ConstantEvaluator.Evaluate(node)) : node;

    private BoundNode Name(NameSyntax n)
    {
        string name = n.Name;
        if (FindIndex(name) is IndexVariable index) return new BoundIndexValue(n.Position, new IndexVariableReference(index));
        if (_context.TryGetParameter(name, out double value)) return new BoundConstant(n.Position, value);
        if (name == "pi") return new BoundConstant(n.Position, Math.PI);
        if (name == _context.TimeName) return new BoundTime(n.Position);
        if (_context.TryGetVariable(name, out VariableSymbol v))
        {
            if (v.IsVector) throw Error(n.Position, $"'{name}' is a vector of {v.Length} components; index it from 1, as {name}[1] … {name}[{v.Length}]");
            return new BoundVariable(n.Position, v.Offset);
        }
        if (_context.TryGetData(name, out double[] data)) throw Error(n.Position, $"'{name}' is a data array of {data.Length} values; index it from 1, as {name}[1] … {name}[{data.Length}]");
        if (s_functions.ContainsKey(name) || name is "if" or "sum" or "prod") throw Error(n.Position, $"'{name}' is a function; call it as {name}(…)");
        throw Error(n.Position, $"unknown name '{name}'; known names: {KnownNames()}");
    }

    private BoundNode Indexed(IndexSyntax n)
    {
        string name = n.Name;
        if (_context.TryGetVariable(name, out VariableSymbol v))
        {
            if (!v.IsVector) throw Error(n.Position, $"'{name}' is a scalar variable and cannot be indexed");
            BoundIndex index = Index(n.Index, $"the index of '{name}'");
            CheckRange(n.Index.Position, name, index, v.Length);
            return index is IndexConstant c
                ? new BoundVariable(n.Position, v.Offset + (int)c.Value - 1)
                : new BoundVectorElement(n.Position, v.Offset, v.Length, index);
        }
        if (_context.TryGetData(name, out double[] data))
        {
            BoundIndex index = Index(n.Index, $"the index of '{name}'");
            CheckRange(n.Index.Position, name, index, data.Length);
            return index is IndexConstant c ? new BoundConstant(n.Position, data[c.Value - 1]) : new BoundDataElement(n.Position, data, index);
        }
        if (_context.TryGetParameter(name, out _) || name == _context.TimeName || FindIndex(name) is not null || name == "pi")
            throw Error(n.Position, $"'{name}' is a scalar and cannot be indexed");
        throw Error(n.Position, $"unknown name '{name}'; known names: {KnownNames()}");
    }

    private void CheckRange(int position, string name, BoundIndex index, int length)
    {
        if (index.Min >= 1 && index.Max <= length) return;
        // The interval bound treats the sum indices as independent; when they are not (sum(j, 1, i, x[i − j + 1]), or an
        // empty range), enumerate the index's actual values, as long as that is cheap.
        (long min, long max, bool any, bool exact) = Enumerate(index);
        if (exact && (!any || (min >= 1 && max <= length))) return;
        if (!exact) (min, max) = (index.Min, index.Max);
        string values = min == max ? $"is {min}" : $"takes values {min} … {max}";
        throw Error(position, $"index out of range: '{name}' has {length} components, indexed from 1, but the index {values}");
    }

    /// <summary>The exact smallest and largest value of an index over every combination of the sum indices in scope
    /// (their bounds may depend on outer indices); exact = false when there are more than a million combinations.</summary>
    private (long Min, long Max, bool Any, bool Exact) Enumerate(BoundIndex index)
    {
        const long budget = 1_000_000;
        var values = new Dictionary<IndexVariable, long>();
        long min = long.MaxValue, max = long.MinValue, visited = 0;
        bool any = false;

        bool Walk(int depth)
        {
            if (depth == _scope.Count)
            {
                long v = EvaluateIndex(index, values);
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                any = true;
                return ++visited <= budget;
            }
            IndexVariable variable = _scope[depth];
            long from = EvaluateIndex(variable.From, values), to = EvaluateIndex(variable.To, values);
            for (long k = from; k <= to; k++)
            {
                values[variable] = k;
                if (!Walk(depth + 1)) return false;
            }
            return ++visited <= budget;
        }

        bool exact = Walk(0);
        return (min, max, any, exact);
    }

    private static long EvaluateIndex(BoundIndex index, Dictionary<IndexVariable, long> values) => index switch
    {
        IndexConstant c => c.Value,
        IndexVariableReference r => values[r.Variable],
        IndexArithmetic a => a.Operator switch
        {
            '+' => EvaluateIndex(a.Left, values) + EvaluateIndex(a.Right, values),
            '-' => EvaluateIndex(a.Left, values) - EvaluateIndex(a.Right, values),
            _ => EvaluateIndex(a.Left, values) * EvaluateIndex(a.Right, values),
        },
        _ => throw new InvalidOperationException("unknown index node. This is a bug in Ordo.Expressions."),
    };

    private BoundNode Call(CallSyntax n)
    {
        switch (n.Name)
        {
            case "if":
                if (n.Arguments.Count != 3) throw Error(n.Position, $"if takes 3 arguments (condition, value if true, value if false) but was given {n.Arguments.Count}");
                BoundCondition condition = Condition(n.Arguments[0]);
                BoundNode whenTrue = Value(n.Arguments[1]), whenFalse = Value(n.Arguments[2]);
                if (condition.IsConstant) return ConstantEvaluator.Evaluate(condition) ? whenTrue : whenFalse;
                return new BoundIf(n.Position, condition, whenTrue, whenFalse);
            case "sum":
            case "prod":
                return Reduction(n);
        }
        if (!s_functions.TryGetValue(n.Name, out var f))
        {
            if (_context.IsName(n.Name) || FindIndex(n.Name) is not null)
                throw Error(n.Position, $"'{n.Name}' is not a function; to index it write {n.Name}[i]");
            throw Error(n.Position, $"unknown function '{n.Name}'; known functions: {string.Join(", ", s_functions.Keys)}, if, sum, prod");
        }
        if (n.Arguments.Count < f.MinArgs || n.Arguments.Count > f.MaxArgs)
        {
            string expected = f.MinArgs == f.MaxArgs ? $"{f.MinArgs}" : $"at least {f.MinArgs}";
            throw Error(n.Position, $"{n.Name} takes {expected} argument{(f.MinArgs == 1 && f.MaxArgs == 1 ? "" : "s")} but was given {n.Arguments.Count}");
        }
        BoundNode[] args = n.Arguments.Select(Value).ToArray();
        return f.Function == Function.Pow ? new BoundPower(n.Position, args[0], args[1]) : new BoundCall(n.Position, f.Function, args);
    }

    private BoundNode Reduction(CallSyntax n)
    {
        if (n.Arguments.Count != 4)
            throw Error(n.Position, $"{n.Name} takes 4 arguments ({n.Name}(i, from, to, expression)) but was given {n.Arguments.Count}");
        if (n.Arguments[0] is not NameSyntax indexName)
            throw Error(n.Arguments[0].Position, $"the first argument of {n.Name} must be the name of its index, e.g. {n.Name}(i, 1, n, x[i])");
        string name = indexName.Name;
        if (_context.IsName(name) || FindIndex(name) is not null || ExpressionContext.IsReserved(name))
            throw Error(indexName.Position, $"the index name '{name}' is already taken; choose a name that is not a variable, parameter, data array, function or outer index");
        BoundIndex from = Index(n.Arguments[1], $"the lower bound of {n.Name}");
        BoundIndex to = Index(n.Arguments[2], $"the upper bound of {n.Name}");
        var variable = new IndexVariable(name, from, to);
        _scope.Add(variable);
        BoundNode body = Value(n.Arguments[3]);
        _scope.RemoveAt(_scope.Count - 1);
        if (variable.Max < variable.Min && from is IndexConstant && to is IndexConstant)
            return new BoundConstant(n.Position, n.Name == "prod" ? 1 : 0);   // empty range
        // The loop runs on a 32-bit counter and stops once it passes the upper bound: bounds outside the int range would
        // wrap (and could run a loop the work estimate above calls empty), and an upper bound of int.MaxValue would
        // never be passed.
        if (from.Min < int.MinValue || from.Max > int.MaxValue)
            throw Error(n.Arguments[1].Position, $"the lower bound of {n.Name} must lie between {int.MinValue} and {int.MaxValue}");
        if (to.Min < int.MinValue || to.Max > int.MaxValue - 1)
            throw Error(n.Arguments[2].Position, $"the upper bound of {n.Name} must lie between {int.MinValue} and {int.MaxValue - 1}");
        return new BoundReduction(n.Position, n.Name == "prod", variable, body);
    }

    // ---------------------------------------------------------------------------------------------------- conditions

    private BoundCondition Condition(SyntaxNode syntax) => syntax switch
    {
        CompareSyntax c => new BoundCompare(c.Position, c.Operator, Value(c.Left), Value(c.Right)),
        LogicalSyntax l => new BoundLogical(l.Position, l.IsAnd, l.Operands.Select(Condition).ToArray()),
        _ => throw Error(syntax.Position, "the condition of if(…) must be a comparison such as x < 1, or comparisons joined by 'and'/'or'"),
    };

    // ---------------------------------------------------------------------------------------------------- integer indices

    private static bool UsesIndexVariable(SyntaxNode syntax, Binder binder) => syntax switch
    {
        NameSyntax n => binder.FindIndex(n.Name) is not null,
        NumberSyntax => false,
        NegateSyntax n => UsesIndexVariable(n.Operand, binder),
        AddSyntax n => n.Terms.Any(t => UsesIndexVariable(t.Term, binder)),
        MultiplySyntax n => n.Factors.Any(f => UsesIndexVariable(f.Factor, binder)),
        PowerSyntax n => UsesIndexVariable(n.Base, binder) || UsesIndexVariable(n.Exponent, binder),
        CallSyntax n => n.Arguments.Any(a => UsesIndexVariable(a, binder)),
        IndexSyntax n => UsesIndexVariable(n.Index, binder),
        CompareSyntax n => UsesIndexVariable(n.Left, binder) || UsesIndexVariable(n.Right, binder),
        LogicalSyntax n => n.Operands.Any(o => UsesIndexVariable(o, binder)),
        _ => false,
    };

    /// <summary>Binds an integer expression: either constant (numbers, parameters, any arithmetic; the value must be an
    /// integer), or built from sum indices and integers with + − * only.</summary>
    private BoundIndex Index(SyntaxNode syntax, string what)
    {
        if (!UsesIndexVariable(syntax, this))
        {
            BoundNode value = Value(syntax);
            if (value is not BoundConstant c)
                throw Error(syntax.Position, $"{what} may use only numbers, parameters and sum indices, not variables or time");
            return ToInteger(syntax.Position, c.Value, what);
        }
        return syntax switch
        {
            NameSyntax n => new IndexVariableReference(FindIndex(n.Name)!),
            NegateSyntax n => Arithmetic(n.Position, '-', new IndexConstant(0), Index(n.Operand, what)),
            AddSyntax n => n.Terms.Skip(1).Aggregate(Index(n.Terms[0].Term, what),
                (acc, t) => Arithmetic(t.Term.Position, t.Subtract ? '-' : '+', acc, Index(t.Term, what))),
            MultiplySyntax n when n.Factors.All(f => !f.Divide) => n.Factors.Skip(1).Aggregate(Index(n.Factors[0].Factor, what),
                (acc, f) => Arithmetic(f.Factor.Position, '*', acc, Index(f.Factor, what))),
            _ => throw Error(syntax.Position, $"{what} uses a sum index, so it may use only + - * and integers (no division, powers or functions), to stay an integer"),
        };
    }

    private IndexConstant ToInteger(int position, double value, string what)
    {
        if (value != Math.Floor(value) || Math.Abs(value) > 1e15)
            throw Error(position, $"{what} must be an integer but is {value}");
        return new IndexConstant((long)value);
    }

    private IndexArithmetic Arithmetic(int position, char op, BoundIndex left, BoundIndex right)
    {
        try
        {
            (long min, long max) = op switch
            {
                '+' => (checked(left.Min + right.Min), checked(left.Max + right.Max)),
                '-' => (checked(left.Min - right.Max), checked(left.Max - right.Min)),
                _ => Corners(left, right),
            };
            if (Math.Abs(min) > int.MaxValue || Math.Abs(max) > int.MaxValue)
                throw Error(position, "an index takes values beyond the range of 32-bit integers");
            return new IndexArithmetic(op, left, right, min, max);
        }
        catch (OverflowException)
        {
            throw Error(position, "an index takes values beyond the range of 64-bit integers");
        }
    }

    private static (long, long) Corners(BoundIndex a, BoundIndex b)
    {
        long p1 = checked(a.Min * b.Min), p2 = checked(a.Min * b.Max), p3 = checked(a.Max * b.Min), p4 = checked(a.Max * b.Max);
        return (Math.Min(Math.Min(p1, p2), Math.Min(p3, p4)), Math.Max(Math.Max(p1, p2), Math.Max(p3, p4)));
    }

    /// <summary>Upper bound of the loop iterations one evaluation runs (nested ranges multiplied).</summary>
    private static double Work(BoundNode node) => node switch
    {
        BoundReduction r => Math.Max(0, r.Variable.Max - r.Variable.Min + 1) * (1 + Work(r.Body)),
        BoundNegate n => Work(n.Operand),
        BoundAdd n => n.Terms.Sum(Work),
        BoundMultiply n => n.Factors.Sum(Work),
        BoundPower n => Work(n.Base) + Work(n.Exponent),
        BoundCall n => n.Arguments.Sum(Work),
        BoundIf n => Work(n.Condition) + Math.Max(Work(n.WhenTrue), Work(n.WhenFalse)),
        _ => 0,
    };

    private static double Work(BoundCondition condition) => condition switch
    {
        BoundCompare c => Work(c.Left) + Work(c.Right),
        BoundLogical l => l.Operands.Sum(Work),
        _ => 0,
    };
}
