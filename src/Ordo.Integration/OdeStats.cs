namespace Ordo.Integration;

/// <summary>Work counters of an ODE solve.</summary>
/// <param name="RhsEvaluations">Calls of the right-hand side, all of them (stages, initial step selection, dense output).</param>
/// <param name="AcceptedSteps">Accepted steps.</param>
/// <param name="RejectedSteps">Rejected steps (error too large or a non-finite right-hand side).</param>
/// <param name="JacobianEvaluations">Jacobian evaluations (0 for explicit methods).</param>
/// <param name="LuDecompositions">LU factorizations (0 for explicit methods).</param>
public readonly record struct OdeStats(long RhsEvaluations, int AcceptedSteps, int RejectedSteps, long JacobianEvaluations, long LuDecompositions);

/// <summary>A progress report of a running ODE solve.</summary>
/// <param name="Time">Current time t.</param>
/// <param name="StepSize">Current step size.</param>
/// <param name="AcceptedSteps">Accepted steps so far.</param>
/// <param name="Fraction">Fraction of [t0, t1] covered, in [0, 1].</param>
public readonly record struct OdeProgress(double Time, double StepSize, int AcceptedSteps, double Fraction);
