using Ordo.LinearAlgebra;

namespace Ordo.Integration;

/// <summary>
/// The variable-order BDF/NDF step in backward-difference form (Shampine &amp; Reichelt 1997, §2). Row m of the history
/// D (length n each) holds ∇^m y_n at the current step size h_D; the predictor is y⁽⁰⁾ = Σ_{m≤q} ∇^m y_n and the
/// corrector solves, for d = y_{n+1} − y⁽⁰⁾ (which equals ∇^{q+1} y_{n+1}),
/// <code>(1 − κ_q) γ_q d + Σ_{m=1}^{q} γ_m ∇^m y_n − h f(t_{n+1}, y⁽⁰⁾ + d) = 0,   γ_m = Σ_{j≤m} 1/j,</code>
/// by a modified Newton iteration with the matrix I − cJ, c = h/((1 − κ_q)γ_q). The local error is
/// (κ_q γ_q + 1/(q+1))·d. A change of h re-interpolates the history: the polynomial through the last q + 1 points is
/// sampled on the new grid and differenced again. All buffers are allocated in the constructor; a step allocates nothing.
/// </summary>
internal sealed class BdfStepper : OdeStepper<double>
{
    private readonly OdeFunction<double> _countingRhs;
    private const int MaxNewton = 3;                  // corrector iterations per attempt (CVODE's maxcor)
    private const double NewtonCoefficient = 0.03;    // Newton error ≤ 0.03 of the local-error tolerance (CVODE: 0.1; see docs)
    private const double RateDecay = 0.3;             // CVODE's CRDOWN: the remembered rate decays by at most this factor
    private const double Divergence = 2.0;            // CVODE's RDIV: ‖Δ_m‖ > 2‖Δ_{m−1}‖ means divergence
    private const double RefactorChange = 0.3;        // CVODE's DGMAX: refactor when |c/c_LU − 1| > 0.3
    private const int StepsPerFactor = 20;            // CVODE's MSBP (skipped when c is unchanged: the LU would be identical)
    private const int StepsPerJacobian = 50;          // CVODE's MSBJ
    private const double MaxGrowth = 10, MinShrink = 0.1, RepeatedShrink = 0.2, NewtonFailureShrink = 0.25;
    private const double Bias = 6, BiasUp = 10, BiasAddOn = 1e-6; // CVODE's BIAS1 = BIAS2, BIAS3 and ADDON
    private const double KeepBand = 1.2;              // keep h (and the LU) when it would grow by less than this

    private static readonly double[] NdfKappa = [0, -0.1850, -1.0 / 9, -0.0823, -0.0415, 0, 0];
    private static readonly double[,] ThetaPowers = BuildThetaPowers();

    private readonly OdeJacobian<double>? _jacobian;
    private readonly int _n, _maxOrder;
    private readonly double[] _gamma = new double[8], _alpha = new double[8], _errorConstant = new double[8];
    private readonly double[] _j, _lu, _rescale;
    private readonly Jacobians.IterationMatrix? _matrix;   // set for a structured (banded/sparse) Jacobian
    private readonly int[] _pivots;
    private double[] _d, _dNew;
    private readonly double[] _f0, _yPredicted, _psi, _f, _delta, _correction, _weight, _work, _yWork;

    private int _order, _stepOrder, _pendingOrder, _equalSteps, _rejections;
    private int _stepsSinceJacobian, _stepsSinceFactor;
    private double _hHistory = double.NaN, _cFactored = double.NaN, _rate = 1;
    private bool _needJacobian, _jacobianFresh, _newtonFailed, _fixedSteps;
    private ErrorTolerances? _tolerances;

    /// <summary>Corrector (Newton) iterations made so far.</summary>
    public long NewtonIterations { get; private set; }

    /// <summary>Attempts whose Newton iteration failed to converge (each followed by a Jacobian refresh or a smaller step).</summary>
    public long NewtonFailures { get; private set; }

    /// <param name="rhs">f.</param>
    /// <param name="jacobian">The exact Jacobian, or null for differences.</param>
    /// <param name="dimension">n.</param>
    /// <param name="maxOrder">Highest order used, 1–5.</param>
    /// <param name="ndf">True for Shampine–Reichelt's NDF (κ ≠ 0), false for plain BDF.</param>
    /// <param name="structure">The Jacobian's sparsity, or null for dense: with a pattern the Jacobian is differenced in
    /// Curtis–Powell–Reid column groups and a band is factored with BandedLU (<see cref="Jacobians.IterationMatrix"/>).</param>
    public BdfStepper(OdeFunction<double> rhs, OdeJacobian<double>? jacobian, int dimension, int maxOrder, bool ndf,
        Jacobians.JacobianSparsity? structure = null) : base(rhs, dimension)
    {
        _countingRhs = Evaluate;   // f with the stepper's count, for differenced Jacobians (one delegate, made once)
        // A structured Jacobian (grouped differences, banded LU), or a large dense one with an exact Jacobian (the
        // system LAPACK from n ≥ DenseSolver.LapackThreshold), goes through IterationMatrix; small dense systems and
        // differenced dense Jacobians keep the in-place DenseLU and RADAU5's increments below.
        if (structure is not null || (jacobian is not null && dimension >= Ordo.LinearAlgebra.DenseSolver.LapackThreshold && Ordo.LinearAlgebra.Lapack.IsAvailable))
            _matrix = new Jacobians.IterationMatrix(dimension, _countingRhs, jacobian, structure);
        int n = dimension;
        _n = n;
        _maxOrder = maxOrder;
        _jacobian = jacobian;
        for (int q = 1; q < _gamma.Length; q++)
        {
            double kappa = ndf ? NdfKappa[q - 1] : 0;
            _gamma[q] = _gamma[q - 1] + 1.0 / q;
            _alpha[q] = (1 - kappa) * _gamma[q];
            _errorConstant[q] = kappa * _gamma[q] + 1.0 / (q + 1);
        }
        _j = _matrix is null ? new double[n * n] : [];
        _lu = _matrix is null ? new double[n * n] : [];
        _pivots = _matrix is null ? new int[n] : [];
        _rescale = new double[(maxOrder + 2) * (maxOrder + 2)];
        _d = new double[(maxOrder + 3) * n];
        _dNew = new double[(maxOrder + 3) * n];
        _f0 = new double[n];
        _yPredicted = new double[n];
        _psi = new double[n];
        _f = new double[n];
        _delta = new double[n];
        _correction = new double[n];
        _weight = new double[n];
        _work = new double[n];
        _yWork = new double[n];
    }

    public override int InterpolantDegree => _maxOrder;

    public override bool ChoosesStepSize => true;

    /// <summary>Order of the last attempted step.</summary>
    public int CurrentOrder => _stepOrder;

    private Span<double> Row(double[] history, int m) => history.AsSpan(m * _n, _n);

    public override void Start(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> dydt)
    {
        dydt.CopyTo(_f0);
        Array.Clear(_d);
        y.CopyTo(Row(_d, 0));
        _hHistory = double.NaN;   // row 1 (h·f0) is written by the first step, once h is known
        _order = _stepOrder = _pendingOrder = 1;
        _equalSteps = _rejections = 0;
        _needJacobian = true;
        _jacobianFresh = false;
        _cFactored = double.NaN;
        _rate = 1;
    }

    public override StepOutcome Step(double t, double h, ReadOnlySpan<double> y, Span<double> yNew, ErrorTolerances? tolerances, out double errorNorm)
    {
        errorNorm = 0;
        int n = _n;
        _newtonFailed = false;
        _fixedSteps = tolerances is null;
        if (double.IsNaN(_hHistory))
        {
            var d1 = Row(_d, 1);
            for (int i = 0; i < n; i++) d1[i] = h * _f0[i];
            _hHistory = h;
            _equalSteps = 0;
        }
        else if (h != _hHistory)
        {
            Rescale(h / _hHistory);
            _hHistory = h;
            _equalSteps = 0;
        }
        int q = _order;
        _stepOrder = q;
        _pendingOrder = q;

        // Predictor y⁽⁰⁾ = Σ_{m≤q} ∇^m y_n and ψ = Σ_{m=1}^{q} γ_m ∇^m y_n / α_q.
        Row(_d, 0).CopyTo(_yPredicted);
        _psi.AsSpan().Clear();
        for (int m = 1; m <= q; m++)
        {
            ReadOnlySpan<double> dm = Row(_d, m);
            double g = _gamma[m] / _alpha[q];
            for (int i = 0; i < n; i++)
            {
                _yPredicted[i] += dm[i];
                _psi[i] += g * dm[i];
            }
        }
        double c = h / _alpha[q];
        double tNew = t + h;

        // Weights for the Newton norm: 1/(atol + rtol·|y_n|) (fixed steps: 1e-12 both).
        double rtol = tolerances?.Relative ?? 1e-12;
        for (int i = 0; i < n; i++)
        {
            double scale = (tolerances is null ? 1e-12 : tolerances.Absolute[i]) + rtol * Math.Abs(y[i]);
            _weight[i] = 1 / Math.Max(scale, 1e-300);
        }

        int maxIterations = _fixedSteps ? 4 * MaxNewton : MaxNewton;
        while (true)
        {
            bool havePredictedF = false;
            if (_needJacobian || _stepsSinceJacobian >= StepsPerJacobian)
            {
                Evaluate(tNew, _yPredicted, _f);
                if (!Blas1.AllFinite<double>(_f)) return StepOutcome.NonFiniteValue;
                havePredictedF = true;
                ComputeJacobian(tNew, _yPredicted, _f);
            }
            if (double.IsNaN(_cFactored) || Math.Abs(c / _cFactored - 1) > RefactorChange || (_stepsSinceFactor >= StepsPerFactor && c != _cFactored))
            {
                if (!Factor(c))
                {
                    if (!_jacobianFresh) { _needJacobian = true; continue; }
                    return NewtonFailure(tolerances, out errorNorm);
                }
            }
            NewtonResult result = Newton(tNew, c, q, maxIterations, havePredictedF, yNew);
            if (result == NewtonResult.NonFinite) return StepOutcome.NonFiniteValue;
            if (result == NewtonResult.Converged) break;
            NewtonFailures++;
            if (!_jacobianFresh)
            {
                _needJacobian = true;   // retry the same step with a fresh Jacobian (CVODE, scipy)
                continue;
            }
            return NewtonFailure(tolerances, out errorNorm);
        }

        // History of the new step: ∇^{q+1} y_{n+1} = d, ∇^{q+2} y_{n+1} = d − ∇^{q+1} y_n, ∇^m y_{n+1} = ∇^m y_n + ∇^{m+1} y_{n+1}.
        var top = Row(_dNew, q + 1);
        _correction.CopyTo(top);
        var above = Row(_dNew, q + 2);
        ReadOnlySpan<double> previous = Row(_d, q + 1);
        for (int i = 0; i < n; i++) above[i] = _correction[i] - previous[i];
        for (int m = q; m >= 0; m--)
        {
            ReadOnlySpan<double> old = Row(_d, m), next = Row(_dNew, m + 1);
            var row = Row(_dNew, m);
            for (int i = 0; i < n; i++) row[i] = old[i] + next[i];
        }
        if (tolerances is null) return StepOutcome.Success;

        errorNorm = _errorConstant[q] * ErrorNorm.WeightedRms<double>(_correction, y, yNew, tolerances.Absolute, tolerances.Relative);
        if (double.IsNaN(errorNorm)) return StepOutcome.NonFiniteValue;
        y.CopyTo(_yWork);   // y_n, for the error norms at orders q ± 1 in DecideStep
        _tolerances = tolerances;
        return StepOutcome.Success;
    }

    private enum NewtonResult { Converged, Diverged, NonFinite }

    /// <summary>The modified Newton iteration for d (CVODE's convergence test: ‖Δ_m‖·min(1, rate)·C_q ≤ 0.1, the rate
    /// remembered from earlier steps so that one iteration can suffice).</summary>
    private NewtonResult Newton(double tNew, double c, int q, int maxIterations, bool havePredictedF, Span<double> yNew)
    {
        int n = _n;
        _correction.AsSpan().Clear();
        _yPredicted.CopyTo(yNew);
        double ratio = c / _cFactored;
        double scaleBack = ratio == 1 ? 1 : 2 / (1 + ratio);   // CVODE's correction for a stale c in the matrix
        double previousNorm = 0;
        for (int m = 0; m < maxIterations; m++)
        {
            if (m > 0 || !havePredictedF)
            {
                Evaluate(tNew, yNew, _f);
                if (!Blas1.AllFinite<double>(_f)) return NewtonResult.NonFinite;
            }
            for (int i = 0; i < n; i++) _delta[i] = c * _f[i] - _psi[i] - _correction[i];
            if (_matrix is null) DenseLU.Solve(_lu, n, _pivots, _delta);
            else _matrix.Solve(_delta);
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                double dx = _delta[i] * scaleBack;
                _correction[i] += dx;
                yNew[i] = _yPredicted[i] + _correction[i];
                double r = dx * _weight[i];
                sum += r * r;
            }
            double norm = Math.Sqrt(sum / n);
            NewtonIterations++;
            if (!double.IsFinite(norm)) return NewtonResult.Diverged;
            if (m > 0) _rate = Math.Max(RateDecay * _rate, norm / previousNorm);
            if (norm * Math.Min(1, _rate) * _errorConstant[q] <= NewtonCoefficient) return NewtonResult.Converged;
            if (m > 0 && norm > Divergence * previousNorm) return NewtonResult.Diverged;
            previousNorm = norm;
        }
        return NewtonResult.Diverged;
    }

    /// <summary>The corrector failed with a Jacobian evaluated at this step: report an infinite error norm (DecideStep
    /// then proposes h/4), and evaluate the Jacobian again at the next attempt's predictor, since this one was taken at a
    /// predictor that proved too far away (CVODE re-evaluates it after any convergence failure).</summary>
    private StepOutcome NewtonFailure(ErrorTolerances? tolerances, out double errorNorm)
    {
        _newtonFailed = true;
        _needJacobian = true;
        errorNorm = double.PositiveInfinity;
        return tolerances is null ? StepOutcome.NonFiniteValue : StepOutcome.Success;
    }

    /// <summary>J at (t, y) with f(t, y) = <paramref name="f"/>: exact, or forward differences with the increments of
    /// Hairer's RADAU5, σ_j = √(ε·max(10⁻⁵, |y_j|)) (HNW II §IV.8).</summary>
    private void ComputeJacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> f)
    {
        int n = _n;
        if (_matrix is not null)
        {
            _matrix.EvaluateJacobian(t, y, f);
        }
        else if (_jacobian is not null)
        {
            _jacobian(t, y, _j);
        }
        else
        {
            Jacobians.Radau5Differences.Compute(_countingRhs, t, y, f, _j, _work, _delta);
        }
        JacobianEvaluations++;
        _needJacobian = false;
        _jacobianFresh = true;
        _stepsSinceJacobian = 0;
        _cFactored = double.NaN;
    }

    /// <summary>Factors I − cJ; false when it is singular or not finite.</summary>
    private bool Factor(double c)
    {
        int n = _n;
        LuDecompositions++;
        _stepsSinceFactor = 0;
        _rate = 1;
        bool ok;
        if (_matrix is not null)
        {
            ok = _matrix.Factor(1, c);
        }
        else
        {
            for (int i = 0; i < _lu.Length; i++) _lu[i] = -c * _j[i];
            for (int i = 0; i < n; i++) _lu[i * n + i] += 1;
            ok = DenseLU.Factor(_lu, n, _pivots);
        }
        _cFactored = ok ? c : double.NaN;
        return ok;
    }

    /// <summary>
    /// Re-interpolates the history for the step size ρ·h_D: with cₘ(s) = Πᵢ₌₀^{m−1}(s + i)/(i + 1), the interpolant is
    /// p(t_n + s h_D) = Σₘ cₘ(s) ∇^m y_n; its values at s = −jρ, j = 0…q, differenced again, are the new rows:
    /// ∇'^m = Σ_j (−1)^j C(m, j) p(t_n − jρh_D) = Σ_i T[m, i] ∇^i y_n (T upper triangular, identity for ρ = 1).
    /// </summary>
    private void Rescale(double rho)
    {
        int q = _order, size = q + 1, n = _n;
        Span<double> cValues = stackalloc double[8];
        var t = _rescale.AsSpan(0, size * size);
        t.Clear();
        for (int j = 0; j < size; j++)
        {
            double s = -j * rho;
            cValues[0] = 1;
            for (int i = 1; i < size; i++) cValues[i] = cValues[i - 1] * (s + i - 1) / i;
            // (−1)^j C(m, j) for m ≥ j.
            double binomial = 1;
            for (int m = j; m < size; m++)
            {
                if (m > j) binomial = binomial * m / (m - j);
                double sign = (j & 1) == 0 ? binomial : -binomial;
                for (int i = m; i < size; i++) t[m * size + i] += sign * cValues[i];
            }
        }
        for (int m = 1; m < size; m++)
        {
            var row = Row(_d, m);
            double diagonal = t[m * size + m];
            for (int k = 0; k < n; k++) row[k] *= diagonal;
            for (int i = m + 1; i < size; i++)
            {
                double w = t[m * size + i];
                if (w != 0) Blas1.Axpy(w, Row(_d, i), row);
            }
        }
    }

    /// <summary>
    /// Accept or reject, then choose the next order and step (Byrne &amp; Hindmarsh 1975; Hindmarsh et al. 2005): the
    /// step-size ratio that would put the error at order j at 1/bias of the tolerance is
    /// η_j = 1/((bias·err_j)^(1/(j+1)) + 10⁻⁶), with bias 6 for orders q − 1 and q and 10 for q + 1; the largest wins.
    /// As in ode15s, h and q change only after q + 1 steps at the same h and q, and h is kept when it would grow by less
    /// than 20 %.
    /// </summary>
    public override StepSizeDecision DecideStep(double stepSize, double errorNorm, ref ControllerMemory memory)
    {
        int q = _stepOrder;
        if (_newtonFailed)
        {
            _rejections++;
            memory.LastRejected = true;
            return new StepSizeDecision(false, stepSize * NewtonFailureShrink);
        }
        if (!(errorNorm <= 1))
        {
            _rejections++;
            memory.LastRejected = true;
            double shrink = Math.Clamp(Ratio(Bias * errorNorm, q), MinShrink, 0.9);
            if (_rejections >= 2) shrink = Math.Min(shrink, RepeatedShrink);
            // Repeated failures at order > 1: fall back an order (its history rows are already at hand), as CVODE.
            if (_rejections >= 3 && _order > 1) _order--;
            return new StepSizeDecision(false, stepSize * shrink);
        }
        memory.LastRejected = false;

        // Quasi-constant steps (ode15s): consider a change only after q + 1 steps at this h and order.
        if (_equalSteps + 1 < q + 1) return new StepSizeDecision(true, stepSize);

        double best = Ratio(Bias * errorNorm, q);
        int bestOrder = q;
        if (q > 1)
        {
            double lower = Ratio(Bias * _errorConstant[q - 1] * HistoryNorm(q), q - 1);
            if (lower > best) { best = lower; bestOrder = q - 1; }
        }
        if (q < _maxOrder)
        {
            double higher = Ratio(BiasUp * _errorConstant[q + 1] * HistoryNorm(q + 2), q + 1);
            if (higher > best) { best = higher; bestOrder = q + 1; }
        }
        double factor = Math.Min(MaxGrowth, best);
        if (_rejections > 0) factor = Math.Min(factor, 1);
        if (bestOrder == q && factor >= 1 && factor < KeepBand) factor = 1;   // keep h (and the factorization)
        _pendingOrder = bestOrder;
        return new StepSizeDecision(true, stepSize * factor);
    }

    private static double Ratio(double biasedError, int order) => 1 / (Math.Pow(biasedError, 1.0 / (order + 1)) + BiasAddOn);

    /// <summary>Weighted RMS norm (Ordo's scale atol + rtol·max(|y_n|, |y_{n+1}|)) of row <paramref name="row"/> of the new history.</summary>
    private double HistoryNorm(int row) => ErrorNorm.WeightedRms<double>(Row(_dNew, row), _yWork, Row(_dNew, 0), _tolerances!.Absolute, _tolerances.Relative);

    public override void Interpolant(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, Span<double> coefficients)
    {
        int n = _n, q = _stepOrder;
        coefficients.Clear();
        y.CopyTo(coefficients[..n]);
        for (int p = 1; p <= q; p++)
        {
            var block = coefficients.Slice(p * n, n);
            for (int m = p; m <= q; m++)
            {
                double w = ThetaPowers[m, p];
                if (w != 0) Blas1.Axpy(w, Row(_dNew, m), block);
            }
        }
    }

    /// <summary>ThetaPowers[m, p]: coefficient of θ^p in cₘ(θ − 1) = Πᵢ₌₀^{m−1}(θ − 1 + i)/(i + 1), m, p ≤ 5: the dense
    /// output over the last step is y(t_n + θh) = Σₘ cₘ(θ − 1) ∇^m y_{n+1}.</summary>
    private static double[,] BuildThetaPowers()
    {
        var table = new double[6, 6];
        table[0, 0] = 1;
        for (int m = 1; m < 6; m++)
        {
            // Multiply the previous polynomial by (θ + m − 2)/m.
            double shift = m - 2;
            for (int p = 0; p < 6; p++)
            {
                double fromLower = p > 0 ? table[m - 1, p - 1] : 0;
                table[m, p] = (fromLower + shift * table[m - 1, p]) / m;
            }
        }
        return table;
    }

    public override void Accept(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew)
    {
        (_d, _dNew) = (_dNew, _d);
        _equalSteps++;
        if (_fixedSteps && _equalSteps >= _order + 1 && _order < _maxOrder) _pendingOrder = _order + 1;
        if (_pendingOrder != _order)
        {
            _order = _pendingOrder;
            _equalSteps = 0;
        }
        _rejections = 0;
        _stepsSinceJacobian++;
        _stepsSinceFactor++;
        _jacobianFresh = false;
    }
}
