using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ordo.Problems;

namespace Ordo.Benchmarking;

/// <summary>Whether a problem's right-hand side in the scipy problems module is the same math as the C# one.</summary>
/// <param name="Problem">Problem name.</param>
/// <param name="Matches">True when every checked point agrees to 1e-10 (relative to the largest component).</param>
/// <param name="MaxRelativeDifference">Largest max|f_C# − f_py| / max|f| over the checked points (NaN when Python has no
/// such problem).</param>
/// <param name="Points">How many points were compared.</param>
public sealed record RhsCheck(string Problem, bool Matches, double MaxRelativeDifference, int Points);

/// <summary>What running scipy gave: its runs, or why it was skipped.</summary>
/// <param name="Available">False when the comparison was skipped (no interpreter, no scipy, the script failed).</param>
/// <param name="Message">Why it was skipped, or a one-line summary of what ran.</param>
/// <param name="Versions">python, scipy, numpy versions and the interpreter path.</param>
/// <param name="Runs">One <see cref="BenchmarkRun"/> per problem × method × tolerance that was run.</param>
/// <param name="RhsChecks">The right-hand-side consistency check per problem; problems that fail it are not run.</param>
public sealed record ScipyOutcome(bool Available, string Message, IReadOnlyDictionary<string, string> Versions,
    IReadOnlyList<BenchmarkRun> Runs, IReadOnlyList<RhsCheck> RhsChecks)
{
    /// <summary>An outcome for a comparison that did not run.</summary>
    public static ScipyOutcome Skipped(string message) =>
        new(false, message, new Dictionary<string, string>(), [], []);
}

/// <summary>
/// Runs the scipy side of the benchmark: the embedded <c>bench/scipy/solve_ivp_bench.py</c> and its problems module are
/// written to a temporary folder and run with Debian's <c>/usr/bin/python3</c> (which has scipy), with a JSON request on
/// stdin. Errors are computed here, with the same <see cref="ErrorMetrics"/> as Ordo's, from scipy's final states.
/// A missing interpreter or scipy skips the comparison with a message; it is never an exception.
/// </summary>
public sealed class ScipyRunner
{
    /// <summary>Debian's system interpreter, which has scipy (the pyenv <c>python3</c> first on PATH does not).</summary>
    public const string DefaultPythonPath = "/usr/bin/python3";

    /// <summary>Logical names of the embedded Python files, and the file names they are written to.</summary>
    internal static readonly (string Resource, string FileName)[] Scripts =
    [
        ("Ordo.Benchmarking.Scipy.solve_ivp_bench.py", "solve_ivp_bench.py"),
        ("Ordo.Benchmarking.Scipy.odeproblems_nonstiff.py", "odeproblems_nonstiff.py"),
    ];

    private const string InstallHint = "install it with: apt-get install -y python3-scipy";

    /// <summary>Creates a runner for the interpreter at <paramref name="pythonPath"/>.</summary>
    public ScipyRunner(string pythonPath = DefaultPythonPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pythonPath);
        PythonPath = pythonPath;
    }

    /// <summary>The interpreter.</summary>
    public string PythonPath { get; }

    /// <summary>Checks the right-hand sides, then runs every problem that passed with every method and tolerance
    /// (atol = problem.SuggestedAtolFactor · rtol).</summary>
    /// <param name="problems">Problems (their names select the Python right-hand side).</param>
    /// <param name="methods">scipy method names, e.g. RK45, DOP853.</param>
    /// <param name="relativeTolerances">rtol values.</param>
    /// <param name="rhsBudget">A run is aborted after this many RHS calls (reported as budget_exceeded).</param>
    /// <param name="progress">Receives one report per finished run.</param>
    /// <param name="cancellationToken">Kills the Python process when cancelled.</param>
    public ScipyOutcome Run(IReadOnlyList<OdeTestProblem> problems, IReadOnlyList<string> methods, IReadOnlyList<double> relativeTolerances,
        int rhsBudget = 200_000, IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(methods);
        ArgumentNullException.ThrowIfNull(relativeTolerances);
        if (!File.Exists(PythonPath))
            return ScipyOutcome.Skipped($"scipy comparison skipped: {PythonPath} not found ({InstallHint}).");

        DirectoryInfo dir = Directory.CreateTempSubdirectory("ordo-scipy-");
        try
        {
            WriteScripts(dir.FullName);
            string script = Path.Combine(dir.FullName, Scripts[0].FileName);

            // 1. Same math? Evaluate both right-hand sides at a few points.
            (JsonDocument? evalDoc, string? evalError) = Invoke(script, EvaluateRequest(problems), null, cancellationToken);
            if (evalDoc is null) return ScipyOutcome.Skipped(evalError!);
            IReadOnlyDictionary<string, string> versions;
            List<RhsCheck> checks;
            using (evalDoc)
            {
                versions = ReadVersions(evalDoc.RootElement);
                checks = CheckRhs(problems, evalDoc.RootElement);
            }
            OdeTestProblem[] runnable = problems.Where(p => checks.Any(c => c.Problem == p.Name && c.Matches)).ToArray();
            if (runnable.Length == 0)
                return new ScipyOutcome(false, "scipy comparison skipped: no problem's right-hand side matched the Python one.", versions, [], checks);

            // 2. The sweep.
            var runRequest = new JsonObject
            {
                ["mode"] = "run",
                ["methods"] = new JsonArray(methods.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
                ["rhs_budget"] = rhsBudget,
                ["min_total_s"] = 0.2,
                ["min_runs"] = 3,
                ["max_runs"] = 50,
                ["problems"] = new JsonArray(runnable.Select(p => (JsonNode)new JsonObject
                {
                    ["name"] = p.Name,
                    ["t0"] = p.T0,
                    ["t1"] = p.T1,
                    ["y0"] = ToJson(p.InitialState),
                    ["tolerances"] = new JsonArray(relativeTolerances.Select(r => (JsonNode)new JsonArray(r, p.SuggestedAtolFactor * r)).ToArray()),
                }).ToArray()),
            };
            int total = runnable.Length * methods.Count * relativeTolerances.Count;
            progress?.Report(new BenchmarkProgress("scipy", 0, total, "starting python"));
            (JsonDocument? runDoc, string? runError) = Invoke(script, runRequest, line =>
            {
                // "progress DONE TOTAL PROBLEM METHOD RTOL"
                string[] parts = line.Split(' ');
                if (parts.Length >= 6 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out int done)
                    && int.TryParse(parts[2], CultureInfo.InvariantCulture, out int all))
                    progress?.Report(new BenchmarkProgress("scipy", done, all, $"{parts[3]} {parts[4]} {parts[5]}"));
            }, cancellationToken);
            if (runDoc is null) return new ScipyOutcome(false, runError!, versions, [], checks);
            using (runDoc)
            {
                List<BenchmarkRun> runs = ReadRuns(runDoc.RootElement, runnable);
                int ok = runs.Count(r => r.IsSuccess);
                string message = FormattableString.Invariant(
                    $"scipy {Get(versions, "scipy")} (python {Get(versions, "python")}): {runs.Count} runs, {ok} succeeded.");
                return new ScipyOutcome(true, message, versions, runs, checks);
            }
        }
        finally
        {
            try { dir.Delete(recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The "evaluate" request of the scipy scripts: every problem with its <see cref="CheckPoints"/>.</summary>
    internal static JsonObject EvaluateRequest(IReadOnlyList<OdeTestProblem> problems) => new()
    {
        ["mode"] = "evaluate",
        ["problems"] = new JsonArray(problems.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Name,
            ["points"] = new JsonArray(CheckPoints(p).Select(pt => (JsonNode)new JsonArray(pt.T, ToJson(pt.Y))).ToArray()),
        }).ToArray()),
    };

    /// <summary>Writes the embedded Python files into <paramref name="directory"/>.</summary>
    internal static void WriteScripts(string directory) => WriteScripts(directory, Scripts);

    /// <summary>Writes the embedded files <paramref name="scripts"/> (resource name, file name) into <paramref name="directory"/>.</summary>
    internal static void WriteScripts(string directory, IEnumerable<(string Resource, string FileName)> scripts)
    {
        foreach ((string resource, string fileName) in scripts)
        {
            using Stream stream = typeof(ScipyRunner).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"The embedded resource {resource} is missing. This is a bug in Ordo.Benchmarking.");
            using FileStream file = File.Create(Path.Combine(directory, fileName));
            stream.CopyTo(file);
        }
    }

    private static string Get(IReadOnlyDictionary<string, string> d, string key) => d.TryGetValue(key, out string? v) ? v : "?";

    internal static JsonArray ToJson(ReadOnlySpan<double> values)
    {
        var a = new JsonArray();
        foreach (double v in values) a.Add(v);
        return a;
    }

    /// <summary>Points where both right-hand sides are evaluated: (t0, y0), (t1, reference) and halfway between.</summary>
    internal static List<(double T, double[] Y)> CheckPoints(OdeTestProblem p)
    {
        var points = new List<(double, double[])> { (p.T0, p.InitialState.ToArray()) };
        if (p.HasReference)
        {
            double[] r = p.ReferenceFinal.ToArray();
            double[] mid = new double[r.Length];
            for (int i = 0; i < r.Length; i++) mid[i] = 0.5 * (p.InitialState[i] + r[i]);
            points.Add((p.T1, r));
            points.Add((0.5 * (p.T0 + p.T1), mid));
        }
        return points;
    }

    private static List<RhsCheck> CheckRhs(IReadOnlyList<OdeTestProblem> problems, JsonElement root)
    {
        var checks = new List<RhsCheck>();
        Dictionary<string, JsonElement> byName = root.GetProperty("evaluations").EnumerateArray()
            .ToDictionary(e => e.GetProperty("problem").GetString()!, e => e.GetProperty("values"));
        foreach (OdeTestProblem p in problems)
        {
            if (!byName.TryGetValue(p.Name, out JsonElement values) || values.ValueKind != JsonValueKind.Array)
            {
                checks.Add(new RhsCheck(p.Name, false, double.NaN, 0));
                continue;
            }
            List<(double T, double[] Y)> points = CheckPoints(p);
            double worst = 0;
            bool ok = values.GetArrayLength() == points.Count;
            int k = 0;
            foreach (JsonElement row in values.EnumerateArray())
            {
                if (!ok) break;
                double[] py = row.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToArray();
                double[] cs = new double[p.Dimension];
                p.Rhs(points[k].T, points[k].Y, cs);
                k++;
                if (py.Length != cs.Length)
                {
                    ok = false;
                    worst = double.NaN;
                    break;
                }
                double scale = 0, diff = 0;
                for (int i = 0; i < cs.Length; i++)
                {
                    scale = Math.Max(scale, Math.Max(Math.Abs(cs[i]), Math.Abs(py[i])));
                    diff = Math.Max(diff, Math.Abs(cs[i] - py[i]));
                }
                double rel = scale > 0 ? diff / scale : diff;
                if (double.IsNaN(rel)) rel = double.PositiveInfinity;
                worst = Math.Max(worst, rel);
            }
            checks.Add(new RhsCheck(p.Name, ok && worst <= 1e-10, worst, points.Count));
        }
        return checks;
    }

    internal static Dictionary<string, string> ReadVersions(JsonElement root)
    {
        var d = new Dictionary<string, string>();
        if (root.TryGetProperty("versions", out JsonElement v) && v.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty p in v.EnumerateObject()) d[p.Name] = p.Value.ToString();
        }
        return d;
    }

    private static List<BenchmarkRun> ReadRuns(JsonElement root, IReadOnlyList<OdeTestProblem> problems)
    {
        var runs = new List<BenchmarkRun>();
        foreach (JsonElement r in root.GetProperty("results").EnumerateArray())
        {
            string name = r.GetProperty("problem").GetString()!;
            OdeTestProblem p = problems.First(q => q.Name == name);
            string status = r.GetProperty("status").GetString() ?? "error";
            double error = double.NaN, l2 = double.NaN;
            if (status == "success" && p.HasReference && r.TryGetProperty("y_final", out JsonElement yf) && yf.ValueKind == JsonValueKind.Array)
            {
                double[] y = yf.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToArray();
                if (y.Length == p.Dimension)
                {
                    error = ErrorMetrics.Mixed(y, p.ReferenceFinal, p.SuggestedAtolFactor);
                    l2 = ErrorMetrics.RelativeL2(y, p.ReferenceFinal);
                }
            }
            runs.Add(new BenchmarkRun(
                BenchmarkSide.Scipy, name, r.GetProperty("method").GetString()!,
                r.GetProperty("rtol").GetDouble(), r.GetProperty("atol").GetDouble(),
                status,
                status == "success" ? "" : (r.TryGetProperty("message", out JsonElement m) ? m.ToString() : ""),
                error, l2,
                Number(r, "nfev") is double nfev ? (long)nfev : 0,
                Number(r, "nsteps") is double ns ? (int)ns : 0,
                null,
                Number(r, "time_s") ?? double.NaN,
                Number(r, "runs") is double runsCount ? (int)runsCount : 0));
        }
        return runs;
    }

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    /// <summary>Runs the script with <paramref name="request"/> on stdin; returns the parsed response, or null and a
    /// one-line reason.</summary>
    internal (JsonDocument? Response, string? Error) Invoke(string script, JsonObject request, Action<string>? onProgressLine,
        CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(PythonPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        psi.ArgumentList.Add("-B");          // no __pycache__
        psi.ArgumentList.Add(script);
        psi.Environment.Remove("PYTHONPATH"); // Debian's interpreter with Debian's packages only
        psi.Environment.Remove("PYTHONHOME");
        psi.Environment["OPENBLAS_NUM_THREADS"] = "1";
        psi.Environment["OMP_NUM_THREADS"] = "1";

        using var process = new Process { StartInfo = psi };
        var stderrTail = new Queue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith("progress ", StringComparison.Ordinal))
            {
                onProgressLine?.Invoke(e.Data);
                return;
            }
            lock (stderrTail)
            {
                stderrTail.Enqueue(e.Data);
                if (stderrTail.Count > 20) stderrTail.Dequeue();
            }
        };
        try
        {
            if (!process.Start()) return (null, $"scipy comparison skipped: could not start {PythonPath}.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (null, $"scipy comparison skipped: could not start {PythonPath}: {ex.Message}.");
        }
        process.BeginErrorReadLine();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        using (CancellationTokenRegistration reg = cancellationToken.Register(() =>
        {
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
        }))
        {
            try
            {
                process.StandardInput.Write(request.ToJsonString());
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The interpreter exited before reading its input; the exit code and stderr below say why.
            }
            process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
        }
        string output;
        try
        {
            output = stdout.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        string tail;
        lock (stderrTail) tail = string.Join(" | ", stderrTail);

        JsonDocument? doc = null;
        try
        {
            if (!string.IsNullOrWhiteSpace(output)) doc = JsonDocument.Parse(output);
        }
        catch (JsonException)
        {
            doc = null;
        }
        if (doc is not null && doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out JsonElement err))
        {
            string kind = err.GetString() ?? "";
            string detail = doc.RootElement.TryGetProperty("message", out JsonElement m) ? m.GetString() ?? "" : "";
            doc.Dispose();
            return kind == "scipy_missing"
                ? (null, $"scipy comparison skipped: {PythonPath} cannot import scipy ({detail}); {InstallHint}.")
                : (null, $"scipy comparison skipped: the scipy script reported {kind}: {detail}");
        }
        if (process.ExitCode != 0 || doc is null)
        {
            doc?.Dispose();
            return (null, $"scipy comparison skipped: {PythonPath} exited with code {process.ExitCode}" + (tail.Length > 0 ? $": {tail}" : "."));
        }
        return (doc, null);
    }
}
