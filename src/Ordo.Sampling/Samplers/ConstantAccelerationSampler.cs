using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace Ordo.Sampling;

/// <summary>
/// A Constant Acceleration Flow model (Park et al., NeurIPS 2024): an initial-velocity field v₀ and an acceleration field
/// a(x_t, t, v₀) conditioned on that initial velocity, for the trajectory x_t = x₀ + v₀·t + ½·a·t² (noise x₀ at t = 0
/// in rectified-flow time).
/// </summary>
public interface IConstantAccelerationModel<T> where T : IFloatingPointIeee754<T>
{
    /// <summary>Length of one point.</summary>
    int Dimension { get; }

    /// <summary>Where this model's time has its noise (CAF's own code uses <see cref="FlowTimeConvention.NoiseAtZero"/>).</summary>
    FlowTimeConvention TimeConvention { get; }

    /// <summary>The initial velocity v₀ predicted at (points, time), in the model's time convention.</summary>
    void InitialVelocity(ReadOnlySpan<T> points, int count, T time, in FlowCondition condition, Span<T> velocity);

    /// <summary>The acceleration a(points, time, v₀), with v₀ given in the model's time convention.</summary>
    void Acceleration(ReadOnlySpan<T> points, int count, T time, ReadOnlySpan<T> initialVelocity, in FlowCondition condition, Span<T> acceleration);
}

/// <summary>
/// The Constant Acceleration Flow sampler (Park et al., "Constant Acceleration Flow", NeurIPS 2024, arXiv 2411.00322;
/// code mlvlab/CAF, <c>CAFDenoiser</c>): v₀ is evaluated once at the start point, then every step adds
/// v₀·h + ((t_i + t_{i+1})/2)·a(x, t_i, v₀)·h, which is exact when the acceleration is constant. N + 1 evaluations per
/// pass.
/// </summary>
/// <remarks>
/// Works in rectified-flow time t = 1 − τ. Sampling evaluates v₀ at the noise (t = 0); inversion evaluates it at the
/// data (t = 1) and runs the grid backwards, as the reference code does (flows.md §6). The reference uses the uniform
/// grid t_i = i/N (with times truncated to thousandths); any grid may be passed here and the step stays exact for a
/// constant acceleration.
/// </remarks>
public sealed class ConstantAccelerationSampler
{
    /// <summary>The name used in tables: "caf".</summary>
    public string Name => "caf";

    /// <summary>The source.</summary>
    public string Source => "Park et al., Constant Acceleration Flow, NeurIPS 2024 (arXiv 2411.00322)";

    /// <summary>Moves <paramref name="points"/> from noise to data over <paramref name="grid"/>, in place.</summary>
    public FlowRunResult Sample<T>(IConstantAccelerationModel<T> model, Span<T> points, FlowTimeGrid grid, FlowCondition condition = default)
        where T : IFloatingPointIeee754<T> => Run(model, points, grid, condition, FlowPass.Sampling);

    /// <summary>Moves <paramref name="points"/> from data to noise over the reversed grid, in place.</summary>
    public FlowRunResult Invert<T>(IConstantAccelerationModel<T> model, Span<T> points, FlowTimeGrid grid, FlowCondition condition = default)
        where T : IFloatingPointIeee754<T> => Run(model, points, grid, condition, FlowPass.Inversion);

    private static FlowRunResult Run<T>(IConstantAccelerationModel<T> model, Span<T> points, FlowTimeGrid grid, FlowCondition condition, FlowPass pass)
        where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(grid);
        int d = model.Dimension;
        if (points.Length == 0 || points.Length % d != 0)
            throw new ArgumentException($"The points have {points.Length} values, which is not a positive multiple of the model dimension {d}.", nameof(points));
        Guard.AllFinite<T>(points, nameof(points));
        int count = points.Length / d;
        // Times in rectified-flow time, in run order.
        double[] t = grid.Times(FlowTimeConvention.NoiseAtZero);
        if (pass == FlowPass.Inversion) Array.Reverse(t);
        bool flip = model.TimeConvention == FlowTimeConvention.NoiseAtOne;
        var v0 = new T[points.Length];
        var a = new T[points.Length];
        int evaluations = 1;
        model.InitialVelocity(points, count, ModelTime<T>(t[0], flip), condition, v0);
        // In τ time the velocity changes sign; the acceleration (a second derivative) does not.
        if (flip) TensorPrimitives.Negate<T>(v0, v0);
        if (!Blas1.AllFinite<T>(v0))
            return new FlowRunResult(FlowStatus.NonFiniteVelocity, pass, evaluations, 0, "the model returned a non-finite initial velocity");
        var v0Model = flip ? new T[points.Length] : v0;
        if (flip) TensorPrimitives.Negate<T>(v0, v0Model);
        for (int i = 0; i + 1 < t.Length; i++)
        {
            double h = t[i + 1] - t[i];
            model.Acceleration(points, count, ModelTime<T>(t[i], flip), v0Model, condition, a);
            evaluations++;
            if (!Blas1.AllFinite<T>(a))
                return new FlowRunResult(FlowStatus.NonFiniteVelocity, pass, evaluations, i,
                    string.Create(CultureInfo.InvariantCulture, $"the model returned a non-finite acceleration in step {i + 1} of {t.Length - 1}"));
            TensorPrimitives.MultiplyAdd<T>(v0, T.CreateChecked(h), points, points);
            TensorPrimitives.MultiplyAdd<T>(a, T.CreateChecked((t[i] + h / 2) * h), points, points);
        }
        return new FlowRunResult(FlowStatus.Success, pass, evaluations, t.Length - 1, null);
    }

    private static T ModelTime<T>(double rfTime, bool flip) where T : IFloatingPointIeee754<T> =>
        T.CreateChecked(flip ? 1 - rfTime : rfTime);
}
