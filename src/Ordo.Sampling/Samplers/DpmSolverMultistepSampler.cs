using System.Numerics;
using System.Numerics.Tensors;

namespace Ordo.Sampling;

/// <summary>
/// Multistep DPM-Solver (noise prediction) and DPM-Solver++ (data prediction) of order 2 or 3: one model evaluation per
/// step, the earlier outputs supply the higher-order terms (Lu et al., "DPM-Solver++", arXiv 2211.01095, Algorithm 2 and
/// §4; code LuChengTHU/dpm-solver <c>multistep_dpm_solver_*_update</c>). DPM-Solver++(2M) is the reference
/// recommendation for guided sampling.
/// </summary>
/// <remarks>
/// <para>Warm-up and ending follow the reference: step i (1-based) of N uses order min(order, i), and with
/// <see cref="LowerOrderFinal"/> and N &lt; 10 also at most N + 1 − i; the model is not evaluated at the final time.
/// A step touching a point where λ is infinite, or whose history reaches one, takes the first-order (DDIM = Euler)
/// step, as flows.md §4.5 prescribes for rectified flow (τ = 1 and τ = 0); heavy-ball momentum starts at the first
/// true order-2 step.</para>
/// <para><see cref="D2Scale"/>: the reference's third-order update feeds D2 = (D1₀ − D1₁)/(r₀ + r₁) ≈ (h²/2)·m″ to a
/// coefficient that belongs to h²·m″, so "3M" as coded is only second order (flows.md §4.6, measured there and in
/// Ordo's tests). D2Scale = 1 reproduces the reference (the default, for output compatibility with DPM-Solver and
/// diffusers); D2Scale = 2 is the true third-order update (observed only when the warm-up values are accurate
/// enough, since a first-order start leaves an O(h²) error).</para>
/// <para><see cref="HeavyBallBeta"/> &lt; 1 adds Polyak heavy-ball momentum to the order-2 data-prediction update,
/// V ← (1 − β)·V + β·(D_s + ½·D1), x_t = (σ_t/σ_s)·x_s − α_t(e^{−h} − 1)·V (Wizadwongsa et al., "Diffusion Sampling
/// with Momentum for Mitigating Divergence Artifacts", ICLR 2024, arXiv 2307.11118; code sWizad/momentum-diffusion
/// <c>MomentumDPMSolverMultistepScheduler</c>); it enlarges the stability region and makes the method first order.</para>
/// </remarks>
public sealed class DpmSolverMultistepSampler : FlowSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="order">2 or 3 (order 1 is DDIM: use <c>euler</c>).</param>
    /// <param name="prediction">Noise (DPM-Solver) or data (DPM-Solver++).</param>
    /// <param name="lowerOrderFinal">Lower the order near the end when N &lt; 10 (reference default true).</param>
    /// <param name="d2Scale">Multiplier of the third-order D2 term: 1 as in the reference, 2 for true third order.</param>
    /// <param name="heavyBallBeta">Heavy-ball momentum β ∈ (0, 1] for order-2 data prediction; 1 means none.</param>
    public DpmSolverMultistepSampler(int order, DpmPrediction prediction, bool lowerOrderFinal = true, double d2Scale = 1, double heavyBallBeta = 1)
    {
        if (order is < 2 or > 3) throw new ArgumentOutOfRangeException(nameof(order), order, "A multistep DPM-Solver has order 2 or 3.");
        Guard.Finite(d2Scale, nameof(d2Scale));
        if (!(heavyBallBeta > 0 && heavyBallBeta <= 1)) throw new ArgumentOutOfRangeException(nameof(heavyBallBeta), heavyBallBeta, "The momentum β must lie in (0, 1].");
        if (heavyBallBeta != 1 && (order != 2 || prediction != DpmPrediction.Data))
            throw new ArgumentException("Heavy-ball momentum is defined for DPM-Solver++(2M) (order 2, data prediction) only.", nameof(heavyBallBeta));
        StepOrder = order;
        Prediction = prediction;
        LowerOrderFinal = lowerOrderFinal;
        D2Scale = d2Scale;
        HeavyBallBeta = heavyBallBeta;
    }

    /// <summary>Noise or data prediction.</summary>
    public DpmPrediction Prediction { get; }
    /// <summary>Lower the order on the last steps when N &lt; 10.</summary>
    public bool LowerOrderFinal { get; }
    /// <summary>Multiplier of the D2 term of the third-order update (1: reference, 2: true third order).</summary>
    public double D2Scale { get; }
    /// <summary>Heavy-ball momentum β (1: none).</summary>
    public double HeavyBallBeta { get; }

    /// <inheritdoc/>
    public override string Name =>
        (Prediction == DpmPrediction.Noise ? $"dpm-solver-{StepOrder}m" : $"dpm-solver++{StepOrder}m")
        + (HeavyBallBeta != 1 ? "-hb" : "") + (D2Scale == 2 ? "-true3" : "");
    /// <inheritdoc/>
    public override string DisplayName =>
        (Prediction == DpmPrediction.Noise ? $"DPM-Solver-{StepOrder}M" : $"DPM-Solver++({StepOrder}M)") + (HeavyBallBeta != 1 ? " + HB" : "")
        + (D2Scale == 2 ? ", D2 doubled" : "");
    /// <inheritdoc/>
    public override string Description => HeavyBallBeta != 1
        ? $"DPM-Solver++(2M) with heavy-ball momentum β = {HeavyBallBeta}: 1 evaluation per step, first order, larger stability region."
        : $"Multistep exponential integrator in log-SNR, {(Prediction == DpmPrediction.Noise ? "noise" : "data")} prediction, order {StepOrder}"
          + (StepOrder == 3 ? (D2Scale == 2 ? " (D2 doubled: true third order)" : " (reference D2: second order in practice)") : "") + ": 1 evaluation per step.";
    /// <inheritdoc/>
    public override string Source => HeavyBallBeta != 1
        ? "Wizadwongsa et al., Diffusion Sampling with Momentum for Mitigating Divergence Artifacts, ICLR 2024 (arXiv 2307.11118)"
        : Prediction == DpmPrediction.Noise
            ? "Lu et al., DPM-Solver, NeurIPS 2022 (arXiv 2206.00927); multistep form from DPM-Solver++, arXiv 2211.01095"
            : "Lu et al., DPM-Solver++: Fast Solver for Guided Sampling of Diffusion Probabilistic Models, arXiv 2211.01095";
    /// <inheritdoc/>
    public override int Order => HeavyBallBeta < 1 ? 1 : D2Scale == 2 ? 3 : StepOrder == 3 ? 2 : StepOrder;

    /// <summary>The multistep order (2 or 3): how many earlier outputs a full-order step combines.</summary>
    public int StepOrder { get; }
    /// <inheritdoc/>
    public override int WorkBuffers => 6;

    /// <inheritdoc/>
    public override int EvaluationsPerPass(ReadOnlySpan<double> noiseLevels, NoiseSchedule schedule) => noiseLevels.Length - 1;

    /// <summary>The order used on step <paramref name="i"/> (1-based) of <paramref name="n"/>.</summary>
    internal int OrderOfStep(int i, int n)
    {
        int o = Math.Min(StepOrder, i);
        if (LowerOrderFinal && n < 10) o = Math.Min(o, n + 1 - i);
        return o;
    }

    /// <inheritdoc/>
    public override void Run<T>(FlowRunContext<T> context)
    {
        NoiseSchedule sch = context.Schedule;
        Span<T> x = context.Points;
        Span<T> v = context.Buffer(0), scratch = context.Buffer(4), velocityMomentum = context.Buffer(5);
        ReadOnlySpan<double> levels = context.NoiseLevels;
        int n = context.Steps;
        bool data = Prediction == DpmPrediction.Data;
        bool momentum = HeavyBallBeta != 1, momentumStarted = false;
        // History of model outputs (newest first) in buffers 1..3 and their λ.
        Span<int> slot = [1, 2, 3];
        Span<double> lambdas = [double.NaN, double.NaN, double.NaN];
        if (!context.Evaluate(x, 0, levels[0], false, v)) return;
        DpmSteps.Prediction(context, Prediction, x, v, levels[0], context.Buffer(slot[0]));
        lambdas[0] = sch.Lambda(levels[0]);
        T[][]? exact = context.ExactStates;
        for (int step = 0; step < n; step++)
        {
            double s = levels[step], t = levels[step + 1];
            int o = OrderOfStep(step + 1, n);
            double lambdaS = lambdas[0], lambdaT = sch.Lambda(t);
            // A history value at infinite λ (τ = 1 or 0 of rectified flow) makes the step first order (flows.md §4.5).
            if (o >= 2 && !double.IsFinite(lambdas[1])) o = 1;
            if (o == 3 && !double.IsFinite(lambdas[2])) o = 1;
            if (exact is not null && step < StepOrder - 1)
            {
                exact[step].CopyTo(x);
            }
            else if (o == 1 || !double.IsFinite(lambdaS) || !double.IsFinite(lambdaT))
            {
                DpmSteps.FirstOrder(context, x, v, s, t, scratch);
            }
            else
            {
                double h = lambdaT - lambdaS;
                double i0 = h / (lambdaS - lambdas[1]);
                double i1 = o == 3 ? h / (lambdas[1] - lambdas[2]) : 0;
                double alphaS = sch.Alpha(s), sigmaS = sch.Sigma(s), alphaT = sch.Alpha(t), sigmaT = sch.Sigma(t);
                Span<T> m0 = context.Buffer(slot[0]), m1 = context.Buffer(slot[1]), m2 = context.Buffer(slot[2]);
                if (momentum)
                {
                    // d = m0 + ½·D1₀, V ← (1 − β)V + βd, x_t = (σ_t/σ_s)x − α_t(e^{−h} − 1)·V
                    FlowRunContext<T>.Combine(scratch, 1 + 0.5 * i0, m0, -0.5 * i0, m1);
                    if (!momentumStarted) { scratch.CopyTo(velocityMomentum); momentumStarted = true; }
                    else FlowRunContext<T>.Combine(velocityMomentum, 1 - HeavyBallBeta, velocityMomentum, HeavyBallBeta, scratch);
                    FlowRunContext<T>.Combine(x, sigmaT / sigmaS, x, -alphaT * FloatingPoint.ExpM1(-h), velocityMomentum);
                }
                else
                {
                    // x_t = A·x + B·m0 + P·D1₀ + Q·D1₁ with D1₀ = (m0 − m1)·i0, D1₁ = (m1 − m2)·i1.
                    double a, b, p, q = 0;
                    if (data)
                    {
                        double phi1 = FloatingPoint.ExpM1(-h);
                        a = sigmaT / sigmaS;
                        b = -alphaT * phi1;
                        if (o == 2) p = -0.5 * alphaT * phi1;
                        else
                        {
                            double phi2 = phi1 / h + 1, phi3 = phi2 / h - 0.5;
                            (double w1, double w2) = ThirdOrderWeights(i0, i1);
                            p = alphaT * phi2 * (1 + w1) - alphaT * phi3 * D2Scale * w2;
                            q = -alphaT * phi2 * w1 + alphaT * phi3 * D2Scale * w2;
                        }
                    }
                    else
                    {
                        double phi1 = FloatingPoint.ExpM1(h);
                        a = alphaT / alphaS;
                        b = -sigmaT * phi1;
                        if (o == 2) p = -0.5 * sigmaT * phi1;
                        else
                        {
                            double phi2 = phi1 / h - 1, phi3 = phi2 / h - 0.5;
                            (double w1, double w2) = ThirdOrderWeights(i0, i1);
                            p = -sigmaT * phi2 * (1 + w1) - sigmaT * phi3 * D2Scale * w2;
                            q = sigmaT * phi2 * w1 + sigmaT * phi3 * D2Scale * w2;
                        }
                    }
                    TensorPrimitives.Multiply(x, T.CreateChecked(a), x);
                    TensorPrimitives.MultiplyAdd(m0, T.CreateChecked(b + p * i0), x, x);
                    double c1 = -p * i0 + q * i1, c2 = -q * i1;
                    if (c1 != 0) TensorPrimitives.MultiplyAdd(m1, T.CreateChecked(c1), x, x);
                    if (c2 != 0) TensorPrimitives.MultiplyAdd(m2, T.CreateChecked(c2), x, x);
                }
            }
            context.CompleteStep(step);
            if (step == n - 1) break;
            if (!context.Evaluate(x, step + 1, t, false, v)) return;
            // Rotate the history: the oldest slot receives the new output.
            (slot[0], slot[1], slot[2]) = (slot[2], slot[0], slot[1]);
            (lambdas[0], lambdas[1], lambdas[2]) = (lambdaT, lambdas[0], lambdas[1]);
            DpmSteps.Prediction(context, Prediction, x, v, t, context.Buffer(slot[0]));
        }
    }

    /// <summary>
    /// With D1 = (1 + w1)·D1₀ − w1·D1₁ and D2 = w2·(D1₀ − D1₁): w1 = r₀/(r₀ + r₁), w2 = 1/(r₀ + r₁), written with the
    /// inverses i = 1/r.
    /// </summary>
    private static (double W1, double W2) ThirdOrderWeights(double i0, double i1)
    {
        double sum = i0 + i1;
        return sum == 0 ? (0, 0) : (i1 / sum, i0 * i1 / sum);
    }
}
