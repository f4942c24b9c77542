namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// The drift-implicit θ-Euler–Maruyama methods (<see cref="DriftImplicitEulerMaruyama"/>): exact discrete moments on a
/// stiff Ornstein–Uhlenbeck process where explicit Euler–Maruyama explodes, the strong orders, the Newton solve with an
/// exact or differenced Jacobian, the failure status, and no allocation per step.
/// </summary>
public class SdeDriftImplicitTests(ITestOutputHelper output)
{
    private const double Lambda = 200, Sigma = 1, X0 = 1;

    /// <summary>dX = −λX dt + σ dW, λ = 200, on [0, 1].</summary>
    private static SdeProblem StiffOu(bool exactJacobian) =>
        new((t, y, f) => f[0] = -Lambda * y[0], (t, y, g) => g[0] = Sigma, [X0], 0, 1, SdeNoise.Additive, name: "stiff OU")
        { DriftJacobian = exactJacobian ? (t, y, j) => j[0] = -Lambda : null };

    [Theory]
    [InlineData(0.5, true)]
    [InlineData(1.0, false)]
    public void Stiff_ornstein_uhlenbeck_has_the_exact_discrete_moments_where_euler_maruyama_explodes(double theta, bool exactJacobian)
    {
        // λh = 10. The θ-recursion X' = aX + bΔW, a = (1 − (1 − θ)λh)/(1 + θλh), b = σ/(1 + θλh), has mean aᴺX0 and
        // variance b²h(1 − a²ᴺ)/(1 − a²); θ = ½ gives a = −2/3 and the stationary variance σ²/(2λ) exactly.
        const int paths = 20000, steps = 20;
        double h = 1.0 / steps, a = (1 - (1 - theta) * Lambda * h) / (1 + theta * Lambda * h), b = Sigma / (1 + theta * Lambda * h);
        double mean = Math.Pow(a, steps) * X0, var = b * b * h * (1 - Math.Pow(a, 2 * steps)) / (1 - a * a);
        var method = theta == 0.5 ? DriftImplicitEulerMaruyama.Trapezoidal : DriftImplicitEulerMaruyama.Euler;
        var options = new SdeOptions { FixedStep = h, Seed = 4 };
        var ensemble = new SdeEnsembleOptions { Paths = paths, Quantiles = [] };
        var r = SdeEnsemble.Solve(StiffOu(exactJacobian), method, options, ensemble);
        double seMean = Math.Sqrt(var / paths), seVar = var * Math.Sqrt(2.0 / (paths - 1));
        output.WriteLine($"θ = {theta}: mean {r.Mean[0]:E3} (exact discrete {mean:E3} ± {seMean:E1}), variance {r.Variance[0]:E4} (exact discrete {var:E4} ± {seVar:E1}; stationary σ²/2λ = {Sigma * Sigma / (2 * Lambda):E4})");
        Assert.Equal(paths, r.SuccessfulPaths);
        Assert.InRange(r.Mean[0], mean - 5 * seMean, mean + 5 * seMean);
        Assert.InRange(r.Variance[0], var - 5 * seVar, var + 5 * seVar);
        if (theta == 0.5) Assert.Equal(Sigma * Sigma / (2 * Lambda), var, 1e-9);
        // Newton on a linear drift with the exact Jacobian: f(t, y), one correction and one converged check per step.
        // A differenced Jacobian adds its evaluation and, being inexact by O(√ε), sometimes a third iteration.
        double perStep = (double)r.Stats.DriftEvaluations / paths / steps;
        output.WriteLine($"drift evaluations per step {perStep:F2}");
        if (exactJacobian) Assert.Equal(3.0, perStep);
        else Assert.InRange(perStep, 4.0, 5.0);
        var explicitEm = SdeEnsemble.Solve(StiffOu(true), EulerMaruyama.Instance, options, new SdeEnsembleOptions { Paths = 2000, Quantiles = [] });
        output.WriteLine($"explicit Euler–Maruyama at the same step: variance {explicitEm.Variance[0]:E2}");
        Assert.True(!(explicitEm.Variance[0] < 1e10), "explicit Euler–Maruyama should be unstable at λh = 10");
    }

    [Fact]
    public void Differenced_and_exact_jacobians_give_the_same_path_on_a_nonlinear_stiff_system()
    {
        // Two coupled stiff cubic components with multiplicative noise; Newton converges to 1e-10 either way.
        SdeDrift drift = (t, y, f) =>
        {
            f[0] = -50 * (y[0] + y[0] * y[0] * y[0]) + 10 * y[1];
            f[1] = 5 * y[0] - 80 * y[1] * (1 + y[1] * y[1]);
        };
        SdeDiffusion diffusion = (t, y, g) => { g[0] = 0.5 * y[0]; g[1] = 0.3 * y[1] + 0.1; };
        SdeDriftJacobian jacobian = (t, y, j) =>
        {
            j[0] = -50 * (1 + 3 * y[0] * y[0]); j[1] = 10;
            j[2] = 5; j[3] = -80 * (1 + 3 * y[1] * y[1]);
        };
        var exact = new SdeProblem(drift, diffusion, [1.0, -0.5], 0, 1) { DriftJacobian = jacobian };
        var differenced = new SdeProblem(drift, diffusion, [1.0, -0.5], 0, 1);
        foreach (var method in new[] { DriftImplicitEulerMaruyama.Trapezoidal, DriftImplicitEulerMaruyama.Euler })
        {
            var options = new SdeOptions { FixedStep = 0.05, Seed = 8, SaveSteps = true };
            var a = Sde.Solve(exact, method, options);
            var b = Sde.Solve(differenced, method, options);
            Assert.Equal(SdeStatus.Success, a.Status);
            Assert.Equal(SdeStatus.Success, b.Status);
            double worst = 0;
            Assert.Equal(a.Count, b.Count);
            for (int k = 0; k < a.Count; k++)
                for (int i = 0; i < 2; i++) worst = Math.Max(worst, Math.Abs(a.State(k)[i] - b.State(k)[i]));
            output.WriteLine($"{method.Name}: X(1) = ({a.Y[0]:F6}, {a.Y[1]:F6}); exact vs differenced Jacobian differ by at most {worst:E2} along the path; drift evaluations {a.Stats.DriftEvaluations} vs {b.Stats.DriftEvaluations}");
            Assert.True(worst < 1e-8, $"{method.Name}: {worst:E2}");
            // Explicit Euler–Maruyama at this step is unstable (80·0.05·(1 + 3y²) > 2).
            Assert.True(a.Stats.DriftEvaluations > 2 * 20);
        }
    }

    [Fact]
    public void A_newton_iteration_that_cannot_converge_is_a_status()
    {
        // z − h z² = y + G ΔW has no real root when 4h(y + GΔW) > 1: from y = 10 with h = 1 the first step fails.
        var problem = new SdeProblem((t, y, f) => f[0] = y[0] * y[0], (t, y, g) => g[0] = 0.01, [10.0], 0, 2, SdeNoise.Additive)
        { DriftJacobian = (t, y, j) => j[0] = 2 * y[0] };
        var s = Sde.Solve(problem, DriftImplicitEulerMaruyama.Euler, new SdeOptions { FixedStep = 1 });
        Assert.Equal(SdeStatus.NewtonFailure, s.Status);
        Assert.Equal(0.0, s.Time);
        Assert.Equal(10.0, s.Y[0]);
        Assert.Equal("newton_failure", s.Status.ToIdentifier());
        Assert.Contains("Newton", s.Status.Describe());
        Assert.Contains("Itô scheme", Assert.Throws<ArgumentException>(() => Sde.Solve(new SdeProblem((t, y, f) => f[0] = -y[0], (t, y, g) => g[0] = y[0], [1.0], 1, 0), DriftImplicitEulerMaruyama.Euler, new SdeOptions { FixedStep = 0.1 })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DriftImplicitEulerMaruyama("x", 1.5, "x"));
    }

    [Fact]
    public void Steps_allocate_nothing_with_a_differenced_jacobian()
    {
        var problem = StiffOu(exactJacobian: false);
        var integrator = new SdePathIntegrator(problem, DriftImplicitEulerMaruyama.Trapezoidal, new SdeOptions { FixedStep = 1.0 / 4096 });
        integrator.Run(0, null);
        long allocated = 0;
        for (int window = 0; window < 3; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (ulong p = 1; p <= 3; p++) integrator.Run(p, null);
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated == 0) break;
        }
        Assert.Equal(0, allocated);
    }
}
