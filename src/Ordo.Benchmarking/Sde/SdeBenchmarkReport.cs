using System.Globalization;
using System.Text;

namespace Ordo.Benchmarking.Sde;

/// <summary>The files of an sde report.</summary>
/// <param name="Markdown">sde-report.md.</param>
/// <param name="Csv">sde.csv.</param>
public sealed record SdeReportFiles(string Markdown, string Csv);

/// <summary>Writes the <c>sde</c> suite's report: sde-report.md and sde.csv.</summary>
public static class SdeBenchmarkReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The headline: Euler–Maruyama throughput of Ordo (one thread, all cores) and numpy, and their ratios.</summary>
    public static ReportTable ThroughputTable(SdeBenchmarkResult result)
    {
        int cores = result.AllCores;
        var rows = new List<IReadOnlyList<string>>();
        foreach (SdeBenchProblem p in result.Problems)
        {
            SdeBenchRun? one = result.OrdoEuler(p.Name, 1), all = cores > 1 ? result.OrdoEuler(p.Name, cores) : null;
            SdeBenchRun? plain = result.Runs.FirstOrDefault(r => r.Problem == p.Name && r.Side == "numpy" && r.Method.EndsWith("(plain)", StringComparison.Ordinal));
            SdeBenchRun? inplace = result.Runs.FirstOrDefault(r => r.Problem == p.Name && r.Side == "numpy" && r.Method.EndsWith("(inplace)", StringComparison.Ordinal));
            SdeBenchRun? best = result.NumpyBest(p.Name);
            SdeBenchRun? bestCpu = result.Runs.Where(r => r.Problem == p.Name && r.Side == "numpy").OrderByDescending(r => r.CpuThroughput).FirstOrDefault();
            if (one is null) continue;
            rows.Add([
                p.Name, p.Dimension.ToString(Inv), FormattableString.Invariant($"{one.Paths:N0} × {result.Options.Steps}"),
                Rate(plain?.Throughput), Rate(inplace?.Throughput), Rate(one.Throughput), Rate(all?.Throughput),
                Ratio(one.Throughput, best?.Throughput), Ratio(all?.Throughput, best?.Throughput),
                Rate(bestCpu?.CpuThroughput), Rate(one.CpuThroughput), Ratio(one.CpuThroughput, bestCpu?.CpuThroughput),
                Bytes(one.BytesPerPathStep),
            ]);
        }
        return new ReportTable(
            $"Euler–Maruyama ensemble throughput, fixed h = 1/{result.Options.Steps} on [0, 1], million path-steps per second (median of {result.Options.Repeat})",
            ["problem", "d", "paths × steps", "numpy plain", "numpy inplace", "Ordo 1 thread", $"Ordo {cores} threads",
             "Ordo/numpy 1 thread", $"Ordo/numpy {cores} threads", "CPU: numpy", "CPU: Ordo 1 thread", "CPU: Ordo/numpy", "bytes/path-step"],
            rows, new HashSet<int> { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 });
    }

    /// <summary>Every Ordo configuration: the higher-order methods against Euler–Maruyama on one thread.</summary>
    public static ReportTable MethodsTable(SdeBenchmarkResult result)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (SdeBenchRun r in result.Runs.Where(r => r.Side == "Ordo"))
        {
            SdeBenchRun? em = result.OrdoEuler(r.Problem, 1);
            rows.Add([
                r.Problem, r.Method, r.Stepping, r.Threads.ToString(Inv), r.Paths.ToString("N0", Inv),
                r.StepsPerPath.ToString(r.StepsPerPath >= 100 ? "0" : "0.0", Inv),
                r.PathSteps == 0 ? "-" : (100.0 * r.RejectedSteps / r.PathSteps).ToString("0.0", Inv) + "%",
                r.Seconds.ToString(r.Seconds < 1 ? "0.000" : "0.00", Inv), Rate(r.Throughput), Rate(r.CpuThroughput),
                em is null ? "-" : double.IsFinite(r.CpuThroughput) ? Ratio(r.CpuThroughput, em.CpuThroughput) : Ratio(r.Throughput, em.Throughput),
                r.AllocatedBytes < 0 ? "-" : (r.AllocatedBytes / 1024.0).ToString("0.0", Inv), r.FailedPaths.ToString(Inv),
            ]);
        }
        return new ReportTable("Ordo's methods, fixed steps and adaptive (virtual Brownian tree, atol = rtol)",
            ["problem", "method", "stepping", "threads", "paths", "steps/path", "rejected", "time s", "M path-steps/s",
             "M path-steps/CPU-s", "throughput / EM 1 thread", "KiB allocated", "failed paths"],
            rows, new HashSet<int> { 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 });
    }

    /// <summary>The ensemble mean and variance at t1 of both Euler–Maruyama implementations against the closed forms
    /// (the SDE's, and the Euler–Maruyama iterate's at this h), with z = (estimate − exact EM value)/standard error.</summary>
    public static ReportTable AccuracyTable(SdeBenchmarkResult result)
    {
        int steps = result.Options.Steps;
        var rows = new List<IReadOnlyList<string>>();
        foreach (SdeBenchProblem p in result.Problems)
        {
            SdeBenchRun? ordo = result.OrdoEuler(p.Name, 1);
            if (ordo is null) continue;
            SdeBenchRun? numpy = result.Runs.FirstOrDefault(r => r.Problem == p.Name && r.Side == "numpy");
            if (p.EulerMaruyama is { } emMoments && p.Exact is { } exact)
            {
                SdeMoments em = emMoments(steps);
                foreach (bool mean in new[] { true, false })
                {
                    double Value(SdeBenchRun r) => mean ? r.Mean[0] : r.Variance[0];
                    double target = mean ? em.Mean : em.Variance;
                    string Z(SdeBenchRun? r) => r is null ? "-" : FormattableString.Invariant(
                        $"{Value(r):0.00000} (z = {Signed((Value(r) - target) / (mean ? em.MeanStandardError(r.Paths) : em.VarianceStandardError(r.Paths)))})");
                    rows.Add([p.Name, mean ? "mean" : "variance", Num(mean ? exact.Mean : exact.Variance), Num(target), Z(ordo), Z(numpy),
                        Num(mean ? em.MeanStandardError(ordo.Paths) : em.VarianceStandardError(ordo.Paths))]);
                }
            }
            else
            {
                // No closed form: the two implementations against each other, every component.
                foreach (bool mean in new[] { true, false })
                {
                    IReadOnlyList<double> Values(SdeBenchRun r) => mean ? r.Mean : r.Variance;
                    string zText = "-";
                    if (numpy is not null)
                    {
                        double maxZ = 0;
                        for (int i = 0; i < ordo.Dimension; i++)
                        {
                            // Standard errors from the sample variances (the variance's as for a normal law: a rough guide).
                            double se = mean
                                ? Math.Sqrt(ordo.Variance[i] / ordo.Paths + numpy.Variance[i] / numpy.Paths)
                                : Math.Sqrt(2 * ordo.Variance[i] * ordo.Variance[i] / ordo.Paths + 2 * numpy.Variance[i] * numpy.Variance[i] / numpy.Paths);
                            maxZ = Math.Max(maxZ, Math.Abs(Values(ordo)[i] - Values(numpy)[i]) / se);
                        }
                        zText = FormattableString.Invariant($"largest z over the {ordo.Dimension} components = {maxZ:0.0}");
                    }
                    rows.Add([p.Name, (mean ? "mean" : "variance") + " of X₀", "none", "none",
                        Num(Values(ordo)[0]), numpy is null ? "-" : $"{Num(Values(numpy)[0])} (Ordo − numpy: {zText})", "-"]);
                }
            }
        }
        return new ReportTable($"Cross-check at t1: ensemble statistics of the Euler–Maruyama runs (h = 1/{steps}); z = (estimate − exact Euler–Maruyama value) / standard error",
            ["problem", "quantity", "SDE closed form", $"Euler–Maruyama exact, N = {steps}", "Ordo EM (z)", "numpy EM (z)", "standard error (Ordo)"],
            rows, new HashSet<int> { 2, 3, 4, 5, 6 });
    }

    /// <summary>The tables the CLI prints.</summary>
    public static IReadOnlyList<ReportTable> KeyTables(SdeBenchmarkResult result) => [ThroughputTable(result), MethodsTable(result)];

    /// <summary>A sentence on the cost of the noise alone.</summary>
    public static string NoiseSentence(SdeBenchmarkResult result)
    {
        SdeNoiseCost n = result.Noise;
        string s = FormattableString.Invariant($"Noise alone (CPU time): Ordo's fixed-grid increment (one Philox4x32-10 block and Box–Muller's log, sqrt and sincos) costs {n.OrdoNanoseconds:0.0} ns");
        if (double.IsFinite(n.NumpyNanoseconds))
            s += FormattableString.Invariant($", numpy's default_rng standard_normal(out=) {n.NumpyNanoseconds:0.0} ns per normal (PCG64 + ziggurat)");
        SdeBenchRun? scalar = result.Runs.FirstOrDefault(r => r.Side == "Ordo" && r.Dimension == 1 && r.Threads == 1 && r.Method == "euler-maruyama" && double.IsFinite(r.CpuThroughput));
        if (scalar is not null)
            s += FormattableString.Invariant($"; a whole Euler–Maruyama path-step of {scalar.Problem} costs Ordo {1e9 / scalar.CpuThroughput:0.0} ns, so the increment is {100 * n.OrdoNanoseconds * scalar.CpuThroughput / 1e9:0}% of it");
        return s + ".";
    }

    /// <summary>Writes the report into <paramref name="directory"/>.</summary>
    public static SdeReportFiles Write(SdeBenchmarkResult result, string directory)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(directory);
        string csv = Path.Combine(directory, "sde.csv");
        File.WriteAllText(csv, Csv(result));
        string md = Path.Combine(directory, "sde-report.md");
        File.WriteAllText(md, Markdown(result));
        return new SdeReportFiles(md, csv);
    }

    private static string Csv(SdeBenchmarkResult result)
    {
        var sb = new StringBuilder();
        sb.AppendLine("problem,side,method,stepping,rtol,threads,paths,d,accepted_steps,rejected_steps,steps_per_path,median_s,times_s,cpu_s,path_steps_per_s,cpu_path_steps_per_s,allocated_bytes,bytes_per_path_step,failed_paths,mean_x0,var_x0");
        foreach (SdeBenchRun r in result.Runs)
        {
            sb.AppendLine(string.Join(",",
                r.Problem, r.Side, r.Method, r.Adaptive ? "adaptive" : "fixed", double.IsNaN(r.RelativeTolerance) ? "" : r.RelativeTolerance.ToString("R", Inv),
                r.Threads.ToString(Inv), r.Paths.ToString(Inv), r.Dimension.ToString(Inv), r.AcceptedSteps.ToString(Inv), r.RejectedSteps.ToString(Inv),
                r.StepsPerPath.ToString("0.###", Inv), r.Seconds.ToString("0.######", Inv), string.Join(";", r.Times.Select(t => t.ToString("0.######", Inv))),
                double.IsFinite(r.CpuSeconds) ? r.CpuSeconds.ToString("0.######", Inv) : "",
                r.Throughput.ToString("0", Inv), double.IsFinite(r.CpuThroughput) ? r.CpuThroughput.ToString("0", Inv) : "", r.AllocatedBytes < 0 ? "" : r.AllocatedBytes.ToString(Inv),
                double.IsNaN(r.BytesPerPathStep) ? "" : r.BytesPerPathStep.ToString("0.######", Inv), r.FailedPaths.ToString(Inv),
                r.Mean[0].ToString("R", Inv), r.Variance[0].ToString("R", Inv)));
        }
        return sb.ToString();
    }

    private static string Markdown(SdeBenchmarkResult result)
    {
        var sb = new StringBuilder();
        MachineInfo m = result.Machine;
        SdeBenchmarkOptions o = result.Options;
        sb.AppendLine("# Ordo SDE benchmark: ensemble throughput against a vectorized numpy Euler–Maruyama");
        sb.AppendLine();
        sb.AppendLine($"Machine: {m.Cpu}, {m.LogicalCores} logical cores, {m.Runtime}, Ordo build {m.OrdoBuild} ({m.TieredCompilation}); load {m.LoadBefore} before, {m.LoadAfter} after.");
        sb.AppendLine(result.NumpyMessage);
        if (m.OrdoBuild == "Debug") sb.AppendLine("**This is a Debug build of Ordo: its times are not meaningful (scripts/bench builds Release).**");
        sb.AppendLine();
        sb.AppendLine("Problems (all on [0, 1]; the same SDE coded by hand in C# delegates and in bench/numpy/sde_em_bench.py):");
        sb.AppendLine();
        foreach (SdeBenchProblem p in result.Problems) sb.AppendLine($"- {p.Name}: {p.Description}");
        sb.AppendLine();
        sb.AppendLine(string.Create(Inv,
            $"Throughput = path-steps per second = paths × attempted steps / wall time, median of {o.Repeat} repetitions. "
            + $"Ordo: `SdeEnsemble.Solve` with fixed steps h = 1/{o.Steps} (noise from the counter-based grid generator, one Philox4x32-10 block per increment), "
            + $"streaming mean and variance, no quantiles; each configuration first runs small untimed ensembles for "
            + $"{o.WarmUp.TotalSeconds:0.##} s so that the timed runs execute optimized (tier-1) code. "
            + $"numpy: one array holds every path (DW8: component-major, shape (d, paths)); per step x += f(x) h + g(x) √h z with z from "
            + $"numpy's default_rng; only the stepping loop is timed, normal generation included. 'plain' is the formula as written "
            + $"(fresh arrays every step), 'inplace' the same with preallocated buffers and out= arguments; the ratios divide by the faster of the two. "
            + $"A problem of dimension d runs {o.Paths:N0}/d paths, so every problem updates the same number of state values per step. "
            + $"Both sides run Euler–Maruyama with the same h, so they do the same arithmetic per path-step; they differ in the random numbers "
            + $"(Ordo: reproducible per path whatever the thread count; numpy: one sequential stream) and in how the work is organised "
            + $"(Ordo: one path at a time through delegates; numpy: one array operation per term per step)."));
        sb.AppendLine();
        sb.AppendMarkdownTable(ThroughputTable(result));
        sb.AppendLine("The CPU columns divide by the running thread's CPU time instead of wall time (clock_gettime(CLOCK_THREAD_CPUTIME_ID) in C#, time.thread_time() in Python): "
            + "on a loaded machine wall time also counts the time the thread waited for a core, so the CPU-time ratio is the steadier comparison of the two codes; on an idle machine both agree.");
        sb.AppendLine();
        sb.AppendLine("Ordo/numpy > 1 means Ordo computes more path-steps per second. numpy runs on one core (its elementwise operations and its generator are single-threaded); "
            + "the all-core column shows what Ordo's ensemble gains from the other cores, which the numpy code cannot use without restructuring (multiprocessing). "
            + "bytes/path-step: bytes allocated by one single-threaded ensemble (GC.GetAllocatedBytesForCurrentThread) divided by its path-steps: "
            + "the per-ensemble setup and one statistics block per 64 paths, nothing per step.");
        sb.AppendLine();
        sb.AppendLine(NoiseSentence(result));
        sb.AppendLine();
        sb.AppendMarkdownTable(MethodsTable(result));
        sb.AppendLine("The higher-order methods run with the same fixed steps (one thread) where the problem's noise allows them (shark and sra1 need additive noise), and "
            + $"adaptively on the virtual Brownian tree with atol = rtol; their path counts are smaller ({o.Paths:N0}/(10 d) fixed, {o.Paths:N0}/(100 d) adaptive) "
            + "since throughput is per path-step. 'KiB allocated' is the whole single-threaded ensemble's allocation (set-up, one statistics block per 64 paths, the result): it does not grow with the steps. A path-step of a higher-order method costs several drift and diffusion evaluations (and, adaptively, tree queries), so its "
            + "throughput is lower; its reward is the accuracy per step, which this table does not show (see the strong-order tests and docs/integration/sde.md).");
        sb.AppendLine();
        sb.AppendMarkdownTable(AccuracyTable(result));
        sb.AppendLine("Both implementations should estimate the Euler–Maruyama iterate's exact moments (|z| of a few at most); the gap to the SDE's closed form is "
            + "Euler–Maruyama's weak error O(h), the same for both. For DW8 there is no closed form, so the two implementations are compared with each other.");
        sb.AppendLine();
        sb.AppendLine("Every run: sde.csv (one row per configuration, with every repetition's time, the allocation count, and the statistics of component 0).");
        return sb.ToString();
    }

    private static string Rate(double? rate) => rate is double v && double.IsFinite(v) ? (v / 1e6).ToString(v >= 1e7 ? "0.0" : "0.00", Inv) : "-";

    private static string Ratio(double? a, double? b) => a is double x && b is double y && double.IsFinite(x / y) ? (x / y).ToString("0.00", Inv) : "-";

    private static string Bytes(double v) => double.IsFinite(v) ? v.ToString(v < 0.01 ? "0.0000" : "0.00", Inv) : "-";

    private static string Signed(double z) => (z < 0 ? "-" : "+") + Math.Abs(z).ToString("0.0", Inv);

    private static string Num(double v) => double.IsFinite(v) ? v.ToString("0.00000", Inv) : "-";
}
