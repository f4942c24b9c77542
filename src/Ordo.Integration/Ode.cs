using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// Entry point for solving initial value problems:
/// <code>
/// var problem = new OdeProblem&lt;double&gt;((t, y, dy) =&gt; dy[0] = -y[0], [1.0], 0, 5);
/// OdeSolution&lt;double&gt; solution = Ode.Solve(problem, OdeMethods.Tsitouras54, new OdeOptions { RelativeTolerance = 1e-8 });
/// </code>
/// </summary>
public static class Ode
{
    /// <summary>Solves <paramref name="problem"/> with <paramref name="method"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options for this problem (the message names the option).</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    public static OdeSolution<T> Solve<T>(OdeProblem<T> problem, IOdeMethod method, OdeOptions? options = null)
        where T : IFloatingPointIeee754<T>
        => new OdeIntegrator<T>(problem, method, options).Solve();

    /// <summary>Solves <paramref name="problem"/> with the default method (<see cref="OdeMethods.Default"/>).</summary>
    public static OdeSolution<T> Solve<T>(OdeProblem<T> problem, OdeOptions? options = null)
        where T : IFloatingPointIeee754<T>
        => Solve(problem, OdeMethods.Default, options);
}
