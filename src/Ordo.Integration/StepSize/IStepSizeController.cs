namespace Ordo.Integration;

/// <summary>
/// Decides whether a step is accepted and how large the next one is, from the weighted error norm alone
/// (tolerances live in <see cref="OdeOptions"/>; the controller only sees "≤ 1 means within tolerance").
/// A controller is immutable; what it remembers between steps lives in <see cref="ControllerMemory"/>, owned by the
/// integrator.
/// </summary>
public interface IStepSizeController
{
    /// <summary>Decides on the step just attempted.</summary>
    /// <param name="stepSize">The step size h that was attempted (signed).</param>
    /// <param name="errorNorm">Its weighted RMS error norm (≥ 0; +∞ forces a maximal reduction).</param>
    /// <param name="memory">State carried from step to step; updated in place.</param>
    StepSizeDecision Decide(double stepSize, double errorNorm, ref ControllerMemory memory);
}

/// <summary>The verdict on one attempted step.</summary>
/// <param name="Accept">True to accept the step.</param>
/// <param name="NextStepSize">Signed step size to try next (after an acceptance or to retry after a rejection).</param>
public readonly record struct StepSizeDecision(bool Accept, double NextStepSize);

/// <summary>What a controller remembers between steps.</summary>
public struct ControllerMemory
{
    /// <summary>Error norm of the last accepted step (bounded below by 1e-4), or 1 before the first step.</summary>
    public double PreviousErrorNorm;

    /// <summary>True when the last attempted step was rejected (the next accepted step may then not grow).</summary>
    public bool LastRejected;

    /// <summary>The memory at the start of an integration.</summary>
    public static ControllerMemory Initial => new() { PreviousErrorNorm = 1.0, LastRejected = false };
}
