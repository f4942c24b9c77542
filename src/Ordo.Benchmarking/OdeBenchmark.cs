using System.Diagnostics;
using Ordo.Integration;
using Ordo.Problems;

namespace Ordo.Benchmarking;

/// <summary>Per-method figures of a benchmark (over all problems and tolerances).</summary>
/// <param name="Side">Ordo or scipy.</param>
/// <param name="Method">Method name.</param>
/// <param name="Runs">Points run.</param>
/// <param name="Failures">Points that did not succeed.</param>
/// <param name="MedianErrorOverTolerance">Median of error / rtol over the successful points (1 = the error is what was
/// asked for; below 1 the method over-delivers).</param>
/// <param name="MedianRhsEvaluations">Median RHS calls per solve.</param>
/// <param name="TotalRhsEvaluations">RHS calls of one solve of every point, added up.</param>
/// <param name="MedianOverhead">Ordo only: median of time / (RHS calls × time of one RHS call); NaN for scipy.</param>
/// <param name="VsScipy">For an Ordo method paired with a scipy one: the comparison; otherwise null.</param>
public sealed record MethodSummary(BenchmarkSide Side, string Method, int Runs, int Failures, double MedianErrorOverTolerance,
    double MedianRhsEvaluations, long TotalRhsEvaluations, double MedianOverhead, PairSummary? VsScipy);

/// <summary>Everything one benchmark run measured.</summary>
public sealed class OdeBenchmarkResult
{
    private readonly Dictionary<string, double> _rhsTime;

    internal OdeBenchmarkResult(OdeBenchmarkOptions options, IReadOnlyList<BenchmarkRun> runs, IReadOnlyList<RhsTiming> rhsTimings,
        ScipyOutcome scipy, MachineInfo machine, DateTimeOffset started, TimeSpan ordoTime, TimeSpan scipyTime)
    {
        Options = options;
        Runs = runs;
        RhsTimings = rhsTimings;
        Scipy = scipy;
        Machine = machine;
        Started = started;
        OrdoElapsed = ordoTime;
        ScipyElapsed = scipyTime;
        _rhsTime = rhsTimings.ToDictionary(r => r.Problem, r => r.SecondsPerCall);
        Comparison = OdeComparison.Compute(runs, options.Pairs);
        MethodSummaries = Summarize();
    }

    /// <summary>What was asked for.</summary>
    public OdeBenchmarkOptions Options { get; }

    /// <summary>Every point, Ordo's first, then scipy's.</summary>
    public IReadOnlyList<BenchmarkRun> Runs { get; }

    /// <summary>Cost of one C# right-hand-side call per problem.</summary>
    public IReadOnlyList<RhsTiming> RhsTimings { get; }

    /// <summary>The scipy side (or why it was skipped).</summary>
    public ScipyOutcome Scipy { get; }

    /// <summary>Ordo ↔ scipy at equal error and at equal tolerance.</summary>
    public OdeComparison Comparison { get; }

    /// <summary>The fixed-step convergence study, or null when it was not run.</summary>
    public ConvergenceStudy? Convergence { get; init; }

    /// <summary>Per-method figures, Ordo's methods first.</summary>
    public IReadOnlyList<MethodSummary> MethodSummaries { get; }

    /// <summary>The machine.</summary>
    public MachineInfo Machine { get; }

    /// <summary>When the benchmark started.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>Wall time of the Ordo part (sweeps, timing and RHS timing).</summary>
    public TimeSpan OrdoElapsed { get; }

    /// <summary>Wall time of the scipy part.</summary>
    public TimeSpan ScipyElapsed { get; }

    /// <summary>The problems that were run, in order.</summary>
    public IEnumerable<string> Problems => Runs.Select(r => r.Problem).Distinct();

    /// <summary>time / (RHS calls × time of one RHS call) for an Ordo run: how much the integrator costs beyond the
    /// right-hand side (1 would be "all time spent in f"). NaN for scipy runs and when unknown.</summary>
    public double Overhead(BenchmarkRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Side != BenchmarkSide.Ordo || !double.IsFinite(run.TimeSeconds) || run.RhsEvaluations <= 0) return double.NaN;
        return _rhsTime.TryGetValue(run.Problem, out double t) && t > 0 ? run.TimeSeconds / (run.RhsEvaluations * t) : double.NaN;
    }

    private List<MethodSummary> Summarize()
    {
        var list = new List<MethodSummary>();
        foreach (IGrouping<(BenchmarkSide Side, string Method), BenchmarkRun> g in Runs.GroupBy(r => (r.Side, r.Method)))
        {
            BenchmarkRun[] ok = g.Where(r => r.IsSuccess).ToArray();
            PairSummary? vs = g.Key.Side == BenchmarkSide.Ordo
                ? Comparison.Pairs.FirstOrDefault(p => string.Equals(p.Pair.OrdoMethod, g.Key.Method, StringComparison.OrdinalIgnoreCase)
                    && (p.RhsRatio.Count > 0 || p.SameToleranceRhsRatio.Count > 0))
                : null;
            list.Add(new MethodSummary(g.Key.Side, g.Key.Method, g.Count(), g.Count() - ok.Length,
                WorkPrecision.Median(ok.Select(r => r.Error / r.RelativeTolerance)),
                WorkPrecision.Median(ok.Select(r => (double)r.RhsEvaluations)),
                g.Sum(r => r.RhsEvaluations),
                WorkPrecision.Median(ok.Select(Overhead)),
                vs));
        }
        return list;
    }
}

/// <summary>
/// The ODE work-precision benchmark: every problem × method × tolerance solved with <see cref="SaveAt.FinalOnly"/>,
/// error against the reference (<see cref="ErrorMetrics.Mixed"/>), counters, and the minimum in-process time per solve
/// over timed batches after a warm-up; then optionally the same sweep with scipy (<see cref="ScipyRunner"/>) and the
/// comparison at equal error (<see cref="OdeComparison"/>). Methodology: ../research/ode.md §4.
/// </summary>
public static class OdeBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    /// <param name="options">What to run; null for the defaults.</param>
    /// <param name="progress">Receives progress reports (one per point).</param>
    /// <param name="cancellationToken">Stops the benchmark between solves.</param>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static OdeBenchmarkResult Run(OdeBenchmarkOptions? options = null, IProgress<BenchmarkProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new OdeBenchmarkOptions();
        options.Validate();
        DateTimeOffset started = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();

        string loadBefore = MachineInfo.LoadAverage();
        WarmUp(options, progress, cancellationToken);
        var runs = new List<BenchmarkRun>();
        var rhsTimings = new List<RhsTiming>();
        int total = options.Problems.Count * options.Methods.Count * options.RelativeTolerances.Count;
        int done = 0;
        foreach (OdeTestProblem problem in options.Problems)
        {
            OdeProblem<double> ode = problem.ToProblem();
            foreach (IOdeMethod method in options.Methods)
            {
                // Per-pair warm-up: JIT this problem's right-hand side together with the method.
                WarmUpPair(ode, method, problem, options, options.RelativeTolerances.Max(), TimeSpan.FromMilliseconds(5), 3, cancellationToken);
                foreach (double rtol in options.RelativeTolerances.OrderByDescending(r => r))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new BenchmarkProgress("ordo", done, total, FormattableString.Invariant($"{problem.Name} {method.Name} {rtol:0e0}")));
                    runs.Add(RunPoint(problem, ode, method, rtol, options, cancellationToken));
                    done++;
                }
            }
            rhsTimings.Add(new RhsTiming(problem.Name, TimeRhs(problem)));
        }
        progress?.Report(new BenchmarkProgress("ordo", done, total, "done"));
        ConvergenceStudy? convergence = null;
        if (options.RunConvergence)
        {
            OdeTestProblem? exact = options.Problems.FirstOrDefault(p => p.Name == "DETEST_D1" && p.Exact is not null)
                ?? options.Problems.FirstOrDefault(p => p.Exact is not null);
            if (exact is not null)
            {
                progress?.Report(new BenchmarkProgress("convergence", 0, 1, exact.Name));
                convergence = ConvergenceStudy.Run(exact, options.ConvergenceMethods, cancellationToken);
            }
        }
        TimeSpan ordoTime = clock.Elapsed;

        ScipyOutcome scipy;
        if (options.RunScipy)
        {
            scipy = new ScipyRunner(options.PythonPath).Run(options.Problems, options.ScipyMethods, options.RelativeTolerances,
                options.ScipyRhsBudget, progress, cancellationToken);
            runs.AddRange(scipy.Runs);
        }
        else
        {
            scipy = ScipyOutcome.Skipped("scipy comparison not run (--no-scipy).");
        }
        return new OdeBenchmarkResult(options, runs, rhsTimings, scipy, MachineInfo.Current() with { LoadBefore = loadBefore }, started, ordoTime, clock.Elapsed - ordoTime)
        {
            Convergence = convergence,
        };
    }

    private static OdeOptions SolveOptions(OdeTestProblem problem, double rtol, OdeBenchmarkOptions options) => new()
    {
        RelativeTolerance = rtol,
        AbsoluteTolerance = problem.SuggestedAtolFactor * rtol,
        MaxSteps = options.MaxSteps,
        Save = SaveAt.FinalOnly,
    };

    /// <summary>
    /// Brings the code to the optimized JIT tier before anything is timed. With tiered compilation and dynamic PGO
    /// (the .NET defaults) a method runs unoptimized, then instrumented, and is recompiled with optimizations only after
    /// it has been called often enough and no new code has been compiled for a while; measured here, a 0.3 s warm-up
    /// left some methods 5× slower than their steady state for several seconds. So every problem × method pair is solved
    /// at the loosest tolerance, round after round, until <see cref="OdeBenchmarkOptions.WarmUpTime"/> has passed (at
    /// least one round). Warming up with all problems also keeps the profile the same whatever the order of the sweep.
    /// </summary>
    private static void WarmUp(OdeBenchmarkOptions options, IProgress<BenchmarkProgress>? progress, CancellationToken cancellationToken)
    {
        double rtol = options.RelativeTolerances.Max();
        (OdeTestProblem Problem, OdeProblem<double> Ode)[] problems = options.Problems.Select(p => (p, p.ToProblem())).ToArray();
        var clock = Stopwatch.StartNew();
        double total = options.WarmUpTime.TotalSeconds;
        int rounds = 0;
        do
        {
            foreach ((OdeTestProblem problem, OdeProblem<double> ode) in problems)
            {
                progress?.Report(new BenchmarkProgress("warm-up", (int)Math.Min(100, 100 * clock.Elapsed.TotalSeconds / Math.Max(total, 1e-9)), 100,
                    FormattableString.Invariant($"round {rounds + 1}, {problem.Name}")));
                foreach (IOdeMethod method in options.Methods)
                    WarmUpPair(ode, method, problem, options, rtol, TimeSpan.FromMilliseconds(2), 1, cancellationToken);
            }
            rounds++;
        }
        while (clock.Elapsed < options.WarmUpTime);
        progress?.Report(new BenchmarkProgress("warm-up", 100, 100, FormattableString.Invariant($"{rounds} round(s) in {clock.Elapsed.TotalSeconds:0.0} s")));
    }

    private static void WarmUpPair(OdeProblem<double> ode, IOdeMethod method, OdeTestProblem problem, OdeBenchmarkOptions options,
        double rtol, TimeSpan duration, int minSolves, CancellationToken cancellationToken)
    {
        OdeOptions o = SolveOptions(problem, rtol, options);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < minSolves || clock.Elapsed < duration; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Ode.Solve(ode, method, o);
            }
            catch (ArgumentException)
            {
                return; // reported by RunPoint
            }
        }
    }

    private static BenchmarkRun RunPoint(OdeTestProblem problem, OdeProblem<double> ode, IOdeMethod method, double rtol,
        OdeBenchmarkOptions options, CancellationToken cancellationToken)
    {
        OdeOptions o = SolveOptions(problem, rtol, options);
        OdeSolution<double> solution;
        try
        {
            solution = Ode.Solve(ode, method, o);
        }
        catch (ArgumentException ex)
        {
            return new BenchmarkRun(BenchmarkSide.Ordo, problem.Name, method.Name, rtol, o.AbsoluteTolerance, "error", ex.Message,
                double.NaN, double.NaN, 0, 0, 0, double.NaN, 0);
        }
        bool success = solution.Status == OdeStatus.Success;
        double error = double.NaN, l2 = double.NaN;
        if (success && problem.HasReference)
        {
            error = ErrorMetrics.Mixed(solution.Y, problem.ReferenceFinal, problem.SuggestedAtolFactor);
            l2 = ErrorMetrics.RelativeL2(solution.Y, problem.ReferenceFinal);
        }

        OdeStats s = solution.Stats;
        if (!success)
        {
            // A failed solve is not timed (it may have run to MaxSteps); it is reported with its counters.
            return new BenchmarkRun(BenchmarkSide.Ordo, problem.Name, method.Name, rtol, o.AbsoluteTolerance,
                solution.Status.ToIdentifier(), solution.Message, error, l2, s.RhsEvaluations, s.AcceptedSteps, s.RejectedSteps, double.NaN, 0);
        }

        // Timing: one more untimed solve sizes the batches, then batches until MinTimePerRun and MinBatches are both reached;
        // the result is the fastest batch's time per solve.
        long t0 = Stopwatch.GetTimestamp();
        Ode.Solve(ode, method, o);
        double single = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        int perBatch = (int)Math.Clamp(Math.Ceiling(options.BatchTime.TotalSeconds / Math.Max(single, 1e-9)), 1, 1_000_000);
        double best = double.PositiveInfinity;
        int batches = 0, solves = 0;
        var clock = Stopwatch.StartNew();
        while (batches < options.MinBatches || clock.Elapsed < options.MinTimePerRun)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < perBatch; i++) Ode.Solve(ode, method, o);
            double perSolve = Stopwatch.GetElapsedTime(start).TotalSeconds / perBatch;
            best = Math.Min(best, perSolve);
            batches++;
            solves += perBatch;
        }
        return new BenchmarkRun(BenchmarkSide.Ordo, problem.Name, method.Name, rtol, o.AbsoluteTolerance,
            solution.Status.ToIdentifier(), "", error, l2,
            s.RhsEvaluations, s.AcceptedSteps, s.RejectedSteps, best, solves);
    }

    /// <summary>Median time of one right-hand-side call at (t0, y0) over 51 batches (each about 20 µs long).</summary>
    internal static double TimeRhs(OdeTestProblem problem)
    {
        OdeFunction<double> f = problem.Rhs;
        double[] y = problem.InitialState.ToArray();
        double[] dy = new double[y.Length];
        double t = problem.T0;
        for (int i = 0; i < 2000; i++) f(t, y, dy);
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < 1000; i++) f(t, y, dy);
        double one = Math.Max(Stopwatch.GetElapsedTime(start).TotalSeconds / 1000, 1e-10);
        int perBatch = (int)Math.Clamp(20e-6 / one, 10, 1_000_000);
        double[] samples = new double[51];
        for (int b = 0; b < samples.Length; b++)
        {
            long s = Stopwatch.GetTimestamp();
            for (int i = 0; i < perBatch; i++) f(t, y, dy);
            samples[b] = Stopwatch.GetElapsedTime(s).TotalSeconds / perBatch;
        }
        return WorkPrecision.Median(samples);
    }
}
