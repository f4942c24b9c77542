using Ordo.Integration;

namespace Ordo.Sampling;

/// <summary>The built-in samplers by name (the names the <c>ordo flow</c> commands take).</summary>
public static class FlowSamplers
{
    /// <summary>Euler: 1 evaluation per step, first order (= DDIM = DPM-Solver-1 under rectified flow).</summary>
    public static FlowSampler Euler { get; } = new RungeKuttaSampler("euler", Tableaus.Euler,
        "Euler (vanilla rectified-flow sampling, ReFlow inversion; = DDIM): 1 evaluation per step, first order.");

    /// <summary>Heun (explicit trapezoid): 2 evaluations per step, second order.</summary>
    public static FlowSampler Heun { get; } = new RungeKuttaSampler("heun", Tableaus.Heun,
        "Heun's explicit trapezoidal rule: 2 evaluations per step, second order.");

    /// <summary>Explicit midpoint rule: 2 evaluations per step, second order.</summary>
    public static FlowSampler Midpoint { get; } = new RungeKuttaSampler("midpoint", Tableaus.Midpoint,
        "Explicit midpoint rule (the step RF-Solver-2 takes): 2 evaluations per step, second order.");

    /// <summary>Classical RK4: 4 evaluations per step, fourth order.</summary>
    public static FlowSampler RungeKutta4 { get; } = new RungeKuttaSampler("rk4", Tableaus.RungeKutta4,
        "Classical Runge–Kutta: 4 evaluations per step, fourth order.");

    /// <summary>RF-Solver-2.</summary>
    public static FlowSampler RfSolver { get; } = new RfSolverSampler();

    /// <summary>FireFlow.</summary>
    public static FlowSampler FireFlow { get; } = new FireFlowSampler();

    /// <summary>Every built-in sampler, with its default parameters.</summary>
    public static IReadOnlyList<FlowSampler> All { get; } =
    [
        Euler, Heun, Midpoint, RungeKutta4, RfSolver, FireFlow,
        new DpmSolverSinglestepSampler(2, DpmPrediction.Noise),
        new DpmSolverSinglestepSampler(3, DpmPrediction.Noise),
        new DpmSolverSinglestepSampler(2, DpmPrediction.Data),
        new DpmSolverSinglestepSampler(3, DpmPrediction.Data),
        new DpmSolverMultistepSampler(2, DpmPrediction.Noise),
        new DpmSolverMultistepSampler(2, DpmPrediction.Data),
        new DpmSolverMultistepSampler(3, DpmPrediction.Data),
        new DpmSolverMultistepSampler(3, DpmPrediction.Data, d2Scale: 2),
        new DpmSolverMultistepSampler(2, DpmPrediction.Data, heavyBallBeta: 0.8),
        new MomentumSampler(MomentumKind.None, 2),
        new MomentumSampler(MomentumKind.HeavyBall, 2, 0.8),
        new MomentumSampler(MomentumKind.GeneralizedHeavyBall, 2, 0.8),
    ];

    /// <summary>Names of <see cref="All"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(s => s.Name).ToArray();

    /// <summary>The sampler called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No sampler has that name; the message lists the known ones.</exception>
    public static FlowSampler Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGet(name, out FlowSampler? sampler)
            ? sampler
            : throw new ArgumentException($"Unknown sampler '{name}'. Known samplers: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>Looks a sampler up by name (case-insensitive).</summary>
    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FlowSampler? sampler)
    {
        sampler = All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        return sampler is not null;
    }
}
