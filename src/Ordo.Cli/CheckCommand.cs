using System.CommandLine;
using System.Globalization;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Cli;

/// <summary><c>ordo check FILE</c>: validates a problem file and evaluates it once (with the exact derivatives the
/// solvers use), so that a person sees that the file means what they think before a long solve.</summary>
internal static class CheckCommand
{
    /// <summary>Largest Jacobian (m·n entries) that is computed and printed; larger ones are reported as null.</summary>
    internal const long MaxJacobianEntries = 4_000_000;

    /// <summary>Largest matrix shown in the human output.</summary>
    private const int MaxShownMatrix = 8;

    public static Command Create(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "The problem file (JSON, see docs/problem-files.md)." };
        var at = new Option<string?>("--at")
        {
            Description = "Comma-separated point to evaluate at: the state for an ODE (default y0), the variables otherwise (default x0).",
            HelpName = "V1,V2,...",
        };
        var time = new Option<string?>("--t") { Description = "Time for an ODE's right-hand side (default t0).", HelpName = "T" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (the contract's format) instead of a table." };
        var command = new Command("check", "Validate a problem file and evaluate it once: the ODE right-hand side and its Jacobian at (t0, y0), or f and its gradient (residuals and Jacobian) at x0.")
        {
            file, at, time, json,
        };
        command.SetAction(parse => Run(console, parse.GetValue(file)!, parse.GetValue(at), CliValues.Double(parse.GetValue(time), "--t"), parse.GetValue(json)));
        return command;
    }

    private static int Run(CliConsole console, string path, string? atText, double? t, bool json)
    {
        double[]? at = atText is null ? null : CliValues.List(atText, "--at");
        ProblemFile problem = ProblemFileReader.Load(path);
        if (t is not null && problem is not OdeProblemFile)
            throw new BadInputException($"--t: applies to ode problems only; {path} is a {problem.Kind} problem");
        int n = problem.Dimension;
        if (at is not null && at.Length != n)
            throw new BadInputException($"--at: has {SolveCommand.Plural(at.Length, "number")} but {path} has {SolveCommand.Plural(n, problem is OdeProblemFile ? "state component" : "variable")}");

        switch (problem)
        {
            case OdeProblemFile ode:
            {
                double time = t ?? ode.T0;
                double[] y = at ?? [.. ode.InitialState];
                double[] rhs = new double[n];
                ode.Rhs.Evaluate(time, y, rhs);
                double[]? jac = Jacobian(console, n, n, json, J => ode.Rhs.Jacobian(time, y, J));
                if (json)
                {
                    JsonOutput.Write(console.Out, w =>
                    {
                        w.WriteString("kind", "ode");
                        if (ode.Name is not null) w.WriteString("name", ode.Name);
                        w.WriteNumber("n", n);
                        w.Number("t", time);
                        w.Numbers("at", y);
                        w.Numbers("rhs", rhs);
                        WriteJacobian(w, jac, n, n);
                    });
                }
                else
                {
                    Header(console, ode, $"ode, {SolveCommand.Plural(n, "state")}, t = {CliValues.Human(ode.T0)} → {CliValues.Human(ode.T1)}");
                    console.Out.WriteLine($"evaluated at t = {CliValues.Human(time)}");
                    console.WriteTable(["component", "at", "rhs"],
                        SolveCommand.Components(n, i => [ode.State.ComponentName(i), CliValues.Human(y[i]), CliValues.Human(rhs[i])], 3), new HashSet<int> { 1, 2 });
                    HumanMatrix(console, "Jacobian d rhs_i / d y_j", jac, n, n, i => ode.State.ComponentName(i), j => ode.State.ComponentName(j), ode.Rhs.JacobianSparsity.NonZeros);
                    Finite(console, ("rhs", rhs), ("Jacobian", jac));
                }
                break;
            }
            case MinimizeProblemFile min:
            {
                double[] x = at ?? [.. min.InitialPoint];
                double[] gradient = new double[n];
                double value = min.ValueAndGradient(x, gradient);
                if (json)
                {
                    JsonOutput.Write(console.Out, w =>
                    {
                        w.WriteString("kind", "minimize");
                        if (min.Name is not null) w.WriteString("name", min.Name);
                        w.WriteNumber("n", n);
                        w.Numbers("at", x);
                        w.Number("value", value);
                        w.Numbers("gradient", gradient);
                    });
                }
                else
                {
                    Header(console, min, $"minimize, {SolveCommand.Plural(n, "variable")}{Bounds(min)}");
                    console.Out.WriteLine($"f = {CliValues.Human(value)}");
                    console.WriteTable(["variable", "at", "gradient"],
                        SolveCommand.Components(n, i => [min.Variables.ComponentName(i), CliValues.Human(x[i]), CliValues.Human(gradient[i])], 3), new HashSet<int> { 1, 2 });
                    Finite(console, ("f", [value]), ("gradient", gradient));
                }
                break;
            }
            case LeastSquaresProblemFile ls:
            {
                int m = ls.ResidualCount;
                double[] x = at ?? [.. ls.InitialPoint];
                double[] residuals = new double[m];
                ls.Residuals.Evaluate(0, x, residuals);
                double value = LeastSquaresProblemFile.SumOfSquares(residuals);
                double[]? jac = Jacobian(console, m, n, json, J => ls.Residuals.Jacobian(0, x, J));
                if (json)
                {
                    JsonOutput.Write(console.Out, w =>
                    {
                        w.WriteString("kind", "least-squares");
                        if (ls.Name is not null) w.WriteString("name", ls.Name);
                        w.WriteNumber("n", n);
                        w.WriteNumber("m", m);
                        w.Numbers("at", x);
                        w.Number("value", value);
                        w.Numbers("residuals", residuals);
                        WriteJacobian(w, jac, m, n);
                    });
                }
                else
                {
                    Header(console, ls, $"least-squares, {SolveCommand.Plural(n, "variable")}, {SolveCommand.Plural(m, "residual")}{Bounds(ls)}");
                    console.Out.WriteLine($"f = sum of squared residuals = {CliValues.Human(value)}");
                    console.WriteTable(["variable", "at"],
                        SolveCommand.Components(n, i => [ls.Variables.ComponentName(i), CliValues.Human(x[i])], 2), new HashSet<int> { 1 });
                    console.Out.WriteLine();
                    console.WriteTable(["residual", "value"],
                        SolveCommand.Components(m, i => [$"r[{i}]", CliValues.Human(residuals[i])], 2), new HashSet<int> { 1 });
                    HumanMatrix(console, "Jacobian d r_i / d x_j", jac, m, n, i => $"r[{i}]", j => ls.Variables.ComponentName(j), ls.Residuals.JacobianSparsity.NonZeros);
                    Finite(console, ("residuals", residuals), ("Jacobian", jac));
                }
                break;
            }
        }
        return Cli.ExitOk;
    }

    private static double[]? Jacobian(CliConsole console, int rows, int cols, bool json, Action<double[]> fill)
    {
        if ((long)rows * cols > MaxJacobianEntries)
        {
            if (json) console.Error.WriteLine($"ordo: note: the Jacobian ({rows} × {cols}) is too large to print; \"jacobian\" is null");
            return null;
        }
        double[] jac = new double[rows * cols];
        fill(jac);
        return jac;
    }

    private static void WriteJacobian(System.Text.Json.Utf8JsonWriter w, double[]? jac, int rows, int cols)
    {
        if (jac is null) w.WriteNull("jacobian");
        else w.Matrix("jacobian", jac, rows, cols);
    }

    private static void Header(CliConsole console, ProblemFile problem, string what)
    {
        console.Out.WriteLine($"{problem.File}: {problem.DisplayName} ({what})");
        if (problem.Parameters.Count > 0)
            console.Out.WriteLine("parameters: " + string.Join(", ", problem.Parameters.Select(p => $"{p.Key} = {CliValues.Human(p.Value)}")));
        if (problem.Data.Count > 0)
            console.Out.WriteLine("data: " + string.Join(", ", problem.Data.Select(d => $"{d.Key} ({SolveCommand.Plural(d.Value.Count, "value")})")));
        string? reference = problem switch
        {
            OdeProblemFile { Reference: { } r } => $"y at t = {CliValues.Human(r.T)}",
            OptimizationProblemFile { Reference: { } r } => $"f = {CliValues.Human(r.F)}" + (r.X is null ? "" : " at a given x"),
            _ => null,
        };
        console.Out.WriteLine(reference is null ? "reference: none" : $"reference: {reference}");
    }

    private static string Bounds(OptimizationProblemFile problem)
    {
        if (!problem.HasBounds) return "";
        int bounded = Enumerable.Range(0, problem.Dimension).Count(i =>
            double.IsFinite(problem.Lower?[i] ?? double.NegativeInfinity) || double.IsFinite(problem.Upper?[i] ?? double.PositiveInfinity));
        return $", {bounded} bounded";
    }

    private static void HumanMatrix(CliConsole console, string title, double[]? matrix, int rows, int cols,
        Func<int, string> rowName, Func<int, string> colName, long nonZeros)
    {
        console.Out.WriteLine();
        string size = $"{rows} × {cols}, {nonZeros.ToString("#,0", CultureInfo.InvariantCulture)} structural nonzeros";
        if (matrix is null || rows > MaxShownMatrix || cols > MaxShownMatrix)
        {
            console.Out.WriteLine($"{title}: {size} (--json prints it{(matrix is null ? " as null: too large" : "")})");
            return;
        }
        console.Out.WriteLine($"{title} ({size}):");
        console.WriteTable(["", .. Enumerable.Range(0, cols).Select(colName)],
            Enumerable.Range(0, rows).Select(i => (IReadOnlyList<string>)[rowName(i), .. Enumerable.Range(0, cols).Select(j => CliValues.Human(matrix[i * cols + j]))]),
            Enumerable.Range(1, cols).ToHashSet());
    }

    private static void Finite(CliConsole console, params (string Name, double[]? Values)[] parts)
    {
        List<string> bad = parts.Where(p => p.Values is not null && p.Values.Any(v => !double.IsFinite(v))).Select(p => p.Name).ToList();
        console.Out.WriteLine();
        console.Out.WriteLine(bad.Count == 0 ? "all values are finite" : $"warning: non-finite values (NaN or infinity) in: {string.Join(", ", bad)}");
    }
}
