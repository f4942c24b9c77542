using System.CommandLine;
using System.Globalization;
using Ordo.Benchmarking;
using Ordo.Benchmarking.Optimization;
using Ordo.Benchmarking.Sde;
using Ordo.Benchmarking.Stiff;
using Ordo.Integration;
using Ordo.Problems;
using Ordo.Sampling;

namespace Ordo.Cli;

/// <summary><c>ordo bench</c>: runs the benchmark suites and writes a report folder.</summary>
internal static class BenchCommand
{
    /// <summary>Every suite name of the contract, and whether it exists yet.</summary>
    private static readonly (string Name, bool Available)[] Suites =
        [("ode", true), ("stiff", true), ("sde", true), ("opt", true), ("flow", true)];

    public static Command Create(CliConsole console)
    {
        var suite = new Option<string>("--suite")
        {
            Description = "Which suite to run: ode, stiff, sde, opt, flow, or all (every suite).",
            DefaultValueFactory = _ => "all",
        };
        var output = new Option<string>("--out", "-o")
        {
            Description = "Folder for report.md, results.csv and the PNG figures (the flow suite's files start with flow-).",
            DefaultValueFactory = _ => "bench-report",
        };
        var problems = new Option<string?>("--problems")
        {
            Description = "Comma-separated problem names (default: every non-stiff problem; stiff suite: every stiff problem; sde suite: GBM,OU,DW8), e.g. DETEST_A1,Arenstorf or ROBER_1e11,E5.",
        };
        var methods = new Option<string?>("--methods")
        {
            Description = "Comma-separated Ordo methods (default: bs3,dp5,tsit5,dop853; stiff suite: every stiff method, plus auto).",
        };
        var rtols = new Option<string?>("--rtols")
        {
            Description = "Comma-separated relative tolerances (default: 1e-4,1e-5,...,1e-10; stiff suite: 1e-4,1e-6,1e-8,1e-10); atol = problem factor * rtol.",
        };
        var noScipy = new Option<bool>("--no-scipy")
        {
            Description = "Do not run scipy (no comparison).",
        };
        var noCvode = new Option<bool>("--no-cvode")
        {
            Description = "stiff suite: do not build and run the CVODE comparison.",
        };
        var samplers = new Option<string?>("--samplers")
        {
            Description = "flow suite: comma-separated flow samplers of the sweep (default: all of 'ordo methods').",
        };
        var steps = new Option<string?>("--steps")
        {
            Description = "flow suite: comma-separated step counts of the sweep (default: 2,3,4,6,8,...,192,256).",
        };
        var optMethods = new Option<string?>("--opt-methods")
        {
            Description = "opt suite: comma-separated Ordo minimizers (default: every registered method except the 1-D ones).",
        };
        var mgh = new Option<string?>("--mgh")
        {
            Description = "opt suite: comma-separated Moré–Garbow–Hillstrom problem numbers (default: 1-35).",
        };
        var paths = new Option<string?>("--paths")
        {
            Description = "sde suite: Euler–Maruyama paths of a scalar problem (default 100000; a d-dimensional problem runs paths/d).",
        };
        var sdeSteps = new Option<string?>("--sde-steps")
        {
            Description = "sde suite: fixed steps per path on [0, 1] (default 100).",
        };
        var noNumpy = new Option<bool>("--no-numpy")
        {
            Description = "sde suite: do not run the numpy Euler–Maruyama (no comparison).",
        };
        var command = new Command("bench", "Run the benchmark suites: work-precision sweeps, the scipy comparison, flow samplers against exact flows, and a report with figures.")
        {
            suite, output, problems, methods, rtols, noScipy, noCvode, samplers, steps, optMethods, mgh, paths, sdeSteps, noNumpy,
        };
        command.SetAction(parse =>
        {
            string[] suites = ResolveSuites(parse.GetValue(suite) ?? "all");
            // The ode and stiff suites read --problems/--methods/--rtols against their own lists: build only what runs.
            OdeBenchmarkOptions? options = suites.Contains("ode")
                ? BuildOptions(parse.GetValue(problems), parse.GetValue(methods), parse.GetValue(rtols), !parse.GetValue(noScipy))
                : null;
            StiffBenchmarkOptions? stiffOptions = suites.Contains("stiff") && !suites.Contains("ode")
                ? BuildStiffOptions(parse.GetValue(problems), parse.GetValue(methods), parse.GetValue(rtols), !parse.GetValue(noScipy), !parse.GetValue(noCvode))
                : suites.Contains("stiff") ? new StiffBenchmarkOptions { RunScipy = !parse.GetValue(noScipy), RunCvode = !parse.GetValue(noCvode) } : null;
            // The sde suite reads --problems only when no ODE suite claims it.
            SdeBenchmarkOptions? sdeOptions = suites.Contains("sde")
                ? BuildSdeOptions(suites.Contains("ode") || suites.Contains("stiff") ? null : parse.GetValue(problems),
                    parse.GetValue(paths), parse.GetValue(sdeSteps), !parse.GetValue(noNumpy))
                : null;
            FlowBenchmarkOptions flowOptions = BuildFlowOptions(parse.GetValue(samplers), parse.GetValue(steps));
            string outDir = parse.GetValue(output) ?? "bench-report";
            if (string.IsNullOrWhiteSpace(outDir)) throw new BadInputException("--out needs a folder name.");
            foreach (string s in suites)
            {
                if (s == "ode") RunOde(console, options!, outDir);
                if (s == "stiff") RunStiff(console, stiffOptions!, outDir);
                if (s == "sde") RunSde(console, sdeOptions!, outDir);
                if (s == "flow") RunFlow(console, flowOptions, outDir);
                if (s == "opt") RunOpt(console, BuildOptOptions(parse.GetValue(optMethods), parse.GetValue(mgh), !parse.GetValue(noScipy)), outDir);
            }
            return Cli.ExitOk;
        });
        return command;
    }

    private static string[] ResolveSuites(string value)
    {
        string name = value.Trim().ToLowerInvariant();
        if (name == "all") return Suites.Where(s => s.Available).Select(s => s.Name).ToArray();
        foreach ((string n, bool available) in Suites)
        {
            if (n != name) continue;
            if (!available) throw new BadInputException($"suite '{value}' is not available yet");
            return [n];
        }
        throw new BadInputException($"unknown suite '{value}'; known suites: {string.Join(", ", Suites.Select(s => s.Name))}, all");
    }

    private static string[] SplitList(string value, string option)
    {
        string[] items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) throw new BadInputException($"{option} needs at least one value");
        return items;
    }

    internal static OdeBenchmarkOptions BuildOptions(string? problems, string? methods, string? rtols, bool runScipy)
    {
        var options = new OdeBenchmarkOptions { RunScipy = runScipy };
        if (problems is not null) options = options with { Problems = ParseProblems(problems, OdeTestProblems.NonStiff, "problem") };
        if (methods is not null) options = options with { Methods = ParseMethods(methods, OdeMethods.All) };
        if (rtols is not null)
        {
            var list = new List<double>();
            foreach (string text in SplitList(rtols, "--rtols"))
            {
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double r) || !double.IsFinite(r))
                    throw new BadInputException($"--rtols: cannot read '{text}' as a number");
                if (r <= 0 || r >= 1) throw new BadInputException($"--rtols: tolerance {text} is not between 0 and 1");
                if (r < 1e-14) throw new BadInputException($"--rtols: tolerance {text} is below 1e-14 and cannot be met in double precision");
                if (!list.Contains(r)) list.Add(r);
            }
            options = options with { RelativeTolerances = list.OrderByDescending(r => r).ToList() };
        }
        // Compare only pairs whose Ordo method runs, and run only the scipy methods that take part in a pair.
        MethodPair[] pairs = options.Pairs.Where(p => options.Methods.Any(m => string.Equals(m.Name, p.OrdoMethod, StringComparison.OrdinalIgnoreCase))).ToArray();
        options = options with { Pairs = pairs, ScipyMethods = pairs.Select(p => p.ScipyMethod).Distinct().ToArray() };
        return options;
    }

    /// <summary>--problems: names from <paramref name="known"/> (case-insensitive), each once.</summary>
    private static List<OdeTestProblem> ParseProblems(string problems, IReadOnlyList<OdeTestProblem> known, string kind)
    {
        var list = new List<OdeTestProblem>();
        foreach (string name in SplitList(problems, "--problems"))
        {
            OdeTestProblem? p = known.FirstOrDefault(q => string.Equals(q.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new BadInputException($"unknown {kind} '{name}'; known {kind}s: {string.Join(", ", known.Select(q => q.Name))}");
            if (!list.Contains(p)) list.Add(p);
        }
        return list;
    }

    /// <summary>--methods: adaptive methods found by <see cref="OdeMethods.TryGet"/>, each once; an unknown name's
    /// message lists <paramref name="suggested"/>.</summary>
    private static List<IOdeMethod> ParseMethods(string methods, IReadOnlyList<IOdeMethod> suggested)
    {
        var list = new List<IOdeMethod>();
        foreach (string name in SplitList(methods, "--methods"))
        {
            if (!OdeMethods.TryGet(name, out IOdeMethod? m))
                throw new BadInputException($"unknown method '{name}'; known methods: {string.Join(", ", suggested.Select(x => x.Name))}");
            if (m.ErrorEstimatorOrder is null)
                throw new BadInputException($"method '{name}' takes fixed steps only (no error estimate) and cannot run a tolerance sweep");
            if (!list.Contains(m)) list.Add(m);
        }
        return list;
    }

    internal static StiffBenchmarkOptions BuildStiffOptions(string? problems, string? methods, string? rtols, bool runScipy, bool runCvode)
    {
        var options = new StiffBenchmarkOptions { RunScipy = runScipy, RunCvode = runCvode };
        if (problems is not null) options = options with { Problems = ParseProblems(problems, OdeTestProblems.Stiff, "stiff problem") };
        if (methods is not null) options = options with { Methods = ParseMethods(methods, StiffBenchmarkOptions.DefaultMethods()) };
        if (rtols is not null)
        {
            // The ode suite's parsing and checks of --rtols.
            options = options with { RelativeTolerances = BuildOptions(null, null, rtols, false).RelativeTolerances };
        }
        return options;
    }

    private static void RunStiff(CliConsole console, StiffBenchmarkOptions options, string outDir)
    {
        int points = options.Problems.Count * options.Methods.Count * options.RelativeTolerances.Count;
        console.Error.WriteLine($"ordo bench stiff: {options.Problems.Count} problem(s) x {options.Methods.Count} method(s) ({string.Join(", ", options.Methods.Select(m => m.Name))}) x {options.RelativeTolerances.Count} tolerance(s) = {points} Ordo points"
            + (options.RunCvode ? ", plus CVODE" : ", no CVODE") + (options.RunScipy ? $", plus scipy {string.Join("/", options.ScipyMethods)}" : ", no scipy"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        options = options with { BuildDirectory = Path.Combine(Path.GetFullPath(outDir), "cvode-build") };
        (StiffBenchmarkResult result, StiffReportFiles files) = BenchProgress.Run(console, progress =>
        {
            StiffBenchmarkResult r = StiffBenchmark.Run(options, progress);
            return (r, StiffReport.Write(r, outDir, progress));
        });
        ReportTable table = StiffReport.TargetTable(result);
        console.Out.WriteLine(table.Title);
        console.WriteTable(table.Headers, table.Rows, new HashSet<int>(table.RightAligned));
        console.Out.WriteLine(result.Cvode.Message);
        console.Out.WriteLine(result.Scipy.Message);
        int failed = result.Runs.Count(r => r.Library == StiffRun.Ordo && !r.IsSuccess);
        if (failed > 0) console.Out.WriteLine($"{failed} Ordo run(s) without a result (listed in the report).");
        if (result.Machine.OrdoBuild == "Debug")
            console.Out.WriteLine("note: this is a Debug build of Ordo; its times are not meaningful (scripts/bench builds Release).");
        console.Out.WriteLine(FormattableString.Invariant($"stiff report written to {Path.GetFullPath(files.Markdown)} ({files.Plots.Count} figures, stiff-results.csv) in {started.Elapsed.TotalSeconds:0.0} s"));
    }

    internal static SdeBenchmarkOptions BuildSdeOptions(string? problems, string? paths, string? steps, bool runNumpy)
    {
        var options = new SdeBenchmarkOptions { RunNumpy = runNumpy };
        if (problems is not null)
        {
            var list = new List<string>();
            foreach (string name in SplitList(problems, "--problems"))
            {
                SdeBenchProblem p = SdeBenchProblems.Find(name)
                    ?? throw new BadInputException($"unknown SDE problem '{name}'; known SDE problems: {string.Join(", ", SdeBenchProblems.All.Select(q => q.Name))}");
                if (!list.Contains(p.Name)) list.Add(p.Name);
            }
            options = options with { Problems = list };
        }
        if (paths is not null)
        {
            int n = CliValues.PositiveInt(paths, "--paths")!.Value;
            if (n > 10_000_000) throw new BadInputException($"--paths: {n} is too many (at most 10,000,000)");
            options = options with { Paths = n };
        }
        if (steps is not null)
        {
            int n = CliValues.PositiveInt(steps, "--sde-steps")!.Value;
            if (n > 1_000_000) throw new BadInputException($"--sde-steps: {n} is too many (at most 1,000,000)");
            options = options with { Steps = n };
        }
        return options;
    }

    private static void RunSde(CliConsole console, SdeBenchmarkOptions options, string outDir)
    {
        console.Error.WriteLine(FormattableString.Invariant(
            $"ordo bench sde: {string.Join(", ", options.Problems)}; Euler–Maruyama {options.Paths:N0} paths/d x {options.Steps} steps on 1 and {Environment.ProcessorCount} threads, ")
            + $"{string.Join("/", options.FixedMethods)} fixed, {string.Join("/", options.AdaptiveMethods)} adaptive"
            + (options.RunNumpy ? ", plus numpy" : ", no numpy"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        (SdeBenchmarkResult result, SdeReportFiles files) = BenchProgress.Run(console, progress =>
        {
            SdeBenchmarkResult r = SdeBenchmark.Run(options, progress);
            return (r, SdeBenchmarkReport.Write(r, outDir));
        });
        foreach (ReportTable table in SdeBenchmarkReport.KeyTables(result))
        {
            console.Out.WriteLine(table.Title);
            console.WriteTable(table.Headers, table.Rows, new HashSet<int>(table.RightAligned));
            console.Out.WriteLine();
        }
        console.Out.WriteLine(SdeBenchmarkReport.NoiseSentence(result));
        console.Out.WriteLine(result.NumpyMessage);
        long failed = result.Runs.Sum(r => r.FailedPaths);
        if (failed > 0) console.Out.WriteLine($"{failed} path(s) did not reach t1 (listed per run in the report).");
        if (result.Machine.OrdoBuild == "Debug")
            console.Out.WriteLine("note: this is a Debug build of Ordo; its times are not meaningful (scripts/bench builds Release).");
        console.Out.WriteLine(FormattableString.Invariant($"sde report written to {Path.GetFullPath(files.Markdown)} (sde.csv) in {started.Elapsed.TotalSeconds:0.0} s"));
    }

    internal static FlowBenchmarkOptions BuildFlowOptions(string? samplers, string? steps)
    {
        var options = new FlowBenchmarkOptions();
        if (samplers is not null)
        {
            var list = new List<FlowSampler>();
            foreach (string name in SplitList(samplers, "--samplers"))
            {
                if (!FlowSamplers.TryGet(name, out FlowSampler? sampler))
                    throw new BadInputException($"--samplers: unknown flow sampler '{name}'; known: {string.Join(", ", FlowSamplers.Names)}");
                if (!list.Contains(sampler)) list.Add(sampler);
            }
            options = options with { Samplers = list };
        }
        if (steps is not null)
        {
            var list = new List<int>();
            foreach (string text in SplitList(steps, "--steps"))
            {
                int n = CliValues.PositiveInt(text, "--steps")!.Value;
                if (n > 100_000) throw new BadInputException($"--steps: {n} is too many (at most 100,000)");
                if (!list.Contains(n)) list.Add(n);
            }
            options = options with { Steps = list.Order().ToList() };
        }
        return options;
    }

    internal static OptBenchmarkOptions BuildOptOptions(string? methods, string? ids, bool runScipy)
    {
        var options = new OptBenchmarkOptions { RunScipy = runScipy };
        if (methods is not null)
        {
            var list = new List<string>();
            foreach (string name in SplitList(methods, "--opt-methods"))
            {
                try { list.Add(Ordo.Optimization.Minimizers.Find(name).Name); }
                catch (ArgumentException e) { throw new BadInputException("--opt-methods: " + e.Message); }
            }
            options = options with { Methods = list.Distinct().ToList() };
        }
        if (ids is not null)
        {
            var list = new List<int>();
            foreach (string text in SplitList(ids, "--mgh"))
            {
                int id = CliValues.PositiveInt(text, "--mgh")!.Value;
                if (id > 35) throw new BadInputException($"--mgh: there are 35 Moré–Garbow–Hillstrom problems; {id} is not one");
                if (!list.Contains(id)) list.Add(id);
            }
            options = options with { ProblemIds = list.Order().ToList() };
        }
        return options;
    }

    private static void RunOpt(CliConsole console, OptBenchmarkOptions options, string outDir)
    {
        int problems = options.ProblemIds?.Count ?? 35;
        int methods = options.Methods?.Count ?? OptBenchmark.DefaultMethods().Count;
        console.Error.WriteLine($"ordo bench opt: {methods} Ordo method(s) x {problems} MGH problem(s)"
            + (options.RunScipy ? $", plus scipy {string.Join("/", options.ScipyMethods)}" : ", no scipy")
            + (options.RunBandwidth ? $", and L-BFGS at n = {options.BandwidthDimension:N0}" : ""));
        var started = System.Diagnostics.Stopwatch.StartNew();
        (OptBenchmarkResult result, OptReportFiles files) = BenchProgress.Run(console, progress =>
        {
            OptBenchmarkResult r = OptBenchmark.Run(options, progress);
            return (r, OptBenchmarkReport.Write(r, outDir));
        });
        ReportTable table = OptBenchmarkReport.SummaryTable(result);
        console.Out.WriteLine(table.Title);
        console.WriteTable(table.Headers, table.Rows, new HashSet<int>(table.RightAligned));
        console.Out.WriteLine(result.ScipyMessage);
        if (result.Bandwidth is { } b)
            console.Out.WriteLine(FormattableString.Invariant($"L-BFGS at n = {b.Dimension:N0}: {b.EquivalentVectorPasses:0.0} equivalent vector passes per iteration against {LbfgsBandwidth.PassesPerIteration(b.Memory):0} needed ({b.EquivalentVectorPasses / LbfgsBandwidth.PassesPerIteration(b.Memory):0.00} x the bandwidth bound; {b.ReadBandwidthGBs:0.0} GB/s streaming)"));
        console.Out.WriteLine(FormattableString.Invariant($"opt report written to {Path.GetFullPath(files.Markdown)} ({files.Plots.Count} figures, opt-results.csv) in {started.Elapsed.TotalSeconds:0.0} s"));
    }

    private static void RunFlow(CliConsole console, FlowBenchmarkOptions options, string outDir)
    {
        console.Error.WriteLine($"ordo bench flow: {options.Samplers.Count} sampler(s) x {options.Steps.Count} step count(s) x {options.Schedules.Count} grid(s) x 2 models (GMM2, GMM3), plus the comparisons of flows.md §10");
        var started = System.Diagnostics.Stopwatch.StartNew();
        (FlowBenchmarkResult result, FlowReportFiles files) = BenchProgress.Run(console, progress =>
        {
            FlowBenchmarkResult r = FlowBenchmark.Run(options, progress);
            FlowReportFiles f = FlowBenchmarkReport.Write(r, outDir, progress);
            return (r, f);
        });
        foreach (ReportTable table in FlowBenchmarkReport.KeyTables(result))
        {
            console.Out.WriteLine(table.Title);
            console.WriteTable(table.Headers, table.Rows, new HashSet<int>(table.RightAligned));
            console.Out.WriteLine();
        }
        int failed = result.Sweep.Count(m => m.Status != "success");
        if (failed > 0) console.Out.WriteLine($"{failed} of {result.Sweep.Count} sweep runs failed (listed in the report).");
        console.Out.WriteLine(FormattableString.Invariant($"flow report written to {Path.GetFullPath(files.Markdown)} ({files.Plots.Count} figures, {files.Csvs.Count} CSV files) in {started.Elapsed.TotalSeconds:0.0} s"));
    }

    private static void RunOde(CliConsole console, OdeBenchmarkOptions options, string outDir)
    {
        if (options.RunScipy && options.ScipyMethods.Count == 0)
        {
            console.Error.WriteLine($"ordo: no scipy comparison: none of the chosen methods is paired with scipy (pairs: {string.Join(", ", OdeBenchmarkOptions.DefaultPairs.Select(p => p.ToString()))})");
            options = options with { RunScipy = false };
        }
        int points = options.Problems.Count * options.Methods.Count * options.RelativeTolerances.Count;
        console.Error.WriteLine($"ordo bench ode: {options.Problems.Count} problem(s) x {options.Methods.Count} method(s) x {options.RelativeTolerances.Count} tolerance(s) = {points} Ordo points"
            + (options.RunScipy ? $", plus scipy {string.Join("/", options.ScipyMethods)}" : ", no scipy"));
        var started = System.Diagnostics.Stopwatch.StartNew();
        (OdeBenchmarkResult result, ReportFiles files) = BenchProgress.Run(console, progress =>
        {
            OdeBenchmarkResult r = OdeBenchmark.Run(options, progress);
            ReportFiles f = BenchmarkReport.Write(r, outDir, progress);
            return (r, f);
        });
        PrintSummary(console, result);
        console.Out.WriteLine();
        console.Out.WriteLine(result.Scipy.Message);
        if (result.Machine.OrdoBuild == "Debug")
            console.Out.WriteLine("note: this is a Debug build of Ordo; its times are not meaningful (scripts/bench builds Release).");
        console.Out.WriteLine(FormattableString.Invariant($"report written to {Path.GetFullPath(files.Markdown)} ({files.Plots.Count} figures, results.csv) in {started.Elapsed.TotalSeconds:0.0} s"));
    }

    private static void PrintSummary(CliConsole console, OdeBenchmarkResult result)
    {
        static string Sci(double x) => double.IsFinite(x) ? x.ToString("0.0e+00", CultureInfo.InvariantCulture) : "-";
        static string Ratio(double x) => double.IsFinite(x) ? x.ToString(x >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) : "-";
        console.WriteTable(
            ["side", "method", "points", "failed", "median err/rtol", "median RHS calls", "RHS ratio vs scipy", "speed-up vs scipy"],
            result.MethodSummaries.Select(m => (IReadOnlyList<string>)
            [
                m.Side == BenchmarkSide.Ordo ? "Ordo" : "scipy",
                m.Method,
                m.Runs.ToString(CultureInfo.InvariantCulture),
                m.Failures.ToString(CultureInfo.InvariantCulture),
                Sci(m.MedianErrorOverTolerance),
                double.IsFinite(m.MedianRhsEvaluations) ? m.MedianRhsEvaluations.ToString("#,0", CultureInfo.InvariantCulture) : "-",
                m.VsScipy is { } v ? $"{Ratio(v.RhsRatio.Median)} ({v.Pair.ScipyMethod})" : "",
                m.VsScipy is { } w ? Ratio(w.SpeedUp.Median) : "",
            ]),
            new HashSet<int> { 2, 3, 4, 5, 6, 7 });
        console.Out.WriteLine("(RHS ratio = Ordo/scipy calls and speed-up = scipy/Ordo time, medians at equal error)");
    }
}
