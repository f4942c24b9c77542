namespace Ordo.Integration;

/// <summary>
/// The coefficients of a Rößler SRA stochastic Runge–Kutta method for additive noise (Rößler 2010, SIAM J. Numer.
/// Anal. 48(3), §6; SciML layout; sde.md §3.4), with <c>ζ = W/2 + H</c>:
/// <code>
/// Hᵢ = y + h Σⱼ A0ᵢⱼ f(t + c0ⱼh, Hⱼ) + Σⱼ B0ᵢⱼ G(t + c1ⱼh) ζ
/// y⁺ = y + h Σᵢ αᵢ f(t + c0ᵢh, Hᵢ) + Σᵢ G(t + c1ᵢh)(β1ᵢ W + β2ᵢ ζ)
/// </code>
/// Order conditions (Rößler's additive set, checked by <c>SraTableauTests</c>): <c>α·e = 1</c>, <c>β1·e = 1</c>,
/// <c>β2·e = 0</c>, <c>α·B0e = 1</c>, <c>α·A0e = ½</c>, <c>α·(B0e)² = 3/2</c>, <c>β1·c1 = 1</c>, <c>β2·c1 = −1</c>.
/// </summary>
public sealed record SraTableau(double[] C0, double[] C1, double[][] A0, double[][] B0, double[] Alpha, double[] Beta1, double[] Beta2)
{
    /// <summary>The number of stages.</summary>
    public int Stages => Alpha.Length;

    /// <summary>SRA1 (Rößler 2010): strong 1.5, weak 2; two drift and two diffusion evaluations.</summary>
    public static SraTableau Sra1 { get; } = new([0, 3.0 / 4], [1, 0], [[], [3.0 / 4]], [[], [3.0 / 2]], [1.0 / 3, 2.0 / 3], [1, 0], [-1, 1]);

    /// <summary>SRA2 (Rößler 2010; SciML <c>constructSRA2</c>): SRA1's stages with other noise weights.</summary>
    public static SraTableau Sra2 { get; } = new([0, 3.0 / 4], [1.0 / 3, 1], [[], [3.0 / 4]], [[], [3.0 / 2]], [1.0 / 3, 2.0 / 3], [0, 1], [3.0 / 2, -3.0 / 2]);

    /// <summary>SRA3 (Rößler 2010): strong 1.5, deterministic order 3, weak order 3 as SciML documents it (measured 2: SdeWeakOrderTests); three drift evaluations. (torchsde's copy
    /// has β2 = (1, −1, 0), which fails <c>β2·c1 = −1</c>; these are SciML's, which pass: sde.md §3.4.)</summary>
    public static SraTableau Sra3 { get; } = new([0, 1, 1.0 / 2], [1, 0, 0], [[], [1], [1.0 / 4, 1.0 / 4]], [[], [0], [1, 1.0 / 2]],
        [1.0 / 6, 1.0 / 6, 2.0 / 3], [1, 0, 0], [-1, 1, 0]);

    /// <summary>SOSRA, stability-optimised SRA (Rackauckas &amp; Nie, "Stability-optimized high order methods and
    /// stiffness detection for pathwise stiff stochastic differential equations", arXiv:1804.04344, 2018; decimals of
    /// SciML's <c>constructSOSRA</c>): strong 1.5, deterministic order 2, a larger stability region.</summary>
    public static SraTableau Sosra { get; } = new(
        C0: [0, 0.6923962376159507, 1],
        C1: [0, 0.041248171110700504, 1],
        A0: [[], [0.6923962376159507], [-3.1609142252828395, 4.1609142252828395]],
        B0: [[], [1.3371632704399763], [1.442371048468624, 1.8632741501139225]],
        Alpha: [0.2889874966892885, 0.6859880440839937, 0.025024459226717772],
        Beta1: [-16.792534242221663, 17.514995785380226, 0.27753845684143835],
        Beta2: [0.4237535769069274, 0.6010381474428539, -1.0247917243497813]);

    /// <summary>SOSRA2 (Rackauckas &amp; Nie 2018, stability-optimised; SciML <c>constructSOSRA2</c>).</summary>
    public static SraTableau Sosra2 { get; } = new(
        C0: [0, 1, 1],
        C1: [0, 1, 1],
        A0: [[], [1], [0.9511849235504364, 0.04881507644956362]],
        B0: [[], [0.7686101171003622], [0.43886792994934987, 0.7490415909204886]],
        Alpha: [0.4999999999999998, -0.9683897375354181, 1.4683897375354185],
        Beta1: [0.0, 0.92438032145683, 0.07561967854316998],
        Beta2: [1.0, -0.8169981105823436, -0.18300188941765633]);
}

/// <summary>
/// A Rößler SRA method for additive noise (Itô = Stratonovich), run from its <see cref="SraTableau"/>; ζ comes from
/// the Brownian path's space-time Lévy area H. Error estimate: the difference between the method's drift
/// combination and the Euler drift on the same noise, <c>h(Σ αᵢ fᵢ − f₁)</c> (the diffrax form of an embedded pair
/// for additive noise, sde.md §4.1; the stochastic terms are shared, so they cancel).
/// </summary>
public sealed class SraMethod : SdeMethod
{
    /// <summary>SRA1.</summary>
    public static SraMethod Sra1 { get; } = new("sra1", SraTableau.Sra1, 2, "SRA1 (additive noise): strong 1.5, weak 2; adaptive (Rößler 2010)");

    /// <summary>SRA2 (Rößler 2010): strong 1.5 for additive noise; adaptive.</summary>
    public static SraMethod Sra2 { get; } = new("sra2", SraTableau.Sra2, 2, "SRA2 (additive noise): strong 1.5, weak 2; adaptive (Rößler 2010)");

    /// <summary>SRA3.</summary>
    /// <remarks>SciML documents weak order 3; our common-random-number measurement on NLADD gives 1.98–1.99
    /// (SdeWeakOrderTests), so <see cref="SdeMethod.WeakOrder"/> says 2. Its deterministic order is 3.</remarks>
    public static SraMethod Sra3 { get; } = new("sra3", SraTableau.Sra3, 2, "SRA3 (additive noise): strong 1.5, weak 2 measured, deterministic order 3; adaptive (Rößler 2010)");

    /// <summary>SOSRA.</summary>
    public static SraMethod Sosra { get; } = new("sosra", SraTableau.Sosra, 2, "SOSRA (additive noise, stability-optimised): strong 1.5, weak 2; adaptive (Rackauckas & Nie 2018)");

    /// <summary>SOSRA2 (Rackauckas &amp; Nie 2018): strong 1.5 for additive noise, stability-optimised; adaptive.</summary>
    public static SraMethod Sosra2 { get; } = new("sosra2", SraTableau.Sosra2, 2, "SOSRA2 (additive noise, stability-optimised): strong 1.5, weak 2; adaptive (Rackauckas & Nie 2018)");

    /// <summary>Creates a method from a tableau.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="tableau">Its coefficients.</param>
    /// <param name="weakOrder">Its weak order.</param>
    /// <param name="description">One line for <c>ordo methods</c>.</param>
    public SraMethod(string name, SraTableau tableau, double weakOrder, string description)
        : base(name, description, SdeCalculus.Ito, hasErrorEstimate: true, usesLevyArea: true, weakOrder)
    {
        Tableau = tableau ?? throw new ArgumentNullException(nameof(tableau));
    }

    /// <summary>The coefficients.</summary>
    public SraTableau Tableau { get; }

    /// <inheritdoc/>
    public override double StrongOrder(SdeProblem problem) => problem.Noise == SdeNoise.Additive ? 1.5 : 0;

    /// <inheritdoc/>
    public override string? Unsupported(SdeProblem problem) => RequireAdditiveNoise(problem);

    /// <inheritdoc/>
    protected override SdeStepper CreateStepperCore(SdeProblem problem) => new Stepper(problem, this);

    private sealed class Stepper : SdeStepper
    {
        private readonly SraTableau _tab;
        private readonly double[][] _f, _g, _stage;
        private readonly double[] _zeta, _noise;
        private readonly bool[] _needG;

        public Stepper(SdeProblem problem, SraMethod method) : base(problem, method)
        {
            _tab = method.Tableau;
            int s = _tab.Stages;
            _f = new double[s][];
            _g = new double[s][];
            _stage = new double[s][];
            _needG = new bool[s];
            for (int i = 0; i < s; i++)
            {
                _f[i] = new double[D];
                _g[i] = new double[problem.DiffusionLength];
                _stage[i] = new double[D];
                _needG[i] = _tab.Beta1[i] != 0 || _tab.Beta2[i] != 0;
                for (int r = i + 1; r < s; r++) _needG[i] |= _tab.B0[r][i] != 0;
            }
            _zeta = new double[M];
            _noise = new double[M];
        }

        public override void Step(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH,
            Span<double> yNew, Span<double> error)
        {
            int s = _tab.Stages;
            for (int j = 0; j < M; j++) _zeta[j] = 0.5 * dW[j] + dH[j];
            for (int i = 0; i < s; i++)
                if (_needG[i]) Diffusion(t + _tab.C1[i] * h, y, _g[i]); // additive: G does not depend on y
            for (int i = 0; i < s; i++)
            {
                double[] z = _stage[i], a0 = _tab.A0[i], b0 = _tab.B0[i];
                for (int k = 0; k < D; k++)
                {
                    double sa = 0;
                    for (int j = 0; j < i; j++) sa += a0[j] * _f[j][k];
                    z[k] = y[k] + h * sa;
                }
                for (int j = 0; j < i; j++)
                    if (b0[j] != 0) AddNoise(_g[j], _zeta, b0[j], z);
                Drift(t + _tab.C0[i] * h, z, _f[i]);
            }
            for (int k = 0; k < D; k++)
            {
                double sa = 0;
                for (int i = 0; i < s; i++) sa += _tab.Alpha[i] * _f[i][k];
                yNew[k] = y[k] + h * sa;
                error[k] = h * (sa - _f[0][k]);
            }
            for (int i = 0; i < s; i++)
            {
                if (!_needG[i] || (_tab.Beta1[i] == 0 && _tab.Beta2[i] == 0)) continue;
                for (int j = 0; j < M; j++) _noise[j] = _tab.Beta1[i] * dW[j] + _tab.Beta2[i] * _zeta[j];
                AddNoise(_g[i], _noise, 1.0, yNew);
            }
        }
    }
}

/// <summary>
/// The coefficients of an additive-noise stochastic Runge–Kutta method in the (W, H) layout of diffrax
/// (sde.md §3.5; Foster, dos Reis &amp; Strange, "High order splitting methods for SDEs satisfying a commutativity
/// condition", arXiv:2210.17543, 2023):
/// <code>
/// zⱼ = y + h Σ_{i&lt;j} aⱼᵢ fᵢ + G(t)(aWⱼ W + aHⱼ H),   fⱼ = f(t + cⱼh, zⱼ)
/// y⁺ = y + h Σ bⱼ fⱼ + G(t) W + (G(t+h) − G(t))(W/2 − H)
/// </code>
/// The last term integrates the time dependence of G. Order conditions for strong order 1.5 (checked by tests):
/// <c>Σb = 1</c>, <c>Σ bⱼaWⱼ = ½</c>, <c>Σ bⱼaHⱼ = 1</c>, <c>Σ bⱼ(aWⱼ² + aHⱼ²/12) = ½</c>, <c>Σ bc = ½</c>.
/// </summary>
/// <param name="C">Stage times.</param>
/// <param name="A">Drift stage weights (row j: stages 0..j−1).</param>
/// <param name="B">Drift output weights.</param>
/// <param name="AW">Weights of W in the stages.</param>
/// <param name="AH">Weights of H in the stages.</param>
/// <param name="E">Error weights (h Σ eⱼ fⱼ), or null when the method has no embedded estimate.</param>
public sealed record AdditiveSrkTableau(double[] C, double[][] A, double[] B, double[] AW, double[] AH, double[]? E)
{
    /// <summary>The number of stages.</summary>
    public int Stages => B.Length;

    /// <summary>ShARK (Foster, dos Reis &amp; Strange 2023, eq. 6.1): strong order 1.5 for additive noise, two drift
    /// evaluations; embedded error <c>h(−3/5 f₁ + 3/5 f₂)</c>. diffrax's recommended additive-noise solver.</summary>
    public static AdditiveSrkTableau ShArk { get; } = new([0, 5.0 / 6], [[], [5.0 / 6]], [2.0 / 5, 3.0 / 5], [0, 5.0 / 6], [1, 1], [-3.0 / 5, 3.0 / 5]);

    /// <summary>SEA, the shifted Euler method (Foster, dos Reis &amp; Strange 2023, eq. 5.8): strong order 1.0 for additive
    /// noise with one drift evaluation, and a small error constant; no error estimate.</summary>
    public static AdditiveSrkTableau Sea { get; } = new([0], [[]], [1], [0.5], [1], null);
}

/// <summary>
/// An additive-noise stochastic Runge–Kutta method of the (W, H) layout (<see cref="AdditiveSrkTableau"/>): ShARK and
/// SEA. Needs additive noise, where Itô and Stratonovich agree.
/// </summary>
public sealed class AdditiveSrkMethod : SdeMethod
{
    /// <summary>ShARK.</summary>
    public static AdditiveSrkMethod ShArk { get; } = new("shark", AdditiveSrkTableau.ShArk, 1.5, 2,
        "ShARK (additive noise, uses W and H): strong 1.5, weak 2; adaptive (Foster, dos Reis & Strange 2023)");

    /// <summary>SEA.</summary>
    public static AdditiveSrkMethod Sea { get; } = new("sea", AdditiveSrkTableau.Sea, 1.0, 1,
        "Shifted Euler (additive noise, uses W and H): strong 1.0, weak 1; fixed steps (Foster, dos Reis & Strange 2023)");

    private readonly double _strong;

    /// <summary>Creates a method from a tableau.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="tableau">Its coefficients.</param>
    /// <param name="strongOrder">Its strong order for additive noise.</param>
    /// <param name="weakOrder">Its weak order.</param>
    /// <param name="description">One line for <c>ordo methods</c>.</param>
    public AdditiveSrkMethod(string name, AdditiveSrkTableau tableau, double strongOrder, double weakOrder, string description)
        : base(name, description, SdeCalculus.Stratonovich, hasErrorEstimate: tableau?.E is not null, usesLevyArea: true, weakOrder)
    {
        Tableau = tableau ?? throw new ArgumentNullException(nameof(tableau));
        _strong = strongOrder;
    }

    /// <summary>The coefficients.</summary>
    public AdditiveSrkTableau Tableau { get; }

    /// <inheritdoc/>
    public override double StrongOrder(SdeProblem problem) => problem.Noise == SdeNoise.Additive ? _strong : 0;

    /// <inheritdoc/>
    public override string? Unsupported(SdeProblem problem) => RequireAdditiveNoise(problem);

    /// <inheritdoc/>
    protected override SdeStepper CreateStepperCore(SdeProblem problem) => new Stepper(problem, this);

    private sealed class Stepper : SdeStepper
    {
        private readonly AdditiveSrkTableau _tab;
        private readonly double[][] _f;
        private readonly double[] _g0, _g1, _z, _v;

        public Stepper(SdeProblem problem, AdditiveSrkMethod method) : base(problem, method)
        {
            _tab = method.Tableau;
            _f = new double[_tab.Stages][];
            for (int i = 0; i < _f.Length; i++) _f[i] = new double[D];
            _g0 = new double[problem.DiffusionLength];
            _g1 = new double[problem.DiffusionLength];
            _z = new double[D];
            _v = new double[M];
        }

        public override void Step(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH,
            Span<double> yNew, Span<double> error)
        {
            Diffusion(t, y, _g0);
            Diffusion(t + h, y, _g1);
            int s = _tab.Stages;
            for (int j = 0; j < s; j++)
            {
                double[] a = _tab.A[j];
                for (int k = 0; k < D; k++)
                {
                    double sa = 0;
                    for (int i = 0; i < j; i++) sa += a[i] * _f[i][k];
                    _z[k] = y[k] + h * sa;
                }
                for (int l = 0; l < M; l++) _v[l] = _tab.AW[j] * dW[l] + _tab.AH[j] * dH[l];
                AddNoise(_g0, _v, 1.0, _z);
                Drift(t + _tab.C[j] * h, _z, _f[j]);
            }
            for (int k = 0; k < D; k++)
            {
                double sb = 0, se = 0;
                for (int j = 0; j < s; j++)
                {
                    sb += _tab.B[j] * _f[j][k];
                    if (_tab.E is { } e) se += e[j] * _f[j][k];
                }
                yNew[k] = y[k] + h * sb;
                if (_tab.E is not null) error[k] = h * se;
            }
            AddNoise(_g0, dW, 1.0, yNew);
            for (int l = 0; l < M; l++) _v[l] = 0.5 * dW[l] - dH[l];
            AddNoise(_g1, _v, 1.0, yNew);
            AddNoise(_g0, _v, -1.0, yNew);
        }
    }
}
