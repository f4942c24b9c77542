namespace Ordo.Sampling;

/// <summary>
/// A noise schedule x_t = α(t)·x_data + σ(t)·ε of a diffusion or flow model, with the half log signal-to-noise ratio
/// λ(t) = log(α(t)/σ(t)) that the exponential-integrator samplers (DPM-Solver, DPM-Solver++) step in.
/// </summary>
/// <remarks>
/// Time runs with noise at the large end (<see cref="FlowTimeConvention.NoiseAtOne"/>): λ decreases from data
/// (<see cref="DataTime"/>) to noise (<see cref="NoiseTime"/>). Sources: Lu et al., "DPM-Solver", NeurIPS 2022,
/// arXiv 2206.00927, §2 and Appendix; Song et al., "Score-based generative modeling through SDEs", ICLR 2021 (VP SDE);
/// Nichol &amp; Dhariwal, "Improved DDPM", ICML 2021 (cosine schedule).
/// </remarks>
public abstract class NoiseSchedule
{
    /// <summary>Short name, e.g. "vp-linear".</summary>
    public abstract string Name { get; }

    /// <summary>The time of pure (or the most) noise; sampling starts here.</summary>
    public abstract double NoiseTime { get; }

    /// <summary>The time of clean (or the least noisy) data; sampling ends here.</summary>
    public abstract double DataTime { get; }

    /// <summary>log α(t).</summary>
    public abstract double LogAlpha(double t);

    /// <summary>α(t), the data coefficient.</summary>
    public virtual double Alpha(double t) => Math.Exp(LogAlpha(t));

    /// <summary>σ(t), the noise coefficient.</summary>
    public abstract double Sigma(double t);

    /// <summary>dα/dt.</summary>
    public abstract double AlphaDerivative(double t);

    /// <summary>dσ/dt.</summary>
    public abstract double SigmaDerivative(double t);

    /// <summary>λ(t) = log(α/σ): +∞ where σ = 0 (clean data), −∞ where α = 0 (pure noise).</summary>
    public virtual double Lambda(double t) => LogAlpha(t) - Math.Log(Sigma(t));

    /// <summary>The time with λ(t) = <paramref name="lambda"/> (the inverse of <see cref="Lambda"/>).</summary>
    public abstract double TimeAtLambda(double lambda);

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>log(1 + e^x) without overflow.</summary>
    private protected static double Softplus(double x) => x > 0 ? x + FloatingPoint.Log1P(Math.Exp(-x)) : FloatingPoint.Log1P(Math.Exp(x));
}

/// <summary>
/// The rectified-flow (linear interpolation) schedule in noise-at-one time τ: α = 1 − τ, σ = τ,
/// λ = log((1 − τ)/τ), τ(λ) = 1/(1 + e^λ) (flows.md §0.2). Under it DDIM, DPM-Solver-1 and DPM-Solver++(1) are
/// the Euler step in τ (§4.4).
/// </summary>
public sealed class RectifiedFlowSchedule : NoiseSchedule
{
    /// <summary>The one instance.</summary>
    public static RectifiedFlowSchedule Instance { get; } = new();

    private RectifiedFlowSchedule() { }

    /// <inheritdoc/>
    public override string Name => "rectified-flow";
    /// <inheritdoc/>
    public override double NoiseTime => 1;
    /// <inheritdoc/>
    public override double DataTime => 0;
    /// <inheritdoc/>
    public override double LogAlpha(double t) => Math.Log(1 - t);
    /// <inheritdoc/>
    public override double Alpha(double t) => 1 - t;
    /// <inheritdoc/>
    public override double Sigma(double t) => t;
    /// <inheritdoc/>
    public override double AlphaDerivative(double t) => -1;
    /// <inheritdoc/>
    public override double SigmaDerivative(double t) => 1;
    /// <inheritdoc/>
    public override double Lambda(double t) => Math.Log((1 - t) / t);
    /// <inheritdoc/>
    public override double TimeAtLambda(double lambda) => 1 / (1 + Math.Exp(lambda));
}

/// <summary>
/// A variance-preserving schedule, σ = √(1 − α²), defined by log α(t) and its derivative; λ and the derivatives follow.
/// </summary>
public abstract class VariancePreservingSchedule : NoiseSchedule
{
    /// <summary>d log α / dt.</summary>
    public abstract double LogAlphaDerivative(double t);
    /// <inheritdoc/>
    public override double Sigma(double t) => Math.Sqrt(-FloatingPoint.ExpM1(2 * LogAlpha(t)));
    /// <inheritdoc/>
    public override double AlphaDerivative(double t) => Alpha(t) * LogAlphaDerivative(t);
    /// <inheritdoc/>
    public override double SigmaDerivative(double t)
    {
        double a = Alpha(t);
        return -a * a * LogAlphaDerivative(t) / Sigma(t);
    }
    /// <inheritdoc/>
    public override double Lambda(double t)
    {
        double logAlpha = LogAlpha(t);
        return logAlpha - 0.5 * Math.Log(-FloatingPoint.ExpM1(2 * logAlpha));
    }
}

/// <summary>
/// The variance-preserving schedule of the VP SDE with a linear β(t) = β₀ + t·(β₁ − β₀):
/// log α(t) = −(β₁ − β₀)·t²/4 − β₀·t/2, σ = √(1 − α²), on t ∈ [ε, 1]. Defaults β₀ = 0.1, β₁ = 20 (DDPM's
/// continuous limit; Song et al. 2021). λ(t) is inverted in closed form (DPM-Solver, Appendix).
/// </summary>
public sealed class VpLinearSchedule : VariancePreservingSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="betaMin">β₀ &gt; 0.</param>
    /// <param name="betaMax">β₁ &gt; β₀.</param>
    /// <param name="dataTime">The smallest time sampled (ε); 1e-3 is DPM-Solver's default for continuous models.</param>
    public VpLinearSchedule(double betaMin = 0.1, double betaMax = 20, double dataTime = 1e-3)
    {
        Guard.Positive(betaMin, nameof(betaMin));
        Guard.Positive(betaMax, nameof(betaMax));
        if (betaMax <= betaMin) throw new ArgumentOutOfRangeException(nameof(betaMax), betaMax, $"betaMax must exceed betaMin ({betaMin}).");
        if (!(dataTime > 0 && dataTime < 1)) throw new ArgumentOutOfRangeException(nameof(dataTime), dataTime, "dataTime must lie in (0, 1).");
        BetaMin = betaMin;
        BetaMax = betaMax;
        DataTime = dataTime;
    }

    /// <summary>β₀.</summary>
    public double BetaMin { get; }
    /// <summary>β₁.</summary>
    public double BetaMax { get; }
    /// <inheritdoc/>
    public override string Name => "vp-linear";
    /// <inheritdoc/>
    public override double NoiseTime => 1;
    /// <inheritdoc/>
    public override double DataTime { get; }
    /// <inheritdoc/>
    public override double LogAlpha(double t) => -0.25 * t * t * (BetaMax - BetaMin) - 0.5 * t * BetaMin;
    /// <inheritdoc/>
    public override double TimeAtLambda(double lambda)
    {
        // α² = 1/(1 + e^{−2λ}), so (β₁ − β₀)t²/2 + β₀t = log(1 + e^{−2λ}); take the positive root, written to avoid cancellation.
        double tmp = 2 * (BetaMax - BetaMin) * Softplus(-2 * lambda);
        double delta = BetaMin * BetaMin + tmp;
        return tmp / (Math.Sqrt(delta) + BetaMin) / (BetaMax - BetaMin);
    }

    /// <inheritdoc/>
    public override double LogAlphaDerivative(double t) => -0.5 * t * (BetaMax - BetaMin) - 0.5 * BetaMin;
}

/// <summary>
/// The cosine schedule of improved DDPM (Nichol &amp; Dhariwal 2021) in continuous time:
/// log α(t) = log cos(π/2·(t + s)/(1 + s)) − log cos(π/2·s/(1 + s)), σ = √(1 − α²), with s = 0.008 and the noise end
/// noise end T = 0.9946 that DPM-Solver samples from (λ stays finite).
/// </summary>
public sealed class VpCosineSchedule : VariancePreservingSchedule
{
    private readonly double _logAlpha0;

    /// <summary>Creates the schedule.</summary>
    /// <param name="offset">s &gt; 0, the small offset that keeps β finite near t = 0.</param>
    /// <param name="noiseTime">The largest time (T &lt; 1); null for DPM-Solver's T = 0.9946.</param>
    /// <param name="dataTime">The smallest time sampled (ε).</param>
    public VpCosineSchedule(double offset = 0.008, double? noiseTime = null, double dataTime = 1e-3)
    {
        Guard.Positive(offset, nameof(offset));
        Offset = offset;
        _logAlpha0 = Math.Log(Math.Cos(offset / (1 + offset) * Math.PI / 2));
        // DPM-Solver samples the cosine schedule from T = 0.9946, where λ ≈ −4.78, rather than from the end of the
        // schedule, where β = dlog α/dt blows up.
        double tMax = noiseTime ?? 0.9946;
        if (!(tMax > 0 && tMax < 1)) throw new ArgumentOutOfRangeException(nameof(noiseTime), tMax, "noiseTime must lie in (0, 1).");
        if (!(dataTime > 0 && dataTime < tMax)) throw new ArgumentOutOfRangeException(nameof(dataTime), dataTime, "dataTime must lie in (0, noiseTime).");
        NoiseTime = tMax;
        DataTime = dataTime;
    }

    /// <summary>The offset s.</summary>
    public double Offset { get; }
    /// <inheritdoc/>
    public override string Name => "vp-cosine";
    /// <inheritdoc/>
    public override double NoiseTime { get; }
    /// <inheritdoc/>
    public override double DataTime { get; }
    /// <inheritdoc/>
    public override double LogAlpha(double t) => Math.Log(Math.Cos((t + Offset) / (1 + Offset) * Math.PI / 2)) - _logAlpha0;
    /// <inheritdoc/>
    public override double TimeAtLambda(double lambda)
    {
        double logAlpha = -0.5 * Softplus(-2 * lambda);
        return Math.Acos(Math.Exp(logAlpha + _logAlpha0)) * 2 * (1 + Offset) / Math.PI - Offset;
    }

    /// <inheritdoc/>
    public override double LogAlphaDerivative(double t) =>
        -Math.Tan((t + Offset) / (1 + Offset) * Math.PI / 2) * Math.PI / (2 * (1 + Offset));
}
