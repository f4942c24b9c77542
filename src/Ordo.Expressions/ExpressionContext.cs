namespace Ordo.Expressions;

/// <summary>
/// What the names in an expression mean: variables (scalars, or vectors indexed from 1), the time variable of an ODE,
/// parameters (constants baked into the compiled code) and data arrays (indexed from 1). Variables are laid out in the
/// order they are added: scalars take one slot, a vector of length n takes n consecutive slots, and that flat layout
/// is the one the compiled functions read (<c>x</c>) and differentiate against.
/// </summary>
/// <example><code>
/// var context = new ExpressionContext().AddVariable("x").AddVariable("v").AddTime("t").AddParameter("mu", 1.5);
/// CompiledVectorFunction f = ExpressionCompiler.CompileVector(["v", "mu*(1 - x^2)*v - x"], context);
/// </code></example>
public sealed class ExpressionContext
{
    private static readonly HashSet<string> s_reserved =
    [
        "if", "sum", "prod", "and", "or", "pi",
        "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh",
        "exp", "log", "log10", "sqrt", "abs", "pow", "min", "max", "sign",
    ];

    private readonly List<VariableSymbol> _variables = [];
    private readonly Dictionary<string, double> _parameters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> _data = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Total number of variable slots (the length of <c>x</c>).</summary>
    public int Dimension { get; private set; }

    /// <summary>Name of the time variable, or null when expressions have none.</summary>
    public string? TimeName { get; private set; }

    /// <summary>Adds a scalar variable (one slot).</summary>
    public ExpressionContext AddVariable(string name)
    {
        Claim(name);
        _variables.Add(new VariableSymbol(name, Dimension, 1, false));
        Dimension++;
        return this;
    }

    /// <summary>Adds a vector variable of <paramref name="length"/> slots, indexed <c>name[1]</c> … <c>name[length]</c>.</summary>
    public ExpressionContext AddVectorVariable(string name, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Claim(name);
        _variables.Add(new VariableSymbol(name, Dimension, length, true));
        Dimension += length;
        return this;
    }

    /// <summary>Declares the time variable (for ODE right-hand sides; default name <c>t</c>).</summary>
    public ExpressionContext AddTime(string name = "t")
    {
        if (TimeName is not null) throw new ArgumentException($"the time variable is already '{TimeName}'.", nameof(name));
        Claim(name);
        TimeName = name;
        return this;
    }

    /// <summary>Adds a parameter: a finite constant, folded into the compiled code.</summary>
    public ExpressionContext AddParameter(string name, double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"parameter '{name}' must be finite but is {value}.", nameof(value));
        Claim(name);
        _parameters[name] = value;
        return this;
    }

    /// <summary>Adds a data array (copied), indexed <c>name[1]</c> … <c>name[n]</c>.</summary>
    public ExpressionContext AddData(string name, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0) throw new ArgumentException($"data array '{name}' is empty.", nameof(values));
        for (int i = 0; i < values.Count; i++)
        {
            if (!double.IsFinite(values[i])) throw new ArgumentException($"data array '{name}' has a non-finite value at index {i + 1}.", nameof(values));
        }
        Claim(name);
        _data[name] = [.. values];
        return this;
    }

    /// <summary>Every name an expression may use, for error messages.</summary>
    public IEnumerable<string> KnownNames =>
        _variables.Select(v => v.Name).Concat(TimeName is null ? [] : [TimeName]).Concat(_parameters.Keys).Concat(_data.Keys);

    internal IReadOnlyList<VariableSymbol> Variables => _variables;

    internal bool TryGetVariable(string name, out VariableSymbol variable)
    {
        foreach (VariableSymbol v in _variables)
        {
            if (v.Name == name)
            {
                variable = v;
                return true;
            }
        }
        variable = default;
        return false;
    }

    internal bool TryGetParameter(string name, out double value) => _parameters.TryGetValue(name, out value);

    internal bool TryGetData(string name, out double[] values) => _data.TryGetValue(name, out values!);

    internal bool IsName(string name) => _names.Contains(name);

    internal static bool IsReserved(string name) => s_reserved.Contains(name);

    private void Claim(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            throw new ArgumentException($"'{name}' is not a valid name: use letters, digits and '_', starting with a letter.", nameof(name));
        if (s_reserved.Contains(name))
            throw new ArgumentException($"'{name}' is a reserved word of the expression language and cannot be a name.", nameof(name));
        if (!_names.Add(name))
            throw new ArgumentException($"the name '{name}' is defined twice.", nameof(name));
    }
}

/// <summary>A variable: a scalar or a vector occupying <see cref="Length"/> consecutive slots from <see cref="Offset"/>.</summary>
internal readonly record struct VariableSymbol(string Name, int Offset, int Length, bool IsVector);
