using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ordo.Problems;

namespace Ordo.Benchmarking.Stiff;

/// <summary>
/// The scipy side of the stiff benchmark: the embedded <c>bench/scipy/scipy_stiff_bench.py</c> and its problems module
/// (right-hand sides and exact Jacobians) are written to a temporary folder and run with Debian's
/// <c>/usr/bin/python3</c> through <see cref="ScipyRunner"/>'s process protocol (JSON request on stdin). f and J are
/// first checked against the C# ones; then solve_ivp's Radau, BDF and LSODA run with <c>jac=</c> the exact Jacobian,
/// timed in-process (time.perf_counter, median of repeats), with a time cap per run and for the whole sweep. Errors
/// are computed here with the same <see cref="ErrorMetrics.Mixed"/> as Ordo's. A missing interpreter or scipy skips
/// scipy with a message ("unavailable"); it is never an exception.
/// </summary>
public sealed class StiffScipyRunner
{
    /// <summary>Logical names of the embedded Python files, and the file names they are written to.</summary>
    internal static readonly (string Resource, string FileName)[] Scripts =
    [
        ("Ordo.Benchmarking.Scipy.scipy_stiff_bench.py", "scipy_stiff_bench.py"),
        ("Ordo.Benchmarking.Scipy.odeproblems_stiff.py", "odeproblems_stiff.py"),
    ];

    private readonly ScipyRunner _process;

    /// <summary>Creates a runner for the interpreter at <paramref name="pythonPath"/>.</summary>
    public StiffScipyRunner(string pythonPath = ScipyRunner.DefaultPythonPath) => _process = new ScipyRunner(pythonPath);

    /// <summary>The interpreter.</summary>
    public string PythonPath => _process.PythonPath;

    /// <summary>Checks f and J, then runs every problem that passed with every method and tolerance
    /// (atol = problem.SuggestedAtolFactor · rtol).</summary>
    /// <param name="problems">Problems (their names select the Python functions).</param>
    /// <param name="methods">scipy methods, e.g. Radau, BDF, LSODA.</param>
    /// <param name="relativeTolerances">rtol values, loosest first.</param>
    /// <param name="options">Timing and caps (<see cref="StiffBenchmarkOptions.MinTimePerPoint"/>,
    /// <see cref="StiffBenchmarkOptions.MaxRunTime"/>, <see cref="StiffBenchmarkOptions.TimeGrowth"/>,
    /// <see cref="StiffBenchmarkOptions.ScipyTotalTime"/>); null for the defaults.</param>
    /// <param name="progress">One report per finished run.</param>
    /// <param name="cancellationToken">Kills the Python process when cancelled.</param>
    public BaselineOutcome Run(IReadOnlyList<OdeTestProblem> problems, IReadOnlyList<string> methods, IReadOnlyList<double> relativeTolerances,
        StiffBenchmarkOptions? options = null, IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(relativeTolerances);
        options ??= new StiffBenchmarkOptions();
        if (!File.Exists(PythonPath))
            return BaselineOutcome.Skipped($"scipy comparison skipped (unavailable): {PythonPath} not found (install it with: apt-get install -y python3-scipy).");

        DirectoryInfo dir = Directory.CreateTempSubdirectory("ordo-scipy-stiff-");
        try
        {
            WriteScripts(dir.FullName);
            string script = Path.Combine(dir.FullName, Scripts[0].FileName);

            (JsonDocument? evalDoc, string? evalError) = _process.Invoke(script, ScipyRunner.EvaluateRequest(problems), null, cancellationToken);
            if (evalDoc is null) return BaselineOutcome.Skipped(Unavailable(evalError!));
            string version;
            List<FunctionCheck> checks;
            using (evalDoc)
            {
                Dictionary<string, string> versions = ScipyRunner.ReadVersions(evalDoc.RootElement);
                version = $"scipy {Get(versions, "scipy")} (python {Get(versions, "python")})";
                var evaluations = new List<(string, double[], double[])>();
                foreach (JsonElement e in evalDoc.RootElement.GetProperty("evaluations").EnumerateArray())
                {
                    string name = e.GetProperty("problem").GetString()!;
                    if (e.GetProperty("values").ValueKind != JsonValueKind.Array) continue;
                    JsonElement[] values = e.GetProperty("values").EnumerateArray().ToArray();
                    JsonElement[] jacobians = e.GetProperty("jacobians").EnumerateArray().ToArray();
                    for (int k = 0; k < values.Length && k < jacobians.Length; k++) evaluations.Add((name, Doubles(values[k]), Doubles(jacobians[k])));
                }
                checks = CvodeRunner.CheckFunctions(problems, evaluations);
            }
            OdeTestProblem[] runnable = problems.Where(p => checks.Any(c => c.Problem == p.Name && c.Matches)).ToArray();
            if (runnable.Length == 0)
                return new BaselineOutcome(false, "scipy comparison skipped: no problem's f and Jacobian matched the Python ones.", [], checks);
            if (methods.Count == 0 || relativeTolerances.Count == 0)
                return new BaselineOutcome(true, $"{version}: f and Jacobians checked; nothing to run.", [], checks);

            var runRequest = new JsonObject
            {
                ["mode"] = "run",
                ["methods"] = new JsonArray(methods.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
                ["min_total_s"] = options.MinTimePerPoint.TotalSeconds,
                ["max_runs"] = Math.Min(options.MaxRepeats, 50),
                ["max_run_s"] = options.MaxRunTime.TotalSeconds,
                ["growth"] = options.TimeGrowth,
                ["max_total_s"] = options.ScipyTotalTime.TotalSeconds,
                ["problems"] = new JsonArray(runnable.Select(p => (JsonNode)new JsonObject
                {
                    ["name"] = p.Name,
                    ["t0"] = p.T0,
                    ["t1"] = p.T1,
                    ["y0"] = ScipyRunner.ToJson(p.InitialState),
                    ["tolerances"] = new JsonArray(relativeTolerances.OrderByDescending(r => r)
                        .Select(r => (JsonNode)new JsonArray(r, p.SuggestedAtolFactor * r)).ToArray()),
                }).ToArray()),
            };
            int total = runnable.Length * methods.Count * relativeTolerances.Count;
            progress?.Report(new BenchmarkProgress("scipy", 0, total, "starting python"));
            (JsonDocument? runDoc, string? runError) = _process.Invoke(script, runRequest, line =>
            {
                string[] parts = line.Split(' ');
                if (parts.Length >= 6 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int done)
                    && int.TryParse(parts[2], CultureInfo.InvariantCulture, out int all))
                    progress?.Report(new BenchmarkProgress("scipy", done, all, $"{parts[3]} {parts[4]} {parts[5]}"));
            }, cancellationToken);
            if (runDoc is null) return new BaselineOutcome(false, Unavailable(runError!), [], checks);
            using (runDoc)
            {
                List<StiffRun> runs = ReadRuns(runDoc.RootElement, runnable);
                int ok = runs.Count(r => r.IsSuccess), skipped = runs.Count(r => r.Status == "skipped");
                return new BaselineOutcome(true, FormattableString.Invariant(
                    $"{version}, exact Jacobians: {runs.Count} runs, {ok} succeeded, {skipped} skipped (time caps: {options.MaxRunTime.TotalSeconds:0} s per run, {options.ScipyTotalTime.TotalSeconds:0} s in all)."),
                    runs, checks);
            }
        }
        finally
        {
            try { dir.Delete(recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>ScipyRunner's reasons start "scipy comparison skipped:"; say "unavailable" too.</summary>
    private static string Unavailable(string reason) =>
        reason.StartsWith("scipy comparison skipped:", StringComparison.Ordinal)
            ? "scipy comparison skipped (unavailable):" + reason["scipy comparison skipped:".Length..]
            : "scipy comparison skipped (unavailable): " + reason;

    /// <summary>Writes the embedded Python files into <paramref name="directory"/>.</summary>
    internal static void WriteScripts(string directory) => ScipyRunner.WriteScripts(directory, Scripts);

    private static List<StiffRun> ReadRuns(JsonElement root, IReadOnlyList<OdeTestProblem> problems)
    {
        var runs = new List<StiffRun>();
        foreach (JsonElement r in root.GetProperty("results").EnumerateArray())
        {
            string name = r.GetProperty("problem").GetString()!;
            OdeTestProblem p = problems.First(q => q.Name == name);
            string status = r.GetProperty("status").GetString() ?? "error";
            double error = double.NaN;
            if (status == "success" && r.TryGetProperty("y_final", out JsonElement yf) && yf.ValueKind == JsonValueKind.Array)
            {
                double[] y = Doubles(yf);
                if (y.Length == p.Dimension) error = ErrorMetrics.Mixed(y, p.ReferenceFinal, p.SuggestedAtolFactor);
            }
            runs.Add(new StiffRun(StiffRun.Scipy, name, r.GetProperty("method").GetString()!,
                r.GetProperty("rtol").GetDouble(), r.GetProperty("atol").GetDouble(), status,
                status == "success" ? "" : (r.TryGetProperty("message", out JsonElement m) ? m.ToString() : ""),
                error, Number(r, "time_s") ?? double.NaN, (int)(Number(r, "runs") ?? 0),
                (long)(Number(r, "nfev") ?? 0), (long)(Number(r, "njev") ?? 0), (long)(Number(r, "nlu") ?? 0),
                (int)(Number(r, "nsteps") ?? 0), null));
        }
        return runs;
    }

    private static double[] Doubles(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToArray()
            : [];

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string Get(IReadOnlyDictionary<string, string> d, string key) => d.TryGetValue(key, out string? v) ? v : "?";
}
