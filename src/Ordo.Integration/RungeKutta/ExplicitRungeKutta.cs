using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// An explicit Runge–Kutta method given by its <see cref="ButcherTableau"/>: the tableau is the method, one generic
/// stepper runs them all (the design of diffrax and OrdinaryDiffEq's tableau methods). Adding a method means adding a
/// tableau (and its interpolant, if it has one) and a line in <see cref="OdeMethods"/>.
/// </summary>
public sealed class ExplicitRungeKutta : IOdeMethod
{
    /// <summary>Creates the method.</summary>
    /// <param name="name">Short name, as used by the <c>ordo</c> command (lower case).</param>
    /// <param name="tableau">The Butcher tableau.</param>
    /// <param name="description">One line on when to use it.</param>
    /// <param name="defaultController">Controller used when the options name none; default <see cref="PIController.ForOrder"/> of the method's order.</param>
    public ExplicitRungeKutta(string name, ButcherTableau tableau, string description, IStepSizeController? defaultController = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(tableau);
        Name = name;
        Tableau = tableau;
        Description = description ?? "";
        DefaultController = defaultController ?? PIController.ForOrder(tableau.Order);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string DisplayName => Tableau.Name;

    /// <inheritdoc/>
    public string Description { get; }

    /// <summary>The tableau.</summary>
    public ButcherTableau Tableau { get; }

    /// <inheritdoc/>
    public int Order => Tableau.Order;

    /// <inheritdoc/>
    public int? ErrorEstimatorOrder => Tableau.ErrorEstimator?.Order;

    /// <summary>Order of the dense output (the tableau's own interpolant, or min(p, 3) for the cubic Hermite one).</summary>
    public int InterpolantOrder => (Tableau.ContinuousExtension ?? ContinuousExtension.Hermite(Tableau)).Order;

    /// <inheritdoc/>
    public IStepSizeController DefaultController { get; }

    /// <inheritdoc/>
    public OdeStepper<T> CreateStepper<T>(OdeFunction<T> rhs, int dimension) where T : IFloatingPointIeee754<T>
        => new ExplicitRungeKuttaStepper<T>(Tableau, rhs, dimension);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
