using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Ordo.Problems.Optimization;

namespace Ordo.Benchmarking.Optimization;

/// <summary>What the scipy side of the <c>opt</c> suite gave.</summary>
/// <param name="Available">False when skipped.</param>
/// <param name="Message">Versions, or why it was skipped.</param>
/// <param name="Runs">scipy's runs.</param>
public sealed record ScipyOptOutcome(bool Available, string Message, IReadOnlyList<OptRun> Runs);

/// <summary>
/// Runs bench/scipy/scipy_mgh_bench.py (embedded, with its copy of the research team's mgh_problems.py) with Debian's
/// /usr/bin/python3 and reads its JSON. A missing interpreter or scipy skips the comparison with a message.
/// </summary>
public sealed class ScipyOptRunner(string pythonPath = ScipyRunner.DefaultPythonPath)
{
    private static readonly (string Resource, string FileName)[] s_scripts =
    [
        ("Ordo.Benchmarking.Scipy.scipy_mgh_bench.py", "scipy_mgh_bench.py"),
        ("Ordo.Benchmarking.Scipy.mgh_problems.py", "mgh_problems.py"),
    ];

    /// <summary>Runs the scipy methods on the problems; each run is timed <paramref name="repeat"/> times (median).</summary>
    public ScipyOptOutcome Run(IReadOnlyList<MghProblem> problems, IReadOnlyList<string> methods, int repeat)
    {
        if (!File.Exists(pythonPath))
            return new ScipyOptOutcome(false, $"scipy comparison skipped: {pythonPath} not found (apt-get install -y python3-scipy).", []);
        DirectoryInfo dir = Directory.CreateTempSubdirectory("ordo-scipy-opt-");
        try
        {
            var asm = typeof(ScipyOptRunner).Assembly;
            foreach (var (resource, file) in s_scripts)
            {
                using Stream s = asm.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"missing resource {resource}");
                using FileStream o = File.Create(Path.Combine(dir.FullName, file));
                s.CopyTo(o);
            }
            var psi = new ProcessStartInfo(pythonPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = dir.FullName,
            };
            psi.ArgumentList.Add(Path.Combine(dir.FullName, "scipy_mgh_bench.py"));
            psi.ArgumentList.Add("--methods");
            psi.ArgumentList.Add(string.Join(",", methods));
            psi.ArgumentList.Add("--ids");
            psi.ArgumentList.Add(string.Join(",", problems.Select(p => p.Id.ToString(CultureInfo.InvariantCulture))));
            psi.ArgumentList.Add("--repeat");
            psi.ArgumentList.Add(repeat.ToString(CultureInfo.InvariantCulture));
            psi.Environment["OPENBLAS_NUM_THREADS"] = "1";
            using var proc = Process.Start(psi) ?? throw new InvalidOperationException("could not start python");
            var stderrTask = proc.StandardError.ReadToEndAsync();
            string stdout = proc.StandardOutput.ReadToEnd();
            proc.WaitForExit();
            string stderr = stderrTask.Result;
            if (proc.ExitCode != 0)
                return new ScipyOptOutcome(false, $"scipy comparison skipped: the script failed ({proc.ExitCode}): {FirstLine(stderr)}", []);
            var root = JsonNode.Parse(stdout)!.AsObject();
            var versions = root["versions"]!.AsObject();
            var byId = problems.ToDictionary(p => p.Id);
            var runs = new List<OptRun>();
            foreach (JsonNode? node in root["runs"]!.AsArray())
            {
                var o = node!.AsObject();
                MghProblem p = byId[(int)o["id"]!];
                double f = (double)o["f"]!;
                var costTo = o["cost_to"]!.AsObject();
                var costs = OptBenchmarkOptions.Taus.Select(t =>
                {
                    string key = t.ToString("0e-0", CultureInfo.InvariantCulture);
                    return costTo[key] is JsonNode c ? (double)c : double.PositiveInfinity;
                }).ToList();
                bool success = (bool)o["success"]!;
                bool solved = f - p.FStar <= OptBenchmarkOptions.PrimaryTau * (p.FAtX0 - p.FStar);
                long nfev = o["nfev"] is JsonNode nf ? (long)nf : (long)o["fun_calls"]!;
                long ngev = o["ngev"] is JsonNode ng ? (long)ng : (long)o["grad_calls"]!;
                runs.Add(new OptRun("scipy", (string)o["method"]!, p.Id, p.Name, p.N, success ? "success" : "failure", success,
                    f, p.FStar, p.FAtX0, nfev, ngev, o["nhev"] is JsonNode nh ? (long)nh : 0, o["nit"] is JsonNode it ? (int)it : -1,
                    1000 * (double)o["time_s"]!, costs, !solved && OptBenchmark.AtLocalMinimum(p, f), (string?)o["message"] ?? ""));
            }
            string message = $"scipy {versions["scipy"]} (numpy {versions["numpy"]}, python {versions["python"]}, {versions["interpreter"]}): {runs.Count} runs";
            return new ScipyOptOutcome(true, message, runs);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.ComponentModel.Win32Exception or System.Text.Json.JsonException or KeyNotFoundException)
        {
            return new ScipyOptOutcome(false, $"scipy comparison skipped: {e.Message}", []);
        }
        finally
        {
            try { dir.Delete(true); } catch (IOException) { }
        }
    }

    private static string FirstLine(string s)
    {
        var lines = s.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length == 0 ? "(no message)" : lines[^1].Trim();
    }
}
