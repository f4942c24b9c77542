namespace Ordo.Integration.Jacobians;

/// <summary>
/// The dense forward-difference Jacobian of Hairer's RADAU5 (HNW II §IV.8): column j from one evaluation of f at
/// y + σⱼeⱼ, σⱼ = √(ε·max(10⁻⁵, |yⱼ|)), divided by the increment actually represented ((yⱼ + σⱼ) − yⱼ). The
/// Newton-based steppers (radau5, bdf, BDF2 on grids) share it; the Rosenbrock methods use
/// <see cref="FiniteDifferenceJacobian"/>, whose increment is proportional to |yⱼ|.
/// </summary>
internal static class Radau5Differences
{
    private const double Eps = 2.220446049250313e-16;

    /// <summary>Writes J (row-major, n × n) from f, with n evaluations of <paramref name="f"/>.</summary>
    /// <param name="f">The right-hand side (a counting one, for the steppers' statistics).</param>
    /// <param name="t">Time.</param>
    /// <param name="y">The state.</param>
    /// <param name="fy">f(t, y).</param>
    /// <param name="jacobian">Receives J.</param>
    /// <param name="yWork">Scratch of length n.</param>
    /// <param name="fWork">Scratch of length n.</param>
    public static void Compute(OdeFunction<double> f, double t, ReadOnlySpan<double> y, ReadOnlySpan<double> fy,
        Span<double> jacobian, Span<double> yWork, Span<double> fWork)
    {
        int n = y.Length;
        y.CopyTo(yWork);
        for (int k = 0; k < n; k++)
        {
            double yk = yWork[k];
            yWork[k] = yk + Math.Sqrt(Eps * Math.Max(1e-5, Math.Abs(yk)));
            double increment = yWork[k] - yk;
            f(t, yWork, fWork);
            yWork[k] = yk;
            for (int i = 0; i < n; i++) jacobian[i * n + k] = (fWork[i] - fy[i]) / increment;
        }
    }
}
