namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// Mean-square stability on the linear test equation dX = λX dt + μX dW (λ = −50, μ = 1, X0 = 1, Itô), whose exact
/// second moment E X(1)² = e^{2λ + μ²} ≈ 10⁻⁴³ decays: at fixed steps with λh = −3.125, beyond the explicit methods'
/// stability limit, Euler–Maruyama and SRIW1 explode while the stability-optimized SOSRI and SOSRI2 (Rackauckas &amp;
/// Nie 2018) and the drift-implicit θ-method decay.
/// </summary>
public class SdeStabilityTests(ITestOutputHelper output)
{
    [Fact]
    public void Stability_optimized_and_implicit_methods_decay_where_sriw1_explodes()
    {
        const double lambda = -50, mu = 1, h = 1.0 / 16;
        var problem = new SdeProblem((t, y, f) => f[0] = lambda * y[0], (t, y, g) => g[0] = mu * y[0], [1.0], 0, 1, name: "linear test equation")
        { DiffusionDerivative = (t, y, dg) => dg[0] = mu };
        double SecondMoment(SdeMethod method)
        {
            var r = SdeEnsemble.Solve(problem, method, new SdeOptions { FixedStep = h, Seed = 2 }, new SdeEnsembleOptions { Paths = 4000, Quantiles = [] });
            double ms = r.Variance[0] + r.Mean[0] * r.Mean[0];
            output.WriteLine($"λh = {lambda * h}: {method.Name,-24} E X(1)² = {ms:E2}");
            return ms;
        }
        Assert.True(SecondMoment(EulerMaruyama.Instance) > 1e6);
        Assert.True(SecondMoment(SriMethod.Sriw1) > 1e6);
        Assert.True(SecondMoment(SriMethod.Sosri) < 1e-4);
        Assert.True(SecondMoment(SriMethod.Sosri2) < 1e-4);
        Assert.True(SecondMoment(DriftImplicitEulerMaruyama.Trapezoidal) < 1e-4);

        // Adaptive (printed for docs/integration/sde.md): whether the larger stability region saves steps once the
        // error estimate sets the step. Work = drift evaluations per path.
        foreach (double rtol in new[] { 1e-2, 1e-3 })
            foreach (var method in new SdeMethod[] { SriMethod.Sriw1, SriMethod.Sosri, SriMethod.Sosri2 })
            {
                var r = SdeEnsemble.Solve(problem, method, new SdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol, Seed = 2 },
                    new SdeEnsembleOptions { Paths = 200, Quantiles = [] });
                long attempts = r.Stats.AcceptedSteps + r.Stats.RejectedSteps;
                output.WriteLine($"adaptive rtol {rtol:E0}: {method.Name,-7} attempted steps/path {attempts / 200.0,7:F1}, rejected {(double)r.Stats.RejectedSteps / attempts,4:P0}, drift evaluations/path {r.Stats.DriftEvaluations / 200.0,6:F0}");
                Assert.Equal(200, r.SuccessfulPaths);
            }
    }
}
