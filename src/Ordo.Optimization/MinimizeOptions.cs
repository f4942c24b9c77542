namespace Ordo.Optimization;

/// <summary>
/// The one options object of every minimizer: stopping tests, budgets, trace and callback. Method-specific
/// parameters (L-BFGS memory, momentum, line search, ...) are properties of the method objects, as in optax.
/// </summary>
/// <remarks>
/// <para>Stopping tests, checked by the driver after every iteration (formulas in docs/optimization/README.md):</para>
/// <list type="bullet">
/// <item><b>gradient</b>: ‖g‖∞ ≤ max(<see cref="GradientAbsoluteTolerance"/>, <see cref="GradientTolerance"/>·‖g₀‖∞),
/// with g the (projected, under bounds) gradient. Relative to the start by default, so the test does not depend on the
/// scale of f (an absolute 1e-5 stops MGH's Gaussian problem at x₀, where ‖g₀‖ is already below it).</item>
/// <item><b>function change</b> (off by default): |f_{k−1} − f_k| ≤ <see cref="FunctionTolerance"/>·max(|f_k|, |f_{k−1}|)
/// after an accepted step. Off because a small change of f is the test that makes scipy's L-BFGS-B claim success on
/// problems it has not solved.</item>
/// <item><b>step</b> (off by default): ‖x_k − x_{k−1}‖∞ ≤ <see cref="StepTolerance"/>·max(1, ‖x_k‖∞).</item>
/// <item>each method's own test where it has one (Nelder–Mead: simplex size and value spread).</item>
/// </list>
/// <para>A run that cannot make progress is <see cref="OptimizationStatus.Stalled"/> (the best value did not decrease in
/// <see cref="StallIterations"/> iterations) or <see cref="OptimizationStatus.LineSearchFailed"/>, never converged.</para>
/// </remarks>
public sealed record MinimizeOptions
{
    /// <summary>Relative gradient tolerance (times ‖g₀‖∞). Default 1e-10: at 1e-8 the test is too loose where ‖g₀‖ is
    /// huge (MGH's Meyer problem has ‖g₀‖∞ = 8.7e10, so 1e-8 stops at ‖g‖∞ = 870, far from the minimum; Powell's badly
    /// scaled problem likewise); at 1e-12 it falls below the rounding floor of the gradient at minima with f* &gt; 0
    /// (measured on the 35 MGH problems: docs/optimization/README.md).</summary>
    public double GradientTolerance { get; init; } = 1e-10;

    /// <summary>Absolute gradient tolerance on ‖g‖∞. Default 0 (only the relative test).</summary>
    public double GradientAbsoluteTolerance { get; init; }

    /// <summary>Relative function-change tolerance; 0 (default) turns the test off.</summary>
    public double FunctionTolerance { get; init; }

    /// <summary>Relative step tolerance; 0 (default) turns the test off.</summary>
    public double StepTolerance { get; init; }

    /// <summary>Iteration limit; null uses the method's default (<see cref="IMinimizer.DefaultMaxIterations"/>).</summary>
    public int? MaxIterations { get; init; }

    /// <summary>Limit on objective evaluations (values, with or without gradient); null: no limit beyond the
    /// iterations. On reaching it the run stops with <see cref="OptimizationStatus.MaxEvaluations"/> and returns the
    /// best point evaluated so far, never a half-finished line-search trial.</summary>
    public long? MaxFunctionEvaluations { get; init; }

    /// <summary>Iterations without progress of the best point (a lower value, or an equal value with a smaller gradient:
    /// near a minimizer with f* ≠ 0 the value stops resolving progress before the gradient does) before the run is
    /// declared stalled. Default 50.</summary>
    public int StallIterations { get; init; } = 50;

    /// <summary>Record one <see cref="OptimizationTraceEntry"/> per iteration in <see cref="MinimizationResult.Trace"/>.</summary>
    public bool KeepTrace { get; init; }

    /// <summary>Called after every iteration with a read-only snapshot; return <see cref="CallbackAction.Stop"/> to end
    /// the run (status <see cref="OptimizationStatus.StoppedByCallback"/>, which is not success).</summary>
    public OptimizationCallback? Callback { get; init; }

    /// <summary>Throws a clear exception for a bad option.</summary>
    public void Validate()
    {
        Guard.NonNegative(GradientTolerance, nameof(GradientTolerance));
        Guard.NonNegative(GradientAbsoluteTolerance, nameof(GradientAbsoluteTolerance));
        Guard.NonNegative(FunctionTolerance, nameof(FunctionTolerance));
        Guard.NonNegative(StepTolerance, nameof(StepTolerance));
        if (MaxIterations is <= 0) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "MaxIterations must be > 0.");
        if (MaxFunctionEvaluations is <= 0) throw new ArgumentOutOfRangeException(nameof(MaxFunctionEvaluations), MaxFunctionEvaluations, "MaxFunctionEvaluations must be > 0.");
        if (StallIterations <= 0) throw new ArgumentOutOfRangeException(nameof(StallIterations), StallIterations, "StallIterations must be > 0.");
    }
}

/// <summary>What a callback asks the driver to do.</summary>
public enum CallbackAction
{
    /// <summary>Go on.</summary>
    Continue,
    /// <summary>Stop now and return the best point.</summary>
    Stop,
}

/// <summary>Called after every iteration; see <see cref="MinimizeOptions.Callback"/>.</summary>
public delegate CallbackAction OptimizationCallback(in OptimizationProgress progress);

/// <summary>A read-only snapshot of a run after an iteration (valid only during the callback).</summary>
public readonly ref struct OptimizationProgress
{
    internal OptimizationProgress(int iteration, ReadOnlySpan<double> x, double f, double gradientNorm, double bestF,
        long functionEvaluations, long gradientEvaluations)
    {
        Iteration = iteration;
        X = x;
        F = f;
        GradientNorm = gradientNorm;
        BestF = bestF;
        FunctionEvaluations = functionEvaluations;
        GradientEvaluations = gradientEvaluations;
    }

    /// <summary>Iterations done.</summary>
    public int Iteration { get; }
    /// <summary>The current iterate (not a copy).</summary>
    public ReadOnlySpan<double> X { get; }
    /// <summary>f at the current iterate.</summary>
    public double F { get; }
    /// <summary>‖g‖∞ (projected under bounds) at the current iterate; NaN for methods without gradients.</summary>
    public double GradientNorm { get; }
    /// <summary>The lowest value evaluated so far.</summary>
    public double BestF { get; }
    /// <summary>Objective evaluations so far.</summary>
    public long FunctionEvaluations { get; }
    /// <summary>Gradient (or Jacobian) evaluations so far.</summary>
    public long GradientEvaluations { get; }
}
