namespace Ordo.Sampling;

/// <summary>
/// The exact score of isotropic Gaussian data x₀ ~ N(μ·1, s² I) diffused by a <see cref="ScoreSde"/>: the marginal is
/// p_t = N(m(t)μ·1, v(t) I) with v(t) = m(t)²s² + σ(t)², so s(x, t) = −(x − m(t)μ)/v(t). A sampler driven by it should
/// return samples whose mean and variance are <see cref="MarginalMean"/> and <see cref="MarginalVariance"/> at its end
/// time, which makes it the reference problem for checking samplers (sde.md §4.4, <c>ggf_reference.py</c>).
/// </summary>
public sealed class GaussianDataScoreModel : IScoreModel
{
    /// <summary>Creates the model.</summary>
    /// <param name="sde">The forward SDE.</param>
    /// <param name="dimension">The length of one point, ≥ 1.</param>
    /// <param name="mean">μ, the mean of every data component.</param>
    /// <param name="std">s &gt; 0, the standard deviation of every data component.</param>
    /// <exception cref="ArgumentNullException"><paramref name="sde"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A dimension below 1, a non-finite mean or a non-positive std.</exception>
    public GaussianDataScoreModel(ScoreSde sde, int dimension, double mean, double std)
    {
        ArgumentNullException.ThrowIfNull(sde);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        Guard.Finite(mean, nameof(mean));
        Guard.Positive(std, nameof(std));
        Sde = sde;
        Dimension = dimension;
        Mean = mean;
        Std = std;
    }

    /// <summary>The forward SDE.</summary>
    public ScoreSde Sde { get; }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <summary>μ.</summary>
    public double Mean { get; }

    /// <summary>s.</summary>
    public double Std { get; }

    /// <summary>The mean m(t)μ of every component of p_t.</summary>
    public double MarginalMean(double t) => Sde.MeanScale(t) * Mean;

    /// <summary>The variance m(t)²s² + σ(t)² of every component of p_t.</summary>
    public double MarginalVariance(double t)
    {
        double m = Sde.MeanScale(t), sigma = Sde.MarginalStd(t);
        return m * m * Std * Std + sigma * sigma;
    }

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> points, int count, ReadOnlySpan<double> times, Span<double> score)
    {
        int n = Dimension;
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (points.Length < count * n)
            Guard.Fail($"points holds {points.Length} values but count × Dimension is {count * n}.", nameof(points));
        if (score.Length < count * n)
            Guard.Fail($"score holds {score.Length} values but count × Dimension is {count * n}.", nameof(score));
        if (times.Length < count)
            Guard.Fail($"times holds {times.Length} values but count is {count}.", nameof(times));
        for (int i = 0; i < count; i++)
        {
            double mu = MarginalMean(times[i]);
            double inv = -1.0 / MarginalVariance(times[i]);
            ReadOnlySpan<double> x = points.Slice(i * n, n);
            Span<double> s = score.Slice(i * n, n);
            for (int k = 0; k < n; k++)
                s[k] = (x[k] - mu) * inv;
        }
    }
}
