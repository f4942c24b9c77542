namespace Ordo.Integration.Tests.Support;

/// <summary>Small problems with closed-form solutions, for convergence, dense-output and event tests.</summary>
public sealed record ExactProblem(string Name, OdeFunction<double> Rhs, double[] Y0, double T0, double T1, Func<double, double[]> Exact)
{
    public OdeProblem<double> ToProblem() => new(Rhs, Y0, T0, T1, Name);
    public override string ToString() => Name;
}

public static class ExactProblems
{
    /// <summary>Linear, non-autonomous: y' = −y + sin t, y(0) = 1; y = 1.5e^(−t) + (sin t − cos t)/2.
    /// Non-autonomous on purpose: a wrong node cᵢ shows up as a wrong order (the Math.NET vector-RK bug).</summary>
    public static ExactProblem LinearForced { get; } = new("linear-forced",
        static (t, y, dy) => dy[0] = -y[0] + Math.Sin(t), [1.0], 0, 2,
        static t => [1.5 * Math.Exp(-t) + 0.5 * (Math.Sin(t) - Math.Cos(t))]);

    /// <summary>Nonlinear, non-autonomous: y' = t y², y(0) = 1; y = 1/(1 − t²/2) (pole at √2).</summary>
    public static ExactProblem NonlinearNonAutonomous { get; } = new("t-y-squared",
        static (t, y, dy) => dy[0] = t * y[0] * y[0], [1.0], 0, 1.3,
        static t => [1 / (1 - 0.5 * t * t)]);

    /// <summary>Nonlinear, non-autonomous: y' = cos(t) y², y(0) = 1; y = 1/(1 − sin t) (pole at π/2), on [0, 1].</summary>
    public static ExactProblem CosYSquared { get; } = new("cos-y-squared",
        static (t, y, dy) => dy[0] = Math.Cos(t) * y[0] * y[0], [1.0], 0, 1.0,
        static t => [1 / (1 - Math.Sin(t))]);

    /// <summary>Harmonic oscillator y'' = −y as a system, y(0) = (1, 0); y = (cos t, −sin t).</summary>
    public static ExactProblem Oscillator { get; } = new("oscillator",
        static (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [1.0, 0.0], 0, 10,
        static t => [Math.Cos(t), -Math.Sin(t)]);

    /// <summary>DETEST A3, y' = y cos t, y(0) = 1 on [0, 10]; y = exp(sin t). Non-autonomous.</summary>
    public static ExactProblem OscillatoryGrowth { get; } = new("detest-a3",
        static (t, y, dy) => dy[0] = y[0] * Math.Cos(t), [1.0], 0, 10,
        static t => [Math.Exp(Math.Sin(t))]);

    /// <summary>Kepler orbit with eccentricity 0.2 over three periods (the DETEST D set-up), exact through Kepler's
    /// equation E − e sin E = t.</summary>
    public static ExactProblem Kepler { get; } = KeplerOrbit(0.2, 3);

    // The DETEST D right-hand side and its exact orbit (Kepler's equation) from Ordo.Problems, at an eccentricity of our own.
    private static ExactProblem KeplerOrbit(double e, int periods) => new($"kepler-e{e}", Ordo.Problems.OdeTestProblems.Kepler,
        [1 - e, 0.0, 0.0, Math.Sqrt((1 + e) / (1 - e))], 0, periods * 2 * Math.PI, t => Ordo.Problems.OdeTestProblems.KeplerOrbit(e, t));

    public static IReadOnlyList<ExactProblem> All { get; } = [LinearForced, NonlinearNonAutonomous, CosYSquared, Oscillator, OscillatoryGrowth, Kepler];

    /// <summary>
    /// The problem for empirical global orders: a Kepler orbit (e = 0.2, three periods), nonlinear, chosen by measuring
    /// so that every method reaches its asymptotic range above the round-off floor of double precision. Measured
    /// alternatives that do not qualify: near a pole (y' = t y², y' = cos t y²) the 5th-order methods only settle
    /// between 1e-11 and 1e-13; on a Kepler orbit with e = 0.5, DOP853 is still at slope 7.3–7.5 when round-off takes
    /// over; on DETEST A3 (y' = y cos t) DOP853 approaches 8 from above (8.5, then 8.1 between the last three step
    /// counts before the floor) and Tsit5 does the same on [0, 5]; on linear autonomous problems Tsit5 is
    /// superconvergent (its stability polynomial matches exp to one more order). The use of the nodes cᵢ on
    /// non-autonomous problems is checked exactly instead (non-autonomous = autonomized system, step by step).
    /// </summary>
    public static IReadOnlyList<ExactProblem> ForOrders { get; } = [Kepler];

    /// <summary>Problems for the local (one-step) error orders of the dense output: no accumulation, so the
    /// asymptotic range is clean; one non-autonomous, one nonlinear system.</summary>
    public static IReadOnlyList<ExactProblem> ForLocalOrders { get; } = [OscillatoryGrowth, Kepler];
}
