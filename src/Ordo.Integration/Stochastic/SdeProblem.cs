namespace Ordo.Integration;

/// <summary>The drift <c>f(t, y)</c> of <c>dy = f(t, y) dt + G(t, y) dW</c>: writes <c>f</c> (length d) and allocates nothing.</summary>
public delegate void SdeDrift(double t, ReadOnlySpan<double> y, Span<double> f);

/// <summary>
/// The diffusion <c>G(t, y)</c> of <c>dy = f(t, y) dt + G(t, y) dW</c>. With a diagonal layout
/// (<see cref="SdeProblem.DiagonalDiffusion"/>) it writes the d diagonal entries <c>gᵢ</c>; otherwise the d × m matrix,
/// row-major (<c>g[k·m + j] = G_kj</c>).
/// </summary>
public delegate void SdeDiffusion(double t, ReadOnlySpan<double> y, Span<double> g);

/// <summary>
/// The derivative of the diffusion with respect to the state, for Milstein and for converting between Itô and
/// Stratonovich. Diagonal layout: the d values <c>∂gᵢ/∂yᵢ</c>. Matrix layout: the d·m·d values
/// <c>dg[(k·m + j)·d + l] = ∂G_kj/∂y_l</c>.
/// </summary>
public delegate void SdeDiffusionDerivative(double t, ReadOnlySpan<double> y, Span<double> dg);

/// <summary>The Jacobian of the drift, <c>J[i·d + j] = ∂fᵢ/∂yⱼ</c> (row-major d × d), for the drift-implicit methods.</summary>
public delegate void SdeDriftJacobian(double t, ReadOnlySpan<double> y, Span<double> jacobian);

/// <summary>
/// The structure of the noise term <c>G(t, y) dW</c> (sde.md §0). The structure decides which solvers apply and which
/// strong order they reach: Euler–Maruyama has order 0.5 in general but 1.0 for additive noise; Milstein and
/// stochastic Heun reach 1.0 only for commutative noise; the SRA methods and ShARK need additive noise.
/// </summary>
public enum SdeNoise
{
    /// <summary>m = d Wiener processes; component i is driven by Wᵢ alone with a coefficient <c>gᵢ(t, yᵢ)</c> that
    /// depends on yᵢ only (scalar SDEs are the case d = 1). Commutative.</summary>
    Diagonal,

    /// <summary><c>G = G(t)</c> does not depend on y. Diagonal layout (m = d, d values) unless a noise dimension is
    /// given, then a d × m matrix. Commutative, and Itô = Stratonovich.</summary>
    Additive,

    /// <summary>A d × m matrix <c>G(t, y)</c> whose columns commute: <c>Lⁱgⱼ = Lʲgᵢ</c> with <c>Lⁱ = Σₖ G_ki ∂/∂yₖ</c>
    /// (m = 1, scalar noise, is always commutative). The user vouches for the property.</summary>
    Commutative,

    /// <summary>A general d × m matrix <c>G(t, y)</c>.</summary>
    General,
}

/// <summary>How the stochastic integral is read: Itô (<c>dW</c>) or Stratonovich (<c>∘dW</c>). They differ by the drift
/// correction <c>f_S = f_I − ½ Σⱼ (∂gⱼ/∂y) gⱼ</c> (sde.md §0) and agree for additive noise.</summary>
public enum SdeCalculus
{
    /// <summary>Itô calculus (the default, as in SciML and the <c>ordo</c> problem files).</summary>
    Ito,

    /// <summary>Stratonovich calculus.</summary>
    Stratonovich,
}

/// <summary>
/// A stochastic differential equation <c>dy = f(t, y) dt + G(t, y) dW</c>, <c>y(t0) = y0</c>, on <c>[t0, t1]</c>
/// with an m-dimensional Wiener process W (Kloeden &amp; Platen, <i>Numerical Solution of Stochastic Differential
/// Equations</i>, 1992, ch. 4). Immutable; the delegates must be thread-safe when an ensemble runs in parallel
/// (pure functions of their arguments are).
/// </summary>
public sealed class SdeProblem
{
    private readonly double[] _y0;

    /// <summary>Creates a problem.</summary>
    /// <param name="drift">The drift f (d values).</param>
    /// <param name="diffusion">The diffusion G: d values for diagonal layout, d·m for a matrix (see <see cref="SdeDiffusion"/>).</param>
    /// <param name="initialState">y0, length d ≥ 1, all finite.</param>
    /// <param name="t0">The start time.</param>
    /// <param name="t1">The end time, &gt; t0 (SDEs integrate forwards only).</param>
    /// <param name="noise">The noise structure.</param>
    /// <param name="noiseDimension">m: required for <see cref="SdeNoise.Commutative"/> and <see cref="SdeNoise.General"/>;
    /// for <see cref="SdeNoise.Additive"/> it selects the matrix layout; must be null or d for <see cref="SdeNoise.Diagonal"/>.</param>
    /// <param name="calculus">Itô (default) or Stratonovich.</param>
    /// <param name="name">A name for messages and reports.</param>
    /// <exception cref="ArgumentException">Null delegates, an empty or non-finite y0, bad times, or a noise dimension that does not fit the noise.</exception>
    public SdeProblem(SdeDrift drift, SdeDiffusion diffusion, ReadOnlySpan<double> initialState, double t0, double t1,
        SdeNoise noise = SdeNoise.Diagonal, int? noiseDimension = null, SdeCalculus calculus = SdeCalculus.Ito, string? name = null)
    {
        Drift = drift ?? throw new ArgumentNullException(nameof(drift));
        Diffusion = diffusion ?? throw new ArgumentNullException(nameof(diffusion));
        if (initialState.Length == 0)
            throw new ArgumentException("The initial state must have at least one component.", nameof(initialState));
        for (int i = 0; i < initialState.Length; i++)
            if (!double.IsFinite(initialState[i]))
                throw new ArgumentException($"The initial state must be finite, but component {i} is {initialState[i]}.", nameof(initialState));
        if (!double.IsFinite(t0) || !double.IsFinite(t1))
            throw new ArgumentException($"t0 = {t0} and t1 = {t1} must be finite.", nameof(t1));
        if (t1 == t0)
            throw new ArgumentException($"t1 = {t1} equals t0: the interval is empty.", nameof(t1));
        if (!Enum.IsDefined(noise))
            throw new ArgumentOutOfRangeException(nameof(noise), noise, "Unknown noise structure.");
        if (!Enum.IsDefined(calculus))
            throw new ArgumentOutOfRangeException(nameof(calculus), calculus, "Unknown calculus.");
        int d = initialState.Length;
        switch (noise)
        {
            case SdeNoise.Diagonal:
                if (noiseDimension is int md && md != d)
                    throw new ArgumentException($"Diagonal noise has one Wiener process per component, so the noise dimension must be {d}, not {md}.", nameof(noiseDimension));
                NoiseDimension = d;
                DiagonalDiffusion = true;
                break;
            case SdeNoise.Additive:
                DiagonalDiffusion = noiseDimension is null;
                NoiseDimension = noiseDimension ?? d;
                break;
            default:
                NoiseDimension = noiseDimension ?? throw new ArgumentException($"{noise} noise needs the noise dimension m (the number of Wiener processes).", nameof(noiseDimension));
                DiagonalDiffusion = false;
                break;
        }
        if (NoiseDimension < 1)
            throw new ArgumentOutOfRangeException(nameof(noiseDimension), NoiseDimension, "The noise dimension must be at least 1.");
        _y0 = initialState.ToArray();
        T0 = t0;
        T1 = t1;
        Noise = noise;
        Calculus = calculus;
        Name = name ?? "sde";
    }

    /// <summary>The drift f.</summary>
    public SdeDrift Drift { get; }

    /// <summary>The diffusion G.</summary>
    public SdeDiffusion Diffusion { get; }

    /// <summary>The exact state derivative of G (layout in <see cref="SdeDiffusionDerivative"/>), or null to use central
    /// differences (two diffusion evaluations per directional derivative).</summary>
    public SdeDiffusionDerivative? DiffusionDerivative { get; init; }

    /// <summary>The exact drift Jacobian (<see cref="SdeDriftJacobian"/>) for the drift-implicit methods, or null to use
    /// forward differences (d drift evaluations per step).</summary>
    public SdeDriftJacobian? DriftJacobian { get; init; }

    /// <summary>The underdamped Langevin problem this SDE was built from, for the methods that exploit its structure
    /// (<see cref="AlignLangevin"/>); null for other problems.</summary>
    internal UnderdampedLangevinProblem? Langevin { get; init; }

    /// <summary>The noise structure.</summary>
    public SdeNoise Noise { get; }

    /// <summary>Itô or Stratonovich.</summary>
    public SdeCalculus Calculus { get; }

    /// <summary>d, the number of state components.</summary>
    public int Dimension => _y0.Length;

    /// <summary>m, the number of Wiener processes.</summary>
    public int NoiseDimension { get; }

    /// <summary>True when the diffusion writes d diagonal entries (m = d), false for a d × m matrix.</summary>
    public bool DiagonalDiffusion { get; }

    /// <summary>The number of values the diffusion writes: d (diagonal layout) or d·m.</summary>
    public int DiffusionLength => DiagonalDiffusion ? Dimension : Dimension * NoiseDimension;

    /// <summary>True when the noise is commutative (diagonal, additive, scalar or declared commutative).</summary>
    public bool IsCommutative => Noise != SdeNoise.General || NoiseDimension == 1;

    /// <summary>y0.</summary>
    public ReadOnlySpan<double> InitialState => _y0;

    /// <summary>The start time.</summary>
    public double T0 { get; }

    /// <summary>The end time.</summary>
    public double T1 { get; }

    /// <summary>+1 for a forward solve (t1 &gt; t0), −1 for a backward one (t1 &lt; t0). Backward solves run the same path in
    /// reverse: each step gets <c>(−W, +H)</c> of the forward interval (the space-time Lévy area does not change sign
    /// under reversal; diffrax #598), so a Stratonovich method converges to the inverse of the forward flow.</summary>
    public int Direction => T1 > T0 ? 1 : -1;

    /// <summary>A name for messages.</summary>
    public string Name { get; }
}
