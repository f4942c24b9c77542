namespace Ordo.Problems;

/// <summary>How far a computed final state is from a reference (the measures of the benchmark and the tests).</summary>
public static class ErrorMetrics
{
    /// <summary>
    /// The mixed error of the Bari test set, <c>maxᵢ |yᵢ − refᵢ| / (atol/rtol + |refᵢ|)</c>: relative where the reference
    /// is large, absolute (relative to the floor atol/rtol) where it is tiny. Its −log₁₀ is the "mixed significant
    /// correct digits" (mescd) that ../research/ode.md reports for scipy.
    /// </summary>
    /// <param name="y">Computed state.</param>
    /// <param name="reference">Reference state.</param>
    /// <param name="floor">atol/rtol (the problem's <see cref="OdeTestProblem.SuggestedAtolFactor"/>).</param>
    public static double Mixed(ReadOnlySpan<double> y, ReadOnlySpan<double> reference, double floor)
    {
        if (y.Length != reference.Length) throw new ArgumentException($"y has length {y.Length} but the reference has {reference.Length}.", nameof(y));
        double worst = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double e = Math.Abs(y[i] - reference[i]) / (floor + Math.Abs(reference[i]));
            if (double.IsNaN(e)) return double.NaN;
            worst = Math.Max(worst, e);
        }
        return worst;
    }

    /// <summary>Relative Euclidean error ‖y − ref‖₂ / ‖ref‖₂ (the <c>final_rel_l2</c> of the <c>ordo</c> JSON output;
    /// the absolute error when the reference is zero).</summary>
    public static double RelativeL2(ReadOnlySpan<double> y, ReadOnlySpan<double> reference)
    {
        if (y.Length != reference.Length) throw new ArgumentException($"y has length {y.Length} but the reference has {reference.Length}.", nameof(y));
        double num = 0, den = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double d = y[i] - reference[i];
            num += d * d;
            den += reference[i] * reference[i];
        }
        return den > 0 ? Math.Sqrt(num / den) : Math.Sqrt(num);
    }
}
