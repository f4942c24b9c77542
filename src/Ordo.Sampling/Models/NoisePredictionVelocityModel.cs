using System.Numerics;

namespace Ordo.Sampling;

/// <summary>
/// A diffusion model that predicts the noise ε̂(x, t) of x_t = α(t)·x_data + σ(t)·ε, for a batch at one time
/// (noise at the large end of t).
/// </summary>
public interface INoisePredictionModel<T> where T : IFloatingPointIeee754<T>
{
    /// <summary>Length of one point.</summary>
    int Dimension { get; }

    /// <summary>Writes ε̂ of <paramref name="count"/> row-major points at time <paramref name="time"/> into <paramref name="noise"/>.</summary>
    void PredictNoise(ReadOnlySpan<T> points, int count, T time, in FlowCondition condition, Span<T> noise);
}

/// <summary>
/// A noise-prediction diffusion model seen as the velocity of its probability-flow ODE,
/// dx/dt = α'(t)·D + σ'(t)·ε̂ with D = (x − σ·ε̂)/α (Song et al., ICLR 2021; Lu et al., DPM-Solver, eq. 2.5), so that
/// every sampler runs diffusion models too. Pass the same schedule in <see cref="FlowSolverOptions.Schedule"/>: the
/// DPM-Solver family converts back to ε̂ and steps in its λ.
/// </summary>
public sealed class NoisePredictionVelocityModel<T> : IVelocityModel<T> where T : IFloatingPointIeee754<T>
{
    private readonly INoisePredictionModel<T> _model;

    /// <summary>Wraps <paramref name="model"/> trained under <paramref name="schedule"/>.</summary>
    public NoisePredictionVelocityModel(INoisePredictionModel<T> model, NoiseSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(schedule);
        _model = model;
        Schedule = schedule;
    }

    /// <summary>The model's noise schedule.</summary>
    public NoiseSchedule Schedule { get; }

    /// <inheritdoc/>
    public int Dimension => _model.Dimension;

    /// <inheritdoc/>
    public FlowTimeConvention TimeConvention => FlowTimeConvention.NoiseAtOne;

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<T> points, int count, T time, in FlowCondition condition, Span<T> velocity)
    {
        _model.PredictNoise(points, count, time, condition, velocity);
        double t = double.CreateChecked(time);
        double alpha = Schedule.Alpha(t), sigma = Schedule.Sigma(t);
        double dAlpha = Schedule.AlphaDerivative(t), dSigma = Schedule.SigmaDerivative(t);
        // v = α'(x − σε)/α + σ'ε = (α'/α)·x + (σ' − α'σ/α)·ε
        FlowRunContext<T>.Combine(velocity, dAlpha / alpha, points, dSigma - dAlpha * sigma / alpha, velocity);
    }
}
