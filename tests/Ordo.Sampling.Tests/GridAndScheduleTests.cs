using System.Globalization;

namespace Ordo.Sampling.Tests;

/// <summary>Time grids, the FLUX shift, both time conventions and the noise schedules (flows.md §0, §12 item 3).</summary>
public class GridAndScheduleTests
{
    /// <summary>The FLUX shifted grids of flux_schedules.csv (μ = 1.15 and 0.63, N = 8 and 10) to 1e-10.</summary>
    [Fact]
    public void Flux_shifted_grids_match_the_published_schedules()
    {
        string[] lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "flux_schedules.csv"));
        foreach (string line in lines.Skip(1))
        {
            string[] f = line.Split(',');
            double mu = double.Parse(f[1], CultureInfo.InvariantCulture);
            int n = int.Parse(f[2], CultureInfo.InvariantCulture);
            double[] expected = f[3].Trim('"').Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            FlowTimeGrid grid = FlowTimeGrid.FluxShifted(n, mu);
            Assert.Equal(n, grid.Steps);
            for (int i = 0; i <= n; i++) Assert.Equal(expected[i], grid.NoiseLevels[i], 1e-10);
        }
    }

    /// <summary>μ(L) = 0.5 + 0.65(L − 256)/3840: 0.63 at 512² (L = 1024), 1.15 at 1024² (L = 4096).</summary>
    [Fact]
    public void Flux_mu_is_linear_in_the_sequence_length()
    {
        Assert.Equal(0.5, FlowTimeGrid.FluxShiftMu(256), 15);
        Assert.Equal(0.63, FlowTimeGrid.FluxShiftMu(1024), 15);
        Assert.Equal(1.15, FlowTimeGrid.FluxShiftMu(4096), 15);
        // SD3's form sτ/(1 + (s − 1)τ) with s = e^μ gives the same grid.
        double s = Math.Exp(1.15);
        FlowTimeGrid g = FlowTimeGrid.FluxShifted(13, 1.15);
        for (int i = 0; i <= 13; i++)
        {
            double t = 1 - i / 13.0;
            Assert.Equal(s * t / (1 + (s - 1) * t), g.NoiseLevels[i], 1e-15);
        }
    }

    [Fact]
    public void Uniform_grid_and_conventions()
    {
        FlowTimeGrid g = FlowTimeGrid.Uniform(8);
        Assert.Equal([1, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125, 0], g.NoiseLevels.ToArray());
        Assert.Equal([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875, 1], g.Times(FlowTimeConvention.NoiseAtZero));
        FlowTimeGrid same = FlowTimeGrid.FromTimes([0, 0.25, 0.5, 1], FlowTimeConvention.NoiseAtZero);
        Assert.Equal([1, 0.75, 0.5, 0], same.NoiseLevels.ToArray());
        Assert.Equal(0.25, FlowTime.ToNoiseLevel(0.75, FlowTimeConvention.NoiseAtZero));
        Assert.Equal(0.75, FlowTime.FromNoiseLevel(0.75, FlowTimeConvention.NoiseAtOne));
    }

    [Fact]
    public void Bad_grids_are_rejected_with_the_reason()
    {
        var e = Assert.Throws<ArgumentException>(() => FlowTimeGrid.FromTimes([1, 0.5, 0.7, 0], FlowTimeConvention.NoiseAtOne));
        Assert.Contains("strictly", e.Message);
        Assert.Throws<ArgumentException>(() => FlowTimeGrid.FromTimes([1], FlowTimeConvention.NoiseAtOne));
        Assert.Throws<ArgumentException>(() => FlowTimeGrid.FromTimes([1, double.NaN, 0], FlowTimeConvention.NoiseAtOne));
        Assert.Throws<ArgumentOutOfRangeException>(() => FlowTimeGrid.Uniform(0));
        Assert.Throws<ArgumentException>(() => FlowTimeGrid.Parse("cosine", 8));
        Assert.Throws<ArgumentException>(() => FlowTimeGrid.LogSnrUniform(8, RectifiedFlowSchedule.Instance, 1, 0));
    }

    /// <summary>A logSNR grid is uniform in λ; a quadratic grid is uniform in √τ.</summary>
    [Fact]
    public void LogSnr_and_quadratic_grids()
    {
        var vp = new VpLinearSchedule();
        FlowTimeGrid g = FlowTimeGrid.LogSnrUniform(10, vp, 1, 1e-3);
        double l0 = vp.Lambda(1), l1 = vp.Lambda(1e-3);
        for (int i = 0; i <= 10; i++) Assert.Equal(l0 + (l1 - l0) * i / 10, vp.Lambda(g.NoiseLevels[i]), 1e-10);
        FlowTimeGrid q = FlowTimeGrid.TimeQuadratic(4, 1, 0.01);
        Assert.Equal(Math.Pow((1 + 0.1) / 2, 2), q.NoiseLevels[2], 1e-15);
    }

    public static TheoryData<string> Schedules() => ["rf", "vp-linear", "vp-cosine"];

    private static NoiseSchedule Schedule(string name) => name switch
    {
        "rf" => RectifiedFlowSchedule.Instance,
        "vp-linear" => new VpLinearSchedule(),
        _ => new VpCosineSchedule(),
    };

    /// <summary>λ inverts (TimeAtLambda), the derivatives match central differences, and α, σ are those of the schedule.</summary>
    [Theory]
    [MemberData(nameof(Schedules))]
    public void Schedule_lambda_inverse_and_derivatives(string name)
    {
        NoiseSchedule s = Schedule(name);
        for (int i = 1; i < 20; i++)
        {
            double t = s.DataTime + (s.NoiseTime - s.DataTime) * i / 20;
            Assert.Equal(t, s.TimeAtLambda(s.Lambda(t)), 1e-11);
            Assert.Equal(Math.Log(s.Alpha(t) / s.Sigma(t)), s.Lambda(t), 1e-12);
            const double e = 1e-6;
            Assert.Equal((s.Alpha(t + e) - s.Alpha(t - e)) / (2 * e), s.AlphaDerivative(t), 1e-7);
            Assert.Equal((s.Sigma(t + e) - s.Sigma(t - e)) / (2 * e), s.SigmaDerivative(t), 1e-7);
            if (s is not RectifiedFlowSchedule) Assert.Equal(1, s.Alpha(t) * s.Alpha(t) + s.Sigma(t) * s.Sigma(t), 1e-14);
        }
    }

    /// <summary>The VP-linear closed form log α = −(β₁ − β₀)t²/4 − β₀t/2 and the cosine schedule's end T = 0.9946 (DPM-Solver).</summary>
    [Fact]
    public void Vp_schedules_have_the_published_constants()
    {
        var lin = new VpLinearSchedule();
        Assert.Equal(-(19.9) / 4 - 0.05, lin.LogAlpha(1), 1e-15);
        var cos = new VpCosineSchedule();
        Assert.Equal(0.9946, cos.NoiseTime, 4);
        Assert.Equal(0, cos.LogAlpha(0), 1e-15);
    }

    /// <summary>The accurate e^x − 1 and log(1 + x) that the λ-based samplers need for small steps.</summary>
    [Fact]
    public void Expm1_and_log1p_are_accurate_for_tiny_arguments()
    {
        Assert.Equal(1e-10 + 5e-21, FloatingPoint.ExpM1(1e-10), 1e-25);
        Assert.Equal(Math.E - 1, FloatingPoint.ExpM1(1), 1e-15);
        Assert.Equal(-1, FloatingPoint.ExpM1(double.NegativeInfinity));
        Assert.Equal(1e-10 - 5e-21, FloatingPoint.Log1P(1e-10), 1e-25);
        Assert.Equal(Math.Log(2), FloatingPoint.Log1P(1), 1e-15);
    }
}
