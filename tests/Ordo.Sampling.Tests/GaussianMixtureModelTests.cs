namespace Ordo.Sampling.Tests;

/// <summary>The exact Gaussian-mixture flow against independent routes to the same field (flows.md §8.1, §12 items 1–2).</summary>
public class GaussianMixtureModelTests
{
    private static readonly double[][] Points = [[0.3, -0.7, 0.2], [-1.2, 0.4, 1.1], [2.5, 1.5, -0.3], [0.05, 0.1, -2]];
    private static readonly double[] Levels = [0.97, 0.8, 0.5, 0.25, 0.03];

    /// <summary>v = (x − E[x_data | x])/τ in noise-level time, i.e. (E[x₁|x] − x)/(1 − t) in RF time, to 1e-14.</summary>
    [Fact]
    public void Velocity_equals_the_posterior_mean_route()
    {
        var gmm = GaussianMixtureFlow.Gmm3();
        double[] v = new double[3], d = new double[3];
        foreach (double[] x in Points)
        {
            foreach (double tau in Levels)
            {
                gmm.Evaluate(x, 1, tau, FlowCondition.None, v);
                gmm.PredictData(x, 1, tau, FlowCondition.None, d);
                for (int j = 0; j < 3; j++) Assert.Equal((x[j] - d[j]) / tau, v[j], 1e-14 * (1 + Math.Abs(v[j])));
            }
        }
    }

    /// <summary>
    /// v = (x + (1 − t)·∇log p_t(x))/t in RF time, i.e. −(x + τ·∇log p)/(1 − τ) in noise-level time, with the score by
    /// central differences (ε = 1e-5) of the mixture density written out here independently: to 1e-8.
    /// </summary>
    [Fact]
    public void Velocity_equals_the_score_route()
    {
        var gmm = GaussianMixtureFlow.Gmm3();
        double[] v = new double[3];
        foreach (double[] x in Points)
        {
            foreach (double tau in Levels)
            {
                gmm.Evaluate(x, 1, tau, FlowCondition.None, v);
                for (int j = 0; j < 3; j++)
                {
                    double[] xp = (double[])x.Clone(), xm = (double[])x.Clone();
                    xp[j] += 1e-5;
                    xm[j] -= 1e-5;
                    double score = (LogDensity(gmm, xp, tau) - LogDensity(gmm, xm, tau)) / 2e-5;
                    double expected = -(x[j] + tau * score) / (1 - tau);
                    Assert.True(Math.Abs(expected - v[j]) <= 1e-8 * (1 + Math.Abs(v[j])), $"τ = {tau}, j = {j}: {v[j]} vs {expected}");
                }
            }
        }
    }

    /// <summary>log p_τ(x) = log Σ π_k N(x; (1 − τ)μ_k, (1 − τ)²s_k² + τ²).</summary>
    private static double LogDensity(GaussianMixtureFlow gmm, double[] x, double tau)
    {
        double p = 0;
        foreach (GaussianComponent c in gmm.Components)
        {
            double log = Math.Log(c.Weight / gmm.Components.Sum(k => k.Weight));
            for (int j = 0; j < x.Length; j++)
            {
                double var = (1 - tau) * (1 - tau) * c.StandardDeviations[j] * c.StandardDeviations[j] + tau * tau;
                double r = x[j] - (1 - tau) * c.Mean[j];
                log += -0.5 * r * r / var - 0.5 * Math.Log(2 * Math.PI * var);
            }
            p += Math.Exp(log);
        }
        return Math.Log(p);
    }

    /// <summary>The analytic Jacobian against central differences of the velocity: to 1e-9.</summary>
    [Fact]
    public void Jacobian_matches_finite_differences()
    {
        var gmm = GaussianMixtureFlow.Gmm3();
        double[] jac = new double[9], vp = new double[3], vm = new double[3];
        foreach (double[] x in Points)
        {
            foreach (double tau in Levels)
            {
                gmm.Jacobian(x, tau, FlowCondition.None, jac);
                for (int col = 0; col < 3; col++)
                {
                    double[] xp = (double[])x.Clone(), xm = (double[])x.Clone();
                    xp[col] += 1e-6;
                    xm[col] -= 1e-6;
                    gmm.Evaluate(xp, 1, tau, FlowCondition.None, vp);
                    gmm.Evaluate(xm, 1, tau, FlowCondition.None, vm);
                    for (int row = 0; row < 3; row++)
                    {
                        double fd = (vp[row] - vm[row]) / 2e-6;
                        Assert.True(Math.Abs(fd - jac[row * 3 + col]) <= 1e-9 * (1 + Math.Abs(fd)) * 10,
                            $"τ = {tau}, ∂v{row}/∂x{col}: {jac[row * 3 + col]} vs {fd}");
                    }
                }
            }
        }
    }

    /// <summary>The boundary values v(x, τ = 1) = x − Σπμ and v(x, 0) = −x (flows.md §8.1, in noise-level time).</summary>
    [Fact]
    public void Boundary_values_are_the_closed_forms()
    {
        var gmm = GaussianMixtureFlow.Gmm2();
        double[] x = [0.7, -1.3], v = new double[2];
        gmm.Evaluate(x, 1, 1.0, FlowCondition.None, v);
        Assert.Equal(0.7 - (0.4 * 2 + 0.6 * -1.5), v[0], 1e-15);
        Assert.Equal(-1.3 - (0.4 * 1 + 0.6 * -0.5), v[1], 1e-15);
        gmm.Evaluate(x, 1, 0.0, FlowCondition.None, v);
        Assert.Equal(-0.7, v[0], 1e-15);
        Assert.Equal(1.3, v[1], 1e-15);
    }

    /// <summary>One Gaussian: RK4 with 2000 steps reproduces x(τ) = (1 − τ)μ + √(τ² + (1 − τ)²s²) ⊙ z to 1e-13.</summary>
    [Fact]
    public void Single_gaussian_flow_matches_the_closed_form()
    {
        double[] mu = [1.5, -0.5], s = [0.4, 1.3], z = [0.8, -1.1];
        var gmm = new GaussianMixtureFlow([new GaussianComponent(1, mu, s)]);
        double[] x = (double[])z.Clone();
        new FlowSolver<double>(gmm, FlowSamplers.RungeKutta4, FlowTimeGrid.Uniform(2000)).Sample(x);
        for (int j = 0; j < 2; j++) Assert.Equal(mu[j] + s[j] * z[j], x[j], 1e-13);
        // And back: the inverse map z = (x − μ)/s.
        new FlowSolver<double>(gmm, FlowSamplers.RungeKutta4, FlowTimeGrid.Uniform(2000)).Invert(x);
        for (int j = 0; j < 2; j++) Assert.Equal(z[j], x[j], 1e-13);
    }

    public static TheoryData<string, string, string, string> ReferenceEndpoints() => new()
    {
        { "GMM2", "sample", "z_a", "0.0" }, { "GMM2", "sample", "z_b", "0.0" }, { "GMM2", "sample", "z_c", "0.0" }, { "GMM2", "sample", "z_d", "0.0" },
        { "GMM2", "invert", "x_a", "1.0" }, { "GMM2", "invert", "x_b", "1.0" }, { "GMM2", "invert", "x_c", "1.0" },
        { "GMM3", "sample", "z_a", "0.0" }, { "GMM3", "sample", "z_b", "0.0" },
        { "GMM3", "invert", "x_a", "1.0" }, { "GMM3", "invert", "x_b", "1.0" },
        { "GMM2", "sample", "z_a", "0.5" },
    };

    /// <summary>Every reference endpoint of flows.md §8.4 by RK4 with 4000 steps and by the DOP853 reference solve: to 1e-10.</summary>
    [Theory]
    [MemberData(nameof(ReferenceEndpoints))]
    public void Reproduces_the_reference_endpoints(string model, string direction, string point, string end)
    {
        var gmm = model == "GMM2" ? GaussianMixtureFlow.Gmm2() : GaussianMixtureFlow.Gmm3();
        bool sample = direction == "sample";
        string start = sample ? "1.0" : "0.0";
        double[] x0 = FlowTestData.TrajectoryState(model, direction, point, start);
        double[] expected = FlowTestData.TrajectoryState(model, direction, point, end);
        double toLevel = double.Parse(end, System.Globalization.CultureInfo.InvariantCulture);

        double[] byDop853 = gmm.ReferenceFlow(x0, sample ? 1 : 0, toLevel);
        var grid = sample ? FlowTimeGrid.TimeUniform(4000, 1, toLevel) : FlowTimeGrid.Uniform(4000);
        double[] byRk4 = (double[])x0.Clone();
        var solver = new FlowSolver<double>(gmm, FlowSamplers.RungeKutta4, grid);
        if (sample) solver.Sample(byRk4);
        else solver.Invert(byRk4);
        for (int j = 0; j < expected.Length; j++)
        {
            Assert.Equal(expected[j], byDop853[j], 1e-10);
            Assert.Equal(expected[j], byRk4[j], 1e-10);
        }
    }

    /// <summary>GMM3 edit A = {0, 1} → B = {2} (A is a two-component class, so the class flow is nonlinear; flows.md §8.4).</summary>
    [Fact]
    public void Gmm3_class_edit_matches_the_reference()
    {
        var gmm = GaussianMixtureFlow.Gmm3();
        double[] z = gmm.ReferenceFlow(FlowTestData.Gmm3XA, 0, 1, FlowCondition.Class(0));
        double[] edited = gmm.ReferenceFlow(z, 1, 0, FlowCondition.Class(1));
        double[] zRef = [0.6626561908387372, 0.1717208377116055, -0.0661761441316546];
        double[] editRef = [0.231929666793558, -1.379795413601876, 0.970220735140756];
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(zRef[j], z[j], 1e-10);
            Assert.Equal(editRef[j], edited[j], 1e-10);
        }
    }

    /// <summary>Classifier-free guidance w = 2 towards class B on GMM2 from z_a (flows.md §8.4), counted as 2 evaluations per call.</summary>
    [Fact]
    public void Classifier_free_guidance_matches_the_reference_endpoint()
    {
        var cfg = new ClassifierFreeGuidanceModel<double>(GaussianMixtureFlow.Gmm2(), 2);
        var solver = new FlowSolver<double>(cfg, FlowSamplers.RungeKutta4, FlowTimeGrid.Uniform(4000));
        double[] x = (double[])FlowTestData.Gmm2ZA.Clone();
        FlowRunResult r = solver.Sample(x, FlowCondition.Class(1));
        Assert.Equal(-1.5370318131471137, x[0], 1e-10);
        Assert.Equal(-1.2086708943177678, x[1], 1e-10);
        Assert.Equal(2 * 4 * 4000, r.Evaluations);
        Assert.Equal(2 * 4 * 4000, solver.EvaluationsPerPass);
    }

    /// <summary>The exact GMM2 edit map of flows.md §8.4: x_a ↦ (−1.62, −0.18), x_b ↦ (−3.54, −2.42), x_c ↦ (−2.58, −1.62).</summary>
    [Fact]
    public void Exact_edit_map_of_single_gaussian_classes()
    {
        var gmm = GaussianMixtureFlow.Gmm2();
        double[] e = new double[2];
        Assert.True(gmm.TryExactEdit(FlowTestData.Gmm2XA, 0, 1, e));
        Assert.Equal([-1.62, -0.18], e.Select(v => Math.Round(v, 12)));
        Assert.True(gmm.TryExactEdit(FlowTestData.Gmm2XB, 0, 1, e));
        Assert.Equal([-3.54, -2.42], e.Select(v => Math.Round(v, 12)));
        Assert.True(gmm.TryExactEdit(FlowTestData.Gmm2XC, 0, 1, e));
        Assert.Equal([-2.58, -1.62], e.Select(v => Math.Round(v, 12)));
        Assert.False(GaussianMixtureFlow.Gmm3().TryExactEdit([0, 0, 0], 0, 1, new double[3]));
        // And the numerical edit through the exact flows converges to it.
        double[] z = gmm.ReferenceFlow(FlowTestData.Gmm2XA, 0, 1, FlowCondition.Class(0));
        double[] back = gmm.ReferenceFlow(z, 1, 0, FlowCondition.Class(1));
        Assert.Equal(-1.62, back[0], 1e-10);
        Assert.Equal(-0.18, back[1], 1e-10);
    }

    [Fact]
    public void Bad_models_and_conditions_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new GaussianMixtureFlow([]));
        Assert.Throws<ArgumentException>(() => new GaussianMixtureFlow([new(1, [0, 0], [1])]));
        Assert.Throws<ArgumentException>(() => new GaussianMixtureFlow([new(0, [0], [1])]));
        Assert.Throws<ArgumentException>(() => new GaussianMixtureFlow([new(1, [0], [-1])]));
        Assert.Throws<ArgumentException>(() => new GaussianMixtureFlow([new(1, [0], [1])], [[3]]));
        var gmm = GaussianMixtureFlow.Gmm2();
        double[] v = new double[2];
        Assert.Throws<ArgumentOutOfRangeException>(() => gmm.Evaluate([0.0, 0.0], 1, 0.5, FlowCondition.Class(2), v));
        Assert.Throws<ArgumentException>(() => gmm.Evaluate([0.0, 0.0], 1, 0.5, FlowCondition.Embedding(new float[] { 1 }), v));
        Assert.Throws<ArgumentException>(() => gmm.Evaluate([0.0, 0.0, 0.0], 1, 0.5, FlowCondition.None, v));
    }
}
