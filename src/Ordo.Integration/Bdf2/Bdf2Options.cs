namespace Ordo.Integration;

/// <summary>Settings of <see cref="VariableStepBdf2"/>, <see cref="Bdf2DeferredCorrection"/> and <see cref="Bdf2Grid"/>.</summary>
public sealed record Bdf2Options
{
    /// <summary>Deferred-correction sweeps after the BDF2 solve: 0 (plain BDF2, order 2), 1 (order 3) or 2 (order 4).
    /// Ignored by <see cref="VariableStepBdf2"/>.</summary>
    public int CorrectionSweeps { get; init; }

    /// <summary>Newton stops when the update satisfies ‖Δy‖∞ ≤ NewtonTolerance·(1 + ‖y‖∞). Default 1e-12: the solves
    /// are meant to reach the discretization error of a high-order sweep, not a user tolerance.</summary>
    public double NewtonTolerance { get; init; } = 1e-12;

    /// <summary>Newton iterations per attempt (default 10). A step gets two attempts: the second one with a Jacobian
    /// re-evaluated at the last iterate.</summary>
    public int MaxNewtonIterations { get; init; } = 10;

    /// <summary>Options with every default (plain BDF2).</summary>
    public static Bdf2Options Default { get; } = new();

    internal void Validate()
    {
        if (CorrectionSweeps is < 0 or > 2)
            throw new ArgumentOutOfRangeException(nameof(CorrectionSweeps), CorrectionSweeps, "CorrectionSweeps must be 0, 1 or 2.");
        if (!(NewtonTolerance > 0) || !double.IsFinite(NewtonTolerance))
            throw new ArgumentOutOfRangeException(nameof(NewtonTolerance), NewtonTolerance, "NewtonTolerance must be positive and finite.");
        if (MaxNewtonIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxNewtonIterations), MaxNewtonIterations, "MaxNewtonIterations must be at least 1.");
    }
}

/// <summary>How a BDF2 grid solve ended. A numerical failure is a status, never an exception.</summary>
public enum Bdf2Status
{
    /// <summary>Every grid point was reached.</summary>
    Success = 0,
    /// <summary>Newton did not converge at some grid point, even with a fresh Jacobian: the step is too large for the
    /// nonlinearity there. Refine the grid near <see cref="Bdf2Solution.FailedStep"/>.</summary>
    NewtonFailed,
    /// <summary>The iteration matrix (α₀/τ)·I − J was exactly singular at some grid point.</summary>
    SingularMatrix,
    /// <summary>The right-hand side or the Jacobian returned NaN or ±∞.</summary>
    NonFiniteValue,
}

/// <summary>Work counters of a BDF2 grid solve (all sweeps together).</summary>
/// <param name="RhsEvaluations">Right-hand-side calls (Newton residuals, finite-difference Jacobians, the f(tₖ, yₖ) of the correction sweeps).</param>
/// <param name="JacobianEvaluations">Jacobian evaluations (exact, or one finite-difference Jacobian counted once).</param>
/// <param name="LuDecompositions">LU factorizations of iteration matrices.</param>
/// <param name="NewtonIterations">Newton iterations.</param>
/// <param name="Sweeps">Implicit passes over the grid: 1 + correction sweeps run.</param>
public readonly record struct Bdf2Stats(long RhsEvaluations, long JacobianEvaluations, long LuDecompositions, long NewtonIterations, int Sweeps);

/// <summary>The states of a BDF2 or BDF2-DC solve at the points of the user's grid.</summary>
public sealed class Bdf2Solution
{
    private readonly double[] _times, _states;

    internal Bdf2Solution(double[] times, double[] states, int dimension, Bdf2Status status, int failedStep, Bdf2Stats stats)
    {
        _times = times;
        _states = states;
        Dimension = dimension;
        Status = status;
        FailedStep = failedStep;
        Stats = stats;
    }

    /// <summary>The grid t₀ … t_N (a copy of the input).</summary>
    public ReadOnlySpan<double> Times => _times;

    /// <summary>All states, row after row: state k occupies [k·n, (k+1)·n). Rows from <see cref="FailedStep"/> on are
    /// NaN when the solve failed.</summary>
    public ReadOnlySpan<double> States => _states;

    /// <summary>Number of state components n.</summary>
    public int Dimension { get; }

    /// <summary>Number of grid points N + 1.</summary>
    public int Count => _times.Length;

    /// <summary>The state at grid point <paramref name="index"/>.</summary>
    public ReadOnlySpan<double> State(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _states.AsSpan(index * Dimension, Dimension);
    }

    /// <summary>How the solve ended.</summary>
    public Bdf2Status Status { get; }

    /// <summary>True when <see cref="Status"/> is <see cref="Bdf2Status.Success"/>.</summary>
    public bool IsSuccess => Status == Bdf2Status.Success;

    /// <summary>Index of the grid point where the solve failed, or −1.</summary>
    public int FailedStep { get; }

    /// <summary>Work counters.</summary>
    public Bdf2Stats Stats { get; }
}
