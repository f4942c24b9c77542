using Ordo.Expressions;

namespace Ordo.Problems.ProblemFiles;

/// <summary>What problem files of kinds <c>minimize</c> and <c>least-squares</c> share: the variables, the starting
/// point, optional bounds and an optional reference.</summary>
public abstract class OptimizationProblemFile : ProblemFile
{
    private readonly double[] _x0;
    private readonly double[]? _lower;
    private readonly double[]? _upper;

    private protected OptimizationProblemFile(string file, string? name, IReadOnlyDictionary<string, double> parameters,
        IReadOnlyDictionary<string, IReadOnlyList<double>> data, VariableLayout variables, double[] x0,
        double[]? lower, double[]? upper, OptimizationReference? reference)
        : base(file, name, parameters, data)
    {
        Variables = variables;
        _x0 = x0;
        _lower = lower;
        _upper = upper;
        Reference = reference;
    }

    /// <inheritdoc/>
    public override int Dimension => Variables.Dimension;

    /// <summary>Names of the variables (the <c>variables</c> field).</summary>
    public VariableLayout Variables { get; }

    /// <summary>x0.</summary>
    public IReadOnlyList<double> InitialPoint => _x0;

    /// <summary>Lower bounds (−∞ where the file has <c>null</c>), or null when the file has no <c>lower</c>.</summary>
    public IReadOnlyList<double>? Lower => _lower;

    /// <summary>Upper bounds (+∞ where the file has <c>null</c>), or null when the file has no <c>upper</c>.</summary>
    public IReadOnlyList<double>? Upper => _upper;

    /// <summary>True when some variable has a finite bound.</summary>
    public bool HasBounds => (_lower?.Any(double.IsFinite) ?? false) || (_upper?.Any(double.IsFinite) ?? false);

    /// <summary>The known minimum, or null.</summary>
    public OptimizationReference? Reference { get; }

    /// <summary>The objective f(x) (for least-squares the plain sum of squares of the residuals).</summary>
    public abstract double Value(ReadOnlySpan<double> x);

    /// <summary>Returns f(x) and writes the exact gradient ∇f(x) into <paramref name="gradient"/>.</summary>
    public abstract double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient);
}

/// <summary>A problem file of kind <c>minimize</c>: minimize the compiled <c>objective</c>.</summary>
public sealed class MinimizeProblemFile : OptimizationProblemFile
{
    internal MinimizeProblemFile(string file, string? name, IReadOnlyDictionary<string, double> parameters,
        IReadOnlyDictionary<string, IReadOnlyList<double>> data, VariableLayout variables, CompiledScalarFunction objective,
        double[] x0, double[]? lower, double[]? upper, OptimizationReference? reference)
        : base(file, name, parameters, data, variables, x0, lower, upper, reference)
    {
        Objective = objective;
    }

    /// <inheritdoc/>
    public override string Kind => ProblemKinds.Minimize;

    /// <summary>The compiled objective with its exact gradient, Hessian–vector product and Hessian.</summary>
    public CompiledScalarFunction Objective { get; }

    /// <inheritdoc/>
    public override double Value(ReadOnlySpan<double> x) => Objective.Evaluate(x);

    /// <inheritdoc/>
    public override double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient) => Objective.ValueAndGradient(x, gradient);
}

/// <summary>A problem file of kind <c>least-squares</c>: minimize f(x) = Σᵢ rᵢ(x)², the plain sum of squares (not
/// half of it: the Moré–Garbow–Hillstrom convention of the contract).</summary>
public sealed class LeastSquaresProblemFile : OptimizationProblemFile
{
    internal LeastSquaresProblemFile(string file, string? name, IReadOnlyDictionary<string, double> parameters,
        IReadOnlyDictionary<string, IReadOnlyList<double>> data, VariableLayout variables, CompiledVectorFunction residuals,
        double[] x0, double[]? lower, double[]? upper, OptimizationReference? reference)
        : base(file, name, parameters, data, variables, x0, lower, upper, reference)
    {
        Residuals = residuals;
    }

    /// <inheritdoc/>
    public override string Kind => ProblemKinds.LeastSquares;

    /// <summary>The compiled residuals r(x) with their exact Jacobian J[i·n + j] = ∂rᵢ/∂xⱼ.</summary>
    public CompiledVectorFunction Residuals { get; }

    /// <summary>Number of residuals m.</summary>
    public int ResidualCount => Residuals.OutputDimension;

    /// <summary>Σᵢ rᵢ², the value of a least-squares problem.</summary>
    public static double SumOfSquares(ReadOnlySpan<double> residuals)
    {
        double s = 0;
        foreach (double r in residuals) s += r * r;
        return s;
    }

    /// <inheritdoc/>
    public override double Value(ReadOnlySpan<double> x)
    {
        double[] r = new double[ResidualCount];
        Residuals.Evaluate(0, x, r);
        return SumOfSquares(r);
    }

    /// <summary>f(x) = Σᵢ rᵢ² and ∇f = 2 Jᵀr, from the exact Jacobian.</summary>
    public override double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        int m = ResidualCount, n = Dimension;
        if (gradient.Length != n) throw new ArgumentException($"gradient has length {gradient.Length} but there are {n} variables.", nameof(gradient));
        double[] r = new double[m];
        double[] jac = new double[m * n];
        Residuals.Evaluate(0, x, r);
        Residuals.Jacobian(0, x, jac);
        gradient.Clear();
        for (int i = 0; i < m; i++)
        {
            double ri = 2 * r[i];
            for (int j = 0; j < n; j++) gradient[j] += ri * jac[i * n + j];
        }
        return SumOfSquares(r);
    }
}

/// <summary>The <c>reference</c> of an optimization problem file: the known minimum value <see cref="F"/> and,
/// optionally, a minimizer <see cref="X"/>.</summary>
/// <param name="F">Known minimum of f.</param>
/// <param name="X">A known minimizer, or null.</param>
public sealed record OptimizationReference(double F, IReadOnlyList<double>? X);
