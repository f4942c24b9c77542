namespace Ordo.Optimization;

/// <summary>
/// Backtracking to the Armijo (sufficient decrease) condition φ(α) ≤ φ(0) + c₁·α·φ'(0), shrinking by safeguarded
/// quadratic (first) and cubic (later) interpolation. Needs only values at trial points.
/// </summary>
/// <remarks>
/// Source: J. E. Dennis and R. B. Schnabel, <i>Numerical Methods for Unconstrained Optimization and Nonlinear
/// Equations</i>, SIAM 1996, Algorithm A6.3.1; J. Nocedal and S. J. Wright, <i>Numerical Optimization</i>, 2nd ed.,
/// §3.5. A non-finite φ(α) counts as "too long": the step is cut by <see cref="NonFiniteShrink"/>.
/// </remarks>
public sealed class BacktrackingLineSearch : ILineSearch
{
    /// <summary>Sufficient-decrease constant c₁ ∈ (0, 1). Default 1e-4.</summary>
    public double SufficientDecrease { get; init; } = 1e-4;

    /// <summary>Smallest allowed ratio α_new/α per backtrack. Default 0.1.</summary>
    public double MinShrink { get; init; } = 0.1;

    /// <summary>Largest allowed ratio α_new/α per backtrack. Default 0.5.</summary>
    public double MaxShrink { get; init; } = 0.5;

    /// <summary>Factor applied when φ(α) is not finite. Default 0.1.</summary>
    public double NonFiniteShrink { get; init; } = 0.1;

    /// <summary>Evaluation limit per search. Default 60.</summary>
    public int MaxEvaluations { get; init; } = 60;

    /// <inheritdoc/>
    public string Name => "backtracking";

    /// <inheritdoc/>
    public ILineSearch Clone() => this;

    /// <inheritdoc/>
    public LineSearchResult Search(LineFunction phi, double initialStep, double maxStep = double.PositiveInfinity)
    {
        double f0 = phi.Value0, s0 = phi.Slope0;
        if (!(s0 < 0) || !double.IsFinite(s0)) return new LineSearchResult(0, f0, LineSearchStatus.NotDescent);
        double alpha = Math.Min(initialStep, maxStep);
        if (!(alpha > 0)) alpha = Math.Min(1, maxStep);
        double alphaPrev = 0, fPrev = double.NaN;
        double bestAlpha = 0, bestF = f0;
        for (int k = 0; k < MaxEvaluations; k++)
        {
            double f = phi.Value(alpha);
            // Once c₁·α·φ'(0) is below the rounding of f0 this accepts a step that leaves f unchanged. That is deliberate:
            // near a minimizer with f* ≠ 0 the value cannot resolve the decrease any more while the gradient still can
            // (the approximate-Wolfe argument of Hager and Zhang), and the driver's stall test ends a run that stops
            // improving.
            if (double.IsFinite(f) && f <= f0 + SufficientDecrease * alpha * s0)
                return new LineSearchResult(alpha, f, LineSearchStatus.Success);
            if (double.IsFinite(f) && f < bestF) { bestF = f; bestAlpha = alpha; }

            double next;
            if (!double.IsFinite(f))
            {
                next = NonFiniteShrink * alpha;
            }
            else if (!double.IsFinite(fPrev))
            {
                // Minimizer of the quadratic through φ(0), φ'(0), φ(α).
                next = -s0 * alpha * alpha / (2 * (f - f0 - s0 * alpha));
            }
            else
            {
                // Minimizer of the cubic through φ(0), φ'(0), φ(α), φ(α_prev) (Dennis–Schnabel A6.3.1).
                double r1 = f - f0 - s0 * alpha, r2 = fPrev - f0 - s0 * alphaPrev;
                double denom = alpha - alphaPrev;
                double a = (r1 / (alpha * alpha) - r2 / (alphaPrev * alphaPrev)) / denom;
                double b = (-alphaPrev * r1 / (alpha * alpha) + alpha * r2 / (alphaPrev * alphaPrev)) / denom;
                if (a == 0) next = -s0 / (2 * b);
                else
                {
                    double disc = b * b - 3 * a * s0;
                    next = disc < 0 ? MaxShrink * alpha : (-b + Math.Sqrt(disc)) / (3 * a);
                }
            }
            if (double.IsFinite(f))
            {
                if (!double.IsFinite(next) || next > MaxShrink * alpha) next = MaxShrink * alpha;
                if (next < MinShrink * alpha) next = MinShrink * alpha;
                alphaPrev = alpha;
                fPrev = f;
            }
            alpha = next;
            if (phi.StepBelowRounding(alpha))
                return Failed(phi, bestAlpha, bestF, LineSearchStatus.StepBelowRounding);
        }
        return Failed(phi, bestAlpha, bestF, LineSearchStatus.MaxEvaluations);
    }

    private static LineSearchResult Failed(LineFunction phi, double bestAlpha, double bestF, LineSearchStatus status)
        => new(bestAlpha, bestF, status);
}
