using Ordo.Expressions;
using Ordo.Integration;

namespace Ordo.Problems.ProblemFiles;

/// <summary>
/// A problem file of kind <c>ode</c>: y' = f(t, y), y(t0) = y0 on [t0, t1], with the right-hand side compiled from the
/// <c>rhs</c> expressions (and its exact Jacobian), and an optional reference state at t1.
/// </summary>
public sealed class OdeProblemFile : ProblemFile
{
    private readonly double[] _y0;

    internal OdeProblemFile(string file, string? name, IReadOnlyDictionary<string, double> parameters,
        IReadOnlyDictionary<string, IReadOnlyList<double>> data, VariableLayout state, CompiledVectorFunction rhs,
        double[] y0, double t0, double t1, OdeReference? reference)
        : base(file, name, parameters, data)
    {
        State = state;
        Rhs = rhs;
        _y0 = y0;
        T0 = t0;
        T1 = t1;
        Reference = reference;
        Problem = new OdeProblem<double>(rhs.Evaluate, y0, t0, t1, DisplayName) { Jacobian = rhs.Jacobian, IsAutonomous = !rhs.DependsOnTime };
    }

    /// <inheritdoc/>
    public override string Kind => ProblemKinds.Ode;

    /// <inheritdoc/>
    public override int Dimension => State.Dimension;

    /// <summary>Names of the state components (the <c>state</c> field).</summary>
    public VariableLayout State { get; }

    /// <summary>The compiled right-hand side: <c>Evaluate(t, y, dydt)</c> and the exact Jacobian
    /// <c>Jacobian(t, y, J)</c>, J[i·n + j] = ∂fᵢ/∂yⱼ.</summary>
    public CompiledVectorFunction Rhs { get; }

    /// <summary>y0.</summary>
    public IReadOnlyList<double> InitialState => _y0;

    /// <summary>Initial time.</summary>
    public double T0 { get; }

    /// <summary>Final time (less than <see cref="T0"/> to integrate backwards).</summary>
    public double T1 { get; }

    /// <summary>The known state at t1, or null.</summary>
    public OdeReference? Reference { get; }

    /// <summary>The problem, ready for <see cref="Ode.Solve{T}(OdeProblem{T}, IOdeMethod, OdeOptions?)"/>.</summary>
    public OdeProblem<double> Problem { get; }
}

/// <summary>The <c>reference</c> of an ODE problem file: the state <see cref="Y"/> at time <see cref="T"/> (= t1).</summary>
/// <param name="T">Time of the reference (the final time t1).</param>
/// <param name="Y">The reference state.</param>
public sealed record OdeReference(double T, IReadOnlyList<double> Y);
