using System.Diagnostics;
using Ordo.Rng;

namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// Path consistency under rejection (sde.md §4.2 and §5.6, the recipe of sde-data/rejection_bias.py): GBM
/// dX = μX dt + σX dW with μ = 0.5, σ = 1, X0 = 1 on [0, 1], so log X₁ ~ N(0, 1) exactly; stochastic Heun with the Euler
/// solution as error estimate, err = |Heun − Euler| / (1e-6 + rtol·max(|y0|, |y1|)) (our RMS norm in one dimension with
/// atol = 1e-6), rtol = 0.03, h0 = 0.05, the I controller of the recipe, 20,000 paths, tree tolerance 2⁻¹⁴.
/// With the virtual Brownian tree a rejected step is retried on the same path and the law of log X₁ is right
/// (python: +0.003 and −0.017); a path that redraws its noise on every query — "resample on reject" — selects small
/// increments and must fail the same bounds (python: +0.112 and −0.826), which shows the test has teeth.
/// </summary>
public class SdeRejectionBiasTests(ITestOutputHelper output)
{
    private const int Paths = 20_000;
    private const ulong Seed = 2026;

    // Bounds of sde.md §5.6. Standard errors of the sample moments of N(0, 1) over 20,000 paths: mean 1/√n = 0.0071,
    // variance ratio √(2/n) = 0.0100, so the bounds are 4.2 and 6 standard errors from the exact values and the
    // discretisation bias measured by the python (+0.003, −0.017) leaves them at 3.8 and 4.3 s.e. of margin.
    private const double MeanBound = 0.03, VarianceBound = 0.06;

    internal static SdeProblem Problem() => SdeReferenceProblems.Gbm(mu: 0.5, sigma: 1.0, x0: 1.0);

    internal static SdeOptions RecipeOptions() => new()
    {
        RelativeTolerance = 0.03,
        AbsoluteTolerance = 1e-6,
        InitialStep = 0.05,
        BrownianTolerance = Math.ScaleB(1.0, -14),
        Controller = new RecipeController(),
        Seed = Seed,
    };

    [Fact]
    public void Controller_of_the_recipe_matches_the_python()
    {
        var c = new RecipeController();
        var memory = ControllerMemory.Initial;
        void Check(double err, bool accept, double factor)
        {
            var d = c.Decide(0.1, err, ref memory);
            Assert.Equal(accept, d.Accept);
            Assert.Equal(0.1 * factor, d.NextStepSize, 1e-15);
        }
        Check(0.01, true, 5);                  // clip(90, ·, 5)
        Check(0.5, true, 1.8);
        Check(1.0, true, 0.9);                 // err = 1 accepts
        Check(1.5, false, 0.6);
        Check(100, false, 0.2);
        Check(double.PositiveInfinity, false, 0.2);
        // After a rejection the recipe may grow at once (PIController would cap the next factor at 1).
        Check(1e-3, true, 5);
    }

    [Fact]
    public void Adaptive_heun_on_the_virtual_Brownian_tree_has_the_exact_law()
    {
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var result = SdeEnsemble.Solve(Problem(), StochasticHeun.Instance, RecipeOptions(),
            new SdeEnsembleOptions { Paths = Paths, KeepFinalStates = true, Quantiles = [] });
        Assert.Equal(SdeStatus.Success, result.Status);
        var (mean, varRatio) = LogMoments(result.FinalStates);
        double steps = (double)result.Stats.AcceptedSteps / Paths;
        double reject = (double)result.Stats.RejectedSteps / (result.Stats.AcceptedSteps + result.Stats.RejectedSteps);
        output.WriteLine($"tree     rtol 0.03  steps/path {steps:F2}  reject {reject:F3}  E log X − 0 {mean:+0.0000;-0.0000}  Var log X − 1 {varRatio:+0.0000;-0.0000}  ({sw.Elapsed.TotalSeconds:F2} s, process CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s)");
        Assert.True(Math.Abs(mean) <= MeanBound, $"E log X_T = {mean:F4}, bound {MeanBound}");
        Assert.True(Math.Abs(varRatio) <= VarianceBound, $"Var log X_T − 1 = {varRatio:F4}, bound {VarianceBound}");
        // The step statistics of the recipe (python: 13.5 accepted steps per path, reject rate 0.42); loose windows
        // that catch a controller or norm that is not the recipe's.
        Assert.InRange(steps, 10, 17);
        Assert.InRange(reject, 0.3, 0.55);
    }

    [Fact]
    public void Resampling_on_reject_fails_the_same_bounds()
    {
        var sw = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var problem = Problem();
        var options = RecipeOptions();
        // The driver of Sde.Solve, reused for every path (the path double keeps drawing new numbers).
        var integrator = new SdePathIntegrator(problem, StochasticHeun.Instance, options, new ResamplingPath(0, 1, Seed));
        var finals = new double[Paths];
        long accepted = 0, rejected = 0;
        for (int p = 0; p < Paths; p++)
        {
            var (status, _, stats) = integrator.Run((ulong)p, null);
            Assert.Equal(SdeStatus.Success, status);
            finals[p] = integrator.State[0];
            accepted += stats.AcceptedSteps;
            rejected += stats.RejectedSteps;
        }
        var (mean, varRatio) = LogMoments(finals);
        output.WriteLine($"resample rtol 0.03  steps/path {(double)accepted / Paths:F2}  reject {(double)rejected / (accepted + rejected):F3}  E log X − 0 {mean:+0.0000;-0.0000}  Var log X − 1 {varRatio:+0.0000;-0.0000}  ({sw.Elapsed.TotalSeconds:F2} s, process CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F2} s)");
        Assert.True(Math.Abs(mean) > MeanBound, $"resampling should bias E log X_T beyond {MeanBound}, got {mean:F4}");
        Assert.True(Math.Abs(varRatio) > VarianceBound, $"resampling should bias Var log X_T beyond {VarianceBound}, got {varRatio:F4}");
    }

    private static (double Mean, double VarianceRatioError) LogMoments(ReadOnlySpan<double> x)
    {
        double mean = 0, m2 = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double l = Math.Log(x[i]), delta = l - mean;
            mean += delta / (i + 1);
            m2 += delta * (l - mean);
        }
        // Exact law: log X₁ ~ N(log X0 + μ − σ²/2, σ²) = N(0, 1).
        return (mean, m2 / (x.Length - 1) - 1);
    }
}

/// <summary>
/// The controller of sde-data/rejection_bias.py (an I controller for error order 1): accept when err ≤ 1, and scale h by
/// <c>clip(0.9/err, 0.2, 5)</c> after an accepted step and by <c>clip(0.9/err, 0.2, 0.9)</c> after a rejected one.
/// </summary>
internal sealed class RecipeController : IStepSizeController
{
    public StepSizeDecision Decide(double stepSize, double errorNorm, ref ControllerMemory memory)
    {
        bool accept = errorNorm <= 1.0;
        double factor = Math.Clamp(0.9 / Math.Max(errorNorm, 1e-10), 0.2, accept ? 5.0 : 0.9);
        return new StepSizeDecision(accept, stepSize * factor);
    }
}

/// <summary>
/// A deliberately wrong Brownian path, the negative control of sde.md §4.2: every query draws a fresh N(0, t − s)
/// increment (and N(0, (t − s)/12) Lévy area), so a rejected step retried on a shorter interval sees new noise that
/// forgets why it was rejected.
/// </summary>
internal sealed class ResamplingPath(double t0, double t1, ulong seed, int lanes = 1) : IBrownianPath
{
    private readonly CounterRng _rng = new(seed);
    private ulong _index;

    public int Lanes => lanes;
    public double T0 => t0;
    public double T1 => t1;

    public void Increment(double s, double t, Span<double> dW)
    {
        _rng.Normals(0, _index, dW[..lanes]);
        _index += (ulong)lanes;
        double sd = Math.Sqrt(t - s);
        for (int j = 0; j < lanes; j++) dW[j] *= sd;
    }

    public void Increment(double s, double t, Span<double> dW, Span<double> h)
    {
        Increment(s, t, dW);
        _rng.Normals(0, _index, h[..lanes]);
        _index += (ulong)lanes;
        double sd = Math.Sqrt((t - s) / 12);
        for (int j = 0; j < lanes; j++) h[j] *= sd;
    }
}
