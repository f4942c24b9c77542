using System.Numerics;

namespace Ordo;

/// <summary>
/// The one error norm every adaptive method uses, so that "tolerance" means the same thing everywhere
/// (Hairer, Nørsett &amp; Wanner, <i>Solving ODEs I</i>, §II.4, eq. (4.11); the norm of scipy, SciML and diffrax).
/// </summary>
public static class ErrorNorm
{
    /// <summary>
    /// Weighted root-mean-square norm
    /// <c>sqrt( (1/n) Σᵢ ( eᵢ / scᵢ )² )</c> with <c>scᵢ = atolᵢ + rtol·max(|yᵢ|, |ŷᵢ|)</c>,
    /// where <c>y</c> is the state at the start of the step and <c>ŷ</c> the proposed state at its end.
    /// A value ≤ 1 means the local error is within tolerance.
    /// </summary>
    /// <param name="error">Local error estimate, length n.</param>
    /// <param name="y">State at the start of the step.</param>
    /// <param name="yNew">Proposed state at the end of the step.</param>
    /// <param name="absoluteTolerance">Per-component absolute tolerances (length n).</param>
    /// <param name="relativeTolerance">Relative tolerance.</param>
    /// <returns>The norm, computed in double precision; NaN if any input is NaN; +∞ where an error meets a zero scale.</returns>
    public static double WeightedRms<T>(ReadOnlySpan<T> error, ReadOnlySpan<T> y, ReadOnlySpan<T> yNew,
        ReadOnlySpan<double> absoluteTolerance, double relativeTolerance) where T : IFloatingPointIeee754<T>
        => Math.Sqrt(WeightedSumOfSquares(error, y, yNew, absoluteTolerance, relativeTolerance) / Math.Max(1, error.Length));

    /// <summary>
    /// <c>Σᵢ (eᵢ / scᵢ)²</c> with the scale of <see cref="WeightedRms{T}"/>; methods with their own combination of
    /// several error estimates (DOP853) build on it.
    /// </summary>
    public static double WeightedSumOfSquares<T>(ReadOnlySpan<T> error, ReadOnlySpan<T> y, ReadOnlySpan<T> yNew,
        ReadOnlySpan<double> absoluteTolerance, double relativeTolerance) where T : IFloatingPointIeee754<T>
    {
        int n = error.Length;
        if (y.Length != n || yNew.Length != n || absoluteTolerance.Length != n)
            Guard.Fail($"ErrorNorm: lengths differ (error {n}, y {y.Length}, yNew {yNew.Length}, atol {absoluteTolerance.Length}).", nameof(error));
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double scale = absoluteTolerance[i] + relativeTolerance * Math.Max(Math.Abs(double.CreateTruncating(y[i])), Math.Abs(double.CreateTruncating(yNew[i])));
            double e = double.CreateTruncating(error[i]);
            double r = e == 0 ? 0 : e / scale;
            sum += r * r;
        }
        return sum;
    }

    /// <summary>
    /// Weighted RMS norm of a vector <c>x</c> with scale <c>atolᵢ + rtol·|yᵢ|</c>; used by the initial step-size selection.
    /// </summary>
    public static double ScaledRms<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<double> absoluteTolerance,
        double relativeTolerance) where T : IFloatingPointIeee754<T>
        => WeightedRms(x, y, y, absoluteTolerance, relativeTolerance);
}
