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
/// f is compiled as the scalar expression Σᵢ (rᵢ)², so that its gradient and Hessian–vector products are the engine's
/// reverse-mode and forward-over-reverse derivatives. When that expression is past the engine's size limits (thousands
/// of residuals), it is compiled in consecutive blocks of residuals whose values and derivatives are added.
/// An instance owns scratch buffers and is not thread safe; the compiled code is shared between instances.
/// </remarks>
public class LeastSquaresFileObjective : IHessianObjective, ILeastSquaresObjective
{
    private readonly LeastSquaresFunctions _functions;
    private double[]? _scratch;

    /// <summary>Compiles Σᵢ rᵢ² for <paramref name="problem"/> (once per instance; reuse the instance between solves).</summary>
    public LeastSquaresFileObjective(LeastSquaresProblemFile problem) : this(LeastSquaresFunctions.For(problem))
    {
    }

    /// <summary>With other size limits for the compiled sum (the tests force blocks with a small node limit).</summary>
    internal LeastSquaresFileObjective(LeastSquaresProblemFile problem, ExpressionLimits limits) : this(LeastSquaresFunctions.For(problem, limits))
    {
    }

    internal LeastSquaresFileObjective(LeastSquaresFunctions functions)
    {
        _functions = functions;
    }

    /// <summary>The number of blocks f is compiled in: 1, unless Σᵢ (rᵢ)² is past the engine's size limits.</summary>
    internal int CompiledBlocks => _functions.Blocks.Length;

    /// <inheritdoc/>
    public int Dimension => _functions.Residuals.InputDimension;

    /// <inheritdoc/>
    public int ResidualCount => _functions.Residuals.OutputDimension;

    /// <summary>f(x) = Σᵢ rᵢ(x)².</summary>
    public double Value(ReadOnlySpan<double> x)
    {
        double f = 0;
        foreach (CompiledScalarFunction block in _functions.Blocks) f += block.Evaluate(x);
        return f;
    }

    /// <summary>f(x) and ∇f(x) = 2Jᵀr.</summary>
    public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        CompiledScalarFunction[] blocks = _functions.Blocks;
        double f = blocks[0].ValueAndGradient(x, gradient);
        for (int b = 1; b < blocks.Length; b++)
        {
            f += blocks[b].ValueAndGradient(x, Scratch(Dimension));
            Blas1.Axpy(1.0, Scratch(Dimension), gradient);
        }
        return f;
    }

    /// <summary>∇²f(x)·v, exact (second-order residual terms included).</summary>
    public void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result)
    {
        CompiledScalarFunction[] blocks = _functions.Blocks;
        blocks[0].HessianVectorProduct(x, v, result);
        for (int b = 1; b < blocks.Length; b++)
        {
            blocks[b].HessianVectorProduct(x, v, Scratch(Dimension));
            Blas1.Axpy(1.0, Scratch(Dimension), result);
        }
    }

    /// <summary>The dense ∇²f(x), row-major.</summary>
    public void Hessian(ReadOnlySpan<double> x, Span<double> hessian)
    {
        CompiledScalarFunction[] blocks = _functions.Blocks;
        blocks[0].Hessian(x, hessian);
        for (int b = 1; b < blocks.Length; b++)
        {
            blocks[b].Hessian(x, Scratch(Dimension * Dimension));
            Blas1.Axpy(1.0, Scratch(Dimension * Dimension), hessian);
        }
    }

    /// <inheritdoc/>
    public void Residuals(ReadOnlySpan<double> x, Span<double> residuals) => _functions.Residuals.Evaluate(0, x, residuals);

    /// <inheritdoc/>
    public void Jacobian(ReadOnlySpan<double> x, Span<double> jacobian) => _functions.Residuals.Jacobian(0, x, jacobian);

    private Span<double> Scratch(int length)
    {
        if (_scratch is null || _scratch.Length < length) _scratch = new double[length];
        return _scratch.AsSpan(0, length);
    }
}

/// <summary>The compiled code of a least-squares problem: the residuals (with their Jacobian) and f = Σᵢ rᵢ² as one
/// scalar expression, or, past the engine's size limits, as consecutive blocks of residuals. Thread safe and shared by
/// the objectives.</summary>
internal sealed class LeastSquaresFunctions
{
    private LeastSquaresFunctions(CompiledVectorFunction residuals, CompiledScalarFunction[] blocks)
    {
        Residuals = residuals;
        Blocks = blocks;
    }

    public CompiledVectorFunction Residuals { get; }

    /// <summary>Σᵢ (rᵢ)² over consecutive blocks of residuals; usually one block.</summary>
    public CompiledScalarFunction[] Blocks { get; }

    public static LeastSquaresFunctions For(LeastSquaresProblemFile problem, ExpressionLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var context = new ExpressionContext();
        problem.Variables.AddTo(context);
        foreach ((string name, double value) in problem.Parameters) context.AddParameter(name, value);
        foreach ((string name, IReadOnlyList<double> values) in problem.Data) context.AddData(name, values);
        string[] squares = [.. problem.Residuals.Expressions.Select(e => $"({e})^2")];
        var blocks = new List<CompiledScalarFunction>();
        Compile(squares, 0, squares.Length, context, limits ?? ExpressionLimits.Default, blocks);
        return new LeastSquaresFunctions(problem.Residuals, [.. blocks]);
    }

    /// <summary>Compiles the sum of squares[from..to); halves the range while the sum is past the size limits.</summary>
    private static void Compile(string[] squares, int from, int to, ExpressionContext context, ExpressionLimits limits, List<CompiledScalarFunction> blocks)
    {
        try
        {
            blocks.Add(ExpressionCompiler.CompileScalar(string.Join(" + ", squares[from..to]), context, limits));
        }
        catch (ExpressionException) when (to - from > 1)
        {
            // Each residual compiled alone when the file loaded, so (with the default limits) only the size of the sum
            // can be past them.
            int middle = from + (to - from) / 2;
            Compile(squares, from, middle, context, limits, blocks);
            Compile(squares, middle, to, context, limits, blocks);
        }
    }
}
