namespace Ordo.Optimization;

/// <summary>
/// Box constraints lower ≤ x ≤ upper (use ±∞ for an unbounded side). Validated once: NaN bounds and inverted bounds
/// (lower &gt; upper) are rejected with the offending index. A start outside the box is projected onto it, and the
/// result says so (<see cref="MinimizationResult.InitialPointProjected"/>).
/// </summary>
public sealed class Bounds
{
    private readonly double[] _lower;
    private readonly double[] _upper;

    /// <summary>Creates bounds; either side may be null (unbounded). The arrays are copied.</summary>
    /// <exception cref="ArgumentException">Lengths differ from <paramref name="dimension"/>, a bound is NaN, or lower[i] &gt; upper[i].</exception>
    public Bounds(int dimension, ReadOnlySpan<double> lower, ReadOnlySpan<double> upper)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        _lower = new double[dimension];
        _upper = new double[dimension];
        if (lower.Length == 0) Array.Fill(_lower, double.NegativeInfinity);
        else { Guard.Length(lower.Length, dimension, nameof(lower)); lower.CopyTo(_lower); }
        if (upper.Length == 0) Array.Fill(_upper, double.PositiveInfinity);
        else { Guard.Length(upper.Length, dimension, nameof(upper)); upper.CopyTo(_upper); }
        for (int i = 0; i < dimension; i++)
        {
            if (double.IsNaN(_lower[i])) throw new ArgumentException($"lower[{i}] is NaN; use -Infinity for an unbounded variable.", nameof(lower));
            if (double.IsNaN(_upper[i])) throw new ArgumentException($"upper[{i}] is NaN; use +Infinity for an unbounded variable.", nameof(upper));
            if (_lower[i] > _upper[i])
                throw new ArgumentException($"The bounds of variable {i} are inverted: lower[{i}] = {_lower[i]} > upper[{i}] = {_upper[i]}.", nameof(lower));
            if (_lower[i] == double.PositiveInfinity || _upper[i] == double.NegativeInfinity)
                throw new ArgumentException($"The bounds of variable {i} leave no finite point: [{_lower[i]}, {_upper[i]}].", nameof(lower));
        }
    }

    /// <summary>Bounds from two arrays (null = unbounded on that side).</summary>
    public Bounds(double[]? lower, double[]? upper)
        : this(lower?.Length ?? upper?.Length ?? throw new ArgumentException("At least one of lower and upper must be given."), lower, upper)
    {
    }

    /// <summary>The number of variables.</summary>
    public int Dimension => _lower.Length;

    /// <summary>Lower bounds (−∞ where unbounded).</summary>
    public ReadOnlySpan<double> Lower => _lower;

    /// <summary>Upper bounds (+∞ where unbounded).</summary>
    public ReadOnlySpan<double> Upper => _upper;

    /// <summary>True when some bound is finite.</summary>
    public bool IsBounded
    {
        get
        {
            for (int i = 0; i < _lower.Length; i++)
                if (double.IsFinite(_lower[i]) || double.IsFinite(_upper[i])) return true;
            return false;
        }
    }

    /// <summary>True when lower ≤ x ≤ upper componentwise.</summary>
    public bool Contains(ReadOnlySpan<double> x)
    {
        for (int i = 0; i < x.Length; i++)
            if (!(x[i] >= _lower[i] && x[i] <= _upper[i])) return false;
        return true;
    }

    /// <summary>Projects x onto the box in place; returns the number of components changed.</summary>
    public int Project(Span<double> x)
    {
        int changed = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double c = Math.Clamp(x[i], _lower[i], _upper[i]);
            if (c != x[i]) { x[i] = c; changed++; }
        }
        return changed;
    }

    /// <summary>‖P(x − g) − x‖∞, the projected-gradient norm: zero exactly at a first-order (KKT) point of the box
    /// problem; it equals ‖g‖∞ without bounds.</summary>
    public double ProjectedGradientNorm(ReadOnlySpan<double> x, ReadOnlySpan<double> g)
    {
        double m = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = Math.Abs(Math.Clamp(x[i] - g[i], _lower[i], _upper[i]) - x[i]);
            if (!(d <= m)) m = d;
        }
        return m;
    }
}
