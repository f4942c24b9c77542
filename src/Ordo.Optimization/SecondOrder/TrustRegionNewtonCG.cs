namespace Ordo.Optimization;

/// <summary>
/// Trust-region Newton method with the Steihaug–Toint truncated conjugate-gradient subproblem solver, on Hessian–vector
/// products only (the Hessian is never formed): CG on ∇²f·s = −∇f from s = 0 stops at the trust-region boundary, at
/// negative curvature (followed to the boundary), or when the residual falls below min(0.5, √‖∇f‖)·‖∇f‖ (superlinear
/// local convergence); the radius then follows the ratio ρ of actual to predicted decrease.
/// </summary>
/// <remarks>
/// <para>Sources: J. Nocedal and S. J. Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithm 4.1 (trust region) and
/// Algorithm 7.2 (CG–Steihaug) with the forcing term of §7.1; T. Steihaug, "The conjugate gradient method and trust
/// regions in large scale optimization", SIAM J. Numer. Anal. 20 (1983); Ph. L. Toint, "Towards an efficient sparsity
/// exploiting Newton method for minimization", in <i>Sparse Matrices and Their Uses</i> (1981).</para>
/// <para>Radius rules (documented choices): Δ₀ = <see cref="InitialRadius"/> when set, else max(1, ‖x₀‖₂/10);
/// ρ &lt; ¼ sets Δ = ¼·‖s‖ (the step actually taken, so a short interior step is not retried at a radius it
/// never reached); ρ &gt; ¾ with the step on the boundary sets Δ = <see cref="RadiusGrowth"/>·Δ (default 2, up to
/// <see cref="MaxRadius"/>); a step is accepted when ρ &gt; <see cref="AcceptanceThreshold"/> (η = 0.1). The run is
/// <see cref="OptimizationStatus.Stalled"/> when Δ falls below ε·‖x‖₂ (ε the machine epsilon).</para>
/// </remarks>
public sealed class TrustRegionNewtonCG : Minimizer<IHessianVectorObjective>
{
    /// <summary>Δ₀; null (default) uses max(1, ‖x₀‖₂/10).</summary>
    public double? InitialRadius { get; init; }

    /// <summary>Factor applied to Δ after a very successful step (ρ &gt; ¾) that reached the boundary. Default 2.</summary>
    public double RadiusGrowth { get; init; } = 2;

    /// <summary>Upper limit on Δ. Default 10³⁰⁰ (no practical limit).</summary>
    public double MaxRadius { get; init; } = 1e300;

    /// <summary>η: steps with ρ ≤ η are rejected. Default 0.1.</summary>
    public double AcceptanceThreshold { get; init; } = 0.1;

    /// <summary>CG iteration limit per subproblem; 0 (default) means 2n + 10.</summary>
    public int MaxCGIterations { get; init; }

    /// <inheritdoc/>
    public override string Name => "trust-region";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 5000;

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
    {
        if (InitialRadius is { } r) Guard.Positive(r, nameof(InitialRadius));
        if (!(RadiusGrowth > 1) || !double.IsFinite(RadiusGrowth)) throw new ArgumentOutOfRangeException(nameof(RadiusGrowth), RadiusGrowth, "RadiusGrowth must be a finite number > 1.");
        Guard.Positive(MaxRadius, nameof(MaxRadius));
        if (!(AcceptanceThreshold >= 0 && AcceptanceThreshold < 0.25)) throw new ArgumentOutOfRangeException(nameof(AcceptanceThreshold), AcceptanceThreshold, "AcceptanceThreshold must lie in [0, 0.25).");
        if (MaxCGIterations < 0) throw new ArgumentOutOfRangeException(nameof(MaxCGIterations), MaxCGIterations, "MaxCGIterations must be >= 0 (0: 2n + 10).");
        return new Run(evaluator, this);
    }

    private sealed class Run(ObjectiveEvaluator evaluator, TrustRegionNewtonCG p) : SecondOrderRun(evaluator)
    {
        private readonly double[] _s = new double[evaluator.Dimension];
        private readonly double[] _hs = new double[evaluator.Dimension];
        private readonly double[] _r = new double[evaluator.Dimension];
        private readonly double[] _d = new double[evaluator.Dimension];
        private readonly double[] _hd = new double[evaluator.Dimension];
        private readonly double[] _xTrial = new double[evaluator.Dimension];
        private readonly double[] _gTrial = new double[evaluator.Dimension];
        private readonly int _maxCg = p.MaxCGIterations > 0 ? p.MaxCGIterations : 2 * evaluator.Dimension + 10;
        private double _radius;

        public override StepOutcome Start()
        {
            _radius = p.InitialRadius ?? Math.Max(1, Blas1.Norm2<double>(X) / 10);
            return base.Start();
        }

        public override StepOutcome Step()
        {
            bool onBoundary = SteihaugCG();
            double predicted = -(Blas1.Dot<double>(G, _s) + 0.5 * Blas1.Dot<double>(_s, _hs));
            double sNorm = Blas1.Norm2<double>(_s);
            X.CopyTo(_xTrial, 0);
            Blas1.Axpy(1.0, _s, _xTrial);
            double fTrial = Evaluator.ValueAndGradient(_xTrial, _gTrial);
            double actual = F - fTrial;
            double rho = double.IsFinite(fTrial) && predicted > 0 ? actual / predicted : double.NegativeInfinity;
            // A predicted decrease at rounding level with an actual decrease ≥ 0 is a success (ρ is noise there).
            if (double.IsFinite(fTrial) && predicted > 0 && predicted <= 1e-15 * Math.Abs(F) && actual >= 0) rho = 1;

            if (rho < 0.25) _radius = 0.25 * Math.Min(sNorm, _radius);
            else if (rho > 0.75 && onBoundary) _radius = Math.Min(p.RadiusGrowth * _radius, p.MaxRadius);

            if (rho > p.AcceptanceThreshold) Accept(_xTrial, _gTrial, fTrial, InfinityNorm(_s));
            else StepNorm = 0;
            if (_radius < Math.Max(1e-300, 2.220446049250313e-16 * Blas1.Norm2<double>(X)))
                return Stop(StepOutcome.Stalled, $"The trust radius fell to {_radius:G3}, below machine epsilon × ‖x‖₂, without the gradient test holding (‖g‖∞ = {GradientNorm:G3}).");
            return StepOutcome.Continue;
        }

        /// <summary>Nocedal–Wright Algorithm 7.2 on the model ⟨g, s⟩ + ½⟨Hs, s⟩, ‖s‖ ≤ Δ. Leaves s and H·s; returns
        /// true when s is on the boundary.</summary>
        private bool SteihaugCG()
        {
            int n = G.Length;
            _s.AsSpan().Clear();
            _hs.AsSpan().Clear();
            G.CopyTo(_r, 0);
            for (int i = 0; i < n; i++) _d[i] = -_r[i];
            double rr = Blas1.Dot<double>(_r, _r);
            double gNorm = Math.Sqrt(rr);
            double tolerance = Math.Min(0.5, Math.Sqrt(gNorm)) * gNorm;
            if (gNorm == 0) return false;
            for (int j = 0; j < _maxCg; j++)
            {
                Evaluator.HessianVectorProduct(X, _d, _hd);
                double curvature = Blas1.Dot<double>(_d, _hd);
                if (!double.IsFinite(curvature))
                {
                    // A non-finite product: stop with what we have (or a steepest-descent step to the boundary at j = 0).
                    if (j == 0) { ToBoundary(zeroCurvatureProduct: true); return true; }
                    return false;
                }
                if (curvature <= 0)
                {
                    ToBoundary(zeroCurvatureProduct: false);
                    return true;
                }
                double alpha = rr / curvature;
                // Would s + αd leave the region?
                double sd = Blas1.Dot<double>(_s, _d), dd = Blas1.Dot<double>(_d, _d), ss = Blas1.Dot<double>(_s, _s);
                double nextNorm2 = ss + 2 * alpha * sd + alpha * alpha * dd;
                if (nextNorm2 >= _radius * _radius)
                {
                    double tau = BoundaryStep(ss, sd, dd);
                    Blas1.Axpy(tau, _d, _s);
                    Blas1.Axpy(tau, _hd, _hs);
                    return true;
                }
                Blas1.Axpy(alpha, _d, _s);
                Blas1.Axpy(alpha, _hd, _hs);
                Blas1.Axpy(alpha, _hd, _r);
                double rrNew = Blas1.Dot<double>(_r, _r);
                if (Math.Sqrt(rrNew) < tolerance) return false;
                double beta = rrNew / rr;
                rr = rrNew;
                for (int i = 0; i < n; i++) _d[i] = -_r[i] + beta * _d[i];
            }
            return false;
        }

        /// <summary>Moves s along ±d to the boundary point with the lower model value (Nocedal–Wright Algorithm 7.2:
        /// "find τ such that p = z + τd minimizes m(p) and satisfies ‖p‖ = Δ"), at negative curvature, or along +d after
        /// a non-finite first product (the model is then linear).</summary>
        private void ToBoundary(bool zeroCurvatureProduct)
        {
            double ss = Blas1.Dot<double>(_s, _s), sd = Blas1.Dot<double>(_s, _d), dd = Blas1.Dot<double>(_d, _d);
            double tau = BoundaryStep(ss, sd, dd);
            if (!zeroCurvatureProduct && ss > 0)
            {
                // The other root (τ⁻ ≤ 0): τ⁺τ⁻ = (‖s‖² − Δ²)/‖d‖². Model change m(s + τd) − m(s) = τ(gᵀd + dᵀHs) + ½τ²dᵀHd.
                double tauMinus = (ss - _radius * _radius) / (dd * tau);
                double slope = Blas1.Dot<double>(G, _d) + Blas1.Dot<double>(_d, _hs);
                double curvature = Blas1.Dot<double>(_d, _hd);
                double mPlus = tau * slope + 0.5 * tau * tau * curvature;
                double mMinus = tauMinus * slope + 0.5 * tauMinus * tauMinus * curvature;
                if (double.IsFinite(tauMinus) && mMinus < mPlus) tau = tauMinus;
            }
            Blas1.Axpy(tau, _d, _s);
            if (!zeroCurvatureProduct) Blas1.Axpy(tau, _hd, _hs);
        }

        /// <summary>The τ ≥ 0 with ‖s + τd‖ = Δ (the positive root; stable form).</summary>
        private double BoundaryStep(double ss, double sd, double dd)
        {
            double c = ss - _radius * _radius; // ≤ 0 inside the region.
            double disc = Math.Sqrt(Math.Max(sd * sd - dd * c, 0));
            return sd >= 0 ? -c / (sd + disc) : (disc - sd) / dd;
        }
    }
}
