using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// The generic-to-double bridge of the stiff methods, whose linear algebra (<see cref="Ordo.LinearAlgebra.DenseLU"/>) is
/// double only: checks that T is <see cref="double"/> (a clear <see cref="ArgumentException"/> otherwise) and builds the
/// double stepper from f, the optional Jacobian and n.
/// </summary>
internal static class DoublePrecisionSteppers
{
    /// <summary>Creates the stepper of method <paramref name="methodName"/> with <paramref name="create"/>.</summary>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not <see cref="double"/>.</exception>
    public static OdeStepper<T> Create<T>(string methodName, OdeFunction<T> rhs, OdeJacobian<T>? jacobian, int dimension,
        Func<OdeFunction<double>, OdeJacobian<double>?, int, OdeStepper<double>> create) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(double))
            throw new ArgumentException($"{methodName} supports double precision only, not {typeof(T).Name}.", nameof(rhs));
        return (OdeStepper<T>)(object)create((OdeFunction<double>)(object)rhs, (OdeJacobian<double>?)(object?)jacobian, dimension);
    }
}
