using System.Diagnostics;
using Ordo.Optimization;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Cli;

/// <summary><c>ordo solve FILE</c> for <c>minimize</c> and <c>least-squares</c> files: runs a method of
/// <see cref="Minimizers"/> on the file's objective (exact derivatives from the expression engine), with the file's
/// bounds, and prints the contract's JSON object or a table.</summary>
internal static class OptimizationSolve
{
    /// <summary>Iterations of the untimed warm-up run (JIT compilation of the method and of the derivative code is not
    /// timed).</summary>
    private const int WarmUpIterations = 2;

    /// <summary>The method "auto" stands for: the registry's <c>auto</c> (a plan chosen by capability, size and
    /// bounds; see Ordo.Optimization.AutomaticMinimizer).</summary>
    internal static MinimizerInfo Auto() => Minimizers.Find("auto");

    /// <summary>The options of the command that apply to a solve of an optimization file.</summary>
    internal sealed record Request(string File, string Method, int? MaxIterations, int Repeat, bool Json);

    public static int Run(CliConsole console, OptimizationProblemFile problem, Request request)
    {
        IHessianObjective objective = ProblemFileObjectives.CreateObjective(problem);
        Bounds? bounds = ProblemFileObjectives.CreateBounds(problem);
        bool bounded = bounds is { IsBounded: true };
        bool auto = string.Equals(request.Method.Trim(), "auto", StringComparison.OrdinalIgnoreCase);
        MinimizerInfo info = auto ? Auto() : Find(request.Method, problem.Kind);
        ObjectiveCapabilities have = Capabilities.Of(objective);
        if ((have & info.Requires) != info.Requires)
            throw new BadInputException($"--method: '{info.Name}' needs {Capabilities.Describe(info.Requires)}; a {problem.Kind} problem gives {Capabilities.Describe(have)}");
        if (bounded && !info.SupportsBounds)
        {
            string withBounds = string.Join(", ", Minimizers.All.Where(m => m.SupportsBounds).Select(m => m.Name));
            throw new BadInputException($"--method: '{info.Name}' does not handle bounds and {request.File} has lower/upper bounds; " +
                (withBounds.Length > 0 ? $"methods with bounds: {withBounds}" : "no method of this version of ordo handles bounds"));
        }

        var options = new MinimizeOptions { MaxIterations = request.MaxIterations };
        double[] x0 = [.. problem.InitialPoint];
        double[] times = new double[request.Repeat];
        MinimizationResult result;
        try
        {
            info.Create().Minimize(objective, x0, bounds, options with { MaxIterations = WarmUpIterations });
            result = SolveProgress.Run(console, !request.Json, $"minimizing {problem.DisplayName}", _ =>
            {
                MinimizationResult? last = null;
                for (int k = 0; k < request.Repeat; k++)
                {
                    IMinimizer method = info.Create();
                    long start = Stopwatch.GetTimestamp();
                    last = method.Minimize(objective, x0, bounds, options);
                    times[k] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
                return last!;
            });
        }
        catch (ArgumentException e)
        {
            // What the method refuses (e.g. a 1-D method on n > 1), in one line.
            throw new BadInputException($"--method: '{info.Name}' cannot solve {request.File}: {e.Message}");
        }
        catch (ObjectiveEvaluationException e)
        {
            throw new BadInputException($"{request.File}: {e.Message}");
        }
        (double median, double min) = CliValues.MedianAndMin(times);
        var solved = new Solved(problem, info, auto, request, result, median, min);
        if (request.Json) WriteJson(console, solved);
        else WriteHuman(console, solved);
        return Cli.ExitOk;
    }

    private static MinimizerInfo Find(string name, string kind)
    {
        MinimizerInfo? info = Minimizers.All.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
        return info ?? throw new BadInputException($"--method: unknown minimization method '{name}' for a {kind} problem; known: auto, {string.Join(", ", Minimizers.Names)}");
    }

    private sealed record Solved(OptimizationProblemFile Problem, MinimizerInfo Method, bool Auto, Request Request,
        MinimizationResult Result, double MedianMs, double MinMs)
    {
        public double? ErrorToReference => Problem.Reference is { } r ? Result.F - r.F : null;
    }

    private static void WriteJson(CliConsole console, Solved s) => JsonOutput.Write(console.Out, w =>
    {
        MinimizationResult r = s.Result;
        w.WriteString("kind", s.Problem.Kind);
        if (s.Problem.Name is not null) w.WriteString("name", s.Problem.Name);
        w.WriteString("method", s.Method.Name);
        w.WriteString("status", r.StatusName);
        w.Numbers("x", r.X);
        w.Number("f", r.F);
        w.Number("gradient_norm", r.GradientNorm);
        w.WriteStartObject("stats");
        w.WriteNumber("f_evals", r.FunctionEvaluations);
        w.WriteNumber("gradient_evals", r.GradientEvaluations);
        w.WriteNumber("hessian_evals", r.HessianEvaluations);
        w.WriteNumber("iterations", r.Iterations);
        w.WriteNumber("hessian_vector_products", r.HessianVectorProducts);
        w.WriteEndObject();
        if (s.ErrorToReference is double e)
        {
            w.WriteStartObject("error");
            w.Number("f_minus_reference", e);
            w.WriteEndObject();
        }
        w.TimeMs(s.MedianMs, s.MinMs);
        w.WriteString("message", r.Message);
        if (r.InitialPointProjected) w.WriteBoolean("x0_projected", true);
        w.WriteNumber("repeat", s.Request.Repeat);
    });

    private static void WriteHuman(CliConsole console, Solved s)
    {
        MinimizationResult r = s.Result;
        OptimizationProblemFile p = s.Problem;
        string size = p is LeastSquaresProblemFile ls
            ? $"{SolveCommand.Plural(p.Dimension, "variable")}, {SolveCommand.Plural(ls.ResidualCount, "residual")}"
            : SolveCommand.Plural(p.Dimension, "variable");
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "problem", $"{p.DisplayName} ({p.Kind}, {size}{(p.HasBounds ? ", bounded" : "")})" },
            new[] { "method", s.Method.Name + (s.Auto ? " (auto)" : "") },
            new[] { "status", r.StatusName },
            new[] { "why", r.Message },
            new[] { "f", CliValues.Human(r.F) },
            new[] { "gradient norm", $"{CliValues.Sci(r.GradientNorm)} (max-norm{(p.HasBounds ? ", projected" : "")})" },
        };
        if (s.ErrorToReference is double e) rows.Add(["f - reference", $"{CliValues.Sci(e)} (reference f = {CliValues.Human(p.Reference!.F)})"]);
        rows.Add(["evaluations", $"{CliValues.Count(r.FunctionEvaluations)} f, {CliValues.Count(r.GradientEvaluations)} gradient, {CliValues.Count(r.HessianEvaluations)} Hessian"]);
        rows.Add(["iterations", CliValues.Count(r.Iterations)]);
        rows.Add(["time", s.Request.Repeat == 1 ? CliValues.Ms(s.MedianMs) : $"median {CliValues.Ms(s.MedianMs)}, min {CliValues.Ms(s.MinMs)} ({s.Request.Repeat} solves)"]);
        console.WriteTable(["solve", ""], rows);
        console.Out.WriteLine();

        IReadOnlyList<double>? reference = p.Reference?.X;
        List<string> headers = ["variable", "x"];
        if (reference is not null) headers.Add("reference");
        console.WriteTable(headers, SolveCommand.Components(p.Dimension, i =>
        {
            var row = new List<string> { p.Variables.ComponentName(i), CliValues.Human(r.X[i]) };
            if (reference is not null) row.Add(CliValues.Human(reference[i]));
            return row;
        }, headers.Count), new HashSet<int> { 1, 2 });
    }
}
