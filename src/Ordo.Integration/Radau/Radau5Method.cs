using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// The 3-stage Radau IIA method of order 5 with the algorithm of Hairer &amp; Wanner's RADAU5 code: simplified Newton
/// iterations decoupled by the eigen-transformation of the Radau matrix (one real and one complex n×n system per
/// iteration), starting values from the previous collocation polynomial, Newton convergence monitoring, reuse of the
/// Jacobian and of the factorizations, the embedded 3rd-order error estimate filtered by (I − hγ₀J)⁻¹, the Gustafsson
/// predictive step-size controller and dense output from the collocation polynomial.
/// Source: E. Hairer and G. Wanner, <i>Solving Ordinary Differential Equations II</i>, 2nd ed., Springer 1996, §IV.8.
/// </summary>
/// <remarks>Double precision only: <see cref="CreateStepper{T}(OdeProblem{T})"/> throws an
/// <see cref="ArgumentException"/> for any other T. The step-size choice is computed by the stepper and passed to the
/// driver as an effective error norm for <see cref="DefaultController"/> (see docs/integration/radau5.md).</remarks>
public sealed class Radau5Method : IOdeMethod
{
    /// <inheritdoc/>
    public string Name => "radau5";

    /// <inheritdoc/>
    public string DisplayName => "Radau IIA 5 (RADAU5)";

    /// <inheritdoc/>
    public string Description => "Radau IIA order 5 (Hairer's RADAU5, scipy Radau): stiff problems at 1e-4 to 1e-10.";

    /// <inheritdoc/>
    public int Order => 5;

    /// <inheritdoc/>
    public int? ErrorEstimatorOrder => 3;

    /// <summary>The integral controller with exponent 1/4, safety 1 and factors in [0.2, 8]: applied to the effective
    /// error norm quot⁴ reported by the stepper, it reproduces RADAU5's step-size choice h_new = h/quot.</summary>
    public IStepSizeController DefaultController { get; } = new PIController(0.25, 0.0) { Safety = 1.0, MinFactor = 0.2, MaxFactor = 8.0 };

    /// <inheritdoc/>
    public OdeStepper<T> CreateStepper<T>(OdeFunction<T> rhs, int dimension) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(double))
            throw new ArgumentException($"radau5 supports double precision only, not {typeof(T).Name}.", nameof(rhs));
        return (OdeStepper<T>)(object)new Radau5Stepper((OdeFunction<double>)(object)rhs, null, dimension);
    }

    /// <inheritdoc/>
    public OdeStepper<T> CreateStepper<T>(OdeProblem<T> problem) where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (typeof(T) != typeof(double))
            throw new ArgumentException($"radau5 supports double precision only, not {typeof(T).Name}.", nameof(problem));
        return (OdeStepper<T>)(object)new Radau5Stepper((OdeFunction<double>)(object)problem.Rhs,
            (OdeJacobian<double>?)(object?)problem.Jacobian, problem.Dimension);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
