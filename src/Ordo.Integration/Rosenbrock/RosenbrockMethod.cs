using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// A Rosenbrock (linearly implicit Runge–Kutta) method given by its <see cref="RosenbrockTableau"/>: one generic
/// stepper runs every tableau (HW II §IV.7). It uses the problem's exact Jacobian when
/// <see cref="OdeProblem{T}.Jacobian"/> is set, forward differences otherwise. Double precision only.
/// </summary>
/// <remarks>
/// Default controller: the PI controller with β₁ = 0.7/(p̂ + 1), β₂ = 0.4/(p̂ + 1) (p̂ the embedded order, the error
/// estimate being O(h^(p̂+1))), MinFactor 0.2 and MaxFactor 6 (the bounds of Hairer's RODAS: a stiff step that grows by
/// 10 tends to be rejected). Source of the PI form: Gustafsson, Lundh and Söderlind, BIT 28 (1988).
/// <para>
/// A W-method tableau (<see cref="RosenbrockTableau.IsWMethod"/>) keeps its Jacobian across steps (and its LU while h
/// is unchanged), evaluating it afresh after two rejections in a row at one point, when h leaves
/// [h_J/<see cref="JacobianRefreshRatio"/>, <see cref="JacobianRefreshRatio"/>·h_J], or every
/// <see cref="JacobianRefreshInterval"/> accepted steps. A Rosenbrock tableau proper evaluates J at every step.
/// </para>
/// </remarks>
public sealed class RosenbrockMethod : IOdeMethod
{
    /// <summary>Creates the method.</summary>
    /// <param name="name">Short name (lower case).</param>
    /// <param name="tableau">The tableau.</param>
    /// <param name="description">One line on when to use it.</param>
    /// <param name="defaultController">Controller when the options name none; default: see the remarks.</param>
    public RosenbrockMethod(string name, RosenbrockTableau tableau, string description, IStepSizeController? defaultController = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(tableau);
        Name = name;
        Tableau = tableau;
        Description = description ?? "";
        int q = tableau.EmbeddedOrder + 1;
        DefaultController = defaultController ?? new PIController(0.7 / q, 0.4 / q) { MinFactor = 0.2, MaxFactor = 6.0 };
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string DisplayName => Tableau.Name;

    /// <inheritdoc/>
    public string Description { get; }

    /// <summary>The tableau.</summary>
    public RosenbrockTableau Tableau { get; }

    /// <inheritdoc/>
    public int Order => Tableau.Order;

    /// <inheritdoc/>
    public int? ErrorEstimatorOrder => Tableau.EmbeddedOrder;

    /// <inheritdoc/>
    public IStepSizeController DefaultController { get; }

    /// <summary>
    /// W-method tableaux only: the Jacobian is evaluated afresh at the latest after this many accepted steps (K);
    /// 1 evaluates it at every step (no reuse). Default 10. Ignored by a tableau that is not a W-method, which needs
    /// the exact Jacobian at every step.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1.</exception>
    public int JacobianRefreshInterval
    {
        get => _refreshInterval;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _refreshInterval = value;
        }
    }

    private readonly int _refreshInterval = 10;

    /// <summary>
    /// W-method tableaux only: the Jacobian is evaluated afresh when the step size h leaves [h_J/ρ, ρ·h_J], h_J being
    /// the step size when it was last evaluated. Default ρ = 5.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not above 1.</exception>
    public double JacobianRefreshRatio
    {
        get => _refreshRatio;
        init
        {
            if (!(value > 1)) throw new ArgumentOutOfRangeException(nameof(value), value, "The refresh ratio must exceed 1.");
            _refreshRatio = value;
        }
    }

    private readonly double _refreshRatio = 5;

    /// <summary>Whether the stepper keeps the Jacobian across steps: a W-method tableau with a refresh interval above 1.</summary>
    public bool ReusesJacobian => Tableau.IsWMethod && JacobianRefreshInterval > 1;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not <see cref="double"/>.</exception>
    public OdeStepper<T> CreateStepper<T>(OdeFunction<T> rhs, int dimension) where T : IFloatingPointIeee754<T>
        => Create<T>(rhs, null, dimension);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not <see cref="double"/>.</exception>
    public OdeStepper<T> CreateStepper<T>(OdeProblem<T> problem) where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (typeof(T) != typeof(double))
            throw new ArgumentException($"The Rosenbrock method '{Name}' works in double precision only (its LU is DenseLU on double); got {typeof(T).Name}.", nameof(problem));
        var stepper = new RosenbrockStepper(Tableau, (OdeFunction<double>)(object)problem.Rhs, (OdeJacobian<double>?)(object?)problem.Jacobian,
            problem.Dimension, JacobianRefreshInterval, JacobianRefreshRatio, (OdeFunction<double>?)(object?)problem.TimeDerivative,
            problem.IsAutonomous, problem.JacobianStructure);
        return (OdeStepper<T>)(object)stepper;
    }

    private OdeStepper<T> Create<T>(OdeFunction<T> rhs, OdeJacobian<T>? jacobian, int dimension) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(double))
            throw new ArgumentException($"The Rosenbrock method '{Name}' works in double precision only (its LU is DenseLU on double); got {typeof(T).Name}.", nameof(rhs));
        var stepper = new RosenbrockStepper(Tableau, (OdeFunction<double>)(object)rhs, (OdeJacobian<double>?)(object?)jacobian, dimension,
            JacobianRefreshInterval, JacobianRefreshRatio);
        return (OdeStepper<T>)(object)stepper;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
