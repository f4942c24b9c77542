using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// Variable-order (1–5), variable-step BDF for stiff problems: the fixed-leading-coefficient backward-difference form of
/// Shampine and Reichelt (MATLAB's ode15s, scipy's BDF) with quasi-constant steps (the history is re-interpolated when h
/// changes), order and step chosen together from the local-error estimates at orders q − 1, q and q + 1, and CVODE's
/// modified Newton iteration: the iteration matrix I − (h/α)J is factored with <see cref="Ordo.LinearAlgebra.DenseLU"/>
/// and reused across steps (refactored when h/α has changed by more than 30 % or after 20 steps, the Jacobian
/// re-evaluated after 50 steps or when Newton fails to converge), with the convergence test on the estimated rate.
/// Dense output is the backward-difference interpolation polynomial of the last step. The NDF variant
/// (<see cref="Ndf"/>) uses Shampine–Reichelt's κ coefficients.
/// Sources: L. F. Shampine and M. W. Reichelt, "The MATLAB ODE suite", SIAM J. Sci. Comput. 18 (1997) 1–22, §2;
/// G. D. Byrne and A. C. Hindmarsh, "A polyalgorithm for the numerical solution of ordinary differential equations",
/// ACM TOMS 1 (1975) 71–96; A. C. Hindmarsh et al., "SUNDIALS: Suite of nonlinear and differential/algebraic equation
/// solvers", ACM TOMS 31 (2005) 363–396, §3 (CVODE); E. Hairer and G. Wanner, <i>Solving Ordinary Differential
/// Equations II</i>, 2nd ed., Springer 1996, §III.5.
/// </summary>
/// <remarks>Double precision only. The stepper chooses its own step size and order
/// (<see cref="OdeStepper{T}.ChoosesStepSize"/>), so <see cref="DefaultController"/> and <see cref="OdeOptions.Controller"/>
/// are not used. The exact Jacobian <see cref="OdeProblem{T}.Jacobian"/> is used when set; otherwise forward differences
/// (each difference Jacobian counts once in the Jacobian evaluations, its n evaluations of f in the f-evaluations).</remarks>
public sealed class BdfMethod : IOdeMethod
{
    /// <summary>Creates the method.</summary>
    /// <param name="maxOrder">Highest order used, 1 to 5 (default 5; lower it for problems with eigenvalues near the
    /// imaginary axis, where BDF of orders 3–5 is not A-stable).</param>
    /// <param name="ndf">Use the numerical differentiation formulas (NDF) of Shampine and Reichelt instead of plain BDF.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxOrder"/> is not in 1…5.</exception>
    public BdfMethod(int maxOrder = 5, bool ndf = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOrder, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxOrder, 5);
        MaxOrder = maxOrder;
        Ndf = ndf;
    }

    /// <summary>Plain BDF of orders 1–5 (κ = 0, as CVODE), the method registered as "bdf".</summary>
    public static BdfMethod Default { get; } = new();

    /// <summary>"bdf", or "ndf" for the NDF variant.</summary>
    public string Name => Ndf ? "ndf" : "bdf";

    /// <inheritdoc/>
    public string DisplayName => Ndf ? $"NDF 1–{MaxOrder} (Shampine–Reichelt)" : $"BDF 1–{MaxOrder} (variable order, variable step)";

    /// <inheritdoc/>
    public string Description => "Variable-order BDF 1–5 (CVODE/ode15s style; stiff): large stiff systems, 1e-3 to 1e-8, cheapest per step.";

    /// <summary>Highest order used (1 to 5).</summary>
    public int MaxOrder { get; }

    /// <summary>True for the NDF variant (Shampine–Reichelt κ), false for plain BDF.</summary>
    public bool Ndf { get; }

    /// <summary>The highest order, <see cref="MaxOrder"/>.</summary>
    public int Order => MaxOrder;

    /// <summary>The local-error estimate at order q is O(h^(q+1)); reported as the highest order.</summary>
    public int? ErrorEstimatorOrder => MaxOrder;

    /// <summary>Not used: the BDF stepper chooses order and step size itself (an integral controller is returned for
    /// completeness).</summary>
    public IStepSizeController DefaultController { get; } = PIController.Integral(1);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not <see cref="double"/>.</exception>
    public OdeStepper<T> CreateStepper<T>(OdeFunction<T> rhs, int dimension) where T : IFloatingPointIeee754<T>
        => DoublePrecisionSteppers.Create(Name, rhs, null, dimension, NewStepper);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is not <see cref="double"/>.</exception>
    public OdeStepper<T> CreateStepper<T>(OdeProblem<T> problem) where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        Jacobians.JacobianSparsity? structure = problem.JacobianStructure;
        return DoublePrecisionSteppers.Create(Name, problem.Rhs, problem.Jacobian, problem.Dimension,
            (rhs, jacobian, n) => new BdfStepper(rhs, jacobian, n, MaxOrder, Ndf, structure));
    }

    private BdfStepper NewStepper(OdeFunction<double> rhs, OdeJacobian<double>? jacobian, int dimension) => new(rhs, jacobian, dimension, MaxOrder, Ndf);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
