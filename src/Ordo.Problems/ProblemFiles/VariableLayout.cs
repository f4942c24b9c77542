using Ordo.Expressions;

namespace Ordo.Problems.ProblemFiles;

/// <summary>
/// How the unknowns of a problem file are named: a list of scalar names (<c>["x", "v"]</c>) or one vector
/// (<c>{"y": 20}</c>, components <c>y[1]</c> … <c>y[20]</c>). Component i (0-based) of the flat vector the solvers
/// see is the i-th name, or <c>y[i+1]</c>.
/// </summary>
public sealed class VariableLayout
{
    private readonly string[] _names;

    private VariableLayout(string[] names, string? vectorName, int dimension)
    {
        _names = names;
        VectorName = vectorName;
        Dimension = dimension;
    }

    /// <summary>Scalar variables with these names, in order.</summary>
    public static VariableLayout Scalars(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0) throw new ArgumentException("at least one name is needed.", nameof(names));
        return new VariableLayout([.. names], null, names.Count);
    }

    /// <summary>One vector variable of <paramref name="length"/> components.</summary>
    public static VariableLayout Vector(string name, int length)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return new VariableLayout([], name, length);
    }

    /// <summary>Number of components.</summary>
    public int Dimension { get; }

    /// <summary>Name of the vector variable, or null for scalar names.</summary>
    public string? VectorName { get; }

    /// <summary>True for one vector variable (<c>{"y": n}</c>).</summary>
    public bool IsVector => VectorName is not null;

    /// <summary>The names the expressions use: the scalar names, or the vector's name.</summary>
    public IReadOnlyList<string> Names => VectorName is null ? _names : [VectorName];

    /// <summary>How component <paramref name="index"/> (0-based) is written in an expression: <c>v</c> or <c>y[3]</c>.</summary>
    public string ComponentName(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Dimension);
        return VectorName is null ? _names[index] : $"{VectorName}[{index + 1}]";
    }

    /// <summary>Declares the variables in <paramref name="context"/>, in order.</summary>
    public void AddTo(ExpressionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (VectorName is not null) context.AddVectorVariable(VectorName, Dimension);
        else foreach (string n in _names) context.AddVariable(n);
    }

    /// <inheritdoc/>
    public override string ToString() => VectorName is null ? string.Join(", ", _names) : $"{VectorName}[1..{Dimension}]";
}
