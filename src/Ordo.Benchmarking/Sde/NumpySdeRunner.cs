using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Ordo.Benchmarking.Sde;

/// <summary>One numpy Euler–Maruyama run of bench/numpy/sde_em_bench.py.</summary>
/// <param name="Problem">GBM, OU or DW8.</param>
/// <param name="Variant">"plain" (the formula as written) or "inplace" (preallocated buffers, out= arguments).</param>
/// <param name="Paths">Paths.</param>
/// <param name="Steps">Steps per path.</param>
/// <param name="Seconds">The stepping loop's time of every repetition.</param>
/// <param name="CpuSeconds">The stepping loop's thread CPU time (time.thread_time) of every repetition.</param>
/// <param name="NormalSeconds">The time of generating the same normals alone, per repetition (empty when not measured).</param>
/// <param name="Mean">Mean of the final state per component (last repetition).</param>
/// <param name="Variance">Sample variance (ddof = 1) of the final state per component.</param>
public sealed record NumpySdeRun(string Problem, string Variant, int Paths, int Steps, IReadOnlyList<double> Seconds,
    IReadOnlyList<double> CpuSeconds, IReadOnlyList<double> NormalSeconds, IReadOnlyList<double> Mean, IReadOnlyList<double> Variance);

/// <summary>What the numpy side gave.</summary>
/// <param name="Available">False when skipped.</param>
/// <param name="Message">Versions, or why it was skipped.</param>
/// <param name="Runs">The runs.</param>
public sealed record NumpySdeOutcome(bool Available, string Message, IReadOnlyList<NumpySdeRun> Runs);

/// <summary>
/// Runs bench/numpy/sde_em_bench.py (embedded) with Debian's /usr/bin/python3 and reads its JSON. A missing interpreter
/// or numpy skips the comparison with a message. One thread for numpy's BLAS (numpy's elementwise operations and its
/// generator are single-threaded anyway).
/// </summary>
public sealed class NumpySdeRunner(string pythonPath = ScipyRunner.DefaultPythonPath)
{
    private const string Resource = "Ordo.Benchmarking.Numpy.sde_em_bench.py";

    /// <summary>Runs the problems with <paramref name="paths"/>(problem) paths and <paramref name="steps"/> steps.</summary>
    public NumpySdeOutcome Run(IReadOnlyList<string> problems, Func<string, int> paths, int steps, int repeat, ulong seed)
    {
        if (!File.Exists(pythonPath))
            return new NumpySdeOutcome(false, $"numpy comparison skipped: {pythonPath} not found (apt-get install -y python3-numpy).", []);
        DirectoryInfo dir = Directory.CreateTempSubdirectory("ordo-numpy-sde-");
        try
        {
            string script = Path.Combine(dir.FullName, "sde_em_bench.py");
            using (Stream s = typeof(NumpySdeRunner).Assembly.GetManifestResourceStream(Resource) ?? throw new InvalidOperationException($"missing resource {Resource}"))
            using (FileStream o = File.Create(script))
                s.CopyTo(o);
            var runs = new List<NumpySdeRun>();
            string versions = "";
            // One process per path count (the script takes one --paths).
            foreach (var group in problems.GroupBy(paths))
            {
                var (ok, stdout, error) = RunScript(script, dir.FullName, [
                    "--problems", string.Join(",", group), "--paths", group.Key.ToString(CultureInfo.InvariantCulture),
                    "--steps", steps.ToString(CultureInfo.InvariantCulture), "--repeat", repeat.ToString(CultureInfo.InvariantCulture),
                    "--seed", seed.ToString(CultureInfo.InvariantCulture)]);
                if (!ok) return new NumpySdeOutcome(false, $"numpy comparison skipped: {error}", []);
                var root = JsonNode.Parse(stdout)!.AsObject();
                var v = root["versions"]!.AsObject();
                versions = $"numpy {v["numpy"]} (python {v["python"]}, {v["interpreter"]})";
                foreach (JsonNode? node in root["runs"]!.AsArray())
                {
                    var r = node!.AsObject();
                    runs.Add(new NumpySdeRun((string)r["problem"]!, (string)r["variant"]!, (int)r["paths"]!, (int)r["steps"]!,
                        Doubles(r["times_s"]), Doubles(r["cpu_s"]), Doubles(r["normals_s"]), Doubles(r["mean"]), Doubles(r["var"])));
                }
            }
            return new NumpySdeOutcome(true, $"{versions}: vectorized Euler–Maruyama, {runs.Count} runs", runs);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception
            or System.Text.Json.JsonException or NullReferenceException or FormatException)
        {
            return new NumpySdeOutcome(false, $"numpy comparison skipped: {e.Message}", []);
        }
        finally
        {
            try { dir.Delete(true); } catch (IOException) { }
        }
    }

    private static double[] Doubles(JsonNode? node) => node is null ? [] : node.AsArray().Select(x => (double)x!).ToArray();

    private (bool Ok, string Stdout, string Error) RunScript(string script, string workingDirectory, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(pythonPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add(script);
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["OPENBLAS_NUM_THREADS"] = "1";
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var proc = Process.Start(psi) ?? throw new InvalidOperationException("could not start python");
        var stderrTask = proc.StandardError.ReadToEndAsync();
        string stdout = proc.StandardOutput.ReadToEnd();
        proc.WaitForExit();
        string stderr = stderrTask.Result;
        if (proc.ExitCode == 0) return (true, stdout, "");
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string last = lines.Length == 0 ? "(no message)" : lines[^1].Trim();
        if (last.Contains("No module named 'numpy'", StringComparison.Ordinal))
            last = $"{pythonPath} has no numpy (apt-get install -y python3-numpy)";
        return (false, stdout, $"the script failed ({proc.ExitCode}): {last}");
    }
}
