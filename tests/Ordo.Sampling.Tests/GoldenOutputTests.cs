namespace Ordo.Sampling.Tests;

/// <summary>
/// Every sampler against the deterministic outputs of flows.md's independent double-precision implementation
/// (golden_solver_outputs_GMM2_N8.json): sampling from z_a, inversion from x_a and the A → B edit on GMM2, N = 8,
/// uniform and FLUX μ = 1.15 grids (flows.md §12 item 6: agreement to 1e-12).
/// </summary>
public class GoldenOutputTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string grid in new[] { "uniform_N8", "flux_mu1.15_N8" })
        {
            foreach (string method in Samplers.Keys) data.Add(grid, method);
        }
        return data;
    }

    internal static readonly Dictionary<string, FlowSampler> Samplers = new()
    {
        ["euler"] = FlowSamplers.Euler,
        ["heun"] = FlowSamplers.Heun,
        ["midpoint_rf_solver2"] = FlowSamplers.Midpoint,
        ["fireflow"] = FlowSamplers.FireFlow,
        ["rk4"] = FlowSamplers.RungeKutta4,
        ["dpm_solver2_singlestep_noise_time_uniform_inner"] = new DpmSolverSinglestepSampler(2, DpmPrediction.Noise),
        ["dpm_solver3_singlestep_noise_time_uniform_inner"] = new DpmSolverSinglestepSampler(3, DpmPrediction.Noise),
        ["dpmpp_2s_time_uniform_inner"] = new DpmSolverSinglestepSampler(2, DpmPrediction.Data),
        ["dpmpp_2m_lower_order_final"] = new DpmSolverMultistepSampler(2, DpmPrediction.Data),
        ["dpmpp_3m_lower_order_final"] = new DpmSolverMultistepSampler(3, DpmPrediction.Data),
        ["dpm_solver_2m_noise_lower_order_final"] = new DpmSolverMultistepSampler(2, DpmPrediction.Noise),
        ["ab2_plms"] = new MomentumSampler(MomentumKind.None, 2),
        ["hb_ab2_beta0.8"] = new MomentumSampler(MomentumKind.HeavyBall, 2, 0.8),
        ["ghvb_ab2_beta0.8"] = new MomentumSampler(MomentumKind.GeneralizedHeavyBall, 2, 0.8),
        ["dpmpp_2m_hb_beta0.8"] = new DpmSolverMultistepSampler(2, DpmPrediction.Data, heavyBallBeta: 0.8),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reproduces_the_golden_outputs(string gridName, string method)
    {
        var expected = FlowTestData.Golden.GetProperty("outputs").GetProperty(gridName).GetProperty(method);
        var grid = FlowTimeGrid.FromTimes(FlowTestData.Array(FlowTestData.Golden.GetProperty("grids").GetProperty(gridName)), FlowTimeConvention.NoiseAtOne);
        var model = GaussianMixtureFlow.Gmm2();
        var solver = new FlowSolver<double>(model, Samplers[method], grid);
        int nfe = expected.GetProperty("nfe_per_direction").GetInt32();

        double[] x = (double[])FlowTestData.Gmm2ZA.Clone();
        FlowRunResult sample = solver.Sample(x);
        Assert.True(sample.Succeeded, sample.Message);
        AssertClose(FlowTestData.Array(expected.GetProperty("sample_end")), x, "sample");
        Assert.Equal(nfe, sample.Evaluations);
        Assert.Equal(nfe, solver.EvaluationsPerPass);

        x = (double[])FlowTestData.Gmm2XA.Clone();
        FlowRunResult invert = solver.Invert(x);
        Assert.True(invert.Succeeded, invert.Message);
        AssertClose(FlowTestData.Array(expected.GetProperty("invert_end")), x, "invert");
        Assert.Equal(nfe, invert.Evaluations);

        double[] noise = new double[2], edited = new double[2];
        FlowRoundTripResult edit = solver.Edit(FlowTestData.Gmm2XA, FlowCondition.Class(0), FlowCondition.Class(1), noise, edited);
        Assert.True(edit.Succeeded);
        AssertClose(FlowTestData.Array(expected.GetProperty("edit_end")), edited, "edit");
        Assert.Equal(2 * nfe, edit.Evaluations);
    }

    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(expected[i] - actual[i]);
            Assert.True(err <= 1e-12, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (error {err:E2})");
        }
    }
}
