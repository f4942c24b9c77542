using System.Diagnostics;
using Ordo.Integration;

namespace Ordo.Benchmarking.Sde;

/// <summary>What the <c>sde</c> suite runs.</summary>
public sealed record SdeBenchmarkOptions
{
    /// <summary>Problem names (<see cref="SdeBenchProblems"/>): GBM, OU, DW8.</summary>
    public IReadOnlyList<string> Problems { get; init; } = ["GBM", "OU", "DW8"];

    /// <summary>Paths of the Euler–Maruyama comparison for a scalar problem (default 10⁵). A problem of dimension d runs
    /// Paths/d paths, so that every problem updates the same number of state values per step.</summary>
    public int Paths { get; init; } = 100_000;

    /// <summary>Fixed steps per path on [0, 1] (default 100, h = 0.01).</summary>
    public int Steps { get; init; } = 100;

    /// <summary>Timed repetitions of each measurement (the median is reported).</summary>
    public int Repeat { get; init; } = 3;

    /// <summary>Run the numpy Euler–Maruyama in the same run.</summary>
    public bool RunNumpy { get; init; } = true;

    /// <summary>Higher-order methods timed with the same fixed steps (single-threaded), where the problem's noise allows them.</summary>
    public IReadOnlyList<string> FixedMethods { get; init; } = ["sriw1", "shark", "sra1"];

    /// <summary>Methods timed with adaptive steps on the virtual Brownian tree (single-threaded).</summary>
    public IReadOnlyList<string> AdaptiveMethods { get; init; } = ["shark", "sriw1"];

    /// <summary>Relative tolerances of the adaptive runs (atol = rtol).</summary>
    public IReadOnlyList<double> AdaptiveTolerances { get; init; } = [1e-2, 1e-3];

    /// <summary>Master seed of Ordo's ensembles (and of numpy's generator).</summary>
    public ulong Seed { get; init; } = 20261202;

    /// <summary>Minimum time each configuration runs untimed before it is measured (so that it executes optimized code).</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(0.25);

    /// <summary>Paths of the Euler–Maruyama runs of <paramref name="problem"/>: <see cref="Paths"/>/d.</summary>
    public int EulerPaths(SdeBenchProblem problem) => Math.Max(1, Paths / problem.Dimension);

    /// <summary>Paths of the fixed-step higher-order runs: a tenth of <see cref="EulerPaths"/> (their throughput is
    /// per path-step, so fewer paths measure it as well).</summary>
    public int HigherOrderPaths(SdeBenchProblem problem) => Math.Max(1, EulerPaths(problem) / 10);

    /// <summary>Paths of the adaptive runs: a hundredth of <see cref="EulerPaths"/>.</summary>
    public int AdaptivePaths(SdeBenchProblem problem) => Math.Max(1, EulerPaths(problem) / 100);
}

/// <summary>One timed ensemble (Ordo) or one vectorized run (numpy).</summary>
/// <param name="Problem">Problem name.</param>
/// <param name="Side">"Ordo" or "numpy".</param>
/// <param name="Method">Ordo's method name; numpy: "euler-maruyama (plain)" or "euler-maruyama (inplace)".</param>
/// <param name="Adaptive">Adaptive steps (on the virtual Brownian tree) rather than fixed steps.</param>
/// <param name="RelativeTolerance">rtol = atol of an adaptive run; NaN for fixed steps.</param>
/// <param name="Threads">Worker threads (numpy: 1).</param>
/// <param name="Paths">Paths.</param>
/// <param name="Dimension">State dimension d.</param>
/// <param name="AcceptedSteps">Accepted steps summed over the paths.</param>
/// <param name="RejectedSteps">Rejected steps summed over the paths.</param>
/// <param name="Seconds">Median time of the repetitions.</param>
/// <param name="Times">Every repetition's time, seconds.</param>
/// <param name="CpuSeconds">Median CPU time of the running thread (single-threaded runs; NaN otherwise or where unavailable).</param>
/// <param name="Mean">Mean of the final state per component.</param>
/// <param name="Variance">Sample variance of the final state per component.</param>
/// <param name="AllocatedBytes">Bytes allocated on the running thread by one single-threaded ensemble (−1: not measured).</param>
/// <param name="FailedPaths">Paths that did not reach t1.</param>
public sealed record SdeBenchRun(string Problem, string Side, string Method, bool Adaptive, double RelativeTolerance, int Threads,
    int Paths, int Dimension, long AcceptedSteps, long RejectedSteps, double Seconds, IReadOnlyList<double> Times,
    double CpuSeconds, IReadOnlyList<double> Mean, IReadOnlyList<double> Variance, long AllocatedBytes, long FailedPaths)
{
    /// <summary>Attempted steps summed over the paths (accepted + rejected): the work.</summary>
    public long PathSteps => AcceptedSteps + RejectedSteps;

    /// <summary>Path-steps per second of wall time.</summary>
    public double Throughput => PathSteps / Seconds;

    /// <summary>Path-steps per second of the thread's CPU time (NaN when not measured).</summary>
    public double CpuThroughput => PathSteps / CpuSeconds;

    /// <summary>Attempted steps per path.</summary>
    public double StepsPerPath => (double)PathSteps / Paths;

    /// <summary>Allocated bytes per path-step (NaN when not measured).</summary>
    public double BytesPerPathStep => AllocatedBytes < 0 ? double.NaN : (double)AllocatedBytes / PathSteps;

    /// <summary>"fixed" or "adaptive rtol=…".</summary>
    public string Stepping => Adaptive ? FormattableString.Invariant($"adaptive rtol={RelativeTolerance:0e-0}") : "fixed";
}

/// <summary>The cost of the noise alone: Ordo's fixed-grid increments (Philox4x32-10 + Box–Muller per increment) and
/// numpy's default_rng normals (PCG64 + ziggurat), nanoseconds of thread CPU time per normal.</summary>
/// <param name="OrdoNanoseconds">Ordo: one <see cref="BrownianIncrements.Step"/> lane.</param>
/// <param name="NumpyNanoseconds">numpy: <c>standard_normal(out=)</c> per value (NaN without numpy).</param>
public sealed record SdeNoiseCost(double OrdoNanoseconds, double NumpyNanoseconds);

/// <summary>The outcome of the <c>sde</c> suite.</summary>
/// <param name="Options">What ran.</param>
/// <param name="Problems">The problems, in order.</param>
/// <param name="Runs">Every run, Ordo's and numpy's.</param>
/// <param name="Noise">The cost of the noise alone.</param>
/// <param name="NumpyMessage">numpy's versions, or why it was skipped.</param>
/// <param name="Machine">The machine.</param>
public sealed record SdeBenchmarkResult(SdeBenchmarkOptions Options, IReadOnlyList<SdeBenchProblem> Problems, IReadOnlyList<SdeBenchRun> Runs,
    SdeNoiseCost Noise, string NumpyMessage, MachineInfo Machine)
{
    /// <summary>The Ordo Euler–Maruyama run of a problem with <paramref name="threads"/> threads.</summary>
    public SdeBenchRun? OrdoEuler(string problem, int threads) =>
        Runs.FirstOrDefault(r => r.Problem == problem && r.Side == "Ordo" && r.Method == EulerMaruyama.Instance.Name && r.Threads == threads);

    /// <summary>The faster numpy run of a problem (the baseline of the ratios).</summary>
    public SdeBenchRun? NumpyBest(string problem) =>
        Runs.Where(r => r.Problem == problem && r.Side == "numpy").OrderByDescending(r => r.Throughput).FirstOrDefault();

    /// <summary>Threads of the all-core runs.</summary>
    public int AllCores => Runs.Where(r => r.Side == "Ordo").Select(r => r.Threads).DefaultIfEmpty(1).Max();
}

/// <summary>
/// The <c>sde</c> suite (issue 7, "Speed"): ensemble throughput in path-steps per second of Ordo's Euler–Maruyama with
/// fixed steps (single-threaded and on all cores) against a vectorized numpy Euler–Maruyama on the same SDEs in the same
/// run; the higher-order methods with the same steps and adaptively; the bytes allocated per path-step; and the
/// ensemble mean and variance of both sides against the closed forms.
/// </summary>
public static class SdeBenchmark
{
    /// <summary>Runs the suite.</summary>
    public static SdeBenchmarkResult Run(SdeBenchmarkOptions options, IProgress<BenchmarkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Paths, nameof(options.Paths));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Steps, nameof(options.Steps));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Repeat, nameof(options.Repeat));
        string loadBefore = MachineInfo.LoadAverage();
        var problems = options.Problems.Select(n => SdeBenchProblems.Find(n) ?? throw new ArgumentException($"Unknown SDE benchmark problem '{n}'.", nameof(options))).ToList();
        var plan = Plan(options, problems);
        var runs = new List<SdeBenchRun>();
        for (int k = 0; k < plan.Count; k++)
        {
            var (problem, method, adaptive, rtol, threads, paths) = plan[k];
            progress?.Report(new BenchmarkProgress("sde: Ordo", k, plan.Count,
                $"{problem.Name} {method.Name} {(adaptive ? FormattableString.Invariant($"rtol {rtol:0e-0}") : "fixed")}, {paths:N0} paths, {threads} thread(s)"));
            runs.Add(RunOrdo(problem, method, adaptive, rtol, threads, paths, options));
        }
        progress?.Report(new BenchmarkProgress("sde: Ordo", plan.Count, plan.Count, "done"));
        double ordoNoise = NoiseNanoseconds(options);
        string numpyMessage = "numpy comparison not requested (--no-numpy).";
        double numpyNoise = double.NaN;
        if (options.RunNumpy)
        {
            progress?.Report(new BenchmarkProgress("sde: numpy", 0, 1, string.Join(",", problems.Select(p => p.Name))));
            var byName = problems.ToDictionary(p => p.Name);
            NumpySdeOutcome numpy = new NumpySdeRunner().Run(problems.Select(p => p.Name).ToList(), n => options.EulerPaths(byName[n]),
                options.Steps, options.Repeat, options.Seed);
            numpyMessage = numpy.Message;
            foreach (NumpySdeRun r in numpy.Runs)
            {
                var times = r.Seconds.ToList();
                long steps = (long)r.Paths * r.Steps;
                runs.Add(new SdeBenchRun(r.Problem, "numpy", $"euler-maruyama ({r.Variant})", false, double.NaN, 1, r.Paths, r.Mean.Count,
                    steps, 0, WorkPrecision.Median(times), times, WorkPrecision.Median(r.CpuSeconds), r.Mean, r.Variance, -1, 0));
            }
            var normals = numpy.Runs.Where(r => r.NormalSeconds.Count > 0).Select(r => 1e9 * WorkPrecision.Median(r.NormalSeconds) / ((double)r.Paths * r.Steps * r.Mean.Count)).ToList();
            if (normals.Count > 0) numpyNoise = WorkPrecision.Median(normals);
            progress?.Report(new BenchmarkProgress("sde: numpy", 1, 1, "done"));
        }
        var machine = MachineInfo.Current() with { LoadBefore = loadBefore };
        return new SdeBenchmarkResult(options, problems, runs, new SdeNoiseCost(ordoNoise, numpyNoise), numpyMessage, machine);
    }

    /// <summary>Every Ordo measurement: Euler–Maruyama on one thread and on all cores, then the higher-order methods
    /// (one thread) that fit the problem's noise, fixed and adaptive.</summary>
    private static List<(SdeBenchProblem Problem, SdeMethod Method, bool Adaptive, double Rtol, int Threads, int Paths)> Plan(
        SdeBenchmarkOptions options, List<SdeBenchProblem> problems)
    {
        var plan = new List<(SdeBenchProblem, SdeMethod, bool, double, int, int)>();
        int cores = Environment.ProcessorCount;
        foreach (SdeBenchProblem p in problems)
        {
            SdeProblem sde = p.Create();
            plan.Add((p, EulerMaruyama.Instance, false, double.NaN, 1, options.EulerPaths(p)));
            if (cores > 1) plan.Add((p, EulerMaruyama.Instance, false, double.NaN, cores, options.EulerPaths(p)));
            foreach (SdeMethod m in options.FixedMethods.Select(SdeMethods.Get).Where(m => m.Unsupported(sde) is null))
                plan.Add((p, m, false, double.NaN, 1, options.HigherOrderPaths(p)));
            foreach (SdeMethod m in options.AdaptiveMethods.Select(SdeMethods.Get).Where(m => m.Unsupported(sde) is null && m.HasErrorEstimate))
                foreach (double rtol in options.AdaptiveTolerances)
                    plan.Add((p, m, true, rtol, 1, options.AdaptivePaths(p)));
        }
        return plan;
    }

    /// <summary>One configuration: warm-up (small ensembles for <see cref="SdeBenchmarkOptions.WarmUp"/>), then
    /// <see cref="SdeBenchmarkOptions.Repeat"/> timed ensembles; a single-threaded one also counts its allocations.</summary>
    public static SdeBenchRun RunOrdo(SdeBenchProblem problem, SdeMethod method, bool adaptive, double rtol, int threads, int paths,
        SdeBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(options);
        SdeProblem sde = problem.Create();
        var sdeOptions = adaptive
            ? new SdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = rtol, Seed = options.Seed }
            : new SdeOptions { FixedStep = (sde.T1 - sde.T0) / options.Steps, Seed = options.Seed };
        var ensemble = new SdeEnsembleOptions { Paths = paths, Quantiles = [], MaxDegreeOfParallelism = threads == 1 ? 1 : -1 };
        var warm = ensemble with { Paths = Math.Min(paths, 256) };
        var clock = Stopwatch.StartNew();
        do SdeEnsemble.Solve(sde, method, sdeOptions, warm);
        while (clock.Elapsed < options.WarmUp);

        var times = new List<double>();
        var cpu = new List<double>();
        SdeEnsembleResult? result = null;
        long allocated = -1;
        for (int k = 0; k < options.Repeat; k++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            double cpuBefore = ThreadCpuClock.Seconds();
            var sw = Stopwatch.StartNew();
            result = SdeEnsemble.Solve(sde, method, sdeOptions, ensemble);
            times.Add(sw.Elapsed.TotalSeconds);
            // With one worker, Parallel.For runs every block on the calling thread, so its CPU time and allocations are the run's.
            if (threads == 1)
            {
                cpu.Add(ThreadCpuClock.Seconds() - cpuBefore);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }
        return new SdeBenchRun(problem.Name, "Ordo", method.Name, adaptive, adaptive ? rtol : double.NaN, threads, paths, sde.Dimension,
            result!.Stats.AcceptedSteps, result.Stats.RejectedSteps, WorkPrecision.Median(times), times, WorkPrecision.Median(cpu), result.Mean, result.Variance, allocated,
            result.Paths - result.SuccessfulPaths);
    }

    /// <summary>Nanoseconds (thread CPU time) per Brownian increment of the fixed-grid generator, drawn the way a
    /// fixed-step ensemble draws them (one lane, <see cref="SdeBenchmarkOptions.Steps"/> steps per stream).</summary>
    private static double NoiseNanoseconds(SdeBenchmarkOptions options)
    {
        int steps = options.Steps, streams = Math.Max(1, 1_000_000 / steps);
        var grid = new BrownianIncrements(0, 1.0 / steps, steps, 1, options.Seed);
        Span<double> dW = stackalloc double[1], dH = stackalloc double[1];
        double sink = 0;
        var times = new List<double>();
        for (int k = 0; k < options.Repeat + 1; k++)
        {
            var sw = Stopwatch.StartNew();
            double cpuBefore = ThreadCpuClock.Seconds();
            for (int s = 0; s < streams; s++)
            {
                grid.Reset((ulong)s);
                for (int n = 0; n < steps; n++)
                {
                    grid.Step(n, dW, dH);
                    sink += dW[0];
                }
            }
            double cpu = ThreadCpuClock.Seconds() - cpuBefore;
            if (k > 0) times.Add(double.IsFinite(cpu) ? cpu : sw.Elapsed.TotalSeconds); // the first pass warms up
        }
        GC.KeepAlive(sink);
        return 1e9 * WorkPrecision.Median(times) / ((double)streams * steps);
    }
}
