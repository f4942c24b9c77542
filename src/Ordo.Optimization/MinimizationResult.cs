namespace Ordo.Optimization;

/// <summary>Why a minimization stopped. Only <see cref="Converged"/> is success, and it always comes with the test
/// that held (<see cref="MinimizationResult.ConvergedBy"/>).</summary>
public enum OptimizationStatus
{
    /// <summary>A stated convergence test held.</summary>
    Converged,
    /// <summary>The iteration limit was reached.</summary>
    MaxIterations,
    /// <summary>The objective-evaluation limit was reached.</summary>
    MaxEvaluations,
    /// <summary>The line search found no acceptable step (usually rounding errors near a minimizer, or a gradient
    /// inconsistent with f: run <see cref="GradientChecker"/>).</summary>
    LineSearchFailed,
    /// <summary>f was NaN or ±∞ at the start point, or at every trial the method could reach.</summary>
    NonFiniteObjective,
    /// <summary>No decrease of the best value for <see cref="MinimizeOptions.StallIterations"/> iterations, or the
    /// method's step/radius fell below rounding level without a convergence test holding.</summary>
    Stalled,
    /// <summary>The callback asked to stop.</summary>
    StoppedByCallback,
    /// <summary>The cancellation token was signalled.</summary>
    Cancelled,
}

/// <summary>Which convergence test held.</summary>
public enum ConvergenceTest
{
    /// <summary>None (the run did not converge).</summary>
    None,
    /// <summary>‖g‖∞ (projected under bounds) below the gradient tolerance.</summary>
    Gradient,
    /// <summary>Relative change of f below <see cref="MinimizeOptions.FunctionTolerance"/>.</summary>
    FunctionChange,
    /// <summary>Relative step below <see cref="MinimizeOptions.StepTolerance"/>.</summary>
    Step,
    /// <summary>The method's own test (Nelder–Mead's simplex size and value spread; a 1-D bracket width).</summary>
    MethodSpecific,
}

/// <summary>One iteration of a run (kept when <see cref="MinimizeOptions.KeepTrace"/> is set).</summary>
/// <param name="Iteration">Iteration number (0 = the start point).</param>
/// <param name="F">f at the iterate.</param>
/// <param name="GradientNorm">‖g‖∞ (projected), NaN without gradients.</param>
/// <param name="StepNorm">‖x_k − x_{k−1}‖∞ (0 for a rejected trust-region step).</param>
/// <param name="FunctionEvaluations">Objective evaluations so far.</param>
/// <param name="GradientEvaluations">Gradient evaluations so far.</param>
public readonly record struct OptimizationTraceEntry(int Iteration, double F, double GradientNorm, double StepNorm,
    long FunctionEvaluations, long GradientEvaluations);

/// <summary>
/// The outcome of a minimization: the <b>best</b> point evaluated (not merely the last iterate), why the run stopped,
/// and what it cost.
/// </summary>
public sealed class MinimizationResult
{
    internal MinimizationResult(string method, double[] x, double f, double gradientNorm, OptimizationStatus status,
        ConvergenceTest convergedBy, string message, int iterations, EvaluationCounts counts, bool initialPointProjected,
        IReadOnlyList<OptimizationTraceEntry>? trace)
    {
        Method = method;
        X = x;
        F = f;
        GradientNorm = gradientNorm;
        Status = status;
        ConvergedBy = convergedBy;
        Message = message;
        Iterations = iterations;
        FunctionEvaluations = counts.Function;
        GradientEvaluations = counts.Gradient;
        HessianEvaluations = counts.Hessian;
        HessianVectorProducts = counts.HessianVector;
        InitialPointProjected = initialPointProjected;
        Trace = trace;
    }

    /// <summary>The method's registry name (e.g. "lbfgs").</summary>
    public string Method { get; }

    /// <summary>The best point evaluated.</summary>
    public double[] X { get; }

    /// <summary>f(<see cref="X"/>).</summary>
    public double F { get; }

    /// <summary>‖∇f(X)‖∞ (projected under bounds); NaN when the method and objective have no gradient.</summary>
    public double GradientNorm { get; }

    /// <summary>Why the run stopped.</summary>
    public OptimizationStatus Status { get; }

    /// <summary>True when <see cref="Status"/> is <see cref="OptimizationStatus.Converged"/>.</summary>
    public bool Converged => Status == OptimizationStatus.Converged;

    /// <summary>The test that held when converged; <see cref="ConvergenceTest.None"/> otherwise.</summary>
    public ConvergenceTest ConvergedBy { get; }

    /// <summary>A sentence with the measured quantity beside its threshold, and what to try on a failure.</summary>
    public string Message { get; }

    /// <summary>Iterations done.</summary>
    public int Iterations { get; }

    /// <summary>Objective evaluations (with or without a gradient; for least squares, residual evaluations).</summary>
    public long FunctionEvaluations { get; }

    /// <summary>Gradient evaluations; a Jacobian evaluation counts here too, once.</summary>
    public long GradientEvaluations { get; }

    /// <summary>Dense Hessian evaluations.</summary>
    public long HessianEvaluations { get; }

    /// <summary>Hessian–vector products.</summary>
    public long HessianVectorProducts { get; }

    /// <summary>True when x0 lay outside the bounds and was projected onto them before the run.</summary>
    public bool InitialPointProjected { get; }

    /// <summary>One entry per iteration when <see cref="MinimizeOptions.KeepTrace"/> was set; null otherwise.</summary>
    public IReadOnlyList<OptimizationTraceEntry>? Trace { get; }

    /// <summary>The status as the contract's snake_case word (converged, max_iterations, ...).</summary>
    public string StatusName => StatusNames.Of(Status);

    /// <inheritdoc/>
    public override string ToString() => $"{Method}: {StatusName} f = {F:R} after {Iterations} iterations ({FunctionEvaluations} f, {GradientEvaluations} g). {Message}";
}

/// <summary>The contract's names of <see cref="OptimizationStatus"/> values.</summary>
public static class StatusNames
{
    /// <summary>snake_case name: converged, max_iterations, max_evaluations, line_search_failed, nonfinite_objective,
    /// stalled, stopped_by_callback, cancelled.</summary>
    public static string Of(OptimizationStatus s) => s switch
    {
        OptimizationStatus.Converged => "converged",
        OptimizationStatus.MaxIterations => "max_iterations",
        OptimizationStatus.MaxEvaluations => "max_evaluations",
        OptimizationStatus.LineSearchFailed => "line_search_failed",
        OptimizationStatus.NonFiniteObjective => "nonfinite_objective",
        OptimizationStatus.Stalled => "stalled",
        OptimizationStatus.StoppedByCallback => "stopped_by_callback",
        OptimizationStatus.Cancelled => "cancelled",
        _ => s.ToString(),
    };
}

/// <summary>Evaluation counts of a run.</summary>
/// <param name="Function">Objective values.</param>
/// <param name="Gradient">Gradients or Jacobians.</param>
/// <param name="Hessian">Dense Hessians.</param>
/// <param name="HessianVector">Hessian–vector products.</param>
public readonly record struct EvaluationCounts(long Function, long Gradient, long Hessian, long HessianVector);

/// <summary>Thrown when the user's objective throws: wraps the original exception and carries the result up to that
/// point (the best point evaluated), so a long run's progress is not lost.</summary>
public sealed class ObjectiveEvaluationException : Exception
{
    internal ObjectiveEvaluationException(string message, Exception inner, MinimizationResult partial) : base(message, inner)
    {
        PartialResult = partial;
    }

    /// <summary>The best point evaluated before the objective threw (status <see cref="OptimizationStatus.NonFiniteObjective"/>
    /// is not used: the status of the partial result is <see cref="OptimizationStatus.Stalled"/>).</summary>
    public MinimizationResult PartialResult { get; }
}
