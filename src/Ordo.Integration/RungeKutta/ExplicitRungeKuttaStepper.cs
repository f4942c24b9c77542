using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ordo.Integration;

/// <summary>
/// The one generic stepper behind every explicit Runge–Kutta tableau. Each stage is one fused pass
/// <c>z = y + h Σⱼ aᵢⱼ kⱼ</c> over the nonzero coefficients (<see cref="Blas1.LinearCombination{T}"/>), followed by
/// <c>kᵢ = f(t + cᵢh, z)</c>. All buffers are allocated in the constructor; a step allocates nothing.
/// </summary>
internal sealed class ExplicitRungeKuttaStepper<T> : OdeStepper<T> where T : IFloatingPointIeee754<T>
{
    private readonly CompiledTableau<T> _tab;
    private readonly int _n;
    private readonly T[] _k;                  // stage vectors, (s + extra) × n
    private readonly T[] _z;                  // stage argument
    private readonly T[] _e;                  // error vector
    private readonly T[] _e3;                 // second error vector (DOP853)
    private bool _k0Valid;
    private bool _extrasValid;

    public ExplicitRungeKuttaStepper(ButcherTableau tableau, OdeFunction<T> rhs, int dimension) : base(rhs, dimension)
    {
        _tab = CompiledTableau<T>.For(tableau);
        _n = dimension;
        _k = new T[_tab.TotalStages * _n];
        _z = new T[_n];
        _e = new T[_n];
        _e3 = _tab.ErrorKind == CompiledTableau<T>.Error.Dop853 ? new T[_n] : [];
    }

    public override int InterpolantDegree => _tab.Interpolant.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<T> K(int i) => _k.AsSpan(i * _n, _n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Combine(Span<T> destination, ReadOnlySpan<T> y, T h, in SparseRow<T> row) =>
        Blas1.LinearCombinationUnchecked(destination, y, h, _k, _n, row.Indices, row.Coefficients);

    public override void Start(double t, ReadOnlySpan<T> y, ReadOnlySpan<T> dydt)
    {
        dydt.CopyTo(K(0));
        _k0Valid = true;
        _extrasValid = false;
    }

    public override StepOutcome Step(double t, double h, ReadOnlySpan<T> y, Span<T> yNew, ErrorTolerances? tolerances, out double errorNorm)
    {
        CompiledTableau<T> tab = _tab;
        errorNorm = 0;
        _extrasValid = false;
        if (!_k0Valid)
        {
            Evaluate(t, y, K(0));
            _k0Valid = true;
        }
        T th = T.CreateTruncating(h);
        int s = tab.Stages, last = s - 1;
        for (int i = 1; i < s; i++)
        {
            if (tab.IsFsal && i == last)
            {
                // The FSAL stage is f(t + h, y₁): its argument is the new state itself.
                Combine(yNew, y, th, tab.B);
                Evaluate(t + h, yNew, K(i));
            }
            else
            {
                Combine(_z, y, th, tab.Rows[i]);
                Evaluate(t + tab.C[i] * h, _z, K(i));
            }
        }
        if (!tab.IsFsal) Combine(yNew, y, th, tab.B);

        if (!Blas1.AllFinite<T>(yNew) || (tab.IsFsal && !Blas1.AllFinite<T>(K(last)))) return StepOutcome.NonFiniteValue;

        if (tolerances is not null && tab.ErrorKind != CompiledTableau<T>.Error.None)
        {
            Combine(_e, default, th, tab.ErrorRow);
            if (tab.ErrorKind == CompiledTableau<T>.Error.Embedded)
            {
                errorNorm = ErrorNorm.WeightedRms<T>(_e, y, yNew, tolerances.Absolute, tolerances.Relative);
            }
            else
            {
                // Hairer's DOP853: err = ‖e₅‖² / sqrt(‖e₅‖² + 0.01‖e₃‖²) in the weighted RMS norm (HNW I, §II.10).
                Combine(_e3, default, th, tab.ThirdOrderErrorRow);
                double s5 = ErrorNorm.WeightedSumOfSquares<T>(_e, y, yNew, tolerances.Absolute, tolerances.Relative);
                double s3 = ErrorNorm.WeightedSumOfSquares<T>(_e3, y, yNew, tolerances.Absolute, tolerances.Relative);
                double denominator = s5 + 0.01 * s3;
                errorNorm = denominator > 0 ? s5 / Math.Sqrt(_n * denominator) : s5;
            }
            if (double.IsNaN(errorNorm)) return StepOutcome.NonFiniteValue;
        }
        return StepOutcome.Success;
    }

    /// <summary>
    /// Hairer's stiffness estimate of the step just attempted (HNW I §IV.2, code DOPRI5): when the last two stages are
    /// both at t + h (stage s−1 at z, the FSAL stage s at y₁), ρ ≈ ‖k_s − k_{s−1}‖ / ‖y₁ − z‖ approximates the dominant
    /// eigenvalue modulus of ∂f/∂y; returns |h|·ρ, or NaN when the tableau has no such pair of stages.
    /// </summary>
    internal double StiffnessEstimate(double h, ReadOnlySpan<T> yNew)
    {
        int s = _tab.Stages;
        if (!_tab.IsFsal || s < 3 || _tab.C[s - 1] != 1 || _tab.C[s - 2] != 1) return double.NaN;
        ReadOnlySpan<T> kLast = K(s - 1), kPrevious = K(s - 2);
        double numerator = 0, denominator = 0;
        for (int i = 0; i < _n; i++)
        {
            double dk = double.CreateTruncating(kLast[i] - kPrevious[i]);
            double dy = double.CreateTruncating(yNew[i] - _z[i]);
            numerator += dk * dk;
            denominator += dy * dy;
        }
        return denominator > 0 ? Math.Abs(h) * Math.Sqrt(numerator / denominator) : 0;
    }

    public override void Interpolant(double t, double h, ReadOnlySpan<T> y, ReadOnlySpan<T> yNew, Span<T> coefficients)
    {
        CompiledTableau<T> tab = _tab;
        T th = T.CreateTruncating(h);
        if (!_extrasValid)
        {
            for (int e = tab.Stages; e < tab.TotalStages; e++)
            {
                if (e == tab.EndStage)
                {
                    Evaluate(t + h, yNew, K(e));
                }
                else
                {
                    Combine(_z, y, th, tab.Rows[e]);
                    Evaluate(t + tab.C[e] * h, _z, K(e));
                }
            }
            _extrasValid = true;
        }
        y.CopyTo(coefficients[.._n]);
        for (int m = 0; m < tab.Interpolant.Length; m++)
            Combine(coefficients.Slice((m + 1) * _n, _n), default, th, tab.Interpolant[m]);
    }

    public override void Accept(double t, double h, ReadOnlySpan<T> y, ReadOnlySpan<T> yNew)
    {
        if (_tab.IsFsal)
        {
            K(_tab.Stages - 1).CopyTo(K(0));
            _k0Valid = true;
        }
        else if (_tab.EndStage >= 0 && _extrasValid)
        {
            K(_tab.EndStage).CopyTo(K(0));
            _k0Valid = true;
        }
        else
        {
            _k0Valid = false;
        }
        _extrasValid = false;
    }
}

/// <summary>A sparse row of coefficients: which stage vectors to combine, and with what weights.</summary>
internal readonly struct SparseRow<T>(int[] indices, T[] coefficients) where T : IFloatingPointIeee754<T>
{
    public readonly int[] Indices = indices;
    public readonly T[] Coefficients = coefficients;

    public static SparseRow<T> From(ReadOnlySpan<double> row)
    {
        int count = 0;
        foreach (double v in row) if (v != 0) count++;
        var indices = new int[count];
        var coefficients = new T[count];
        for (int j = 0, k = 0; j < row.Length; j++)
        {
            if (row[j] == 0) continue;
            indices[k] = j;
            coefficients[k++] = T.CreateChecked(row[j]);
        }
        return new SparseRow<T>(indices, coefficients);
    }
}

/// <summary>
/// A tableau converted once per number type into what the stepper reads: sparse rows of coefficients in
/// <typeparamref name="T"/>, the error weights, and the interpolant's weights per power of θ. Cached per tableau, so a
/// solve allocates only its buffers.
/// </summary>
internal sealed class CompiledTableau<T> where T : IFloatingPointIeee754<T>
{
    public enum Error { None, Embedded, Dop853 }

    private static readonly ConditionalWeakTable<ButcherTableau, CompiledTableau<T>> s_cache = [];

    public static CompiledTableau<T> For(ButcherTableau tableau) => s_cache.GetValue(tableau, static t => new CompiledTableau<T>(t));

    private CompiledTableau(ButcherTableau tableau)
    {
        Stages = tableau.Stages;
        IsFsal = tableau.IsFsal;
        ContinuousExtension dense = tableau.ContinuousExtension ?? ContinuousExtension.Hermite(tableau);
        TotalStages = Stages + dense.ExtraStages;
        C = new double[TotalStages];
        Rows = new SparseRow<T>[TotalStages];
        for (int i = 0; i < Stages; i++)
        {
            C[i] = tableau.C[i];
            Rows[i] = SparseRow<T>.From(tableau.A(i));
        }
        EndStage = -1;
        for (int e = 0; e < dense.ExtraStages; e++)
        {
            ReadOnlySpan<double> row = dense.ExtraRow(e);
            C[Stages + e] = dense.ExtraNode(e);
            Rows[Stages + e] = SparseRow<T>.From(row);
            if (dense.ExtraNode(e) == 1 && row[..Stages].SequenceEqual(tableau.B) && !row[Stages..].ContainsAnyExcept(0.0))
                EndStage = Stages + e;
        }
        B = SparseRow<T>.From(tableau.B);
        switch (tableau.ErrorEstimator)
        {
            case EmbeddedErrorEstimator embedded:
                ErrorKind = Error.Embedded;
                var d = new double[Stages];
                for (int i = 0; i < Stages; i++) d[i] = tableau.B[i] - embedded.EmbeddedWeights[i];
                ErrorRow = SparseRow<T>.From(d);
                break;
            case Dop853ErrorEstimator dop:
                ErrorKind = Error.Dop853;
                ErrorRow = SparseRow<T>.From(dop.FifthOrderErrorWeights);
                ThirdOrderErrorRow = SparseRow<T>.From(dop.ThirdOrderErrorWeights);
                break;
            default:
                ErrorKind = Error.None;
                break;
        }
        Interpolant = new SparseRow<T>[dense.Degree];
        var column = new double[TotalStages];
        for (int m = 0; m < dense.Degree; m++)
        {
            for (int i = 0; i < TotalStages; i++) column[i] = dense.Weights(i)[m];
            Interpolant[m] = SparseRow<T>.From(column);
        }
    }

    /// <summary>Regular stages s.</summary>
    public int Stages { get; }

    /// <summary>Regular plus extra (dense-output) stages.</summary>
    public int TotalStages { get; }

    public bool IsFsal { get; }

    /// <summary>Nodes of regular then extra stages.</summary>
    public double[] C { get; }

    /// <summary>A rows of regular then extra stages.</summary>
    public SparseRow<T>[] Rows { get; }

    public SparseRow<T> B { get; }

    public Error ErrorKind { get; }

    /// <summary>b − b̂, or DOP853's E5.</summary>
    public SparseRow<T> ErrorRow { get; }

    /// <summary>DOP853: b − b̂₃.</summary>
    public SparseRow<T> ThirdOrderErrorRow { get; }

    /// <summary>Extra stage that equals f(t + h, y₁) (reused as the next first stage), or −1.</summary>
    public int EndStage { get; }

    /// <summary>Interpolant weights per power θ^(m+1), over all stages.</summary>
    public SparseRow<T>[] Interpolant { get; }
}
