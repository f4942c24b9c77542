using System.Globalization;
using System.Text;
using Ordo.Sampling;

namespace Ordo.Benchmarking;

/// <summary>A table of a report: printed by the <c>ordo</c> command and written into the Markdown report.</summary>
/// <param name="Title">One line above the table.</param>
/// <param name="Headers">Column headers.</param>
/// <param name="Rows">Cells, row by row.</param>
/// <param name="RightAligned">Indices of the numeric columns.</param>
public sealed record ReportTable(string Title, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlySet<int> RightAligned);

/// <summary>The files of a flow report.</summary>
/// <param name="Directory">The output folder.</param>
/// <param name="Markdown">flow-report.md.</param>
/// <param name="Csvs">flow-sweep.csv, flow-comparison.csv, flow-trajectories.csv.</param>
/// <param name="Plots">The PNG figures.</param>
public sealed record FlowReportFiles(string Directory, string Markdown, IReadOnlyList<string> Csvs, IReadOnlyList<string> Plots);

/// <summary>
/// Writes the flow benchmark's report into a folder (next to the ODE report, all names starting with <c>flow-</c>):
/// <c>flow-report.md</c> (the comparisons of flows.md §10, per-sampler figures, observed orders and the figures),
/// <c>flow-sweep.csv</c> (every sampler × model × grid × N), <c>flow-comparison.csv</c> (the rows of the comparison
/// tables), <c>flow-trajectories.csv</c>, and PNG figures (errors against NFE, trajectories, editing).
/// </summary>
public static class FlowBenchmarkReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Writes the report; creates <paramref name="directory"/> if needed and overwrites its flow files.</summary>
    public static FlowReportFiles Write(FlowBenchmarkResult result, string directory, IProgress<BenchmarkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var utf8 = new UTF8Encoding(false);
        string sweep = Path.Combine(directory, "flow-sweep.csv");
        File.WriteAllText(sweep, MeasurementCsv(result.Sweep.Select(m => ("sweep", m))), utf8);
        string comparison = Path.Combine(directory, "flow-comparison.csv");
        File.WriteAllText(comparison, MeasurementCsv(ComparisonRows(result)), utf8);
        string trajectories = Path.Combine(directory, "flow-trajectories.csv");
        File.WriteAllText(trajectories, TrajectoryCsv(result), utf8);

        var plots = new List<string>();
        var jobs = new List<(string File, Action<string> Draw)>();
        foreach (FlowBenchmarkCase c in result.Cases)
        {
            jobs.Add(($"flow-reconstruction-{c.Name}.png", f => FlowBenchmarkPlots.ErrorVsEvaluations(result, c.Name, reconstruction: true, f)));
            jobs.Add(($"flow-sampling-{c.Name}.png", f => FlowBenchmarkPlots.ErrorVsEvaluations(result, c.Name, reconstruction: false, f)));
        }
        if (result.Trajectories.Count > 0)
        {
            jobs.Add(("flow-trajectories-GMM2.png", f => FlowBenchmarkPlots.Trajectories(result, "inversion", f)));
            jobs.Add(("flow-edit-GMM2.png", f => FlowBenchmarkPlots.Trajectories(result, "edit", f)));
        }
        for (int i = 0; i < jobs.Count; i++)
        {
            progress?.Report(new BenchmarkProgress("report", i, jobs.Count, jobs[i].File));
            string file = Path.Combine(directory, jobs[i].File);
            jobs[i].Draw(file);
            plots.Add(file);
        }
        progress?.Report(new BenchmarkProgress("report", jobs.Count, jobs.Count, "flow-report.md"));
        string md = Path.Combine(directory, "flow-report.md");
        File.WriteAllText(md, Markdown(result, plots.Select(p => Path.GetFileName(p)).ToArray()), utf8);
        return new FlowReportFiles(directory, md, [sweep, comparison, trajectories], plots);
    }

    // ------------------------------------------------------------------ tables

    /// <summary>The key comparison of flows.md §10: FireFlow vs RF-Solver (and midpoint) vs Euler at the same N and at
    /// equal NFE, and editing. The <c>ordo bench</c> command prints these; the report has them too.</summary>
    public static IReadOnlyList<ReportTable> KeyTables(FlowBenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        int n = result.Options.ComparisonSteps;
        var tables = new List<ReportTable>
        {
            new($"Same N = {n}, GMM3 (max over x_a, x_b): errors against the exact flow",
                ["grid", "sampler", "N", "NFE inv+rec", "inversion", "reconstruction", "sampling"],
                result.SameSteps.Select(m => (IReadOnlyList<string>)
                    [m.Schedule, m.Sampler, Int(m.Steps), Int(m.RoundTripEvaluations), Sci(m.InversionError), Sci(m.ReconstructionError), Sci(m.SampleError)]).ToList(),
                new HashSet<int> { 2, 3, 4, 5, 6 }),
            new("Equal NFE per pass, GMM2 + GMM3 (max over x_a, x_b of both): FireFlow 2k steps, midpoint and RF-Solver k, Euler 2k+1",
                ["grid", "k", "NFE/pass", "rec. FireFlow", "rec. midpoint", "rec. RF-Solver", "rec. Euler", "midpoint/FireFlow", "Euler/FireFlow", "sampling midpoint/FireFlow"],
                result.EqualNfe.Select(r => (IReadOnlyList<string>)
                [
                    r.Schedule, Int(r.K), $"{r.FireFlow.PassEvaluations} / {r.Midpoint.PassEvaluations} / {r.Euler.PassEvaluations}",
                    Sci(r.FireFlow.ReconstructionError), Sci(r.Midpoint.ReconstructionError), Sci(r.RfSolver.ReconstructionError), Sci(r.Euler.ReconstructionError),
                    Ratio(r.Midpoint.ReconstructionError / r.FireFlow.ReconstructionError), Ratio(r.Euler.ReconstructionError / r.FireFlow.ReconstructionError),
                    Ratio(r.Midpoint.SampleError / r.FireFlow.SampleError),
                ]).ToList(),
                new HashSet<int> { 1, 3, 4, 5, 6, 7, 8, 9 }),
        };
        string[] editSamplers = result.Editing.Select(m => m.Sampler).Distinct().ToArray();
        tables.Add(new ReportTable("Editing GMM2 A → B (max over x_a, x_b, x_c; exact closed-form edit): edit error",
            ["grid", "N", .. editSamplers.Select(s => $"{s} (NFE)")],
            result.Editing.GroupBy(m => (m.Schedule, m.Steps)).Select(g => (IReadOnlyList<string>)
                [g.Key.Schedule, Int(g.Key.Steps), .. editSamplers.Select(s => g.FirstOrDefault(m => m.Sampler == s) is { } m ? $"{Sci(m.EditError)} ({m.RoundTripEvaluations})" : "—")]).ToList(),
            Enumerable.Range(1, editSamplers.Length + 1).ToHashSet()));
        return tables;
    }

    /// <summary>Every sampler of the sweep at a few N on one model and grid: errors and NFE.</summary>
    private static ReportTable SamplerTable(FlowBenchmarkResult result, string model, string schedule, int[] steps)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (FlowSampler s in result.Options.Samplers)
        {
            var row = new List<string> { s.Name, Int(s.Order) };
            foreach (int n in steps)
            {
                FlowMeasurement? m = result.Sweep.FirstOrDefault(x => x.Model == model && x.Schedule == schedule && x.Sampler == s.Name && x.Steps == n);
                row.Add(m is null ? "—" : Int(m.RoundTripEvaluations));
                row.Add(m is null ? "—" : Sci(m.ReconstructionError));
                row.Add(m is null ? "—" : Sci(m.SampleError));
            }
            rows.Add(row);
        }
        return new ReportTable($"{model}, {schedule} grid: reconstruction and sampling errors (max over the points)",
            ["sampler", "order", .. steps.SelectMany(n => new[] { $"NFE N={n}", $"rec. N={n}", $"sampling N={n}" })],
            rows, Enumerable.Range(1, 3 * steps.Length + 1).ToHashSet());
    }

    private static ReportTable OrderTable(FlowBenchmarkResult result) => new(
        result.Orders.Count == 0 ? "Observed orders" : $"Observed orders, GMM3, uniform grid, between N = {result.Orders[0].FromSteps} and {result.Orders[0].ToSteps}",
        ["sampler", "nominal order", "sampling", "reconstruction"],
        result.Orders.Select(o => (IReadOnlyList<string>)[o.Sampler, Int(o.Nominal), Slope(o.Sampling), Slope(o.Reconstruction)]).ToList(),
        new HashSet<int> { 1, 2, 3 });

    // ------------------------------------------------------------------ formatting

    private static string Sci(double x) => double.IsFinite(x) ? x.ToString("0.00e+00", Inv) : "—";

    private static string Ratio(double x) => BenchmarkReport.Ratio(x);

    private static string Int(int x) => x.ToString(Inv);

    private static string Slope(double x) => double.IsFinite(x) ? x.ToString("0.00", Inv) : "—";

    private static string G(double x) => double.IsFinite(x) ? x.ToString("R", Inv) : "";

    private static IEnumerable<(string Table, FlowMeasurement Row)> ComparisonRows(FlowBenchmarkResult r) =>
        r.SameSteps.Select(m => ("same_steps", m))
            .Concat(r.EqualNfe.SelectMany(e => new[] { e.FireFlow, e.Midpoint, e.RfSolver, e.Euler }.Select(m => ($"equal_nfe_k={e.K}", m))))
            .Concat(r.Editing.Select(m => ("editing", m)));

    private static string MeasurementCsv(IEnumerable<(string Table, FlowMeasurement Row)> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("table,model,schedule,sampler,steps,nfe_pass,nfe_roundtrip,sample_error,inversion_error,reconstruction_error,edit_error,status");
        foreach ((string table, FlowMeasurement m) in rows)
        {
            sb.AppendLine(Inv, $"{table},{m.Model},{m.Schedule},{m.Sampler},{m.Steps},{m.PassEvaluations},{m.RoundTripEvaluations},"
                + $"{G(m.SampleError)},{G(m.InversionError)},{G(m.ReconstructionError)},{G(m.EditError)},{CsvField(m.Status)}");
        }
        return sb.ToString();
    }

    private static string TrajectoryCsv(FlowBenchmarkResult r)
    {
        var sb = new StringBuilder();
        int d = r.Trajectories.Count > 0 ? r.Trajectories[0].States[0].Length : 0;
        sb.AppendLine("kind,sampler,point,index," + string.Join(",", Enumerable.Range(1, d).Select(j => $"x{j}")));
        foreach (FlowTrajectory t in r.Trajectories)
        {
            for (int i = 0; i < t.States.Count; i++)
                sb.Append(t.Kind).Append(',').Append(t.Sampler).Append(',').Append(t.Point).Append(',').Append(i.ToString(Inv)).Append(',')
                  .AppendJoin(',', t.States[i].Select(G)).AppendLine();
        }
        return sb.ToString();
    }

    private static string CsvField(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    private static void AppendTable(StringBuilder sb, ReportTable t) =>
        sb.AppendLine(Inv, $"**{t.Title}**").AppendLine().AppendMarkdownRows(t);

    private static string Markdown(FlowBenchmarkResult r, IReadOnlyList<string> plots)
    {
        var sb = new StringBuilder();
        FlowBenchmarkOptions o = r.Options;
        sb.AppendLine("# Ordo benchmark: flow samplers on exact Gaussian-mixture flows").AppendLine();
        sb.AppendLine(Inv, $"Started {r.Started:yyyy-MM-dd HH:mm:ss zzz}; {r.Elapsed.TotalSeconds:0.0} s.").AppendLine();
        sb.AppendLine("The models are GMM2 and GMM3 of flows.md §8.3 (noise N(0, I) carried to a Gaussian mixture by the exact rectified-flow "
            + "velocity, `Ordo.Problems.Flows.GaussianMixtureFlow`), so every error is measured against the exact flow: the reference is "
            + "DOP853 at rtol = atol = 1e-13 (`ReferenceFlow`), and the closed-form map for the GMM2 edit. Errors are Euclidean, maximised over "
            + "the points: sampling from z_a…z_d (GMM2) and z_a, z_b (GMM3); inversion and reconstruction of x_a, x_b (GMM2's x_c, the badly "
            + "conditioned point between the modes, is left out as §8.3 advises); editing of GMM2's x_a, x_b, x_c from class A to B (and GMM3's "
            + "x_a, x_b from A = {0, 1} to B = {2}, reference by the reference flow, in the CSV). Reconstruction = inversion (τ 0 → 1 on the "
            + "grid reversed) then sampling back; its NFE is both passes together, one evaluation moving the whole batch.").AppendLine();
        sb.AppendLine(Inv, $"Sweep: {o.Samplers.Count} samplers × N ∈ {{{string.Join(", ", o.Steps)}}} × grids {string.Join(", ", o.Schedules)} "
            + $"(flux-shift: FLUX's shifted grid, μ = 1.15) × 2 models = {r.Sweep.Count} runs (flow-sweep.csv).").AppendLine();
        sb.AppendLine("## FireFlow vs RF-Solver vs Euler (flows.md §10)").AppendLine();
        foreach (ReportTable t in KeyTables(r)) AppendTable(sb, t);
        sb.AppendLine("RF-Solver-2 is the explicit midpoint rule written as a Taylor step (flows.md §2.2): its numbers equal midpoint's to rounding. "
            + "FireFlow reuses the previous midpoint velocity, so N steps cost N + 1 evaluations per pass.").AppendLine();
        sb.AppendLine("## Errors against evaluations").AppendLine();
        foreach (string p in plots.Where(p => p.StartsWith("flow-reconstruction", StringComparison.Ordinal) || p.StartsWith("flow-sampling", StringComparison.Ordinal)))
            sb.AppendLine(Inv, $"![{p}]({p})");
        sb.AppendLine();
        int[] shown = new[] { 8, 32 }.Where(n => o.Steps.Contains(n)).ToArray();
        if (shown.Length == 0) shown = [o.Steps[0]];
        foreach (FlowBenchmarkCase c in r.Cases)
        {
            if (o.Schedules.Contains("uniform")) AppendTable(sb, SamplerTable(r, c.Name, "uniform", shown));
        }
        if (r.Orders.Count > 0)
        {
            sb.AppendLine("## Observed orders").AppendLine();
            sb.AppendLine("Slope of log(error) against log(N) between the largest N and the largest one at most half of it; reconstruction is one order higher than sampling for "
                + "even-order one-step methods because the errors of the two passes cancel to leading order (flows.md §9.2). On the full interval the "
                + "λ-based and multistep samplers approach their orders slowly (§9.1); — marks errors at the rounding floor.").AppendLine();
            AppendTable(sb, OrderTable(r));
        }
        if (r.Trajectories.Count > 0)
        {
            sb.AppendLine("## Trajectories on GMM2").AppendLine();
            sb.AppendLine(Inv, $"Euler, RF-Solver and FireFlow with N = {o.ComparisonSteps} uniform steps (markers at the steps) against the exact flow "
                + $"(black): the inversion of x_a, x_b, x_c to noise (unconditional), and the A → B edit (invert under A, sample under B), with the exact "
                + $"edited points marked. Ellipses: the components' 1σ and 2σ; dashed circle: the noise's 1σ.").AppendLine();
            foreach (string p in plots.Where(p => p.StartsWith("flow-trajectories", StringComparison.Ordinal) || p.StartsWith("flow-edit", StringComparison.Ordinal)))
                sb.AppendLine(Inv, $"![{p}]({p})");
            sb.AppendLine();
        }
        List<FlowMeasurement> failed = r.Sweep.Where(m => m.Status != "success").ToList();
        if (failed.Count > 0)
        {
            sb.AppendLine("## Runs that failed").AppendLine();
            foreach (FlowMeasurement m in failed) sb.AppendLine(Inv, $"- {m.Model} {m.Schedule} {m.Sampler} N = {m.Steps}: {m.Status}");
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
