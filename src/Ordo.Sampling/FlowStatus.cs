namespace Ordo.Sampling;

/// <summary>Why a sampling or inversion pass stopped. Failures are statuses, not exceptions.</summary>
public enum FlowStatus
{
    /// <summary>The pass reached the end of its grid.</summary>
    Success,
    /// <summary>The model returned NaN or ±∞; the points hold the state at the start of the failed step.</summary>
    NonFiniteVelocity,
    /// <summary>The cancellation token fired; the points hold the state at the start of the interrupted step.</summary>
    Cancelled,
}

/// <summary>Names and descriptions of <see cref="FlowStatus"/> values.</summary>
public static class FlowStatusExtensions
{
    /// <summary>The identifier used in JSON output: success, nonfinite_velocity, cancelled.</summary>
    public static string ToIdentifier(this FlowStatus status) => status switch
    {
        FlowStatus.Success => "success",
        FlowStatus.NonFiniteVelocity => "nonfinite_velocity",
        FlowStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}

/// <summary>The outcome of one pass (sampling or inversion) over a batch of points.</summary>
/// <param name="Status">Why the pass stopped.</param>
/// <param name="Pass">Sampling or inversion.</param>
/// <param name="Evaluations">Model evaluations (NFE): calls of the velocity model, each on the whole batch.</param>
/// <param name="StepsCompleted">Steps finished; equals the grid's step count on success.</param>
/// <param name="Message">What went wrong (which step, which point), or null on success.</param>
public sealed record FlowRunResult(FlowStatus Status, FlowPass Pass, int Evaluations, int StepsCompleted, string? Message)
{
    /// <summary>True when the pass reached the end of its grid.</summary>
    public bool Succeeded => Status == FlowStatus.Success;
}

/// <summary>The outcome of an inversion followed by a sampling pass (reconstruction or editing).</summary>
/// <param name="Inversion">The data-to-noise pass.</param>
/// <param name="Sampling">The noise-to-data pass; null when the inversion failed and sampling did not run.</param>
public sealed record FlowRoundTripResult(FlowRunResult Inversion, FlowRunResult? Sampling)
{
    /// <summary>The first failure, or success.</summary>
    public FlowStatus Status => Inversion.Status != FlowStatus.Success ? Inversion.Status : Sampling!.Status;

    /// <summary>Model evaluations of both passes together (the papers' NFE for editing and reconstruction).</summary>
    public int Evaluations => Inversion.Evaluations + (Sampling?.Evaluations ?? 0);

    /// <summary>True when both passes reached the end of their grids.</summary>
    public bool Succeeded => Status == FlowStatus.Success;
}
