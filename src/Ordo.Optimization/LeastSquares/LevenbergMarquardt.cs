using System.Globalization;

namespace Ordo.Optimization;

/// <summary>
/// Levenberg–Marquardt in Moré's scaled trust-region form (MINPACK's <c>lmder</c>): each iteration factors J·P = Q·R
/// with column pivoting, keeps the scaling D = diag(running maximum of the column norms ‖J_j‖), finds the
/// Levenberg–Marquardt parameter λ with ‖D·p(λ)‖ = Δ (to 10%) by a safeguarded Newton iteration, p(λ) = −(JᵀJ + λDᵀD)⁻¹Jᵀr,
/// accepts the step when the ratio ρ of actual to predicted reduction of f = Σrᵢ² is at least 1e-4, and updates the
/// radius Δ with Moré's interpolation rule.
/// </summary>
/// <remarks>
/// <para>Source: J. J. Moré, "The Levenberg–Marquardt algorithm: implementation and theory", in G. A. Watson (ed.),
/// <i>Numerical Analysis</i>, Dundee 1977, Lecture Notes in Mathematics 630, Springer 1978, pp. 105–116 (the algorithm
/// of §§2–7; the λ iteration is his Algorithm 5.5, the radius update §7). Written from the paper, not from MINPACK's
/// code.</para>
/// <para>Stopping: the driver's gradient test on ‖∇f‖∞ = ‖2Jᵀr‖∞ (relative to the start by default), or
/// <see cref="OptimizationStatus.Stalled"/> when the radius falls below rounding level (Δ ≤ ε·‖Dx‖) without that test
/// holding. Moré's ftol test (relative actual and predicted reductions both ≤ ftol) is available as
/// <see cref="RelativeReductionTolerance"/>, off by default; when it holds the run is converged by
/// <see cref="ConvergenceTest.MethodSpecific"/> and the message says so with the values.</para>
/// <para>One driver iteration is one trial step (one residual evaluation); the Jacobian is evaluated after each
/// accepted step only. A non-finite trial is rejected like a step with ρ &lt; 0 (Δ shrinks by 10).</para>
/// </remarks>
public sealed class LevenbergMarquardt : Minimizer<ILeastSquaresObjective>
{
    /// <summary>Initial radius factor: Δ₀ = factor·‖D x₀‖ (or factor when that is 0). Default 100 (Moré).</summary>
    public double InitialRadiusFactor { get; init; } = 100;

    /// <summary>True (default): D is the running maximum of the Jacobian's column norms (Moré's scaling, MINPACK's
    /// mode 1), which makes the method invariant to scaling the variables. False: D = I (MINPACK's mode 2 with unit
    /// <c>diag</c>, what scipy's <c>least_squares(method="lm")</c> does with its default <c>x_scale=1.0</c>).</summary>
    public bool JacobianScaling { get; init; } = true;

    /// <summary>Moré's ftol: converged when the relative actual and predicted reductions of f are both at or below
    /// it (and ρ ≤ 2). 0 (default) turns the test off; MINPACK's default is about 1.5e-8.</summary>
    public double RelativeReductionTolerance { get; init; }

    /// <inheritdoc/>
    public override string Name => "lm";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 5000;

    /// <inheritdoc/>
    protected override void Validate(IObjective objective, Bounds? bounds)
    {
        LeastSquaresRun.RequireResiduals(objective);
        Guard.Positive(InitialRadiusFactor, nameof(InitialRadiusFactor));
        Guard.NonNegative(RelativeReductionTolerance, nameof(RelativeReductionTolerance));
    }

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
        => new Run(evaluator, this);

    private sealed class Run : LeastSquaresRun
    {
        private readonly LevenbergMarquardt _method;
        private readonly double[] _diag, _work;
        private readonly LevenbergMarquardtParameter _lmpar;
        private double _delta, _lambda, _xnorm;
        private bool _first = true;
        private bool _scaled;

        public Run(ObjectiveEvaluator evaluator, LevenbergMarquardt method) : base(evaluator)
        {
            _method = method;
            int n = evaluator.Dimension;
            _diag = new double[n];
            _work = new double[n];
            _lmpar = new LevenbergMarquardtParameter(n);
        }

        /// <summary>Jacobian, gradient, QR, scaling and Qᵀr at the current X.</summary>
        protected override void Linearize()
        {
            int n = Dimension;
            base.Linearize();
            FactorAndProject();
            for (int j = 0; j < n; j++)
            {
                double c = _method.JacobianScaling ? Qr.ColumnNorms[j] : 1;
                if (!_scaled) _diag[j] = c == 0 ? 1 : c;
                else _diag[j] = Math.Max(_diag[j], c);
            }
            _xnorm = ScaledNorm(X);
            if (!_scaled) _delta = _xnorm == 0 ? _method.InitialRadiusFactor : _method.InitialRadiusFactor * _xnorm;
            _scaled = true;
        }

        private double ScaledNorm(ReadOnlySpan<double> v)
        {
            double s = 0, scale = 0;
            for (int j = 0; j < v.Length; j++) scale = Math.Max(scale, Math.Abs(_diag[j] * v[j]));
            if (scale == 0 || !double.IsFinite(scale)) return scale;
            for (int j = 0; j < v.Length; j++) { double t = _diag[j] * v[j] / scale; s += t * t; }
            return scale * Math.Sqrt(s);
        }

        public override StepOutcome Step()
        {
            int n = Dimension;
            double fnorm = Math.Sqrt(F);
            // p = −x(λ) with (JᵀJ + λD²) x = Jᵀr.
            _lambda = _lmpar.Solve(Qr, _diag, Qtr, _delta, _lambda, P);
            for (int j = 0; j < n; j++) P[j] = -P[j];
            double pnorm = ScaledNorm(P);
            if (_first) _delta = Math.Min(_delta, pnorm);
            for (int j = 0; j < n; j++) XTrial[j] = X[j] + P[j];
            double f1 = Evaluator.Residuals(XTrial, ResTrial);
            double fnorm1 = Math.Sqrt(f1);

            // Predicted reduction, relative to f: (‖Jp‖² + 2λ‖Dp‖²)/f, with ‖Jp‖ = ‖R·Pᵀp‖.
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = i; j < n; j++) s += Qr[i, j] * P[Qr.Permutation[j]];
                _work[i] = s;
            }
            double jp = Blas1.Norm2<double>(_work);
            double t1 = fnorm == 0 ? 0 : jp / fnorm;
            double t2 = fnorm == 0 ? 0 : Math.Sqrt(_lambda) * pnorm / fnorm;
            double prered = t1 * t1 + 2 * t2 * t2;
            double dirder = -(t1 * t1 + t2 * t2);
            bool finite = double.IsFinite(fnorm1);
            double actred = finite && 0.1 * fnorm1 < fnorm ? 1 - (fnorm1 / fnorm) * (fnorm1 / fnorm) : -1;
            double ratio = prered != 0 ? actred / prered : 0;

            // Radius update (Moré §7): shrink by the interpolated γ ∈ [0.1, 0.5] on a poor step; double on a good one.
            if (ratio <= 0.25)
            {
                double temp = actred >= 0 ? 0.5 : 0.5 * dirder / (dirder + 0.5 * actred);
                if (!finite || 0.1 * fnorm1 >= fnorm || temp < 0.1 || !double.IsFinite(temp)) temp = 0.1;
                _delta = temp * Math.Min(_delta, pnorm / 0.1);
                _lambda /= temp;
            }
            else if (_lambda == 0 || ratio >= 0.75)
            {
                _delta = pnorm / 0.5;
                _lambda *= 0.5;
            }

            if (ratio >= 1e-4)
            {
                _first = false; // Moré's first iteration (Δ ≤ ‖Dp‖) lasts until a step is accepted
                StepNorm = InfinityNorm(P);
                XTrial.CopyTo(X);
                ResTrial.CopyTo(Res);
                F = f1;
                Linearize();
            }
            else
            {
                StepNorm = 0;
            }

            double tol = _method.RelativeReductionTolerance;
            if (tol > 0 && Math.Abs(actred) <= tol && prered <= tol && 0.5 * ratio <= 1)
            {
                Message = string.Create(CultureInfo.InvariantCulture,
                    $"Moré's relative-reduction test held: |actual| = {Math.Abs(actred):G4} and predicted = {prered:G4} reductions of f are ≤ {tol:G4} (RelativeReductionTolerance).");
                return StepOutcome.Converged;
            }
            if (_delta <= 2.2e-16 * _xnorm || _delta == 0 || !double.IsFinite(_delta))
            {
                Message = string.Create(CultureInfo.InvariantCulture,
                    $"The trust radius Δ = {_delta:G4} fell below rounding level relative to ‖Dx‖ = {_xnorm:G4}; no further reduction of f is possible in floating point.");
                return StepOutcome.Stalled;
            }
            return StepOutcome.Continue;
        }
    }
}

/// <summary>
/// Moré's Levenberg–Marquardt parameter: given J·P = Q·R, the scaling D, Qᵀr and the radius Δ, finds λ ≥ 0 and
/// x(λ) = (JᵀJ + λD²)⁻¹Jᵀr with |‖D x‖ − Δ| ≤ 0.1·Δ, or λ = 0 when the Gauss–Newton step already lies inside
/// 1.1·Δ. The Newton iteration on φ(λ) = ‖D x(λ)‖ − Δ is kept inside [l, u], with the bounds of Moré §5
/// (u = ‖(JD⁻¹)ᵀr‖/Δ, l = φ(0)/φ'(0) when J has full rank), and at most 10 iterations.
/// Each trial solves the augmented problem [J; √λ D] x ≅ [r; 0] from R by Givens rotations (Moré §3).
/// </summary>
internal sealed class LevenbergMarquardtParameter
{
    private const double Dwarf = 2.2250738585072014e-308;
    private readonly int _n;
    private readonly double[] _s;     // n×n row-major: the triangular factor S of Pᵀ(JᵀJ + λD²)P = SᵀS
    private readonly double[] _sdiag;
    private readonly double[] _wa1, _wa2, _extra, _rhs;

    public LevenbergMarquardtParameter(int n)
    {
        _n = n;
        _s = new double[n * n];
        _sdiag = new double[n];
        _wa1 = new double[n];
        _wa2 = new double[n];
        _extra = new double[n];
        _rhs = new double[n];
    }

    /// <summary>Iterations of the last <see cref="Solve"/> (for tests).</summary>
    public int Iterations { get; private set; }

    /// <summary>Returns λ and writes x(λ) (original variable order) into <paramref name="x"/>.</summary>
    public double Solve(PivotedQR qr, ReadOnlySpan<double> diag, ReadOnlySpan<double> qtb, double delta, double lambda, Span<double> x)
    {
        int n = _n;
        var perm = qr.Permutation;
        Iterations = 0;

        // Gauss–Newton direction (a basic solution if R is singular).
        int nsing = n;
        for (int j = 0; j < n; j++)
        {
            _wa1[j] = qtb[j];
            if (qr[j, j] == 0 && nsing == n) nsing = j;
            if (nsing < n) _wa1[j] = 0;
        }
        for (int j = nsing - 1; j >= 0; j--)
        {
            _wa1[j] /= qr[j, j];
            double t = _wa1[j];
            for (int i = 0; i < j; i++) _wa1[i] -= qr[i, j] * t;
        }
        for (int j = 0; j < n; j++) x[perm[j]] = _wa1[j];

        double dxnorm = ScaledNorm(diag, x);
        double fp = dxnorm - delta;
        if (fp <= 0.1 * delta) return 0;

        // Lower bound l = φ(0)/φ'(0) when R is nonsingular.
        double parl = 0;
        if (nsing == n)
        {
            for (int j = 0; j < n; j++) { int l = perm[j]; _wa1[j] = diag[l] * (diag[l] * x[l] / dxnorm); }
            for (int j = 0; j < n; j++)
            {
                double s = _wa1[j];
                for (int i = 0; i < j; i++) s -= qr[i, j] * _wa1[i];
                _wa1[j] = s / qr[j, j];
            }
            double q = Blas1.Norm2<double>(_wa1);
            parl = fp / delta / (q * q);
        }
        // Upper bound u = ‖(J D⁻¹)ᵀ r‖ / Δ.
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int i = 0; i <= j; i++) s += qr[i, j] * qtb[i];
            _wa1[j] = s / diag[perm[j]];
        }
        double gnorm = Blas1.Norm2<double>(_wa1);
        double paru = gnorm / delta;
        if (paru == 0) paru = Dwarf / Math.Min(delta, 0.1);

        double par = Math.Clamp(lambda, parl, paru);
        if (par == 0) par = gnorm / dxnorm;

        while (true)
        {
            Iterations++;
            if (par == 0) par = Math.Max(Dwarf, 0.001 * paru);
            double sq = Math.Sqrt(par);
            for (int j = 0; j < n; j++) _wa1[j] = sq * diag[j];
            SolveAugmented(qr, _wa1, qtb, x);
            for (int j = 0; j < n; j++) _wa2[j] = diag[j] * x[j];
            dxnorm = Blas1.Norm2<double>(_wa2);
            double previous = fp;
            fp = dxnorm - delta;
            if (Math.Abs(fp) <= 0.1 * delta || (parl == 0 && fp <= previous && previous < 0) || Iterations == 10) break;

            // Newton correction: φ/φ' from Sᵀ w = P ᵀ D² x/‖Dx‖.
            for (int j = 0; j < n; j++) { int l = perm[j]; _wa1[j] = diag[l] * (_wa2[l] / dxnorm); }
            for (int j = 0; j < n; j++)
            {
                _wa1[j] /= _sdiag[j];
                double t = _wa1[j];
                for (int i = j + 1; i < n; i++) _wa1[i] -= _s[j * n + i] * t;
            }
            double q = Blas1.Norm2<double>(_wa1);
            double parc = fp / delta / (q * q);
            if (fp > 0) parl = Math.Max(parl, par);
            if (fp < 0) paru = Math.Min(paru, par);
            par = Math.Max(parl, par + parc);
        }
        return par;
    }

    private static double ScaledNorm(ReadOnlySpan<double> diag, ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int j = 0; j < x.Length; j++) { double t = diag[j] * x[j]; s += t * t; }
        return Math.Sqrt(s);
    }

    /// <summary>Solves [J; diag(d)] x ≅ [r; 0] from R, eliminating diag(d) (in pivoted order) by Givens rotations.
    /// Leaves the resulting triangular factor S in <c>_s</c> (strictly upper part) and its diagonal in <c>_sdiag</c>.</summary>
    private void SolveAugmented(PivotedQR qr, ReadOnlySpan<double> d, ReadOnlySpan<double> qtb, Span<double> x)
    {
        int n = _n;
        var perm = qr.Permutation;
        qr.R.CopyTo(_s);
        qtb[..n].CopyTo(_rhs);
        for (int j = 0; j < n; j++)
        {
            double dj = d[perm[j]];
            _extra.AsSpan(j).Clear();
            if (dj != 0)
            {
                _extra[j] = dj;
                double extraRhs = 0;
                for (int k = j; k < n; k++)
                {
                    if (_extra[k] == 0) continue;
                    double skk = _s[k * n + k];
                    double c, s;
                    if (Math.Abs(skk) < Math.Abs(_extra[k]))
                    {
                        double cot = skk / _extra[k];
                        s = 1 / Math.Sqrt(1 + cot * cot);
                        c = s * cot;
                    }
                    else
                    {
                        double tan = _extra[k] / skk;
                        c = 1 / Math.Sqrt(1 + tan * tan);
                        s = c * tan;
                    }
                    _s[k * n + k] = c * skk + s * _extra[k];
                    double t = c * _rhs[k] + s * extraRhs;
                    extraRhs = -s * _rhs[k] + c * extraRhs;
                    _rhs[k] = t;
                    for (int i = k + 1; i < n; i++)
                    {
                        double a = _s[k * n + i];
                        _s[k * n + i] = c * a + s * _extra[i];
                        _extra[i] = -s * a + c * _extra[i];
                    }
                }
            }
            _sdiag[j] = _s[j * n + j];
        }
        // Back substitution, zeroing the components after the first singular diagonal.
        int nsing = n;
        for (int j = 0; j < n; j++)
            if (_sdiag[j] == 0 && nsing == n) nsing = j;
        for (int j = nsing; j < n; j++) _rhs[j] = 0;
        for (int j = nsing - 1; j >= 0; j--)
        {
            double sum = _rhs[j];
            for (int i = j + 1; i < nsing; i++) sum -= _s[j * n + i] * _rhs[i];
            _rhs[j] = sum / _sdiag[j];
        }
        for (int j = 0; j < n; j++) x[perm[j]] = _rhs[j];
    }
}
