namespace Ordo;

/// <summary>A scalar function of one variable; implement it on a struct to call <see cref="RootFinding"/> without allocating.</summary>
public interface IScalarFunction
{
    /// <summary>Evaluates the function at <paramref name="x"/>.</summary>
    double Evaluate(double x);
}

/// <summary>Bracketing root finders.</summary>
public static class RootFinding
{
    /// <summary>
    /// Brent's method (Brent, <i>Algorithms for Minimization without Derivatives</i>, 1973, ch. 4, "zeroin"):
    /// inverse quadratic interpolation and secant steps safeguarded by bisection, on a bracket [a, b] where f changes
    /// sign. Converges superlinearly on smooth functions and never takes more than about (log₂(|b − a|/tol))² steps.
    /// </summary>
    /// <param name="f">The function (passed by reference so a struct is not copied).</param>
    /// <param name="a">One end of the bracket.</param>
    /// <param name="b">The other end.</param>
    /// <param name="fa">f(a).</param>
    /// <param name="fb">f(b); fa and fb must not have the same strict sign.</param>
    /// <param name="tolerance">Absolute tolerance on the root (≥ 0); 4·ε·|x| is always added.</param>
    /// <param name="maxIterations">Maximum number of evaluations of f (default 200).</param>
    /// <returns>A point within the tolerance of a sign change of f.</returns>
    /// <exception cref="ArgumentException">f(a) and f(b) have the same strict sign.</exception>
    public static double Brent<TFunction>(ref TFunction f, double a, double b, double fa, double fb, double tolerance, int maxIterations = 200)
        where TFunction : IScalarFunction
    {
        if (fa == 0) return a;
        if (fb == 0) return b;
        if (SameSign(fa, fb) || double.IsNaN(fa) || double.IsNaN(fb))
            throw new ArgumentException($"Brent: f(a) = {fa} and f(b) = {fb} have the same sign (or one is NaN); [a, b] does not bracket a root.", nameof(fb));
        double c = a, fc = fa, d = b - a, e = d;
        for (int iteration = 0; iteration < maxIterations; iteration++)
        {
            if (SameSign(fb, fc))
            {
                c = a; fc = fa; d = b - a; e = d;
            }
            if (Math.Abs(fc) < Math.Abs(fb))
            {
                a = b; b = c; c = a;
                fa = fb; fb = fc; fc = fa;
            }
            double tol1 = 2 * FloatingPoint.Epsilon * Math.Abs(b) + 0.5 * tolerance;
            double xm = 0.5 * (c - b);
            if (Math.Abs(xm) <= tol1 || fb == 0) return b;
            if (Math.Abs(e) >= tol1 && Math.Abs(fa) > Math.Abs(fb))
            {
                double s = fb / fa, p, q;
                if (a == c)
                {
                    p = 2 * xm * s;       // secant
                    q = 1 - s;
                }
                else
                {
                    double qq = fa / fc, r = fb / fc;   // inverse quadratic interpolation
                    p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
                    q = (qq - 1) * (r - 1) * (s - 1);
                }
                if (p > 0) q = -q; else p = -p;
                if (2 * p < Math.Min(3 * xm * q - Math.Abs(tol1 * q), Math.Abs(e * q)))
                {
                    e = d; d = p / q;
                }
                else
                {
                    d = xm; e = d;
                }
            }
            else
            {
                d = xm; e = d;
            }
            a = b; fa = fb;
            b += Math.Abs(d) > tol1 ? d : (xm > 0 ? tol1 : -tol1);
            fb = f.Evaluate(b);
            if (double.IsNaN(fb)) return a;   // the function failed here; the previous point is the best we have
        }
        return b;
    }

    private static bool SameSign(double x, double y) => (x > 0 && y > 0) || (x < 0 && y < 0);
}
