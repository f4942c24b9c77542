using System.Globalization;
using System.Text;

namespace Ordo.Benchmarking;

/// <summary>The files a report consists of.</summary>
/// <param name="Directory">The output folder.</param>
/// <param name="Markdown">report.md.</param>
/// <param name="Csv">results.csv.</param>
/// <param name="Plots">The PNG figures.</param>
public sealed record ReportFiles(string Directory, string Markdown, string Csv, IReadOnlyList<string> Plots);

/// <summary>
/// Writes a benchmark's report into a folder: <c>report.md</c> (what was run, the machine, the per-method summary,
/// the comparison with scipy at equal error and at equal tolerance, overheads, and a table per problem),
/// <c>results.csv</c> (one row per point), and PNG figures (a time-vs-error and an RHS-calls-vs-error diagram per
/// problem, and the distribution of the ratios against scipy).
/// </summary>
public static class BenchmarkReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the report; creates <paramref name="directory"/> if needed and overwrites the files in it.</summary>
    /// <param name="result">The benchmark.</param>
    /// <param name="directory">Output folder.</param>
    /// <param name="progress">Receives one report per figure.</param>
    public static ReportFiles Write(OdeBenchmarkResult result, string directory, IProgress<BenchmarkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        string csv = Path.Combine(directory, "results.csv");
        File.WriteAllText(csv, Csv(result), new UTF8Encoding(false));

        var plots = new List<string>();
        string[] problems = result.Problems.ToArray();
        bool compared = result.Comparison.EqualError.Count > 0;
        int totalPlots = 2 * problems.Length + (compared ? 2 : 0), donePlots = 0;
        foreach (string problem in problems)
        {
            if (!result.Runs.Any(r => r.Problem == problem && r.IsUsable)) continue;
            foreach (bool time in new[] { true, false })
            {
                progress?.Report(new BenchmarkProgress("report", donePlots++, totalPlots, problem));
                string file = Path.Combine(directory, $"{(time ? "wp-time" : "wp-rhs")}-{BenchmarkPlots.Slug(problem)}.png");
                BenchmarkPlots.WorkPrecision(result, problem, file, time);
                plots.Add(file);
            }
        }
        if (compared)
        {
            foreach (bool speed in new[] { true, false })
            {
                progress?.Report(new BenchmarkProgress("report", donePlots++, totalPlots, "summary"));
                string file = Path.Combine(directory, speed ? "summary-speedup.png" : "summary-rhs-ratio.png");
                BenchmarkPlots.ComparisonSummary(result, file, speed);
                plots.Add(file);
            }
        }
        if (result.Convergence is ConvergenceStudy study)
        {
            string file = Path.Combine(directory, "convergence.png");
            BenchmarkPlots.Convergence(study, file);
            plots.Add(file);
        }
        progress?.Report(new BenchmarkProgress("report", totalPlots, totalPlots, "report.md"));
        string md = Path.Combine(directory, "report.md");
        File.WriteAllText(md, Markdown(result, plots.Select(Path.GetFileName).ToArray()!), new UTF8Encoding(false));
        return new ReportFiles(directory, md, csv, plots);
    }

    // ------------------------------------------------------------------ formatting

    /// <summary>"1.2e-07" (NaN → "—").</summary>
    internal static string Sci(double x) => double.IsFinite(x) ? x.ToString("0.0e+00", Inv) : "—";

    /// <summary>Ratio with two or three significant digits.</summary>
    internal static string Ratio(double x) => !double.IsFinite(x) ? "—" : x >= 100 ? x.ToString("0", Inv) : x >= 10 ? x.ToString("0.0", Inv) : x.ToString("0.00", Inv);

    /// <summary>A duration in s, ms, µs or ns with three significant digits.</summary>
    internal static string Time(double seconds)
    {
        if (!double.IsFinite(seconds)) return "—";
        (double v, string unit) = seconds >= 1 ? (seconds, "s") : seconds >= 1e-3 ? (seconds * 1e3, "ms") : seconds >= 1e-6 ? (seconds * 1e6, "µs") : (seconds * 1e9, "ns");
        string f = v >= 100 ? "0" : v >= 10 ? "0.0" : "0.00";
        return v.ToString(f, Inv) + " " + unit;
    }

    private static string Tol(double rtol) => rtol.ToString("0e0", Inv);

    private static string Count(double x) => double.IsFinite(x) ? x.ToString("#,0", Inv) : "—";

    private static string Csv(OdeBenchmarkResult result)
    {
        var sb = new StringBuilder();
        sb.AppendLine("side,problem,method,rtol,atol,status,error_mixed,error_rel_l2,mescd,rhs_evals,accepted_steps,rejected_steps,time_s,timed_solves,rhs_call_s,overhead,message");
        var rhs = result.RhsTimings.ToDictionary(r => r.Problem, r => r.SecondsPerCall);
        foreach (BenchmarkRun r in result.Runs)
        {
            string G(double x) => double.IsFinite(x) ? x.ToString("R", Inv) : "";
            sb.Append(r.Side == BenchmarkSide.Ordo ? "ordo" : "scipy").Append(',')
              .Append(r.Problem).Append(',').Append(r.Method).Append(',')
              .Append(G(r.RelativeTolerance)).Append(',').Append(G(r.AbsoluteTolerance)).Append(',')
              .Append(r.Status).Append(',')
              .Append(G(r.Error)).Append(',').Append(G(r.RelativeL2Error)).Append(',')
              .Append(double.IsFinite(r.Error) && r.Error > 0 ? r.CorrectDigits.ToString("0.00", Inv) : "").Append(',')
              .Append(r.RhsEvaluations.ToString(Inv)).Append(',').Append(r.AcceptedSteps.ToString(Inv)).Append(',')
              .Append(r.RejectedSteps?.ToString(Inv) ?? "").Append(',')
              .Append(G(r.TimeSeconds)).Append(',').Append(r.TimedSolves.ToString(Inv)).Append(',')
              .Append(r.Side == BenchmarkSide.Ordo && rhs.TryGetValue(r.Problem, out double t) ? G(t) : "").Append(',')
              .Append(G(result.Overhead(r))).Append(',')
              .Append(CsvField(r.Message)).AppendLine();
        }
        return sb.ToString();
    }

    private static string CsvField(string s) =>
        s.Length == 0 ? "" : s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static string Markdown(OdeBenchmarkResult r, IReadOnlyList<string> plots)
    {
        var sb = new StringBuilder();
        OdeBenchmarkOptions o = r.Options;
        string[] problems = r.Problems.ToArray();
        sb.AppendLine("# Ordo benchmark: non-stiff ODEs, work-precision and scipy comparison").AppendLine();
        sb.AppendLine(Inv, $"Started {r.Started:yyyy-MM-dd HH:mm:ss zzz}; Ordo part {r.OrdoElapsed.TotalSeconds:0.0} s, scipy part {r.ScipyElapsed.TotalSeconds:0.0} s.");
        sb.AppendLine();

        sb.AppendLine("## What was run").AppendLine();
        sb.AppendLine(Inv, $"- **Problems ({problems.Length})**: {string.Join(", ", problems)}.");
        sb.AppendLine(Inv, $"- **Ordo methods**: {string.Join(", ", o.Methods.Select(m => $"`{m.Name}` ({m.DisplayName})"))}.");
        sb.AppendLine(Inv, $"- **Tolerances**: rtol ∈ {{{string.Join(", ", o.RelativeTolerances.Select(Tol))}}}, atol = f · rtol with the problem's suggested factor f ({string.Join(", ", o.Problems.GroupBy(p => p.SuggestedAtolFactor).Select(g => $"f = {g.Key.ToString("g3", Inv)} for {g.Count()} problem(s)"))}).");
        string scipyMethods = o.RunScipy ? $" Methods {string.Join(", ", o.ScipyMethods)}, paired {string.Join(", ", o.Pairs.Select(p => $"{p.OrdoMethod} ↔ {p.ScipyMethod}"))}." : "";
        sb.AppendLine(Inv, $"- **scipy**: {r.Scipy.Message}{scipyMethods}");
        sb.AppendLine("- **Error**: at the final time against the problem's reference, the Bari test set's mixed error "
            + "max_i |y_i − ref_i| / (atol/rtol + |ref_i|) (its −log10 is the 'mixed significant correct digits', mescd); "
            + "results.csv also has the relative L2 error. scipy's error is computed in C# from its final state with the same code.");
        sb.AppendLine(Inv, $"- **Ordo timing**: in-process, `SaveAt.FinalOnly`, MaxSteps {o.MaxSteps:#,0}. After a warm-up ({o.WarmUpTime.TotalSeconds:0.#} s of solves of every problem × method at the loosest tolerance, so that the JIT has optimized the code, then ≥5 ms per problem × method before its sweep), "
            + $"each point is solved once for its counters and error, then timed in batches of ≈{o.BatchTime.TotalMilliseconds:0.#} ms until at least {o.MinTimePerRun.TotalMilliseconds:0} ms and {o.MinBatches} batches have run; "
            + $"the time is the fastest batch's time per solve.");
        if (o.RunScipy)
            sb.AppendLine(Inv, $"- **scipy timing**: `solve_ivp(..., dense_output=False)` in its own Python process, time.perf_counter around each call; one warm-up call, then the minimum over repeats until ≥0.2 s in total and ≥3 runs (at most 50). A run needing more than {o.ScipyRhsBudget:#,0} RHS calls is aborted (budget_exceeded).");
        sb.AppendLine("- **Overhead** = Ordo time per solve / (RHS calls × time of one C# RHS call at (t0, y0), median over 51 batches): "
            + "how many RHS-call equivalents the integrator itself costs per call (1 = all time in f).");
        sb.AppendLine();

        sb.AppendLine("## Machine").AppendLine();
        sb.AppendLine("| | |").AppendLine("|---|---|");
        sb.AppendLine(Inv, $"| OS | {r.Machine.OperatingSystem} |");
        sb.AppendLine(Inv, $"| CPU | {r.Machine.Cpu} ({r.Machine.LogicalCores} logical cores visible) |");
        sb.AppendLine(Inv, $"| .NET | {r.Machine.Runtime}; {r.Machine.TieredCompilation} |");
        sb.AppendLine(Inv, $"| load average (1/5/15 min) | {r.Machine.LoadBefore} at the start, {r.Machine.LoadAfter} at the end (times are noisy when this exceeds the core count) |");
        sb.AppendLine(Inv, $"| Ordo build | {r.Machine.OrdoBuild}{(r.Machine.OrdoBuild == "Debug" ? " — **times from a Debug build are not meaningful; use scripts/bench (Release)**" : "")} |");
        foreach ((string k, string v) in r.Scipy.Versions) sb.AppendLine(Inv, $"| {k} | {v} |");
        sb.AppendLine();

        sb.AppendLine("## Summary per method").AppendLine();
        sb.AppendLine("Medians over all problems and tolerances. *error/rtol*: below 1 the method is more accurate than asked. "
            + "The last two columns compare with the paired scipy method at equal error (RHS ratio < 1: Ordo needs fewer calls; speed-up > 1: Ordo is faster).").AppendLine();
        sb.AppendLine("| side | method | points | failed | median error/rtol | median RHS calls | total RHS calls | median overhead | RHS ratio vs scipy | speed-up vs scipy |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (MethodSummary m in r.MethodSummaries)
        {
            sb.AppendLine(Inv, $"| {(m.Side == BenchmarkSide.Ordo ? "Ordo" : "scipy")} | {m.Method} | {m.Runs} | {m.Failures} | {Sci(m.MedianErrorOverTolerance)} | {Count(m.MedianRhsEvaluations)} | {Count(m.TotalRhsEvaluations)} | {Ratio(m.MedianOverhead)} | "
                + $"{(m.VsScipy is null ? "" : $"{Ratio(m.VsScipy.RhsRatio.Median)} ({m.VsScipy.Pair.ScipyMethod})")} | {(m.VsScipy is null ? "" : Ratio(m.VsScipy.SpeedUp.Median))} |");
        }
        sb.AppendLine();

        WriteComparison(sb, r, plots);
        WriteOverhead(sb, r);
        WriteConvergence(sb, r);
        WriteRhsCheck(sb, r);

        sb.AppendLine("## Results per problem").AppendLine();
        sb.AppendLine("Cells: status, mixed error (correct digits), RHS calls, accepted/rejected steps, time per solve, and for Ordo the overhead. "
            + "In the figures Ordo is drawn solid, scipy dashed (same colour as its Ordo partner).").AppendLine();
        foreach (string problem in problems)
        {
            sb.AppendLine(Inv, $"### {problem}").AppendLine();
            Problems.OdeTestProblem? p = o.Problems.FirstOrDefault(q => q.Name == problem);
            if (p is not null)
            {
                sb.AppendLine(Inv, $"{p.Description}. Dimension {p.Dimension}, t ∈ [{p.T0.ToString("g", Inv)}, {p.T1.ToString("g6", Inv)}], atol = {p.SuggestedAtolFactor.ToString("g3", Inv)} · rtol"
                    + $"{(p.HasReference ? "" : "; **no reference solution: errors unknown**")}.");
                sb.AppendLine();
            }
            foreach (string kind in new[] { "wp-time", "wp-rhs" })
            {
                string file = $"{kind}-{BenchmarkPlots.Slug(problem)}.png";
                if (plots.Contains(file)) sb.AppendLine(Inv, $"![{problem} {kind}]({file})");
            }
            sb.AppendLine();
            sb.AppendLine("| side | method | rtol | status | error | digits | RHS calls | steps acc/rej | time/solve | overhead |");
            sb.AppendLine("|---|---|---:|---|---:|---:|---:|---:|---:|---:|");
            foreach (BenchmarkRun run in r.Runs.Where(x => x.Problem == problem))
            {
                sb.AppendLine(Inv, $"| {(run.Side == BenchmarkSide.Ordo ? "Ordo" : "scipy")} | {run.Method} | {Tol(run.RelativeTolerance)} | {run.Status} | {Sci(run.Error)} | "
                    + $"{(double.IsFinite(run.Error) && run.Error > 0 ? run.CorrectDigits.ToString("0.0", Inv) : "—")} | {run.RhsEvaluations.ToString("#,0", Inv)} | "
                    + $"{run.AcceptedSteps.ToString(Inv)}/{run.RejectedSteps?.ToString(Inv) ?? "?"} | {Time(run.TimeSeconds)} | {Ratio(r.Overhead(run))} |");
            }
            sb.AppendLine();
        }

        sb.AppendLine("## Files").AppendLine();
        sb.AppendLine("- `results.csv`: one row per point (side, problem, method, rtol, atol, status, error_mixed, error_rel_l2, mescd, rhs_evals, accepted_steps, rejected_steps, time_s, timed_solves, rhs_call_s, overhead, message).");
        foreach (string plot in plots) sb.AppendLine(Inv, $"- `{plot}`");
        return sb.ToString();
    }

    private static void WriteComparison(StringBuilder sb, OdeBenchmarkResult r, IReadOnlyList<string> plots)
    {
        sb.AppendLine("## Ordo vs scipy").AppendLine();
        OdeComparison c = r.Comparison;
        if (!r.Scipy.Available)
        {
            sb.AppendLine(Inv, $"Not compared: {r.Scipy.Message}").AppendLine();
            return;
        }
        sb.AppendLine("**At equal error**: for each scipy point, Ordo's RHS calls and time at the same error are interpolated linearly in "
            + "log-log along Ordo's tolerance sweep of the paired method (where the error is not monotone in the tolerance, the first "
            + "bracketing segment, i.e. the loosest tolerances that reach it, is used). scipy points whose error lies outside the range Ordo's "
            + "sweep covered are dropped, not extrapolated. *RHS ratio* = Ordo / scipy calls (< 1: Ordo needs fewer); "
            + "*speed-up* = scipy time / Ordo time (> 1: Ordo is faster).").AppendLine();
        foreach (string file in new[] { "summary-speedup.png", "summary-rhs-ratio.png" })
            if (plots.Contains(file)) sb.AppendLine(Inv, $"![{file}]({file})");
        sb.AppendLine();
        sb.AppendLine("| pair | points | dropped | RHS ratio median | RHS ratio geo. mean | RHS ratio range | speed-up median | speed-up geo. mean | speed-up range |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (PairSummary p in c.Pairs.Append(c.Overall))
        {
            sb.AppendLine(Inv, $"| {(p.Pair.OrdoMethod == "all" ? "**all pairs**" : p.Pair.ToString())} | {p.RhsRatio.Count} | {p.Dropped} | {Ratio(p.RhsRatio.Median)} | {Ratio(p.RhsRatio.GeometricMean)} | "
                + $"{Ratio(p.RhsRatio.Min)}–{Ratio(p.RhsRatio.Max)} | {Ratio(p.SpeedUp.Median)} | {Ratio(p.SpeedUp.GeometricMean)} | {Ratio(p.SpeedUp.Min)}–{Ratio(p.SpeedUp.Max)} |");
        }
        sb.AppendLine();
        sb.AppendLine("Worst points (for Ordo):").AppendLine();
        foreach (PairSummary p in c.Pairs)
        {
            if (p.WorstSpeedUp is { } ws)
                sb.AppendLine(Inv, $"- {p.Pair}, smallest speed-up: {Ratio(ws.SpeedUp)}× on {ws.Problem} at scipy rtol {Tol(ws.RelativeTolerance)} (error {Sci(ws.Error)}: scipy {Time(ws.ScipyTimeSeconds)}, Ordo {Time(ws.OrdoTimeSeconds)}).");
            if (p.WorstRhsRatio is { } wr)
                sb.AppendLine(Inv, $"- {p.Pair}, largest RHS ratio: {Ratio(wr.RhsRatio)} on {wr.Problem} at scipy rtol {Tol(wr.RelativeTolerance)} (error {Sci(wr.Error)}: scipy {wr.ScipyRhsEvaluations:#,0}, Ordo {wr.OrdoRhsEvaluations:#,0} calls).");
        }
        sb.AppendLine();

        sb.AppendLine("**At the same tolerance** (rtol and atol equal; the errors differ, so this compares what a user gets for the same settings):").AppendLine();
        sb.AppendLine("| pair | points | RHS ratio median | RHS ratio geo. mean | speed-up median | speed-up geo. mean | error ratio Ordo/scipy median |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (PairSummary p in c.Pairs.Append(c.Overall))
        {
            sb.AppendLine(Inv, $"| {(p.Pair.OrdoMethod == "all" ? "**all pairs**" : p.Pair.ToString())} | {p.SameToleranceRhsRatio.Count} | {Ratio(p.SameToleranceRhsRatio.Median)} | {Ratio(p.SameToleranceRhsRatio.GeometricMean)} | "
                + $"{Ratio(p.SameToleranceSpeedUp.Median)} | {Ratio(p.SameToleranceSpeedUp.GeometricMean)} | {Ratio(p.SameToleranceErrorRatio.Median)} |");
        }
        sb.AppendLine();

        sb.AppendLine("**Per problem** (at equal error, medians over the compared points):").AppendLine();
        sb.AppendLine("| problem | pair | points | dropped | RHS ratio | speed-up |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|");
        foreach (ProblemPairSummary p in c.PerProblem)
            sb.AppendLine(Inv, $"| {p.Problem} | {p.Pair} | {p.Points} | {p.Dropped} | {Ratio(p.RhsRatio.Median)} | {Ratio(p.SpeedUp.Median)} |");
        sb.AppendLine();
        if (c.Dropped.Count > 0)
        {
            sb.AppendLine("<details><summary>Dropped scipy points (" + c.Dropped.Count.ToString(Inv) + ")</summary>").AppendLine();
            foreach (DroppedPoint d in c.Dropped) sb.AppendLine(Inv, $"- {d.Problem}, {d.Pair}, rtol {Tol(d.RelativeTolerance)}: {d.Reason}");
            sb.AppendLine().AppendLine("</details>").AppendLine();
        }
    }

    private static void WriteConvergence(StringBuilder sb, OdeBenchmarkResult r)
    {
        if (r.Convergence is not ConvergenceStudy study) return;
        sb.AppendLine("## Convergence with fixed steps").AppendLine();
        sb.AppendLine("Every method with fixed steps h = (t1 − t0)/N, N = 4, 8, 16, …, on " + study.Problem + " (closed-form solution); "
            + "the error is the largest over the step points; the measured order is the least-squares slope of log(error) against log(h) over the three finest step counts before rounding takes over (error below 1e-12, or no longer falling).");
        sb.AppendLine();
        sb.AppendLine("![convergence.png](convergence.png)").AppendLine();
        sb.AppendLine("| method | order | measured slope | points |");
        sb.AppendLine("|---|---:|---:|---:|");
        foreach (ConvergenceFit f in study.Fits)
        {
            string slope = double.IsFinite(f.Slope) ? f.Slope.ToString("0.00", Inv) : "—";
            sb.AppendLine(Inv, $"| {f.Method} | {f.Order} | {slope} | {f.Points} |");
        }
        sb.AppendLine();
    }

    private static void WriteOverhead(StringBuilder sb, OdeBenchmarkResult r)
    {
        sb.AppendLine("## Overhead of the integrator").AppendLine();
        sb.AppendLine("Time of one C# RHS call, and per Ordo method the median over tolerances of time / (RHS calls × RHS time).").AppendLine();
        string[] methods = r.Options.Methods.Select(m => m.Name).ToArray();
        sb.AppendLine("| problem | dim | RHS call | " + string.Join(" | ", methods) + " |");
        sb.AppendLine("|---|---:|---:|" + string.Concat(methods.Select(_ => "---:|")));
        foreach (RhsTiming t in r.RhsTimings)
        {
            int dim = r.Options.Problems.FirstOrDefault(p => p.Name == t.Problem)?.Dimension ?? 0;
            IEnumerable<string> cells = methods.Select(m => Ratio(WorkPrecision.Median(
                r.Runs.Where(x => x.Side == BenchmarkSide.Ordo && x.Problem == t.Problem && x.Method == m && x.IsSuccess).Select(r.Overhead))));
            sb.AppendLine(Inv, $"| {t.Problem} | {dim} | {Time(t.SecondsPerCall)} | {string.Join(" | ", cells)} |");
        }
        sb.AppendLine();
    }

    private static void WriteRhsCheck(StringBuilder sb, OdeBenchmarkResult r)
    {
        if (r.Scipy.RhsChecks.Count == 0) return;
        sb.AppendLine("## Same right-hand sides in C# and Python").AppendLine();
        sb.AppendLine("Before the scipy runs both right-hand sides are evaluated at (t0, y0), (t1, reference) and halfway between; "
            + "a problem whose values differ by more than 1e-10 (relative to the largest component) is not run with scipy.").AppendLine();
        sb.AppendLine("| problem | points | max relative difference | same math |");
        sb.AppendLine("|---|---:|---:|---|");
        foreach (RhsCheck c in r.Scipy.RhsChecks)
            sb.AppendLine(Inv, $"| {c.Problem} | {c.Points} | {(double.IsNaN(c.MaxRelativeDifference) ? "no Python RHS" : Sci(c.MaxRelativeDifference))} | {(c.Matches ? "yes" : "**NO — not compared**")} |");
        sb.AppendLine();
    }
}
