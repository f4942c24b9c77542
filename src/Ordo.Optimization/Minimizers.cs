namespace Ordo.Optimization;

/// <summary>A registry entry: a method's name, what it needs, its source, and a factory.</summary>
/// <param name="Name">Registry name, lower case (what <c>ordo solve --method</c> takes).</param>
/// <param name="DisplayName">The method's name as its paper or book gives it.</param>
/// <param name="Family">"first-order", "second-order", "least-squares", "zeroth-order" or "auto".</param>
/// <param name="Requires">What the objective must provide.</param>
/// <param name="SupportsBounds">True when the method honours bounds.</param>
/// <param name="Source">The paper or book the implementation follows.</param>
/// <param name="Create">Creates the method with its default parameters.</param>
public sealed record MinimizerInfo(string Name, string DisplayName, string Family, ObjectiveCapabilities Requires,
    bool SupportsBounds, string Source, Func<IMinimizer> Create);

/// <summary>
/// Every minimization method by name. Each family registers itself in its own file (a partial method), so adding a
/// method touches one place.
/// </summary>
public static partial class Minimizers
{
    private static readonly Lazy<IReadOnlyList<MinimizerInfo>> s_all = new(Build);

    /// <summary>All methods, in registration order.</summary>
    public static IReadOnlyList<MinimizerInfo> All => s_all.Value;

    /// <summary>The names of all methods.</summary>
    public static IEnumerable<string> Names => All.Select(m => m.Name);

    /// <summary>The entry of <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static MinimizerInfo Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var m in All)
            if (string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase)) return m;
        throw new ArgumentException($"Unknown minimization method '{name}'. Known methods: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>A new instance of method <paramref name="name"/> with default parameters.</summary>
    public static IMinimizer Create(string name) => Find(name).Create();

    private static IReadOnlyList<MinimizerInfo> Build()
    {
        var list = new List<MinimizerInfo>
        {
            new("gd", "Gradient descent (steepest descent) with backtracking", "first-order",
                ObjectiveCapabilities.Value | ObjectiveCapabilities.Gradient, false,
                "Cauchy (1847); Nocedal & Wright, Numerical Optimization, 2nd ed., §3.5", () => new GradientDescent()),
        };
        AddLineSearchMethods(list);
        AddMomentumMethods(list);
        AddBoundConstrainedMethods(list);
        AddSecondOrderMethods(list);
        AddLeastSquaresMethods(list);
        AddZerothOrderMethods(list);
        AddAutomatic(list);
        return list;
    }

    /// <summary>cg, bfgs, lbfgs (FirstOrder/).</summary>
    static partial void AddLineSearchMethods(List<MinimizerInfo> list);

    /// <summary>nesterov, polyak-momentum, adagrad-norm (FirstOrder/).</summary>
    static partial void AddMomentumMethods(List<MinimizerInfo> list);

    /// <summary>lbfgsb (Bounded/).</summary>
    static partial void AddBoundConstrainedMethods(List<MinimizerInfo> list);

    /// <summary>newton, damped-newton, lazy-newton, trust-region (SecondOrder/).</summary>
    static partial void AddSecondOrderMethods(List<MinimizerInfo> list);

    /// <summary>lm, gauss-newton (LeastSquares/).</summary>
    static partial void AddLeastSquaresMethods(List<MinimizerInfo> list);

    /// <summary>nelder-mead, zo-two-point (ZerothOrder/).</summary>
    static partial void AddZerothOrderMethods(List<MinimizerInfo> list);

    /// <summary>auto.</summary>
    static partial void AddAutomatic(List<MinimizerInfo> list);
}
