using System.Text.Json;
using Ordo.Optimization;

using static Ordo.Cli.Tests.CliRunner;

namespace Ordo.Cli.Tests;

/// <summary><c>ordo solve</c> and <c>ordo check</c> on minimize and least-squares files: the contract's JSON, exit
/// codes, bounds, references, and values against hand computation.</summary>
public sealed class OptimizationCliTests : IDisposable
{
    private static readonly string[] s_statuses = ["converged", "max_iterations", "line_search_failed", "nonfinite_objective", "stalled"];

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ordo-cli-optimization-" + Guid.NewGuid().ToString("N"));

    public OptimizationCliTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string json)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private static string OptimizationExample(string name) => Path.Combine(AppContext.BaseDirectory, "examples", "optimization", name);

    private static double[] Numbers(JsonElement e) => [.. e.EnumerateArray().Select(x => x.GetDouble())];

    /// <summary>A strictly convex quadratic with its minimizer (1, −2) and minimum 3, in closed form.</summary>
    private const string Quadratic = """
        {"kind": "minimize", "name": "quadratic", "variables": ["x", "y"],
         "objective": "(x - 1)^2 + 10*(y + 2)^2 + (x - 1)*(y + 2) + 3", "x0": [0, 0], "reference": {"f": 3, "x": [1, -2]}}
        """;

    [Fact]
    public void Solve_Minimize_GivesTheContractObjectAndTheClosedFormMinimum()
    {
        JsonElement r = RunJson("solve", Write("q.json", Quadratic), "--json");
        Assert.Equal(["kind", "name", "method", "status", "x", "f", "gradient_norm", "stats", "error", "time_ms", "message", "repeat"], Names(r));
        Assert.Equal("minimize", r.GetProperty("kind").GetString());
        Assert.Equal(OptimizationSolve.Auto().Name, r.GetProperty("method").GetString());
        Assert.Equal("converged", r.GetProperty("status").GetString());
        double[] x = Numbers(r.GetProperty("x"));
        Assert.Equal(1, x[0], 1e-6);
        Assert.Equal(-2, x[1], 1e-6);
        double f = r.GetProperty("f").GetDouble();
        Assert.InRange(f - 3, 0, 1e-10);
        Assert.Equal(f - 3, r.GetProperty("error").GetProperty("f_minus_reference").GetDouble(), 1e-15);
        // ∇f = (2(x−1) + (y+2), 20(y+2) + (x−1)) at the reported x, in the max-norm.
        double gx = 2 * (x[0] - 1) + (x[1] + 2), gy = 20 * (x[1] + 2) + (x[0] - 1);
        Assert.Equal(Math.Max(Math.Abs(gx), Math.Abs(gy)), r.GetProperty("gradient_norm").GetDouble(), 1e-9);
        JsonElement stats = r.GetProperty("stats");
        Assert.Equal(["f_evals", "gradient_evals", "hessian_evals", "iterations", "hessian_vector_products"], Names(stats));
        Assert.True(stats.GetProperty("f_evals").GetInt64() >= stats.GetProperty("iterations").GetInt64());
        Assert.True(stats.GetProperty("gradient_evals").GetInt64() >= 1);
        JsonElement time = r.GetProperty("time_ms");
        Assert.Equal(["median", "min"], Names(time));
        Assert.Equal(1, r.GetProperty("repeat").GetInt32());
    }

    [Fact]
    public void Solve_LeastSquares_FitsALineLikeTheNormalEquations()
    {
        // r_i = a + b t_i − y_i: the minimizer solves the 2×2 normal equations.
        double[] t = [0, 1, 2, 3, 4], y = [1.1, 2.9, 5.2, 7.1, 8.8];
        string residuals = string.Join(", ", Enumerable.Range(1, 5).Select(i => $"\"a + b*t[{i}] - y[{i}]\""));
        string file = Write("line.json", $$"""
            {"kind": "least-squares", "variables": ["a", "b"], "data": {"t": [0, 1, 2, 3, 4], "y": [1.1, 2.9, 5.2, 7.1, 8.8]},
             "residuals": [{{residuals}}], "x0": [0, 0]}
            """);
        double n = t.Length, st = t.Sum(), sy = y.Sum(), stt = t.Sum(v => v * v), sty = t.Zip(y, (p, q) => p * q).Sum();
        double b = (n * sty - st * sy) / (n * stt - st * st), a = (sy - b * st) / n;
        double fStar = t.Zip(y, (p, q) => Math.Pow(a + b * p - q, 2)).Sum();

        JsonElement r = RunJson("solve", file, "--json");
        Assert.Equal(["kind", "method", "status", "x", "f", "gradient_norm", "stats", "time_ms", "message", "repeat"], Names(r));
        Assert.Equal("least-squares", r.GetProperty("kind").GetString());
        Assert.Equal(OptimizationSolve.Auto().Name, r.GetProperty("method").GetString());
        Assert.Equal("converged", r.GetProperty("status").GetString());
        double[] x = Numbers(r.GetProperty("x"));
        Assert.Equal(a, x[0], 1e-6);
        Assert.Equal(b, x[1], 1e-6);
        Assert.Equal(fStar, r.GetProperty("f").GetDouble(), 1e-10);
    }

    [Fact]
    public void Solve_MghExample_ReportsTheErrorAgainstItsReference()
    {
        JsonElement r = RunJson("solve", OptimizationExample("mgh15-kowalik-osborne.json"), "--json", "--method", "gd");
        Assert.Equal("gd", r.GetProperty("method").GetString());
        Assert.Contains(r.GetProperty("status").GetString(), s_statuses);
        Assert.Equal(r.GetProperty("f").GetDouble() - 3.07505603849238e-4, r.GetProperty("error").GetProperty("f_minus_reference").GetDouble(), 1e-15);
        // F(x0) = 5.31317e-3 (MGH): the best point is no worse than the start.
        Assert.InRange(r.GetProperty("f").GetDouble(), 3.07505603849238e-4, 5.3132e-3);
    }

    [Fact]
    public void Solve_MaxIterationsAndRepeat_AreHonoured()
    {
        JsonElement r = RunJson("solve", OptimizationExample("rosenbrock.json"), "--method", "gd", "--max-iterations", "3", "--repeat", "3", "--json");
        Assert.Equal("max_iterations", r.GetProperty("status").GetString());
        Assert.Equal(3, r.GetProperty("stats").GetProperty("iterations").GetInt32());
        Assert.Equal(3, r.GetProperty("repeat").GetInt32());
        JsonElement time = r.GetProperty("time_ms");
        Assert.True(time.GetProperty("min").GetDouble() <= time.GetProperty("median").GetDouble());
        Assert.True(r.GetProperty("f").GetDouble() < 24.2);   // f(x0) = 24.2
    }

    [Fact]
    public void Solve_BoundedFile_UsesABoundedMethodOrSaysWhy()
    {
        string file = OptimizationExample("rosenbrock-bounded.json");
        (int code, string output, string error) = Run("solve", file, "--method", "gd", "--json");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains("'gd' does not handle bounds", error, StringComparison.Ordinal);

        if (Minimizers.All.Any(m => m.SupportsBounds))
        {
            JsonElement r = RunJson("solve", file, "--json");
            double[] x = Numbers(r.GetProperty("x"));
            Assert.InRange(x[0], -2, 0.5);
            Assert.Equal(0.25, r.GetProperty("f").GetDouble(), 1e-6);
        }
        else
        {
            (code, output, error) = Run("solve", file, "--json");
            Assert.Equal(2, code);
            Assert.Equal("", output);
            Assert.Contains("handles bounds", error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "--method", "no-such-method" }, "unknown minimization method 'no-such-method'")]
    [InlineData(new[] { "--method", "tsit5" }, "unknown minimization method 'tsit5'")]
    [InlineData(new[] { "--rtol", "1e-3" }, "--rtol: applies to ODE problems")]
    [InlineData(new[] { "--max-steps", "10" }, "--max-steps: applies to ODE problems")]
    [InlineData(new[] { "--max-iterations", "0" }, "--max-iterations")]
    public void Solve_BadOptions_ExitWithCode2AndOneLine(string[] options, string expected)
    {
        (int code, string output, string error) = Run(["solve", OptimizationExample("rosenbrock.json"), .. options, "--json"]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Solve_HumanOutput_IsATable()
    {
        (int code, string output, string error) = Run("solve", Write("q.json", Quadratic), "--method", "bfgs");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        foreach (string word in new[] { "quadratic", "bfgs", "converged", "f - reference", "evaluations", "variable", "reference" })
            Assert.Contains(word, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_Minimize_MatchesHandComputation()
    {
        // f = x²y + e^y at (1, 0): f = 1, ∇f = (2xy, x² + e^y) = (0, 2); at (2, 1): f = 4 + e, ∇f = (4, 4 + e).
        string file = Write("m.json", """{"kind": "minimize", "variables": ["x", "y"], "objective": "x^2*y + exp(y)", "x0": [1, 0]}""");
        JsonElement r = RunJson("check", file, "--json");
        Assert.Equal(["kind", "n", "at", "value", "gradient"], Names(r));
        Assert.Equal(1, r.GetProperty("value").GetDouble());
        Assert.Equal([0.0, 2.0], Numbers(r.GetProperty("gradient")));
        r = RunJson("check", file, "--at", "2,1", "--json");
        Assert.Equal(4 + Math.E, r.GetProperty("value").GetDouble(), 1e-15);
        double[] g = Numbers(r.GetProperty("gradient"));
        Assert.Equal(4, g[0], 1e-15);
        Assert.Equal(4 + Math.E, g[1], 1e-15);
    }

    [Fact]
    public void Check_LeastSquares_MatchesHandComputation()
    {
        // r = (x − 1, xy − 2, sin y) at (2, 0.5): r = (1, −1, sin 0.5), f = 2 + sin²0.5, J = [[1, 0], [0.5, 2], [0, cos 0.5]].
        string file = Write("ls.json", """{"kind": "least-squares", "variables": ["x", "y"], "residuals": ["x - 1", "x*y - 2", "sin(y)"], "x0": [2, 0.5]}""");
        JsonElement r = RunJson("check", file, "--json");
        Assert.Equal(["kind", "n", "m", "at", "value", "residuals", "jacobian"], Names(r));
        Assert.Equal(2, r.GetProperty("n").GetInt32());
        Assert.Equal(3, r.GetProperty("m").GetInt32());
        Assert.Equal(2 + Math.Sin(0.5) * Math.Sin(0.5), r.GetProperty("value").GetDouble(), 1e-15);
        Assert.Equal([1.0, -1.0, Math.Sin(0.5)], Numbers(r.GetProperty("residuals")));
        double[][] jac = [.. r.GetProperty("jacobian").EnumerateArray().Select(Numbers)];
        Assert.Equal([1.0, 0.0], jac[0]);
        Assert.Equal([0.5, 2.0], jac[1]);
        Assert.Equal([0.0, Math.Cos(0.5)], jac[2]);
    }

    [Fact]
    public void Methods_ListsTheMinimizers()
    {
        (int code, string output, _) = Run("methods");
        Assert.Equal(0, code);
        Assert.Contains("Minimization methods", output, StringComparison.Ordinal);
        foreach (string name in Minimizers.Names) Assert.Contains(name, output, StringComparison.Ordinal);
    }
}
