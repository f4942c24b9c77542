using System.Diagnostics;

namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// How an adaptive SDE solve ends when it cannot reach t1 (a status, never a hang or a silent NaN), the checks made
/// before it starts, the Itô–Stratonovich conversion seen through whole adaptive paths, and the allocation-free step
/// loop.
/// </summary>
public class SdeAdaptiveStatusTests(ITestOutputHelper output)
{
    /// <summary>dX = X³ dt + dW, X0 = 2: the drift alone blows up at t = 1/(2·X0²) = 0.125.</summary>
    private static SdeProblem Explosive(SdeNoise noise) =>
        new((t, y, f) => f[0] = y[0] * y[0] * y[0], (t, y, g) => g[0] = 1.0, [2.0], 0, 1, noise, name: "CUBIC");

    [Fact]
    public void Max_steps_stops_with_a_status()
    {
        var sol = Sde.Solve(SdeReferenceProblems.Gbm(), SriMethod.Sriw1, new SdeOptions { MaxSteps = 5, RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6 });
        Assert.Equal(SdeStatus.MaxStepsReached, sol.Status);
        Assert.Equal(5, sol.Stats.AcceptedSteps + sol.Stats.RejectedSteps);
        Assert.True(sol.Time < 1);
        Assert.True(double.IsFinite(sol.Y[0]));
        Assert.Throws<InvalidOperationException>(() => sol.EnsureSuccess());
    }

    [Theory]
    [InlineData("shark", SdeNoise.Additive)]
    [InlineData("sra1", SdeNoise.Additive)]
    [InlineData("sosra", SdeNoise.Additive)]
    [InlineData("stochastic-heun", SdeNoise.Additive)]
    [InlineData("sriw1", SdeNoise.Diagonal)]
    [InlineData("stochastic-heun", SdeNoise.Diagonal)]
    public void Explosive_drift_ends_with_a_status_near_the_blow_up(string methodName, SdeNoise noise)
    {
        var sw = Stopwatch.StartNew();
        var sol = Sde.Solve(Explosive(noise), SdeMethods.Get(methodName), new SdeOptions { Seed = 3 });
        output.WriteLine($"{methodName,-16} {noise,-9}: {sol.Status} at t = {sol.Time:F6}, X = {sol.Y[0]:E3}, {sol.Stats.AcceptedSteps} accepted, {sol.Stats.RejectedSteps} rejected, {sw.ElapsedMilliseconds} ms");
        Assert.True(sol.Status is SdeStatus.NonFiniteValue or SdeStatus.StepSizeTooSmall, $"{sol.Status}");
        // The noise moves the blow-up a little from 0.125; the solve stops there, holding the last finite state.
        Assert.InRange(sol.Time, 0.02, 0.5);
        Assert.True(double.IsFinite(sol.Y[0]) && sol.Y[0] > 10, $"X = {sol.Y[0]}");
        Assert.True(sol.Stats.AcceptedSteps + sol.Stats.RejectedSteps < 100_000, "a blow-up must not cost the whole step budget");
    }

    [Fact]
    public void Explosive_drift_with_fixed_steps_reports_the_non_finite_value()
    {
        var sol = Sde.Solve(Explosive(SdeNoise.Additive), EulerMaruyama.Instance, new SdeOptions { FixedStep = 1.0 / 64, Seed = 3 });
        Assert.Equal(SdeStatus.NonFiniteValue, sol.Status);
        Assert.True(double.IsFinite(sol.Y[0]));
        Assert.InRange(sol.Time, 0.05, 0.5);
    }

    [Fact]
    public void Minimum_step_above_the_needed_step_stops_with_step_size_too_small()
    {
        // GBM at rtol 1e-8 needs steps far below 0.2.
        var options = new SdeOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-8, InitialStep = 0.25, MinStep = 0.2 };
        var sol = Sde.Solve(SdeReferenceProblems.Gbm(), SriMethod.Sriw1, options);
        Assert.Equal(SdeStatus.StepSizeTooSmall, sol.Status);
        Assert.Equal(0, sol.Time);
        Assert.Equal(SdeReferenceProblems.GbmX0, sol.Y[0]);
        Assert.True(sol.Stats.RejectedSteps >= 1);
    }

    /// <summary>Accepts steps up to <paramref name="longest"/> and proposes the same step again; rejects longer ones
    /// and asks for 0.95 of them.</summary>
    private sealed class ThresholdController(double longest) : IStepSizeController
    {
        public StepSizeDecision Decide(double stepSize, double errorNorm, ref ControllerMemory memory) =>
            stepSize <= longest ? new(true, stepSize) : new(false, 0.95 * stepSize);
    }

    [Fact]
    public void A_rejected_step_to_the_end_is_split_instead_of_retried_for_ever()
    {
        // MinStep 0.1, steps of 0.46: the second ends at 0.92, within MinStep of t1, so it is lengthened to 0.54 and
        // rejected; the controller asks for 0.513, which would again end within MinStep of t1. Lengthening again would
        // retry the rejected step until MaxSteps; the driver splits the remaining 0.54 in two instead.
        var options = new SdeOptions { InitialStep = 0.46, MinStep = 0.1, Controller = new ThresholdController(0.46), MaxSteps = 1000, SaveSteps = true };
        var sol = Sde.Solve(SdeReferenceProblems.NonlinearAdditive(), AdditiveSrkMethod.ShArk, options);
        Assert.Equal(SdeStatus.Success, sol.Status);
        Assert.Equal(1, sol.Stats.RejectedSteps);
        double[] expected = [0, 0.46, 0.73, 1.0];
        Assert.Equal(expected.Length, sol.Count);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], sol.Times[i], 1e-15);
        // When even halves would be shorter than MinStep the solve stops with a status.
        var tight = Sde.Solve(SdeReferenceProblems.NonlinearAdditive(), AdditiveSrkMethod.ShArk, options with { MinStep = 0.3 });
        Assert.Equal(SdeStatus.StepSizeTooSmall, tight.Status);
        Assert.Equal(0.46, tight.Time, 1e-15);
        Assert.Equal(1, tight.Stats.RejectedSteps);
    }

    [Fact]
    public void Default_minimum_step_is_the_tree_leaf()
    {
        // A coarse tree (leaf 1/16) and a tolerance it cannot meet: the solve stops instead of taking sub-leaf steps.
        var options = new SdeOptions { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-9, BrownianTolerance = 1.0 / 16 };
        var sol = Sde.Solve(SdeReferenceProblems.Gbm(), StochasticHeun.Instance, options);
        Assert.Equal(SdeStatus.StepSizeTooSmall, sol.Status);
        // With a fine tree the same tolerance is reachable step by step (here it stops on MaxSteps, not on the leaf).
        var fine = Sde.Solve(SdeReferenceProblems.Gbm(), StochasticHeun.Instance, options with { BrownianTolerance = Math.ScaleB(1.0, -30), MaxSteps = 50 });
        Assert.Equal(SdeStatus.MaxStepsReached, fine.Status);
    }

    [Theory]
    [InlineData("euler-maruyama")]
    [InlineData("milstein")]
    public void Methods_without_an_error_estimate_need_a_fixed_step(string methodName)
    {
        var method = SdeMethods.Get(methodName);
        Assert.False(method.HasErrorEstimate);
        var ex = Assert.Throws<ArgumentException>(() => Sde.Solve(SdeReferenceProblems.Gbm(), method, new SdeOptions()));
        Assert.Equal("method", ex.ParamName);
        Assert.Contains("FixedStep", ex.Message);
        Assert.Throws<ArgumentException>(() => SdeEnsemble.Solve(SdeReferenceProblems.Gbm(), method, new SdeOptions(), new SdeEnsembleOptions { Paths = 4 }));
        Assert.Equal(SdeStatus.Success, Sde.Solve(SdeReferenceProblems.Gbm(), method, new SdeOptions { FixedStep = 0.1 }).Status);
    }

    /// <summary>GBM written in Stratonovich form, dX = (μ − σ²/2)X dt + σX ∘dW: the same process as the Itô GBM. With
    /// <paramref name="heunRounding"/> the drift is written μX − ½σ(σX), the floating-point operations of the
    /// Itô → Stratonovich correction.</summary>
    private static SdeProblem StratonovichGbm(bool exactDerivative, bool heunRounding = false)
    {
        const double mu = SdeReferenceProblems.GbmMu, sigma = SdeReferenceProblems.GbmSigma;
        SdeDrift drift = heunRounding
            ? (t, y, f) => f[0] = mu * y[0] - 0.5 * (sigma * (sigma * y[0]))
            : (t, y, f) => f[0] = (mu - 0.5 * sigma * sigma) * y[0];
        return new(drift, (t, y, g) => g[0] = sigma * y[0], [SdeReferenceProblems.GbmX0], 0, 1,
            SdeNoise.Diagonal, calculus: SdeCalculus.Stratonovich, name: "GBM-S")
        {
            DiffusionDerivative = exactDerivative ? (t, y, dg) => dg[0] = sigma : null,
        };
    }

    [Fact]
    public void Stochastic_heun_on_an_Ito_problem_is_the_Stratonovich_solve_of_the_corrected_drift()
    {
        // Heun is a Stratonovich method: on the Itô GBM its drift becomes μX + (−½)·σ(σX). Written with the same
        // floating-point operations in Stratonovich form, the adaptive paths must be bitwise equal.
        var ito = SdeReferenceProblems.Gbm();
        var strat = StratonovichGbm(exactDerivative: true, heunRounding: true);
        for (ulong stream = 0; stream < 50; stream++)
        {
            var options = new SdeOptions { Seed = 11, Stream = stream, SaveSteps = true };
            var a = Sde.Solve(ito, StochasticHeun.Instance, options);
            var b = Sde.Solve(strat, StochasticHeun.Instance, options);
            Assert.Equal(SdeStatus.Success, a.Status);
            Assert.Equal(a.Stats.AcceptedSteps, b.Stats.AcceptedSteps);
            Assert.Equal(a.Stats.RejectedSteps, b.Stats.RejectedSteps);
            Assert.Equal(a.Stats.DriftEvaluations, b.Stats.DriftEvaluations);
            Assert.True(a.Stats.DiffusionEvaluations > b.Stats.DiffusionEvaluations, "the Itô solve evaluates g for the correction");
            Assert.Equal(a.Times.ToArray(), b.Times.ToArray());
            for (int i = 0; i < a.Count; i++) Assert.Equal(a.State(i)[0], b.State(i)[0]);
        }
    }

    [Theory]
    [InlineData("stochastic-heun", true)]
    [InlineData("sriw1", true)]
    [InlineData("milstein", true)]
    [InlineData("stochastic-heun", false)]
    [InlineData("sriw1", false)]
    [InlineData("milstein", false)]
    public void Ito_and_Stratonovich_forms_agree_to_rounding_with_fixed_steps(string methodName, bool exactDerivative)
    {
        // (μ − σ²/2)X against μX ∓ ½σ²X: rounding, plus with differenced ∂g the O(ε²) central-difference error of the
        // conversion (ε ≈ 6e-6 relative).
        var method = SdeMethods.Get(methodName);
        var ito = SdeReferenceProblems.Gbm(exactDerivative);
        var strat = StratonovichGbm(exactDerivative);
        double worst = 0;
        for (ulong stream = 0; stream < 50; stream++)
        {
            var options = new SdeOptions { Seed = 11, Stream = stream, FixedStep = 1.0 / 64 };
            double a = Sde.Solve(ito, method, options).Y[0], b = Sde.Solve(strat, method, options).Y[0];
            worst = Math.Max(worst, Math.Abs(a - b) / Math.Abs(a));
        }
        output.WriteLine($"{methodName} (exact ∂g: {exactDerivative}, h = 1/64): largest relative difference over 50 paths {worst:E2}");
        Assert.True(worst <= 1e-11, $"relative difference {worst:E2}");
    }

    [Theory]
    [InlineData("stochastic-heun")]
    [InlineData("sriw1")]
    public void Ito_and_Stratonovich_forms_converge_to_the_same_adaptive_solution(string methodName)
    {
        // Adaptive paths are not equal to rounding: a step end moved by δt moves the tree's W by up to O(√δt) near a
        // leaf end (the bridge inside a leaf), and the error norm and step sizes carry it along, so a rounding
        // difference in the drift can change a later accept/reject decision. Both forms must still be within the
        // method's error of the exact solution on the same path (a wrong conversion is off by ~½σ²X·t ≈ 0.2).
        var method = SdeMethods.Get(methodName);
        var ito = SdeReferenceProblems.Gbm();
        var strat = StratonovichGbm(exactDerivative: true);
        double errA = 0, errB = 0, diff = 0;
        int differentSteps = 0;
        const int paths = 100;
        Span<double> w = stackalloc double[1];
        for (ulong stream = 0; stream < paths; stream++)
        {
            var tree = new VirtualBrownianTree(0, 1, Math.ScaleB(1.0, -20), 1, 11, stream);
            var options = new SdeOptions { RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-3 };
            var a = Sde.Solve(ito, method, options, tree);
            var b = Sde.Solve(strat, method, options, tree);
            tree.Increment(0, 1, w);
            double exact = SdeReferenceProblems.GbmExact(w[0]);
            errA += Math.Abs(a.Y[0] - exact) / paths;
            errB += Math.Abs(b.Y[0] - exact) / paths;
            diff += Math.Abs(a.Y[0] - b.Y[0]) / paths;
            if (a.Stats != b.Stats with { DiffusionEvaluations = a.Stats.DiffusionEvaluations }) differentSteps++;
        }
        output.WriteLine($"{methodName} rtol 1e-3: mean |X − exact| Itô form {errA:E2}, Stratonovich form {errB:E2}; mean |ΔX| {diff:E2}; {differentSteps} of {paths} paths took other steps");
        Assert.True(errA < 2e-3 && errB < 2e-3, $"errors {errA:E2}, {errB:E2}");
    }

    [Theory]
    [InlineData("stochastic-heun", "gbm")]
    [InlineData("stochastic-heun", "gbm-fd")]
    [InlineData("sriw1", "gbm")]
    [InlineData("shark", "nladd")]
    [InlineData("sra1", "nladd")]
    [InlineData("sosra", "nladd")]
    public void Adaptive_steps_allocate_nothing(string methodName, string problemName)
    {
        var problem = problemName switch
        {
            "gbm" => SdeReferenceProblems.Gbm(),
            "gbm-fd" => SdeReferenceProblems.Gbm(exactDerivative: false),
            _ => SdeReferenceProblems.NonlinearAdditive(),
        };
        var method = SdeMethods.Get(methodName);
        // Tight enough for thousands of steps per path (Heun's and SRIW1's estimates on GBM shrink only like h, so
        // they get 1e-4; much tighter, Heun would need steps under the tree's leaf).
        double rtol = problemName.StartsWith("gbm", StringComparison.Ordinal) ? 1e-4 : 1e-5;
        var options = new SdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol, Seed = 5 };
        var integrator = new SdePathIntegrator(problem, method, options);
        integrator.Run(0, null); // warm-up: JIT and the lazily created buffers
        var statuses = new SdeStatus[3];
        long steps = 0, allocated = 0;
        // Up to three windows of the same three paths: an allocation per step shows in every window, while the one
        // non-zero window seen once in a full parallel test run (8160 bytes, the same 6730 steps that allocate nothing
        // when run again) came from the runtime, not from these solves.
        for (int window = 0; window < 3; window++)
        {
            steps = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < statuses.Length; k++)
            {
                var (status, _, stats) = integrator.Run((ulong)k + 1, null);
                statuses[k] = status;
                steps += stats.AcceptedSteps + stats.RejectedSteps;
            }
            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            output.WriteLine($"{methodName} on {problemName}: {allocated} bytes over {steps} attempted steps");
            if (allocated == 0) break;
        }
        Assert.All(statuses, s => Assert.Equal(SdeStatus.Success, s));
        Assert.True(steps > 5000, $"only {steps} steps: not a long solve");
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Adaptive_steps_on_a_caller_tree_allocate_nothing()
    {
        var problem = SdeReferenceProblems.NonlinearAdditive();
        var tree = new VirtualBrownianTree(0, 1, Math.ScaleB(1.0, -20), 1, 9);
        var integrator = new SdePathIntegrator(problem, AdditiveSrkMethod.ShArk, new SdeOptions { RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-5 }, tree);
        integrator.Run(0, null);
        var statuses = new SdeStatus[3];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < statuses.Length; k++)
        {
            tree.Reset((ulong)k + 1);
            statuses[k] = integrator.Run((ulong)k + 1, null).Status;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.All(statuses, s => Assert.Equal(SdeStatus.Success, s));
        Assert.Equal(0, allocated);
    }
}
