namespace Ordo.Integration;

/// <summary>The gradient <c>∇f(x)</c> of a potential: writes d values into <paramref name="gradient"/> and allocates nothing.
/// Must be thread-safe when an ensemble runs in parallel (a pure function of x is).</summary>
public delegate void PotentialGradient(ReadOnlySpan<double> x, Span<double> gradient);

/// <summary>
/// The underdamped (kinetic) Langevin diffusion on <c>[t0, t1]</c> (sde.md §3.6; Foster, Lyons &amp; Oberhauser,
/// "The shifted ODE method for underdamped Langevin MCMC", arXiv:2101.03446, eq. (1.1)):
/// <code>
/// dx = v dt,   dv = −γ v dt − u ∇f(x) dt + √(2γu) dW,   x(t0) = x0, v(t0) = v0,
/// </code>
/// with x, v ∈ ℝᵈ, a d-dimensional Wiener process W, and diagonal (per-component) or scalar friction γ &gt; 0 and
/// inverse mass u &gt; 0. Its stationary law has density <c>∝ exp(−f(x) − Σᵢ vᵢ²/(2uᵢ))</c>, which makes it a sampler
/// for <c>exp(−f)</c>. Solve it with <see cref="UnderdampedLangevin.Solve"/> (ALIGN), or hand <see cref="Sde"/> to any
/// additive-noise SDE method for comparison.
/// </summary>
public sealed class UnderdampedLangevinProblem
{
    private readonly double[] _x0, _v0, _gamma, _u;

    /// <summary>Creates a problem with scalar friction and inverse mass.</summary>
    /// <param name="gradient">∇f.</param>
    /// <param name="x0">The initial position (d ≥ 1 finite values).</param>
    /// <param name="v0">The initial velocity (d finite values).</param>
    /// <param name="gamma">The friction γ &gt; 0.</param>
    /// <param name="u">The inverse mass u &gt; 0.</param>
    /// <param name="t0">The start time.</param>
    /// <param name="t1">The end time, &gt; t0.</param>
    /// <param name="name">A name for messages.</param>
    /// <exception cref="ArgumentException">A null gradient, empty or non-finite or mismatched x0/v0, γ or u not finite and
    /// positive, or bad times.</exception>
    public UnderdampedLangevinProblem(PotentialGradient gradient, ReadOnlySpan<double> x0, ReadOnlySpan<double> v0,
        double gamma, double u, double t0, double t1, string? name = null)
        : this(gradient, x0, v0, Fill(gamma, x0.Length), Fill(u, x0.Length), t0, t1, name, scalar: true)
    {
    }

    /// <summary>Creates a problem with diagonal friction and inverse mass (one value per component).</summary>
    /// <param name="gradient">∇f.</param>
    /// <param name="x0">The initial position (d ≥ 1 finite values).</param>
    /// <param name="v0">The initial velocity (d finite values).</param>
    /// <param name="gamma">The frictions γᵢ &gt; 0 (d values).</param>
    /// <param name="u">The inverse masses uᵢ &gt; 0 (d values).</param>
    /// <param name="t0">The start time.</param>
    /// <param name="t1">The end time, &gt; t0.</param>
    /// <param name="name">A name for messages.</param>
    /// <exception cref="ArgumentException">A null gradient, empty or non-finite or mismatched x0/v0/γ/u, a γᵢ or uᵢ not
    /// finite and positive, or bad times.</exception>
    public UnderdampedLangevinProblem(PotentialGradient gradient, ReadOnlySpan<double> x0, ReadOnlySpan<double> v0,
        ReadOnlySpan<double> gamma, ReadOnlySpan<double> u, double t0, double t1, string? name = null)
        : this(gradient, x0, v0, gamma, u, t0, t1, name, scalar: false)
    {
    }

    private UnderdampedLangevinProblem(PotentialGradient gradient, ReadOnlySpan<double> x0, ReadOnlySpan<double> v0,
        ReadOnlySpan<double> gamma, ReadOnlySpan<double> u, double t0, double t1, string? name, bool scalar)
    {
        Gradient = gradient ?? throw new ArgumentNullException(nameof(gradient));
        int d = x0.Length;
        if (d == 0) throw new ArgumentException("The initial position must have at least one component.", nameof(x0));
        if (v0.Length != d)
            throw new ArgumentException($"The initial velocity has {v0.Length} components but the position has {d}.", nameof(v0));
        CheckFinite(x0, nameof(x0));
        CheckFinite(v0, nameof(v0));
        CheckPositive(gamma, d, scalar, nameof(gamma), "friction γ");
        CheckPositive(u, d, scalar, nameof(u), "inverse mass u");
        if (!double.IsFinite(t0) || !double.IsFinite(t1))
            throw new ArgumentException($"t0 = {t0} and t1 = {t1} must be finite.", nameof(t1));
        if (!(t1 > t0))
            throw new ArgumentException($"t1 = {t1} must be greater than t0 = {t0}: the diffusion is integrated forwards in time.", nameof(t1));
        _x0 = x0.ToArray();
        _v0 = v0.ToArray();
        _gamma = gamma.ToArray();
        _u = u.ToArray();
        IsUniform = scalar;
        T0 = t0;
        T1 = t1;
        Name = name ?? "langevin";
        var y0 = new double[2 * d];
        x0.CopyTo(y0);
        v0.CopyTo(y0.AsSpan(d));
        Sde = new SdeProblem(Drift, Diffusion, y0, t0, t1, SdeNoise.Additive, noiseDimension: d, name: Name) { Langevin = this };
    }

    /// <summary>∇f.</summary>
    public PotentialGradient Gradient { get; }

    /// <summary>d, the number of position components (the SDE state <c>(x, v)</c> has 2d).</summary>
    public int Dimension => _x0.Length;

    /// <summary>The initial position.</summary>
    public ReadOnlySpan<double> InitialPosition => _x0;

    /// <summary>The initial velocity.</summary>
    public ReadOnlySpan<double> InitialVelocity => _v0;

    /// <summary>The frictions γᵢ (d values; all equal for the scalar constructor).</summary>
    public ReadOnlySpan<double> Gamma => _gamma;

    /// <summary>The inverse masses uᵢ (d values; all equal for the scalar constructor).</summary>
    public ReadOnlySpan<double> InverseMass => _u;

    /// <summary>True when γ and u were given as scalars.</summary>
    public bool IsUniform { get; }

    /// <summary>The start time.</summary>
    public double T0 { get; }

    /// <summary>The end time.</summary>
    public double T1 { get; }

    /// <summary>A name for messages.</summary>
    public string Name { get; }

    /// <summary>
    /// The same diffusion as an <see cref="SdeProblem"/> with state <c>y = (x, v)</c> (2d values), drift
    /// <c>(v, −γv − u∇f(x))</c> and additive noise: the 2d × d matrix <c>[0; diag(√(2γu))]</c> driven by d Wiener
    /// processes. <see cref="AlignLangevin"/> solves it through the generic SDE driver (<see cref="Ordo.Integration.Sde"/>,
    /// <see cref="SdeEnsemble"/>); any additive-noise method (shark, sra1, …) solves it too, at one gradient per drift
    /// evaluation.
    /// </summary>
    public SdeProblem Sde { get; }

    private void Drift(double t, ReadOnlySpan<double> y, Span<double> f)
    {
        int d = _x0.Length;
        ReadOnlySpan<double> x = y[..d], v = y[d..];
        Span<double> fv = f[d..];
        Gradient(x, fv);
        for (int i = 0; i < d; i++)
        {
            f[i] = v[i];
            fv[i] = -_gamma[i] * v[i] - _u[i] * fv[i];
        }
    }

    private void Diffusion(double t, ReadOnlySpan<double> y, Span<double> g)
    {
        int d = _x0.Length;
        g.Clear();
        for (int i = 0; i < d; i++) g[(d + i) * d + i] = Math.Sqrt(2 * _gamma[i] * _u[i]);
    }

    private static double[] Fill(double value, int length)
    {
        var a = new double[Math.Max(length, 1)];
        Array.Fill(a, value);
        return a;
    }

    private static void CheckFinite(ReadOnlySpan<double> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"{name} must be finite, but component {i} is {values[i]}.", name);
    }

    private static void CheckPositive(ReadOnlySpan<double> values, int d, bool scalar, string name, string what)
    {
        if (values.Length != d && !scalar)
            throw new ArgumentException($"The {what} has {values.Length} components but the position has {d}.", name);
        for (int i = 0; i < values.Length; i++)
            if (!(values[i] > 0) || !double.IsFinite(values[i]))
                throw new ArgumentOutOfRangeException(name, values[i], scalar
                    ? $"The {what} must be a finite number > 0 but is {values[i]}."
                    : $"The {what} must be finite and > 0 in every component, but component {i} is {values[i]}.");
    }
}
