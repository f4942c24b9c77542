namespace Ordo.Integration;

/// <summary>
/// An SDE solver: a description (name, calculus, orders) and a factory for its stepper. Steppers are pure functions of
/// (t, h, y, W, H): the driver (<see cref="Sde"/>, <see cref="SdeEnsemble"/>) asks the Brownian path for the noise, so a
/// rejected step is retried on the same path, and one driver loop serves every method (the diffrax/OrdinaryDiffEq
/// design, sde.md §3). Register new methods in <see cref="SdeMethods"/>.
/// </summary>
public abstract class SdeMethod
{
    /// <summary>Describes a method.</summary>
    /// <param name="name">The lower-case name used by the <c>ordo</c> command.</param>
    /// <param name="description">One line for <c>ordo methods</c>.</param>
    /// <param name="calculus">The calculus the scheme approximates natively.</param>
    /// <param name="hasErrorEstimate">True when the stepper returns an embedded error estimate.</param>
    /// <param name="usesLevyArea">True when the stepper needs the space-time Lévy area H.</param>
    /// <param name="weakOrder">The weak order.</param>
    protected SdeMethod(string name, string description, SdeCalculus calculus, bool hasErrorEstimate, bool usesLevyArea, double weakOrder)
    {
        Name = string.IsNullOrWhiteSpace(name) ? throw new ArgumentException("A method needs a name.", nameof(name)) : name;
        Description = description ?? name;
        Calculus = calculus;
        HasErrorEstimate = hasErrorEstimate;
        UsesLevyArea = usesLevyArea;
        WeakOrder = weakOrder;
    }

    /// <summary>The lower-case name used by the <c>ordo</c> command (e.g. <c>euler-maruyama</c>, <c>shark</c>).</summary>
    public string Name { get; }

    /// <summary>One line for <c>ordo methods</c>: what it is, which noise, its orders, its source.</summary>
    public string Description { get; }

    /// <summary>The calculus whose solution the scheme approximates natively. A problem in the other calculus is converted
    /// by the drift correction <c>±½ Σⱼ (∂gⱼ/∂y) gⱼ</c> (sde.md §0), which costs differenced diffusion evaluations unless
    /// the problem supplies <see cref="SdeProblem.DiffusionDerivative"/>; additive noise needs no conversion.</summary>
    public SdeCalculus Calculus { get; }

    /// <summary>True when the method handles both calculi itself (Milstein), so no drift conversion is made.</summary>
    public virtual bool HandlesBothCalculi => false;

    /// <summary>True when the stepper returns an embedded error estimate, so the method can step adaptively.</summary>
    public bool HasErrorEstimate { get; }

    /// <summary>True when the stepper needs the space-time Lévy area H besides the increment W.</summary>
    public bool UsesLevyArea { get; }

    /// <summary>The weak order (for smooth test functions).</summary>
    public double WeakOrder { get; }

    /// <summary>The strong order on a problem with this noise structure (sde.md §3.7), or 0 when the method does not apply.</summary>
    public abstract double StrongOrder(SdeProblem problem);

    /// <summary>Null when the method can solve the problem, otherwise a sentence saying why not and what to use instead.</summary>
    public virtual string? Unsupported(SdeProblem problem) => null;

    /// <summary>
    /// Null when the method can solve the problem backwards in time (t1 &lt; t0), otherwise why not. A backward solve
    /// should converge to the inverse of the forward flow on the same path; a Stratonovich scheme does (the calculus
    /// of ordinary chain rules is symmetric in time), and so does any scheme when the noise is additive. An Itô scheme
    /// run backwards on multiplicative noise converges to the backward Itô integral instead, so it is refused.
    /// </summary>
    public virtual string? UnsupportedBackward(SdeProblem problem) =>
        Calculus == SdeCalculus.Stratonovich || HandlesBothCalculi || problem.Noise == SdeNoise.Additive ? null
        : $"{Name} is an Itô scheme: run backwards on multiplicative noise it converges to the backward Itô integral, not to the inverse of the forward flow; use a Stratonovich method (stochastic-heun, spark, general-shark, slowrk) or milstein.";

    /// <summary>Creates a stepper with its workspace for one problem (one per thread).</summary>
    /// <exception cref="ArgumentException">The method cannot solve the problem (<see cref="Unsupported"/> says why).</exception>
    public SdeStepper CreateStepper(SdeProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (Unsupported(problem) is { } why) throw new ArgumentException(why, nameof(problem));
        return CreateStepperCore(problem);
    }

    /// <summary>Creates the stepper of a problem the method supports.</summary>
    protected abstract SdeStepper CreateStepperCore(SdeProblem problem);

    /// <summary>The refusal message of an additive-noise method for a problem whose noise is not additive, or null.</summary>
    protected string? RequireAdditiveNoise(SdeProblem problem) => problem.Noise == SdeNoise.Additive ? null
        : $"{Name} needs additive noise (G depending on t only); use sriw1 for diagonal noise or stochastic-heun / euler-maruyama otherwise.";

    /// <summary>The default controller: <see cref="PIController"/> with the SDE preset of sde.md §4.3 — diffrax's
    /// recommended PID coefficients (p = 0.1, i = 0.3, d = 0; Burrage, Herdiana &amp; Burrage 2004) on the error order
    /// <c>k = strong order + ½</c>, i.e. β₁ = 0.4/k, β₂ = 0.1/k, and growth capped at 5× because noisy estimates make
    /// larger jumps wasteful.</summary>
    public IStepSizeController DefaultController(SdeProblem problem)
    {
        double k = Math.Max(StrongOrder(problem), 0.5) + 0.5;
        return new PIController(0.4 / k, 0.1 / k) { MaxFactor = 5.0 };
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>
/// One method's step for one problem, with preallocated buffers. <see cref="Step"/> must allocate nothing.
/// </summary>
public abstract class SdeStepper
{
    private readonly double[] _correctionG, _correctionC, _correctionScratch, _correctionColumn, _correctionDg, _jvpY, _jvpG;
    private readonly double _correctionSign;

    /// <summary>Creates the shared workspace.</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="method">The method (decides the calculus conversion).</param>
    protected SdeStepper(SdeProblem problem, SdeMethod method)
    {
        Problem = problem ?? throw new ArgumentNullException(nameof(problem));
        ArgumentNullException.ThrowIfNull(method);
        D = problem.Dimension;
        M = problem.NoiseDimension;
        bool convert = !method.HandlesBothCalculi && problem.Calculus != method.Calculus && problem.Noise != SdeNoise.Additive;
        // Itô drift = Stratonovich drift + ½ Σ L^j g_j; going the other way subtracts it.
        _correctionSign = !convert ? 0.0 : method.Calculus == SdeCalculus.Stratonovich ? -0.5 : 0.5;
        // The conversion's buffers exist only when the drift is converted.
        _correctionG = convert ? new double[problem.DiffusionLength] : [];
        _correctionC = convert ? new double[D] : [];
        _correctionScratch = convert ? new double[Math.Max(DerivativeScratchLength, 1)] : [];
        _correctionColumn = convert ? new double[D] : [];
        _correctionDg = convert ? new double[problem.DiffusionLength] : [];
        _jvpY = new double[D];
        _jvpG = new double[problem.DiffusionLength];
    }

    /// <summary>The problem.</summary>
    public SdeProblem Problem { get; }

    /// <summary>d.</summary>
    protected int D { get; }

    /// <summary>m.</summary>
    protected int M { get; }

    /// <summary>True when the last <see cref="Step"/> could not produce a state (a drift-implicit step whose Newton
    /// iteration did not converge); the driver then stops with <see cref="SdeStatus.NewtonFailure"/>.</summary>
    public bool Failed { get; protected set; }

    /// <summary>Drift evaluations so far (the driver resets it per path).</summary>
    public long DriftEvaluations { get; set; }

    /// <summary>Diffusion evaluations so far (the driver resets it per path).</summary>
    public long DiffusionEvaluations { get; set; }

    /// <summary>
    /// Attempts the step from <paramref name="t"/> to <c>t + h</c>.
    /// </summary>
    /// <param name="t">The start of the step.</param>
    /// <param name="h">The step size, &gt; 0.</param>
    /// <param name="y">The state at t (d values).</param>
    /// <param name="dW">The Brownian increments over the step (m values).</param>
    /// <param name="dH">The space-time Lévy areas over the step (m values; empty when the method does not use them).</param>
    /// <param name="yNew">Receives the state at t + h.</param>
    /// <param name="error">Receives the embedded error estimate (d values) when the method has one.</param>
    public abstract void Step(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH,
        Span<double> yNew, Span<double> error);

    /// <summary>Evaluates the drift in the method's calculus (the problem's drift, plus the Itô–Stratonovich correction
    /// when the calculi differ) and counts it.</summary>
    protected void Drift(double t, ReadOnlySpan<double> y, Span<double> f)
    {
        DriftEvaluations++;
        Problem.Drift(t, y, f);
        if (_correctionSign != 0)
        {
            Diffusion(t, y, _correctionG);
            CorrectionTerm(t, y, _correctionG, _correctionC);
            for (int i = 0; i < D; i++) f[i] += _correctionSign * _correctionC[i];
        }
    }

    /// <summary>Evaluates the diffusion and counts it.</summary>
    protected void Diffusion(double t, ReadOnlySpan<double> y, Span<double> g)
    {
        DiffusionEvaluations++;
        Problem.Diffusion(t, y, g);
    }

    /// <summary>The Euler–Maruyama step <c>yNew = y + h f(t, y) + G(t, y) dW</c>, leaving f and G in the buffers for the
    /// schemes that build on it (Milstein's correction, Heun's predictor).</summary>
    protected void EulerMaruyamaStep(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, Span<double> f, Span<double> g, Span<double> yNew)
    {
        Drift(t, y, f);
        Diffusion(t, y, g);
        for (int i = 0; i < D; i++) yNew[i] = y[i] + h * f[i];
        AddNoise(g, dW, 1.0, yNew);
    }

    /// <summary><c>target += scale · G · v</c> for an m-vector v (elementwise for the diagonal layout).</summary>
    protected void AddNoise(ReadOnlySpan<double> g, ReadOnlySpan<double> v, double scale, Span<double> target)
    {
        if (Problem.DiagonalDiffusion)
        {
            for (int i = 0; i < D; i++) target[i] += scale * g[i] * v[i];
            return;
        }
        int m = M;
        for (int k = 0; k < D; k++)
        {
            double s = 0;
            ReadOnlySpan<double> row = g.Slice(k * m, m);
            for (int j = 0; j < m; j++) s += row[j] * v[j];
            target[k] += scale * s;
        }
    }

    /// <summary>
    /// The directional derivative of G along v: <c>dG = (∂G/∂y)·v</c> (same layout as G). Exact when the problem has
    /// <see cref="SdeProblem.DiffusionDerivative"/>, otherwise a central difference with step
    /// <c>ε = ε_mach^(1/3)·(1 + ‖y‖∞)/‖v‖∞</c> (two diffusion evaluations, error O(ε²)).
    /// For the diagonal layout, <c>dGᵢ = (∂gᵢ/∂yᵢ) vᵢ</c>.
    /// </summary>
    protected void DiffusionJvp(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> v, Span<double> dG, Span<double> scratch)
    {
        if (Problem.DiffusionDerivative is { } exact)
        {
            int len = Problem.DiagonalDiffusion ? D : D * M * D;
            if (scratch.Length < len) throw new InvalidOperationException("Derivative scratch too short.");
            Span<double> dg = scratch[..len];
            exact(t, y, dg);
            if (Problem.DiagonalDiffusion)
            {
                for (int i = 0; i < D; i++) dG[i] = dg[i] * v[i];
                return;
            }
            for (int k = 0; k < D; k++)
                for (int j = 0; j < M; j++)
                {
                    double s = 0;
                    int o = (k * M + j) * D;
                    for (int l = 0; l < D; l++) s += dg[o + l] * v[l];
                    dG[k * M + j] = s;
                }
            return;
        }
        double ynorm = 0, vnorm = 0;
        for (int i = 0; i < D; i++)
        {
            ynorm = Math.Max(ynorm, Math.Abs(y[i]));
            vnorm = Math.Max(vnorm, Math.Abs(v[i]));
        }
        if (vnorm == 0 || !double.IsFinite(vnorm))
        {
            dG.Clear();
            if (!double.IsFinite(vnorm)) dG.Fill(double.NaN);
            return;
        }
        double eps = 6.055454452393343e-6 * (1 + ynorm) / vnorm; // ε_mach^(1/3)
        Span<double> shifted = _jvpY;
        for (int i = 0; i < D; i++) shifted[i] = y[i] + eps * v[i];
        Diffusion(t, shifted, dG);
        for (int i = 0; i < D; i++) shifted[i] = y[i] - eps * v[i];
        Diffusion(t, shifted, _jvpG);
        double inv = 0.5 / eps;
        for (int i = 0; i < dG.Length; i++) dG[i] = (dG[i] - _jvpG[i]) * inv;
    }

    /// <summary>The length of the scratch <see cref="DiffusionJvp"/> needs.</summary>
    protected int DerivativeScratchLength => Problem.DiagonalDiffusion ? D : D * M * D;

    /// <summary>
    /// <c>c = Σⱼ Lʲgⱼ = Σⱼ (∂gⱼ/∂y) gⱼ</c>, the Itô–Stratonovich drift correction (times ½), given <c>g = G(t, y)</c>.
    /// Diagonal layout: one directional derivative along g; matrix layout: one per column.
    /// </summary>
    private void CorrectionTerm(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> g, Span<double> c)
    {
        if (Problem.DiagonalDiffusion)
        {
            DiffusionJvp(t, y, g, _correctionDg, _correctionScratch);
            for (int i = 0; i < D; i++) c[i] = _correctionDg[i];
            return;
        }
        c.Clear();
        for (int j = 0; j < M; j++)
        {
            for (int k = 0; k < D; k++) _correctionColumn[k] = g[k * M + j];
            DiffusionJvp(t, y, _correctionColumn, _correctionDg, _correctionScratch);
            for (int k = 0; k < D; k++) c[k] += _correctionDg[k * M + j];
        }
    }
}
