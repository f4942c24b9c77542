namespace Ordo.Sampling;

/// <summary>
/// The exact score of data drawn from an isotropic Gaussian mixture Σₖ wₖ N(μₖ, sₖ² I) and diffused by a
/// <see cref="ScoreSde"/>. Given x₀ the forward SDE gives x_t ~ N(m(t)x₀, σ(t)² I) (Song et al., "Score-based generative
/// modeling through stochastic differential equations", ICLR 2021, §3.4), so the marginal is the mixture
/// p_t = Σₖ wₖ N(m(t)μₖ, cₖ(t) I) with cₖ(t) = m(t)²sₖ² + σ(t)², and its score is the posterior-weighted sum of the
/// component scores, s(x, t) = Σₖ γₖ(x, t)·(−(x − m(t)μₖ)/cₖ(t)) with γₖ ∝ wₖ N(x; m(t)μₖ, cₖ I). The non-Gaussian
/// counterpart of <see cref="GaussianDataScoreModel"/> for checking samplers (sde.md §8 item 4).
/// </summary>
/// <remarks>
/// The responsibilities γₖ are formed with a one-pass (streaming) log-sum-exp: the running maximum of the log terms
/// log wₖ − ½n log cₖ − ‖x − mμₖ‖²/(2cₖ) rescales the partial sums whenever it grows, so far-apart modes neither
/// overflow nor underflow, and no buffer is needed: a call allocates nothing and the model is safe to call from many
/// threads. Cost O(K·n) per point. A point whose every log term is −∞ (a distance that overflows) gets a NaN score,
/// which <see cref="AdaptiveScoreSdeSampler"/> reports as <see cref="ScoreSdeStatus.NonFiniteScore"/>.
/// </remarks>
public sealed class GaussianMixtureScoreModel : IScoreModel
{
    private readonly double[] _logWeights; // K, normalised
    private readonly double[] _weights;    // K, normalised
    private readonly double[] _means;      // K × n, row-major
    private readonly double[] _stds;       // K

    /// <summary>Creates the model.</summary>
    /// <param name="sde">The forward SDE.</param>
    /// <param name="weights">wₖ &gt; 0, one per component; normalised to sum 1.</param>
    /// <param name="means">μₖ, one vector per component, all of the same length n ≥ 1 (the dimension).</param>
    /// <param name="stds">sₖ &gt; 0, the standard deviation of every coordinate of component k.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">No component, counts that differ, means of different or zero length, a
    /// non-finite mean, or a weight or std that is not positive and finite (the message names the component).</exception>
    public GaussianMixtureScoreModel(ScoreSde sde, IReadOnlyList<double> weights, IReadOnlyList<double[]> means, IReadOnlyList<double> stds)
    {
        ArgumentNullException.ThrowIfNull(sde);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(stds);
        int k = weights.Count;
        if (k == 0)
            Guard.Fail("A mixture needs at least one component.", nameof(weights));
        if (means.Count != k)
            Guard.Fail($"means has {means.Count} components but weights has {k}.", nameof(means));
        if (stds.Count != k)
            Guard.Fail($"stds has {stds.Count} components but weights has {k}.", nameof(stds));
        int n = means[0]?.Length ?? 0;
        if (n < 1)
            Guard.Fail("means[0] is null or empty; the dimension must be at least 1.", nameof(means));

        _logWeights = new double[k];
        _weights = new double[k];
        _means = new double[k * n];
        _stds = new double[k];
        double total = 0;
        for (int c = 0; c < k; c++)
        {
            double w = weights[c], s = stds[c];
            if (!(w > 0 && double.IsFinite(w)))
                Guard.Fail($"weights[{c}] = {w}; weights must be positive and finite.", nameof(weights));
            if (!(s > 0 && double.IsFinite(s)))
                Guard.Fail($"stds[{c}] = {s}; standard deviations must be positive and finite.", nameof(stds));
            double[] mu = means[c];
            if (mu is null || mu.Length != n)
                Guard.Fail($"means[{c}] has length {mu?.Length ?? 0} but means[0] has {n}.", nameof(means));
            for (int j = 0; j < n; j++)
            {
                if (!double.IsFinite(mu![j]))
                    Guard.Fail($"means[{c}][{j}] = {mu[j]} is not finite.", nameof(means));
                _means[c * n + j] = mu[j];
            }
            _stds[c] = s;
            total += w;
        }
        for (int c = 0; c < k; c++)
        {
            _weights[c] = weights[c] / total;
            _logWeights[c] = Math.Log(_weights[c]);
        }
        Sde = sde;
        Dimension = n;
    }

    /// <summary>The forward SDE.</summary>
    public ScoreSde Sde { get; }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <summary>The number of components K.</summary>
    public int ComponentCount => _weights.Length;

    /// <summary>The normalised weight wₖ of component <paramref name="component"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="component"/> is not in 0..K − 1.</exception>
    public double Weight(int component) => _weights[CheckComponent(component)];

    /// <summary>The data mean μₖ of component <paramref name="component"/> (n values).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="component"/> is not in 0..K − 1.</exception>
    public ReadOnlySpan<double> Mean(int component) => _means.AsSpan(CheckComponent(component) * Dimension, Dimension);

    /// <summary>The data standard deviation sₖ of component <paramref name="component"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="component"/> is not in 0..K − 1.</exception>
    public double Std(int component) => _stds[CheckComponent(component)];

    /// <summary>The per-coordinate variance cₖ(t) = m(t)²sₖ² + σ(t)² of component <paramref name="component"/> of p_t (its mean is m(t)μₖ).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="component"/> is not in 0..K − 1.</exception>
    public double ComponentVariance(int component, double t)
    {
        double m = Sde.MeanScale(t), sigma = Sde.MarginalStd(t), s = _stds[CheckComponent(component)];
        return m * m * s * s + sigma * sigma;
    }

    private int CheckComponent(int component)
    {
        if ((uint)component >= (uint)_weights.Length)
            throw new ArgumentOutOfRangeException(nameof(component), component, $"The components are 0..{_weights.Length - 1}.");
        return component;
    }

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> points, int count, ReadOnlySpan<double> times, Span<double> score)
    {
        int n = Dimension;
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (points.Length < (long)count * n)
            Guard.Fail($"points holds {points.Length} values but count × Dimension is {(long)count * n}.", nameof(points));
        if (score.Length < (long)count * n)
            Guard.Fail($"score holds {score.Length} values but count × Dimension is {(long)count * n}.", nameof(score));
        if (times.Length < count)
            Guard.Fail($"times holds {times.Length} values but count is {count}.", nameof(times));
        int components = _weights.Length;
        for (int i = 0; i < count; i++)
        {
            double t = times[i];
            double m = Sde.MeanScale(t), sigma = Sde.MarginalStd(t), sigma2 = sigma * sigma;
            ReadOnlySpan<double> x = points.Slice(i * n, n);
            Span<double> s = score.Slice(i * n, n);
            s.Clear();
            double top = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < components; c++)
            {
                ReadOnlySpan<double> mu = _means.AsSpan(c * n, n);
                double var = m * m * _stds[c] * _stds[c] + sigma2;
                double r2 = 0;
                for (int j = 0; j < n; j++)
                {
                    double d = x[j] - m * mu[j];
                    r2 += d * d;
                }
                double log = _logWeights[c] - 0.5 * n * Math.Log(var) - 0.5 * r2 / var;
                double inv = 1.0 / var;
                if (log > top)
                {
                    // A new maximum: rescale what was summed so far to it, and this component enters with weight 1.
                    double scale = Math.Exp(top - log);
                    sum = sum * scale + 1;
                    for (int j = 0; j < n; j++)
                        s[j] = s[j] * scale - (x[j] - m * mu[j]) * inv;
                    top = log;
                }
                else
                {
                    double e = Math.Exp(log - top);
                    sum += e;
                    double f = e * inv;
                    for (int j = 0; j < n; j++)
                        s[j] -= (x[j] - m * mu[j]) * f;
                }
            }
            double norm = 1.0 / sum;
            for (int j = 0; j < n; j++)
                s[j] *= norm;
        }
    }
}
