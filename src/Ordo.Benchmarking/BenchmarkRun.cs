namespace Ordo.Benchmarking;

/// <summary>Which solver library produced a <see cref="BenchmarkRun"/>.</summary>
public enum BenchmarkSide
{
    /// <summary>Ordo, timed in-process.</summary>
    Ordo,
    /// <summary>scipy.integrate.solve_ivp, timed in its own Python process.</summary>
    Scipy,
}

/// <summary>
/// One point of a work-precision sweep: one problem, one method, one tolerance pair.
/// </summary>
/// <param name="Side">Ordo or scipy.</param>
/// <param name="Problem">Problem name.</param>
/// <param name="Method">Method name (Ordo's short name, or scipy's).</param>
/// <param name="RelativeTolerance">rtol.</param>
/// <param name="AbsoluteTolerance">atol (= the problem's suggested factor · rtol).</param>
/// <param name="Status">"success", or why the solve stopped (Ordo: max_steps, step_size_too_small, nonfinite_rhs, error;
/// scipy: failed, budget_exceeded, error).</param>
/// <param name="Message">Details when the run did not succeed; otherwise empty.</param>
/// <param name="Error">Mixed error max |yᵢ − refᵢ| / (atol/rtol + |refᵢ|) at the final time (<see cref="Ordo.Problems.ErrorMetrics.Mixed"/>);
/// NaN when the run failed or the problem has no reference.</param>
/// <param name="RelativeL2Error">‖y − ref‖₂ / ‖ref‖₂ at the final time; NaN like <paramref name="Error"/>.</param>
/// <param name="RhsEvaluations">Right-hand-side calls of one solve.</param>
/// <param name="AcceptedSteps">Accepted steps.</param>
/// <param name="RejectedSteps">Rejected steps; null for scipy, which does not report them.</param>
/// <param name="TimeSeconds">Time of one solve in seconds: the minimum over timed repetitions after a warm-up; NaN when not timed.</param>
/// <param name="TimedSolves">How many solves were timed.</param>
public sealed record BenchmarkRun(
    BenchmarkSide Side,
    string Problem,
    string Method,
    double RelativeTolerance,
    double AbsoluteTolerance,
    string Status,
    string Message,
    double Error,
    double RelativeL2Error,
    long RhsEvaluations,
    int AcceptedSteps,
    int? RejectedSteps,
    double TimeSeconds,
    int TimedSolves)
{
    /// <summary>True when the solve reached the final time.</summary>
    public bool IsSuccess => Status == "success";

    /// <summary>True when the run can be placed on a work-precision diagram: it succeeded, was timed, and its error is a
    /// positive finite number.</summary>
    public bool IsUsable => IsSuccess && double.IsFinite(Error) && Error > 0 && double.IsFinite(TimeSeconds) && TimeSeconds > 0 && RhsEvaluations > 0;

    /// <summary>Mixed significant correct digits −log₁₀(<see cref="Error"/>).</summary>
    public double CorrectDigits => -Math.Log10(Error);
}

/// <summary>The cost of one right-hand-side call of a problem in C#.</summary>
/// <param name="Problem">Problem name.</param>
/// <param name="SecondsPerCall">Median time of one call at (t0, y0), in seconds.</param>
public sealed record RhsTiming(string Problem, double SecondsPerCall);

/// <summary>Progress of a running benchmark.</summary>
/// <param name="Stage">"ordo", "scipy" or "report".</param>
/// <param name="Completed">Points done in this stage.</param>
/// <param name="Total">Points in this stage.</param>
/// <param name="Current">What is being run, e.g. "DETEST_A1 dp5 1e-06".</param>
public readonly record struct BenchmarkProgress(string Stage, int Completed, int Total, string Current);
