using System.Diagnostics;
using System.Globalization;

namespace Ordo.Sampling.Onnx.Tests;

/// <summary>The ONNX networks driven by <see cref="FlowSolver{T}"/>: evaluation counts, accuracy of the fitted GMM2
/// field, the time spent outside the network, and allocation.</summary>
[Collection(nameof(TimingCollection))]
public sealed class OnnxFlowTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("fireflow", 8, 9)]
    [InlineData("euler", 8, 8)]
    [InlineData("fireflow", 30, 31)]
    [InlineData("euler", 30, 30)]
    public void SolverReportsExpectedEvaluations(string sampler, int steps, int nfe)
    {
        using OnnxVelocityModel model = OnnxTestData.OpenUnconditional();
        var solver = new FlowSolver<float>(model, FlowSamplers.Get(sampler), FlowTimeGrid.Uniform(steps));
        float[] points = OnnxTestData.Noise(64, 2, seed: 1);
        FlowRunResult sampled = solver.Sample(points);
        Assert.True(sampled.Succeeded, sampled.Message);
        Assert.Equal(nfe, sampled.Evaluations);
        Assert.Equal(nfe, model.CallCount);

        FlowRunResult inverted = solver.Invert(points);
        Assert.True(inverted.Succeeded, inverted.Message);
        Assert.Equal(nfe, inverted.Evaluations);
        Assert.Equal(2 * nfe, model.CallCount);
    }

    [Fact]
    public void ConditionalReconstructionAndEdit()
    {
        using OnnxVelocityModel model = OnnxTestData.OpenConditional();
        var solver = new FlowSolver<float>(model, FlowSamplers.Get("fireflow"), FlowTimeGrid.Uniform(8));
        float[] data = [1.8f, 1.2f, 2.3f, 0.7f];
        var noise = new float[4];
        var back = new float[4];
        FlowRoundTripResult r = solver.Reconstruct(data, noise, back, FlowCondition.Class(0));
        Assert.True(r.Succeeded);
        Assert.Equal(9, r.Inversion.Evaluations);
        Assert.Equal(9, r.Sampling!.Evaluations);
        double worst = 0;
        for (int i = 0; i < 4; i++) worst = Math.Max(worst, Math.Abs(back[i] - data[i]));
        output.WriteLine($"FireFlow N = 8 reconstruction under class A: largest |x_back − x_data| = {worst:E2}");
        Assert.True(worst < 0.01, $"reconstruction error {worst}");

        // Editing A → B through the network lands near the exact edit map of the two Gaussians.
        var edited = new float[4];
        FlowRoundTripResult e = solver.Edit(data, FlowCondition.Class(0), FlowCondition.Class(1), noise, edited);
        Assert.True(e.Succeeded);
        GaussianMixtureFlow gmm = GaussianMixtureFlow.Gmm2();
        var exact = new double[2];
        for (int p = 0; p < 2; p++)
        {
            Assert.True(gmm.TryExactEdit([data[2 * p], data[2 * p + 1]], 0, 1, exact));
            double err = Math.Sqrt(Sq(edited[2 * p] - exact[0]) + Sq(edited[2 * p + 1] - exact[1]));
            output.WriteLine($"edit A→B of ({data[2 * p]}, {data[2 * p + 1]}): network ({edited[2 * p]:F4}, {edited[2 * p + 1]:F4}), exact ({exact[0]:F4}, {exact[1]:F4}), error {err:F4}");
            Assert.True(err < 0.02, $"edit error {err}");
        }
    }

    /// <summary>
    /// The fitted networks sample close to the exact GMM2 flow: 64 noise points carried from τ = 1 to 0 by RK4 with 40
    /// steps (so the sampler's own error is far below the fit error) against the DOP853 reference of the exact field.
    /// </summary>
    [Theory]
    [InlineData(false, -1)]
    [InlineData(true, 0)]
    [InlineData(true, 1)]
    public void FittedNetworkSamplesNearExactFlow(bool conditional, int component)
    {
        using OnnxVelocityModel model = conditional ? OnnxTestData.OpenConditional() : OnnxTestData.OpenUnconditional();
        FlowCondition condition = conditional ? FlowCondition.Class(component) : FlowCondition.None;
        var solver = new FlowSolver<float>(model, FlowSamplers.Get("rk4"), FlowTimeGrid.Uniform(40));
        const int n = 64;
        float[] z = OnnxTestData.Noise(n, 2, seed: 17);
        float[] x = (float[])z.Clone();
        Assert.True(solver.Sample(x, condition).Succeeded);
        GaussianMixtureFlow gmm = GaussianMixtureFlow.Gmm2();
        var errors = new double[n];
        for (int i = 0; i < n; i++)
        {
            double[] exact = gmm.ReferenceFlow([z[2 * i], z[2 * i + 1]], 1, 0, condition);
            errors[i] = Math.Sqrt(Sq(x[2 * i] - exact[0]) + Sq(x[2 * i + 1] - exact[1]));
        }
        Array.Sort(errors);
        double median = errors[n / 2], p90 = errors[n * 9 / 10];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(conditional ? $"class {component}" : "unconditional")}: |x_network − x_exact| at τ = 0 over {n} points: median {median:F4}, 90th percentile {p90:F4}, max {errors[^1]:F4}"));
        // Measured: median 0.0088 / 0.0025 / 0.0024, 90th percentile 0.031 / 0.0073 / 0.0082 (unconditional / A / B); the
        // largest errors (0.30 unconditional) are points near the separatrix between the components, where the flow splits.
        Assert.True(median < 0.02, $"median endpoint error {median}");
        Assert.True(p90 < 0.06, $"90th-percentile endpoint error {p90}");
    }

    /// <summary>
    /// The issue's overhead figure: batch 64, FireFlow and Euler with N = 8, 16, 30; the time a whole
    /// <see cref="FlowSolver{T}.Sample"/> takes outside ONNX Runtime's session runs (the solver's own work plus the
    /// adapter's copies) must be under 2 % of the total.
    /// </summary>
    /// <remarks>
    /// All configurations are warmed up until the tiered JIT has optimised the solver (its unoptimised tier-0 code alone
    /// costs several per cent), then sampled 60 times. Per sample, inside = time in the session runs
    /// (<see cref="OnnxVelocityModel.RunTime"/>), outside = wall time − inside. On a shared machine other processes
    /// preempt the test at random, which only ever adds time to one part of one sample, so the cost of each part is
    /// estimated by its minimum over the samples and the asserted fraction is min(outside) / (min(outside) + min(inside)).
    /// The median fraction is printed too. The class runs alone (no test classes in parallel).
    /// </remarks>
    [Fact]
    public void TimeOutsideTheNetworkIsUnderTwoPercentAtBatch64()
    {
        using OnnxVelocityModel onnx = OnnxTestData.OpenUnconditional();
        var model = new TimedModel(onnx);
        float[] noise = OnnxTestData.Noise(64, 2, seed: 3);
        var points = new float[noise.Length];
        const int reps = 60;
        double worst = 0;
        output.WriteLine("batch 64, 60 samples per configuration after warm-up; fractions of the time outside the ONNX Runtime runs (outside Evaluate in brackets)");
        FlowSolver<float>[] solvers = [.. from sampler in new[] { "fireflow", "euler" }
                                          from steps in new[] { 8, 16, 30 }
                                          select new FlowSolver<float>(model, FlowSamplers.Get(sampler), FlowTimeGrid.Uniform(steps))];
        WarmUp(solvers, noise, points);
        foreach (FlowSolver<float> solver in solvers)
        {
            var inside = new double[reps];
            var outside = new double[reps];
            var outsideEvaluate = new double[reps];
            for (int r = 0; r < reps; r++)
            {
                noise.CopyTo(points);
                onnx.ResetStatistics();
                model.Reset();
                long start = Stopwatch.GetTimestamp();
                FlowRunResult result = solver.Sample(points);
                double total = Stopwatch.GetElapsedTime(start).TotalSeconds;
                Assert.Equal(solver.EvaluationsPerPass, result.Evaluations);
                Assert.Equal(solver.EvaluationsPerPass, onnx.CallCount);
                inside[r] = onnx.RunTime.TotalSeconds;
                outside[r] = total - inside[r];
                outsideEvaluate[r] = total - model.Inside.TotalSeconds;
            }
            double fraction = outside.Min() / (outside.Min() + inside.Min());
            double fractionEvaluate = outsideEvaluate.Min() / (outside.Min() + inside.Min());
            double median = Median(outside.Select((o, i) => o / (o + inside[i])).ToArray());
            worst = Math.Max(worst, fraction);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{solver.Sampler.Name,-8} N = {solver.Grid.Steps,2} ({solver.EvaluationsPerPass,2} calls): {inside.Min() / solver.EvaluationsPerPass * 1e6,5:F1} µs per network call (min), outside {outside.Min() * 1e6,5:F1} µs per sample (min): {fraction * 100:F2} % ({fractionEvaluate * 100:F2} %); median over the samples {median * 100:F2} %"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"largest fraction outside ONNX Runtime: {worst * 100:F2} % (limit 2 %)"));
        Assert.True(worst < 0.02, $"time outside the network is {worst * 100:F2} % of the total");
    }

    /// <summary>
    /// After warm-up a <see cref="FlowSolver{T}.Sample"/> over the ONNX network allocates exactly what it allocates over
    /// an allocation-free analytic model: the solver's result record; the network's calls allocate nothing.
    /// </summary>
    [Fact]
    public void SampleAllocatesNothingInTheNetwork()
    {
        using OnnxVelocityModel onnx = OnnxTestData.OpenUnconditional();
        float[] noise = OnnxTestData.Noise(64, 2, seed: 4);
        var points = new float[noise.Length];
        var v = new float[noise.Length];

        onnx.Evaluate(noise, 64, 0.5f, FlowCondition.None, v);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++) onnx.Evaluate(noise, 64, 0.5f, FlowCondition.None, v);
        long perEvaluate = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, perEvaluate);

        long onnxSample = SampleAllocation(onnx, noise, points);
        long referenceSample = SampleAllocation(new LinearModel(), noise, points);
        output.WriteLine($"bytes allocated by one Sample (fireflow, N = 8, batch 64) after warm-up: {onnxSample} over the ONNX network, {referenceSample} over an analytic model; 100 Evaluate calls: {perEvaluate}");
        Assert.Equal(referenceSample, onnxSample);
        Assert.True(onnxSample <= 128, $"Sample allocated {onnxSample} bytes");
    }

    /// <summary>
    /// Runs every solver for at least 200 samples and 0.3 s, pauses so that the tiered JIT's background recompilation of
    /// the hot solver methods can finish (on a loaded machine it waits for CPU time too), and repeats once: what is
    /// timed afterwards is steady-state, optimised code.
    /// </summary>
    private static void WarmUp(FlowSolver<float>[] solvers, float[] noise, float[] points)
    {
        for (int round = 0; round < 2; round++)
        {
            foreach (FlowSolver<float> solver in solvers)
            {
                long start = Stopwatch.GetTimestamp();
                for (int w = 0; w < 200 || Stopwatch.GetElapsedTime(start).TotalSeconds < 0.3; w++)
                {
                    noise.CopyTo(points);
                    solver.Sample(points);
                }
            }
            Thread.Sleep(300);
        }
    }

    private static long SampleAllocation(IVelocityModel<float> model, float[] noise, float[] points)
    {
        var solver = new FlowSolver<float>(model, FlowSamplers.Get("fireflow"), FlowTimeGrid.Uniform(8));
        for (int w = 0; w < 3; w++)
        {
            noise.CopyTo(points);
            solver.Sample(points);
        }
        noise.CopyTo(points);
        long before = GC.GetAllocatedBytesForCurrentThread();
        solver.Sample(points);
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static double Median(double[] values)
    {
        double[] sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }

    private static double Sq(double a) => a * a;

    /// <summary>Times the inner model's Evaluate calls.</summary>
    private sealed class TimedModel(IVelocityModel<float> inner) : IVelocityModel<float>
    {
        private long _ticks;

        public int Dimension => inner.Dimension;
        public FlowTimeConvention TimeConvention => inner.TimeConvention;
        public TimeSpan Inside => Stopwatch.GetElapsedTime(0, _ticks);

        public void Reset() => _ticks = 0;

        public void Evaluate(ReadOnlySpan<float> points, int count, float time, in FlowCondition condition, Span<float> velocity)
        {
            long start = Stopwatch.GetTimestamp();
            inner.Evaluate(points, count, time, condition, velocity);
            _ticks += Stopwatch.GetTimestamp() - start;
        }
    }

    /// <summary>v = −x: an allocation-free model for the allocation baseline.</summary>
    private sealed class LinearModel : IVelocityModel<float>
    {
        public int Dimension => 2;
        public FlowTimeConvention TimeConvention => FlowTimeConvention.NoiseAtOne;

        public void Evaluate(ReadOnlySpan<float> points, int count, float time, in FlowCondition condition, Span<float> velocity)
        {
            for (int i = 0; i < points.Length; i++) velocity[i] = -points[i];
        }
    }
}

/// <summary>Test classes that time code run in this collection, which never runs in parallel with others.</summary>
[CollectionDefinition(nameof(TimingCollection), DisableParallelization = true)]
public sealed class TimingCollection;
