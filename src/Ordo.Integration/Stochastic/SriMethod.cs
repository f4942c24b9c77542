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
/// <c>E₁ = h(f₁ + f₂)</c>, <c>E₂ = Σ (β3ᵢ ζ + β4ᵢ χ₃) gᵢ</c>, <c>δ = 1/6</c> (sde.md §4.1).
/// </summary>
public sealed class SriMethod : SdeMethod
{
    /// <summary>SRIW1: strong 1.5, weak 2 (sde.md §3.4).</summary>
    public static SriMethod Sriw1 { get; } = new("sriw1", SriTableau.Sriw1, "SRIW1 (Itô, scalar/diagonal noise): strong 1.5, weak 2; adaptive (Rößler 2010; Rackauckas & Nie 2017)");

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

    /// <inheritdoc/>
    public override double StrongOrder(SdeProblem problem) => Unsupported(problem) is null ? 1.5 : 0;

    /// <summary>SRIW1 is an Itô scheme built on √h, so it never runs backwards.</summary>
    public override string? UnsupportedBackward(SdeProblem problem) =>
        "sriw1 is an Itô scheme built on √h and does not run backwards in time; use a Stratonovich method (stochastic-heun, spark, general-shark, slowrk), milstein, or for additive noise shark or sra1.";

    /// <inheritdoc/>
    public override string? Unsupported(SdeProblem problem) => problem.DiagonalDiffusion || problem.NoiseDimension == 1 ? null
        : $"{Name} needs scalar or diagonal noise (each component driven by its own Wiener process); use stochastic-heun, milstein or euler-maruyama.";

    /// <inheritdoc/>
    protected override SdeStepper CreateStepperCore(SdeProblem problem) => new Stepper(problem, this);

    private sealed class Stepper : SdeStepper
    {
        private readonly SriTableau _tab;
        private readonly double _delta;
        private readonly double[][] _f, _g, _h0, _h1;
        private readonly bool[] _needF, _sameAsFirst;
        private readonly double[] _zeta, _chi1, _chi3;
        private readonly bool _diagonal;

        public Stepper(SdeProblem problem, SriMethod method) : base(problem, method)
        {
            _tab = method.Tableau;
            _delta = method.ErrorDelta;
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
                _needF[i] = _tab.Alpha[i] != 0 || i < 2;
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
                double drift = 0, noise = 0, e2 = 0;
                for (int i = 0; i < s; i++)
                {
                    double gi = _g[i][k];
                    drift += _tab.Alpha[i] * _f[i][k];
                    noise += (_tab.Beta1[i] * w + _tab.Beta2[i] * _chi1[k]) * gi;
                    e2 += (_tab.Beta3[i] * _zeta[k] + _tab.Beta4[i] * _chi3[k]) * gi;
                }
                yNew[k] = y[k] + h * drift + noise + e2;
                error[k] = _delta * h * (_f[0][k] + _f[1][k]) + e2;
            }
        }
    }
}
