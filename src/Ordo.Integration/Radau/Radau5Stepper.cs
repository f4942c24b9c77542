using Ordo.LinearAlgebra;
using static Ordo.Integration.Radau5Coefficients;

namespace Ordo.Integration;

/// <summary>
/// The RADAU5 step (HNW II §IV.8): simplified Newton iterations on the transformed stage values W = (T⁻¹⊗I)Z, so that
/// each iteration solves (γ/h − J)Δw₁ = r₁ (real) and ((α − iβ)/h − J)(Δw₂ + iΔw₃) = r₂ + i r₃ (complex). All buffers
/// are allocated in the constructor; a step allocates nothing.
/// </summary>
internal sealed class Radau5Stepper : OdeStepper<double>
{
    private const double Eps = 2.220446049250313e-16;
    private readonly OdeFunction<double> _countingRhs;
    private const int MaxNewton = 7;
    private const double Safety = 0.9;
    private const double ThetaReuse = 0.001;
    private const double FacLeft = 5.0, FacRight = 0.125;   // quot = h/h_new ∈ [1/8, 5]

    private readonly OdeJacobian<double>? _jacobian;
    private readonly int _n;
    private readonly double[] _j, _e1, _e2, _z, _w, _f, _f0, _dOld, _scal, _y, _tmp, _b1, _b2, _err;
    private readonly int[] _p1, _p2;

    private bool _needJacobian, _jacobianFresh, _haveOld, _haveAccepted, _stepOpen, _first;
    private double _luH = double.NaN, _hOld, _hAcc, _errAcc, _faccon, _theta, _hTrial, _errTrial;

    /// <summary>Newton iterations made so far.</summary>
    public long NewtonIterations { get; private set; }

    public Radau5Stepper(OdeFunction<double> rhs, OdeJacobian<double>? jacobian, int dimension) : base(rhs, dimension)
    {
        _countingRhs = Evaluate;   // f with the stepper's count, for differenced Jacobians (one delegate, made once)
        int n = dimension;
        _n = n;
        _jacobian = jacobian;
        _j = new double[n * n];
        _e1 = new double[n * n];
        _e2 = new double[2 * n * n];
        _p1 = new int[n];
        _p2 = new int[n];
        _z = new double[3 * n];
        _w = new double[3 * n];
        _f = new double[3 * n];
        _dOld = new double[3 * n];
        _f0 = new double[n];
        _scal = new double[n];
        _y = new double[n];
        _tmp = new double[n];
        _b1 = new double[n];
        _b2 = new double[2 * n];
        _err = new double[n];
    }

    public override int InterpolantDegree => 3;

    public override void Start(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> dydt)
    {
        dydt.CopyTo(_f0);
        _needJacobian = true;
        _jacobianFresh = false;
        _haveOld = _haveAccepted = _stepOpen = false;
        _first = true;
        _luH = double.NaN;
        _faccon = 1;
        _theta = 1;
    }

    private void ComputeJacobian(double t, ReadOnlySpan<double> y)
    {
        if (_jacobian is not null)
        {
            _jacobian(t, y, _j);
        }
        else
        {
            Jacobians.Radau5Differences.Compute(_countingRhs, t, y, _f0, _j, _y, _tmp);
        }
        JacobianEvaluations++;
        _needJacobian = false;
        _jacobianFresh = true;
        _luH = double.NaN;
    }

    private bool Factor(double h)
    {
        int n = _n;
        double g = Gamma / h, ar = Alpha / h, ai = -Beta / h;
        for (int i = 0; i < n * n; i++)
        {
            _e1[i] = -_j[i];
            _e2[2 * i] = -_j[i];
            _e2[2 * i + 1] = 0;
        }
        for (int i = 0; i < n; i++)
        {
            _e1[i * n + i] += g;
            _e2[2 * (i * n + i)] += ar;
            _e2[2 * (i * n + i) + 1] = ai;
        }
        LuDecompositions += 2;
        bool ok = DenseLU.Factor(_e1, n, _p1) & ComplexLU.Factor(_e2, n, _p2);
        _luH = ok ? h : double.NaN;
        return ok;
    }

    public override StepOutcome Step(double t, double h, ReadOnlySpan<double> y, Span<double> yNew, ErrorTolerances? tolerances, out double errorNorm)
    {
        errorNorm = 0;
        int n = _n;
        bool lastRejected = _stepOpen;
        _stepOpen = true;

        // Newton tolerances (RADAU5's transformation rtol' = 0.1·rtol^(2/3), atol' = rtol'·atol/rtol).
        double rtolN = tolerances is null ? 1e-12 : 0.1 * Math.Pow(tolerances.Relative, 2.0 / 3.0);
        for (int i = 0; i < n; i++)
        {
            double atolN = tolerances is null ? 1e-12 : rtolN * tolerances.Absolute[i] / tolerances.Relative;
            _scal[i] = atolN + rtolN * Math.Abs(y[i]);
        }
        double fnewt = Math.Max(10 * Eps / rtolN, Math.Min(0.03, Math.Sqrt(rtolN)));

        if (_needJacobian) ComputeJacobian(t, y);
        if (h != _luH && !Factor(h)) return Fail(tolerances, 0.5, out errorNorm);

        // Starting values: the previous step's collocation polynomial, extrapolated.
        if (_haveOld)
        {
            double r = h / _hOld;
            for (int i = 0; i < 3; i++)
            {
                double s = 1 + C[i] * r;
                double p1 = s - 1, p2 = s * s - 1, p3 = s * s * s - 1;
                var zi = _z.AsSpan(i * n, n);
                for (int k = 0; k < n; k++) zi[k] = _dOld[k] * p1 + _dOld[n + k] * p2 + _dOld[2 * n + k] * p3;
            }
        }
        else
        {
            Array.Clear(_z);
        }
        Mix(TI, _z, _w);

        _faccon = Math.Pow(Math.Max(_faccon, Eps), 0.8);
        double dynOld = 0;
        bool converged = false;
        int newt = 0;
        // Fixed steps (no tolerances) cannot shrink h: iterate longer, without the predictive divergence exit.
        int maxNewton = tolerances is null ? 4 * MaxNewton : MaxNewton;
        while (!converged)
        {
            if (newt >= maxNewton) return Fail(tolerances, 0.5, out errorNorm);
            newt++;
            NewtonIterations++;
            for (int i = 0; i < 3; i++)
            {
                var zi = _z.AsSpan(i * n, n);
                for (int k = 0; k < n; k++) _y[k] = y[k] + zi[k];
                Evaluate(t + C[i] * h, _y, _f.AsSpan(i * n, n));
            }
            if (!Blas1.AllFinite<double>(_f)) return StepOutcome.NonFiniteValue;
            // g = T⁻¹F; right-hand sides in transformed variables.
            double g0 = Gamma / h, a = Alpha / h, b = Beta / h;
            double sum = 0;
            for (int k = 0; k < n; k++)
            {
                double f1 = _f[k], f2 = _f[n + k], f3 = _f[2 * n + k];
                double g1 = TI[0] * f1 + TI[1] * f2 + TI[2] * f3;
                double g2 = TI[3] * f1 + TI[4] * f2 + TI[5] * f3;
                double g3 = TI[6] * f1 + TI[7] * f2 + TI[8] * f3;
                double w1 = _w[k], w2 = _w[n + k], w3 = _w[2 * n + k];
                _b1[k] = g1 - g0 * w1;
                _b2[2 * k] = g2 - (a * w2 + b * w3);
                _b2[2 * k + 1] = g3 - (-b * w2 + a * w3);
            }
            DenseLU.Solve(_e1, n, _p1, _b1);
            ComplexLU.Solve(_e2, n, _p2, _b2);
            for (int k = 0; k < n; k++)
            {
                double s = 1 / _scal[k];
                double d1 = _b1[k] * s, d2 = _b2[2 * k] * s, d3 = _b2[2 * k + 1] * s;
                sum += d1 * d1 + d2 * d2 + d3 * d3;
            }
            double dyno = Math.Sqrt(sum / (3 * n));
            if (!double.IsFinite(dyno)) return Fail(tolerances, 0.5, out errorNorm);
            if (newt > 1)
            {
                double theta = dyno / dynOld;
                _theta = theta;
                if (theta >= 0.99) return Fail(tolerances, 0.5, out errorNorm);
                _faccon = theta / (1 - theta);
                double dyth = _faccon * dyno * Math.Pow(theta, MaxNewton - newt) / fnewt;
                if (dyth >= 1 && tolerances is not null)
                {
                    double qnewt = Math.Clamp(dyth, 1e-4, 20);
                    return Fail(tolerances, 0.8 * Math.Pow(qnewt, -1.0 / (4 + MaxNewton - newt)), out errorNorm);
                }
            }
            dynOld = Math.Max(dyno, Eps);
            for (int k = 0; k < n; k++)
            {
                _w[k] += _b1[k];
                _w[n + k] += _b2[2 * k];
                _w[2 * n + k] += _b2[2 * k + 1];
            }
            Mix(T, _w, _z);
            converged = _faccon * dyno <= fnewt;
        }

        var z3 = _z.AsSpan(2 * n, n);
        for (int k = 0; k < n; k++) yNew[k] = y[k] + z3[k];
        if (!Blas1.AllFinite<double>(yNew)) return StepOutcome.NonFiniteValue;
        if (tolerances is null) return StepOutcome.Success;

        // Embedded estimate filtered by (I − hγ₀J)⁻¹ = hγ₀·... with (γ/h − J) = (I − hγ₀J)/(hγ₀).
        double err = ErrorEstimate(h, _f0, y, yNew, tolerances);
        if (err >= 1 && (_first || lastRejected))
        {
            for (int k = 0; k < n; k++) _y[k] = y[k] + _err[k];
            Evaluate(t, _y, _tmp);
            if (Blas1.AllFinite<double>(_tmp)) err = ErrorEstimate(h, _tmp, y, yNew, tolerances);
        }
        if (!double.IsFinite(err)) return StepOutcome.NonFiniteValue;

        // Gustafsson's predictive controller (RADAU5): h_new = h/quot.
        double fac = Math.Min(Safety, Safety * (2 * MaxNewton + 1) / (newt + 2 * MaxNewton));
        double quot = Math.Clamp(Math.Pow(err, 0.25) / fac, FacRight, FacLeft);
        if (err <= 1)
        {
            if (_haveAccepted)
            {
                double facgus = _hAcc / h * Math.Pow(err * err / _errAcc, 0.25) / Safety;
                quot = Math.Max(quot, Math.Clamp(facgus, FacRight, FacLeft));
            }
            double qt = 1 / quot;
            if (_theta <= ThetaReuse && qt >= 1 && qt <= 1.2) quot = 1;   // keep h and the factorizations
            _hTrial = h;
            _errTrial = Math.Max(err, 1e-2);
            errorNorm = Math.Min(1.0, Math.Pow(quot, 4));
        }
        else
        {
            if (!_jacobianFresh) _needJacobian = true;
            errorNorm = Math.Max(err, Math.Pow(quot, 4));
        }
        return StepOutcome.Success;
    }

    private double ErrorEstimate(double h, ReadOnlySpan<double> f0, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, ErrorTolerances tolerances)
    {
        int n = _n;
        double g0 = 1 / Gamma;
        for (int k = 0; k < n; k++)
            _err[k] = (h * g0 * f0[k] + E[0] * _z[k] + E[1] * _z[n + k] + E[2] * _z[2 * n + k]) / (h * g0);
        DenseLU.Solve(_e1, n, _p1, _err);
        return ErrorNorm.WeightedRms<double>(_err, y, yNew, tolerances.Absolute, tolerances.Relative);
    }

    /// <summary>A failed Newton iteration or singular matrix: shrink h by <paramref name="factor"/> through the effective
    /// error norm (or fail the fixed step), and refresh the Jacobian when it is not current.</summary>
    private StepOutcome Fail(ErrorTolerances? tolerances, double factor, out double errorNorm)
    {
        if (!_jacobianFresh) _needJacobian = true;
        errorNorm = Math.Max(Math.Pow(factor, -4), 1.0001);
        return tolerances is null ? StepOutcome.NonFiniteValue : StepOutcome.Success;
    }

    /// <summary>destination block i = Σⱼ M[i,j]·source block j (3 blocks of n).</summary>
    private void Mix(double[] m, ReadOnlySpan<double> source, Span<double> destination)
    {
        int n = _n;
        for (int k = 0; k < n; k++)
        {
            double s1 = source[k], s2 = source[n + k], s3 = source[2 * n + k];
            destination[k] = m[0] * s1 + m[1] * s2 + m[2] * s3;
            destination[n + k] = m[3] * s1 + m[4] * s2 + m[5] * s3;
            destination[2 * n + k] = m[6] * s1 + m[7] * s2 + m[8] * s3;
        }
    }

    public override void Interpolant(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, Span<double> coefficients)
    {
        y.CopyTo(coefficients[.._n]);
        Mix(VI, _z, coefficients.Slice(_n, 3 * _n));
    }

    public override void Accept(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew)
    {
        Mix(VI, _z, _dOld);
        _hOld = h;
        _haveOld = true;
        _hAcc = h;
        _errAcc = _errTrial;
        _haveAccepted = _errTrial > 0;
        _first = false;
        _stepOpen = false;
        Evaluate(t + h, yNew, _f0);
        _jacobianFresh = false;
        if (_theta > ThetaReuse) _needJacobian = true;
    }
}
