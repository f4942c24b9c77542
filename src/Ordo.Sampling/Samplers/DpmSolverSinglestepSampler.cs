using System.Numerics;

namespace Ordo.Sampling;

/// <summary>
/// Singlestep DPM-Solver (noise prediction) and DPM-Solver++ (data prediction) of order 1, 2 or 3 with a fixed order on
/// every step: an exponential integrator in λ = log(α/σ) whose intermediate stages are fresh model evaluations, so a
/// step costs <c>order</c> evaluations and needs no history (Lu et al., "DPM-Solver", NeurIPS 2022, arXiv 2206.00927,
/// Algorithms 1–2; "DPM-Solver++", arXiv 2211.01095, Algorithm 1; code LuChengTHU/dpm-solver
/// <c>singlestep_dpm_solver_*_update</c>).
/// </summary>
/// <remarks>
/// A step that touches a point where λ is infinite (τ = 1 or τ = 0 for rectified flow) is the first-order step, the
/// exact limit, at one evaluation, so on [1, 0] a pass costs order·(N − 2) + 2 evaluations (flows.md §4.5). The nominal
/// order is observed on intervals where λ is finite; on the full interval the two end steps limit it to 2 (§9.1).
/// </remarks>
public sealed class DpmSolverSinglestepSampler : FlowSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="order">1, 2 or 3.</param>
    /// <param name="prediction">Noise (DPM-Solver) or data (DPM-Solver++).</param>
    /// <param name="nodes">Where the intermediate nodes sit; the reference default is time-uniform.</param>
    public DpmSolverSinglestepSampler(int order, DpmPrediction prediction, DpmIntermediateNodes nodes = DpmIntermediateNodes.TimeUniform)
    {
        if (order is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(order), order, "A singlestep DPM-Solver has order 1, 2 or 3.");
        Order = order;
        Prediction = prediction;
        Nodes = nodes;
    }

    /// <summary>Noise or data prediction.</summary>
    public DpmPrediction Prediction { get; }

    /// <summary>Where the intermediate nodes sit.</summary>
    public DpmIntermediateNodes Nodes { get; }

    /// <inheritdoc/>
    public override string Name => Prediction == DpmPrediction.Noise ? $"dpm-solver-{Order}" : $"dpm-solver++{Order}s";
    /// <inheritdoc/>
    public override string DisplayName => Prediction == DpmPrediction.Noise ? $"DPM-Solver-{Order} (singlestep)" : $"DPM-Solver++({Order}S)";
    /// <inheritdoc/>
    public override string Description =>
        $"Singlestep exponential integrator in log-SNR, {(Prediction == DpmPrediction.Noise ? "noise" : "data")} prediction, order {Order}: {Order} evaluations per step.";
    /// <inheritdoc/>
    public override string Source => Prediction == DpmPrediction.Noise
        ? "Lu et al., DPM-Solver: A Fast ODE Solver for Diffusion Probabilistic Model Sampling in Around 10 Steps, NeurIPS 2022 (arXiv 2206.00927)"
        : "Lu et al., DPM-Solver++: Fast Solver for Guided Sampling of Diffusion Probabilistic Models, arXiv 2211.01095";
    /// <inheritdoc/>
    public override int Order { get; }
    /// <inheritdoc/>
    public override int WorkBuffers => 5;

    /// <inheritdoc/>
    public override int EvaluationsPerPass(ReadOnlySpan<double> noiseLevels, NoiseSchedule schedule)
    {
        int n = 0;
        for (int i = 0; i + 1 < noiseLevels.Length; i++)
            n += FiniteStep(schedule, noiseLevels[i], noiseLevels[i + 1]) ? Order : 1;
        return n;
    }

    /// <inheritdoc/>
    public override void Run<T>(FlowRunContext<T> context)
    {
        NoiseSchedule sch = context.Schedule;
        Span<T> x = context.Points;
        Span<T> v = context.Buffer(0), m0 = context.Buffer(1), m1 = context.Buffer(2), m2 = context.Buffer(3), u = context.Buffer(4);
        ReadOnlySpan<double> levels = context.NoiseLevels;
        bool data = Prediction == DpmPrediction.Data;
        for (int step = 0; step < context.Steps; step++)
        {
            double s = levels[step], t = levels[step + 1];
            if (!context.Evaluate(x, step, s, false, v)) return;
            if (Order == 1 || !FiniteStep(sch, s, t))
            {
                DpmSteps.FirstOrder(context, x, v, s, t, m0);
                context.CompleteStep(step);
                continue;
            }
            double lambdaS = sch.Lambda(s), lambdaT = sch.Lambda(t), h = lambdaT - lambdaS;
            double r1, r2 = 0;
            if (Nodes == DpmIntermediateNodes.TimeUniform)
            {
                r1 = (sch.Lambda(s + (t - s) / Order) - lambdaS) / h;
                if (Order == 3) r2 = (sch.Lambda(s + 2 * (t - s) / 3) - lambdaS) / h;
            }
            else
            {
                r1 = Order == 2 ? 0.5 : 1.0 / 3;
                r2 = 2.0 / 3;
            }
            DpmSteps.Prediction(context, Prediction, x, v, s, m0);
            double s1 = sch.TimeAtLambda(lambdaS + r1 * h);
            double alphaS = sch.Alpha(s), sigmaS = sch.Sigma(s), alphaT = sch.Alpha(t), sigmaT = sch.Sigma(t);
            double alpha1 = sch.Alpha(s1), sigma1 = sch.Sigma(s1);
            if (Order == 2)
            {
                if (data)
                {
                    double phi11 = FloatingPoint.ExpM1(-r1 * h), phi1 = FloatingPoint.ExpM1(-h);
                    FlowRunContext<T>.Combine(u, sigma1 / sigmaS, x, -alpha1 * phi11, m0);
                    if (!Stage(context, u, step, s1, v, m1)) return;
                    // x_t = (σ_t/σ_s)x − α_tφ₁·m₀ − (1/(2r₁))·α_tφ₁·(m₁ − m₀)
                    FlowRunContext<T>.Combine(x, sigmaT / sigmaS, x, -alphaT * phi1 * (1 - 0.5 / r1), m0);
                    FlowRunContext<T>.AddScaled(x, x, -0.5 / r1 * alphaT * phi1, m1);
                }
                else
                {
                    double phi11 = FloatingPoint.ExpM1(r1 * h), phi1 = FloatingPoint.ExpM1(h);
                    FlowRunContext<T>.Combine(u, alpha1 / alphaS, x, -sigma1 * phi11, m0);
                    if (!Stage(context, u, step, s1, v, m1)) return;
                    FlowRunContext<T>.Combine(x, alphaT / alphaS, x, -sigmaT * phi1 * (1 - 0.5 / r1), m0);
                    FlowRunContext<T>.AddScaled(x, x, -0.5 / r1 * sigmaT * phi1, m1);
                }
            }
            else
            {
                double s2 = sch.TimeAtLambda(lambdaS + r2 * h);
                double alpha2 = sch.Alpha(s2), sigma2 = sch.Sigma(s2);
                if (data)
                {
                    double phi11 = FloatingPoint.ExpM1(-r1 * h), phi12 = FloatingPoint.ExpM1(-r2 * h), phi1 = FloatingPoint.ExpM1(-h);
                    double phi22 = FloatingPoint.ExpM1(-r2 * h) / (r2 * h) + 1, phi2 = phi1 / h + 1;
                    FlowRunContext<T>.Combine(u, sigma1 / sigmaS, x, -alpha1 * phi11, m0);
                    if (!Stage(context, u, step, s1, v, m1)) return;
                    // u₂ = (σ₂/σ_s)x − α₂φ₁₂·m₀ + (r₂/r₁)·α₂φ₂₂·(m₁ − m₀)
                    double c = r2 / r1 * alpha2 * phi22;
                    FlowRunContext<T>.Combine(u, sigma2 / sigmaS, x, -alpha2 * phi12 - c, m0);
                    FlowRunContext<T>.AddScaled(u, u, c, m1);
                    if (!Stage(context, u, step, s2, v, m2)) return;
                    // x_t = (σ_t/σ_s)x − α_tφ₁·m₀ + (1/r₂)·α_tφ₂·(m₂ − m₀)
                    double d = alphaT * phi2 / r2;
                    FlowRunContext<T>.Combine(x, sigmaT / sigmaS, x, -alphaT * phi1 - d, m0);
                    FlowRunContext<T>.AddScaled(x, x, d, m2);
                }
                else
                {
                    double phi11 = FloatingPoint.ExpM1(r1 * h), phi12 = FloatingPoint.ExpM1(r2 * h), phi1 = FloatingPoint.ExpM1(h);
                    double phi22 = FloatingPoint.ExpM1(r2 * h) / (r2 * h) - 1, phi2 = phi1 / h - 1;
                    FlowRunContext<T>.Combine(u, alpha1 / alphaS, x, -sigma1 * phi11, m0);
                    if (!Stage(context, u, step, s1, v, m1)) return;
                    // u₂ = (α₂/α_s)x − σ₂φ₁₂·m₀ − (r₂/r₁)·σ₂φ₂₂·(m₁ − m₀)
                    double c = r2 / r1 * sigma2 * phi22;
                    FlowRunContext<T>.Combine(u, alpha2 / alphaS, x, -sigma2 * phi12 + c, m0);
                    FlowRunContext<T>.AddScaled(u, u, -c, m1);
                    if (!Stage(context, u, step, s2, v, m2)) return;
                    // x_t = (α_t/α_s)x − σ_tφ₁·m₀ − (1/r₂)·σ_tφ₂·(m₂ − m₀)
                    double d = sigmaT * phi2 / r2;
                    FlowRunContext<T>.Combine(x, alphaT / alphaS, x, -sigmaT * phi1 + d, m0);
                    FlowRunContext<T>.AddScaled(x, x, -d, m2);
                }
            }
            context.CompleteStep(step);
        }
    }

    /// <summary>Evaluates the model at a stage state and converts the velocity into the expanded prediction.</summary>
    private bool Stage<T>(FlowRunContext<T> context, ReadOnlySpan<T> at, int step, double level, Span<T> velocity, Span<T> prediction)
        where T : IFloatingPointIeee754<T>
    {
        if (!context.Evaluate(at, step, level, true, velocity)) return false;
        DpmSteps.Prediction(context, Prediction, at, velocity, level, prediction);
        return true;
    }

    internal static bool FiniteStep(NoiseSchedule schedule, double s, double t) =>
        double.IsFinite(schedule.Lambda(s)) && double.IsFinite(schedule.Lambda(t));
}
