namespace Ordo.Sampling;

/// <summary>
/// A forward diffusion SDE dx = f(t)·x dt + g(t) dW on t ∈ [0, T] with a drift linear in x, as used by score-based
/// generative models (Song et al., "Score-based generative modeling through stochastic differential equations",
/// ICLR 2021, §3.4 and Appendix B): the variance-preserving <see cref="VpSde"/> and the variance-exploding
/// <see cref="VeSde"/>. Given x₀ the marginal is x_t ~ N(<see cref="MeanScale"/>(t)·x₀, <see cref="MarginalStd"/>(t)² I),
/// which is what an exact score (<see cref="GaussianDataScoreModel"/>) and the final denoising step need.
/// </summary>
/// <remarks>
/// Sampling integrates the reverse-time SDE dx = [f(t)x − g(t)² s(x, t)] dt + g(t) dW̄ from t = T down to a small
/// <see cref="DefaultDataTime"/> ε (sde.md §4.4).
/// </remarks>
public abstract class ScoreSde
{
    /// <summary>Short name: "vp" or "ve".</summary>
    public abstract string Name { get; }

    /// <summary>The end time T of the forward SDE, where sampling starts (1 for both SDEs here).</summary>
    public virtual double EndTime => 1.0;

    /// <summary>The time ε where sampling stops by default (1e-3 for VP, 1e-5 for VE; Song et al. 2021).</summary>
    public abstract double DefaultDataTime { get; }

    /// <summary>
    /// The default absolute tolerance of <see cref="AdaptiveScoreSdeSampler"/> for models of this kind: 0.0078 for VP and
    /// 0.0039 for VE, the values of the Gotta Go Fast experiment script (sde.md §4.4).
    /// </summary>
    public abstract double DefaultAbsoluteTolerance { get; }

    /// <summary>The standard deviation of the prior N(0, σ_T² I) that sampling starts from.</summary>
    public abstract double PriorStd { get; }

    /// <summary>The drift coefficient f(t): the drift is f(t)·x.</summary>
    public abstract double DriftScale(double t);

    /// <summary>The diffusion coefficient g(t).</summary>
    public abstract double Diffusion(double t);

    /// <summary>The mean scale m(t): E[x_t | x₀] = m(t)·x₀.</summary>
    public abstract double MeanScale(double t);

    /// <summary>The standard deviation of x_t given x₀ (per component).</summary>
    public abstract double MarginalStd(double t);

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// The variance-preserving SDE dx = −½β(t)x dt + √β(t) dW with β(t) = β_min + t(β_max − β_min) (Song et al. 2021,
/// eq. 11, the continuous limit of DDPM): m(t) = α(t) = exp(−t²(β_max − β_min)/4 − tβ_min/2), std √(1 − α²), prior N(0, I).
/// The schedule functions are those of <see cref="VpLinearSchedule"/>.
/// </summary>
public sealed class VpSde : ScoreSde
{
    /// <summary>Creates the SDE.</summary>
    /// <param name="betaMin">β_min &gt; 0 (default 0.1).</param>
    /// <param name="betaMax">β_max &gt; β_min (default 20).</param>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive β_min or β_max ≤ β_min.</exception>
    public VpSde(double betaMin = 0.1, double betaMax = 20)
    {
        Schedule = new VpLinearSchedule(betaMin, betaMax);
    }

    /// <summary>The noise schedule (α, σ) of this SDE.</summary>
    public VpLinearSchedule Schedule { get; }

    /// <summary>β_min.</summary>
    public double BetaMin => Schedule.BetaMin;

    /// <summary>β_max.</summary>
    public double BetaMax => Schedule.BetaMax;

    /// <inheritdoc/>
    public override string Name => "vp";

    /// <inheritdoc/>
    public override double DefaultDataTime => 1e-3;

    /// <inheritdoc/>
    public override double DefaultAbsoluteTolerance => 0.0078;

    /// <inheritdoc/>
    public override double PriorStd => 1.0;

    /// <summary>β(t).</summary>
    public double Beta(double t) => BetaMin + t * (BetaMax - BetaMin);

    /// <inheritdoc/>
    public override double DriftScale(double t) => -0.5 * Beta(t);

    /// <inheritdoc/>
    public override double Diffusion(double t) => Math.Sqrt(Beta(t));

    /// <inheritdoc/>
    public override double MeanScale(double t) => Schedule.Alpha(t);

    /// <inheritdoc/>
    public override double MarginalStd(double t) => Schedule.Sigma(t);
}

/// <summary>
/// The variance-exploding SDE dx = g(t) dW with σ(t) = σ_min(σ_max/σ_min)^t and g(t) = σ(t)√(2 ln(σ_max/σ_min))
/// (Song et al. 2021, eq. 9, the continuous limit of NCSN): m(t) = 1 and Var(x_t | x₀) = σ(t)² − σ_min² exactly;
/// prior N(0, σ_max² I). (The score_sde code's <c>marginal_prob</c> returns std σ(t), counting σ_min as part of the
/// data; the difference is below σ_min² = 1e-4 in variance.)
/// </summary>
public sealed class VeSde : ScoreSde
{
    private readonly double _logRatio;

    /// <summary>Creates the SDE.</summary>
    /// <param name="sigmaMin">σ_min &gt; 0 (default 0.01).</param>
    /// <param name="sigmaMax">σ_max &gt; σ_min (default 50, the CIFAR-10 value; larger for 256² images).</param>
    /// <exception cref="ArgumentOutOfRangeException">A non-positive σ_min or σ_max ≤ σ_min.</exception>
    public VeSde(double sigmaMin = 0.01, double sigmaMax = 50)
    {
        Guard.Positive(sigmaMin, nameof(sigmaMin));
        if (!(sigmaMax > sigmaMin) || double.IsInfinity(sigmaMax))
            throw new ArgumentOutOfRangeException(nameof(sigmaMax), sigmaMax, $"sigmaMax must be finite and exceed sigmaMin ({sigmaMin}).");
        SigmaMin = sigmaMin;
        SigmaMax = sigmaMax;
        _logRatio = Math.Log(sigmaMax / sigmaMin);
    }

    /// <summary>σ_min.</summary>
    public double SigmaMin { get; }

    /// <summary>σ_max.</summary>
    public double SigmaMax { get; }

    /// <inheritdoc/>
    public override string Name => "ve";

    /// <inheritdoc/>
    public override double DefaultDataTime => 1e-5;

    /// <inheritdoc/>
    public override double DefaultAbsoluteTolerance => 0.0039;

    /// <inheritdoc/>
    public override double PriorStd => SigmaMax;

    /// <summary>σ(t) = σ_min(σ_max/σ_min)^t.</summary>
    public double Sigma(double t) => SigmaMin * Math.Exp(t * _logRatio);

    /// <inheritdoc/>
    public override double DriftScale(double t) => 0.0;

    /// <inheritdoc/>
    public override double Diffusion(double t) => Sigma(t) * Math.Sqrt(2 * _logRatio);

    /// <inheritdoc/>
    public override double MeanScale(double t) => 1.0;

    /// <inheritdoc/>
    public override double MarginalStd(double t) => SigmaMin * Math.Sqrt(FloatingPoint.ExpM1(2 * t * _logRatio));
}
