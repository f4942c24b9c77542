using System.Numerics;

namespace Ordo.Sampling.Tests;

/// <summary>Evaluation counts, equivalences, conventions, precision, failures and allocation of the samplers.</summary>
public class SamplerBehaviourTests
{
    /// <summary>NFE per pass (flows.md §12 item 4): Euler N, Heun/midpoint/RF-Solver 2N, FireFlow N + 1, RK4 4N,
    /// multistep N, singlestep order k on [1, 0]: k(N − 2) + 2; counted by running, and predicted without running.</summary>
    [Theory]
    [InlineData("euler", 8, 8)]
    [InlineData("heun", 8, 16)]
    [InlineData("midpoint", 8, 16)]
    [InlineData("rf-solver", 8, 16)]
    [InlineData("fireflow", 8, 9)]
    [InlineData("fireflow", 15, 16)]
    [InlineData("rk4", 8, 32)]
    [InlineData("dpm-solver-2", 8, 14)]
    [InlineData("dpm-solver-3", 8, 20)]
    [InlineData("dpm-solver++2m", 8, 8)]
    [InlineData("dpm-solver++3m", 20, 20)]
    [InlineData("momentum-ghvb", 8, 8)]
    public void Evaluation_counts_per_pass(string sampler, int steps, int expected)
    {
        var solver = new FlowSolver<double>(GaussianMixtureFlow.Gmm2(), FlowSamplers.Get(sampler), FlowTimeGrid.Uniform(steps));
        Assert.Equal(expected, solver.EvaluationsPerPass);
        double[] x = [0.3, -0.7, -1.2, 0.4];   // a batch of two points is still one evaluation per call
        FlowRunResult r = solver.Sample(x);
        Assert.Equal(expected, r.Evaluations);
        Assert.Equal(steps, r.StepsCompleted);
        Assert.Equal(expected, solver.Invert(x).Evaluations);
    }

    /// <summary>Inversion plus editing: FireFlow 18 vs RF-Solver 32 at N = 8, 32 vs 60 at N = 15 (the paper's NFE columns).</summary>
    [Theory]
    [InlineData(8, 18, 32)]
    [InlineData(15, 32, 60)]
    public void Editing_costs_match_the_papers_nfe_columns(int steps, int fireflow, int rfSolver)
    {
        var gmm = GaussianMixtureFlow.Gmm2();
        double[] noise = new double[2], output = new double[2];
        foreach ((string name, int nfe) in new[] { ("fireflow", fireflow), ("rf-solver", rfSolver) })
        {
            var solver = new FlowSolver<double>(gmm, FlowSamplers.Get(name), FlowTimeGrid.Uniform(steps));
            Assert.Equal(nfe, solver.Edit(FlowTestData.Gmm2XA, FlowCondition.Class(0), FlowCondition.Class(1), noise, output).Evaluations);
        }
    }

    /// <summary>RF-Solver's Taylor form equals the explicit midpoint step to 1e-15 relative (flows.md §12 item 5).</summary>
    [Fact]
    public void Rf_solver_is_the_midpoint_rule()
    {
        foreach (FlowTimeGrid grid in new[] { FlowTimeGrid.Uniform(8), FlowTimeGrid.FluxShifted(10, 1.15) })
        {
            double[] a = [0.3, -0.7, 0.2], b = (double[])a.Clone();
            new FlowSolver<double>(GaussianMixtureFlow.Gmm3(), FlowSamplers.RfSolver, grid).Sample(a);
            new FlowSolver<double>(GaussianMixtureFlow.Gmm3(), FlowSamplers.Midpoint, grid).Sample(b);
            for (int j = 0; j < 3; j++) Assert.Equal(b[j], a[j], 1e-15 * Math.Abs(b[j]) * 4);
        }
    }

    /// <summary>A copy of the rectified-flow schedule that the DPM code does not recognise, so it takes its general
    /// (product-form DDIM) path.</summary>
    private sealed class LinearSchedule : NoiseSchedule
    {
        public override string Name => "linear-copy";
        public override double NoiseTime => 1;
        public override double DataTime => 0;
        public override double LogAlpha(double t) => Math.Log(1 - t);
        public override double Alpha(double t) => 1 - t;
        public override double Sigma(double t) => t;
        public override double AlphaDerivative(double t) => -1;
        public override double SigmaDerivative(double t) => 1;
        public override double TimeAtLambda(double lambda) => 1 / (1 + Math.Exp(lambda));
    }

    /// <summary>DDIM = DPM-Solver-1 = DPM-Solver++(1) = Euler in τ under α = 1 − τ, σ = τ, also through the general
    /// product-form first-order step (flows.md §4.4, §12 item 5), including the end points where λ is infinite.</summary>
    [Fact]
    public void First_order_dpm_steps_are_euler()
    {
        var options = new FlowSolverOptions { Schedule = new LinearSchedule() };
        foreach (DpmPrediction prediction in new[] { DpmPrediction.Noise, DpmPrediction.Data })
        {
            double[] a = [0.3, -0.7, 0.2], b = (double[])a.Clone();
            var dpm1 = new FlowSolver<double>(GaussianMixtureFlow.Gmm3(), new DpmSolverSinglestepSampler(1, prediction), FlowTimeGrid.Uniform(12), options);
            dpm1.Sample(a);
            new FlowSolver<double>(GaussianMixtureFlow.Gmm3(), FlowSamplers.Euler, FlowTimeGrid.Uniform(12)).Sample(b);
            for (int j = 0; j < 3; j++) Assert.Equal(b[j], a[j], 1e-14);
            dpm1.Invert(a);
            new FlowSolver<double>(GaussianMixtureFlow.Gmm3(), FlowSamplers.Euler, FlowTimeGrid.Uniform(12)).Invert(b);
            for (int j = 0; j < 3; j++) Assert.Equal(b[j], a[j], 1e-14);
        }
    }

    /// <summary>Momentum samplers with β = 1 are their base solvers: HB and GHVB on AB-k are PLMS-k, DPM-Solver++(2M) + HB is 2M.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Momentum_with_beta_one_is_the_base_solver(int k)
    {
        double[] Run(FlowSampler s)
        {
            double[] x = [0.3, -0.7, 0.2];
            new FlowSolver<double>(GaussianMixtureFlow.Gmm3(), s, FlowTimeGrid.Uniform(16)).Sample(x);
            return x;
        }
        double[] plms = Run(new MomentumSampler(MomentumKind.None, k));
        foreach (MomentumKind kind in new[] { MomentumKind.HeavyBall, MomentumKind.GeneralizedHeavyBall, MomentumKind.Nesterov })
        {
            double[] m = Run(new MomentumSampler(kind, k, 1));
            for (int j = 0; j < 3; j++) Assert.Equal(plms[j], m[j], 1e-14);
        }
        if (k == 1)
        {
            double[] euler = Run(FlowSamplers.Euler);
            for (int j = 0; j < 3; j++) Assert.Equal(euler[j], plms[j], 1e-15);
        }
        double[] dpm = Run(new DpmSolverMultistepSampler(2, DpmPrediction.Data));
        double[] dpmHb = Run(new DpmSolverMultistepSampler(2, DpmPrediction.Data, heavyBallBeta: 1));
        Assert.Equal(dpm, dpmHb);
        // And momentum changes the result when β < 1.
        Assert.NotEqual(plms[0], Run(new MomentumSampler(MomentumKind.HeavyBall, k, 0.8))[0], 1e-6);
    }

    /// <summary>The reference's single "order" parameter: 1.5 → k = 2, β = 0.5; 3.8 → k = 4, β = 0.8; 3 → k = 3, β = 1.</summary>
    [Fact]
    public void Momentum_order_parameter_is_decoded_like_the_reference()
    {
        MomentumSampler a = MomentumSampler.FromOrderParameter(MomentumKind.GeneralizedHeavyBall, 1.5);
        Assert.Equal((2, 0.5), (a.StepOrder, a.Beta));
        Assert.Equal(2, a.Order);
        MomentumSampler b = MomentumSampler.FromOrderParameter(MomentumKind.HeavyBall, 3.8);
        Assert.Equal(4, b.StepOrder);
        Assert.Equal(1, b.Order);   // heavy ball with β < 1 is first order
        Assert.Equal(0.8, b.Beta, 1e-12);
        MomentumSampler c = MomentumSampler.FromOrderParameter(MomentumKind.None, 3);
        Assert.Equal((3, 1.0), (c.StepOrder, c.Beta));
        Assert.Equal(3, c.Order);
        Assert.Equal(1, FlowSamplers.Get("dpm-solver++2m-hb").Order);
        Assert.Equal(2, FlowSamplers.Get("dpm-solver++3m").Order);
        Assert.Equal(3, FlowSamplers.Get("dpm-solver++3m-true3").Order);
        Assert.Equal(FlowSamplers.All.Count, FlowSamplers.All.Select(x => x.DisplayName).Distinct().Count());
        Assert.Equal(FlowSamplers.All.Count, FlowSamplers.Names.Distinct().Count());
    }

    /// <summary>The same field in rectified-flow time (noise at 0) gives the same samples: the solver converts, nothing is implied.</summary>
    [Theory]
    [InlineData("fireflow")]
    [InlineData("dpm-solver++2m")]
    [InlineData("dpm-solver-3")]
    public void Both_time_conventions_give_the_same_result(string sampler)
    {
        var gmm = GaussianMixtureFlow.Gmm2();
        IVelocityModel<double> rfTime = gmm.WithTimeConvention(FlowTimeConvention.NoiseAtZero);
        Assert.Equal(FlowTimeConvention.NoiseAtZero, rfTime.TimeConvention);
        double[] a = [0.3, -0.7], b = [0.3, -0.7];
        new FlowSolver<double>(gmm, FlowSamplers.Get(sampler), FlowTimeGrid.FluxShifted(9, 0.63)).Sample(a);
        new FlowSolver<double>(rfTime, FlowSamplers.Get(sampler), FlowTimeGrid.FluxShifted(9, 0.63)).Sample(b);
        for (int j = 0; j < 2; j++) Assert.Equal(a[j], b[j], 1e-14);
    }

    /// <summary>Float32 batches run through the same code and land within single-precision error of the double result.</summary>
    [Theory]
    [InlineData("fireflow")]
    [InlineData("dpm-solver++3m")]
    [InlineData("momentum-ghvb")]
    [InlineData("rk4")]
    public void Float_and_double_agree(string sampler)
    {
        var gmm = GaussianMixtureFlow.Gmm3();
        double[] d = [0.3, -0.7, 0.2, -0.5, 0.9, -1.1];
        float[] f = d.Select(v => (float)v).ToArray();
        new FlowSolver<double>(gmm, FlowSamplers.Get(sampler), FlowTimeGrid.Uniform(20)).Sample(d);
        FlowRunResult r = new FlowSolver<float>(gmm, FlowSamplers.Get(sampler), FlowTimeGrid.Uniform(20)).Sample(f);
        Assert.True(r.Succeeded);
        for (int i = 0; i < d.Length; i++) Assert.Equal(d[i], f[i], 2e-5);
    }

    /// <summary>A velocity that turns NaN at some time: the status says so, names the step, and the points hold the state
    /// at the start of the failed step (the state a clean run has after the steps before it).</summary>
    [Theory]
    [InlineData("fireflow")]
    [InlineData("heun")]
    [InlineData("dpm-solver-3")]
    [InlineData("dpm-solver++2m")]
    [InlineData("momentum-hb")]
    public void Nan_from_the_model_is_a_status_and_nothing_is_lost(string sampler)
    {
        var gmm = GaussianMixtureFlow.Gmm2();
        var poisoned = new PoisonedModel(gmm, belowLevel: 0.4);
        var grid = FlowTimeGrid.Uniform(8);
        double[] x = [0.3, -0.7];
        FlowRunResult r = new FlowSolver<double>(poisoned, FlowSamplers.Get(sampler), grid).Sample(x);
        Assert.Equal(FlowStatus.NonFiniteVelocity, r.Status);
        Assert.Contains("NaN", r.Message);
        Assert.Contains($"step {r.StepsCompleted + 1} of 8", r.Message);
        Assert.All(x, v => Assert.True(double.IsFinite(v)));
        // The clean run over the completed steps ends where the failed run stopped.
        double[] clean = [0.3, -0.7];
        var partial = FlowTimeGrid.FromTimes(grid.NoiseLevels[..(r.StepsCompleted + 1)].ToArray(), FlowTimeConvention.NoiseAtOne);
        if (r.StepsCompleted > 0 && sampler is "fireflow" or "heun" or "dpm-solver-3")
        {
            new FlowSolver<double>(gmm, FlowSamplers.Get(sampler), partial).Sample(clean);
            Assert.Equal(clean, x);
        }
        Assert.Equal("nonfinite_velocity", r.Status.ToIdentifier());
    }

    private sealed class PoisonedModel(IVelocityModel<double> inner, double belowLevel) : IVelocityModel<double>
    {
        public int Dimension => inner.Dimension;
        public FlowTimeConvention TimeConvention => inner.TimeConvention;
        public void Evaluate(ReadOnlySpan<double> points, int count, double time, in FlowCondition condition, Span<double> velocity)
        {
            inner.Evaluate(points, count, time, condition, velocity);
            if (time < belowLevel) velocity[^1] = double.NaN;
        }
    }

    [Fact]
    public void Cancellation_is_a_status()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var solver = new FlowSolver<double>(GaussianMixtureFlow.Gmm2(), FlowSamplers.FireFlow, FlowTimeGrid.Uniform(8),
            new FlowSolverOptions { CancellationToken = cts.Token });
        double[] x = [0.3, -0.7];
        FlowRunResult r = solver.Sample(x);
        Assert.Equal(FlowStatus.Cancelled, r.Status);
        Assert.Equal([0.3, -0.7], x);
    }

    [Fact]
    public void Bad_input_gets_specific_exceptions()
    {
        var gmm = GaussianMixtureFlow.Gmm2();
        var solver = new FlowSolver<double>(gmm, FlowSamplers.FireFlow, FlowTimeGrid.Uniform(8));
        Assert.Contains("multiple of the model dimension 2", Assert.Throws<ArgumentException>(() => solver.Sample(new double[3])).Message);
        Assert.Contains("must be finite", Assert.Throws<ArgumentException>(() => solver.Sample([0.0, double.NaN])).Message);
        Assert.Throws<ArgumentException>(() => solver.Sample(Array.Empty<double>()));
        Assert.Contains("Known samplers", Assert.Throws<ArgumentException>(() => FlowSamplers.Get("ddpm")).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => solver.Edit([1.8, 1.2], FlowCondition.Class(0), FlowCondition.Class(1), new double[2], new double[2],
            new FlowEditOptions { InjectionSteps = 9 }));
        Assert.Throws<ArgumentException>(() => solver.Reconstruct([1.8, 1.2], new double[3], new double[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DpmSolverSinglestepSampler(4, DpmPrediction.Data));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DpmSolverMultistepSampler(1, DpmPrediction.Data));
        Assert.Throws<ArgumentException>(() => new DpmSolverMultistepSampler(3, DpmPrediction.Data, heavyBallBeta: 0.8));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MomentumSampler(MomentumKind.HeavyBall, 2, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MomentumSampler(MomentumKind.HeavyBall, 5, 0.5));
    }

    /// <summary>After the first call, sampling allocates only its small result object, whatever the number of steps.</summary>
    [Theory]
    [InlineData("fireflow")]
    [InlineData("dpm-solver++3m")]
    [InlineData("dpm-solver-3")]
    [InlineData("momentum-ghvb")]
    [InlineData("rk4")]
    public void Sampling_allocates_only_the_result(string sampler)
    {
        var gmm = GaussianMixtureFlow.Gmm3();
        long Allocated(int steps)
        {
            var solver = new FlowSolver<double>(gmm, FlowSamplers.Get(sampler), FlowTimeGrid.Uniform(steps));
            double[] x = new double[64 * 3];
            solver.Sample(x);
            long before = GC.GetAllocatedBytesForCurrentThread();
            solver.Sample(x);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        long few = Allocated(8), many = Allocated(200);
        Assert.Equal(few, many);
        Assert.True(few <= 128, $"{few} bytes per call");
    }

    /// <summary>Linear stability on y' = λy (flows.md §1.2, §5.3, §12 item 13): FireFlow's real interval is [−1, 0] (decays
    /// at z = −0.99, grows by more than 1e9 over 400 steps at z = −1.05); the midpoint rule's is [−2, 0]; heavy ball on
    /// AB2 stretches AB2's interval 1 by (2 − β)/β = 1.5 at β = 0.8.</summary>
    [Theory]
    [InlineData("fireflow", -0.99, true)]
    [InlineData("fireflow", -1.05, false)]
    [InlineData("midpoint", -1.98, true)]
    [InlineData("midpoint", -2.05, false)]
    [InlineData("plms-2", -0.97, true)]
    [InlineData("plms-2", -1.05, false)]
    [InlineData("momentum-hb", -1.45, true)]
    [InlineData("momentum-hb", -1.55, false)]
    public void Real_stability_intervals(string sampler, double z, bool stable)
    {
        const int steps = 400;
        var model = new LinearModel(-z * steps);   // sampling steps are h = −1/N, so hλ = z with λ = −z·N
        double[] x = [1.0];
        new FlowSolver<double>(model, FlowSamplers.Get(sampler), FlowTimeGrid.Uniform(steps), new FlowSolverOptions { CheckFinite = false }).Sample(x);
        if (stable) Assert.True(Math.Abs(x[0]) < 1, $"|y| = {Math.Abs(x[0])}");
        else Assert.True(Math.Abs(x[0]) > (sampler == "fireflow" ? 1e9 : 10), $"|y| = {Math.Abs(x[0])}");
    }

    private sealed class LinearModel(double lambda) : IVelocityModel<double>
    {
        public int Dimension => 1;
        public FlowTimeConvention TimeConvention => FlowTimeConvention.NoiseAtOne;
        public void Evaluate(ReadOnlySpan<double> points, int count, double time, in FlowCondition condition, Span<double> velocity)
        {
            for (int i = 0; i < count; i++) velocity[i] = lambda * points[i];
        }
    }

    /// <summary>
    /// The multistep third-order caveat in a scalar test (flows.md §4.6, §12 item 14): one 3M step from exact history on
    /// y' = f(y, τ) has local error O(h³) as coded (ratio → 8 per halving) and O(h⁴) with D2 doubled (ratio → 16).
    /// </summary>
    [Theory]
    [InlineData(1.0, 8)]
    [InlineData(2.0, 16)]
    public void Multistep_third_order_local_error(double d2Scale, double expectedRatio)
    {
        var gmm = GaussianMixtureFlow.Gmm3();
        double[] start = FlowTestData.TrajectoryState("GMM3", "sample", "z_a", "0.75");
        double LocalError(double h)
        {
            // Grid 0.75, 0.75 − h, 0.75 − 2h, 0.75 − 3h with exact states at the first three: only the last step is a 3M step.
            double[] levels = [0.75, 0.75 - h, 0.75 - 2 * h, 0.75 - 3 * h];
            var solver = new FlowSolver<double>(gmm, new DpmSolverMultistepSampler(3, DpmPrediction.Data, lowerOrderFinal: false, d2Scale: d2Scale),
                FlowTimeGrid.FromTimes(levels, FlowTimeConvention.NoiseAtOne));
            double[][] exact = [gmm.ReferenceFlow(start, 0.75, levels[1]), gmm.ReferenceFlow(start, 0.75, levels[2])];
            double[] x = (double[])start.Clone();
            solver.SampleWithExactStart(x, exact);
            return PublishedErrorTableTests.Distance(x, gmm.ReferenceFlow(start, 0.75, levels[3]));
        }
        double ratio = LocalError(0.04) / LocalError(0.02);
        double ratio2 = LocalError(0.02) / LocalError(0.01);
        Assert.InRange(ratio2, expectedRatio * 0.8, expectedRatio * 1.25);
        Assert.InRange(ratio, expectedRatio * 0.6, expectedRatio * 1.5);
    }
}
