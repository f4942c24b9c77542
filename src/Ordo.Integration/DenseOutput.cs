using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// The continuous solution of an ODE solve: one interpolating polynomial per accepted step, in the form
/// <c>y(t) = Σₘ cₘ θ^m</c>, θ = (t − tₖ)/hₖ, built from each method's own dense output
/// (Shampine's for dp5, Tsitouras' for tsit5, Hairer's 7th-order one for dop853, cubic Hermite otherwise).
/// </summary>
/// <typeparam name="T">Number type of the state.</typeparam>
public sealed class DenseOutput<T> where T : IFloatingPointIeee754<T>
{
    private readonly int _n;
    private readonly int _block;              // (degree + 1) · n numbers per step
    private double[] _start = new double[64]; // tₖ
    private double[] _step = new double[64];  // hₖ
    private T[] _coefficients;
    private double _end;

    internal DenseOutput(int dimension, int degree, double t0)
    {
        _n = dimension;
        Degree = degree;
        _block = (degree + 1) * dimension;
        _coefficients = new T[64 * _block];
        _end = t0;
        T0 = t0;
    }

    /// <summary>Number of state components.</summary>
    public int Dimension => _n;

    /// <summary>Degree of the polynomials.</summary>
    public int Degree { get; }

    /// <summary>Number of steps (polynomial pieces).</summary>
    public int Count { get; private set; }

    /// <summary>Start of the covered interval.</summary>
    public double T0 { get; }

    /// <summary>End of the covered interval (the last accepted time, or a terminal event).</summary>
    public double TEnd => _end;

    /// <summary>Room for the coefficients of one more step; call <see cref="Commit"/> after writing them.</summary>
    internal Span<T> Reserve()
    {
        if (Count == _start.Length)
        {
            Array.Resize(ref _start, 2 * Count);
            Array.Resize(ref _step, 2 * Count);
            Array.Resize(ref _coefficients, 2 * Count * _block);
        }
        return _coefficients.AsSpan(Count * _block, _block);
    }

    internal void Commit(double t, double h, double end)
    {
        _start[Count] = t;
        _step[Count] = h;
        _end = end;
        Count++;
    }

    /// <summary>Evaluates the solution at <paramref name="t"/> into <paramref name="y"/> (allocation-free).</summary>
    /// <exception cref="ArgumentOutOfRangeException">t is outside [T0, TEnd].</exception>
    public void Evaluate(double t, Span<T> y)
    {
        Guard.Length(y.Length, _n, nameof(y));
        double lo = Math.Min(T0, _end), hi = Math.Max(T0, _end);
        if (!(t >= lo && t <= hi) || Count == 0)
            throw new ArgumentOutOfRangeException(nameof(t), t, $"t = {t} is outside the interval [{lo}, {hi}] covered by the dense output.");
        int k = Find(t);
        double theta = (t - _start[k]) / _step[k];
        Interpolation.EvaluatePolynomial<T>(_coefficients.AsSpan(k * _block, _block), _n, Degree, T.CreateTruncating(theta), y);
    }

    /// <summary>Evaluates the solution at <paramref name="t"/> into a new array.</summary>
    public T[] Evaluate(double t)
    {
        var y = new T[_n];
        Evaluate(t, y);
        return y;
    }

    private int Find(double t)
    {
        // Steps are ordered in the direction of integration; find the last step whose start is not beyond t.
        int direction = _step[0] > 0 ? 1 : -1;
        int lo = 0, hi = Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (direction * (_start[mid] - t) <= 0) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}

/// <summary>Polynomial evaluation shared by the integrator and <see cref="DenseOutput{T}"/>.</summary>
internal static class Interpolation
{
    /// <summary>y = Σₘ cₘ θ^m by Horner's rule; block m of <paramref name="coefficients"/> (length n) holds cₘ.</summary>
    public static void EvaluatePolynomial<T>(ReadOnlySpan<T> coefficients, int n, int degree, T theta, Span<T> y) where T : IFloatingPointIeee754<T>
    {
        coefficients.Slice(degree * n, n).CopyTo(y);
        for (int m = degree - 1; m >= 0; m--)
        {
            ReadOnlySpan<T> c = coefficients.Slice(m * n, n);
            for (int i = 0; i < n; i++) y[i] = y[i] * theta + c[i];
        }
    }
}
