namespace Ordo.Integration;

/// <summary>
/// Proportional–integral step-size controller (Gustafsson 1991; Hairer &amp; Wanner, <i>Solving ODEs II</i>, §IV.2,
/// and the form used in Hairer's DOPRI5/DOP853 codes):
/// <code>
/// accepted (err ≤ 1):  h_new = h · clamp(Safety · err^(−β₁) · err_prev^(β₂), MinFactor, MaxFactor)
/// rejected (err &gt; 1):  h_new = h · max(MinFactor, Safety · err^(−β₁))
/// </code>
/// where err_prev is the error norm of the last accepted step (bounded below by 1e-4). After a rejection the next
/// accepted step may not grow. With β₂ = 0 this is the classical integral (I) controller of scipy and torchdiffeq.
/// </summary>
/// <param name="IntegralExponent">β₁, typically about 0.7/p for a method of order p.</param>
/// <param name="ProportionalExponent">β₂, typically about 0.4/p (0 gives the I controller).</param>
public sealed record PIController(double IntegralExponent, double ProportionalExponent) : IStepSizeController
{
    /// <summary>β₁: exponent of the current error norm.</summary>
    public double IntegralExponent { get; init; } = IntegralExponent > 0 && double.IsFinite(IntegralExponent)
        ? IntegralExponent : throw new ArgumentOutOfRangeException(nameof(IntegralExponent), IntegralExponent, "IntegralExponent must be a finite number > 0.");

    /// <summary>β₂: exponent of the previous error norm.</summary>
    public double ProportionalExponent { get; init; } = ProportionalExponent >= 0 && double.IsFinite(ProportionalExponent)
        ? ProportionalExponent : throw new ArgumentOutOfRangeException(nameof(ProportionalExponent), ProportionalExponent, "ProportionalExponent must be a finite number >= 0.");

    /// <summary>Safety factor applied to every proposal (default 0.9).</summary>
    public double Safety
    {
        get;
        init => field = value > 0 && value <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Safety), value, "Safety must be in (0, 1].");
    } = 0.9;

    /// <summary>Smallest factor by which h may shrink in one decision (default 0.2).</summary>
    public double MinFactor
    {
        get;
        init => field = value > 0 && value <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MinFactor), value, "MinFactor must be in (0, 1].");
    } = 0.2;

    /// <summary>Largest factor by which h may grow in one decision (default 10).</summary>
    public double MaxFactor
    {
        get;
        init => field = value >= 1 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(MaxFactor), value, "MaxFactor must be a finite number >= 1.");
    } = 10.0;

    /// <summary>SciML's default PI coefficients for a method of order p: β₁ = 0.7/p, β₂ = 0.4/p.</summary>
    public static PIController ForOrder(int order) => new(0.7 / order, 0.4 / order);

    /// <summary>The integral (I) controller for an error estimate that behaves like h^(q+1): β₁ = 1/(q+1), β₂ = 0.</summary>
    public static PIController Integral(int errorOrder) => new(1.0 / (errorOrder + 1), 0.0);

    /// <inheritdoc/>
    public StepSizeDecision Decide(double stepSize, double errorNorm, ref ControllerMemory memory)
    {
        if (errorNorm <= 1.0)
        {
            double factor = errorNorm == 0
                ? MaxFactor
                : Safety * Math.Pow(errorNorm, -IntegralExponent) * Math.Pow(memory.PreviousErrorNorm, ProportionalExponent);
            factor = Math.Clamp(factor, MinFactor, MaxFactor);
            if (memory.LastRejected) factor = Math.Min(factor, 1.0);
            memory.PreviousErrorNorm = Math.Max(errorNorm, 1e-4);
            memory.LastRejected = false;
            return new StepSizeDecision(true, stepSize * factor);
        }
        double shrink = double.IsPositiveInfinity(errorNorm) ? MinFactor : Math.Max(MinFactor, Safety * Math.Pow(errorNorm, -IntegralExponent));
        memory.LastRejected = true;
        return new StepSizeDecision(false, stepSize * Math.Min(shrink, 1.0));
    }
}
