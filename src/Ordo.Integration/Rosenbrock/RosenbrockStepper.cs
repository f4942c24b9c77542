using Ordo.LinearAlgebra;

namespace Ordo.Integration;

/// <summary>
/// The one stepper of every <see cref="RosenbrockTableau"/> (double precision): per step one Jacobian (exact, or forward
/// differences column by column), one difference for ∂f/∂t, one LU of I/(hγ) − J with <see cref="DenseLU"/>, and s
/// linear solves (HW II §IV.7, eq. (7.25)). A rejected step reuses J and ∂f/∂t (same (t, y)) and refactors only.
/// <para>
/// W mode (a tableau with <see cref="RosenbrockTableau.IsWMethod"/> and a refresh interval K &gt; 1): the pair
/// (J, ∂f/∂t) is kept across steps as the W of the autonomised system (whose order conditions hold for any W), and
/// the LU of I/(hγ) − W is kept while h is unchanged. (J, ∂f/∂t) is evaluated afresh at the current point only when
/// (a) there is none yet, (b) a step at this point was rejected twice in a row, (c) h left [h_J/ρ, ρ·h_J] for the
/// h_J of the last evaluation, or (d) K accepted steps have passed since it. The safeguards guard stability, not
/// order: a W far from J keeps the order but can lose the damping of the stiff components.
/// </para>
/// All buffers, the n×n matrices included, are allocated in the constructor.
/// </summary>
internal sealed class RosenbrockStepper : OdeStepper<double>
{
    private readonly RosenbrockTableau _tab;
    private readonly OdeJacobian<double>? _jacobian;
    private readonly int _n, _s;
    private readonly double[] _j, _lu, _f0, _dfdt, _tmp, _ftmp, _e, _f1;
    private readonly double[][] _u;
    private readonly int[] _pivots;
    private readonly Jacobians.IterationMatrix? _matrix;   // structured or large Jacobians (see the constructor)
    private static readonly double SqrtEpsilon = Math.Sqrt(Math.Pow(2, -52));
    private static readonly double CubeRootEpsilon = Math.Cbrt(Math.Pow(2, -52));
    private readonly OdeFunction<double>? _timeDerivative;
    private readonly bool _autonomous;
    private readonly bool _reuse;
    private readonly int _refreshInterval;
    private readonly double _refreshRatio;
    private bool _jacobianCurrent;   // (J, ∂f/∂t) evaluated at the current (t, y)
    private bool _haveJacobian;      // some (J, ∂f/∂t) is held (W mode)
    private bool _luValid;           // _lu holds the factors of I/(_hLu γ) − J for the J held
    private bool _pending;           // a step was attempted and neither accepted nor followed by Start
    private int _rejections;         // consecutive rejected attempts at the current point
    private int _stepsSinceJacobian; // accepted steps since (J, ∂f/∂t) was evaluated
    private double _hJacobian, _hLu;
    private bool _f1Current;

    /// <param name="tableau">The tableau.</param>
    /// <param name="rhs">f.</param>
    /// <param name="jacobian">Exact J, or null for forward differences.</param>
    /// <param name="dimension">n.</param>
    /// <param name="refreshInterval">W mode only (K): accepted steps after which J is evaluated afresh; 1 = every step
    /// (no reuse). Ignored (every step) for a tableau that is not a W-method.</param>
    /// <param name="refreshRatio">W mode only (ρ &gt; 1): J is evaluated afresh when h leaves [h_J/ρ, ρ·h_J].</param>
    /// <param name="timeDerivative">Exact ∂f/∂t, or null for a central difference.</param>
    /// <param name="autonomous">True when f does not depend on t (∂f/∂t = 0).</param>
    /// <param name="structure">The Jacobian's sparsity, or null for dense. With a pattern, or for n ≥
    /// DenseSolver.LapackThreshold when the system LAPACK is there, J and the LU live in an <see cref="Jacobians.IterationMatrix"/>
    /// (grouped differences, BandedLU or LAPACK); otherwise in place with DenseLU.</param>
    public RosenbrockStepper(RosenbrockTableau tableau, OdeFunction<double> rhs, OdeJacobian<double>? jacobian, int dimension,
        int refreshInterval = 1, double refreshRatio = double.PositiveInfinity,
        OdeFunction<double>? timeDerivative = null, bool autonomous = false, Jacobians.JacobianSparsity? structure = null)
        : base(rhs, dimension)
    {
        if (structure is not null || (dimension >= Ordo.LinearAlgebra.DenseSolver.LapackThreshold && Ordo.LinearAlgebra.Lapack.IsAvailable))
            _matrix = new Jacobians.IterationMatrix(dimension, Evaluate, jacobian, structure);
        _timeDerivative = timeDerivative;
        _autonomous = autonomous;
        _tab = tableau;
        _reuse = tableau.IsWMethod && refreshInterval > 1;
        _refreshInterval = refreshInterval;
        _refreshRatio = refreshRatio;
        _jacobian = jacobian;
        _n = dimension;
        _s = tableau.Stages;
        _j = _matrix is null ? new double[_n * _n] : [];
        _lu = _matrix is null ? new double[_n * _n] : [];
        _pivots = _matrix is null ? new int[_n] : [];
        _f0 = new double[_n];
        _f1 = new double[_n];
        _dfdt = new double[_n];
        _tmp = new double[_n];
        _ftmp = new double[_n];
        _e = new double[_n];
        _u = new double[_s][];
        for (int i = 0; i < _s; i++) _u[i] = new double[_n];
    }

    public override int InterpolantDegree => _tab.InterpolantDegree;

    public override void Start(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> dydt)
    {
        dydt.CopyTo(_f0);
        _jacobianCurrent = false;
        _haveJacobian = false;
        _luValid = false;
        _pending = false;
        _rejections = 0;
        _f1Current = false;
    }

    /// <summary>J = ∂f/∂y and ∂f/∂t at (t, y) into _j and _dfdt.</summary>
    private void EvaluateJacobian(double t, double h, ReadOnlySpan<double> y)
    {
        int n = _n;
        if (_matrix is not null)
        {
            _matrix.EvaluateJacobian(t, y, _f0);
        }
        else if (_jacobian is not null)
        {
            _jacobian(t, y, _j);
        }
        else
        {
            // Forward differences, column by column: δⱼ = √ε·max(|yⱼ|, 1e-5)·sign(yⱼ) (HW II, code RODAS).
            y.CopyTo(_tmp);
            for (int col = 0; col < n; col++)
            {
                double yj = y[col];
                double delta = SqrtEpsilon * Math.Max(Math.Abs(yj), 1e-5) * (yj < 0 ? -1 : 1);
                _tmp[col] = yj + delta;
                delta = _tmp[col] - yj;
                Evaluate(t, _tmp, _ftmp);
                _tmp[col] = yj;
                for (int i = 0; i < n; i++) _j[i * n + col] = (_ftmp[i] - _f0[i]) / delta;
            }
        }
        JacobianEvaluations++;

        // ∂f/∂t: zero, exact, or a central difference in t.
        if (_autonomous)
        {
            _dfdt.AsSpan().Clear();
        }
        else if (_timeDerivative is not null)
        {
            _timeDerivative(t, y, _dfdt);
        }
        else
        {
            // Central difference with an increment proportional to h: the term enters the stages as γᵢ·h·∂f/∂t, so the
            // rounding error ε|f|/δ contributes ε^(2/3)|f| per step whatever h is (a forward difference with
            // δ = √ε·max(|t|, 1e-5), as RODAS does, left an error floor near 1e-8 on the Prothero–Robinson problem and
            // cut RODAS4's order to 2). The floor 1e3·ε·|t| keeps t ± δ distinct from t.
            double dt = Math.Max(CubeRootEpsilon * Math.Abs(h), 1e3 * FloatingPoint.Epsilon * Math.Max(Math.Abs(t), 1e-300));
            double tPlus = t + dt, tMinus = t - dt;
            Evaluate(tPlus, y, _ftmp);
            Evaluate(tMinus, y, _e);
            for (int i = 0; i < n; i++) _dfdt[i] = (_ftmp[i] - _e[i]) / (tPlus - tMinus);
        }
        _jacobianCurrent = true;
        _haveJacobian = true;
        _luValid = false;
        _stepsSinceJacobian = 0;
    }

    /// <summary>Whether (J, ∂f/∂t) must be evaluated at the current point before a step of size h (see the class remarks).</summary>
    private bool NeedsJacobian(double h)
    {
        if (_jacobianCurrent) return false;
        if (!_reuse || !_haveJacobian) return true;
        if (_rejections >= 2 || _stepsSinceJacobian >= _refreshInterval) return true;
        double ratio = Math.Abs(h / _hJacobian);
        return ratio > _refreshRatio || ratio * _refreshRatio < 1;
    }

    public override StepOutcome Step(double t, double h, ReadOnlySpan<double> y, Span<double> yNew, ErrorTolerances? tolerances, out double errorNorm)
    {
        int n = _n, s = _s;
        errorNorm = 0;
        _f1Current = false;
        if (_pending) _rejections++;   // Step again without Accept: the last attempt was rejected
        _pending = true;
        if (NeedsJacobian(h))
        {
            EvaluateJacobian(t, h, y);
            _hJacobian = h;
        }

        // M = I/(hγ) − J, factored in place (kept in W mode while J and h are unchanged; h within a relative 1e-10 of
        // the factored one counts as unchanged: fixed steps h = t_{k+1} − t_k differ in the last bits, and for a
        // W-method the LU of I/(h'γ) − W is that of I/(hγ) − W' with W' = W + (1/(h'γ) − 1/(hγ))I, as good a W).
        if (!_luValid || Math.Abs(h - _hLu) > 1e-10 * Math.Abs(_hLu))
        {
            double diag = 1 / (h * _tab.Gamma);
            LuDecompositions++;
            _hLu = h;
            if (_matrix is not null)
            {
                _luValid = _matrix.Factor(diag, 1);
            }
            else
            {
                for (int k = 0; k < _j.Length; k++) _lu[k] = -_j[k];
                for (int i = 0; i < n; i++) _lu[i * n + i] += diag;
                _luValid = DenseLU.Factor(_lu, n, _pivots);
            }
            if (!_luValid)
            {
                errorNorm = double.PositiveInfinity;
                return StepOutcome.NonFiniteValue;
            }
        }

        double[] a = _tab.A, c = _tab.C;
        for (int i = 0; i < s; i++)
        {
            Span<double> ui = _u[i];
            // Stage value Yᵢ = y + Σ aᵢⱼ uⱼ and the right-hand side f(t + αᵢh, Yᵢ).
            if (i == 0)
            {
                _f0.CopyTo(ui);
            }
            else
            {
                y.CopyTo(_tmp);
                for (int j = 0; j < i; j++)
                {
                    double aij = a[i * s + j];
                    if (aij != 0) Blas1.Axpy(aij, _u[j], _tmp);
                }
                Evaluate(t + _tab.Alpha[i] * h, _tmp, ui);
            }
            // + Σ (cᵢⱼ/h) uⱼ + γᵢ h ∂f/∂t.
            for (int j = 0; j < i; j++)
            {
                double cij = c[i * s + j];
                if (cij != 0) Blas1.Axpy(cij / h, _u[j], ui);
            }
            double gi = _tab.GammaSums[i];
            if (gi != 0) Blas1.Axpy(gi * h, _dfdt, ui);
            if (_matrix is null) DenseLU.Solve(_lu, n, _pivots, ui);
            else _matrix.Solve(ui);
        }

        y.CopyTo(yNew);
        _e.AsSpan().Clear();
        double[] m = _tab.Weights, mh = _tab.EmbeddedWeights;
        for (int i = 0; i < s; i++)
        {
            if (m[i] != 0) Blas1.Axpy(m[i], _u[i], yNew);
            double d = m[i] - mh[i];
            if (d != 0) Blas1.Axpy(d, _u[i], _e);
        }
        if (!Blas1.AllFinite<double>(yNew))
        {
            errorNorm = double.PositiveInfinity;
            return StepOutcome.NonFiniteValue;
        }
        if (tolerances is not null)
        {
            errorNorm = ErrorNorm.WeightedRms<double>(_e, y, yNew, tolerances.Absolute, tolerances.Relative);
            if (double.IsNaN(errorNorm)) errorNorm = double.PositiveInfinity;
        }
        return StepOutcome.Success;
    }

    public override void Interpolant(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, Span<double> coefficients)
    {
        int n = _n;
        Span<double> c0 = coefficients[..n];
        y.CopyTo(c0);
        double[][]? rows = _tab.DenseRows;
        if (rows is null)
        {
            // Cubic Hermite on y₀, f₀, y₁, f₁ (f₁ is reused as the next step's f₀).
            EnsureF1(t + h, yNew);
            Span<double> c1 = coefficients.Slice(n, n), c2 = coefficients.Slice(2 * n, n), c3 = coefficients.Slice(3 * n, n);
            for (int i = 0; i < n; i++)
            {
                double dy = yNew[i] - y[i], hf0 = h * _f0[i], hf1 = h * _f1[i];
                c1[i] = hf0;
                c2[i] = 3 * dy - 2 * hf0 - hf1;
                c3[i] = -2 * dy + hf0 + hf1;
            }
            return;
        }

        // y(θ) = y₀ + θ(y₁ − y₀) + θ(1 − θ)Σₖ θᵏ Dₖ: the coefficient of θᵐ is [m=1](y₁ − y₀) + D_{m−1} − D_{m−2}.
        int r = rows.Length;
        coefficients[n..((r + 2) * n)].Clear();
        for (int i = 0; i < n; i++) coefficients[n + i] = yNew[i] - y[i];
        for (int k = 0; k < r; k++)
        {
            Span<double> plus = coefficients.Slice((k + 1) * n, n), minus = coefficients.Slice((k + 2) * n, n);
            double[] row = rows[k];
            for (int j = 0; j < _s; j++)
            {
                if (row[j] == 0) continue;
                Blas1.Axpy(row[j], _u[j], plus);
                Blas1.Axpy(-row[j], _u[j], minus);
            }
        }
    }

    private void EnsureF1(double t1, ReadOnlySpan<double> yNew)
    {
        if (_f1Current) return;
        Evaluate(t1, yNew, _f1);
        _f1Current = true;
    }

    public override void Accept(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew)
    {
        EnsureF1(t + h, yNew);
        _f1.AsSpan().CopyTo(_f0);
        _f1Current = false;
        _jacobianCurrent = false;
        _pending = false;
        _rejections = 0;
        _stepsSinceJacobian++;
        if (!_reuse) _luValid = false;
    }
}
