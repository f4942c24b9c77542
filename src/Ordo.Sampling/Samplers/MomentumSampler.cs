using System.Numerics;
using System.Numerics.Tensors;

namespace Ordo.Sampling;

/// <summary>How a <see cref="MomentumSampler"/> combines momentum with the Adams–Bashforth (PLMS) slope.</summary>
public enum MomentumKind
{
    /// <summary>No momentum: classical Adams–Bashforth of order k (PLMS-k).</summary>
    None,
    /// <summary>Polyak heavy ball on the PLMS slope: V ← (1 − β)·V + β·AB_k(slopes); first order for β &lt; 1.</summary>
    HeavyBall,
    /// <summary>Generalised heavy ball (GHVB): V ← (1 − β)·V + β·f, then the β-generalised AB combination of past V; order k.</summary>
    GeneralizedHeavyBall,
    /// <summary>Nesterov variant: as heavy ball, stepping with (1 − β)·V + β·AB_k.</summary>
    Nesterov,
}

/// <summary>
/// Pseudo linear multistep (PLMS, Adams–Bashforth of order k) samplers with the momentum of Wizadwongsa et al.,
/// "Diffusion Sampling with Momentum for Mitigating Divergence Artifacts", ICLR 2024 (arXiv 2307.11118; code
/// sWizad/momentum-diffusion, <c>momentum_scheduler.py</c>). One model evaluation per step.
/// </summary>
/// <remarks>
/// <para>The recurrences run directly on (x, τ) with the velocity as slope, x_{n+1} = x_n + h·P (flows.md §5.1). The
/// AB combination of the last k slopes e_n, e_{n−1}, … generalised by b is
/// k = 2: ((2 + b)e_n − (2 − b)e_{n−1})/2, k = 3: ((18 + 5b)e_n − (24 − 8b)e_{n−1} + (6 − b)e_{n−2})/12,
/// k = 4: ((46 + 9b)e_n − (78 − 19b)e_{n−1} + (42 − 5b)e_{n−2} − (10 − b)e_{n−3})/24, divided by b; b = 1 is classical
/// AB-k. The coefficients are constant-step ones, also on non-uniform grids; warm-up uses order min(k, slopes so far).</para>
/// <para>Heavy ball multiplies the real stability interval of AB-k by (2 − β)/β (flows.md §5.3), the paper's remedy for
/// divergence artifacts at few steps and large guidance; GHVB keeps order k (2 is observed for k ≥ 3 with this
/// warm-up). β = 1 reduces every variant to plain AB-k.</para>
/// </remarks>
public sealed class MomentumSampler : FlowSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="kind">The momentum variant.</param>
    /// <param name="order">The Adams–Bashforth order k, 1 to 4.</param>
    /// <param name="beta">Momentum β ∈ (0, 1]; 1 means none.</param>
    public MomentumSampler(MomentumKind kind, int order, double beta = 1)
    {
        if (order is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(order), order, "The Adams–Bashforth order must be 1 to 4.");
        if (!(beta > 0 && beta <= 1)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "The momentum β must lie in (0, 1].");
        if (kind == MomentumKind.None && beta != 1) throw new ArgumentException("Plain PLMS has no momentum; use β = 1.", nameof(beta));
        Kind = kind;
        StepOrder = order;
        Beta = beta;
    }

    /// <summary>
    /// A sampler from the reference's single "order" hyper-parameter w: a non-integer w means k = ⌊w⌋ + 1 and
    /// β = frac(w), an integer w means k = w and β = 1 (e.g. 1.5 → k = 2, β = 0.5; 3.8 → k = 4, β = 0.8).
    /// </summary>
    public static MomentumSampler FromOrderParameter(MomentumKind kind, double w)
    {
        if (!(w > 0) || !double.IsFinite(w)) throw new ArgumentOutOfRangeException(nameof(w), w, "The order parameter must be a positive number.");
        double frac = w - Math.Floor(w);
        return frac > 0 ? new MomentumSampler(kind, (int)Math.Floor(w) + 1, frac) : new MomentumSampler(kind, (int)w, 1);
    }

    /// <summary>The momentum variant.</summary>
    public MomentumKind Kind { get; }
    /// <summary>Momentum β.</summary>
    public double Beta { get; }

    /// <inheritdoc/>
    public override string Name => Kind switch
    {
        MomentumKind.None => $"plms-{StepOrder}",
        MomentumKind.HeavyBall => "momentum-hb",
        MomentumKind.GeneralizedHeavyBall => "momentum-ghvb",
        _ => "momentum-nt",
    };
    /// <inheritdoc/>
    public override string DisplayName => Kind switch
    {
        MomentumKind.None => $"PLMS-{StepOrder} (Adams–Bashforth)",
        MomentumKind.HeavyBall => $"PLMS-{StepOrder} + heavy ball (β = {Beta})",
        MomentumKind.GeneralizedHeavyBall => $"GHVB-{StepOrder} (β = {Beta})",
        _ => $"PLMS-{StepOrder} + Nesterov (β = {Beta})",
    };
    /// <inheritdoc/>
    public override string Description => Kind switch
    {
        MomentumKind.None => $"Adams–Bashforth of order {StepOrder} on the velocity: 1 evaluation per step.",
        MomentumKind.HeavyBall => $"Heavy-ball momentum (β = {Beta}) on AB-{StepOrder}: 1 evaluation per step, first order, stability interval ×(2 − β)/β.",
        MomentumKind.GeneralizedHeavyBall => $"Generalised heavy ball (β = {Beta}) of order {StepOrder}: 1 evaluation per step.",
        _ => $"Nesterov momentum (β = {Beta}) on AB-{StepOrder}: 1 evaluation per step.",
    };
    /// <inheritdoc/>
    public override string Source => Kind == MomentumKind.None
        ? "Liu et al., Pseudo Numerical Methods for Diffusion Models on Manifolds (PLMS), ICLR 2022 (arXiv 2202.09778); Hairer, Nørsett & Wanner, Solving ODEs I, §III.1"
        : "Wizadwongsa et al., Diffusion Sampling with Momentum for Mitigating Divergence Artifacts, ICLR 2024 (arXiv 2307.11118)";
    /// <inheritdoc/>
    public override int Order => (Kind is MomentumKind.HeavyBall or MomentumKind.Nesterov) && Beta < 1 ? 1 : StepOrder;

    /// <summary>The Adams–Bashforth order k (the number of slopes combined per step).</summary>
    public int StepOrder { get; }

    /// <inheritdoc/>
    public override int WorkBuffers => StepOrder + 2;

    /// <inheritdoc/>
    public override int EvaluationsPerPass(ReadOnlySpan<double> noiseLevels, NoiseSchedule schedule) => noiseLevels.Length - 1;

    /// <inheritdoc/>
    public override void Run<T>(FlowRunContext<T> context)
    {
        int k = StepOrder;
        Span<T> x = context.Points;
        Span<T> f = context.Buffer(k), velocity = context.Buffer(k + 1);
        ReadOnlySpan<double> levels = context.NoiseLevels;
        // History ring in buffers 0..k−1, newest at slot[0].
        Span<int> slot = stackalloc int[4];
        for (int i = 0; i < k; i++) slot[i] = i;
        Span<double> coefficients = stackalloc double[4];
        int stored = 0;
        double beta = Beta;
        T[][]? exact = context.ExactStates;
        for (int step = 0; step < context.Steps; step++)
        {
            double t = levels[step], h = levels[step + 1] - t;
            if (!context.Evaluate(x, step, t, false, f)) return;
            // Rotate: the oldest slot becomes the newest.
            int oldest = slot[k - 1];
            for (int i = k - 1; i > 0; i--) slot[i] = slot[i - 1];
            slot[0] = oldest;
            stored = Math.Min(stored + 1, k);
            Span<T> newest = context.Buffer(slot[0]);
            switch (Kind)
            {
                case MomentumKind.None:
                    f.CopyTo(newest);
                    Combination(context, slot, stored, 1, coefficients, f);
                    FlowRunContext<T>.AddScaled(x, x, h, f);
                    break;
                case MomentumKind.HeavyBall:
                case MomentumKind.Nesterov:
                    f.CopyTo(newest);
                    Combination(context, slot, stored, 1, coefficients, f);
                    if (step == 0) f.CopyTo(velocity);
                    else FlowRunContext<T>.Combine(velocity, 1 - beta, velocity, beta, f);
                    if (Kind == MomentumKind.HeavyBall) FlowRunContext<T>.AddScaled(x, x, h, velocity);
                    else
                    {
                        FlowRunContext<T>.Combine(f, 1 - beta, velocity, beta, f);
                        FlowRunContext<T>.AddScaled(x, x, h, f);
                    }
                    break;
                default:
                    if (step == 0) f.CopyTo(velocity);
                    else FlowRunContext<T>.Combine(velocity, 1 - beta, velocity, beta, f);
                    velocity.CopyTo(newest);
                    Combination(context, slot, stored, beta, coefficients, f);
                    FlowRunContext<T>.AddScaled(x, x, h, f);
                    break;
            }
            // Test hook: exact warm-up values replace the lower-order start steps (the slopes above are kept).
            if (exact is not null && step < k - 1) exact[step].CopyTo(x);
            context.CompleteStep(step);
        }
    }

    /// <summary>destination = AB_m(history, b)/b with m = min(k, stored) (<c>AdamBmixer</c> of the reference).</summary>
    private static void Combination<T>(FlowRunContext<T> context, ReadOnlySpan<int> slot, int m, double b, Span<double> c, Span<T> destination)
        where T : IFloatingPointIeee754<T>
    {
        switch (m)
        {
            case 1: c[0] = b; break;
            case 2: c[0] = (2 + b) / 2; c[1] = -(2 - b) / 2; break;
            case 3: c[0] = (18 + 5 * b) / 12; c[1] = -(24 - 8 * b) / 12; c[2] = (6 - b) / 12; break;
            default: c[0] = (46 + 9 * b) / 24; c[1] = -(78 - 19 * b) / 24; c[2] = (42 - 5 * b) / 24; c[3] = -(10 - b) / 24; break;
        }
        TensorPrimitives.Multiply(context.Buffer(slot[0]), T.CreateChecked(c[0] / b), destination);
        for (int j = 1; j < m; j++) TensorPrimitives.MultiplyAdd(context.Buffer(slot[j]), T.CreateChecked(c[j] / b), destination, destination);
    }
}
