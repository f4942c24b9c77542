using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ordo.Problems;

namespace Ordo.Benchmarking.Stiff;

/// <summary>
/// The CVODE side of the stiff benchmark: builds the embedded <c>bench/cvode/cvode_stiff.c</c> with gcc against
/// SUNDIALS (Debian's libsundials-dev 6.4.1), checks its right-hand sides and Jacobians against the C# ones, and runs
/// CVODE's BDF (Newton, dense direct solver; exact Jacobian "bdf", and difference-quotient Jacobian "bdf-dq") on every
/// problem and tolerance; the C program times itself in-process (clock_gettime, median of repeats) and prints CSV.
/// A missing compiler or SUNDIALS skips CVODE with a message; it is never an exception.
/// Reference: Hindmarsh et al., "SUNDIALS: Suite of nonlinear and differential/algebraic equation solvers", ACM TOMS
/// 31 (2005) 363–396; the CVODE user guide (SUNDIALS 6.4).
/// </summary>
public sealed class CvodeRunner
{
    /// <summary>The libraries the program links against.</summary>
    public static IReadOnlyList<string> Libraries { get; } =
        ["-lsundials_cvode", "-lsundials_nvecserial", "-lsundials_sunmatrixdense", "-lsundials_sunlinsoldense", "-lm"];

    internal const string SourceResource = "Ordo.Benchmarking.Cvode.cvode_stiff.c";
    internal const string SourceFileName = "cvode_stiff.c";
    internal const string ProgramFileName = "cvode_stiff";
    private const string InstallHint = "install them with: apt-get install -y gcc libsundials-dev";

    /// <summary>Creates a runner that builds with <paramref name="compiler"/> (a name on PATH or a path).</summary>
    public CvodeRunner(string compiler = "gcc")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(compiler);
        Compiler = compiler;
    }

    /// <summary>The C compiler.</summary>
    public string Compiler { get; }

    /// <summary>Writes the C source to <paramref name="directory"/> and compiles it there. Returns the program's path, or
    /// null and a one-line reason ("CVODE comparison skipped: …").</summary>
    public (string? Program, string? Error) Build(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string? compiler = FindExecutable(Compiler);
        if (compiler is null) return (null, $"CVODE comparison skipped: the C compiler '{Compiler}' was not found ({InstallHint}).");
        Directory.CreateDirectory(directory);
        string source = Path.Combine(directory, SourceFileName);
        using (Stream stream = typeof(CvodeRunner).Assembly.GetManifestResourceStream(SourceResource)
            ?? throw new InvalidOperationException($"The embedded resource {SourceResource} is missing. This is a bug in Ordo.Benchmarking."))
        using (FileStream file = File.Create(source))
        {
            stream.CopyTo(file);
        }
        string program = Path.Combine(directory, ProgramFileName);
        string[] args = ["-O2", "-o", program, source, .. Libraries];
        (int code, string stdout, string stderr) = RunProcess(compiler, args, null, TimeSpan.FromMinutes(2));
        if (code != 0 || !File.Exists(program))
        {
            string first = (stderr + "\n" + stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? $"exit code {code}";
            bool missing = first.Contains("cvode", StringComparison.OrdinalIgnoreCase) || first.Contains("sundials", StringComparison.OrdinalIgnoreCase)
                || first.Contains("cannot find -l", StringComparison.Ordinal);
            return (null, missing
                ? $"CVODE comparison skipped: SUNDIALS (CVODE) headers or libraries not found ({first}); {InstallHint}."
                : $"CVODE comparison skipped: could not compile {SourceFileName}: {first}");
        }
        return (program, null);
    }

    /// <summary>Builds the program in <paramref name="buildDirectory"/>, checks f and J of every problem, then runs every
    /// problem that passed at every tolerance (atol = problem.SuggestedAtolFactor · rtol), with the exact Jacobian and,
    /// when <paramref name="differenceQuotient"/>, with CVODE's difference-quotient one.</summary>
    /// <param name="problems">Problems (their names select the C functions).</param>
    /// <param name="relativeTolerances">rtol values.</param>
    /// <param name="buildDirectory">Where cvode_stiff.c and the program are written.</param>
    /// <param name="differenceQuotient">Also run with the difference-quotient Jacobian.</param>
    /// <param name="minTotalSeconds">Timing: repeat solves until they add up to this (at least 3).</param>
    /// <param name="maxRepeats">At most this many timed solves.</param>
    /// <param name="progress">One report per finished run.</param>
    /// <param name="cancellationToken">Kills the program when cancelled.</param>
    public BaselineOutcome Run(IReadOnlyList<OdeTestProblem> problems, IReadOnlyList<double> relativeTolerances, string buildDirectory,
        bool differenceQuotient = true, double minTotalSeconds = 0.2, int maxRepeats = 200,
        IProgress<BenchmarkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(relativeTolerances);
        (string? program, string? buildError) = Build(buildDirectory);
        if (program is null) return BaselineOutcome.Skipped(buildError!);

        // 1. Same math? f and J at a few points of every problem.
        var eval = new StringBuilder();
        foreach (OdeTestProblem p in problems)
        {
            foreach ((double t, double[] y) in ScipyRunner.CheckPoints(p))
                eval.Append(Invariant($"eval {p.Name} {t:R} {y.Length} ")).AppendJoin(' ', y.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append('\n');
        }
        (int evalCode, string evalOut, string evalErr) = RunProcess(program, [], eval.ToString(), TimeSpan.FromMinutes(1), cancellationToken: cancellationToken);
        if (evalCode != 0) return BaselineOutcome.Skipped($"CVODE comparison skipped: {ProgramFileName} exited with code {evalCode}: {evalErr.Trim()}");
        List<FunctionCheck> checks = CheckFunctions(problems, evalOut.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(',')).Where(c => c.Length == 4 && c[0] == "eval")
            .Select(c => (c[1], Numbers(c[2]), Numbers(c[3]))).ToList());
        OdeTestProblem[] runnable = problems.Where(p => checks.Any(c => c.Problem == p.Name && c.Matches)).ToArray();
        if (runnable.Length == 0)
            return new BaselineOutcome(false, "CVODE comparison skipped: no problem's f and Jacobian matched the C ones.", [], checks);

        // 2. The sweep.
        var commands = new StringBuilder();
        int total = 0;
        foreach (OdeTestProblem p in runnable)
        {
            foreach (double rtol in relativeTolerances)
            {
                foreach (int jac in differenceQuotient ? new[] { 1, 0 } : [1])
                {
                    double atol = p.SuggestedAtolFactor * rtol;
                    commands.Append(Invariant($"run {p.Name} {jac} {rtol:R} {atol:R} {p.T0:R} {p.T1:R} {p.Dimension} "))
                        .AppendJoin(' ', p.InitialState.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append(' ')
                        .AppendJoin(' ', p.ReferenceFinal.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)))
                        .Append(Invariant($" {minTotalSeconds:R} {maxRepeats}\n"));
                    total++;
                }
            }
        }
        var runs = new List<StiffRun>();
        progress?.Report(new BenchmarkProgress("cvode", 0, total, "starting"));
        (int code, _, string stderr) = RunProcess(program, [], commands.ToString(), TimeSpan.FromMinutes(20), line =>
        {
            if (ParseRunLine(line) is not { } run) return;
            runs.Add(run);
            progress?.Report(new BenchmarkProgress("cvode", runs.Count, total, Invariant($"{run.Problem} {run.Method} {run.RelativeTolerance:0e0}")));
        }, cancellationToken);
        if (code != 0 && runs.Count == 0)
            return new BaselineOutcome(false, $"CVODE comparison skipped: {ProgramFileName} exited with code {code}: {stderr.Trim()}", [], checks);
        int ok = runs.Count(r => r.IsSuccess);
        string version = SundialsVersion();
        return new BaselineOutcome(true, $"CVODE (SUNDIALS {version}, BDF, dense direct solver): {runs.Count} runs, {ok} succeeded"
            + (code != 0 ? $"; the program exited with code {code}" : "") + ".", runs, checks);
    }

    /// <summary>Reads one CSV line of the program's "run" command
    /// (problem,jac,rtol,atol,status,flag,time_s,repeats,error,nfe,nfe_ls,nje,nsetups,steps,netf,ncfn,y_final); null for
    /// any other line (the header, "unknown,NAME").</summary>
    internal static StiffRun? ParseRunLine(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        string[] c = line.Trim().Split(',');
        if (c.Length != 17 || c[0] == "problem") return null;
        if (!TryDouble(c[2], out double rtol) || !TryDouble(c[3], out double atol)) return null;
        string method = c[1] == "1" ? "bdf" : "bdf-dq";
        long L(int i) => long.TryParse(c[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : 0;
        double D(int i) => TryDouble(c[i], out double v) ? v : double.NaN;
        bool success = c[4] == "success";
        return new StiffRun(StiffRun.Cvode, c[0], method, rtol, atol, success ? "success" : "failed",
            success ? "" : $"CVode returned flag {c[5]}",
            success ? D(8) : double.NaN, success ? D(6) : double.NaN, (int)L(7),
            L(9) + L(10), L(11), L(12), (int)L(13), (int)L(14));
    }

    private static bool TryDouble(string s, out double v)
    {
        s = s.Trim();
        if (s is "nan" or "-nan")
        {
            v = double.NaN;
            return true;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out v);
    }

    private static double[] Numbers(string s) =>
        s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => TryDouble(x, out double v) ? v : double.NaN).ToArray();

    /// <summary>Compares a baseline's f and J values with the C# ones at <see cref="ScipyRunner.CheckPoints"/>; the
    /// evaluations are (problem, f, J row-major) in point order.</summary>
    internal static List<FunctionCheck> CheckFunctions(IReadOnlyList<OdeTestProblem> problems, IReadOnlyList<(string Problem, double[] F, double[] J)> evaluations)
    {
        var checks = new List<FunctionCheck>();
        foreach (OdeTestProblem p in problems)
        {
            (string Problem, double[] F, double[] J)[] mine = evaluations.Where(e => e.Problem == p.Name).ToArray();
            List<(double T, double[] Y)> points = ScipyRunner.CheckPoints(p);
            if (mine.Length != points.Count || p.Jacobian is null)
            {
                checks.Add(new FunctionCheck(p.Name, false, double.NaN, double.NaN));
                continue;
            }
            double worstF = 0, worstJ = 0;
            int n = p.Dimension;
            for (int k = 0; k < points.Count; k++)
            {
                double[] f = new double[n], j = new double[n * n];
                p.Rhs(points[k].T, points[k].Y, f);
                p.Jacobian(points[k].T, points[k].Y, j);
                worstF = Math.Max(worstF, RelativeDifference(f, mine[k].F));
                worstJ = Math.Max(worstJ, RelativeDifference(j, mine[k].J));
            }
            checks.Add(new FunctionCheck(p.Name, worstF <= 1e-10 && worstJ <= 1e-10, worstF, worstJ));
        }
        return checks;
    }

    /// <summary>max|a − b| / max(|a|, |b|) over the entries; +∞ for different lengths or NaN.</summary>
    private static double RelativeDifference(double[] a, double[] b)
    {
        if (a.Length != b.Length) return double.PositiveInfinity;
        double scale = 0, diff = 0;
        for (int i = 0; i < a.Length; i++)
        {
            scale = Math.Max(scale, Math.Max(Math.Abs(a[i]), Math.Abs(b[i])));
            diff = Math.Max(diff, Math.Abs(a[i] - b[i]));
        }
        double rel = scale > 0 ? diff / scale : diff;
        return double.IsNaN(rel) ? double.PositiveInfinity : rel;
    }

    /// <summary>SUNDIALS_VERSION from sundials_config.h, or "?".</summary>
    private static string SundialsVersion()
    {
        const string header = "/usr/include/sundials/sundials_config.h";
        try
        {
            if (File.Exists(header))
            {
                string? line = File.ReadLines(header).FirstOrDefault(l => l.Contains("#define SUNDIALS_VERSION ", StringComparison.Ordinal));
                if (line is not null) return line[(line.IndexOf('"', StringComparison.Ordinal) + 1)..].TrimEnd('"', ' ');
            }
        }
        catch (IOException)
        {
        }
        return "?";
    }

    /// <summary>The full path of <paramref name="name"/> (a path, or a name looked up on PATH), or null.</summary>
    internal static string? FindExecutable(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal)) return File.Exists(name) ? name : null;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>Runs a program with <paramref name="input"/> on stdin; returns exit code, stdout and stderr. Each stdout
    /// line is also passed to <paramref name="onLine"/> as it arrives. A program that outlives
    /// <paramref name="timeout"/> is killed (exit code −1).</summary>
    private static (int Code, string Stdout, string Stderr) RunProcess(string file, IReadOnlyList<string> args, string? input, TimeSpan timeout,
        Action<string>? onLine = null, CancellationToken cancellationToken = default)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var process = new Process { StartInfo = psi };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.Append(e.Data).Append('\n');
            onLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.Append(e.Data).Append('\n');
        };
        try
        {
            if (!process.Start()) return (-1, "", $"could not start {file}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, "", $"could not start {file}: {ex.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (cancellationToken.Register(() =>
        {
            try { process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
        }))
        {
            if (input is not null)
            {
                try
                {
                    process.StandardInput.Write(input);
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The program exited before reading its input; the exit code and stderr say why.
                }
            }
            if (!process.WaitForExit(timeout))
            {
                try { process.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { }
                process.WaitForExit();
                return (-1, stdout.ToString(), $"killed after {timeout.TotalSeconds:0} s");
            }
            process.WaitForExit(); // drains the asynchronous readers
            cancellationToken.ThrowIfCancellationRequested();
        }
        lock (stdout) lock (stderr) return (process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
