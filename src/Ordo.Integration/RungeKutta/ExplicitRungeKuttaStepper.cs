using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// The one generic stepper behind every explicit Runge–Kutta tableau. Each stage is one fused pass
/// <c>z = y + h Σⱼ aᵢⱼ kⱼ</c> over the nonzero coefficients (<see cref="Blas1.LinearCombination{T}"/>), followed by
/// <c>kᵢ = f(t + cᵢh, z)</c>. All buffers are allocated in the constructor; a step allocates nothing.
/// </summary>
internal sealed class ExplicitRungeKuttaStepper<T> : OdeStepper<T> where T : IFloatingPointIeee754<T>
{
    /// <summary>A sparse row of coefficients: which stage vectors to combine, and with what weights.</summary>
    private readonly struct SparseRow(int[] indices, T[] coefficients)
    {
        public readonly int[] Indices = indices;
        public readonly T[] Coefficients = coefficients;

        public static SparseRow From(ReadOnlySpan<double> row)
        {
            var idx = new List<int>();
            var coef = new List<T>();
            for (int j = 0; j < row.Length; j++)
            {
                if (row[j] == 0) continue;
                idx.Add(j);
                coef.Add(T.CreateChecked(row[j]));
            }
            return new SparseRow([.. idx], [.. coef]);
        }
    }

    private enum ErrorKind { None, Embedded, Dop853 }

    private readonly int _n;
    private readonly int _s;                  // regular stages
    private readonly bool _fsal;
    private readonly double[] _c;             // nodes of regular then extra stages
    private readonly SparseRow[] _rows;       // A rows of regular then extra stages
    private readonly SparseRow _b;
    private readonly ErrorKind _errorKind;
    private readonly SparseRow _error;        // b − b̂, or DOP853's E5
    private readonly SparseRow _error3;       // DOP853: b − b̂₃
    private readonly int _extra;              // extra stages for dense output
    private readonly int _endStage;           // extra stage that equals f(t + h, y₁), or −1
    private readonly SparseRow[] _interpolant; // per power θ^(m+1), weights over all stages
    private readonly T[] _k;                  // stage vectors, (s + extra) × n
    private readonly T[] _z;                  // stage argument
    private readonly T[] _e;                  // error vector
    private readonly T[] _e3;                 // second error vector (DOP853)
    private bool _k0Valid;
    private bool _extrasValid;

    public ExplicitRungeKuttaStepper(ButcherTableau tableau, OdeFunction<T> rhs, int dimension) : base(rhs, dimension)
    {
        _n = dimension;
        _s = tableau.Stages;
        _fsal = tableau.IsFsal;
        ContinuousExtension dense = tableau.ContinuousExtension ?? ContinuousExtension.Hermite(tableau);
        _extra = dense.ExtraStages;
        int total = _s + _extra;

        _c = new double[total];
        _rows = new SparseRow[total];
        for (int i = 0; i < _s; i++)
        {
            _c[i] = tableau.C[i];
            _rows[i] = SparseRow.From(tableau.A(i));
        }
        _endStage = -1;
        for (int e = 0; e < _extra; e++)
        {
            ReadOnlySpan<double> row = dense.ExtraRow(e);
            _c[_s + e] = dense.ExtraNode(e);
            _rows[_s + e] = SparseRow.From(row);
            if (dense.ExtraNode(e) == 1 && row[.._s].SequenceEqual(tableau.B) && !row[_s..].ContainsAnyExcept(0.0))
                _endStage = _s + e;
        }
        _b = SparseRow.From(tableau.B);

        switch (tableau.ErrorEstimator)
        {
            case EmbeddedErrorEstimator embedded:
                _errorKind = ErrorKind.Embedded;
                _error = SparseRow.From(Difference(tableau.B, embedded.EmbeddedWeights));
                break;
            case Dop853ErrorEstimator dop:
                _errorKind = ErrorKind.Dop853;
                _error = SparseRow.From(dop.FifthOrderErrorWeights);
                _error3 = SparseRow.From(dop.ThirdOrderErrorWeights);
                break;
            default:
                _errorKind = ErrorKind.None;
                break;
        }

        InterpolantDegree = dense.Degree;
        _interpolant = new SparseRow[dense.Degree];
        var column = new double[total];
        for (int m = 0; m < dense.Degree; m++)
        {
            for (int i = 0; i < total; i++) column[i] = dense.Weights(i)[m];
            _interpolant[m] = SparseRow.From(column);
        }

        _k = new T[total * _n];
        _z = new T[_n];
        _e = new T[_n];
        _e3 = _errorKind == ErrorKind.Dop853 ? new T[_n] : [];
    }

    public override int InterpolantDegree { get; }

    private Span<T> K(int i) => _k.AsSpan(i * _n, _n);

    private static double[] Difference(ReadOnlySpan<double> b, ReadOnlySpan<double> bHat)
    {
        var d = new double[b.Length];
        for (int i = 0; i < d.Length; i++) d[i] = b[i] - bHat[i];
        return d;
    }

    public override void Start(double t, ReadOnlySpan<T> y, ReadOnlySpan<T> dydt)
    {
        dydt.CopyTo(K(0));
        _k0Valid = true;
        _extrasValid = false;
    }

    public override StepOutcome Step(double t, double h, ReadOnlySpan<T> y, Span<T> yNew, ErrorTolerances? tolerances, out double errorNorm)
    {
        errorNorm = 0;
        _extrasValid = false;
        if (!_k0Valid)
        {
            Evaluate(t, y, K(0));
            _k0Valid = true;
        }
        T th = T.CreateTruncating(h);
        int last = _s - 1;
        for (int i = 1; i < _s; i++)
        {
            if (_fsal && i == last)
            {
                // The FSAL stage is f(t + h, y₁): its argument is the new state itself.
                Blas1.LinearCombination(yNew, y, th, _k, _n, _b.Indices, _b.Coefficients);
                Evaluate(t + h, yNew, K(i));
            }
            else
            {
                SparseRow row = _rows[i];
                Blas1.LinearCombination(_z, y, th, _k, _n, row.Indices, row.Coefficients);
                Evaluate(t + _c[i] * h, _z, K(i));
            }
        }
        if (!_fsal) Blas1.LinearCombination(yNew, y, th, _k, _n, _b.Indices, _b.Coefficients);

        if (!Blas1.AllFinite<T>(yNew) || (_fsal && !Blas1.AllFinite<T>(K(last)))) return StepOutcome.NonFiniteValue;

        if (tolerances is not null && _errorKind != ErrorKind.None)
        {
            Blas1.LinearCombination(_e, default, th, _k, _n, _error.Indices, _error.Coefficients);
            if (_errorKind == ErrorKind.Embedded)
            {
                errorNorm = ErrorNorm.WeightedRms<T>(_e, y, yNew, tolerances.Absolute, tolerances.Relative);
            }
            else
            {
                // Hairer's DOP853: err = ‖e₅‖² / sqrt(‖e₅‖² + 0.01‖e₃‖²) in the weighted RMS norm (HNW I, §II.10).
                Blas1.LinearCombination(_e3, default, th, _k, _n, _error3.Indices, _error3.Coefficients);
                double s5 = ErrorNorm.WeightedSumOfSquares<T>(_e, y, yNew, tolerances.Absolute, tolerances.Relative);
                double s3 = ErrorNorm.WeightedSumOfSquares<T>(_e3, y, yNew, tolerances.Absolute, tolerances.Relative);
                double denominator = s5 + 0.01 * s3;
                errorNorm = denominator > 0 ? s5 / Math.Sqrt(_n * denominator) : s5;
            }
            if (double.IsNaN(errorNorm)) return StepOutcome.NonFiniteValue;
        }
        return StepOutcome.Success;
    }

    public override void Interpolant(double t, double h, ReadOnlySpan<T> y, ReadOnlySpan<T> yNew, Span<T> coefficients)
    {
        T th = T.CreateTruncating(h);
        if (!_extrasValid)
        {
            for (int e = _s; e < _s + _extra; e++)
            {
                if (e == _endStage)
                {
                    Evaluate(t + h, yNew, K(e));
                }
                else
                {
                    SparseRow row = _rows[e];
                    Blas1.LinearCombination(_z, y, th, _k, _n, row.Indices, row.Coefficients);
                    Evaluate(t + _c[e] * h, _z, K(e));
                }
            }
            _extrasValid = true;
        }
        y.CopyTo(coefficients[.._n]);
        for (int m = 0; m < _interpolant.Length; m++)
        {
            SparseRow w = _interpolant[m];
            Blas1.LinearCombination(coefficients.Slice((m + 1) * _n, _n), default, th, _k, _n, w.Indices, w.Coefficients);
        }
    }

    public override void Accept(double t, double h, ReadOnlySpan<T> y, ReadOnlySpan<T> yNew)
    {
        if (_fsal)
        {
            K(_s - 1).CopyTo(K(0));
            _k0Valid = true;
        }
        else if (_endStage >= 0 && _extrasValid)
        {
            K(_endStage).CopyTo(K(0));
            _k0Valid = true;
        }
        else
        {
            _k0Valid = false;
        }
        _extrasValid = false;
    }
}
