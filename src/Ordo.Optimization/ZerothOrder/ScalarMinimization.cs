using System.Globalization;

namespace Ordo.Optimization;

/// <summary>The outcome of a one-dimensional minimization.</summary>
/// <param name="X">The best point evaluated.</param>
/// <param name="F">f(X).</param>
/// <param name="Evaluations">Function evaluations used.</param>
/// <param name="Converged">True when the interval test held: max(X − A, B − X) ≤ 2·(√ε·|X| + tolerance/3).</param>
/// <param name="A">Left end of the final interval.</param>
/// <param name="B">Right end of the final interval.</param>
/// <param name="Message">Why it stopped, with the values.</param>
public sealed record ScalarMinimizationResult(double X, double F, int Evaluations, bool Converged, double A, double B, string Message);

/// <summary>A bracket a &lt; b &lt; c with f(b) ≤ f(a) and f(b) ≤ f(c) (when <paramref name="Found"/>).</summary>
/// <param name="A">Left point.</param>
/// <param name="B">Middle point.</param>
/// <param name="C">Right point.</param>
/// <param name="FA">f(A).</param>
/// <param name="FB">f(B).</param>
/// <param name="FC">f(C).</param>
/// <param name="Evaluations">Function evaluations used.</param>
/// <param name="Found">False when the evaluation limit was reached while f kept decreasing (or was not finite).</param>
public readonly record struct ScalarBracket(double A, double B, double C, double FA, double FB, double FC, int Evaluations, bool Found);

/// <summary>
/// One-dimensional minimization without derivatives: Brent's method (golden section with parabolic interpolation),
/// golden-section search, and a downhill bracketing helper. NaN values are treated as +∞.
/// </summary>
/// <remarks>
/// <para>Sources: R. P. Brent, <i>Algorithms for Minimization without Derivatives</i>, Prentice–Hall 1973, ch. 5
/// (the procedure <c>localmin</c> and its stopping rule); J. Kiefer, "Sequential minimax search for a maximum",
/// Proc. AMS 4 (1953) 502–506 (golden section). The bracketing helper expands downhill by the golden ratio, the idea of
/// Press et al., <i>Numerical Recipes</i>, §10.1, written from the description.</para>
/// <para>Both searches stop when the final interval [A, B] around X satisfies max(X − A, B − X) ≤ 2·tol with
/// tol = √ε·|X| + <c>tolerance</c>/3 (√ε ≈ 1.49e-8; Brent's rule): the minimizer is then located to about tol, which is all a
/// value-only method can promise (f is flat to rounding within √ε of a minimum).</para>
/// </remarks>
public static class ScalarMinimization
{
    private const double GoldenFraction = 0.3819660112501051; // (3 − √5)/2
    private const double GoldenRatio = 1.618033988749895;
    private static readonly double s_sqrtEps = Math.Sqrt(2.220446049250313e-16);

    private static double Eval(Func<double, double> f, double x)
    {
        double v = f(x);
        return double.IsNaN(v) ? double.PositiveInfinity : v;
    }

    private static void CheckInterval(double a, double b, double tolerance, int maxEvaluations)
    {
        Guard.Finite(a, nameof(a));
        Guard.Finite(b, nameof(b));
        if (!(a < b)) throw new ArgumentException($"The interval [{a}, {b}] is empty or inverted; a must be < b.", nameof(a));
        Guard.NonNegative(tolerance, nameof(tolerance));
        if (maxEvaluations < 1) throw new ArgumentOutOfRangeException(nameof(maxEvaluations), maxEvaluations, "maxEvaluations must be ≥ 1.");
    }

    /// <summary>Brent's method on [a, b]: finds a local minimizer of f (the global one if f is unimodal there).</summary>
    /// <param name="f">The function.</param>
    /// <param name="a">Left end.</param>
    /// <param name="b">Right end (&gt; a).</param>
    /// <param name="tolerance">Absolute tolerance t added to √ε·|x|.</param>
    /// <param name="maxEvaluations">Evaluation limit.</param>
    public static ScalarMinimizationResult Brent(Func<double, double> f, double a, double b, double tolerance = 1e-10, int maxEvaluations = 500)
    {
        ArgumentNullException.ThrowIfNull(f);
        CheckInterval(a, b, tolerance, maxEvaluations);
        double x = a + GoldenFraction * (b - a), w = x, v = x;
        double fx = Eval(f, x), fw = fx, fv = fx;
        int evaluations = 1;
        double d = 0, e = 0;
        while (true)
        {
            double m = 0.5 * (a + b);
            double tol = s_sqrtEps * Math.Abs(x) + tolerance / 3;
            double t2 = 2 * tol;
            if (Math.Abs(x - m) <= t2 - 0.5 * (b - a))
                return Done(x, fx, evaluations, true, a, b, "Brent", tolerance);
            if (evaluations >= maxEvaluations)
                return Done(x, fx, evaluations, false, a, b, "Brent", tolerance);
            bool golden = true;
            if (Math.Abs(e) > tol)
            {
                // Parabola through (v, fv), (w, fw), (x, fx).
                double r = (x - w) * (fx - fv);
                double q = (x - v) * (fx - fw);
                double p = (x - v) * q - (x - w) * r;
                q = 2 * (q - r);
                if (q > 0) p = -p; else q = -q;
                double eOld = e;
                e = d;
                if (Math.Abs(p) < Math.Abs(0.5 * q * eOld) && p > q * (a - x) && p < q * (b - x))
                {
                    d = p / q;
                    double u0 = x + d;
                    if (u0 - a < t2 || b - u0 < t2) d = x < m ? tol : -tol;
                    golden = false;
                }
            }
            if (golden)
            {
                e = (x < m ? b : a) - x;
                d = GoldenFraction * e;
            }
            double u = x + (Math.Abs(d) >= tol ? d : (d > 0 ? tol : -tol));
            double fu = Eval(f, u);
            evaluations++;
            if (fu <= fx)
            {
                if (u < x) b = x; else a = x;
                v = w; fv = fw;
                w = x; fw = fx;
                x = u; fx = fu;
            }
            else
            {
                if (u < x) a = u; else b = u;
                if (fu <= fw || w == x) { v = w; fv = fw; w = u; fw = fu; }
                else if (fu <= fv || v == x || v == w) { v = u; fv = fu; }
            }
        }
    }

    /// <summary>Golden-section search on [a, b], with the same stopping rule as <see cref="Brent"/>.</summary>
    /// <param name="f">The function.</param>
    /// <param name="a">Left end.</param>
    /// <param name="b">Right end (&gt; a).</param>
    /// <param name="tolerance">Absolute tolerance t added to √ε·|x|.</param>
    /// <param name="maxEvaluations">Evaluation limit.</param>
    public static ScalarMinimizationResult GoldenSection(Func<double, double> f, double a, double b, double tolerance = 1e-10, int maxEvaluations = 500)
    {
        ArgumentNullException.ThrowIfNull(f);
        CheckInterval(a, b, tolerance, maxEvaluations);
        double x1 = b - (1 - GoldenFraction) * (b - a), x2 = a + (1 - GoldenFraction) * (b - a);
        double f1 = Eval(f, x1), f2 = Eval(f, x2);
        int evaluations = 2;
        while (true)
        {
            double x = f1 <= f2 ? x1 : x2, fx = Math.Min(f1, f2);
            double tol = s_sqrtEps * Math.Abs(x) + tolerance / 3;
            if (Math.Max(x - a, b - x) <= 2 * tol)
                return Done(x, fx, evaluations, true, a, b, "Golden section", tolerance);
            if (evaluations >= maxEvaluations)
                return Done(x, fx, evaluations, false, a, b, "Golden section", tolerance);
            if (f1 <= f2)
            {
                b = x2; x2 = x1; f2 = f1;
                x1 = b - (1 - GoldenFraction) * (b - a);
                f1 = Eval(f, x1);
            }
            else
            {
                a = x1; x1 = x2; f1 = f2;
                x2 = a + (1 - GoldenFraction) * (b - a);
                f2 = Eval(f, x2);
            }
            evaluations++;
        }
    }

    /// <summary>Brackets a minimum by walking downhill from <paramref name="x0"/>: tries x0 + step (reversing if that is
    /// uphill), then grows the step by the golden ratio until f rises.</summary>
    /// <param name="f">The function.</param>
    /// <param name="x0">Start point.</param>
    /// <param name="step">First step (nonzero).</param>
    /// <param name="maxEvaluations">Evaluation limit (at least 3).</param>
    public static ScalarBracket Bracket(Func<double, double> f, double x0, double step = 1, int maxEvaluations = 100)
    {
        ArgumentNullException.ThrowIfNull(f);
        Guard.Finite(x0, nameof(x0));
        Guard.Finite(step, nameof(step));
        if (step == 0) throw new ArgumentException("The bracketing step must be nonzero.", nameof(step));
        if (maxEvaluations < 3) throw new ArgumentOutOfRangeException(nameof(maxEvaluations), maxEvaluations, "maxEvaluations must be ≥ 3.");
        double a = x0, b = x0 + step;
        double fa = Eval(f, a), fb = Eval(f, b);
        int evaluations = 2;
        if (fb > fa) { (a, b) = (b, a); (fa, fb) = (fb, fa); }
        double c = b + GoldenRatio * (b - a);
        double fc = Eval(f, c);
        evaluations++;
        while (!(fc > fb) && evaluations < maxEvaluations && double.IsFinite(c))
        {
            if (fc == fb && fb == fa) break; // flat: any point is a minimizer of what we have seen
            a = b; fa = fb;
            b = c; fb = fc;
            c = b + GoldenRatio * (b - a);
            fc = Eval(f, c);
            evaluations++;
        }
        bool found = fc >= fb && fa >= fb && double.IsFinite(fb);
        return a < c
            ? new ScalarBracket(a, b, c, fa, fb, fc, evaluations, found)
            : new ScalarBracket(c, b, a, fc, fb, fa, evaluations, found);
    }

    private static ScalarMinimizationResult Done(double x, double fx, int evaluations, bool converged, double a, double b, string method, double tolerance)
    {
        double tol = s_sqrtEps * Math.Abs(x) + tolerance / 3;
        string message = converged
            ? string.Create(CultureInfo.InvariantCulture, $"{method}: the interval [{a:G10}, {b:G10}] around x = {x:G10} is within 2·tol = {2 * tol:G4} (tol = √ε·|x| + tolerance/3).")
            : string.Create(CultureInfo.InvariantCulture, $"{method}: reached {evaluations} evaluations with the interval [{a:G10}, {b:G10}] (width {b - a:G4}) not yet within 2·tol = {2 * tol:G4}.");
        return new ScalarMinimizationResult(x, fx, evaluations, converged, a, b, message);
    }
}
