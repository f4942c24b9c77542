namespace Ordo.Sampling;

/// <summary>
/// A score model s(x, t) ≈ ∇ₓ log p_t(x) of a score-based diffusion model (Song et al., "Score-based generative modeling
/// through stochastic differential equations", ICLR 2021): the network of a trained model, or an exact score such as
/// <see cref="GaussianDataScoreModel"/>. Time is the forward SDE's time t (data at 0, noise at <see cref="ScoreSde.EndTime"/>).
/// </summary>
/// <remarks>
/// One call of <see cref="Evaluate"/> scores a batch of points, each at its own time, because adaptive samplers such as
/// <see cref="AdaptiveScoreSdeSampler"/> keep one time per sample. Points are row-major: point <c>i</c> is
/// <c>points[(i·Dimension)..((i+1)·Dimension)]</c>. The result for one point must not depend on the other points of the
/// batch (the samplers rely on it for results that do not depend on batching or threading), and an implementation used
/// with more than one thread must be safe to call concurrently.
/// </remarks>
public interface IScoreModel
{
    /// <summary>Length of one point.</summary>
    int Dimension { get; }

    /// <summary>Writes the score of <paramref name="count"/> points, point <c>i</c> at time <c>times[i]</c>, into <paramref name="score"/>.</summary>
    /// <param name="points">count × Dimension values, row-major.</param>
    /// <param name="count">Number of points.</param>
    /// <param name="times">count times of the forward SDE, one per point.</param>
    /// <param name="score">count × Dimension values to overwrite; never overlaps <paramref name="points"/>.</param>
    void Evaluate(ReadOnlySpan<double> points, int count, ReadOnlySpan<double> times, Span<double> score);
}
