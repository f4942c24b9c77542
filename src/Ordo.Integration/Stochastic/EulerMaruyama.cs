namespace Ordo.Integration;

/// <summary>
/// Euler–Maruyama, <c>y⁺ = y + f(t, y) h + G(t, y) W</c> (Maruyama 1955; Kloeden &amp; Platen 1992, §10.2).
/// Itô; any noise. Strong order 0.5 (1.0 for additive noise), weak order 1. One drift and one diffusion evaluation per
/// step; no error estimate, so it runs with fixed steps (sde.md §3.1).
/// </summary>
public sealed class EulerMaruyama : SdeMethod
{
    /// <summary>The method.</summary>
    public static EulerMaruyama Instance { get; } = new();

    private EulerMaruyama() : base("euler-maruyama",
        "Euler–Maruyama (Itô, any noise): strong 0.5 (1.0 additive), weak 1; fixed steps (Kloeden & Platen 1992, §10.2)",
        SdeCalculus.Ito, hasErrorEstimate: false, usesLevyArea: false, weakOrder: 1.0) { }

    /// <inheritdoc/>
    public override double StrongOrder(SdeProblem problem) => problem.Noise == SdeNoise.Additive ? 1.0 : 0.5;

    /// <inheritdoc/>
    protected override SdeStepper CreateStepperCore(SdeProblem problem) => new Stepper(problem, this);

    private sealed class Stepper(SdeProblem problem, SdeMethod method) : SdeStepper(problem, method)
    {
        private readonly double[] _f = new double[problem.Dimension], _g = new double[problem.DiffusionLength];

        public override void Step(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH,
            Span<double> yNew, Span<double> error)
        {
            EulerMaruyamaStep(t, h, y, dW, _f, _g, yNew);
        }
    }
}

/// <summary>
/// Milstein's scheme (Milstein 1974; Kloeden &amp; Platen 1992, §10.3), for commutative noise in either calculus:
/// <c>y⁺ = y + f h + G W + ½ Σᵢⱼ (Lⁱgⱼ)(WᵢWⱼ − δᵢⱼ h)</c> (Itô; Stratonovich drops <c>δᵢⱼ h</c>), with
/// <c>Lⁱgⱼ = (∂gⱼ/∂y) gᵢ</c> from <see cref="SdeProblem.DiffusionDerivative"/> or central differences (sde.md §3.2).
/// Strong order 1.0 and weak order 1 for scalar, diagonal, commutative and additive noise; general (non-commutative)
/// noise would need Lévy areas and is refused. Fixed steps.
/// </summary>
public sealed class Milstein : SdeMethod
{
    /// <summary>The method.</summary>
    public static Milstein Instance { get; } = new();

    private Milstein() : base("milstein",
        "Milstein (Itô or Stratonovich; scalar/diagonal/commutative noise): strong 1.0, weak 1; fixed steps (Milstein 1974)",
        SdeCalculus.Ito, hasErrorEstimate: false, usesLevyArea: false, weakOrder: 1.0) { }

    /// <inheritdoc/>
    public override bool HandlesBothCalculi => true;

    /// <inheritdoc/>
    public override double StrongOrder(SdeProblem problem) => problem.IsCommutative ? 1.0 : 0;

    /// <inheritdoc/>
    public override string? Unsupported(SdeProblem problem) => problem.IsCommutative ? null
        : "Milstein needs commutative noise (general noise needs Lévy areas); use euler-maruyama or stochastic-heun.";

    /// <inheritdoc/>
    protected override SdeStepper CreateStepperCore(SdeProblem problem) => new Stepper(problem, this);

    private sealed class Stepper : SdeStepper
    {
        private readonly double[] _f, _g, _dG, _column, _scratch;
        private readonly bool _ito, _additive;

        public Stepper(SdeProblem problem, SdeMethod method) : base(problem, method)
        {
            _f = new double[D];
            _g = new double[problem.DiffusionLength];
            _dG = new double[problem.DiffusionLength];
            _column = new double[D];
            _scratch = new double[Math.Max(1, DerivativeScratchLength)];
            _ito = problem.Calculus == SdeCalculus.Ito;
            _additive = problem.Noise == SdeNoise.Additive;
        }

        public override void Step(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH,
            Span<double> yNew, Span<double> error)
        {
            EulerMaruyamaStep(t, h, y, dW, _f, _g, yNew);
            if (_additive) return; // Lⁱgⱼ = 0
            double itoShift = _ito ? h : 0.0;
            if (Problem.DiagonalDiffusion)
            {
                // (∂gᵢ/∂yᵢ) gᵢ from one directional derivative along g.
                DiffusionJvp(t, y, _g, _dG, _scratch);
                for (int i = 0; i < D; i++) yNew[i] += 0.5 * _dG[i] * (dW[i] * dW[i] - itoShift);
                return;
            }
            int m = M;
            for (int i = 0; i < m; i++)
            {
                for (int k = 0; k < D; k++) _column[k] = _g[k * m + i];
                DiffusionJvp(t, y, _column, _dG, _scratch); // column j of _dG is Lⁱgⱼ
                for (int k = 0; k < D; k++)
                {
                    double s = 0;
                    for (int j = 0; j < m; j++) s += _dG[k * m + j] * dW[j];
                    yNew[k] += 0.5 * (dW[i] * s - itoShift * _dG[k * m + i]);
                }
            }
        }
    }
}

/// <summary>
/// Stochastic Heun (Stratonovich; sde.md §3.3; Kloeden &amp; Platen 1992, §11.1; Rümelin 1982):
/// <c>ỹ = y + f h + G W</c>, <c>y⁺ = y + ½(f + f̃) h + ½(G + G̃) W</c>, with the embedded Euler solution giving the
/// error estimate <c>½h(f̃ − f) + ½(G̃ − G)W</c>, so it steps adaptively. Strong order 0.5 for general noise, 1.0 for
/// commutative (and additive) noise; weak order 1. Two drift and two diffusion evaluations per step. Itô problems are
/// converted by the drift correction.
/// </summary>
public sealed class StochasticHeun : SdeMethod
{
    /// <summary>The method.</summary>
    public static StochasticHeun Instance { get; } = new();

    private StochasticHeun() : base("stochastic-heun",
        "Stochastic Heun (Stratonovich, any noise): strong 0.5 (1.0 commutative/additive), weak 1; adaptive (Heun − Euler) (Rümelin 1982)",
        SdeCalculus.Stratonovich, hasErrorEstimate: true, usesLevyArea: false, weakOrder: 1.0) { }

    /// <inheritdoc/>
    public override double StrongOrder(SdeProblem problem) => problem.IsCommutative ? 1.0 : 0.5;

    /// <inheritdoc/>
    protected override SdeStepper CreateStepperCore(SdeProblem problem) => new Stepper(problem, this);

    private sealed class Stepper(SdeProblem problem, SdeMethod method) : SdeStepper(problem, method)
    {
        private readonly double[] _f = new double[problem.Dimension], _f2 = new double[problem.Dimension],
            _g = new double[problem.DiffusionLength], _g2 = new double[problem.DiffusionLength], _euler = new double[problem.Dimension];

        public override void Step(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH,
            Span<double> yNew, Span<double> error)
        {
            EulerMaruyamaStep(t, h, y, dW, _f, _g, _euler);
            Drift(t + h, _euler, _f2);
            Diffusion(t + h, _euler, _g2);
            for (int i = 0; i < D; i++)
            {
                yNew[i] = y[i] + 0.5 * h * (_f[i] + _f2[i]);
                error[i] = 0.5 * h * (_f2[i] - _f[i]);
            }
            AddNoise(_g, dW, 0.5, yNew);
            AddNoise(_g2, dW, 0.5, yNew);
            AddNoise(_g2, dW, 0.5, error);
            AddNoise(_g, dW, -0.5, error);
        }
    }
}

/// <summary>
/// The Euler–Heun method (Stratonovich, any noise; diffrax's <c>EulerHeun</c>, SciML's <c>EulerHeun</c>): the drift by
/// Euler, the diffusion by Heun's trapezoidal rule, <c>ỹ = y + G(t, y) W</c>,
/// <c>y⁺ = y + f(t, y) h + ½ (G(t, y) + G(t + h, ỹ)) W</c> — one drift and two diffusion evaluations per step, for
/// problems where the drift is the expensive part. Strong order ½ for general noise and 1 for commutative noise, as
/// measured in <c>SdeStrongOrderTests</c> (diffrax's table says ½ for commutative noise; sde.md §8 item 2). Weak
/// order 1; fixed steps.
/// </summary>
public sealed class EulerHeun : SdeMethod
{
    /// <summary>The method.</summary>
    public static EulerHeun Instance { get; } = new();

    private EulerHeun() : base("euler-heun",
        "Euler–Heun (Stratonovich, any noise; Euler drift, Heun diffusion): strong 0.5 (1.0 commutative/additive, measured), weak 1; fixed steps",
        SdeCalculus.Stratonovich, hasErrorEstimate: false, usesLevyArea: false, weakOrder: 1.0) { }

    /// <inheritdoc/>
    public override double StrongOrder(SdeProblem problem) => problem.IsCommutative ? 1.0 : 0.5;

    /// <inheritdoc/>
    protected override SdeStepper CreateStepperCore(SdeProblem problem) => new Stepper(problem, this);

    private sealed class Stepper(SdeProblem problem, SdeMethod method) : SdeStepper(problem, method)
    {
        private readonly double[] _f = new double[problem.Dimension], _g = new double[problem.DiffusionLength],
            _g2 = new double[problem.DiffusionLength], _predictor = new double[problem.Dimension];

        public override void Step(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH,
            Span<double> yNew, Span<double> error)
        {
            Drift(t, y, _f);
            Diffusion(t, y, _g);
            y.CopyTo(_predictor);
            AddNoise(_g, dW, 1.0, _predictor);
            Diffusion(t + h, _predictor, _g2);
            for (int i = 0; i < D; i++) yNew[i] = y[i] + h * _f[i];
            AddNoise(_g, dW, 0.5, yNew);
            AddNoise(_g2, dW, 0.5, yNew);
        }
    }
}
