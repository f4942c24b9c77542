namespace Ordo.Integration;

/// <summary>
/// Everything a user tunes about one ODE solve, in one immutable object (use <c>with</c> for variants).
/// Tolerances are explained in <c>docs/conventions.md</c>: a step is accepted when the weighted RMS norm of its error
/// estimate, with scale <c>atolᵢ + rtol·max(|yᵢ|, |ŷᵢ|)</c>, is at most 1.
/// </summary>
public sealed record OdeOptions
{
    /// <summary>Relative tolerance rtol (default 1e-6, as the <c>ordo</c> command). Must be ≥ 10·ε ≈ 2.2e-15.</summary>
    public double RelativeTolerance { get; init; } = 1e-6;

    /// <summary>Absolute tolerance atol for every component (default 1e-9). Ignored when <see cref="AbsoluteTolerances"/> is set.</summary>
    public double AbsoluteTolerance { get; init; } = 1e-9;

    /// <summary>Per-component absolute tolerances (length = problem dimension), or null to use <see cref="AbsoluteTolerance"/>.</summary>
    public IReadOnlyList<double>? AbsoluteTolerances { get; init; }

    /// <summary>First step size (magnitude); null (default) chooses it with Hairer's algorithm (HNW I, §II.4).</summary>
    public double? InitialStep { get; init; }

    /// <summary>
    /// Take fixed steps of this size without error control (the last step is shortened to land on t1). Required for
    /// methods without an error estimate (euler, rk4); adaptive methods ignore their estimate.
    /// </summary>
    public double? FixedStep { get; init; }

    /// <summary>Largest step size allowed (magnitude); default unlimited.</summary>
    public double MaxStep { get; init; } = double.PositiveInfinity;

    /// <summary>Smallest step size allowed (magnitude) before the solve stops with <see cref="OdeStatus.StepSizeTooSmall"/>;
    /// default 0, meaning only the floating-point limit |h| ≤ 10·ε·|t| applies.</summary>
    public double MinStep { get; init; }

    /// <summary>Maximum number of attempted steps (accepted + rejected); default 100,000.</summary>
    public int MaxSteps { get; init; } = 100_000;

    /// <summary>What the solution keeps besides the final state (default: every accepted step).</summary>
    public SaveAt Save { get; init; } = SaveAt.EveryStep;

    /// <summary>Event functions located during the solve (see <see cref="OdeEvent"/>).</summary>
    public IReadOnlyList<OdeEvent> Events { get; init; } = [];

    /// <summary>Step-size controller; null (default) uses the method's recommended PI controller.</summary>
    public IStepSizeController? Controller { get; init; }

    /// <summary>Receives progress reports, at most every 100 ms; null for none.</summary>
    public IProgress<OdeProgress>? Progress { get; init; }

    /// <summary>Cancels the solve: checked once per step; throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The defaults.</summary>
    public static OdeOptions Default { get; } = new();

    /// <summary>Validates the options for a problem of dimension <paramref name="dimension"/> and direction
    /// <paramref name="t0"/> → <paramref name="t1"/>; throws an exception naming the bad option.</summary>
    internal void Validate(int dimension, double t0, double t1)
    {
        if (!double.IsFinite(RelativeTolerance) || RelativeTolerance <= 0)
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, $"RelativeTolerance must be a finite number > 0 but is {RelativeTolerance}.");
        if (RelativeTolerance < 10 * FloatingPoint.Epsilon)
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance,
                $"RelativeTolerance {RelativeTolerance:g3} is below 10·machine epsilon (2.2e-15) and cannot be met in double precision; use 1e-14 or more.");
        if (AbsoluteTolerances is null)
        {
            Guard.NonNegative(AbsoluteTolerance, nameof(AbsoluteTolerance));
        }
        else
        {
            Guard.Length(AbsoluteTolerances.Count, dimension, nameof(AbsoluteTolerances));
            for (int i = 0; i < dimension; i++)
            {
                double a = AbsoluteTolerances[i];
                if (!double.IsFinite(a) || a < 0)
                    throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerances), a, $"AbsoluteTolerances[{i}] must be a finite number >= 0 but is {a}.");
            }
        }
        if (InitialStep is double h0) Guard.Positive(h0, nameof(InitialStep));
        if (FixedStep is double hf) Guard.Positive(hf, nameof(FixedStep));
        if (double.IsNaN(MaxStep) || MaxStep <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxStep), MaxStep, $"MaxStep must be > 0 but is {MaxStep}.");
        Guard.NonNegative(MinStep, nameof(MinStep));
        if (MinStep > MaxStep)
            throw new ArgumentOutOfRangeException(nameof(MinStep), MinStep, $"MinStep ({MinStep}) is larger than MaxStep ({MaxStep}).");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSteps, nameof(MaxSteps));
        ArgumentNullException.ThrowIfNull(Save, nameof(Save));
        Save.Validate(t0, t1);
        ArgumentNullException.ThrowIfNull(Events, nameof(Events));
        for (int i = 0; i < Events.Count; i++)
        {
            if (Events[i] is null) throw new ArgumentNullException(nameof(Events), $"Events[{i}] is null.");
            Events[i].Validate(i);
        }
    }
}
