namespace Ordo.Integration;

/// <summary>
/// Everything a user tunes about an SDE solve, in one immutable object (use <c>with</c> for variants). A step is
/// accepted when the weighted RMS norm of its error estimate, with scale <c>atol + rtol·max(|yᵢ|, |ŷᵢ|)</c>, is at most 1
/// (the ODE norm, <see cref="Ordo.ErrorNorm"/>).
/// </summary>
public sealed record SdeOptions
{
    /// <summary>Relative tolerance of adaptive stepping (default 1e-2, SciML's SDE default: the strong error of a path
    /// rarely needs more than a few digits when the statistics carry a Monte Carlo error).</summary>
    public double RelativeTolerance { get; init; } = 1e-2;

    /// <summary>Absolute tolerance of adaptive stepping (default 1e-2, SciML's SDE default).</summary>
    public double AbsoluteTolerance { get; init; } = 1e-2;

    /// <summary>
    /// Fixed steps: the interval is cut into <c>N = ⌈(t1 − t0)/FixedStep⌉</c> equal steps (so the step used is at most
    /// this value and the grid lands on t1) and the noise comes from the fixed-grid generator (one Philox block per lane
    /// per step, sde.md §1.2). Required for methods without an error estimate (euler-maruyama, milstein).
    /// </summary>
    public double? FixedStep { get; init; }

    /// <summary>First step of adaptive stepping; default 1% of <c>t1 − t0</c> (no reliable initial-step heuristic exists
    /// for SDEs; sde.md §4.3; Gotta Go Fast uses the same).</summary>
    public double? InitialStep { get; init; }

    /// <summary>Largest step allowed; default unlimited.</summary>
    public double MaxStep { get; init; } = double.PositiveInfinity;

    /// <summary>Smallest step allowed before the solve stops with <see cref="SdeStatus.StepSizeTooSmall"/>; default (null):
    /// the Brownian tree's leaf width, below which its increments lose their exact law (sde.md §4.2).</summary>
    public double? MinStep { get; init; }

    /// <summary>Maximum number of attempted steps per path (default 1,000,000).</summary>
    public int MaxSteps { get; init; } = 1_000_000;

    /// <summary>Step-size controller; null uses the method's default: the PI controller with the SDE preset of
    /// sde.md §4.3 (diffrax's recommendation p = 0.1, i = 0.3 on the error order strong + ½, growth at most 5×).</summary>
    public IStepSizeController? Controller { get; init; }

    /// <summary>The master seed; with <see cref="Stream"/> it fixes the Brownian path (stable across releases: golden tests).</summary>
    public ulong Seed { get; init; }

    /// <summary>The stream (path id) of a single solve; an ensemble gives path k stream k.</summary>
    public ulong Stream { get; init; }

    /// <summary>Leaf width tolerance of the virtual Brownian tree used by adaptive stepping; default <c>(t1 − t0)·2⁻²⁰</c>
    /// (sde.md §1.5). Smaller values allow smaller steps and cost about one Philox block per lane per halving.</summary>
    public double? BrownianTolerance { get; init; }

    /// <summary>Keep the state after every accepted step (default false for ensembles; <c>Sde.Solve</c> keeps them
    /// when true).</summary>
    public bool SaveSteps { get; init; }

    /// <summary>Times at which the state is recorded exactly: steps are shortened to land on them (no interpolation of a
    /// rough path). Sorted, inside (t0, t1].</summary>
    public IReadOnlyList<double>? SaveTimes { get; init; }

    /// <summary>Cancels the solve: checked once per step (per path in an ensemble); throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The defaults.</summary>
    public static SdeOptions Default { get; } = new();

    /// <summary>The tolerance of the virtual Brownian tree an adaptive solve of <paramref name="problem"/> builds:
    /// <see cref="BrownianTolerance"/>, or by default 2⁻²⁰ of the span.</summary>
    public double EffectiveBrownianTolerance(SdeProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return BrownianTolerance ?? Math.Abs(problem.T1 - problem.T0) * Math.ScaleB(1.0, -20);
    }

    /// <summary>The leaf width of that tree (<see cref="VirtualBrownianTree.LeafWidth"/>): the finest resolution of the
    /// noise, and the default minimum step. Printed by <c>ordo solve</c> so that a tolerance too coarse for the steps
    /// shows (diffrax #317 and the other complaints of sde.md §6.2 row 11).</summary>
    public double BrownianLeafWidth(SdeProblem problem)
    {
        double span = Math.Abs(problem.T1 - problem.T0);
        return Math.ScaleB(span, -VirtualBrownianTree.DepthFor(span, EffectiveBrownianTolerance(problem)));
    }

    internal void Validate(SdeProblem problem)
    {
        if (!double.IsFinite(RelativeTolerance) || RelativeTolerance <= 0)
            throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, $"RelativeTolerance must be a finite number > 0 but is {RelativeTolerance}.");
        if (!double.IsFinite(AbsoluteTolerance) || AbsoluteTolerance < 0)
            throw new ArgumentOutOfRangeException(nameof(AbsoluteTolerance), AbsoluteTolerance, $"AbsoluteTolerance must be a finite number >= 0 but is {AbsoluteTolerance}.");
        double span = Math.Abs(problem.T1 - problem.T0);
        if (FixedStep is double hf && (!(hf > 0) || !double.IsFinite(hf)))
            throw new ArgumentOutOfRangeException(nameof(FixedStep), hf, $"FixedStep must be a finite number > 0 but is {hf}.");
        if (FixedStep is double hf2 && span / hf2 > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(FixedStep), hf2, $"FixedStep {hf2:g3} needs more than {int.MaxValue} steps over [{problem.T0}, {problem.T1}].");
        if (InitialStep is double h0 && (!(h0 > 0) || !double.IsFinite(h0)))
            throw new ArgumentOutOfRangeException(nameof(InitialStep), h0, $"InitialStep must be a finite number > 0 but is {h0}.");
        if (double.IsNaN(MaxStep) || MaxStep <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxStep), MaxStep, $"MaxStep must be > 0 but is {MaxStep}.");
        if (MinStep is double hmin && (!(hmin >= 0) || !double.IsFinite(hmin) || hmin > MaxStep))
            throw new ArgumentOutOfRangeException(nameof(MinStep), hmin, $"MinStep must be a finite number in [0, MaxStep] but is {hmin}.");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSteps, nameof(MaxSteps));
        if (BrownianTolerance is double tol && (!(tol > 0) || !double.IsFinite(tol)))
            throw new ArgumentOutOfRangeException(nameof(BrownianTolerance), tol, $"BrownianTolerance must be a finite number > 0 but is {tol}.");
        if (SaveTimes is { } times)
        {
            // In the direction of integration: increasing inside (t0, t1] forwards, decreasing inside [t1, t0) backwards.
            int dir = problem.Direction;
            double previous = problem.T0;
            for (int i = 0; i < times.Count; i++)
            {
                double s = times[i];
                if (!(dir * (s - previous) > 0) || dir * (s - problem.T1) > 0)
                    throw new ArgumentException(dir > 0
                        ? $"SaveTimes must be increasing and inside ({problem.T0}, {problem.T1}], but SaveTimes[{i}] = {s}."
                        : $"SaveTimes of a backward solve must be decreasing and inside [{problem.T1}, {problem.T0}), but SaveTimes[{i}] = {s}.", nameof(SaveTimes));
                previous = s;
            }
        }
    }
}
