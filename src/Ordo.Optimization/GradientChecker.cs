namespace Ordo.Optimization;

/// <summary>The result of <see cref="GradientChecker.Check"/>.</summary>
/// <param name="MaxRelativeError">max over i of |gᵢ − dᵢ| / max(1, |gᵢ|, |dᵢ|), with g the supplied gradient and d the
/// central difference.</param>
/// <param name="WorstComponent">The index where that maximum occurs.</param>
/// <param name="Supplied">The supplied gradient.</param>
/// <param name="FiniteDifference">The central-difference gradient.</param>
/// <param name="Tolerance">The tolerance the check used.</param>
public sealed record GradientCheckResult(double MaxRelativeError, int WorstComponent, double[] Supplied,
    double[] FiniteDifference, double Tolerance)
{
    /// <summary>True when <see cref="MaxRelativeError"/> ≤ <see cref="Tolerance"/>.</summary>
    public bool Passed => MaxRelativeError <= Tolerance;

    /// <inheritdoc/>
    public override string ToString() => Passed
        ? $"gradient agrees with central differences (max relative error {MaxRelativeError:G3} at component {WorstComponent})"
        : $"gradient component {WorstComponent} is {Supplied[WorstComponent]:G6} but central differences give {FiniteDifference[WorstComponent]:G6} (relative error {MaxRelativeError:G3} > {Tolerance:G3})";
}

/// <summary>
/// Compares a supplied gradient with central differences, the first thing to run when a line search fails far from
/// a minimizer. Steps hᵢ = ε^{1/3}·max(1, |xᵢ|) (the step that balances truncation O(h²) against rounding O(ε/h)), so
/// agreement to about 1e-6 relative is expected for a correct gradient of a smooth function.
/// </summary>
/// <remarks>Source: Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., §8.1 (central differences and the
/// choice of step).</remarks>
public static class GradientChecker
{
    /// <summary>Checks ∇f at <paramref name="x"/>; costs 2n + 1 evaluations.</summary>
    /// <param name="objective">The objective whose gradient is checked.</param>
    /// <param name="x">The point (length n, finite).</param>
    /// <param name="tolerance">Relative tolerance; default 1e-5.</param>
    public static GradientCheckResult Check(IGradientObjective objective, ReadOnlySpan<double> x, double tolerance = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(objective);
        int n = objective.Dimension;
        Guard.Length(x.Length, n, nameof(x));
        Guard.AllFinite(x, nameof(x));
        Guard.Positive(tolerance, nameof(tolerance));
        var g = new double[n];
        objective.ValueAndGradient(x, g);
        var fd = new double[n];
        var xt = x.ToArray();
        double cbrtEps = Math.Cbrt(2.220446049250313e-16);
        double worst = 0;
        int worstIndex = 0;
        for (int i = 0; i < n; i++)
        {
            double h = cbrtEps * Math.Max(1, Math.Abs(x[i]));
            xt[i] = x[i] + h;
            double hPlus = xt[i] - x[i];
            double fp = objective.Value(xt);
            xt[i] = x[i] - h;
            double hMinus = x[i] - xt[i];
            double fm = objective.Value(xt);
            xt[i] = x[i];
            fd[i] = (fp - fm) / (hPlus + hMinus);
            double err = Math.Abs(g[i] - fd[i]) / Math.Max(1, Math.Max(Math.Abs(g[i]), Math.Abs(fd[i])));
            if (!(err <= worst)) { worst = err; worstIndex = i; }
        }
        return new GradientCheckResult(worst, worstIndex, g, fd, tolerance);
    }
}
