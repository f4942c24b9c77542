namespace Ordo.Integration;

/// <summary>
/// Solves a stiff initial value problem on a time grid the caller chooses (graded meshes tₖ = T(k/N)^γ, random step
/// ratios) by variable-step BDF2 (<see cref="VariableStepBdf2"/>) and optional deferred-correction sweeps
/// (<see cref="Bdf2DeferredCorrection"/>): order 2, 3 or 4 on the same grid.
/// </summary>
/// <remarks>Sources: see <see cref="VariableStepBdf2"/> and <see cref="Bdf2DeferredCorrection"/>; docs page
/// docs/integration/bdf2-deferred-correction.md.</remarks>
public static class Bdf2Grid
{
    /// <summary>Solves <paramref name="problem"/> on <paramref name="grid"/> (grid[0] = T0, grid[^1] = T1, strictly
    /// monotone in the direction of integration). A Newton failure is reported in <see cref="Bdf2Solution.Status"/>.</summary>
    /// <exception cref="ArgumentException">The grid is too short, not finite, not strictly monotone, or does not start
    /// at T0 and end at T1; or the options are invalid.</exception>
    public static Bdf2Solution Solve(OdeProblem<double> problem, ReadOnlySpan<double> grid, Bdf2Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Validate(problem, grid);
        var solver = new Bdf2DeferredCorrection(problem, options);
        double[] states = new double[grid.Length * problem.Dimension];
        var status = solver.Solve(grid, states);
        return new Bdf2Solution(grid.ToArray(), states, problem.Dimension, status, solver.FailedStep, solver.Stats);
    }

    /// <summary>Checks a grid for <paramref name="problem"/>; throws <see cref="ArgumentException"/> when it is bad.</summary>
    internal static void Validate(OdeProblem<double> problem, ReadOnlySpan<double> grid)
    {
        if (grid.Length < 2)
            Guard.Fail($"The grid has {grid.Length} point(s); it needs at least t0 and t1.", nameof(grid));
        for (int k = 0; k < grid.Length; k++)
            if (!double.IsFinite(grid[k])) Guard.Fail($"grid[{k}] = {grid[k]} is not finite.", nameof(grid));
        if (grid[0] != problem.T0)
            Guard.Fail($"grid[0] = {grid[0]} but the problem starts at t0 = {problem.T0}.", nameof(grid));
        if (grid[^1] != problem.T1)
            Guard.Fail($"grid[^1] = {grid[^1]} but the problem ends at t1 = {problem.T1}.", nameof(grid));
        int direction = problem.Direction;
        for (int k = 1; k < grid.Length; k++)
            if (!(direction * (grid[k] - grid[k - 1]) > 0))
                Guard.Fail($"The grid is not strictly {(direction > 0 ? "increasing" : "decreasing")} at index {k} ({grid[k - 1]} then {grid[k]}).", nameof(grid));
    }
}
