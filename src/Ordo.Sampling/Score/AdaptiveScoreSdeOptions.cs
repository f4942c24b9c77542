namespace Ordo.Sampling;

/// <summary>Where the Brownian increment of a retried step comes from in <see cref="AdaptiveScoreSdeSampler"/>.</summary>
public enum ScoreSdeNoise
{
    /// <summary>
    /// The increments are read from one virtual Brownian tree per sample on the reverse clock s = T − t, so a rejected
    /// step is retried on the same Brownian path (z = W/√h). Removes the variance bias of <see cref="Resample"/> in low
    /// dimension (sde.md §4.2, §4.4), also on a bimodal mixture under VP and VE, where resampling biases the mode means,
    /// variances and (VE) weights (sde.md §8 item 4, docs/sampling/gotta-go-fast.md). The default.
    /// </summary>
    Bridge,

    /// <summary>A fresh z ~ N(0, I) every iteration, also after a rejection: the paper's rule (Jolicoeur-Martineau et al. 2021).</summary>
    Resample,
}

/// <summary>The norm of the scaled error (x'' − x')/δ that <see cref="AdaptiveScoreSdeSampler"/> compares with 1.</summary>
public enum ScoreSdeErrorNorm
{
    /// <summary>‖·‖₂/√n, the root mean square over the n components of one sample (the paper's default, "L2_scaled").</summary>
    L2Scaled,

    /// <summary>‖·‖₂.</summary>
    L2,

    /// <summary>‖·‖∞.</summary>
    Linf,
}

/// <summary>Settings of <see cref="AdaptiveScoreSdeSampler"/>; the defaults are those of the Gotta Go Fast code (sde.md §4.4).</summary>
public sealed record AdaptiveScoreSdeOptions
{
    /// <summary>
    /// ε_abs; null for <see cref="ScoreSde.DefaultAbsoluteTolerance"/> (0.0078 for VP, 0.0039 for VE: about one 8-bit
    /// intensity level of data scaled to [−1, 1] and [0, 1], the values of the paper's experiment script).
    /// </summary>
    public double? AbsoluteTolerance { get; init; }

    /// <summary>
    /// ε_rel (default 0.01, the code's default and the smallest value of the paper's sweep {0.01, 0.02, 0.05, 0.1};
    /// 0.05 is about twice as fast on images and still matches Euler–Maruyama with 250 steps on the Gaussian reference).
    /// </summary>
    public double RelativeTolerance { get; init; } = 0.01;

    /// <summary>θ, the safety factor of the step-size update (0.9).</summary>
    public double Safety { get; init; } = 0.9;

    /// <summary>r, the exponent of the step-size update h ← θ·h·E^{−r} (0.9).</summary>
    public double Exponent { get; init; } = 0.9;

    /// <summary>The first step of every sample (0.01; the paper's VE configurations use 0.5).</summary>
    public double InitialStep { get; init; } = 0.01;

    /// <summary>The time ε where sampling stops; null for <see cref="ScoreSde.DefaultDataTime"/> (1e-3 VP, 1e-5 VE).</summary>
    public double? DataTime { get; init; }

    /// <summary>
    /// Keep the improved-Euler value x'' and measure the tolerance on the Euler–Maruyama value x' (true, the default);
    /// false keeps x' and measures on x''.
    /// </summary>
    public bool Extrapolation { get; init; } = true;

    /// <summary>Use max(|x'|, |x'_prev|) in the relative tolerance, x'_prev the last accepted proposal (true, the code's <c>error_use_prev</c>).</summary>
    public bool UsePreviousProposal { get; init; } = true;

    /// <summary>The error norm (<see cref="ScoreSdeErrorNorm.L2Scaled"/>).</summary>
    public ScoreSdeErrorNorm Norm { get; init; } = ScoreSdeErrorNorm.L2Scaled;

    /// <summary>Where the noise of a retried step comes from (<see cref="ScoreSdeNoise.Bridge"/>).</summary>
    public ScoreSdeNoise Noise { get; init; } = ScoreSdeNoise.Bridge;

    /// <summary>
    /// After reaching ε, apply the denoising step x ← x + σ(ε)² s(x, ε) (Tweedie; one more evaluation per sample), as the
    /// paper's code does by default. False here so that the output is a sample of p_ε.
    /// </summary>
    public bool Denoise { get; init; }

    /// <summary>The master seed; sample i uses stream i of it (tree or normals), so results do not depend on threading.</summary>
    public ulong Seed { get; init; }

    /// <summary>
    /// The leaf-width tolerance of the per-sample Brownian trees; null for (T − ε)·2⁻¹⁴ ≈ 6.1·10⁻⁵
    /// (<see cref="AdaptiveScoreSdeSampler.DefaultTreeDepth"/>). The leaf width is also the smallest step, in both noise
    /// modes: a step the controller would make shorter is taken at the leaf width and accepted there whatever its error
    /// (counted in <see cref="AdaptiveScoreSdeResult.ForcedAcceptances"/>; raise the depth if that count is not 0).
    /// </summary>
    public double? BrownianTolerance { get; init; }

    /// <summary>The most iterations (accepted or not) per sample before the run stops with <see cref="ScoreSdeStatus.MaxIterationsExceeded"/> (100 000).</summary>
    public int MaxIterations { get; init; } = 100_000;

    /// <summary>How many samples are advanced together in one model call (64); each batch runs on one thread.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The most threads; −1 for all cores, 1 to run on the calling thread. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}

/// <summary>Why <see cref="AdaptiveScoreSdeSampler"/> stopped.</summary>
public enum ScoreSdeStatus
{
    /// <summary>Every sample reached ε.</summary>
    Success,
    /// <summary>The score model returned NaN or ±∞ (or the error became non-finite); that sample keeps its last accepted state.</summary>
    NonFiniteScore,
    /// <summary>A sample used <see cref="AdaptiveScoreSdeOptions.MaxIterations"/> iterations without reaching ε.</summary>
    MaxIterationsExceeded,
    /// <summary>The cancellation token fired; unfinished samples keep their last accepted state.</summary>
    Cancelled,
}

/// <summary>The outcome of <see cref="AdaptiveScoreSdeSampler.Sample"/>.</summary>
public sealed class AdaptiveScoreSdeResult
{
    internal AdaptiveScoreSdeResult(int count)
    {
        Evaluations = new int[count];
        Accepted = new int[count];
        Rejected = new int[count];
        FinalTimes = new double[count];
    }

    /// <summary>Success, or the failure of the lowest-numbered failed sample.</summary>
    public ScoreSdeStatus Status { get; internal set; }

    /// <summary>What went wrong and for which sample; null on success.</summary>
    public string? Message { get; internal set; }

    /// <summary>Score evaluations (NFE) per sample: 2 per iteration, accepted or not, plus 1 for denoising.</summary>
    public int[] Evaluations { get; }

    /// <summary>Accepted steps per sample.</summary>
    public int[] Accepted { get; }

    /// <summary>Rejected steps per sample.</summary>
    public int[] Rejected { get; }

    /// <summary>The time each sample stopped at (ε on success).</summary>
    public double[] FinalTimes { get; }

    /// <summary>Steps accepted at the smallest step although their error exceeded the tolerance (all samples).</summary>
    public long ForcedAcceptances { get; internal set; }

    /// <summary>The shortest accepted step over all samples, the final partial step excluded.</summary>
    public double SmallestStep { get; internal set; } = double.PositiveInfinity;

    /// <summary>Calls of the score model (each on a batch).</summary>
    public long ModelCalls { get; internal set; }

    /// <summary>The mean of <see cref="Evaluations"/>.</summary>
    public double MeanEvaluations => Evaluations.Length == 0 ? 0 : Evaluations.Average();

    /// <summary>Rejected over attempted steps, all samples together.</summary>
    public double RejectionRate
    {
        get
        {
            long acc = 0, rej = 0;
            for (int i = 0; i < Accepted.Length; i++) { acc += Accepted[i]; rej += Rejected[i]; }
            return acc + rej == 0 ? 0 : (double)rej / (acc + rej);
        }
    }

    /// <summary>True when every sample reached ε.</summary>
    public bool Succeeded => Status == ScoreSdeStatus.Success;
}
