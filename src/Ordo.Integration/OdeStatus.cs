namespace Ordo.Integration;

/// <summary>Why an ODE solve stopped. Reaching a limit is a status, not an exception.</summary>
public enum OdeStatus
{
    /// <summary>Integration in progress (seen only when stepping an <see cref="OdeIntegrator{T}"/> by hand).</summary>
    Running = 0,
    /// <summary>Reached t1.</summary>
    Success,
    /// <summary>A terminal event occurred; the solution ends at the event.</summary>
    TerminatedByEvent,
    /// <summary>MaxSteps attempted steps before t1. Increase OdeOptions.MaxSteps or loosen the tolerances; a stiff problem needs a stiff method.</summary>
    MaxStepsReached,
    /// <summary>The step size fell below OdeOptions.MinStep or the floating-point limit 10·ε·|t|: the solution may blow up, or the problem is stiff.</summary>
    StepSizeTooSmall,
    /// <summary>The right-hand side kept returning NaN or ±∞ even for much smaller steps; the solution holds the last finite state.</summary>
    NonFiniteRhs,
}

/// <summary>Names and descriptions of <see cref="OdeStatus"/> values.</summary>
public static class OdeStatusExtensions
{
    /// <summary>The identifier used in the <c>ordo</c> command's JSON output: success, max_steps, step_size_too_small,
    /// nonfinite_rhs (contract), terminated_by_event, running.</summary>
    public static string ToIdentifier(this OdeStatus status) => status switch
    {
        OdeStatus.Running => "running",
        OdeStatus.Success => "success",
        OdeStatus.TerminatedByEvent => "terminated_by_event",
        OdeStatus.MaxStepsReached => "max_steps",
        OdeStatus.StepSizeTooSmall => "step_size_too_small",
        OdeStatus.NonFiniteRhs => "nonfinite_rhs",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>A sentence saying what happened and what to try.</summary>
    public static string Describe(this OdeStatus status) => status switch
    {
        OdeStatus.Running => "The integration is in progress.",
        OdeStatus.Success => "The integration reached the final time.",
        OdeStatus.TerminatedByEvent => "A terminal event occurred; the solution ends at the event.",
        OdeStatus.MaxStepsReached => "The maximum number of steps was reached before the final time. Increase MaxSteps (--max-steps) or loosen the tolerances; a stiff problem needs a stiff method.",
        OdeStatus.StepSizeTooSmall => "The step size became too small to make progress: the solution may blow up here, or the problem is stiff.",
        OdeStatus.NonFiniteRhs => "The right-hand side returned NaN or infinity even for much smaller steps; the result holds the last finite state.",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
