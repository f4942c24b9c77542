using System.Numerics;

namespace Ordo.Sampling;

/// <summary>
/// A velocity field v(x, t) of a flow model, evaluated for a whole batch of points at one time: the network of a
/// rectified-flow model, an analytic field such as <c>Ordo.Problems.Flows.GaussianMixtureFlow</c>, or a diffusion model
/// seen through its probability-flow ODE (<see cref="NoisePredictionVelocityModel{T}"/>).
/// </summary>
/// <typeparam name="T"><see cref="float"/> (what networks run in) or <see cref="double"/>.</typeparam>
/// <remarks>
/// One call of <see cref="Evaluate"/> is one model evaluation (NFE) whatever the batch size, which is how papers count
/// cost. Points are stored row-major: point <c>i</c> is <c>x[(i·Dimension)..((i+1)·Dimension)]</c>.
/// </remarks>
public interface IVelocityModel<T> where T : IFloatingPointIeee754<T>
{
    /// <summary>Length of one point.</summary>
    int Dimension { get; }

    /// <summary>Where this model's time has its noise; the samplers convert (<see cref="FlowTime"/>).</summary>
    FlowTimeConvention TimeConvention { get; }

    /// <summary>
    /// Writes the velocity dx/dt (in the model's own time convention) of <paramref name="count"/> points at time
    /// <paramref name="time"/> under <paramref name="condition"/> into <paramref name="velocity"/>.
    /// </summary>
    /// <param name="points">count × Dimension values, row-major.</param>
    /// <param name="count">Number of points (the batch size).</param>
    /// <param name="time">The time, in <see cref="TimeConvention"/>.</param>
    /// <param name="condition">The condition; a model that does not support it should throw <see cref="ArgumentException"/>.</param>
    /// <param name="velocity">count × Dimension values to overwrite. It never overlaps <paramref name="points"/>.</param>
    void Evaluate(ReadOnlySpan<T> points, int count, T time, in FlowCondition condition, Span<T> velocity);
}

/// <summary>
/// A model that can store internal features (for example attention values) during inversion and inject them during
/// sampling, as FireFlow and RF-Solver do for editing (flows.md §1.3). The samplers call <see cref="BeforeEvaluation"/>
/// before every evaluation so the model knows where in which pass it is.
/// </summary>
public interface IFeatureInjectionModel
{
    /// <summary>Called right before each model evaluation with the evaluation's place in the run.</summary>
    void BeforeEvaluation(in FlowEvaluationInfo info);
}

/// <summary>Which pass of an inversion-based operation an evaluation belongs to.</summary>
public enum FlowPass
{
    /// <summary>Noise to data.</summary>
    Sampling,
    /// <summary>Data to noise (the sampling grid reversed).</summary>
    Inversion,
}

/// <summary>
/// Where one model evaluation sits in a run; passed to <see cref="IFeatureInjectionModel.BeforeEvaluation"/>.
/// </summary>
/// <param name="Pass">Sampling or inversion.</param>
/// <param name="Step">The step index within the pass (0-based, in the pass's own order).</param>
/// <param name="NoiseLevel">The time of this evaluation as a noise level τ (noise at 1).</param>
/// <param name="IsIntermediate">True for an evaluation inside a step (a midpoint or another stage), false for one at a grid point.</param>
/// <param name="Key">
/// The noise level under which features are stored and looked up. For a grid-point evaluation it is the step's start in
/// sampling and the step's end in inversion, so inversion step τ_a → τ_b and sampling step τ_b → τ_a share a key; an
/// intermediate evaluation uses its own time, which both passes visit. This is the keying of the FireFlow and RF-Solver
/// code (flows.md §1.3).
/// </param>
/// <param name="Inject">True when this step is one of the steps marked for storing (inversion) or replacing (sampling)
/// features; see <see cref="FlowEditOptions.InjectionSteps"/>.</param>
public readonly record struct FlowEvaluationInfo(FlowPass Pass, int Step, double NoiseLevel, bool IsIntermediate, double Key, bool Inject);

/// <summary>
/// A model whose one call costs more than one network evaluation, e.g. classifier-free guidance, which runs the network
/// once with and once without the condition. The solvers count <see cref="EvaluationsPerCall"/> per call.
/// </summary>
public interface IMultiEvaluationModel
{
    /// <summary>Network evaluations per call of the model.</summary>
    int EvaluationsPerCall { get; }
}
