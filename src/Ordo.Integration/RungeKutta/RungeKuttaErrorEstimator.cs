namespace Ordo.Integration;

/// <summary>How an explicit Runge–Kutta method estimates its local error: data, read by the generic stepper.</summary>
public abstract class RungeKuttaErrorEstimator
{
    private protected RungeKuttaErrorEstimator(int order) => Order = order;

    /// <summary>Order of the lower-order solution the estimate is built from.</summary>
    public int Order { get; }

    /// <summary>Returns a description of what is wrong for a tableau with <paramref name="stages"/> stages, or null.</summary>
    internal abstract string? Validate(int stages);

    private protected static string? CheckWeights(double[] w, int stages, string what, double expectedSum)
    {
        if (w.Length != stages) return $"{what} has {w.Length} entries but the tableau has {stages} stages";
        double sum = 0, magnitude = 0;
        foreach (double v in w)
        {
            if (!double.IsFinite(v)) return $"{what} contains a non-finite coefficient";
            sum += v;
            magnitude += Math.Abs(v);
        }
        return Math.Abs(sum - expectedSum) > 1e-13 * (1 + magnitude) ? $"{what} add up to {sum}, not {expectedSum}" : null;
    }
}

/// <summary>
/// An embedded pair: a second set of weights b̂ of lower order gives the error estimate
/// <c>e = h Σᵢ (bᵢ − b̂ᵢ) kᵢ</c>, measured with <see cref="Ordo.ErrorNorm.WeightedRms{T}(System.ReadOnlySpan{T}, System.ReadOnlySpan{T}, System.ReadOnlySpan{T}, System.ReadOnlySpan{double}, double)"/>
/// (HNW I, §II.4).
/// </summary>
public sealed class EmbeddedErrorEstimator : RungeKuttaErrorEstimator
{
    private readonly double[] _embeddedWeights;

    /// <summary>Creates the estimator from the embedded weights b̂ (which sum to 1).</summary>
    /// <param name="order">Order of the embedded solution.</param>
    /// <param name="embeddedWeights">b̂, one per stage.</param>
    public EmbeddedErrorEstimator(int order, double[] embeddedWeights) : base(order)
    {
        ArgumentNullException.ThrowIfNull(embeddedWeights);
        _embeddedWeights = (double[])embeddedWeights.Clone();
    }

    /// <summary>The embedded weights b̂.</summary>
    public ReadOnlySpan<double> EmbeddedWeights => _embeddedWeights;

    internal override string? Validate(int stages) => CheckWeights(_embeddedWeights, stages, "the embedded weights", 1.0);
}

/// <summary>
/// The error estimator of Hairer's DOP853 (HNW I, §II.10): two error vectors, <c>e₅ = h Σ E5ᵢ kᵢ</c> (difference to a
/// 5th-order solution) and <c>e₃ = h Σ (bᵢ − b̂ᵢ⁽³⁾) kᵢ</c> (difference to a 3rd-order solution), combined in the
/// weighted norm as <c>err = ‖e₅‖² / sqrt(‖e₅‖² + 0.01‖e₃‖²)</c>. The result behaves like an estimate of order 8
/// (it shrinks like h⁸), so the step-size controller uses the exponent 1/8.
/// </summary>
public sealed class Dop853ErrorEstimator : RungeKuttaErrorEstimator
{
    private readonly double[] _fifth;
    private readonly double[] _third;

    /// <summary>Creates the estimator.</summary>
    /// <param name="fifthOrderErrorWeights">E5: weights of e₅ (they sum to 0).</param>
    /// <param name="thirdOrderErrorWeights">b − b̂⁽³⁾: weights of e₃ (they sum to 0).</param>
    public Dop853ErrorEstimator(double[] fifthOrderErrorWeights, double[] thirdOrderErrorWeights) : base(5)
    {
        ArgumentNullException.ThrowIfNull(fifthOrderErrorWeights);
        ArgumentNullException.ThrowIfNull(thirdOrderErrorWeights);
        _fifth = (double[])fifthOrderErrorWeights.Clone();
        _third = (double[])thirdOrderErrorWeights.Clone();
    }

    /// <summary>Weights E5 of the 5th-order error vector.</summary>
    public ReadOnlySpan<double> FifthOrderErrorWeights => _fifth;

    /// <summary>Weights b − b̂⁽³⁾ of the 3rd-order error vector.</summary>
    public ReadOnlySpan<double> ThirdOrderErrorWeights => _third;

    internal override string? Validate(int stages) =>
        CheckWeights(_fifth, stages, "the 5th-order error weights", 0.0) ?? CheckWeights(_third, stages, "the 3rd-order error weights", 0.0);
}
