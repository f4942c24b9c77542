using System.Numerics;

namespace Ordo.Sampling;

/// <summary>
/// RF-Solver-2: the second-order Taylor expansion of the exact step, x_{i+1} = x_i + h·v + (h²/2)·dv/dτ, with the
/// time derivative estimated by a forward difference along an Euler half-step (Wang et al., "Taming Rectified Flow
/// for Inversion and Editing", arXiv 2411.04746, ICML 2025; code wangjiangshan0725/RF-Solver-Edit, <c>denoise</c>).
/// </summary>
/// <remarks>
/// <code>
/// k1 := v(x, τ_i);  x_mid := x + (h/2)·k1;  k2 := v(x_mid, τ_i + h/2)
/// x  := x + h·k1 + (h²/2)·(k2 − k1)/(h/2)
/// </code>
/// Algebraically h·k1 + (h²/2)(k2 − k1)/(h/2) = h·k2: the step is the explicit midpoint rule, written as the paper
/// writes it (flows.md §2.2). Two evaluations per step, second order.
/// </remarks>
public sealed class RfSolverSampler : FlowSampler
{
    /// <inheritdoc/>
    public override string Name => "rf-solver";
    /// <inheritdoc/>
    public override string DisplayName => "RF-Solver-2";
    /// <inheritdoc/>
    public override string Description => "Second-order Taylor step with a finite-difference velocity derivative (= explicit midpoint): 2N evaluations.";
    /// <inheritdoc/>
    public override string Source => "Wang et al., Taming Rectified Flow for Inversion and Editing, arXiv 2411.04746 (ICML 2025)";
    /// <inheritdoc/>
    public override int Order => 2;
    /// <inheritdoc/>
    public override int WorkBuffers => 3;

    /// <inheritdoc/>
    public override int EvaluationsPerPass(ReadOnlySpan<double> noiseLevels, NoiseSchedule schedule) => 2 * (noiseLevels.Length - 1);

    /// <inheritdoc/>
    public override void Run<T>(FlowRunContext<T> context)
    {
        Span<T> x = context.Points;
        Span<T> k1 = context.Buffer(0), k2 = context.Buffer(1), mid = context.Buffer(2);
        ReadOnlySpan<double> levels = context.NoiseLevels;
        for (int step = 0; step < context.Steps; step++)
        {
            double t = levels[step], h = levels[step + 1] - t;
            if (!context.Evaluate(x, step, t, false, k1)) return;
            FlowRunContext<T>.AddScaled(mid, x, h / 2, k1);
            if (!context.Evaluate(mid, step, t + h / 2, true, k2)) return;
            // dv := (k2 − k1)/(h/2), kept in k2.
            FlowRunContext<T>.Combine(k2, 2 / h, k2, -2 / h, k1);
            FlowRunContext<T>.AddScaled(x, x, h, k1);
            FlowRunContext<T>.AddScaled(x, x, h * h / 2, k2);
            context.CompleteStep(step);
        }
    }
}
