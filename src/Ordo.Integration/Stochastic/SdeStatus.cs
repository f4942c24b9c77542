namespace Ordo.Integration;

/// <summary>Why an SDE path stopped. Reaching a limit is a status, not an exception.</summary>
public enum SdeStatus
{
    /// <summary>Reached t1.</summary>
    Success = 1,
    /// <summary>MaxSteps attempted steps before t1. Increase SdeOptions.MaxSteps or loosen the tolerances.</summary>
    MaxStepsReached,
    /// <summary>The controller asked for a step below MinStep (by default the Brownian tree's leaf width).</summary>
    StepSizeTooSmall,
    /// <summary>The drift or diffusion returned NaN or ±∞ (or the path blew up) even for the smallest step; the result holds the last finite state.</summary>
    NonFiniteValue,

    /// <summary>A drift-implicit step's Newton iteration did not converge; the result holds the last state reached.</summary>
    NewtonFailure,
}

/// <summary>The counts of one SDE solve (or, summed, of an ensemble).</summary>
/// <param name="DriftEvaluations">Drift evaluations f(t, y).</param>
/// <param name="DiffusionEvaluations">Diffusion evaluations G(t, y) (including those of differenced derivatives).</param>
/// <param name="AcceptedSteps">Accepted steps.</param>
/// <param name="RejectedSteps">Rejected steps (each retried on the same Brownian path).</param>
public readonly record struct SdeStats(long DriftEvaluations, long DiffusionEvaluations, long AcceptedSteps, long RejectedSteps)
{
    /// <summary>The sum of two counts.</summary>
    public static SdeStats operator +(SdeStats a, SdeStats b) => new(a.DriftEvaluations + b.DriftEvaluations,
        a.DiffusionEvaluations + b.DiffusionEvaluations, a.AcceptedSteps + b.AcceptedSteps, a.RejectedSteps + b.RejectedSteps);
}

/// <summary>Names and descriptions of <see cref="SdeStatus"/> values.</summary>
public static class SdeStatusExtensions
{
    /// <summary>The identifier used in the <c>ordo</c> command's JSON output: success, max_steps, step_size_too_small, nonfinite, newton_failure.</summary>
    public static string ToIdentifier(this SdeStatus status) => status switch
    {
        SdeStatus.Success => "success",
        SdeStatus.MaxStepsReached => "max_steps",
        SdeStatus.StepSizeTooSmall => "step_size_too_small",
        SdeStatus.NonFiniteValue => "nonfinite",
        SdeStatus.NewtonFailure => "newton_failure",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>A sentence saying what happened and what to try.</summary>
    public static string Describe(this SdeStatus status) => status switch
    {
        SdeStatus.Success => "The integration reached the final time.",
        SdeStatus.MaxStepsReached => "The maximum number of steps was reached before the final time. Increase MaxSteps (--max-steps) or loosen the tolerances.",
        SdeStatus.StepSizeTooSmall => "The step size fell below the minimum (by default the Brownian tree's leaf width): loosen the tolerances or lower BrownianTolerance.",
        SdeStatus.NonFiniteValue => "The drift or diffusion returned NaN or infinity (or the path blew up) even for the smallest step; the result holds the last finite state.",
        SdeStatus.NewtonFailure => "The Newton iteration of a drift-implicit step did not converge: take smaller steps, or give the exact drift Jacobian.",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
