using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// Right-hand side f(t, y) of y' = f(t, y). Writes the derivative into <paramref name="dydt"/>; must not keep the
/// spans after it returns. It may return NaN or ±∞ to say "this state is impossible": the integrator then rejects
/// the step and retries with a smaller one (see <see cref="OdeStatus.NonFiniteRhs"/>).
/// </summary>
/// <typeparam name="T">Number type of the state (double; float for single-precision models; dual numbers for sensitivities).</typeparam>
public delegate void OdeFunction<T>(double t, ReadOnlySpan<T> y, Span<T> dydt);

/// <summary>The Jacobian ∂f/∂y of an ODE's right-hand side at (t, y), written row-major into <paramref name="jacobian"/>
/// (length n·n): jacobian[i·n + j] = ∂fᵢ/∂yⱼ. Stiff methods use it; without one they difference f.</summary>
/// <typeparam name="T">Number type of the state.</typeparam>
public delegate void OdeJacobian<T>(double t, ReadOnlySpan<T> y, Span<T> jacobian);

/// <summary>
/// An initial value problem y' = f(t, y), y(t0) = y0, integrated from t0 to t1 (backwards when t1 &lt; t0).
/// </summary>
/// <typeparam name="T">Number type of the state. Time is always <see cref="double"/>.</typeparam>
public sealed class OdeProblem<T> where T : IFloatingPointIeee754<T>
{
    private readonly T[] _y0;

    /// <summary>Creates a problem; the initial state is copied.</summary>
    /// <param name="rhs">The right-hand side f(t, y, dydt).</param>
    /// <param name="initialState">y0; every entry finite.</param>
    /// <param name="t0">Initial time (finite).</param>
    /// <param name="t1">Final time (finite, different from <paramref name="t0"/>).</param>
    /// <param name="name">Shown in output; optional.</param>
    /// <exception cref="ArgumentException">y0 is empty or not finite, t0 or t1 is not finite, or t0 == t1.</exception>
    public OdeProblem(OdeFunction<T> rhs, ReadOnlySpan<T> initialState, double t0, double t1, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(rhs);
        if (initialState.IsEmpty)
            throw new ArgumentException("initialState is empty; an ODE needs at least one state component.", nameof(initialState));
        Guard.AllFinite(initialState, nameof(initialState));
        Guard.Finite(t0, nameof(t0));
        Guard.Finite(t1, nameof(t1));
        if (t0 == t1)
            throw new ArgumentException($"t0 and t1 are both {t0}: the integration interval is empty.", nameof(t1));
        Rhs = rhs;
        _y0 = initialState.ToArray();
        T0 = t0;
        T1 = t1;
        Name = name ?? "ode";
    }

    /// <summary>The right-hand side.</summary>
    public OdeFunction<T> Rhs { get; }

    /// <summary>The exact Jacobian ∂f/∂y, or null (stiff methods then use finite differences). Explicit methods ignore it.</summary>
    public OdeJacobian<T>? Jacobian { get; init; }

    /// <summary>
    /// The exact time derivative ∂f/∂t at (t, y), written into its last argument, or null. Rosenbrock methods need
    /// ∂f/∂t on non-autonomous problems; without it they take a central difference in t with an increment proportional
    /// to the step (an error of about ε^(2/3)·|f| per step), which limits the attainable accuracy when f depends
    /// strongly on t. Ignored when <see cref="IsAutonomous"/> is true.
    /// </summary>
    public OdeFunction<T>? TimeDerivative { get; init; }

    /// <summary>True when f does not depend on t (∂f/∂t = 0): Rosenbrock methods then skip ∂f/∂t and its two
    /// evaluations of f per Jacobian. Default false (the safe answer).</summary>
    public bool IsAutonomous { get; init; }
    /// <summary>Which entries of ∂f/∂y may be non-zero (<see cref="Jacobians.JacobianSparsity.Banded"/> or
    /// <see cref="Jacobians.JacobianSparsity.FromRows"/>), or null for a dense Jacobian. Stiff methods use it to difference f
    /// in column groups (kl + ku + 1 evaluations for a band instead of n) and to factor the iteration matrix with a banded
    /// LU (<see cref="Jacobians.IterationMatrix"/>). Its dimension must be <see cref="Dimension"/>; explicit methods ignore it.</summary>
    public Jacobians.JacobianSparsity? JacobianStructure
    {
        get;
        init
        {
            if (value is not null && value.Dimension != _y0.Length)
                throw new ArgumentException($"The Jacobian structure is {value.Dimension}×{value.Dimension} but the problem has dimension {_y0.Length}.", nameof(value));
            field = value;
        }
    }

    /// <summary>Number of state components.</summary>
    public int Dimension => _y0.Length;

    /// <summary>The initial state y0.</summary>
    public ReadOnlySpan<T> InitialState => _y0;

    /// <summary>Initial time.</summary>
    public double T0 { get; }

    /// <summary>Final time.</summary>
    public double T1 { get; }

    /// <summary>+1 when integrating forward in time, −1 backward.</summary>
    public int Direction => T1 > T0 ? 1 : -1;

    /// <summary>Name shown in output.</summary>
    public string Name { get; }
}
