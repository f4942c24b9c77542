namespace Ordo.Integration;

/// <summary>
/// What an ODE solution keeps besides its final state (the shape of diffrax's <c>SaveAt</c>):
/// every accepted step, the state at given times (interpolated with the method's dense output), and/or the
/// continuous solution.
/// </summary>
public sealed record SaveAt
{
    /// <summary>Output times, sorted in the direction of integration and inside [t0, t1]; null for none.
    /// Exclusive with <see cref="Steps"/>.</summary>
    public IReadOnlyList<double>? Times { get; init; }

    /// <summary>Keep t0 and the end of every accepted step.</summary>
    public bool Steps { get; init; }

    /// <summary>Keep the continuous solution: <see cref="OdeSolution{T}.Dense"/> evaluates it anywhere in the interval
    /// (costs (degree + 1)·n numbers per step, and the extra stages of methods such as DOP853).</summary>
    public bool Dense { get; init; }

    /// <summary>t0 and every accepted step (the default).</summary>
    public static SaveAt EveryStep { get; } = new() { Steps = true };

    /// <summary>Only the final state (cheapest: nothing is stored per step).</summary>
    public static SaveAt FinalOnly { get; } = new();

    /// <summary>Only the continuous solution (and the final state).</summary>
    public static SaveAt DenseOutput { get; } = new() { Dense = true };

    /// <summary>The state at the given times.</summary>
    public static SaveAt At(params double[] times) => new() { Times = times };

    internal void Validate(double t0, double t1)
    {
        if (Times is null) return;
        if (Steps)
            throw new ArgumentException("SaveAt.Times and SaveAt.Steps cannot both be set: choose output times or every step.", nameof(Times));
        int direction = t1 > t0 ? 1 : -1;
        double lo = Math.Min(t0, t1), hi = Math.Max(t0, t1);
        for (int i = 0; i < Times.Count; i++)
        {
            double t = Times[i];
            if (!double.IsFinite(t) || t < lo || t > hi)
                throw new ArgumentOutOfRangeException(nameof(Times), t, $"SaveAt.Times[{i}] = {t} is outside the integration interval [{lo}, {hi}].");
            if (i > 0 && direction * (t - Times[i - 1]) < 0)
                throw new ArgumentException($"SaveAt.Times must be sorted in the direction of integration ({(direction > 0 ? "increasing" : "decreasing")}); entries {i - 1} and {i} are {Times[i - 1]} and {t}.", nameof(Times));
        }
    }
}
