using Ordo.Expressions.Syntax;

namespace Ordo.Expressions.Binding;

/// <summary>A typed, resolved value node. <see cref="DependsOnVariables"/> says whether its derivative can be nonzero.</summary>
internal abstract class BoundNode(int position)
{
    public int Position { get; } = position;

    /// <summary>True when the value depends on a variable (so reverse mode must visit it).</summary>
    public abstract bool DependsOnVariables { get; }

    /// <summary>True when the value is the same every time (no variable, time or sum index): foldable.</summary>
    public abstract bool IsConstant { get; }
}

internal sealed class BoundConstant(int position, double value) : BoundNode(position)
{
    public double Value { get; } = value;
    public override bool DependsOnVariables => false;
    public override bool IsConstant => true;
}

/// <summary>Slot <see cref="Slot"/> of the variable vector: a scalar variable.</summary>
internal sealed class BoundVariable(int position, int slot) : BoundNode(position)
{
    public int Slot { get; } = slot;
    public override bool DependsOnVariables => true;
    public override bool IsConstant => false;
}

/// <summary><c>x[index]</c> of a vector variable occupying slots <see cref="Offset"/> … Offset + Length − 1.</summary>
internal sealed class BoundVectorElement(int position, int offset, int length, BoundIndex index) : BoundNode(position)
{
    public int Offset { get; } = offset;
    public int Length { get; } = length;
    public BoundIndex Index { get; } = index;
    public override bool DependsOnVariables => true;
    public override bool IsConstant => false;
}

/// <summary><c>data[index]</c> with a sum index inside (a constant index is folded to a constant).</summary>
internal sealed class BoundDataElement(int position, double[] values, BoundIndex index) : BoundNode(position)
{
    public double[] Values { get; } = values;
    public BoundIndex Index { get; } = index;
    public override bool DependsOnVariables => false;
    public override bool IsConstant => false;
}

internal sealed class BoundTime(int position) : BoundNode(position)
{
    public override bool DependsOnVariables => false;
    public override bool IsConstant => false;
}

/// <summary>The value of a sum index, as a number.</summary>
internal sealed class BoundIndexValue(int position, BoundIndex index) : BoundNode(position)
{
    public BoundIndex Index { get; } = index;
    public override bool DependsOnVariables => false;
    public override bool IsConstant => false;
}

internal sealed class BoundNegate(int position, BoundNode operand) : BoundNode(position)
{
    public BoundNode Operand { get; } = operand;
    public override bool DependsOnVariables => Operand.DependsOnVariables;
    public override bool IsConstant => Operand.IsConstant;
}

/// <summary>Σ ± termᵢ.</summary>
internal sealed class BoundAdd(int position, BoundNode[] terms, bool[] subtract) : BoundNode(position)
{
    public BoundNode[] Terms { get; } = terms;
    public bool[] Subtract { get; } = subtract;
    public override bool DependsOnVariables => Terms.Any(t => t.DependsOnVariables);
    public override bool IsConstant => Terms.All(t => t.IsConstant);
}

/// <summary>Π factorᵢ^(±1), left to right: ((f₀ · f₁) / f₂) …</summary>
internal sealed class BoundMultiply(int position, BoundNode[] factors, bool[] divide) : BoundNode(position)
{
    public BoundNode[] Factors { get; } = factors;
    public bool[] Divide { get; } = divide;
    public override bool DependsOnVariables => Factors.Any(t => t.DependsOnVariables);
    public override bool IsConstant => Factors.All(t => t.IsConstant);
}

internal sealed class BoundPower(int position, BoundNode @base, BoundNode exponent) : BoundNode(position)
{
    public BoundNode Base { get; } = @base;
    public BoundNode Exponent { get; } = exponent;
    public override bool DependsOnVariables => Base.DependsOnVariables || Exponent.DependsOnVariables;
    public override bool IsConstant => Base.IsConstant && Exponent.IsConstant;
}

internal enum Function
{
    Sin, Cos, Tan, Asin, Acos, Atan, Atan2, Sinh, Cosh, Tanh, Exp, Log, Log10, Sqrt, Abs, Pow, Min, Max, Sign,
}

internal sealed class BoundCall(int position, Function function, BoundNode[] arguments) : BoundNode(position)
{
    public Function Function { get; } = function;
    public BoundNode[] Arguments { get; } = arguments;
    public override bool DependsOnVariables => Arguments.Any(a => a.DependsOnVariables);
    public override bool IsConstant => Arguments.All(a => a.IsConstant);
}

internal sealed class BoundIf(int position, BoundCondition condition, BoundNode whenTrue, BoundNode whenFalse) : BoundNode(position)
{
    public BoundCondition Condition { get; } = condition;
    public BoundNode WhenTrue { get; } = whenTrue;
    public BoundNode WhenFalse { get; } = whenFalse;
    public override bool DependsOnVariables => WhenTrue.DependsOnVariables || WhenFalse.DependsOnVariables;
    public override bool IsConstant => Condition.IsConstant && WhenTrue.IsConstant && WhenFalse.IsConstant;
}

/// <summary><c>sum(i, from, to, body)</c> or <c>prod(…)</c>, compiled to a loop.</summary>
internal sealed class BoundReduction(int position, bool isProduct, IndexVariable variable, BoundNode body) : BoundNode(position)
{
    public bool IsProduct { get; } = isProduct;
    public IndexVariable Variable { get; } = variable;
    public BoundNode Body { get; } = body;
    public override bool DependsOnVariables => Body.DependsOnVariables;
    public override bool IsConstant => false;
}

/// <summary>A boolean condition of <c>if</c>.</summary>
internal abstract class BoundCondition(int position)
{
    public int Position { get; } = position;
    public abstract bool IsConstant { get; }
}

internal sealed class BoundCompare(int position, CompareOperator op, BoundNode left, BoundNode right) : BoundCondition(position)
{
    public CompareOperator Operator { get; } = op;
    public BoundNode Left { get; } = left;
    public BoundNode Right { get; } = right;
    public override bool IsConstant => Left.IsConstant && Right.IsConstant;
}

internal sealed class BoundLogical(int position, bool isAnd, BoundCondition[] operands) : BoundCondition(position)
{
    public bool IsAnd { get; } = isAnd;
    public BoundCondition[] Operands { get; } = operands;
    public override bool IsConstant => Operands.All(o => o.IsConstant);
}

/// <summary>The index of a sum or product: an integer that runs from <see cref="From"/> to <see cref="To"/>.</summary>
internal sealed class IndexVariable(string name, BoundIndex from, BoundIndex to)
{
    public string Name { get; } = name;
    public BoundIndex From { get; } = from;
    public BoundIndex To { get; } = to;

    /// <summary>Smallest value the index can take (from the bounds' ranges).</summary>
    public long Min => From.Min;

    /// <summary>Largest value the index can take.</summary>
    public long Max => To.Max;
}

/// <summary>An integer expression (an index or a sum bound) with the range of values it can take.</summary>
internal abstract class BoundIndex(long min, long max)
{
    public long Min { get; } = min;
    public long Max { get; } = max;
}

internal sealed class IndexConstant(long value) : BoundIndex(value, value)
{
    public long Value { get; } = value;
}

internal sealed class IndexVariableReference(IndexVariable variable) : BoundIndex(variable.Min, variable.Max)
{
    public IndexVariable Variable { get; } = variable;
}

internal sealed class IndexArithmetic(char op, BoundIndex left, BoundIndex right, long min, long max) : BoundIndex(min, max)
{
    /// <summary>'+', '-' or '*'.</summary>
    public char Operator { get; } = op;
    public BoundIndex Left { get; } = left;
    public BoundIndex Right { get; } = right;
}
