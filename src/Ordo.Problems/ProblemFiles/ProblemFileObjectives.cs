using Ordo.Expressions;
using Ordo.Optimization;

namespace Ordo.Problems.ProblemFiles;

/// <summary>
/// The objectives and bounds of optimization problem files, as the minimizers of Ordo.Optimization take them: a
/// <c>minimize</c> file is an <see cref="IHessianObjective"/> (its compiled objective), a <c>least-squares</c> file an
/// <see cref="IHessianObjective"/> and an <see cref="ILeastSquaresObjective"/>. Every derivative is the expression
/// engine's exact one.
/// </summary>
public static class ProblemFileObjectives
{
    /// <summary>The objective of <paramref name="problem"/>: a <see cref="MinimizeFileObjective"/> or a
    /// <see cref="LeastSquaresFileObjective"/>. A new instance each call (not thread safe; the compiled code is shared).</summary>
    public static IHessianObjective CreateObjective(OptimizationProblemFile problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return problem switch
        {
            MinimizeProblemFile m => new MinimizeFileObjective(m),
            LeastSquaresProblemFile ls => new LeastSquaresFileObjective(ls),
            _ => throw new ArgumentException($"Unknown optimization problem kind '{problem.Kind}'.", nameof(problem)),
        };
    }

    /// <summary>The box of the file's <c>lower</c>/<c>upper</c> (null entries are unbounded), or null when the file has
    /// neither field.</summary>
    public static Bounds? CreateBounds(OptimizationProblemFile problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Lower is null && problem.Upper is null) return null;
        return new Bounds(problem.Dimension, problem.Lower?.ToArray() ?? [], problem.Upper?.ToArray() ?? []);
    }
}

/// <summary>The objective of a <c>minimize</c> problem file: value, exact gradient, Hessian–vector product and dense
/// Hessian of the compiled expression (thread safe: the compiled code shares no mutable state).</summary>
public sealed class MinimizeFileObjective : IHessianObjective
{
    private readonly CompiledScalarFunction _f;

    /// <summary>Wraps the compiled objective of <paramref name="problem"/>.</summary>
    public MinimizeFileObjective(MinimizeProblemFile problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _f = problem.Objective;
    }

    /// <inheritdoc/>
    public int Dimension => _f.Dimension;

    /// <inheritdoc/>
    public double Value(ReadOnlySpan<double> x) => _f.Evaluate(x);

    /// <inheritdoc/>
    public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient) => _f.ValueAndGradient(x, gradient);

    /// <inheritdoc/>
    public void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result) => _f.HessianVectorProduct(x, v, result);

    /// <inheritdoc/>
    public void Hessian(ReadOnlySpan<double> x, Span<double> hessian) => _f.Hessian(x, hessian);
}

/// <summary>
/// The objective of a <c>least-squares</c> problem file, f(x) = Σᵢ rᵢ(x)² (the plain sum, no ½), with the residuals
/// and their exact Jacobian for Levenberg–Marquardt and Gauss–Newton, and the exact gradient, Hessian–vector product and
/// dense Hessian of f for every other method. The Hessian includes the second-order residual terms:
/// ∇²f = 2(JᵀJ + Σᵢ rᵢ∇²rᵢ).
/// </summary>
/// <remarks>
/// f is also compiled as one scalar expression, Σᵢ (rᵢ)², so that its gradient and Hessian–vector products are the
/// engine's reverse-mode and forward-over-reverse derivatives. When that expression is past the engine's size limits
/// (thousands of residuals), the residuals are compiled one by one instead and ∇²f·v = 2Jᵀ(Jv) + 2Σᵢ rᵢ(∇²rᵢ·v).
/// An instance owns scratch buffers and is not thread safe; the compiled code is shared between instances.
/// </remarks>
public class LeastSquaresFileObjective : IHessianObjective, ILeastSquaresObjective
{
    private readonly LeastSquaresFunctions _functions;
    private double[]? _r, _jacobian, _jv, _term;

    /// <summary>Compiles Σᵢ rᵢ² for <paramref name="problem"/> (once per instance; reuse the instance between solves).</summary>
    public LeastSquaresFileObjective(LeastSquaresProblemFile problem) : this(LeastSquaresFunctions.For(problem))
    {
    }

    internal LeastSquaresFileObjective(LeastSquaresFunctions functions)
    {
        _functions = functions;
    }

    /// <inheritdoc/>
    public int Dimension => _functions.Residuals.InputDimension;

    /// <inheritdoc/>
    public int ResidualCount => _functions.Residuals.OutputDimension;

    /// <summary>f(x) = Σᵢ rᵢ(x)².</summary>
    public double Value(ReadOnlySpan<double> x)
    {
        if (_functions.SumOfSquares is { } f) return f.Evaluate(x);
        Residuals(x, R);
        return LeastSquares.SumOfSquares(R);
    }

    /// <summary>f(x) and ∇f(x) = 2Jᵀr.</summary>
    public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        if (_functions.SumOfSquares is { } f) return f.ValueAndGradient(x, gradient);
        Residuals(x, R);
        Jacobian(x, J);
        LeastSquares.Gradient(J, R, Dimension, gradient);
        return LeastSquares.SumOfSquares(R);
    }

    /// <summary>∇²f(x)·v, exact (second-order residual terms included).</summary>
    public void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result)
    {
        if (_functions.SumOfSquares is { } f)
        {
            f.HessianVectorProduct(x, v, result);
            return;
        }
        int m = ResidualCount, n = Dimension;
        double[] r = R, jac = J;
        _jv ??= new double[m];
        _term ??= new double[n];
        Residuals(x, r);
        Jacobian(x, jac);
        for (int i = 0; i < m; i++) _jv[i] = Blas1.Dot<double>(jac.AsSpan(i * n, n), v);
        result.Clear();
        CompiledScalarFunction[] each = _functions.EachResidual;
        for (int i = 0; i < m; i++)
        {
            Blas1.Axpy(2 * _jv[i], jac.AsSpan(i * n, n), result);
            if (r[i] == 0) continue;
            each[i].HessianVectorProduct(x, v, _term);
            Blas1.Axpy(2 * r[i], _term, result);
        }
    }

    /// <summary>The dense ∇²f(x), row-major.</summary>
    public void Hessian(ReadOnlySpan<double> x, Span<double> hessian)
    {
        int n = Dimension;
        if (_functions.SumOfSquares is { } f)
        {
            f.Hessian(x, hessian);
            return;
        }
        if (hessian.Length != n * n) throw new ArgumentException($"hessian has length {hessian.Length} but an {n} × {n} matrix needs {n * n}.", nameof(hessian));
        double[] unit = new double[n];
        for (int j = 0; j < n; j++)
        {
            unit[j] = 1;
            HessianVectorProduct(x, unit, hessian.Slice(j * n, n));
            unit[j] = 0;
        }
    }

    /// <inheritdoc/>
    public void Residuals(ReadOnlySpan<double> x, Span<double> residuals) => _functions.Residuals.Evaluate(0, x, residuals);

    /// <inheritdoc/>
    public void Jacobian(ReadOnlySpan<double> x, Span<double> jacobian) => _functions.Residuals.Jacobian(0, x, jacobian);

    private double[] R => _r ??= new double[ResidualCount];

    private double[] J => _jacobian ??= new double[ResidualCount * Dimension];
}

/// <summary>The compiled code of a least-squares problem: the residuals (with their Jacobian) and f = Σᵢ rᵢ² as one
/// scalar expression, or, past the engine's size limits, each residual as its own scalar expression (compiled on
/// first use). Thread safe and shared by the objectives.</summary>
internal sealed class LeastSquaresFunctions
{
    private readonly Lazy<CompiledScalarFunction[]> _each;

    private LeastSquaresFunctions(CompiledVectorFunction residuals, CompiledScalarFunction? sumOfSquares, Func<CompiledScalarFunction[]> each)
    {
        Residuals = residuals;
        SumOfSquares = sumOfSquares;
        _each = new Lazy<CompiledScalarFunction[]>(each);
    }

    public CompiledVectorFunction Residuals { get; }

    /// <summary>Σᵢ (rᵢ)² compiled as one expression, or null when it is past the size limits.</summary>
    public CompiledScalarFunction? SumOfSquares { get; }

    public CompiledScalarFunction[] EachResidual => _each.Value;

    public static LeastSquaresFunctions For(LeastSquaresProblemFile problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var context = new ExpressionContext();
        problem.Variables.AddTo(context);
        foreach ((string name, double value) in problem.Parameters) context.AddParameter(name, value);
        foreach ((string name, IReadOnlyList<double> values) in problem.Data) context.AddData(name, values);
        IReadOnlyList<string> expressions = problem.Residuals.Expressions;
        CompiledScalarFunction? sum;
        try
        {
            sum = ExpressionCompiler.CompileScalar(string.Join(" + ", expressions.Select(e => $"({e})^2")), context);
        }
        catch (ExpressionException)
        {
            // Each residual compiled alone (the file loaded), so only the size of the sum can be past the limits.
            sum = null;
        }
        return new LeastSquaresFunctions(problem.Residuals, sum,
            () => [.. expressions.Select(e => ExpressionCompiler.CompileScalar(e, context))]);
    }
}
