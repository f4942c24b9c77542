using System.Numerics;

namespace Ordo.Sampling;

/// <summary>
/// A sampler: one update rule that moves a batch of points along the flow ODE dx/dτ = v(x, τ) over a time grid. The
/// same rule samples (noise to data, the grid forwards) and inverts (data to noise, the grid reversed); the step
/// h = τ_{i+1} − τ_i is signed.
/// </summary>
/// <remarks>
/// A sampler is a small immutable object holding its parameters; the per-run state (cached velocities, multistep
/// history) lives in the buffers of the <see cref="FlowRunContext{T}"/> it is given, so one sampler instance serves any
/// number of concurrent runs. <see cref="FlowSolver{T}"/> runs samplers; <see cref="FlowSamplers"/> finds them by name.
/// </remarks>
public abstract class FlowSampler
{
    /// <summary>The name used by the <c>ordo</c> command, e.g. "fireflow".</summary>
    public abstract string Name { get; }

    /// <summary>The name in the literature, e.g. "FireFlow".</summary>
    public abstract string DisplayName { get; }

    /// <summary>One line on what the sampler does.</summary>
    public abstract string Description { get; }

    /// <summary>The paper (or book) the method comes from.</summary>
    public abstract string Source { get; }

    /// <summary>The nominal global order of the sampling error (flows.md §9.1 says where it is observed).</summary>
    public abstract int Order { get; }

    /// <summary>The number of work vectors (each one batch long) the sampler needs.</summary>
    public abstract int WorkBuffers { get; }

    /// <summary>
    /// The number of model evaluations one pass over <paramref name="noiseLevels"/> (in run order) costs, computed without
    /// running the model.
    /// </summary>
    public abstract int EvaluationsPerPass(ReadOnlySpan<double> noiseLevels, NoiseSchedule schedule);

    /// <summary>
    /// Runs one pass: moves <see cref="FlowRunContext{T}.Points"/> from the first to the last noise level of
    /// <see cref="FlowRunContext{T}.NoiseLevels"/>. Stops (returns) as soon as <see cref="FlowRunContext{T}.Evaluate"/>
    /// returns false, leaving the points at the start of the failed step.
    /// </summary>
    public abstract void Run<T>(FlowRunContext<T> context) where T : IFloatingPointIeee754<T>;

    /// <inheritdoc/>
    public override string ToString() => Name;
}
