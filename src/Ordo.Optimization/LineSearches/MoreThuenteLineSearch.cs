namespace Ordo.Optimization;

/// <summary>
/// The Moré–Thuente line search: finds a step satisfying the strong Wolfe conditions
/// φ(α) ≤ φ(0) + c₁·α·φ'(0) and |φ'(α)| ≤ c₂·|φ'(0)| by keeping an interval of uncertainty and choosing trial
/// steps by safeguarded cubic and quadratic interpolation (the <c>dcsrch</c>/<c>dcstep</c> algorithm).
/// </summary>
/// <remarks>
/// <para>Source: J. J. Moré and D. J. Thuente, "Line search algorithms with guaranteed sufficient decrease",
/// ACM Transactions on Mathematical Software 20(3):286–307, 1994 (the search algorithm of §2–§3 and the trial-step
/// rules of §4). Implemented from the paper.</para>
/// <para>Stage 1 works on the modified function ψ(α) = φ(α) − φ(0) − c₁·α·φ'(0) until a step with ψ(α) ≤ 0 and
/// φ'(α) ≥ 0 is seen; afterwards on φ itself. Before a bracket is found, trial steps are extrapolated into
/// [α + 1.1(α − αₗ), α + 4(α − αₗ)]; once bracketed, a step that does not shrink the interval by 1/3 (ratio 0.66) in two
/// trials is replaced by bisection.</para>
/// <para>Departures for robustness: a non-finite φ(α) or φ'(α) is "too long": the next trial bisects back towards the
/// best finite step and the search never again tries beyond that point (never asserts). At the upper limit
/// (<c>maxStep</c>, or the point below a non-finite region) a step with sufficient decrease and φ'(α) &lt; 0 is
/// accepted as the paper's "α = α_max" exit (L-BFGS-B relies on this when the step reaches the box boundary).
/// Failure statuses: <see cref="LineSearchStatus.StepBelowRounding"/> when the interval of uncertainty fell below
/// <see cref="IntervalTolerance"/> relative width, when rounding errors put the trial step outside the interval, or at
/// α = 0; <see cref="LineSearchStatus.MaxEvaluations"/> after <see cref="MaxEvaluations"/> trials. On failure the
/// result holds the best step seen (α = 0 when none decreased φ).</para>
/// </remarks>
public sealed class MoreThuenteLineSearch : ILineSearch
{
    private const double ExtrapolateLower = 1.1;
    private const double ExtrapolateUpper = 4.0;
    private const double BisectionTrigger = 0.66;

    /// <summary>Sufficient-decrease constant c₁ (the paper's μ, <c>ftol</c>). Default 1e-4.</summary>
    public double SufficientDecrease { get; init; } = 1e-4;

    /// <summary>Curvature constant c₂ (the paper's η, <c>gtol</c>). Default 0.9 (quasi-Newton); use 0.1 for nonlinear CG.</summary>
    public double CurvatureCondition { get; init; } = 0.9;

    /// <summary>Relative width of the interval of uncertainty below which the search stops (<c>xtol</c>). Default 1e-10.</summary>
    public double IntervalTolerance { get; init; } = 1e-10;

    /// <summary>Evaluation limit per search. Default 40.</summary>
    public int MaxEvaluations { get; init; } = 40;

    /// <inheritdoc/>
    public string Name => "Moré–Thuente";

    /// <summary>Returns this object: the search keeps no state between searches.</summary>
    public ILineSearch Clone() => this;

    /// <inheritdoc/>
    public LineSearchResult Search(LineFunction phi, double initialStep, double maxStep = double.PositiveInfinity)
    {
        double finit = phi.Value0, ginit = phi.Slope0;
        if (!(ginit < 0) || !double.IsFinite(ginit) || !double.IsFinite(finit))
            return new LineSearchResult(0, finit, LineSearchStatus.NotDescent);
        if (!(maxStep > 0)) return new LineSearchResult(0, finit, LineSearchStatus.StepBelowRounding);
        double c1 = SufficientDecrease, c2 = CurvatureCondition;
        double stpmax = maxStep;
        double stp = initialStep > 0 && double.IsFinite(initialStep) ? initialStep : 1;
        stp = Math.Min(stp, stpmax);

        bool brackt = false;
        bool stage1 = true;
        double gtest = c1 * ginit;
        double width = stpmax - 0, width1 = 2 * width;
        // stx: best step so far (lowest ψ/φ); sty: the other end of the interval.
        double stx = 0, fx = finit, gx = ginit;
        double sty = 0, fy = finit, gy = ginit;
        double stmin = 0, stmax = stp + ExtrapolateUpper * stp;
        double best = 0, bestF = finit; // the lowest φ seen (what a failed search reports)

        for (int evaluation = 1; ; evaluation++)
        {
            double f = phi.ValueAndSlope(stp, out double g);
            if (!double.IsFinite(f) || !double.IsFinite(g))
            {
                // Too long: bisect back towards the best finite step and never go beyond this point again.
                if (evaluation >= MaxEvaluations) return new LineSearchResult(best, bestF, LineSearchStatus.MaxEvaluations);
                double back = stx + 0.5 * (stp - stx);
                if (!brackt || stp > Math.Max(stx, sty))
                {
                    stpmax = Math.Min(stpmax, back);
                    if (brackt) { stmax = Math.Min(stmax, back); }
                }
                if (phi.StepBelowRounding(Math.Abs(back - stx)) || back <= 0)
                    return new LineSearchResult(best, bestF, LineSearchStatus.StepBelowRounding);
                stp = back;
                continue;
            }

            if (f < bestF) { best = stp; bestF = f; }
            double ftest = finit + stp * gtest;
            if (stage1 && f <= ftest && g >= 0) stage1 = false;

            // Convergence: the strong Wolfe conditions.
            if (f <= ftest && Math.Abs(g) <= c2 * -ginit)
                return new LineSearchResult(stp, f, LineSearchStatus.Success);
            // At the upper limit with sufficient decrease and φ still decreasing: nothing better is allowed.
            if (stp >= stpmax && f <= ftest && g <= gtest)
                return new LineSearchResult(stp, f, LineSearchStatus.Success);
            if (brackt && (stp <= stmin || stp >= stmax))
                return new LineSearchResult(best, bestF, LineSearchStatus.StepBelowRounding);
            if (brackt && stmax - stmin <= IntervalTolerance * stmax)
                return new LineSearchResult(best, bestF, LineSearchStatus.StepBelowRounding);
            if (evaluation >= MaxEvaluations)
                return new LineSearchResult(best, bestF, LineSearchStatus.MaxEvaluations);

            if (stage1 && f <= fx && f > ftest)
            {
                // The modified function ψ(α) = φ(α) − φ(0) − c₁αφ'(0), so that the interval update uses ψ.
                double fm = f - stp * gtest, fxm = fx - stx * gtest, fym = fy - sty * gtest;
                double gm = g - gtest, gxm = gx - gtest, gym = gy - gtest;
                Step(ref stx, ref fxm, ref gxm, ref sty, ref fym, ref gym, ref stp, fm, gm, ref brackt, stmin, stmax);
                fx = fxm + stx * gtest; fy = fym + sty * gtest;
                gx = gxm + gtest; gy = gym + gtest;
            }
            else
            {
                Step(ref stx, ref fx, ref gx, ref sty, ref fy, ref gy, ref stp, f, g, ref brackt, stmin, stmax);
            }

            if (brackt)
            {
                // Force a sufficient shrink of the interval: bisect when two trials shrank it by less than 1/3.
                if (Math.Abs(sty - stx) >= BisectionTrigger * width1) stp = stx + 0.5 * (sty - stx);
                width1 = width;
                width = Math.Abs(sty - stx);
                stmin = Math.Min(stx, sty);
                stmax = Math.Max(stx, sty);
            }
            else
            {
                stmin = stp + ExtrapolateLower * (stp - stx);
                stmax = stp + ExtrapolateUpper * (stp - stx);
            }
            stp = Math.Clamp(stp, 0, stpmax);
            // Rounding errors prevent progress: the trial is outside the interval, or the interval is below xtol
            // (the paper evaluates once more at stx here; that point is known already).
            if (brackt && (stp <= stmin || stp >= stmax || stmax - stmin <= IntervalTolerance * stmax))
                return new LineSearchResult(best, bestF, LineSearchStatus.StepBelowRounding);
            if (stp <= 0 || phi.StepBelowRounding(stp))
                return new LineSearchResult(best, bestF, LineSearchStatus.StepBelowRounding);
        }
    }

    /// <summary>
    /// One trial-step choice and interval update (the paper's §4; <c>dcstep</c>). (stx, fx, dx) is the end with the
    /// lowest value, (sty, fy, dy) the other end, (stp, fp, dp) the new trial. Updates the interval and writes the next
    /// trial step into <paramref name="stp"/>, safeguarded to [<paramref name="stpmin"/>, <paramref name="stpmax"/>].
    /// </summary>
    internal static void Step(ref double stx, ref double fx, ref double dx, ref double sty, ref double fy, ref double dy,
        ref double stp, double fp, double dp, ref bool brackt, double stpmin, double stpmax)
    {
        double sgnd = dp * Math.Sign(dx);
        double stpf;
        if (fp > fx)
        {
            // Case 1: higher value. The minimizer is bracketed; take the cubic step if it is closer to stx than the
            // quadratic step, else the average of the two.
            var (theta, gamma) = Cubic(stx, fx, dx, stp, fp, dp);
            if (stp < stx) gamma = -gamma;
            double p = (gamma - dx) + theta;
            double q = ((gamma - dx) + gamma) + dp;
            double stpc = stx + p / q * (stp - stx);
            double stpq = stx + dx / ((fx - fp) / (stp - stx) + dx) / 2 * (stp - stx);
            stpf = Math.Abs(stpc - stx) < Math.Abs(stpq - stx) ? stpc : stpc + (stpq - stpc) / 2;
            brackt = true;
        }
        else if (sgnd < 0)
        {
            // Case 2: lower value, derivatives of opposite sign. Bracketed; take the step (cubic or secant) farther
            // from stp.
            var (theta, gamma) = Cubic(stx, fx, dx, stp, fp, dp);
            if (stp > stx) gamma = -gamma;
            double p = (gamma - dp) + theta;
            double q = ((gamma - dp) + gamma) + dx;
            double stpc = stp + p / q * (stx - stp);
            double stpq = stp + dp / (dp - dx) * (stx - stp);
            stpf = Math.Abs(stpc - stp) > Math.Abs(stpq - stp) ? stpc : stpq;
            brackt = true;
        }
        else if (Math.Abs(dp) < Math.Abs(dx))
        {
            // Case 3: lower value, same-sign derivative decreasing in magnitude. Use the cubic step only if it goes
            // in the right direction (the cubic tends to infinity that way), else the limit.
            var (theta, gamma) = Cubic(stx, fx, dx, stp, fp, dp);
            if (stp > stx) gamma = -gamma;
            double p = (gamma - dp) + theta;
            double q = (gamma + (dx - dp)) + gamma;
            double r = p / q;
            double stpc = r < 0 && gamma != 0 ? stp + r * (stx - stp) : stp > stx ? stpmax : stpmin;
            double stpq = stp + dp / (dp - dx) * (stx - stp);
            if (brackt)
            {
                stpf = Math.Abs(stpc - stp) < Math.Abs(stpq - stp) ? stpc : stpq;
                stpf = stp > stx ? Math.Min(stp + 0.66 * (sty - stp), stpf) : Math.Max(stp + 0.66 * (sty - stp), stpf);
            }
            else
            {
                stpf = Math.Abs(stpc - stp) > Math.Abs(stpq - stp) ? stpc : stpq;
                stpf = Math.Clamp(stpf, stpmin, stpmax);
            }
        }
        else
        {
            // Case 4: lower value, same-sign derivative not decreasing in magnitude. Cubic step from the other end
            // when bracketed, else the limit.
            if (brackt)
            {
                var (theta, gamma) = Cubic(sty, fy, dy, stp, fp, dp);
                if (stp > sty) gamma = -gamma;
                double p = (gamma - dp) + theta;
                double q = ((gamma - dp) + gamma) + dy;
                stpf = stp + p / q * (sty - stp);
            }
            else
            {
                stpf = stp > stx ? stpmax : stpmin;
            }
        }

        // Update the interval of uncertainty.
        if (fp > fx)
        {
            sty = stp; fy = fp; dy = dp;
        }
        else
        {
            if (sgnd < 0) { sty = stx; fy = fx; dy = dx; }
            stx = stp; fx = fp; dx = dp;
        }
        stp = double.IsFinite(stpf) ? stpf : brackt ? stx + 0.5 * (sty - stx) : stpmax;
    }

    /// <summary>θ and |γ| of the cubic interpolating (a, fa, da) and (b, fb, db): θ = 3(fa − fb)/(b − a) + da + db,
    /// γ = √(θ² − da·db), computed scaled by max(|θ|, |da|, |db|) against overflow (negative radicands, from rounding,
    /// give 0).</summary>
    private static (double Theta, double Gamma) Cubic(double a, double fa, double da, double b, double fb, double db)
    {
        double theta = 3 * (fa - fb) / (b - a) + da + db;
        double s = Math.Max(Math.Abs(theta), Math.Max(Math.Abs(da), Math.Abs(db)));
        double gamma = s * Math.Sqrt(Math.Max(0, (theta / s) * (theta / s) - (da / s) * (db / s)));
        return (theta, gamma);
    }
}
