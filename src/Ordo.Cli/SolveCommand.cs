using System.CommandLine;
using System.Diagnostics;
using Ordo.Integration;
using Ordo.Problems;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Cli;

/// <summary><c>ordo solve FILE</c>: loads a problem file, solves it, prints a table or the contract's JSON object.</summary>
internal static class SolveCommand
{
    /// <summary>Default ODE tolerances of the contract.</summary>
    public const double DefaultRtol = 1e-6, DefaultAtol = 1e-9;

    /// <summary>Smallest rtol the integrators accept: 10·machine epsilon.</summary>
    private const double MinRtol = 10 * 2.220446049250313e-16;

    /// <summary>Steps of the untimed warm-up solve that runs before the timed ones (JIT compilation is not timed).</summary>
    private const int WarmUpSteps = 20;

    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "The problem file (JSON, see docs/problem-files.md)." };
        var method = new Option<string>("--method", "-m")
        {
            Description = "The method: auto (the default; for ODEs tsit5 switching to rodas5p on stiff stretches, tsit5 with --dt; for SDEs the default of the noise: shark additive, sriw1 diagonal or scalar, stochastic-heun otherwise) or a name from 'ordo methods' (ODE methods for ode files, SDE methods for sde files, minimization methods for minimize and least-squares files).",
            DefaultValueFactory = _ => "auto",
        };
        var rtol = new Option<string?>("--rtol") { Description = "Relative tolerance of adaptive steps (default 1e-6 for ODEs, 1e-2 for SDEs).", HelpName = "R" };
        var atol = new Option<string?>("--atol") { Description = "Absolute tolerance of adaptive steps (default 1e-9 for ODEs, 1e-2 for SDEs).", HelpName = "A" };
        var dt = new Option<string?>("--dt") { Description = "Fixed step size: no error control. ODEs: the last step lands on t1; SDEs: ceil((t1 - t0)/H) equal steps (needed by euler-maruyama, milstein, sea).", HelpName = "H" };
        var maxSteps = new Option<string?>("--max-steps") { Description = "Most steps, accepted + rejected (ODEs: per solve, default 100000; SDEs: per path, default 1000000).", HelpName = "N" };
        var paths = new Option<string?>("--paths") { Description = "SDE: number of sample paths (default: the file's \"paths\", else 1000).", HelpName = "N" };
        var seed = new Option<string?>("--seed") { Description = "SDE: master seed (default: the file's \"seed\", else 0); path k's noise depends only on (seed, k).", HelpName = "S" };
        var maxIterations = new Option<string?>("--max-iterations") { Description = "Most optimizer iterations (minimize, least-squares).", HelpName = "N" };
        var repeat = new Option<string?>("--repeat") { Description = "Solve K times and report the median and minimum time (default 1).", HelpName = "K" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (the contract's format) instead of a table." };
        var command = new Command("solve", "Solve a problem file (kinds ode, sde, minimize and least-squares).")
        {
            file, method, rtol, atol, dt, maxSteps, maxIterations, paths, seed, repeat, json,
        };
        command.SetAction(parse =>
        {
            var request = new SolveRequest(
                parse.GetValue(file)!,
                parse.GetValue(method) ?? "auto",
                CliValues.Double(parse.GetValue(rtol), "--rtol"),
                CliValues.Double(parse.GetValue(atol), "--atol"),
                CliValues.Double(parse.GetValue(dt), "--dt"),
                CliValues.PositiveInt(parse.GetValue(maxSteps), "--max-steps"),
                CliValues.PositiveInt(parse.GetValue(maxIterations), "--max-iterations"),
                CliValues.PositiveInt(parse.GetValue(paths), "--paths"),
                Seed(parse.GetValue(seed)),
                CliValues.PositiveInt(parse.GetValue(repeat), "--repeat") ?? 1,
                parse.GetValue(json));
            return Run(console, request);
        });
        return command;
    }

    private sealed record SolveRequest(string File, string Method, double? Rtol, double? Atol, double? Dt, int? MaxSteps,
        int? MaxIterations, int? Paths, ulong? Seed, int Repeat, bool Json);

    private static ulong? Seed(string? text)
    {
        if (text is null) return null;
        if (!ulong.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong value))
            throw new BadInputException($"--seed: cannot read '{text}' as a whole number from 0 to {ulong.MaxValue}");
        return value;
    }

    private static int Run(CliConsole console, SolveRequest request)
    {
        double rtol = request.Rtol ?? DefaultRtol, atol = request.Atol ?? DefaultAtol;
        if (rtol <= 0 || rtol >= 1) throw new BadInputException($"--rtol: must be between 0 and 1 but is {CliValues.Human(rtol)}");
        if (rtol < MinRtol)
            throw new BadInputException($"--rtol: {CliValues.Human(rtol)} is below 10·machine epsilon (2.2e-15) and cannot be met in double precision; use 1e-14 or more");
        if (atol < 0) throw new BadInputException($"--atol: must be 0 or more but is {CliValues.Human(atol)}");
        if (request.Dt is double h && h <= 0) throw new BadInputException($"--dt: must be a step size > 0 but is {CliValues.Human(h)}");

        ProblemFile loaded = ProblemFileReader.Load(request.File);
        if (loaded is not SdeProblemFile && (request.Paths is not null || request.Seed is not null))
            throw new BadInputException($"{(request.Paths is not null ? "--paths" : "--seed")}: applies to sde problems; {request.File} is a{(loaded.Kind == ProblemKinds.Ode ? "n" : "")} {loaded.Kind} problem");
        if (loaded is SdeProblemFile sde)
        {
            if (request.MaxIterations is not null)
                throw new BadInputException("--max-iterations: applies to minimize and least-squares problems; an SDE solve is limited by --max-steps");
            return SdeSolve.Run(console, sde, new SdeSolve.Request(request.File, request.Method, request.Rtol, request.Atol, request.Dt,
                request.MaxSteps, request.Paths, request.Seed, request.Repeat, request.Json));
        }
        if (loaded is FlowProblemFile)
        {
            throw new BadInputException($"{request.File}: is a flow problem: 'ordo flow reconstruct {request.File} --sampler NAME --steps N' or 'ordo flow edit ...' runs it");
        }
        if (loaded is OptimizationProblemFile optimization)
        {
            string? odeOption = request.Rtol is not null ? "--rtol" : request.Atol is not null ? "--atol" : request.Dt is not null ? "--dt" : request.MaxSteps is not null ? "--max-steps" : null;
            if (odeOption is not null)
                throw new BadInputException($"{odeOption}: applies to ODE problems; a {loaded.Kind} solve is limited by --max-iterations");
            return OptimizationSolve.Run(console, optimization, new OptimizationSolve.Request(request.File, request.Method, request.MaxIterations, request.Repeat, request.Json));
        }
        if (loaded is not OdeProblemFile problem)
        {
            throw new BadInputException($"{request.File}: cannot solve a {loaded.Kind} problem with this version of ordo");
        }
        if (request.MaxIterations is not null)
            throw new BadInputException("--max-iterations: applies to minimize and least-squares problems; an ODE solve is limited by --max-steps");
        IOdeMethod method = ResolveMethod(request.Method, request.Dt is not null);

        var options = new OdeOptions
        {
            RelativeTolerance = rtol,
            AbsoluteTolerance = atol,
            FixedStep = request.Dt,
            MaxSteps = request.MaxSteps ?? OdeOptions.Default.MaxSteps,
            Save = SaveAt.FinalOnly,
        };
        OdeSolution<double> solution;
        double[] times = new double[request.Repeat];
        try
        {
            // Untimed warm-up: a few steps of the same solve, so that JIT compilation of the integrator and of the
            // compiled expressions is not part of the time ("excluding start-up").
            Ode.Solve(problem.Problem, method, options with { MaxSteps = Math.Min(WarmUpSteps, options.MaxSteps) });
            solution = SolveProgress.Run(console, !request.Json, $"solving {problem.DisplayName}", progress =>
            {
                OdeSolution<double>? last = null;
                for (int k = 0; k < request.Repeat; k++)
                {
                    OdeOptions o = progress is null ? options : options with { Progress = new RepeatProgress(progress, k, request.Repeat) };
                    long start = Stopwatch.GetTimestamp();
                    last = Ode.Solve(problem.Problem, method, o);
                    times[k] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
                return last!;
            });
        }
        catch (ArgumentException e)
        {
            // Options the integrator refuses (the checks above should have caught them).
            throw new BadInputException($"{request.File}: {e.Message}");
        }
        (double median, double min) = CliValues.MedianAndMin(times);
        double? error = problem.Reference is { } r ? ErrorMetrics.RelativeL2(solution.Y, r.Y.ToArray()) : null;
        var result = new OdeResult(problem, method, request, rtol, atol, solution, error, median, min);
        if (request.Json) WriteJson(console, result);
        else WriteHuman(console, result);
        return Cli.ExitOk;
    }

    private sealed record OdeResult(OdeProblemFile Problem, IOdeMethod Method, SolveRequest Request, double Rtol, double Atol,
        OdeSolution<double> Solution, double? Error, double MedianMs, double MinMs);

    internal static IOdeMethod ResolveMethod(string name, bool fixedStep)
    {
        string known = string.Join(", ", OdeMethods.All.Concat(OdeMethods.Stiff).Append(OdeMethods.Auto).Select(m => m.Name));
        if (string.Equals(name.Trim(), "auto", StringComparison.OrdinalIgnoreCase)) return fixedStep ? OdeMethods.Default : OdeMethods.Auto;
        if (!OdeMethods.TryGet(name.Trim(), out IOdeMethod? method))
        {
            throw new BadInputException($"--method: unknown ODE method '{name}'; known: {known}");
        }
        if (method.ErrorEstimatorOrder is null && !fixedStep)
            throw new BadInputException($"--method: '{method.Name}' takes fixed steps only (it has no error estimate); give the step size with --dt");
        return method;
    }

    private static void WriteJson(CliConsole console, OdeResult r) => JsonOutput.Write(console.Out, w =>
    {
        OdeSolution<double> s = r.Solution;
        w.WriteString("kind", "ode");
        if (r.Problem.Name is not null) w.WriteString("name", r.Problem.Name);
        w.WriteString("method", r.Method.Name);
        w.WriteString("status", s.Status.ToIdentifier());
        w.Number("t_final", s.Time);
        w.Numbers("y_final", s.Y);
        w.WriteStartObject("stats");
        w.WriteNumber("rhs_evals", s.Stats.RhsEvaluations);
        w.WriteNumber("jacobian_evals", s.Stats.JacobianEvaluations);
        w.WriteNumber("lu_decompositions", s.Stats.LuDecompositions);
        w.WriteNumber("steps_accepted", s.Stats.AcceptedSteps);
        w.WriteNumber("steps_rejected", s.Stats.RejectedSteps);
        w.WriteEndObject();
        if (s.MethodSegments.Count > 0)
        {
            // auto: which method ran when (each segment lasts until the next one starts).
            w.WriteStartArray("segments");
            foreach (OdeMethodSegment segment in s.MethodSegments)
            {
                w.WriteStartObject();
                w.Number("t", segment.StartTime);
                w.WriteString("method", segment.Method);
                w.WriteString("reason", segment.Reason);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (r.Error is double e)
        {
            w.WriteStartObject("error");
            w.Number("final_rel_l2", e);
            w.WriteEndObject();
        }
        w.TimeMs(r.MedianMs, r.MinMs);
        w.WriteNumber("rtol", r.Rtol);
        w.WriteNumber("atol", r.Atol);
        if (r.Request.Dt is double dt) w.WriteNumber("dt", dt);
        w.WriteNumber("repeat", r.Request.Repeat);
    });

    private static void WriteHuman(CliConsole console, OdeResult r)
    {
        OdeSolution<double> s = r.Solution;
        OdeProblemFile p = r.Problem;
        string method = r.Method.Name + (string.Equals(r.Request.Method.Trim(), "auto", StringComparison.OrdinalIgnoreCase) && r.Method.Name != "auto" ? " (auto)" : "");
        string control = r.Request.Dt is double dt ? $"fixed step dt = {CliValues.Human(dt)}" : $"rtol {CliValues.Sci(r.Rtol)}, atol {CliValues.Sci(r.Atol)}";
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "problem", $"{p.DisplayName} (ode, {Plural(p.Dimension, "state")}, t = {CliValues.Human(p.T0)} → {CliValues.Human(p.T1)})" },
            new[] { "method", $"{method}, {control}" },
            new[] { "status", s.Status == OdeStatus.Success ? "success" : $"{s.Status.ToIdentifier()}: {s.Message}" },
            new[] { "t_final", CliValues.Human(s.Time) },
            new[] { "rhs evaluations", CliValues.Count(s.Stats.RhsEvaluations) },
            new[] { "steps", $"{CliValues.Count(s.Stats.AcceptedSteps)} accepted, {CliValues.Count(s.Stats.RejectedSteps)} rejected" },
        };
        if (s.Stats.JacobianEvaluations > 0 || s.Stats.LuDecompositions > 0)
            rows.Add(["Jacobians, LUs", $"{CliValues.Count(s.Stats.JacobianEvaluations)}, {CliValues.Count(s.Stats.LuDecompositions)}"]);
        if (s.MethodSegments.Count > 0)
            rows.Add(["methods", string.Join("; ", s.MethodSegments.Select(m => $"{m.Method} from t = {CliValues.Human(m.StartTime)} ({m.Reason})"))]);
        if (r.Error is double e) rows.Add(["error", $"{CliValues.Sci(e)} (relative L2 vs the reference at t = {CliValues.Human(p.Reference!.T)})"]);
        rows.Add(["time", r.Request.Repeat == 1 ? CliValues.Ms(r.MedianMs) : $"median {CliValues.Ms(r.MedianMs)}, min {CliValues.Ms(r.MinMs)} ({r.Request.Repeat} solves)"]);
        console.WriteTable(["solve", ""], rows);
        console.Out.WriteLine();

        IReadOnlyList<double>? reference = p.Reference?.Y;
        List<string> headers = ["component", "y_final"];
        if (reference is not null) headers.Add("reference");
        console.WriteTable(headers, Components(p.Dimension, i =>
        {
            var row = new List<string> { p.State.ComponentName(i), CliValues.Human(s.Y[i]) };
            if (reference is not null) row.Add(CliValues.Human(reference[i]));
            return row;
        }, headers.Count), new HashSet<int> { 1, 2 });
    }

    /// <summary>Rows for the first and last components of a long vector, with a "…" row between.</summary>
    internal static IEnumerable<IReadOnlyList<string>> Components(int n, Func<int, IReadOnlyList<string>> row, int columns)
    {
        const int head = 10, tail = 5;
        if (n <= head + tail + 1)
        {
            for (int i = 0; i < n; i++) yield return row(i);
            yield break;
        }
        for (int i = 0; i < head; i++) yield return row(i);
        yield return [$"… {n - head - tail} more", .. Enumerable.Repeat("", columns - 1)];
        for (int i = n - tail; i < n; i++) yield return row(i);
    }

    internal static string Plural(int n, string word) => $"{n} {word}{(n == 1 ? "" : "s")}";

    /// <summary>Maps the fraction of solve k of K onto the whole run.</summary>
    private sealed class RepeatProgress(IProgress<double> inner, int k, int count) : IProgress<OdeProgress>
    {
        public void Report(OdeProgress value) => inner.Report((k + Math.Clamp(value.Fraction, 0, 1)) / count);
    }
}
