namespace Ordo;

/// <summary>Facts about double precision that solvers need.</summary>
public static class FloatingPoint
{
    /// <summary>Machine epsilon of <see cref="double"/>, 2⁻⁵² ≈ 2.22e-16: the gap between 1 and the next double
    /// (not <see cref="double.Epsilon"/>, which is the smallest subnormal number).</summary>
    public const double Epsilon = 2.220446049250313e-16;
}
