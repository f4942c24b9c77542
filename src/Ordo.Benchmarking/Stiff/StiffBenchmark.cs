using System.Diagnostics;
using Ordo.Integration;
using Ordo.Problems;

namespace Ordo.Benchmarking.Stiff;

/// <summary>Everything one stiff benchmark run measured.</summary>
public sealed class StiffBenchmarkResult
{
    internal StiffBenchmarkResult(StiffBenchmarkOptions options, IReadOnlyList<StiffRun> ordo, BaselineOutcome cvode, BaselineOutcome scipy,
        MachineInfo machine, DateTimeOffset started, TimeSpan ordoTime, TimeSpan cvodeTime, TimeSpan scipyTime)
    {
        Options = options;
        Runs = [.. ordo, .. cvode.Runs, .. scipy.Runs];
        Cvode = cvode;
        Scipy = scipy;
        Machine = machine;
        Started = started;
        OrdoElapsed = ordoTime;
        CvodeElapsed = cvodeTime;
        ScipyElapsed = scipyTime;
        Comparison = StiffComparison.Compute(Runs);
    }

    /// <summary>What was asked for.</summary>
    public StiffBenchmarkOptions Options { get; }

    /// <summary>Every point: Ordo's, then CVODE's, then scipy's.</summary>
    public IReadOnlyList<StiffRun> Runs { get; }

    /// <summary>The CVODE side (or why it was skipped).</summary>
    public BaselineOutcome Cvode { get; }

    /// <summary>The scipy side (or why it was skipped).</summary>
    public BaselineOutcome Scipy { get; }

    /// <summary>The comparisons at equal accuracy.</summary>
    public StiffComparison Comparison { get; }

    /// <summary>The machine.</summary>
    public MachineInfo Machine { get; }

    /// <summary>When the benchmark started.</summary>
    public DateTimeOffset Started { get; }

    /// <summary>Wall time of the Ordo part (warm-up and sweep).</summary>
    public TimeSpan OrdoElapsed { get; }

    /// <summary>Wall time of the CVODE part (build and sweep).</summary>
    public TimeSpan CvodeElapsed { get; }

    /// <summary>Wall time of the scipy part.</summary>
    public TimeSpan ScipyElapsed { get; }

    /// <summary>The problems that were run, in order.</summary>
    public IEnumerable<string> Problems => Options.Problems.Select(p => p.Name);
}

/// <summary>
/// The stiff benchmark (<c>ordo bench --suite stiff</c>): every stiff problem × Ordo stiff method × tolerance solved
/// with <see cref="SaveAt.FinalOnly"/> and the problem's exact Jacobian, error against the reference
/// (<see cref="ErrorMetrics.Mixed"/>, as the ode suite), counters (RHS, Jacobian evaluations, LU decompositions,
/// steps) and the median in-process time of repeated solves after a warm-up; then CVODE (<see cref="CvodeRunner"/>) and
/// scipy's Radau/BDF/LSODA (<see cref="StiffScipyRunner"/>) on the same problems and tolerances, and the comparison at
/// equal accuracy (<see cref="StiffComparison"/>). Methodology: ../research/ode.md §4; targets: issue 6.
/// </summary>
public static class StiffBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    /// <param name="options">What to run; null for the defaults.</param>
    /// <param name="progress">Receives progress reports (one per point).</param>
    /// <param name="cancellationToken">Stops the benchmark between solves.</param>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static StiffBenchmarkResult Run(StiffBenchmarkOptions? options = null, IProgress<BenchmarkProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new StiffBenchmarkOptions();
        options.Validate();
        DateTimeOffset started = DateTimeOffset.Now;
        string loadBefore = MachineInfo.LoadAverage();
        var clock = Stopwatch.StartNew();

        WarmUp(options, progress, cancellationToken);
        List<StiffRun> ordo = RunOrdo(options, progress, cancellationToken);
        TimeSpan ordoTime = clock.Elapsed;

        BaselineOutcome cvode;
        if (options.RunCvode)
        {
            string dir = options.BuildDirectory ?? Directory.CreateTempSubdirectory("ordo-cvode-").FullName;
            cvode = new CvodeRunner(options.Compiler).Run(options.Problems, options.RelativeTolerances, dir,
                options.RunCvodeDifferenceQuotient, options.MinTimePerPoint.TotalSeconds, options.MaxRepeats, progress, cancellationToken);
        }
        else
        {
            cvode = BaselineOutcome.Skipped("CVODE comparison not run (--no-cvode).");
        }
        TimeSpan cvodeTime = clock.Elapsed - ordoTime;

        BaselineOutcome scipy = options.RunScipy
            ? new StiffScipyRunner(options.PythonPath).Run(options.Problems, options.ScipyMethods, options.RelativeTolerances, options, progress, cancellationToken)
            : BaselineOutcome.Skipped("scipy comparison not run (--no-scipy).");
        TimeSpan scipyTime = clock.Elapsed - ordoTime - cvodeTime;
        return new StiffBenchmarkResult(options, ordo, cvode, scipy, MachineInfo.Current() with { LoadBefore = loadBefore },
            started, ordoTime, cvodeTime, scipyTime);
    }

    private static OdeOptions SolveOptions(OdeTestProblem problem, double rtol, StiffBenchmarkOptions options, CancellationToken token = default) => new()
    {
        RelativeTolerance = rtol,
        AbsoluteTolerance = problem.SuggestedAtolFactor * rtol,
        MaxSteps = options.MaxSteps,
        Save = SaveAt.FinalOnly,
        CancellationToken = token,
    };

    /// <summary>Brings every method to the optimized JIT tier before anything is timed (tier-0 code is 10–20× slower):
    /// every problem × method at the loosest tolerance, round after round, until <see cref="StiffBenchmarkOptions.WarmUpTime"/>
    /// has passed (at least one round). A solve that throws is left to the sweep to report.</summary>
    private static void WarmUp(StiffBenchmarkOptions options, IProgress<BenchmarkProgress>? progress, CancellationToken cancellationToken)
    {
        double rtol = options.RelativeTolerances.Max();
        (OdeTestProblem Problem, OdeProblem<double> Ode)[] problems = options.Problems.Select(p => (p, p.ToProblem())).ToArray();
        var clock = Stopwatch.StartNew();
        double total = Math.Max(options.WarmUpTime.TotalSeconds, 1e-9);
        int rounds = 0;
        var broken = new HashSet<(string, string)>();
        do
        {
            foreach ((OdeTestProblem problem, OdeProblem<double> ode) in problems)
            {
                progress?.Report(new BenchmarkProgress("warm-up", (int)Math.Min(100, 100 * clock.Elapsed.TotalSeconds / total), 100,
                    FormattableString.Invariant($"round {rounds + 1}, {problem.Name}")));
                foreach (IOdeMethod method in options.Methods)
                {
                    if (broken.Contains((problem.Name, method.Name))) continue;
                    cancellationToken.ThrowIfCancellationRequested();
                    using var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    cap.CancelAfter(TimeSpan.FromSeconds(2));
                    try
                    {
                        Ode.Solve(ode, method, SolveOptions(problem, rtol, options, cap.Token));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        broken.Add((problem.Name, method.Name)); // reported by the sweep
                    }
                }
            }
            rounds++;
        }
        while (clock.Elapsed < options.WarmUpTime);
        progress?.Report(new BenchmarkProgress("warm-up", 100, 100, FormattableString.Invariant($"{rounds} round(s) in {clock.Elapsed.TotalSeconds:0.0} s")));
    }

    private static List<StiffRun> RunOrdo(StiffBenchmarkOptions options, IProgress<BenchmarkProgress>? progress, CancellationToken cancellationToken)
    {
        var runs = new List<StiffRun>();
        double[] rtols = options.RelativeTolerances.OrderByDescending(r => r).ToArray();
        int total = options.Problems.Count * options.Methods.Count * rtols.Length, done = 0;
        foreach (OdeTestProblem problem in options.Problems)
        {
            OdeProblem<double> ode = problem.ToProblem();
            foreach (IOdeMethod method in options.Methods)
            {
                StiffRun? previous = null;
                double previousSeconds = 0;
                foreach (double rtol in rtols)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new BenchmarkProgress("ordo", done, total, FormattableString.Invariant($"{problem.Name} {method.Name} {rtol:0e0}")));
                    double atol = problem.SuggestedAtolFactor * rtol;
                    StiffRun run;
                    if (previous is { IsSuccess: false })
                    {
                        // A method that failed (or was skipped) at a looser tolerance is not tried at a tighter one.
                        run = StiffRun.Failed(StiffRun.Ordo, problem.Name, method.Name, rtol, atol, "skipped", previous.Status == "skipped"
                            ? previous.Message
                            : FormattableString.Invariant($"{previous.Status} at rtol {previous.RelativeTolerance:0e0}"));
                    }
                    else if (previous is not null && previousSeconds * options.TimeGrowth > options.MaxRunTime.TotalSeconds)
                    {
                        run = StiffRun.Failed(StiffRun.Ordo, problem.Name, method.Name, rtol, atol, "skipped", FormattableString.Invariant(
                            $"predicted > {options.MaxRunTime.TotalSeconds:0} s ({previousSeconds:0.0} s at rtol {previous.RelativeTolerance:0e0})"));
                    }
                    else
                    {
                        (run, previousSeconds) = RunPoint(problem, ode, method, rtol, options, cancellationToken);
                    }
                    runs.Add(run);
                    previous = run;
                    done++;
                }
            }
        }
        progress?.Report(new BenchmarkProgress("ordo", done, total, "done"));
        return runs;
    }

    /// <summary>One point: a first solve for the counters, status and error (under the
    /// <see cref="StiffBenchmarkOptions.MaxRunTime"/> cap), then timed solves one by one until they add up to
    /// <see cref="StiffBenchmarkOptions.MinTimePerPoint"/> (at least 3), and the median; a first solve longer than
    /// that is the point's only time. Returns the run and the first solve's seconds.</summary>
    private static (StiffRun Run, double Seconds) RunPoint(OdeTestProblem problem, OdeProblem<double> ode, IOdeMethod method, double rtol,
        StiffBenchmarkOptions options, CancellationToken cancellationToken)
    {
        double atol = problem.SuggestedAtolFactor * rtol;
        OdeSolution<double> solution;
        long t0 = Stopwatch.GetTimestamp();
        using (var cap = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            cap.CancelAfter(options.MaxRunTime);
            try
            {
                solution = Ode.Solve(ode, method, SolveOptions(problem, rtol, options, cap.Token));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (StiffRun.Failed(StiffRun.Ordo, problem.Name, method.Name, rtol, atol, "time_exceeded",
                    FormattableString.Invariant($"aborted after {options.MaxRunTime.TotalSeconds:0} s")), Stopwatch.GetElapsedTime(t0).TotalSeconds);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return (StiffRun.Failed(StiffRun.Ordo, problem.Name, method.Name, rtol, atol, "error", $"{ex.GetType().Name}: {ex.Message}"),
                    Stopwatch.GetElapsedTime(t0).TotalSeconds);
            }
        }
        double first = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        OdeStats s = solution.Stats;
        bool success = solution.Status == OdeStatus.Success;
        double error = success ? ErrorMetrics.Mixed(solution.Y, problem.ReferenceFinal, problem.SuggestedAtolFactor) : double.NaN;
        if (!success)
        {
            return (new StiffRun(StiffRun.Ordo, problem.Name, method.Name, rtol, atol, solution.Status.ToIdentifier(), solution.Message,
                error, double.NaN, 0, s.RhsEvaluations, s.JacobianEvaluations, s.LuDecompositions, s.AcceptedSteps, s.RejectedSteps), first);
        }

        // A solve longer than the time asked for keeps its single time (as CVODE's and scipy's sides do).
        var times = new List<double> { first };
        double budget = options.MinTimePerPoint.TotalSeconds;
        if (first <= budget)
        {
            OdeOptions o = SolveOptions(problem, rtol, options, cancellationToken);
            times.Clear();
            double sum = 0;
            while (times.Count < options.MaxRepeats && (times.Count < 3 || sum < budget))
            {
                long start = Stopwatch.GetTimestamp();
                Ode.Solve(ode, method, o);
                double dt = Stopwatch.GetElapsedTime(start).TotalSeconds;
                times.Add(dt);
                sum += dt;
            }
        }
        return (new StiffRun(StiffRun.Ordo, problem.Name, method.Name, rtol, atol, "success", "", error,
            WorkPrecision.Median(times), times.Count, s.RhsEvaluations, s.JacobianEvaluations, s.LuDecompositions,
            s.AcceptedSteps, s.RejectedSteps), first);
    }
}
