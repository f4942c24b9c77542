namespace Ordo.Integration;

/// <summary>
/// The coefficients of a Rößler SRI stochastic Runge–Kutta method for Itô SDEs with scalar or diagonal noise
/// (Rößler, "Runge–Kutta methods for the strong approximation of solutions of stochastic differential equations",
/// SIAM J. Numer. Anal. 48(3), 2010, Table 5.2; layout of SciML's <c>SRIW1</c>; sde.md §3.4). Stage matrices are
/// strictly lower triangular, row i holding the weights of stages 0..i−1.
/// </summary>
public sealed record SriTableau(
    double[] C0, double[] C1, double[][] A0, double[][] A1, double[][] B0, double[][] B1,
    double[] Alpha, double[] Beta1, double[] Beta2, double[] Beta3, double[] Beta4)
{
    /// <summary>The number of stages.</summary>
    public int Stages => Alpha.Length;

    /// <summary>SRIW1 (Rößler 2010, with the weights of SciML's <c>constructSRIW1</c>): strong order 1.5, weak order 2;
    /// two drift and four diffusion evaluations per step. Passes the 25 SRI order conditions (sde-data/make_sde_tableaux.py).</summary>
    public static SriTableau Sriw1 { get; } = new(
        C0: [0, 3.0 / 4, 0, 0],
        C1: [0, 1.0 / 4, 1, 1.0 / 4],
        A0: [[], [3.0 / 4], [0, 0], [0, 0, 0]],
        A1: [[], [1.0 / 4], [1, 0], [0, 0, 1.0 / 4]],
        B0: [[], [3.0 / 2], [0, 0], [0, 0, 0]],
        B1: [[], [1.0 / 2], [-1, 0], [-5, 3, 1.0 / 2]],
        Alpha: [1.0 / 3, 2.0 / 3, 0, 0],
        Beta1: [-1, 4.0 / 3, 2.0 / 3, 0],
        Beta2: [-1, 4.0 / 3, -1.0 / 3, 0],
        Beta3: [2, -4.0 / 3, -2.0 / 3, 0],
        Beta4: [-2, 5.0 / 3, -2.0 / 3, 1]);

    /// <summary>SOSRI (Rackauckas &amp; Nie 2018, "Stability-optimized high order methods and stiffness detection for
    /// pathwise stiff stochastic differential equations", arXiv:1804.04344; SciML's <c>constructSRIOpt1</c>, the tableau
    /// of its <c>SOSRI</c>): an SRI tableau whose free coefficients were chosen to enlarge the stability region while
    /// keeping strong order 1.5; four drift and four diffusion evaluations per step. Stage times are the row sums.</summary>
    public static SriTableau Sosri { get; } = WithRowSumTimes(
        A0: [[], [-0.04199224421316468], [2.842612915017106, -2.0527723684000727], [4.338237071435815, -2.8895936137439793, 2.3017575594644466]],
        A1: [[], [0.26204282091330466], [0.20903646383505375, -0.1502377115150361], [0.05836595312746999, 0.6149440396332373, 0.08535117634046772]],
        B0: [[], [-0.21641093549612528], [1.5336352863679572, 0.26066223492647056], [-1.0536037558179159, 1.7015284721089472, -0.20725685784180017]],
        B1: [[], [-0.5119011827621657], [2.67767339866713, -4.9395031322250995], [0.15580956238299215, 3.2361551006624674, -1.4223118283355949]],
        Alpha: [1.140099274172029, -0.6401334255743456, 0.4736296532772559, 0.026404498125060714],
        Beta1: [-1.8453464565104432, 2.688764531100726, -0.2523866501071323, 0.40896857551684956],
        Beta2: [0.4969658141589478, -0.5771202869753592, -0.12919702470322217, 0.2093514975196336],
        Beta3: [2.8453464565104425, -2.688764531100725, 0.2523866501071322, -0.40896857551684945],
        Beta4: [0.11522663875443433, -0.57877086147738, 0.2857851028163886, 0.17775911990655704]);

    /// <summary>SOSRI2 (Rackauckas &amp; Nie 2018; SciML's <c>constructSRIOpt2</c>, the tableau of its <c>SOSRI2</c>):
    /// the second stability-optimized SRI tableau, with stage times c₀, c₁ ∈ [0, 1].</summary>
    public static SriTableau Sosri2 { get; } = new(
        C0: [0.0, 0.13804532298278663, 0.9999999999999992, 0.9999999999999994],
        C1: [0.0, 0.45605532163856893, 0.999999999999996, 0.9999999999999962],
        A0: [[], [0.13804532298278663], [0.5818361298250374, 0.4181638701749618], [0.4670018408674211, 0.8046204792187386, -0.27162232008616016]],
        A1: [[], [0.45605532163856893], [0.7555807846451692, 0.24441921535482677], [0.6981181143266059, 0.3453277086024727, -0.04344582292908241]],
        B0: [[], [0.08852381537667678], [1.0317752458971061, 0.4563552922077882], [1.73078280444124, -0.46089678470929774, -0.9637509618944188]],
        B1: [[], [0.6753186815412179], [-0.07452812525785148, -0.49783736486149366], [-0.5591906709928903, 0.022696571806569924, -0.8984927888368557]],
        Alpha: [-0.15036858140642623, 0.7545275856696072, 0.686995463807979, -0.2911544680711602],
        Beta1: [-0.45315689727309133, 0.8330937231303951, 0.3792843195533544, 0.24077885458934192],
        Beta2: [-0.4994383733810986, 0.9181786186154077, -0.25613778661003145, -0.16260245862427797],
        Beta3: [1.4531568972730915, -0.8330937231303933, -0.3792843195533583, -0.24077885458934023],
        Beta4: [-0.4976090683622265, 0.9148155835648892, -1.4102107084476505, 0.9930041932449877]);

    private static SriTableau WithRowSumTimes(double[][] A0, double[][] A1, double[][] B0, double[][] B1,
        double[] Alpha, double[] Beta1, double[] Beta2, double[] Beta3, double[] Beta4) =>
        new([.. A0.Select(r => r.Sum())], [.. A1.Select(r => r.Sum())], A0, A1, B0, B1, Alpha, Beta1, Beta2, Beta3, Beta4);
}

/// <summary>
/// A Rößler SRI method (Itô; scalar or diagonal noise, also diagonal additive noise), run from its
/// <see cref="SriTableau"/>. With <c>ζ = W/2 + H</c> taken from the Brownian path's space-time Lévy area (so no
/// separate random stream is needed: sde.md §3.4), <c>χ₁ = (W² − h)/(2√h)</c> and <c>χ₃ = (W³ − 3hW)/(6h)</c>:
/// <code>
/// H0ᵢ = y + h Σ A0ᵢⱼ fⱼ + ζ Σ B0ᵢⱼ gⱼ,   H1ᵢ = y + h Σ A1ᵢⱼ fⱼ + √h Σ B1ᵢⱼ gⱼ
/// y⁺ = y + h Σ αᵢ fᵢ + Σ (β1ᵢ W + β2ᵢ χ₁ + β3ᵢ ζ + β4ᵢ χ₃) gᵢ
/// </code>
/// with <c>fᵢ = f(t + c0ᵢh, H0ᵢ)</c>, <c>gᵢ = g(t + c1ᵢh, H1ᵢ)</c>. Error estimate: the "natural embedding" of
/// Rackauckas &amp; Nie (2017, "Adaptive methods for stochastic differential equations via natural embeddings and
/// rejection sampling with memory", Discrete Contin. Dyn. Syst. B 22(7)): <c>δE₁ + E₂</c> with
/// <c>E₁ = h(f₁ + f₂)</c> (SOSRI: all four drift stages, <see cref="ErrorTerms"/>), <c>E₂ = Σ (β3ᵢ ζ + β4ᵢ χ₃) gᵢ</c>,
/// <c>δ = 1/6</c> (sde.md §4.1).
/// </summary>
public sealed class SriMethod : SdeMethod
{
    /// <summary>SRIW1: strong 1.5, weak 2 (sde.md §3.4).</summary>
    public static SriMethod Sriw1 { get; } = new("sriw1", SriTableau.Sriw1, "SRIW1 (Itô, scalar/diagonal noise): strong 1.5, weak 2; adaptive (Rößler 2010; Rackauckas & Nie 2017)");

    /// <summary>SOSRI: strong 1.5, stability-optimized; its error estimate uses all four drift stages (SciML's).</summary>
    public static SriMethod Sosri { get; } = new("sosri", SriTableau.Sosri, "SOSRI (Itô, scalar/diagonal noise, stability-optimized): strong 1.5; adaptive (Rackauckas & Nie 2018)") { ErrorTerms = 4 };

    /// <summary>SOSRI2: strong 1.5, stability-optimized, stage times in [0, 1].</summary>
    public static SriMethod Sosri2 { get; } = new("sosri2", SriTableau.Sosri2, "SOSRI2 (Itô, scalar/diagonal noise, stability-optimized): strong 1.5; adaptive (Rackauckas & Nie 2018)") { ErrorTerms = 4 };

    /// <summary>Creates a method from a tableau.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="tableau">Its coefficients.</param>
    /// <param name="description">One line for <c>ordo methods</c>.</param>
    public SriMethod(string name, SriTableau tableau, string description)
        : base(name, description, SdeCalculus.Ito, hasErrorEstimate: true, usesLevyArea: true, weakOrder: 2.0)
    {
        Tableau = tableau ?? throw new ArgumentNullException(nameof(tableau));
    }

    /// <summary>The coefficients.</summary>
    public SriTableau Tableau { get; }

    /// <summary>The weight δ of the deterministic part of the error estimate (SciML's <c>delta</c>, 1/6 for SRIW1).</summary>
    public double ErrorDelta { get; init; } = 1.0 / 6;

    /// <summary>How many drift stages E₁ sums: 2 for SRIW1 (<c>E₁ = h(f₁ + f₂)</c>), 4 for SOSRI and SOSRI2 (SciML's
    /// <c>error_terms</c>).</summary>
    public int ErrorTerms { get; init; } = 2;

    /// <inheritdoc/>
    public override double StrongOrder(SdeProblem problem) => Unsupported(problem) is null ? 1.5 : 0;

    /// <summary>SRIW1 is an Itô scheme built on √h, so it never runs backwards.</summary>
    public override string? UnsupportedBackward(SdeProblem problem) =>
        $"{Name} is an Itô scheme built on √h and does not run backwards in time; use a Stratonovich method (stochastic-heun, spark, general-shark, slowrk), milstein, or for additive noise shark or sra1.";

    /// <inheritdoc/>
    public override string? Unsupported(SdeProblem problem) => problem.DiagonalDiffusion || problem.NoiseDimension == 1 ? null
        : $"{Name} needs scalar or diagonal noise (each component driven by its own Wiener process); use stochastic-heun, milstein or euler-maruyama.";

    /// <inheritdoc/>
    protected override SdeStepper CreateStepperCore(SdeProblem problem) => new Stepper(problem, this);

    private sealed class Stepper : SdeStepper
    {
        private readonly SriTableau _tab;
        private readonly double _delta;
        private readonly int _errorTerms;
        private readonly double[][] _f, _g, _h0, _h1;
        private readonly bool[] _needF, _sameAsFirst;
        private readonly double[] _zeta, _chi1, _chi3;
        private readonly bool _diagonal;

        public Stepper(SdeProblem problem, SriMethod method) : base(problem, method)
        {
            _tab = method.Tableau;
            _delta = method.ErrorDelta;
            _errorTerms = Math.Clamp(method.ErrorTerms, 1, method.Tableau.Stages);
            int s = _tab.Stages;
            _f = new double[s][];
            _g = new double[s][];
            _h0 = new double[s][];
            _h1 = new double[s][];
            _needF = new bool[s];
            _sameAsFirst = new bool[s];
            for (int i = 0; i < s; i++)
            {
                _f[i] = new double[D];
                _g[i] = new double[D];
                _h0[i] = new double[D];
                _h1[i] = new double[D];
                _needF[i] = _tab.Alpha[i] != 0 || i < _errorTerms;
                for (int r = i + 1; r < s; r++)
                    _needF[i] |= _tab.A0[r][i] != 0 || _tab.A1[r][i] != 0;
                // A stage whose H0 is y at time t has f = f₁ (SRIW1's third stage): reuse it.
                _sameAsFirst[i] = i > 0 && _tab.C0[i] == 0 && _tab.A0[i].All(a => a == 0) && _tab.B0[i].All(b => b == 0);
            }
            _zeta = new double[D];
            _chi1 = new double[D];
            _chi3 = new double[D];
            _diagonal = problem.DiagonalDiffusion;
        }

        public override void Step(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH,
            Span<double> yNew, Span<double> error)
        {
            int s = _tab.Stages;
            double sqrtH = Math.Sqrt(h);
            for (int k = 0; k < D; k++)
            {
                int lane = _diagonal ? k : 0;
                double w = dW[lane];
                _zeta[k] = 0.5 * w + dH[lane];
                _chi1[k] = (w * w - h) / (2 * sqrtH);
                _chi3[k] = (w * w * w - 3 * h * w) / (6 * h);
            }
            for (int i = 0; i < s; i++)
            {
                double[] h0 = _h0[i], h1 = _h1[i];
                double[] a0 = _tab.A0[i], a1 = _tab.A1[i], b0 = _tab.B0[i], b1 = _tab.B1[i];
                for (int k = 0; k < D; k++)
                {
                    double sa0 = 0, sa1 = 0, sb0 = 0, sb1 = 0;
                    for (int j = 0; j < i; j++)
                    {
                        double fj = _f[j][k], gj = _g[j][k];
                        sa0 += a0[j] * fj;
                        sa1 += a1[j] * fj;
                        sb0 += b0[j] * gj;
                        sb1 += b1[j] * gj;
                    }
                    h0[k] = y[k] + h * sa0 + _zeta[k] * sb0;
                    h1[k] = y[k] + h * sa1 + sqrtH * sb1;
                }
                if (_sameAsFirst[i]) _f[0].CopyTo(_f[i], 0);
                else if (_needF[i]) Drift(t + _tab.C0[i] * h, h0, _f[i]);
                Diffusion(t + _tab.C1[i] * h, h1, _g[i]);
            }
            for (int k = 0; k < D; k++)
            {
                int lane = _diagonal ? k : 0;
                double w = dW[lane];
                double drift = 0, noise = 0, e2 = 0, e1 = 0;
                for (int i = 0; i < s; i++)
                {
                    double gi = _g[i][k];
                    drift += _tab.Alpha[i] * _f[i][k];
                    noise += (_tab.Beta1[i] * w + _tab.Beta2[i] * _chi1[k]) * gi;
                    e2 += (_tab.Beta3[i] * _zeta[k] + _tab.Beta4[i] * _chi3[k]) * gi;
                    if (i < _errorTerms) e1 += _f[i][k];
                }
                yNew[k] = y[k] + h * drift + noise + e2;
                error[k] = _delta * h * e1 + e2;
            }
        }
    }
}
