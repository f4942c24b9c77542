using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Ordo.Problems.Flows;
using Ordo.Problems.ProblemFiles;
using Ordo.Sampling;

namespace Ordo.Cli;

/// <summary>
/// <c>ordo flow reconstruct FILE</c> and <c>ordo flow edit FILE --from C1 --to C2</c>: inverts the data points of a flow
/// problem file to noise with a sampler and samples them back (under the same condition, or under another one for an
/// edit); prints a table per point or the contract's JSON object.
/// </summary>
internal static class FlowCommand
{
    /// <summary>Most steps a flow command takes.</summary>
    public const int MaxSteps = 1_000_000;

    /// <summary>Points of the untimed warm-up run.</summary>
    private const int WarmUpPoints = 256;

    public static Command Create(CliConsole console)
    {
        var command = new Command("flow", "Invert the data points of a flow problem file to noise and sample them back (reconstruct), or into another class (edit).");
        command.Subcommands.Add(CreateReconstruct(console));
        command.Subcommands.Add(CreateEdit(console));
        return command;
    }

    private static Command CreateReconstruct(CliConsole console)
    {
        var options = new FlowOptions();
        var command = new Command("reconstruct", "Invert every point to noise and sample it back under the same model (the file's condition, if any); reports ‖output − input‖.");
        options.AddTo(command);
        command.SetAction(parse => Run(console, options.Read(parse, null, null)));
        return command;
    }

    private static Command CreateEdit(CliConsole console)
    {
        var options = new FlowOptions();
        var from = new Option<string>("--from") { Description = "The component (1-based) to invert under.", HelpName = "C1", Required = true };
        var to = new Option<string>("--to") { Description = "The component (1-based) to sample under.", HelpName = "C2", Required = true };
        var command = new Command("edit", "Invert every point to noise under component C1 and sample it under component C2; reports the error against the exact edit map.");
        options.AddTo(command);
        command.Options.Add(from);
        command.Options.Add(to);
        command.SetAction(parse => Run(console, options.Read(parse, WholeNumber(parse.GetValue(from)!, "--from"), WholeNumber(parse.GetValue(to)!, "--to"))));
        return command;
    }

    /// <summary>The file and the options both flow commands take.</summary>
    private sealed class FlowOptions
    {
        private readonly Argument<string> _file = new("file") { Description = "The problem file (JSON, kind flow; see docs/problem-files.md)." };
        private readonly Option<string> _sampler = new("--sampler", "-s")
        {
            Description = "The sampler: a flow sampler of 'ordo methods' (euler, midpoint, rf-solver, fireflow, ...).",
            HelpName = "NAME",
            Required = true,
        };
        private readonly Option<string> _steps = new("--steps", "-n") { Description = "Number of steps N of each pass.", HelpName = "N", Required = true };
        private readonly Option<string> _schedule = new("--schedule")
        {
            Description = "The time grid: uniform (the default, N equal steps) or flux-shift (FLUX's shifted grid, mu = 1.15); inversion runs it reversed.",
            HelpName = "S",
            DefaultValueFactory = _ => "uniform",
        };
        private readonly Option<string?> _repeat = new("--repeat") { Description = "Run K times and report the median and minimum time (default 1).", HelpName = "K" };
        private readonly Option<bool> _json = new("--json") { Description = "Print one JSON object (the contract's format) instead of tables." };

        public void AddTo(Command command)
        {
            command.Arguments.Add(_file);
            command.Options.Add(_sampler);
            command.Options.Add(_steps);
            command.Options.Add(_schedule);
            command.Options.Add(_repeat);
            command.Options.Add(_json);
        }

        public FlowRequest Read(ParseResult parse, long? from, long? to) => new(
            parse.GetValue(_file)!,
            parse.GetValue(_sampler)!,
            CliValues.PositiveInt(parse.GetValue(_steps), "--steps")!.Value,
            parse.GetValue(_schedule) ?? "uniform",
            CliValues.PositiveInt(parse.GetValue(_repeat), "--repeat") ?? 1,
            parse.GetValue(_json),
            from,
            to);
    }

    private sealed record FlowRequest(string File, string Sampler, int Steps, string Schedule, int Repeat, bool Json, long? From, long? To)
    {
        public bool IsEdit => From is not null;
    }

    private static long WholeNumber(string text, string option) =>
        long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long value)
            ? value
            : throw new BadInputException($"{option}: cannot read '{text}' as a whole number (a component, counted from 1)");

    private static int Run(CliConsole console, FlowRequest request)
    {
        string name = request.Sampler.Trim();
        if (!FlowSamplers.TryGet(name, out FlowSampler? sampler))
            throw new BadInputException($"--sampler: unknown flow sampler '{request.Sampler}'; known: {string.Join(", ", FlowSamplers.Names)}");
        if (request.Steps > MaxSteps) throw new BadInputException($"--steps: {request.Steps} is too many (at most {MaxSteps:N0})");
        string schedule = request.Schedule.Trim().ToLowerInvariant();
        FlowTimeGrid grid;
        try
        {
            grid = FlowTimeGrid.Parse(schedule, request.Steps);
        }
        catch (ArgumentException)
        {
            throw new BadInputException($"--schedule: unknown schedule '{request.Schedule}'; known: uniform, flux-shift");
        }

        ProblemFile loaded = ProblemFileReader.Load(request.File);
        if (loaded is not FlowProblemFile problem)
            throw new BadInputException($"{request.File}: is a{(loaded.Kind == ProblemKinds.Ode ? "n" : "")} {loaded.Kind} problem; 'ordo flow' takes a file of kind flow");
        int k = problem.ComponentCount;
        FlowCondition source = problem.FlowCondition, target = problem.FlowCondition;
        if (request.IsEdit)
        {
            source = FlowCondition.Class(Component(request.From!.Value, "--from", problem));
            target = FlowCondition.Class(Component(request.To!.Value, "--to", problem));
        }

        var solver = new FlowSolver<double>(problem.Model, sampler, grid);
        int d = problem.Dimension, length = problem.PointCount * d;
        double[] data = problem.Points.ToArray(), noise = new double[length], output = new double[length];
        // A reconstruction is an edit from a condition to itself (FlowSolver.Reconstruct does exactly that).
        // Untimed warm-up, so that JIT compilation is not part of the time: the same run on the first (up to) 256 points.
        // It must be the same batch length where it can be: the vector kernels take other paths at other lengths.
        int warm = Math.Min(problem.PointCount, WarmUpPoints) * d;
        long warmStart = Stopwatch.GetTimestamp();
        solver.Edit(data.AsSpan(0, warm), source, target, new double[warm], new double[warm]);
        // A progress display only for runs expected to last (its callback would otherwise be part of a short time).
        double expectedSeconds = Stopwatch.GetElapsedTime(warmStart).TotalSeconds * length / warm * request.Repeat;
        double[] times = new double[request.Repeat];
        FlowRoundTripResult result = SolveProgress.Run(console, !request.Json && expectedSeconds > 0.5, $"{(request.IsEdit ? "editing" : "reconstructing")} {problem.DisplayName}", progress =>
        {
            int passSteps = grid.Steps;
            FlowRoundTripResult? last = null;
            for (int r = 0; r < request.Repeat; r++)
            {
                if (progress is not null)
                {
                    int repeat = r;
                    solver.StepCallback = (pass, step, _, _) => progress.Report(
                        (repeat + (step + 1 + (pass == FlowPass.Sampling ? passSteps : 0)) / (2.0 * passSteps)) / request.Repeat);
                }
                long start = Stopwatch.GetTimestamp();
                last = solver.Edit(data, source, target, noise, output);
                times[r] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            return last!;
        });
        Array.Sort(times);
        double median = times.Length % 2 == 1 ? times[times.Length / 2] : 0.5 * (times[times.Length / 2 - 1] + times[times.Length / 2]);

        double[] exact = request.IsEdit ? problem.ExactEdit(source.ClassIndex!.Value, target.ClassIndex!.Value) : data;
        // A run that stopped early has no error against the exact answer; when the inversion failed nothing was sampled.
        if (result.Sampling is null) Array.Fill(output, double.NaN);
        double[] errors = result.Succeeded ? FlowErrors.PointDistances(output, exact, d) : Enumerable.Repeat(double.NaN, problem.PointCount).ToArray();
        var run = new FlowRun(problem, request, sampler, schedule, grid, result, noise, output, exact, errors, median, times[0], k);
        if (request.Json) WriteJson(console, run);
        else WriteHuman(console, run);
        return Cli.ExitOk;
    }

    private static int Component(long value, string option, FlowProblemFile problem)
    {
        int k = problem.ComponentCount;
        if (value < 1 || value > k)
            throw new BadInputException($"{option}: is {value} but {problem.DisplayName} has components 1 to {k} (counted from 1)");
        return (int)value - 1;
    }

    private sealed record FlowRun(FlowProblemFile Problem, FlowRequest Request, FlowSampler Sampler, string Schedule, FlowTimeGrid Grid,
        FlowRoundTripResult Result, double[] Noise, double[] Output, double[] Exact, double[] Errors, double MedianMs, double MinMs, int Components)
    {
        public double MaxError => FlowErrors.Max(Errors);
    }

    private static void WriteJson(CliConsole console, FlowRun r) => JsonOutput.Write(console.Out, w =>
    {
        FlowProblemFile p = r.Problem;
        int n = p.PointCount, d = p.Dimension;
        w.WriteString("kind", "flow");
        if (p.Name is not null) w.WriteString("name", p.Name);
        w.WriteString("operation", r.Request.IsEdit ? "edit" : "reconstruct");
        w.WriteString("sampler", r.Sampler.Name);
        w.WriteString("schedule", r.Schedule);
        w.WriteNumber("steps", r.Grid.Steps);
        w.WriteNumber("nfe", r.Result.Evaluations);
        w.WriteString("status", r.Result.Status.ToIdentifier());
        if (r.Request.IsEdit)
        {
            w.WriteNumber("from", r.Request.From!.Value);
            w.WriteNumber("to", r.Request.To!.Value);
        }
        else if (p.Condition is int c)
        {
            w.WriteNumber("condition", c + 1);
        }
        w.Matrix("noise", r.Noise, n, d);
        w.Matrix("output", r.Output, n, d);
        if (r.Result.Succeeded)
        {
            w.WriteStartObject("error");
            w.Number(r.Request.IsEdit ? "max_edit_error" : "max_reconstruction_error", r.MaxError);
            w.WriteEndObject();
        }
        w.WriteStartObject("time_ms");
        w.WriteNumber("median", r.MedianMs);
        w.WriteNumber("min", r.MinMs);
        w.WriteEndObject();
        w.WriteNumber("repeat", r.Request.Repeat);
    });

    private static void WriteHuman(CliConsole console, FlowRun r)
    {
        FlowProblemFile p = r.Problem;
        FlowRoundTripResult result = r.Result;
        bool edit = r.Request.IsEdit;
        string operation = edit
            ? $"edit: invert under component {r.Request.From}, sample under component {r.Request.To}"
            : $"reconstruct: invert to noise, sample back ({(p.Condition is int c ? $"under component {c + 1}" : "unconditional")})";
        string status = result.Succeeded ? "success"
            : $"{result.Status.ToIdentifier()}: {(result.Inversion.Succeeded ? result.Sampling!.Message : result.Inversion.Message)}";
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "problem", $"{p.DisplayName} (flow, {SolveCommand.Plural(r.Components, "component")} in {SolveCommand.Plural(p.Dimension, "dimension")}, {SolveCommand.Plural(p.PointCount, "point")})" },
            new[] { "operation", operation },
            new[] { "sampler", $"{r.Sampler.Name} ({r.Sampler.DisplayName}), {SolveCommand.Plural(r.Grid.Steps, "step")}, {r.Grid.Name} grid" },
            new[] { "nfe", $"{result.Evaluations} per point: {result.Inversion.Evaluations} inversion + {result.Sampling?.Evaluations ?? 0} sampling (one evaluation moves the whole batch)" },
            new[] { "status", status },
            new[] { "error", result.Succeeded
                ? $"{CliValues.Sci(r.MaxError)} = max {(edit ? "‖output − exact edit‖" : "‖output − input‖")} over the points"
                : "— (the run stopped early; noise and output hold the points where it stopped, nan where nothing was computed)" },
            new[] { "time", r.Request.Repeat == 1 ? CliValues.Ms(r.MedianMs) : $"median {CliValues.Ms(r.MedianMs)}, min {CliValues.Ms(r.MinMs)} ({r.Request.Repeat} runs)" },
        };
        console.WriteTable(["flow", ""], rows);
        console.Out.WriteLine();

        int d = p.Dimension;
        List<string> headers = ["point", "input", "noise", "output"];
        if (edit) headers.Add("exact edit");
        headers.Add(edit ? "error" : "‖output − input‖");
        console.WriteTable(headers, SolveCommand.Components(p.PointCount, i =>
        {
            var row = new List<string>
            {
                (i + 1).ToString(CultureInfo.InvariantCulture),
                CliValues.Vector(p.Point(i)),
                CliValues.Vector(r.Noise.AsSpan(i * d, d)),
                CliValues.Vector(r.Output.AsSpan(i * d, d)),
            };
            if (edit) row.Add(CliValues.Vector(r.Exact.AsSpan(i * d, d)));
            row.Add(double.IsNaN(r.Errors[i]) ? "—" : CliValues.Sci(r.Errors[i]));
            return row;
        }, headers.Count), new HashSet<int> { headers.Count - 1 });
    }
}
