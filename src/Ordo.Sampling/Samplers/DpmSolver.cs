using System.Numerics;

namespace Ordo.Sampling;

/// <summary>What a DPM-Solver-family sampler expands: the noise prediction ε̂ (DPM-Solver) or the data prediction x̂₀ (DPM-Solver++).</summary>
public enum DpmPrediction
{
    /// <summary>Noise prediction ε̂: DPM-Solver (Lu et al. 2022).</summary>
    Noise,
    /// <summary>Data prediction x̂₀: DPM-Solver++ (Lu et al. 2022b), the stable choice for guided sampling.</summary>
    Data,
}

/// <summary>Where a singlestep DPM-Solver puts the intermediate nodes inside a step.</summary>
public enum DpmIntermediateNodes
{
    /// <summary>Equally spaced in time ("time_uniform" inner grid, the reference default): the order-2 node is the time midpoint.</summary>
    TimeUniform,
    /// <summary>Equally spaced in λ = log(α/σ): r₁ = 1/2 (order 2), r₁ = 1/3 and r₂ = 2/3 (order 3).</summary>
    LogSnrUniform,
}

/// <summary>
/// The shared pieces of the DPM-Solver family: λ-step bookkeeping and the first-order (DDIM) step, which is written in
/// product form so that it stays finite where λ is infinite (at pure noise or clean data of the rectified-flow
/// schedule), where it is exactly the Euler step in τ (flows.md §4.4, §4.5).
/// </summary>
internal static class DpmSteps
{
    /// <summary>The model output the method expands, from a velocity.</summary>
    public static void Prediction<T>(FlowRunContext<T> context, DpmPrediction prediction, ReadOnlySpan<T> x, ReadOnlySpan<T> v,
        double level, Span<T> destination) where T : IFloatingPointIeee754<T>
    {
        if (prediction == DpmPrediction.Data) context.DataPrediction(x, v, level, destination);
        else context.NoisePrediction(x, v, level, destination);
    }

    /// <summary>
    /// x ← the DDIM step from s to t using the velocity v at (x, s): in data form
    /// x_t = (σ_t/σ_s)·x + (α_t − α_s·σ_t/σ_s)·D_s when σ_s &gt; 0, else in noise form
    /// x_t = (α_t/α_s)·x + σ_t·E_s. Both are the exact DDIM / DPM-Solver-1 / DPM-Solver++(1) update with the λ
    /// exponentials written as coefficient ratios.
    /// </summary>
    public static void FirstOrder<T>(FlowRunContext<T> context, Span<T> x, ReadOnlySpan<T> v, double s, double t, Span<T> scratch)
        where T : IFloatingPointIeee754<T>
    {
        NoiseSchedule schedule = context.Schedule;
        if (schedule is RectifiedFlowSchedule)
        {
            // The same update, in the form every flow code writes it.
            FlowRunContext<T>.AddScaled(x, x, t - s, v);
            return;
        }
        double alphaS = schedule.Alpha(s), sigmaS = schedule.Sigma(s), alphaT = schedule.Alpha(t), sigmaT = schedule.Sigma(t);
        if (sigmaS > 0)
        {
            context.DataPrediction(x, v, s, scratch);
            FlowRunContext<T>.Combine(x, sigmaT / sigmaS, x, alphaT - alphaS * sigmaT / sigmaS, scratch);
        }
        else
        {
            context.NoisePrediction(x, v, s, scratch);
            FlowRunContext<T>.Combine(x, alphaT / alphaS, x, sigmaT, scratch);
        }
    }
}
