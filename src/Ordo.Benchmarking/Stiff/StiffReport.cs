using System.Globalization;
using System.Text;
using Ordo.Integration;

namespace Ordo.Benchmarking.Stiff;

/// <summary>The files a stiff report consists of.</summary>
/// <param name="Directory">Output folder.</param>
/// <param name="Markdown">stiff-report.md.</param>
/// <param name="Csv">stiff-results.csv.</param>
/// <param name="Plots">The PNG figures (stiff-wp-PROBLEM.png).</param>
public sealed record StiffReportFiles(string Directory, string Markdown, string Csv, IReadOnlyList<string> Plots);

/// <summary>
/// Writes the stiff benchmark's report: stiff-report.md (targets of issue 6 per problem, the table at equal accuracy,
/// every run), stiff-results.csv (one line per run) and one work-precision PNG per problem.
/// </summary>
public static class StiffReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the report; creates <paramref name="directory"/> if needed and overwrites the files in it.</summary>
    /// <param name="result">The benchmark.</param>
    /// <param name="directory">Output folder.</param>
    /// <param name="progress">Receives one report per figure.</param>
    public static StiffReportFiles Write(StiffBenchmarkResult result, string directory, IProgress<BenchmarkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        string csv = Path.Combine(directory, "stiff-results.csv");
        File.WriteAllText(csv, Csv(result.Runs), new UTF8Encoding(false));
        var plots = new List<string>();
        string[] problems = result.Problems.ToArray();
        for (int i = 0; i < problems.Length; i++)
        {
            if (!result.Runs.Any(r => r.Problem == problems[i] && r.IsUsable)) continue;
            progress?.Report(new BenchmarkProgress("report", i, problems.Length, problems[i]));
            string file = Path.Combine(directory, $"stiff-wp-{BenchmarkPlots.Slug(problems[i])}.png");
            StiffPlots.WorkPrecision(result, problems[i], file);
            plots.Add(file);
        }
        progress?.Report(new BenchmarkProgress("report", problems.Length, problems.Length, "stiff-report.md"));
        string md = Path.Combine(directory, "stiff-report.md");
        File.WriteAllText(md, Markdown(result, plots.Select(p => Path.GetFileName(p)).ToArray()), new UTF8Encoding(false));
        return new StiffReportFiles(directory, md, csv, plots);
    }

    /// <summary>The summary of the targets per problem: problem, then for each target the median ratio (range) and
    /// met/missed.</summary>
    public static ReportTable TargetTable(StiffBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = new List<IReadOnlyList<string>>();
        foreach (string problem in result.Problems)
        {
            var row = new List<string> { problem };
            foreach (string target in new[] { StiffComparison.CvodeTarget, StiffComparison.ScipyTarget, StiffComparison.AutoTarget })
            {
                TargetCheck? t = result.Comparison.Targets.FirstOrDefault(x => x.Problem == problem && x.Target == target);
                row.Add(t is null || t.Met is null ? "—" : $"{BenchmarkReport.Ratio(t.Ratios.Median)} ({Range(t.Ratios)})");
                row.Add(t?.Met is bool met ? (met ? "met" : "missed") : "n/a");
            }
            rows.Add(row);
        }
        return new ReportTable("Targets of issue 6 per problem (median time ratio over the accuracy levels, range in brackets)",
            ["problem", "Ordo best / CVODE", "≤ 1.5", "scipy best / Ordo best", "≥ 20", "auto / best single", "≤ 1.5"], rows,
            new HashSet<int> { 1, 3, 5 });
    }

    private static string Range(RatioSummary s) => $"{BenchmarkReport.Ratio(s.Min)}–{BenchmarkReport.Ratio(s.Max)}";

    private static string Tol(double rtol) => rtol.ToString("0e0", Inv);

    private static string Csv(IReadOnlyList<StiffRun> runs)
    {
        static string G(double x) => double.IsFinite(x) ? x.ToString("R", Inv) : "";
        static string Field(string s) =>
            s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
        var sb = new StringBuilder();
        sb.AppendLine("library,problem,method,rtol,atol,status,error_mixed,time_s,timed_solves,rhs_evals,jacobian_evals,lu_decompositions,steps,rejected_steps,message");
        foreach (StiffRun r in runs)
        {
            sb.AppendJoin(',', r.Library, r.Problem, r.Method, G(r.RelativeTolerance), G(r.AbsoluteTolerance), r.Status, G(r.Error),
                G(r.TimeSeconds), r.TimedSolves.ToString(Inv), r.RhsEvaluations.ToString(Inv), r.JacobianEvaluations.ToString(Inv),
                r.LuDecompositions.ToString(Inv), r.Steps.ToString(Inv), r.RejectedSteps?.ToString(Inv) ?? "", Field(r.Message)).AppendLine();
        }
        return sb.ToString();
    }


    private static string Markdown(StiffBenchmarkResult r, IReadOnlyList<string> plots)
    {
        var sb = new StringBuilder();
        StiffBenchmarkOptions o = r.Options;
        sb.AppendLine("# Ordo benchmark: stiff ODEs against CVODE and scipy").AppendLine();
        sb.AppendLine(Inv, $"Started {r.Started:yyyy-MM-dd HH:mm:ss zzz}; Ordo part {r.OrdoElapsed.TotalSeconds:0.0} s, CVODE part {r.CvodeElapsed.TotalSeconds:0.0} s, scipy part {r.ScipyElapsed.TotalSeconds:0.0} s. ");
        sb.AppendLine("Command: `ordo bench --suite stiff` (scripts/bench --suite stiff builds Release and installs gcc, libsundials-dev and python3-scipy when missing).");
        sb.AppendLine();
        sb.AppendLine("## What was run").AppendLine();
        sb.AppendLine(Inv, $"- **Problems ({o.Problems.Count})**: {string.Join(", ", o.Problems.Select(p => $"{p.Name} (n = {p.Dimension}, atol/rtol = {p.SuggestedAtolFactor.ToString("g3", Inv)})"))}. Every solver gets the exact Jacobian.");
        sb.AppendLine(Inv, $"- **Ordo methods**: {string.Join(", ", o.Methods.Select(m => $"`{m.Name}`"))}.");
        sb.AppendLine(Inv, $"- **Tolerances**: rtol ∈ {{{string.Join(", ", o.RelativeTolerances.Select(Tol))}}}, atol = (atol/rtol) · rtol with the problem's factor above.");
        sb.AppendLine(Inv, $"- **CVODE**: {r.Cvode.Message} `bdf` = exact Jacobian, `bdf-dq` = CVODE's difference-quotient Jacobian; the comparison uses `bdf`. The C program (bench/cvode/cvode_stiff.c) is built at run time into the output folder.");
        sb.AppendLine(Inv, $"- **scipy**: {r.Scipy.Message} Methods {string.Join(", ", o.ScipyMethods)} of `solve_ivp` with `jac=` the exact Jacobian.");
        sb.AppendLine("- **Error**: at the final time against the problem's reference, the Bari test set's mixed error max_i |y_i − ref_i| / (atol/rtol + |ref_i|) (the ode suite's measure; computed the same way for every library).");
        sb.AppendLine(Inv, $"- **Timing** (every library in-process, one core): a first solve gives the counters and the error, then solves are timed one by one until they add up to {o.MinTimePerPoint.TotalSeconds:0.##} s (at least 3) and the median is reported; a first solve longer than that is the point's time. "
            + $"Ordo: `SaveAt.FinalOnly`, after a {o.WarmUpTime.TotalSeconds:0.#} s warm-up of every problem × method (the JIT's tier-0 code is 10–20× slower). CVODE: each timed solve is CVodeCreate … CVode … CVodeFree (clock_gettime). scipy: time.perf_counter around solve_ivp.");
        sb.AppendLine(Inv, $"- **Caps**: a solve longer than {o.MaxRunTime.TotalSeconds:0} s is aborted (time_exceeded); a method whose time at a looser tolerance × {o.TimeGrowth:0.#} exceeds that is skipped at the tighter one, and so is a method that failed at a looser one; scipy's sweep (tolerance by tolerance) starts no run after {o.ScipyTotalTime.TotalSeconds:0} s.");
        sb.AppendLine(Inv, $"- **Machine**: {r.Machine.Cpu}, {r.Machine.LogicalCores} logical cores, {r.Machine.OperatingSystem}, {r.Machine.Runtime}, Ordo {r.Machine.OrdoBuild} build, tiered compilation {r.Machine.TieredCompilation}; load average {r.Machine.LoadBefore} before, {r.Machine.LoadAfter} after.");
        if (r.Machine.OrdoBuild == "Debug") sb.AppendLine("- **Warning**: a Debug build of Ordo; its times are not meaningful.");
        sb.AppendLine();

        sb.AppendLine("## Targets").AppendLine();
        sb.AppendLine("Issue 6 asks: the best Ordo method within 1.5× CVODE's time, at least 20× faster than scipy's best method, and `auto` within 1.5× of the best single method, at equal accuracy. "
            + "Accuracy levels are the decades of the mixed error (1e-1 … 1e-14); at each, a method's time is its cost to reach that error: interpolated linearly in log(error)–log(time) along its sweep, or the time of a run that is at least that accurate when that is cheaper (a method that over-delivers at its loosest tolerance is charged that run). Nothing is extrapolated: a method that never reaches a level has no time there. The levels start at the decade at or below the largest error of Ordo's runs. "
            + "A target is met on a problem when the median of its ratio over the levels where both sides have a time meets it.");
        sb.AppendLine();
        ReportTable targets = TargetTable(r);
        sb.AppendMarkdownRows(targets);
        foreach (string target in new[] { StiffComparison.CvodeTarget, StiffComparison.ScipyTarget, StiffComparison.AutoTarget })
        {
            TargetCheck[] t = r.Comparison.Targets.Where(x => x.Target == target).ToArray();
            int met = t.Count(x => x.Met == true), missed = t.Count(x => x.Met == false), na = t.Count(x => x.Met is null);
            sb.AppendLine(Inv, $"- {target}: met on {met}, missed on {missed}{(na > 0 ? $", not comparable on {na}" : "")} problem(s).");
        }

        foreach (string problem in r.Problems.Where(p => r.Comparison.Targets.Where(t => t.Problem == p && t.Target != StiffComparison.AutoTarget).All(t => t.Met is null)))
        {
            IEnumerable<string> ranges = r.Runs.Where(x => x.Problem == problem && x.IsUsable).GroupBy(x => x.Library)
                .Select(g => $"{g.Key} {BenchmarkReport.Sci(g.Min(x => x.Error))} … {BenchmarkReport.Sci(g.Max(x => x.Error))}");
            sb.AppendLine(Inv, $"- {problem} is not compared: no accuracy level is reached by Ordo and a baseline (errors reached: {string.Join("; ", ranges)}).");
        }
        sb.AppendLine();
        sb.AppendLine("## At equal accuracy").AppendLine();
        sb.AppendLine("Times per solve interpolated at each error level; ratios as in the targets (— where a side has no time at that level).").AppendLine();
        var rows = r.Comparison.Levels.Select(l => (IReadOnlyList<string>)
        [
            l.Problem, BenchmarkReport.Sci(l.Error),
            l.OrdoBestMethod is null ? "—" : $"{l.OrdoBestMethod} {BenchmarkReport.Time(l.OrdoBestTime)}",
            BenchmarkReport.Time(l.CvodeTime), BenchmarkReport.Ratio(l.OrdoOverCvode),
            l.ScipyBestMethod is null ? "—" : $"{l.ScipyBestMethod} {BenchmarkReport.Time(l.ScipyBestTime)}", BenchmarkReport.Ratio(l.ScipyOverOrdo),
            l.BestSingleMethod is null ? "—" : $"{l.BestSingleMethod} {BenchmarkReport.Time(l.BestSingleTime)}", BenchmarkReport.Time(l.AutoTime),
            BenchmarkReport.Ratio(l.AutoOverBestSingle),
        ]).ToList();
        sb.AppendMarkdownRows(new ReportTable("", ["problem", "error", "Ordo best", "CVODE bdf", "Ordo/CVODE", "scipy best", "scipy/Ordo", "best single", "auto", "auto/single"],
            rows, new HashSet<int> { 1, 3, 4, 6, 8, 9 }));

        sb.AppendLine("## Per problem").AppendLine();
        foreach (string problem in r.Problems)
        {
            sb.AppendLine(Inv, $"### {problem}").AppendLine();
            string? plot = plots.FirstOrDefault(p => p == $"stiff-wp-{BenchmarkPlots.Slug(problem)}.png");
            if (plot is not null) sb.AppendLine(Inv, $"![{problem} work-precision]({plot})").AppendLine();
            var runRows = r.Runs.Where(x => x.Problem == problem)
                .OrderBy(x => x.Library == StiffRun.Ordo ? 0 : x.Library == StiffRun.Cvode ? 1 : 2).ThenBy(x => x.Method, StringComparer.Ordinal)
                .ThenByDescending(x => x.RelativeTolerance)
                .Select(x => (IReadOnlyList<string>)
                [
                    x.Library, x.Method, Tol(x.RelativeTolerance), BenchmarkReport.Sci(x.Error), BenchmarkReport.Time(x.TimeSeconds),
                    x.RhsEvaluations.ToString("#,0", Inv), x.JacobianEvaluations.ToString("#,0", Inv), x.LuDecompositions.ToString("#,0", Inv),
                    x.Steps.ToString("#,0", Inv), x.RejectedSteps?.ToString("#,0", Inv) ?? "—",
                    x.IsSuccess ? "success" : $"{x.Status}: {x.Message}".Replace("|", "/", StringComparison.Ordinal),
                ]).ToList();
            sb.AppendMarkdownRows(new ReportTable("", ["library", "method", "rtol", "error", "time", "RHS", "Jac", "LU", "steps", "rejected", "status"],
                runRows, new HashSet<int> { 3, 4, 5, 6, 7, 8, 9 }));
        }

        sb.AppendLine("## Consistency checks").AppendLine();
        sb.AppendLine("Before any timing, each baseline's right-hand side and Jacobian are evaluated at (t0, y0), (t1, reference) and halfway, and compared with the C# ones (largest difference relative to the largest entry; a problem is run only if both are below 1e-10).").AppendLine();
        var checkRows = r.Cvode.Checks.Select(c => ("CVODE", c)).Concat(r.Scipy.Checks.Select(c => ("scipy", c)))
            .Select(x => (IReadOnlyList<string>)[x.Item1, x.c.Problem, BenchmarkReport.Sci(x.c.MaxRhsDifference), BenchmarkReport.Sci(x.c.MaxJacobianDifference), x.c.Matches ? "yes" : "no"]).ToList();
        if (checkRows.Count > 0) sb.AppendMarkdownRows(new ReportTable("", ["library", "problem", "max f difference", "max J difference", "runs"], checkRows, new HashSet<int> { 2, 3 }));
        else sb.AppendLine("No baseline ran.").AppendLine();

        StiffRun[] failed = r.Runs.Where(x => !x.IsSuccess).ToArray();
        sb.AppendLine(Inv, $"## Runs without a result ({failed.Length})").AppendLine();
        if (failed.Length == 0) sb.AppendLine("None.");
        foreach (StiffRun x in failed) sb.AppendLine(Inv, $"- {x.Library} {x.Method} on {x.Problem} at rtol {Tol(x.RelativeTolerance)}: {x.Status}{(x.Message.Length > 0 ? $" ({x.Message})" : "")}");
        sb.AppendLine();
        sb.AppendLine("Counters: RHS = right-hand-side calls (CVODE: nfe plus the difference-quotient Jacobian's calls), Jac = Jacobian evaluations, LU = LU factorizations (CVODE: linear-solver setups; scipy: nlu), steps = accepted steps, rejected = rejected steps (CVODE: error-test failures; scipy does not report them). stiff-results.csv has every run.");
        return sb.ToString();
    }
}
