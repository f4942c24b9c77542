using System.Globalization;
using Ordo.Integration;
using Ordo.Sampling;

namespace Ordo.Problems.Flows;

/// <summary>One component of a <see cref="GaussianMixtureFlow"/>: weight π, mean μ and per-dimension standard deviations s.</summary>
/// <param name="Weight">π &gt; 0 (the weights are normalised by the mixture).</param>
/// <param name="Mean">μ, one value per dimension.</param>
/// <param name="StandardDeviations">s &gt; 0, one value per dimension (all equal for an isotropic component).</param>
public sealed record GaussianComponent(double Weight, double[] Mean, double[] StandardDeviations);

/// <summary>
/// The exact velocity field that carries noise N(0, I) to a Gaussian mixture Σ_k π_k·N(μ_k, diag(s_k²)) along
/// x_t = α(t)·x_data + σ(t)·ε; for the rectified-flow schedule α = 1 − τ, σ = τ it is the optimum of rectified-flow
/// (flow-matching) training, so every sampler's error can be measured against the exact flow (flows.md §8).
/// </summary>
/// <remarks>
/// <para>Given component k, x_t ~ N(α·μ_k, C_k) with C_k = α²·s_k² + σ² (diagonal). The posterior component weights
/// w_k(x, t) ∝ π_k·N(x; α·μ_k, C_k) are a softmax (computed with log-sum-exp); the posterior means are
/// E[x_data | x, k] = μ_k + α·s_k²·(x − α·μ_k)/C_k and E[ε | x, k] = σ·(x − α·μ_k)/C_k. The data prediction D and the
/// noise prediction E are their w-weighted sums, and the velocity is v = α'·D + σ'·E; under rectified flow in
/// noise-level time that is v = E − D = E[ε − x_data | x_τ], the field FLUX-style models learn.</para>
/// <para>Classes: a class is a set of components; conditioning on it restricts the mixture to those components with
/// renormalised weights (flows.md §8.2). Editing inverts under one class and samples under another; when both classes
/// are single Gaussians the exact edit map is affine (<see cref="TryExactEdit"/>).</para>
/// <para>The model's time is the noise level τ of its schedule (<see cref="FlowTimeConvention.NoiseAtOne"/>);
/// <see cref="WithTimeConvention"/> gives the same field in rectified-flow time t = 1 − τ. It serves float and double
/// batches; the arithmetic is double either way.</para>
/// </remarks>
public sealed class GaussianMixtureFlow : IVelocityModel<double>, IVelocityModel<float>, INoisePredictionModel<double>
{
    private readonly double[] _means;      // K × d
    private readonly double[] _variances;  // K × d
    private readonly double[] _logWeights; // K, normalised
    private readonly int[][] _classes;

    /// <summary>Creates the model.</summary>
    /// <param name="components">The mixture components (weights are normalised).</param>
    /// <param name="classes">Classes as sets of 0-based component indices; null for one class per component.</param>
    /// <param name="schedule">The noise schedule; null for rectified flow (α = 1 − τ, σ = τ).</param>
    /// <param name="name">A name for tables and plots.</param>
    public GaussianMixtureFlow(IReadOnlyList<GaussianComponent> components, IReadOnlyList<int[]>? classes = null,
        NoiseSchedule? schedule = null, string name = "gmm")
    {
        ArgumentNullException.ThrowIfNull(components);
        if (components.Count == 0) throw new ArgumentException("A Gaussian mixture needs at least one component.", nameof(components));
        int d = components[0].Mean?.Length ?? 0;
        if (d < 1) throw new ArgumentException("Component 0 has an empty mean.", nameof(components));
        int k = components.Count;
        _means = new double[k * d];
        _variances = new double[k * d];
        _logWeights = new double[k];
        double total = 0;
        for (int c = 0; c < k; c++)
        {
            GaussianComponent comp = components[c] ?? throw new ArgumentException($"Component {c} is null.", nameof(components));
            if (!(comp.Weight > 0) || !double.IsFinite(comp.Weight))
                throw new ArgumentException($"Component {c} has weight {comp.Weight}; weights must be finite and > 0.", nameof(components));
            if (comp.Mean is null || comp.Mean.Length != d)
                throw new ArgumentException($"Component {c} has a mean of length {comp.Mean?.Length ?? 0} but component 0 has {d}.", nameof(components));
            if (comp.StandardDeviations is null || comp.StandardDeviations.Length != d)
                throw new ArgumentException($"Component {c} has {comp.StandardDeviations?.Length ?? 0} standard deviations but the dimension is {d}.", nameof(components));
            for (int j = 0; j < d; j++)
            {
                if (!double.IsFinite(comp.Mean[j])) throw new ArgumentException($"Component {c} has mean[{j}] = {comp.Mean[j]}.", nameof(components));
                double s = comp.StandardDeviations[j];
                if (!(s > 0) || !double.IsFinite(s))
                    throw new ArgumentException($"Component {c} has standard deviation[{j}] = {s}; it must be finite and > 0.", nameof(components));
                _means[c * d + j] = comp.Mean[j];
                _variances[c * d + j] = s * s;
            }
            total += comp.Weight;
        }
        for (int c = 0; c < k; c++) _logWeights[c] = Math.Log(components[c].Weight / total);
        Components = components.ToArray();
        Dimension = d;
        if (classes is null)
        {
            _classes = Enumerable.Range(0, k).Select(c => new[] { c }).ToArray();
        }
        else
        {
            _classes = new int[classes.Count][];
            for (int i = 0; i < classes.Count; i++)
            {
                int[] members = classes[i] ?? throw new ArgumentException($"Class {i} is null.", nameof(classes));
                if (members.Length == 0) throw new ArgumentException($"Class {i} has no components.", nameof(classes));
                foreach (int m in members)
                {
                    if (m < 0 || m >= k) throw new ArgumentException($"Class {i} names component {m}, but the components are 0..{k - 1}.", nameof(classes));
                }
                _classes[i] = (int[])members.Clone();
            }
        }
        Schedule = schedule ?? RectifiedFlowSchedule.Instance;
        Name = name;
    }

    /// <summary>A name for tables and plots.</summary>
    public string Name { get; }

    /// <summary>The components as given.</summary>
    public IReadOnlyList<GaussianComponent> Components { get; }

    /// <summary>Number of classes (valid <see cref="FlowCondition.Class"/> indices are 0..ClassCount − 1).</summary>
    public int ClassCount => _classes.Length;

    /// <summary>The components of class <paramref name="index"/>.</summary>
    public IReadOnlyList<int> ClassComponents(int index) => _classes[index];

    /// <summary>The noise schedule.</summary>
    public NoiseSchedule Schedule { get; }

    /// <inheritdoc cref="IVelocityModel{T}.Dimension"/>
    public int Dimension { get; }

    /// <inheritdoc cref="IVelocityModel{T}.TimeConvention"/>
    public FlowTimeConvention TimeConvention => FlowTimeConvention.NoiseAtOne;

    /// <summary>
    /// GMM2 of flows.md §8.3 (d = 2): π = (0.4, 0.6), μ = ((2, 1), (−1.5, −0.5)), s = ((0.5, 0.5), (0.3, 0.8));
    /// classes A = {0}, B = {1}.
    /// </summary>
    public static GaussianMixtureFlow Gmm2(NoiseSchedule? schedule = null) => new(
        [new(0.4, [2, 1], [0.5, 0.5]), new(0.6, [-1.5, -0.5], [0.3, 0.8])],
        [[0], [1]], schedule, "GMM2");

    /// <summary>
    /// GMM3 of flows.md §8.3 (d = 3): π = (0.25, 0.35, 0.40), μ = ((1.5, 0, −1), (−1, 1.5, 0.5), (0, −1.5, 1)),
    /// s = ((0.4, 0.4, 0.4), (0.6, 0.3, 0.5), (0.35, 0.7, 0.45)); classes A = {0, 1} (nonlinear class flow), B = {2}.
    /// </summary>
    public static GaussianMixtureFlow Gmm3(NoiseSchedule? schedule = null) => new(
        [new(0.25, [1.5, 0, -1], [0.4, 0.4, 0.4]), new(0.35, [-1, 1.5, 0.5], [0.6, 0.3, 0.5]), new(0.40, [0, -1.5, 1], [0.35, 0.7, 0.45])],
        [[0, 1], [2]], schedule, "GMM3");

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> points, int count, double time, in FlowCondition condition, Span<double> velocity)
    {
        CheckBatch(points.Length, velocity.Length, count);
        ReadOnlySpan<int> members = Members(condition);
        double a = Schedule.Alpha(time), s = Schedule.Sigma(time), da = Schedule.AlphaDerivative(time), ds = Schedule.SigmaDerivative(time);
        Span<double> logw = stackalloc double[members.Length];
        int d = Dimension;
        for (int p = 0; p < count; p++)
        {
            ReadOnlySpan<double> x = points.Slice(p * d, d);
            Span<double> v = velocity.Slice(p * d, d);
            Posterior(x, a, s, members, logw);
            v.Clear();
            for (int i = 0; i < members.Length; i++)
            {
                int k = members[i];
                double w = logw[i];
                if (w == 0) continue;
                for (int j = 0; j < d; j++)
                {
                    double mu = _means[k * d + j], var = _variances[k * d + j];
                    double c = a * a * var + s * s, r = (x[j] - a * mu) / c;
                    // u = α'·(μ + α s² r) + σ'·σ r
                    v[j] += w * (da * (mu + a * var * r) + ds * s * r);
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<float> points, int count, float time, in FlowCondition condition, Span<float> velocity)
    {
        CheckBatch(points.Length, velocity.Length, count);
        int d = Dimension;
        Span<double> x = stackalloc double[d];
        Span<double> v = stackalloc double[d];
        for (int p = 0; p < count; p++)
        {
            for (int j = 0; j < d; j++) x[j] = points[p * d + j];
            Evaluate(x, 1, time, condition, v);
            for (int j = 0; j < d; j++) velocity[p * d + j] = (float)v[j];
        }
    }

    /// <summary>The noise prediction E[ε | x_t] (what an ε-prediction diffusion model learns under <see cref="Schedule"/>).</summary>
    public void PredictNoise(ReadOnlySpan<double> points, int count, double time, in FlowCondition condition, Span<double> noise) =>
        Predict(points, count, time, condition, noise, data: false);

    /// <summary>The data prediction E[x_data | x_t].</summary>
    public void PredictData(ReadOnlySpan<double> points, int count, double time, in FlowCondition condition, Span<double> data) =>
        Predict(points, count, time, condition, data, data: true);

    /// <summary>
    /// The Jacobian ∂v/∂x of one point, row-major d × d (<c>jacobian[i·d + j] = ∂v_i/∂x_j</c>):
    /// Σ_k w_k·diag(a_k) + Σ_k w_k·u_k·(g_k − ḡ)ᵀ with g_k = −(x − αμ_k)/C_k (flows.md §8.1).
    /// </summary>
    public void Jacobian(ReadOnlySpan<double> point, double time, in FlowCondition condition, Span<double> jacobian)
    {
        int d = Dimension;
        Guard.Length(point.Length, d, nameof(point));
        Guard.Length(jacobian.Length, d * d, nameof(jacobian), "the dimension squared");
        ReadOnlySpan<int> members = Members(condition);
        double a = Schedule.Alpha(time), s = Schedule.Sigma(time), da = Schedule.AlphaDerivative(time), ds = Schedule.SigmaDerivative(time);
        Span<double> w = stackalloc double[members.Length];
        Posterior(point, a, s, members, w);
        Span<double> gbar = stackalloc double[d];
        gbar.Clear();
        for (int i = 0; i < members.Length; i++)
        {
            int k = members[i];
            for (int j = 0; j < d; j++) gbar[j] += w[i] * -(point[j] - a * _means[k * d + j]) / (a * a * _variances[k * d + j] + s * s);
        }
        jacobian.Clear();
        for (int i = 0; i < members.Length; i++)
        {
            int k = members[i];
            for (int r = 0; r < d; r++)
            {
                double mu = _means[k * d + r], var = _variances[k * d + r], c = a * a * var + s * s;
                double u = da * (mu + a * var * (point[r] - a * mu) / c) + ds * s * (point[r] - a * mu) / c;
                jacobian[r * d + r] += w[i] * (da * a * var + ds * s) / c;
                for (int col = 0; col < d; col++)
                {
                    double g = -(point[col] - a * _means[k * d + col]) / (a * a * _variances[k * d + col] + s * s);
                    jacobian[r * d + col] += w[i] * u * (g - gbar[col]);
                }
            }
        }
    }

    /// <summary>
    /// The exact edit map when classes <paramref name="fromClass"/> and <paramref name="toClass"/> are single Gaussians:
    /// invert x under A to z = (x − μ_A)/s_A, sample z under B to μ_B + s_B ⊙ z (flows.md §8.2). Returns false (and
    /// writes nothing) when either class has more than one component.
    /// </summary>
    public bool TryExactEdit(ReadOnlySpan<double> point, int fromClass, int toClass, Span<double> edited)
    {
        Guard.Length(point.Length, Dimension, nameof(point));
        Guard.Length(edited.Length, Dimension, nameof(edited));
        CheckClass(fromClass);
        CheckClass(toClass);
        if (_classes[fromClass].Length != 1 || _classes[toClass].Length != 1) return false;
        int a = _classes[fromClass][0], b = _classes[toClass][0], d = Dimension;
        for (int j = 0; j < d; j++)
        {
            double z = (point[j] - _means[a * d + j]) / Math.Sqrt(_variances[a * d + j]);
            edited[j] = _means[b * d + j] + Math.Sqrt(_variances[b * d + j]) * z;
        }
        return true;
    }

    /// <summary>
    /// A reference solution of the flow ODE for one point from noise level <paramref name="from"/> to
    /// <paramref name="to"/>: the 8th-order Dormand–Prince method of Ordo.Integration at rtol = atol = 1e-13
    /// (agrees with flows.md's reference endpoints to about 1e-12).
    /// </summary>
    public double[] ReferenceFlow(ReadOnlySpan<double> point, double from, double to, FlowCondition condition = default)
    {
        Guard.Length(point.Length, Dimension, nameof(point));
        FlowCondition cond = condition;
        var problem = new OdeProblem<double>(
            (t, y, dy) => Evaluate(y, 1, t, cond, dy), point.ToArray(), from, to, $"{Name} flow");
        OdeSolution<double> solution = Ode.Solve(problem, OdeMethods.DormandPrince853,
            new OdeOptions { RelativeTolerance = 1e-13, AbsoluteTolerance = 1e-13, MaxSteps = 1_000_000 });
        if (solution.Status != OdeStatus.Success)
            throw new InvalidOperationException($"The reference solve of {Name} from {from} to {to} ended with {solution.Status}.");
        return (double[])solution.Y.Clone();
    }

    /// <summary>Returns the same field in <paramref name="convention"/> (rectified-flow time t = 1 − τ for NoiseAtZero).</summary>
    public IVelocityModel<double> WithTimeConvention(FlowTimeConvention convention) =>
        convention == FlowTimeConvention.NoiseAtOne ? this : new ReversedTime(this);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Name}: {Components.Count} components in {Dimension} dimensions, {ClassCount} classes, {Schedule.Name} schedule");

    private void Predict(ReadOnlySpan<double> points, int count, double time, in FlowCondition condition, Span<double> result, bool data)
    {
        CheckBatch(points.Length, result.Length, count);
        ReadOnlySpan<int> members = Members(condition);
        double a = Schedule.Alpha(time), s = Schedule.Sigma(time);
        Span<double> w = stackalloc double[members.Length];
        int d = Dimension;
        for (int p = 0; p < count; p++)
        {
            ReadOnlySpan<double> x = points.Slice(p * d, d);
            Span<double> r = result.Slice(p * d, d);
            Posterior(x, a, s, members, w);
            r.Clear();
            for (int i = 0; i < members.Length; i++)
            {
                int k = members[i];
                for (int j = 0; j < d; j++)
                {
                    double mu = _means[k * d + j], var = _variances[k * d + j];
                    double q = (x[j] - a * mu) / (a * a * var + s * s);
                    r[j] += w[i] * (data ? mu + a * var * q : s * q);
                }
            }
        }
    }

    /// <summary>Posterior weights of the member components at (x, t), normalised with log-sum-exp.</summary>
    private void Posterior(ReadOnlySpan<double> x, double a, double s, ReadOnlySpan<int> members, Span<double> weights)
    {
        int d = Dimension;
        double max = double.NegativeInfinity;
        for (int i = 0; i < members.Length; i++)
        {
            int k = members[i];
            double logp = _logWeights[k];
            for (int j = 0; j < d; j++)
            {
                double c = a * a * _variances[k * d + j] + s * s, r = x[j] - a * _means[k * d + j];
                logp -= 0.5 * (r * r / c + Math.Log(c));
            }
            weights[i] = logp;
            if (logp > max) max = logp;
        }
        double sum = 0;
        for (int i = 0; i < members.Length; i++)
        {
            weights[i] = Math.Exp(weights[i] - max);
            sum += weights[i];
        }
        for (int i = 0; i < members.Length; i++) weights[i] /= sum;
    }

    private ReadOnlySpan<int> Members(in FlowCondition condition)
    {
        if (condition.IsNone) return _allComponents ??= Enumerable.Range(0, _logWeights.Length).ToArray();
        if (condition.ClassIndex is int c)
        {
            CheckClass(c);
            return _classes[c];
        }
        throw new ArgumentException("A Gaussian-mixture flow is conditioned on a class, not on a vector.", nameof(condition));
    }

    private int[]? _allComponents;

    private void CheckClass(int c)
    {
        if (c < 0 || c >= _classes.Length)
            throw new ArgumentOutOfRangeException(nameof(c), c, $"{Name} has classes 0..{_classes.Length - 1}.");
    }

    private void CheckBatch(int pointsLength, int outputLength, int count)
    {
        if (count < 0 || pointsLength != count * Dimension)
            throw new ArgumentException($"{count} points of dimension {Dimension} need {count * Dimension} values but {pointsLength} were given.");
        if (outputLength != pointsLength)
            throw new ArgumentException($"The output has {outputLength} values but the points have {pointsLength}.");
    }

    /// <summary>The field in rectified-flow time t = 1 − τ: v_t(x, t) = −v_τ(x, 1 − t).</summary>
    private sealed class ReversedTime(GaussianMixtureFlow inner) : IVelocityModel<double>
    {
        public int Dimension => inner.Dimension;
        public FlowTimeConvention TimeConvention => FlowTimeConvention.NoiseAtZero;
        public void Evaluate(ReadOnlySpan<double> points, int count, double time, in FlowCondition condition, Span<double> velocity)
        {
            inner.Evaluate(points, count, 1 - time, condition, velocity);
            for (int i = 0; i < velocity.Length; i++) velocity[i] = -velocity[i];
        }
    }
}
