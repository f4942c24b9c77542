namespace Ordo.Sampling.Tests;

/// <summary>Feature-injection hooks, the constant-acceleration sampler and diffusion (VP) models.</summary>
public class InjectionCafAndDiffusionTests
{
    /// <summary>Records what the samplers tell a feature-injection model, and stores/looks up a "feature" by key.</summary>
    private sealed class RecordingModel(IVelocityModel<double> inner) : IVelocityModel<double>, IFeatureInjectionModel
    {
        public readonly List<FlowEvaluationInfo> Calls = [];
        public int Dimension => inner.Dimension;
        public FlowTimeConvention TimeConvention => inner.TimeConvention;
        public void BeforeEvaluation(in FlowEvaluationInfo info) => Calls.Add(info);
        public void Evaluate(ReadOnlySpan<double> points, int count, double time, in FlowCondition condition, Span<double> velocity)
        {
            Assert.Equal(Calls[^1].NoiseLevel, time, 1e-15);
            inner.Evaluate(points, count, time, condition, velocity);
        }
    }

    /// <summary>
    /// The keys of flows.md §1.3: with the grid reversed exactly, every marked sampling evaluation finds an inversion
    /// evaluation with the same key and kind — except FireFlow's first-step grid-point evaluation, which has no inversion
    /// counterpart (the reference code then skips the replacement).
    /// </summary>
    [Theory]
    [InlineData("rf-solver", 1, 0)]
    [InlineData("rf-solver", 3, 0)]
    [InlineData("fireflow", 1, 1)]
    [InlineData("fireflow", 2, 1)]
    public void Injection_keys_of_inversion_and_sampling_match(string sampler, int inject, int unmatched)
    {
        var model = new RecordingModel(GaussianMixtureFlow.Gmm2());
        var solver = new FlowSolver<double>(model, FlowSamplers.Get(sampler), FlowTimeGrid.FluxShifted(8, 1.15));
        solver.Edit(FlowTestData.Gmm2XA, FlowCondition.Class(0), FlowCondition.Class(1), new double[2], new double[2],
            new FlowEditOptions { InjectionSteps = inject });
        var stored = model.Calls.Where(c => c.Pass == FlowPass.Inversion && c.Inject).ToList();
        var replaced = model.Calls.Where(c => c.Pass == FlowPass.Sampling && c.Inject).ToList();
        Assert.All(stored, c => Assert.True(c.Step >= 8 - inject));
        Assert.All(replaced, c => Assert.True(c.Step < inject));
        Assert.NotEmpty(replaced);
        int missing = replaced.Count(r => !stored.Any(s => s.Key == r.Key && s.IsIntermediate == r.IsIntermediate));
        Assert.Equal(unmatched, missing);
        // Unmarked steps are told so.
        Assert.Contains(model.Calls, c => !c.Inject);
    }

    /// <summary>An ideal constant-acceleration model of the affine coupling x₁ = μ + s ⊙ x₀ with initial-velocity
    /// scale h_c: v₀ = h_c(x₁ − x₀), a = 2(x₁ − x₀ − v₀), recovered from any point on the trajectory.</summary>
    private sealed class IdealCafModel(double[] mu, double[] s, double hc, FlowTimeConvention convention) : IConstantAccelerationModel<double>
    {
        public int Dimension => mu.Length;
        public FlowTimeConvention TimeConvention => convention;
        private double RfTime(double time) => convention == FlowTimeConvention.NoiseAtZero ? time : 1 - time;

        /// <summary>x₀ from a point z at RF time t: z = x₀ + (x₁ − x₀)·g(t), g = h_c·t + (1 − h_c)·t².</summary>
        private double Noise(double z, double t, int j)
        {
            double g = hc * t + (1 - hc) * t * t;
            return (z - mu[j] * g) / (1 + (s[j] - 1) * g);
        }

        public void InitialVelocity(ReadOnlySpan<double> points, int count, double time, in FlowCondition condition, Span<double> velocity)
        {
            double t = RfTime(time), sign = convention == FlowTimeConvention.NoiseAtZero ? 1 : -1;
            for (int i = 0; i < points.Length; i++)
            {
                int j = i % Dimension;
                double x0 = Noise(points[i], t, j);
                velocity[i] = sign * hc * (mu[j] + (s[j] - 1) * x0);
            }
        }

        public void Acceleration(ReadOnlySpan<double> points, int count, double time, ReadOnlySpan<double> initialVelocity, in FlowCondition condition, Span<double> acceleration)
        {
            double t = RfTime(time);
            for (int i = 0; i < points.Length; i++)
            {
                int j = i % Dimension;
                double x0 = Noise(points[i], t, j);
                acceleration[i] = 2 * (1 - hc) * (mu[j] + (s[j] - 1) * x0);
            }
        }
    }

    /// <summary>CAF with ideal fields reproduces the coupling exactly for any N and h_c (flows.md §6, §12 item 15), in
    /// N + 1 evaluations, in both directions and both time conventions.</summary>
    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 1.0)]
    [InlineData(7, 1.5)]
    [InlineData(7, 2.0)]
    [InlineData(2, 0.0)]
    public void Caf_is_exact_for_constant_acceleration(int n, double hc)
    {
        double[] mu = [1.5, -0.5], s = [0.4, 1.3];
        var caf = new ConstantAccelerationSampler();
        foreach (FlowTimeConvention convention in new[] { FlowTimeConvention.NoiseAtZero, FlowTimeConvention.NoiseAtOne })
        {
            var model = new IdealCafModel(mu, s, hc, convention);
            double[] x = [0.8, -1.1, -0.3, 0.6];
            FlowRunResult r = caf.Sample(model, x, FlowTimeGrid.Uniform(n));
            Assert.Equal(n + 1, r.Evaluations);
            double[] expected = [mu[0] + s[0] * 0.8, mu[1] + s[1] * -1.1, mu[0] + s[0] * -0.3, mu[1] + s[1] * 0.6];
            for (int i = 0; i < 4; i++) Assert.Equal(expected[i], x[i], 1e-14);
            r = caf.Invert(model, x, FlowTimeGrid.Uniform(n));
            Assert.Equal(n + 1, r.Evaluations);
            Assert.Equal(0.8, x[0], 1e-14);
            Assert.Equal(0.6, x[3], 1e-14);
        }
    }

    /// <summary>
    /// A VP-linear diffusion model seen through its noise prediction: the probability-flow velocity of the adapter equals
    /// the exact GMM velocity under that schedule, and the DPM samplers converge at their orders to the exact diffusion ODE
    /// on [1, 10⁻³] (λ finite), logSNR grid, N = 512 → 1024. The reference 3M is second order; with D2 doubled it shows
    /// third order here even after its first-order start, because that step sits at high noise where the data prediction
    /// hardly changes (the O(h²) start-up error has a tiny constant).
    /// </summary>
    [Theory]
    [InlineData("dpm-solver-3", 3)]
    [InlineData("dpm-solver++2s", 2)]
    [InlineData("dpm-solver++2m", 2)]
    [InlineData("dpm-solver++3m", 2)]
    [InlineData("dpm-solver++3m-true3", 3)]
    public void Diffusion_models_run_through_the_same_samplers(string sampler, double expectedOrder)
    {
        var vp = new VpLinearSchedule();
        var gmm = GaussianMixtureFlow.Gmm2(vp);
        var eps = new NoisePredictionVelocityModel<double>(gmm, vp);
        double[] x = [0.3, -0.7], v1 = new double[2], v2 = new double[2];
        foreach (double t in new[] { 0.9, 0.5, 0.1, 0.01 })
        {
            eps.Evaluate(x, 1, t, FlowCondition.None, v1);
            gmm.Evaluate(x, 1, t, FlowCondition.None, v2);
            for (int j = 0; j < 2; j++) Assert.Equal(v2[j], v1[j], 1e-10 * (1 + Math.Abs(v2[j])));
        }
        double[] exact = gmm.ReferenceFlow([0.3, -0.7], 1, vp.DataTime);
        var options = new FlowSolverOptions { Schedule = vp };
        double Error(int n)
        {
            double[] y = [0.3, -0.7];
            new FlowSolver<double>(eps, FlowSamplers.Get(sampler), FlowTimeGrid.LogSnrUniform(n, vp, 1, vp.DataTime), options).Sample(y);
            return PublishedErrorTableTests.Distance(y, exact);
        }
        double order = Math.Log2(Error(512) / Error(1024));
        Assert.InRange(order, expectedOrder - 0.15, expectedOrder + 0.15);
    }
}
