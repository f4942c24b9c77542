namespace Ordo.Sampling;

/// <summary>
/// Which end of the time interval [0, 1] holds the noise. Flow models, grids and problem files say which one they use;
/// nothing in Ordo assumes it.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="NoiseAtOne"/>: FLUX / SD3 / diffusion time τ, x_τ = (1 − τ)·x_data + τ·ε; sampling runs τ from 1
/// to 0 and the velocity is dx/dτ ≈ E[ε − x_data | x_τ]. This is also the direction of every diffusion schedule
/// (noise at the largest time), and it is the time the samplers work in.</item>
/// <item><see cref="NoiseAtZero"/>: the original rectified-flow time t = 1 − τ (Liu et al. 2022, CAF),
/// x_t = (1 − t)·x_noise + t·x_data; sampling runs t from 0 to 1 and the velocity is dx/dt ≈ E[x_data − x_noise | x_t].</item>
/// </list>
/// Conversion: τ = 1 − t and v_τ(x, τ) = −v_t(x, 1 − τ) (flows.md §0.1).
/// </remarks>
public enum FlowTimeConvention
{
    /// <summary>Noise at time 1, data at time 0 (FLUX, SD3, FireFlow, RF-Solver, diffusion models).</summary>
    NoiseAtOne,
    /// <summary>Noise at time 0, data at time 1 (rectified flow as in Liu et al., CAF, Ordo's problem files).</summary>
    NoiseAtZero,
}

/// <summary>Conversions between the two time conventions.</summary>
public static class FlowTime
{
    /// <summary>The noise level τ (noise at 1) of time <paramref name="time"/> given in <paramref name="convention"/>.</summary>
    public static double ToNoiseLevel(double time, FlowTimeConvention convention) =>
        convention == FlowTimeConvention.NoiseAtOne ? time : 1 - time;

    /// <summary>The time in <paramref name="convention"/> of the noise level <paramref name="noiseLevel"/> (noise at 1).</summary>
    public static double FromNoiseLevel(double noiseLevel, FlowTimeConvention convention) =>
        convention == FlowTimeConvention.NoiseAtOne ? noiseLevel : 1 - noiseLevel;

    /// <summary>The identifier used in files and output: "t=1 noise, t=0 data" or "t=0 noise, t=1 data".</summary>
    public static string Describe(FlowTimeConvention convention) =>
        convention == FlowTimeConvention.NoiseAtOne ? "t=1 noise, t=0 data" : "t=0 noise, t=1 data";
}
