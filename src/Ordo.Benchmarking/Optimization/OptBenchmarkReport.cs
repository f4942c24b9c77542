using System.Globalization;
using System.Text;
using ScottPlot;

namespace Ordo.Benchmarking.Optimization;

/// <summary>The files of an opt report.</summary>
/// <param name="Markdown">opt-report.md.</param>
/// <param name="Csv">opt-results.csv.</param>
/// <param name="Plots">The PNG profiles.</param>
public sealed record OptReportFiles(string Markdown, string Csv, IReadOnlyList<string> Plots);

/// <summary>Writes the <c>opt</c> suite's report: opt-report.md, opt-results.csv and the profile PNGs.</summary>
public static class OptBenchmarkReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Ordo and scipy methods drawn in the gradient-based profiles.</summary>
    public static readonly string[] GradientSolvers =
        ["Ordo auto", "Ordo lm", "Ordo trust-region", "Ordo bfgs", "Ordo lbfgs", "Ordo lbfgsb", "Ordo cg", "Ordo newton",
         "scipy ls-lm", "scipy ls-trf", "scipy trust-exact", "scipy BFGS", "scipy L-BFGS-B", "scipy CG"];

    /// <summary>Methods drawn in the derivative-free data profile.</summary>
    public static readonly string[] DerivativeFreeSolvers = ["Ordo nelder-mead", "Ordo zo-two-point", "scipy Nelder-Mead", "scipy Powell"];

    static OptBenchmarkReport()
    {
        Fonts.Default = "DejaVu Sans";
    }

    /// <summary>The summary table rows (also printed by the CLI).</summary>
    public static ReportTable SummaryTable(OptBenchmarkResult result)
    {
        var rows = result.Summaries
            .OrderByDescending(s => s.SolvedPrimary).ThenBy(s => s.MedianFunctionEvaluations)
            .Select(s => (IReadOnlyList<string>)
            [
                s.Side, s.Method,
                $"{s.SolvedPrimary}/{s.Problems}",
                string.Join(" / ", s.Solved.Select(v => v.ToString(Inv))),
                s.AtLocalMinimum.ToString(Inv),
                s.ClaimedButUnsolved.ToString(Inv),
                Num(s.MedianFunctionEvaluations), Num(s.MedianGradientEvaluations),
                double.IsFinite(s.MedianTimeMs) ? s.MedianTimeMs.ToString(s.MedianTimeMs < 1 ? "0.000" : "0.0", Inv) : "-",
            ]).ToList();
        return new ReportTable($"MGH, 35 problems from x0: solved means f − f* ≤ {OptBenchmarkOptions.PrimaryTau:0e-0}·(f(x0) − f*) at the best point",
            ["side", "method", "solved (τ=1e-6)", "solved τ=1e-3/1e-5/1e-6/1e-7", "at known local min", "claimed success, unsolved", "median f evals", "median g evals", "median time ms"],
            rows, new HashSet<int> { 2, 3, 4, 5, 6, 7, 8 });
    }

    private static string Num(double v) => double.IsFinite(v) ? v.ToString("0.#", Inv) : "-";

    /// <summary>Writes the report into <paramref name="directory"/>.</summary>
    public static OptReportFiles Write(OptBenchmarkResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        string csv = Path.Combine(directory, "opt-results.csv");
        WriteCsv(result, csv);
        var plots = new List<string>();
        var costs = CostTable(result, out var dims, out var problems);
        var alphas = Enumerable.Range(0, 121).Select(i => Math.Pow(2, i / 10.0)).ToArray();
        string perf = Path.Combine(directory, "opt-performance-profile.png");
        PlotProfile(result, costs, GradientSolvers, alphas, s => Profiles.Performance(costs, s, alphas), perf,
            "Dolan–Moré performance profile, MGH from x0, τ = 1e-6, cost nf + n·ng", "log2 α (cost ratio to the best solver)", true);
        plots.Add(perf);
        var kappas = Enumerable.Range(0, 161).Select(i => Math.Pow(10, i / 40.0)).ToArray();
        string data = Path.Combine(directory, "opt-data-profile.png");
        PlotProfile(result, costs, GradientSolvers.Concat(DerivativeFreeSolvers).ToArray(), kappas, s => Profiles.Data(costs, dims, s, kappas), data,
            "Moré–Wild data profile, MGH from x0, τ = 1e-6", "log10 κ (budget in simplex gradients, n + 1 evaluations)", false);
        plots.Add(data);
        string md = Path.Combine(directory, "opt-report.md");
        File.WriteAllText(md, Markdown(result, costs, alphas, kappas, dims));
        return new OptReportFiles(md, csv, plots);
    }

    private static List<IReadOnlyDictionary<string, double>> CostTable(OptBenchmarkResult result, out List<int> dims, out List<int> problems)
    {
        int tauIndex = Array.IndexOf(OptBenchmarkOptions.Taus, OptBenchmarkOptions.PrimaryTau);
        problems = result.Runs.Select(r => r.ProblemId).Distinct().Order().ToList();
        dims = new List<int>();
        var table = new List<IReadOnlyDictionary<string, double>>();
        foreach (int id in problems)
        {
            var runs = result.Runs.Where(r => r.ProblemId == id).ToList();
            dims.Add(runs[0].N);
            table.Add(runs.ToDictionary(r => r.Solver, r => r.CostTo[tauIndex]));
        }
        return table;
    }

    private static void PlotProfile(OptBenchmarkResult result, List<IReadOnlyDictionary<string, double>> costs, string[] solvers,
        double[] grid, Func<string, double[]> profile, string path, string title, string xLabel, bool log2)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        int k = 0;
        foreach (string s in solvers)
        {
            if (!result.Runs.Any(r => r.Solver == s)) continue;
            double[] y = profile(s);
            double[] x = grid.Select(a => log2 ? Math.Log2(a) : Math.Log10(a)).ToArray();
            var line = plot.Add.Scatter(x, y, palette.GetColor(k++ % 20));
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.MarkerSize = 0;
            line.LineWidth = s.StartsWith("Ordo", StringComparison.Ordinal) ? 2.5f : 1.5f;
            if (s.StartsWith("scipy", StringComparison.Ordinal)) line.LinePattern = LinePattern.Dashed;
            line.LegendText = s;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel("fraction of the 35 problems");
        plot.Axes.SetLimitsY(0, 1.02);
        plot.ShowLegend(Edge.Right);
        BenchmarkPlots.Save(plot, path, 1200, 650);
    }

    private static void WriteCsv(OptBenchmarkResult result, string path)
    {
        var sb = new StringBuilder();
        sb.AppendLine("side,method,id,problem,n,status,claimed_success,f,f_star,f_x0,rel_gap,solved_1e-3,solved_1e-5,solved_1e-6,solved_1e-7,at_local_min,f_evals,g_evals,hessian_work,iterations,time_ms,cost_to_1e-3,cost_to_1e-5,cost_to_1e-6,cost_to_1e-7,message");
        foreach (var r in result.Runs)
        {
            sb.Append(Inv, $"{r.Side},{r.Method},{r.ProblemId},\"{r.Problem}\",{r.N},{r.Status},{(r.ClaimedSuccess ? 1 : 0)},{r.F:R},{r.FStar:R},{r.F0:R},{r.RelativeGap:0.###e+0},");
            foreach (double t in OptBenchmarkOptions.Taus) sb.Append(r.Solved(t) ? "1," : "0,");
            sb.Append(Inv, $"{(r.AtLocalMinimum ? 1 : 0)},{r.FunctionEvaluations},{r.GradientEvaluations},{r.HessianWork},{r.Iterations},{r.TimeMs:0.####},");
            foreach (double c in r.CostTo) sb.Append(double.IsFinite(c) ? c.ToString("0", Inv) : "").Append(',');
            sb.Append('"').Append(r.Message.Replace('"', '\'').Replace('\n', ' ')).AppendLine("\"");
        }
        File.WriteAllText(path, sb.ToString());
    }

    private static string Markdown(OptBenchmarkResult result, List<IReadOnlyDictionary<string, double>> costs, double[] alphas, double[] kappas, List<int> dims)
    {
        var sb = new StringBuilder();
        var m = result.Machine;
        sb.AppendLine("# Ordo optimization benchmark: Moré–Garbow–Hillstrom problems, Ordo vs scipy");
        sb.AppendLine();
        sb.AppendLine($"Machine: {m.Cpu}, {m.LogicalCores} logical cores, {m.Runtime}, Ordo build {m.OrdoBuild}; load {m.LoadBefore} before, {m.LoadAfter} after.");
        sb.AppendLine($"{result.ScipyMessage}");
        sb.AppendLine();
        sb.AppendLine("Every solver starts at the standard x0 with its default options and exact derivatives (Ordo: the expression engine's; scipy: complex-step gradients and Jacobians, central-difference Hessian–vector products, as in research/opt-data). "
            + "A problem is solved when the best value found satisfies f − f* ≤ τ·(f(x0) − f*) (Moré–Wild). Cost = nf + n·ng (a gradient or Jacobian counts n evaluations, a Hessian–vector product 2 gradients, a dense Hessian 2n). "
            + "Times are in-process solve times (median of the repetitions); scipy's include its Python objective and complex-step derivatives, Ordo's its compiled exact derivatives, so the time ratio mixes solver overhead with derivative cost: compare evaluation counts for the algorithms.");
        sb.AppendLine();
        sb.AppendMarkdownTable(SummaryTable(result));
        // Pairwise: same problems, Ordo method vs its scipy counterpart.
        (string Ordo, string Scipy)[] pairs = [("bfgs", "BFGS"), ("lbfgs", "L-BFGS-B"), ("lbfgsb", "L-BFGS-B"), ("cg", "CG"), ("newton", "Newton-CG"),
            ("trust-region", "trust-ncg"), ("lm", "ls-lm"), ("auto", "ls-trf"), ("nelder-mead", "Nelder-Mead")];
        var pairRows = new List<IReadOnlyList<string>>();
        foreach (var (o, s) in pairs)
        {
            var ordo = result.Runs.Where(r => r.Side == "Ordo" && r.Method == o).ToDictionary(r => r.ProblemId);
            var sc = result.Runs.Where(r => r.Side == "scipy" && r.Method == s).ToDictionary(r => r.ProblemId);
            if (ordo.Count == 0 || sc.Count == 0) continue;
            var both = ordo.Keys.Intersect(sc.Keys).Where(id => ordo[id].Solved(OptBenchmarkOptions.PrimaryTau) && sc[id].Solved(OptBenchmarkOptions.PrimaryTau)).ToList();
            double[] fRatio = both.Select(id => (double)ordo[id].FunctionEvaluations / Math.Max(1, sc[id].FunctionEvaluations)).Order().ToArray();
            double[] speed = both.Select(id => sc[id].TimeMs / ordo[id].TimeMs).Where(double.IsFinite).Order().ToArray();
            pairRows.Add([o, s, both.Count.ToString(Inv), Med(fRatio), Med(speed),
                speed.Length > 0 ? $"{speed[0]:0.#}–{speed[^1]:0.#}" : "-"]);
        }
        if (pairRows.Count > 0)
        {
            sb.AppendMarkdownTable(new ReportTable("Pairs on the problems both solve (τ = 1e-6): f-evaluation ratio Ordo/scipy and speed-up scipy time / Ordo time (medians)",
                ["Ordo", "scipy", "problems", "f-evals ratio", "speed-up", "speed-up range"], pairRows, new HashSet<int> { 2, 3, 4, 5 }));
        }
        // Profiles as numbers.
        double[] at = [1, 2, 4, 8, 16, 64, 1e9];
        var profRows = new List<IReadOnlyList<string>>();
        foreach (string s in GradientSolvers.Where(s => result.Runs.Any(r => r.Solver == s)))
        {
            double[] rho = Profiles.Performance(costs, s, at);
            profRows.Add([s, .. rho.Select(v => v.ToString("0.00", Inv))]);
        }
        sb.AppendMarkdownTable(new ReportTable("Dolan–Moré performance profile ρ(α) (τ = 1e-6, cost nf + n·ng) — the PNG is opt-performance-profile.png",
            ["solver", "α=1", "2", "4", "8", "16", "64", "∞"], profRows, new HashSet<int> { 1, 2, 3, 4, 5, 6, 7 }));
        double[] ks = [1, 5, 10, 20, 50, 100, 1000];
        var dataRows = new List<IReadOnlyList<string>>();
        foreach (string s in GradientSolvers.Concat(DerivativeFreeSolvers).Where(s => result.Runs.Any(r => r.Solver == s)))
        {
            double[] d = Profiles.Data(costs, dims, s, ks);
            dataRows.Add([s, .. d.Select(v => v.ToString("0.00", Inv))]);
        }
        sb.AppendMarkdownTable(new ReportTable("Moré–Wild data profile d(κ), κ in simplex gradients (n + 1 evaluations) — the PNG is opt-data-profile.png",
            ["solver", "κ=1", "5", "10", "20", "50", "100", "1000"], dataRows, new HashSet<int> { 1, 2, 3, 4, 5, 6, 7 }));
        if (result.Bandwidth is { } b)
        {
            sb.AppendLine("## L-BFGS at large n against the memory-bandwidth bound");
            sb.AppendLine();
            sb.AppendLine(FormattableString.Invariant(
                $"n = {b.Dimension:N0}, memory m = {b.Memory}, {b.Iterations} iterations on a separable quadratic (condition 1e4). Streaming bandwidth (dot product over 64 MB): {b.ReadBandwidthGBs:0.0} GB/s, so one pass over an n-vector (8n bytes) takes {8.0 * b.Dimension / b.ReadBandwidthGBs / 1e9 * 1e3:0.00} ms. An iteration costs {b.SecondsPerIteration * 1e3:0.00} ms excluding the objective ({b.ObjectiveSecondsPerEvaluation * 1e3:0.00} ms per evaluation, {b.EvaluationsPerIteration:0.00} evaluations per iteration): {b.EquivalentVectorPasses:0.0} equivalent vector passes, against the {LbfgsBandwidth.PassesPerIteration(b.Memory):0} passes an iteration must stream (8m + 26 with one trial point, counted in Lbfgs's class documentation): {b.EquivalentVectorPasses / LbfgsBandwidth.PassesPerIteration(b.Memory):0.00} × the memory-bandwidth bound. Allocated per iteration (difference of a 10- and a 60-iteration run, per extra iteration; ±1 B is the counter's granularity): {b.AllocatedBytesPerIteration:0} bytes."));
            sb.AppendLine();
        }
        sb.AppendLine("Per-problem results: opt-results.csv (one row per solver and problem, with status, counts, times and the cost to each τ).");
        return sb.ToString();
    }

    private static string Med(double[] sorted) => sorted.Length == 0 ? "-" :
        (sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : 0.5 * (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2])).ToString("0.00", Inv);
}
