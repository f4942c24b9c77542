namespace Ordo;

/// <summary>Facts about double precision that solvers need, and the few elementary functions .NET computes inaccurately.</summary>
public static class FloatingPoint
{
    /// <summary>Machine epsilon of <see cref="double"/>, 2⁻⁵² ≈ 2.22e-16: the gap between 1 and the next double
    /// (not <see cref="double.Epsilon"/>, which is the smallest subnormal number).</summary>
    public const double Epsilon = 2.220446049250313e-16;

    /// <summary>
    /// e^x − 1, accurate to a few ulps also for tiny |x| (where <c>Math.Exp(x) − 1</c>, which is what
    /// <see cref="double.ExpM1"/> computes, loses every digit).
    /// </summary>
    /// <remarks>Kahan's correction: with u = fl(e^x), (u − 1)·x/log(u) cancels the rounding error of u
    /// (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, 2nd ed., §1.14.1).</remarks>
    public static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0) return -1.0;
        if (double.IsPositiveInfinity(u)) return u;
        return um1 * x / Math.Log(u);
    }

    /// <summary>
    /// log(1 + x), accurate for tiny |x| (where <c>Math.Log(1 + x)</c>, which is what <see cref="double.LogP1"/>
    /// computes, loses every digit).
    /// </summary>
    /// <remarks>Kahan's correction: with u = fl(1 + x), log(u)·x/(u − 1) (Higham, §1.14.1).</remarks>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        if (double.IsPositiveInfinity(u)) return u;
        return Math.Log(u) * x / (u - 1.0);
    }
}
