namespace Ordo.Problems.Flows;

/// <summary>
/// How far the points a sampler produced are from the exact ones: the Euclidean norm per point, and its maximum over a
/// batch (the measure of flows.md §9 and §10, used by the <c>ordo flow</c> commands and the flow benchmark).
/// </summary>
public static class FlowErrors
{
    /// <summary>‖a_i − b_i‖₂ for every point i of two row-major batches of points of length <paramref name="dimension"/>.</summary>
    public static double[] PointDistances(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (a.Length != b.Length) throw new ArgumentException($"The batches have {a.Length} and {b.Length} values.", nameof(b));
        if (a.Length % dimension != 0) throw new ArgumentException($"{a.Length} values are not a whole number of points of dimension {dimension}.", nameof(a));
        var distances = new double[a.Length / dimension];
        for (int i = 0; i < distances.Length; i++)
        {
            double sum = 0;
            for (int j = i * dimension; j < (i + 1) * dimension; j++)
            {
                double d = a[j] - b[j];
                sum += d * d;
            }
            distances[i] = Math.Sqrt(sum);
        }
        return distances;
    }

    /// <summary>The largest of <see cref="PointDistances"/>; NaN when any distance is NaN.</summary>
    public static double MaxPointDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int dimension) =>
        Max(PointDistances(a, b, dimension));

    /// <summary>The largest value; NaN when any value is NaN (an empty list gives 0).</summary>
    public static double Max(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double worst = 0;
        foreach (double v in values)
        {
            if (double.IsNaN(v)) return double.NaN;
            worst = Math.Max(worst, v);
        }
        return worst;
    }
}
