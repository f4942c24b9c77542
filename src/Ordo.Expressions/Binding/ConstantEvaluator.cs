using Ordo.Expressions.Codegen;
using Ordo.Expressions.Syntax;

namespace Ordo.Expressions.Binding;

/// <summary>Evaluates constant subtrees at compile time with the same <see cref="Functions"/> the compiled code calls,
/// so folding never changes a result.</summary>
internal static class ConstantEvaluator
{
    public static double Evaluate(BoundNode node) => node switch
    {
        BoundConstant c => c.Value,
        BoundNegate n => -Evaluate(n.Operand),
        BoundAdd n => Add(n),
        BoundMultiply n => Multiply(n),
        BoundPower n => n.Exponent is BoundConstant c && Functions.IsSpecialExponent(c.Value)
            ? Functions.PowConstant(Evaluate(n.Base), c.Value)
            : Functions.Pow(Evaluate(n.Base), Evaluate(n.Exponent)),
        BoundCall n => Call(n),
        BoundIf n => Evaluate(n.Condition) ? Evaluate(n.WhenTrue) : Evaluate(n.WhenFalse),
        _ => throw new InvalidOperationException($"{node.GetType().Name} is not constant. This is a bug in Ordo.Expressions."),
    };

    private static double Add(BoundAdd n)
    {
        double acc = n.Subtract[0] ? -Evaluate(n.Terms[0]) : Evaluate(n.Terms[0]);
        for (int i = 1; i < n.Terms.Length; i++) acc = n.Subtract[i] ? acc - Evaluate(n.Terms[i]) : acc + Evaluate(n.Terms[i]);
        return acc;
    }

    private static double Multiply(BoundMultiply n)
    {
        double acc = Evaluate(n.Factors[0]);
        if (n.Divide[0]) acc = 1 / acc;
        for (int i = 1; i < n.Factors.Length; i++) acc = n.Divide[i] ? acc / Evaluate(n.Factors[i]) : acc * Evaluate(n.Factors[i]);
        return acc;
    }

    private static double Call(BoundCall n)
    {
        double[] a = n.Arguments.Select(Evaluate).ToArray();
        return n.Function switch
        {
            Function.Sin => Functions.Sin(a[0]),
            Function.Cos => Functions.Cos(a[0]),
            Function.Tan => Functions.Tan(a[0]),
            Function.Asin => Functions.Asin(a[0]),
            Function.Acos => Functions.Acos(a[0]),
            Function.Atan => Functions.Atan(a[0]),
            Function.Atan2 => Functions.Atan2(a[0], a[1]),
            Function.Sinh => Functions.Sinh(a[0]),
            Function.Cosh => Functions.Cosh(a[0]),
            Function.Tanh => Functions.Tanh(a[0]),
            Function.Exp => Functions.Exp(a[0]),
            Function.Log => Functions.Log(a[0]),
            Function.Log10 => Functions.Log10(a[0]),
            Function.Sqrt => Functions.Sqrt(a[0]),
            Function.Abs => Functions.Abs(a[0]),
            Function.Sign => Functions.Sign(a[0]),
            Function.Min => a.Aggregate(Functions.Min),
            Function.Max => a.Aggregate(Functions.Max),
            _ => throw new InvalidOperationException($"cannot fold {n.Function}. This is a bug in Ordo.Expressions."),
        };
    }

    public static bool Evaluate(BoundCondition condition) => condition switch
    {
        BoundCompare c => Compare(c.Operator, Evaluate(c.Left), Evaluate(c.Right)),
        BoundLogical l => l.IsAnd ? l.Operands.All(Evaluate) : l.Operands.Any(Evaluate),
        _ => throw new InvalidOperationException("unknown condition. This is a bug in Ordo.Expressions."),
    };

    public static bool Compare(CompareOperator op, double a, double b) => op switch
    {
        CompareOperator.Less => a < b,
        CompareOperator.LessEqual => a <= b,
        CompareOperator.Greater => a > b,
        CompareOperator.GreaterEqual => a >= b,
        CompareOperator.Equal => a == b,
        _ => a != b,
    };
}
