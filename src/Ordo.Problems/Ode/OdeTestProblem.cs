using Ordo.Integration;

namespace Ordo.Problems;

/// <summary>
/// A reference initial value problem with a trustworthy answer: the right-hand side, its data, and the reference
/// state at the final time (closed form or an extended-precision computation; see <see cref="ReferenceSource"/>).
/// </summary>
public sealed class OdeTestProblem
{
    private readonly double[] _y0;
    private readonly double[]? _reference;

    /// <summary>Creates a test problem.</summary>
    public OdeTestProblem(string name, string category, string description, OdeFunction<double> rhs, double t0, double t1,
        double[] initialState, double[]? referenceFinal, string referenceSource, double suggestedAtolFactor,
        Func<double, double[]>? exact = null, string source = "", OdeJacobian<double>? jacobian = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(rhs);
        ArgumentNullException.ThrowIfNull(initialState);
        if (referenceFinal is not null && referenceFinal.Length != initialState.Length)
            throw new ArgumentException($"Problem {name}: the reference has {referenceFinal.Length} components but y0 has {initialState.Length}.", nameof(referenceFinal));
        Name = name;
        Category = category;
        Description = description;
        Rhs = rhs;
        T0 = t0;
        T1 = t1;
        _y0 = (double[])initialState.Clone();
        _reference = (double[]?)referenceFinal?.Clone();
        ReferenceSource = referenceSource;
        SuggestedAtolFactor = suggestedAtolFactor;
        Exact = exact;
        Source = source;
        Jacobian = jacobian;
    }

    /// <summary>Name, e.g. "DETEST_A1" or "Arenstorf".</summary>
    public string Name { get; }

    /// <summary>"nonstiff" or "stiff".</summary>
    public string Category { get; }

    /// <summary>One line describing the problem.</summary>
    public string Description { get; }

    /// <summary>Where the problem is defined (paper, test set).</summary>
    public string Source { get; }

    /// <summary>The right-hand side f(t, y).</summary>
    public OdeFunction<double> Rhs { get; }

    /// <summary>Number of state components.</summary>
    public int Dimension => _y0.Length;

    /// <summary>Initial time.</summary>
    public double T0 { get; }

    /// <summary>Final time.</summary>
    public double T1 { get; }

    /// <summary>Initial state.</summary>
    public ReadOnlySpan<double> InitialState => _y0;

    /// <summary>Reference state at <see cref="T1"/>, or null when none is known.</summary>
    public ReadOnlySpan<double> ReferenceFinal => _reference;

    /// <summary>True when <see cref="ReferenceFinal"/> is available.</summary>
    public bool HasReference => _reference is not null;

    /// <summary>Where the reference comes from and how accurate it is.</summary>
    public string ReferenceSource { get; }

    /// <summary>Benchmarks use atol = factor · rtol (1e-3 for most problems).</summary>
    public double SuggestedAtolFactor { get; }

    /// <summary>Closed-form solution y(t) for every t, when known (used by convergence and dense-output tests).</summary>
    public Func<double, double[]>? Exact { get; }

    /// <summary>The exact Jacobian ∂f/∂y (row-major), or null when the problem does not provide one (the non-stiff
    /// problems).</summary>
    public OdeJacobian<double>? Jacobian { get; }

    /// <summary>The problem as an <see cref="OdeProblem{T}"/> to hand to a solver (with <see cref="Jacobian"/>).</summary>
    public OdeProblem<double> ToProblem() => new(Rhs, _y0, T0, T1, Name) { Jacobian = Jacobian, IsAutonomous = IsAutonomous };

    /// <summary>True when f does not depend on t (passed on as <see cref="OdeProblem{T}.IsAutonomous"/>, so Rosenbrock
    /// methods skip ∂f/∂t). Set for the stiff problems other than RINGMOD; false (the safe answer) elsewhere.</summary>
    public bool IsAutonomous { get; internal set; }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
