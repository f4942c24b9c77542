using System.CommandLine;
using System.Globalization;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Cli;

/// <summary><c>ordo check FILE</c>: validates a problem file and evaluates it once (with the exact derivatives the
/// solvers use), so that a person sees that the file means what they think before a long solve.</summary>
internal static partial class CheckCommand
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
            Description = "Comma-separated point to evaluate at: the state for an ODE or SDE (default y0), a point for a flow (default the first), the variables otherwise (default x0).",
            HelpName = "V1,V2,...",
        };
        var time = new Option<string?>("--t") { Description = "Time for an ODE's right-hand side or an SDE's drift and diffusion (default t0), or a flow's velocity (0 noise, 1 data; default 1).", HelpName = "T" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (the contract's format) instead of a table." };
        var command = new Command("check", "Validate a problem file and evaluate it once: the ODE right-hand side and its Jacobian at (t0, y0), an SDE's drift and diffusion with their exact derivatives at (t0, y0), f and its gradient (residuals and Jacobian) at x0, or a flow's velocity and its Jacobian at the first point.")
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
        if (t is not null && problem is not (OdeProblemFile or SdeProblemFile or FlowProblemFile))
            throw new BadInputException($"--t: applies to ode, sde and flow problems only; {path} is a {problem.Kind} problem");
        if (t is double tf && problem is FlowProblemFile && (tf < 0 || tf > 1))
            throw new BadInputException($"--t: a flow's time runs from 0 (noise) to 1 (data) but --t is {CliValues.Human(tf)}");
        int n = problem.Dimension;
        if (at is not null && at.Length != n)
            throw new BadInputException($"--at: has {SolveCommand.Plural(at.Length, "number")} but {path} has {SolveCommand.Plural(n, problem switch { OdeProblemFile or SdeProblemFile => "state component", FlowProblemFile => "dimension", _ => "variable" })}");

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
            case FlowProblemFile flow:
                CheckFlow(console, flow, at, t ?? 1, json);
                break;
            case SdeProblemFile sde:
                CheckSde(console, sde, at, t, json);
                break;
        }
        return Cli.ExitOk;
    }

    /// <summary>The velocity dx/dt of a flow file (its time: 0 noise, 1 data) and its Jacobian at one point, under the
    /// file's condition; by default at the first data point at t = 1.</summary>
    private static void CheckFlow(CliConsole console, FlowProblemFile flow, double[]? at, double time, bool json)
    {
        int d = flow.Dimension;
        double[] x = at ?? flow.Point(0).ToArray();
        double[] velocity = new double[d];
        flow.Model.WithTimeConvention(Ordo.Sampling.FlowTimeConvention.NoiseAtZero).Evaluate(x, 1, time, flow.FlowCondition, velocity);
        // v_t(x, t) = −v_τ(x, 1 − t), so ∂v_t/∂x = −∂v_τ/∂x at τ = 1 − t.
        double[]? jac = Jacobian(console, d, d, json, J =>
        {
            flow.Model.Jacobian(x, 1 - time, flow.FlowCondition, J);
            for (int i = 0; i < J.Length; i++) J[i] = -J[i];
        });
        if (json)
        {
            JsonOutput.Write(console.Out, w =>
            {
                w.WriteString("kind", "flow");
                if (flow.Name is not null) w.WriteString("name", flow.Name);
                w.WriteNumber("n", d);
                w.WriteNumber("components", flow.ComponentCount);
                w.WriteNumber("points", flow.PointCount);
                if (flow.Condition is int c) w.WriteNumber("condition", c + 1);
                w.Number("t", time);
                w.Numbers("at", x);
                w.Numbers("velocity", velocity);
                WriteJacobian(w, jac, d, d);
            });
            return;
        }
        Header(console, flow, $"flow, {SolveCommand.Plural(flow.ComponentCount, "component")} in {SolveCommand.Plural(d, "dimension")}, {SolveCommand.Plural(flow.PointCount, "point")}");
        console.Out.WriteLine(flow.Condition is int cc ? $"condition: component {cc + 1}" : "condition: none (the whole mixture)");
        console.WriteTable(["component", "weight", "mean", "std"],
            SolveCommand.Components(flow.ComponentCount, k =>
            {
                Ordo.Problems.Flows.GaussianComponent g = flow.Model.Components[k];
                return [(k + 1).ToString(CultureInfo.InvariantCulture), CliValues.Human(g.Weight), CliValues.Vector(g.Mean), CliValues.Vector(g.StandardDeviations)];
            }, 4), new HashSet<int> { 1 });
        console.Out.WriteLine();
        console.Out.WriteLine($"velocity dx/dt at t = {CliValues.Human(time)} (t = 0 noise, t = 1 data)");
        console.WriteTable(["component", "at", "velocity"],
            SolveCommand.Components(d, i => [$"x[{i + 1}]", CliValues.Human(x[i]), CliValues.Human(velocity[i])], 3), new HashSet<int> { 1, 2 });
        HumanMatrix(console, "Jacobian d v_i / d x_j", jac, d, d, i => $"x[{i + 1}]", j => $"x[{j + 1}]", (long)d * d);
        Finite(console, ("velocity", velocity), ("Jacobian", jac));
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
            SdeProblemFile { Reference: { } r } => $"mean{(r.Variance is null ? "" : " and variance")} at t = {CliValues.Human(r.T)}",
            OptimizationProblemFile { Reference: { } r } => $"f = {CliValues.Human(r.F)}" + (r.X is null ? "" : " at a given x"),
            FlowProblemFile => "exact (a reconstruction returns the input; the edit map between two components is closed-form)",
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
