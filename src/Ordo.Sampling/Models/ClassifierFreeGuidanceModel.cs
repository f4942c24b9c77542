using System.Numerics;

namespace Ordo.Sampling;

/// <summary>
/// Classifier-free guidance: v_w = v_uncond + w·(v_cond − v_uncond) (Ho &amp; Salimans, "Classifier-Free Diffusion
/// Guidance", 2022, arXiv 2207.12598). Each call evaluates the inner model twice (conditional and unconditional), which
/// the solvers count as two evaluations (flows.md §0.3).
/// </summary>
/// <remarks>w = 1 is the conditional field, w = 0 the unconditional one; w &gt; 1 extrapolates towards the condition.
/// Inversion under guidance w &gt; 1 is known to be inaccurate (flows.md §3).</remarks>
public sealed class ClassifierFreeGuidanceModel<T> : IVelocityModel<T>, IMultiEvaluationModel where T : IFloatingPointIeee754<T>
{
    private readonly IVelocityModel<T> _inner;
    private readonly FlowCondition _unconditional;
    private T[] _buffer = [];

    /// <summary>Guides <paramref name="inner"/> with scale <paramref name="scale"/>.</summary>
    /// <param name="inner">The conditional model.</param>
    /// <param name="scale">The guidance scale w.</param>
    /// <param name="unconditional">The condition that means "unconditional" for the inner model (default: none; some
    /// networks take an empty-prompt embedding instead).</param>
    public ClassifierFreeGuidanceModel(IVelocityModel<T> inner, double scale, FlowCondition unconditional = default)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Guard.Finite(scale, nameof(scale));
        _inner = inner;
        Scale = scale;
        _unconditional = unconditional;
    }

    /// <summary>The guidance scale w.</summary>
    public double Scale { get; }

    /// <inheritdoc/>
    public int Dimension => _inner.Dimension;

    /// <inheritdoc/>
    public FlowTimeConvention TimeConvention => _inner.TimeConvention;

    /// <inheritdoc/>
    public int EvaluationsPerCall => 2 * ((_inner as IMultiEvaluationModel)?.EvaluationsPerCall ?? 1);

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<T> points, int count, T time, in FlowCondition condition, Span<T> velocity)
    {
        if (_buffer.Length < velocity.Length) _buffer = new T[velocity.Length];
        Span<T> unconditional = _buffer.AsSpan(0, velocity.Length);
        _inner.Evaluate(points, count, time, _unconditional, unconditional);
        _inner.Evaluate(points, count, time, condition, velocity);
        // v = v_u + w·(v_c − v_u) = w·v_c + (1 − w)·v_u
        FlowRunContext<T>.Combine(velocity, Scale, velocity, 1 - Scale, unconditional);
    }
}
