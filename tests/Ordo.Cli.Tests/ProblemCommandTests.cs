using System.Text.Json;
using Ordo.Integration;
using Ordo.Problems.ProblemFiles;

using static Ordo.Cli.Tests.CliRunner;

namespace Ordo.Cli.Tests;

/// <summary><c>ordo solve</c> and <c>ordo check</c> on the example problem files and on bad input, run in-process.</summary>
public sealed class ProblemCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ordo-cli-problems-" + Guid.NewGuid().ToString("N"));

    public ProblemCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    private static double[,] Matrix(JsonElement e)
    {
        double[][] rows = e.EnumerateArray().Select(Numbers).ToArray();
        var m = new double[rows.Length, rows[0].Length];
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[0].Length, rows[i].Length);
            for (int j = 0; j < rows[i].Length; j++) m[i, j] = rows[i][j];
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------------ solve

    [Theory]
    [InlineData("pendulum.json", 2)]
    [InlineData("lotka-volterra.json", 2)]
    [InlineData("heat.json", 9)]
    public void Solve_Examples_GiveTheContractObject(string file, int n)
    {
        JsonElement r = RunJson("solve", Example(file), "--json");
        Assert.Equal(["kind", "name", "method", "status", "t_final", "y_final", "stats", "segments", "error", "time_ms", "rtol", "atol", "repeat"], Names(r));
        Assert.Equal("ode", r.GetProperty("kind").GetString());
        Assert.Equal("auto", r.GetProperty("method").GetString());
        // These are not stiff: auto runs tsit5 throughout.
        JsonElement segments = r.GetProperty("segments");
        Assert.Equal(1, segments.GetArrayLength());
        Assert.Equal("tsit5", segments[0].GetProperty("method").GetString());
        Assert.Equal(problemT0(file), segments[0].GetProperty("t").GetDouble());
        Assert.Equal("success", r.GetProperty("status").GetString());
        var problem = (OdeProblemFile)ProblemFileReader.Load(Example(file));
        Assert.Equal(problem.T1, r.GetProperty("t_final").GetDouble());
        Assert.Equal(n, r.GetProperty("y_final").GetArrayLength());
        JsonElement stats = r.GetProperty("stats");
        Assert.Equal(["rhs_evals", "jacobian_evals", "lu_decompositions", "steps_accepted", "steps_rejected"], Names(stats));
        long rhs = stats.GetProperty("rhs_evals").GetInt64();
        int accepted = stats.GetProperty("steps_accepted").GetInt32(), rejected = stats.GetProperty("steps_rejected").GetInt32();
        Assert.True(accepted > 0 && rejected >= 0);
        // tsit5 (auto's explicit member): 6 new evaluations per attempted step (FSAL) plus a few for the start, plus auto's
        // stiffness probe (a 5-evaluation power iteration every ProbeInterval accepted steps).
        long probes = 5L * (accepted / AutoSwitchingMethod.Default.ProbeInterval + 1);
        Assert.InRange(rhs, 6L * (accepted + rejected), 6L * (accepted + rejected) + 4 + probes);
        Assert.Equal(0, stats.GetProperty("jacobian_evals").GetInt64());
        Assert.Equal(0, stats.GetProperty("lu_decompositions").GetInt64());
        double error = r.GetProperty("error").GetProperty("final_rel_l2").GetDouble();
        Assert.InRange(error, 0, 1e-4);
        Assert.Equal(1e-6, r.GetProperty("rtol").GetDouble());
        Assert.Equal(1e-9, r.GetProperty("atol").GetDouble());
        JsonElement time = r.GetProperty("time_ms");
        Assert.Equal(["median", "min"], Names(time));
        Assert.True(time.GetProperty("min").GetDouble() > 0);
    }

    [Theory]
    [InlineData("radau5")]
    [InlineData("rodas4")]
    [InlineData("rodas5p")]
    [InlineData("bdf")]
    [InlineData("ros34pw2")]
    public void Solve_StiffMethod_OnRobertson_UsesTheExactJacobianAndReportsItsWork(string method)
    {
        JsonElement r = RunJson("solve", Example("robertson.json"), "--method", method, "--rtol", "1e-6", "--atol", "1e-10", "--json");
        Assert.Equal(method, r.GetProperty("method").GetString());
        Assert.Equal("success", r.GetProperty("status").GetString());
        JsonElement stats = r.GetProperty("stats");
        long jacobians = stats.GetProperty("jacobian_evals").GetInt64(), lus = stats.GetProperty("lu_decompositions").GetInt64();
        int steps = stats.GetProperty("steps_accepted").GetInt32();
        Assert.True(jacobians > 0 && lus >= 1, $"{method}: {jacobians} Jacobians, {lus} LUs");
        // An explicit method needs ~10⁵ steps here; a stiff one a few hundred.
        Assert.InRange(steps, 10, 5000);
        Assert.InRange(r.GetProperty("error").GetProperty("final_rel_l2").GetDouble(), 0, 1e-4);
    }

    private static double problemT0(string file) => ((OdeProblemFile)ProblemFileReader.Load(Example(file))).T0;

    [Fact]
    public void Solve_Auto_OnRobertson_SwitchesToTheStiffMethodAndSaysWhen()
    {
        JsonElement r = RunJson("solve", Example("robertson.json"), "--json");
        Assert.Equal("auto", r.GetProperty("method").GetString());
        Assert.Equal("success", r.GetProperty("status").GetString());
        JsonElement segments = r.GetProperty("segments");
        Assert.True(segments.GetArrayLength() >= 2, segments.ToString());
        Assert.Equal("tsit5", segments[0].GetProperty("method").GetString());
        Assert.Equal("rodas5p", segments[1].GetProperty("method").GetString());
        double tSwitch = segments[1].GetProperty("t").GetDouble();
        Assert.InRange(tSwitch, 0, 40);
        Assert.True(r.GetProperty("stats").GetProperty("jacobian_evals").GetInt64() > 0);
        // tsit5 alone needs ~2·10⁵ calls of f here; auto must stay far below.
        Assert.InRange(r.GetProperty("stats").GetProperty("rhs_evals").GetInt64(), 1, 20_000);
        Assert.InRange(r.GetProperty("error").GetProperty("final_rel_l2").GetDouble(), 0, 1e-4);
    }

    [Fact]
    public void Solve_TightTolerance_MatchesTheReference()
    {
        JsonElement r = RunJson("solve", Example("pendulum.json"), "--method", "dop853", "--rtol", "1e-11", "--atol", "1e-13", "--json");
        Assert.Equal("dop853", r.GetProperty("method").GetString());
        Assert.Equal(1e-11, r.GetProperty("rtol").GetDouble());
        Assert.Equal(1e-13, r.GetProperty("atol").GetDouble());
        Assert.InRange(r.GetProperty("error").GetProperty("final_rel_l2").GetDouble(), 0, 1e-8);
    }

    [Fact]
    public void Solve_Repeat_ReportsMedianAndMin()
    {
        JsonElement r = RunJson("solve", Example("lotka-volterra.json"), "--repeat", "5", "--json");
        Assert.Equal(5, r.GetProperty("repeat").GetInt32());
        double median = r.GetProperty("time_ms").GetProperty("median").GetDouble();
        double min = r.GetProperty("time_ms").GetProperty("min").GetDouble();
        Assert.True(min > 0 && min <= median, $"min {min}, median {median}");
    }

    [Theory]
    [InlineData("rk4", 4)]
    [InlineData("euler", 1)]
    [InlineData("dp5", 6)]
    public void Solve_FixedStep_TakesExactlyTheSteps(string method, int stages)
    {
        JsonElement r = RunJson("solve", Example("heat.json"), "--method", method, "--dt", "0.01", "--json");
        Assert.Equal(method, r.GetProperty("method").GetString());
        Assert.Equal(0.01, r.GetProperty("dt").GetDouble());
        JsonElement stats = r.GetProperty("stats");
        Assert.Equal(100, stats.GetProperty("steps_accepted").GetInt32());
        Assert.Equal(0, stats.GetProperty("steps_rejected").GetInt32());
        Assert.InRange(stats.GetProperty("rhs_evals").GetInt64(), 100L * (stages - 1), 100L * stages + 1);
        double error = r.GetProperty("error").GetProperty("final_rel_l2").GetDouble();
        Assert.InRange(error, 0, method == "euler" ? 1e-2 : 1e-7);
    }

    [Fact]
    public void Solve_EveryMethod_Runs()
    {
        foreach (IOdeMethod m in OdeMethods.All)
        {
            string[] args = m.ErrorEstimatorOrder is null
                ? ["solve", Example("lotka-volterra.json"), "--method", m.Name, "--dt", "0.001", "--json"]
                : ["solve", Example("lotka-volterra.json"), "--method", m.Name, "--json"];
            JsonElement r = RunJson(args);
            Assert.Equal(m.Name, r.GetProperty("method").GetString());
            Assert.Equal("success", r.GetProperty("status").GetString());
            Assert.InRange(r.GetProperty("error").GetProperty("final_rel_l2").GetDouble(), 0, 0.05);
        }
    }

    [Fact]
    public void Solve_MaxSteps_IsAStatusNotAnError()
    {
        JsonElement r = RunJson("solve", Example("pendulum.json"), "--max-steps", "10", "--json");
        Assert.Equal("max_steps", r.GetProperty("status").GetString());
        Assert.True(r.GetProperty("t_final").GetDouble() < 10);
        Assert.True(r.TryGetProperty("error", out _));
    }

    [Fact]
    public void Solve_WithoutReference_HasNoErrorField()
    {
        string file = Write("decay.json", """{"kind": "ode", "state": ["y"], "rhs": ["-y"], "y0": [1], "t0": 0, "t1": 1}""");
        JsonElement r = RunJson("solve", file, "--json");
        Assert.False(r.TryGetProperty("error", out _));
        Assert.False(r.TryGetProperty("name", out _));
        Assert.Equal(Math.Exp(-1), Numbers(r.GetProperty("y_final"))[0], 1e-6);
    }

    [Fact]
    public void Solve_HumanOutput_IsATable()
    {
        (int code, string output, string error) = Run("solve", Example("pendulum.json"));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("auto, rtol", output, StringComparison.Ordinal);
        Assert.Contains("tsit5 from t = 0 (start)", output, StringComparison.Ordinal);
        Assert.Contains("success", output, StringComparison.Ordinal);
        Assert.Contains("theta", output, StringComparison.Ordinal);
        Assert.Contains("reference", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rosenbrock.json", "minimize")]
    [InlineData("curve-fit.json", "least-squares")]
    public void Solve_OptimizationExamples_Run(string file, string kind)
    {
        JsonElement r = RunJson("solve", Example(file), "--json", "--max-iterations", "50");
        Assert.Equal(kind, r.GetProperty("kind").GetString());
        Assert.Equal(2, r.GetProperty("x").GetArrayLength());
        Assert.True(r.GetProperty("error").GetProperty("f_minus_reference").GetDouble() >= -1e-12);
    }

    // ------------------------------------------------------------------------------------------------ check

    [Theory]
    [InlineData("pendulum.json")]
    [InlineData("lotka-volterra.json")]
    [InlineData("heat.json")]
    public void Check_Ode_GivesRhsAndTheExactJacobian(string file)
    {
        JsonElement r = RunJson("check", Example(file), "--json");
        Assert.Equal(["kind", "name", "n", "t", "at", "rhs", "jacobian"], Names(r));
        var p = (OdeProblemFile)ProblemFileReader.Load(Example(file));
        int n = p.Dimension;
        Assert.Equal(n, r.GetProperty("n").GetInt32());
        Assert.Equal(p.T0, r.GetProperty("t").GetDouble());
        double[] y = Numbers(r.GetProperty("at"));
        Assert.Equal(p.InitialState, y);
        double[] rhs = new double[n];
        p.Rhs.Evaluate(p.T0, y, rhs);
        Assert.Equal(rhs, Numbers(r.GetProperty("rhs")));
        double[,] jac = Matrix(r.GetProperty("jacobian"));
        double[] exact = new double[n * n];
        p.Rhs.Jacobian(p.T0, y, exact);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                Assert.Equal(exact[i * n + j], jac[i, j]);
                // jacobian[i][j] = d rhs_i / d y_j, against central differences.
                const double h = 1e-6;
                double[] yp = [.. y], ym = [.. y], fp = new double[n], fm = new double[n];
                yp[j] += h;
                ym[j] -= h;
                p.Rhs.Evaluate(p.T0, yp, fp);
                p.Rhs.Evaluate(p.T0, ym, fm);
                double fd = (fp[i] - fm[i]) / (2 * h);
                Assert.Equal(fd, jac[i, j], 1e-6 * (1 + Math.Abs(fd)));
            }
        }
    }

    [Fact]
    public void Check_Ode_AtAndT()
    {
        JsonElement r = RunJson("check", Example("pendulum.json"), "--at", "-1,0.5", "--t", "3", "--json");
        Assert.Equal(3, r.GetProperty("t").GetDouble());
        Assert.Equal([-1.0, 0.5], Numbers(r.GetProperty("at")));
        Assert.Equal([0.5, -9.81 * Math.Sin(-1)], Numbers(r.GetProperty("rhs")));
        double[,] jac = Matrix(r.GetProperty("jacobian"));
        Assert.Equal(-9.81 * Math.Cos(-1), jac[1, 0], 1e-14);
        Assert.Equal(1, jac[0, 1]);
    }

    [Fact]
    public void Check_Minimize_GivesValueAndGradient()
    {
        JsonElement r = RunJson("check", Example("rosenbrock.json"), "--json");
        Assert.Equal(["kind", "name", "n", "at", "value", "gradient"], Names(r));
        Assert.Equal("minimize", r.GetProperty("kind").GetString());
        Assert.Equal(2, r.GetProperty("n").GetInt32());
        Assert.Equal([-1.2, 1.0], Numbers(r.GetProperty("at")));
        Assert.Equal(24.2, r.GetProperty("value").GetDouble(), 12);
        double[] g = Numbers(r.GetProperty("gradient"));
        var p = (MinimizeProblemFile)ProblemFileReader.Load(Example("rosenbrock.json"));
        for (int j = 0; j < 2; j++)
        {
            const double h = 1e-6;
            double[] xp = [-1.2, 1.0], xm = [-1.2, 1.0];
            xp[j] += h;
            xm[j] -= h;
            double fd = (p.Value(xp) - p.Value(xm)) / (2 * h);
            Assert.Equal(fd, g[j], 1e-6 * (1 + Math.Abs(fd)));
        }
        JsonElement atMinimum = RunJson("check", Example("rosenbrock.json"), "--at", "1,1", "--json");
        Assert.Equal(0, atMinimum.GetProperty("value").GetDouble());
        Assert.Equal([0.0, 0.0], Numbers(atMinimum.GetProperty("gradient")));
    }

    [Fact]
    public void Check_LeastSquares_AtTheReference_IsStationaryWithTheReferenceValue()
    {
        var p = (LeastSquaresProblemFile)ProblemFileReader.Load(Example("curve-fit.json"));
        double[] x = [.. p.Reference!.X!];
        JsonElement r = RunJson("check", Example("curve-fit.json"), "--at", string.Join(",", x.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))), "--json");
        Assert.Equal(["kind", "name", "n", "m", "at", "value", "residuals", "jacobian"], Names(r));
        Assert.Equal(2, r.GetProperty("n").GetInt32());
        Assert.Equal(8, r.GetProperty("m").GetInt32());
        Assert.Equal(x, Numbers(r.GetProperty("at")));
        double[] res = Numbers(r.GetProperty("residuals"));
        Assert.Equal(res.Sum(v => v * v), r.GetProperty("value").GetDouble(), 1e-17); // plain sum of squares
        Assert.Equal(p.Reference.F, r.GetProperty("value").GetDouble(), 1e-15);
        double[,] jac = Matrix(r.GetProperty("jacobian"));
        for (int j = 0; j < 2; j++)
        {
            double g = 0;
            for (int i = 0; i < 8; i++) g += 2 * jac[i, j] * res[i];
            Assert.True(Math.Abs(g) < 1e-12, $"gradient {g}");
        }
        // Jacobian against central differences of the residuals.
        double[] tdata = [.. p.Data["tdata"]];
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(Math.Exp(x[1] * tdata[i]), jac[i, 0], 1e-14);
            Assert.Equal(x[0] * tdata[i] * Math.Exp(x[1] * tdata[i]), jac[i, 1], 1e-13);
        }
    }

    [Theory]
    [InlineData("pendulum.json", "Jacobian d rhs_i / d y_j")]
    [InlineData("rosenbrock.json", "gradient")]
    [InlineData("curve-fit.json", "Jacobian d r_i / d x_j")]
    public void Check_HumanOutput(string file, string expected)
    {
        (int code, string output, string error) = Run("check", Example(file));
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains(expected, output, StringComparison.Ordinal);
        Assert.Contains("all values are finite", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NonFiniteValues_AreNullInJsonAndWarnedForPeople()
    {
        string file = Write("log.json", """{"kind": "minimize", "variables": ["x"], "objective": "log(x)", "x0": [-1]}""");
        JsonElement r = RunJson("check", file, "--json");
        Assert.Equal(JsonValueKind.Null, r.GetProperty("value").ValueKind);
        (int code, string output, _) = Run("check", file);
        Assert.Equal(0, code);
        Assert.Contains("warning: non-finite values", output, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------------------------------------ bad input

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private const string Good = """{"kind": "ode", "state": ["x", "v"], "rhs": ["v", "-x"], "y0": [1, 0], "t0": 0, "t1": 1}""";

    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "", ["solve", "{dir}/missing.json", "--json"], "missing.json: no such file" },
        { "{\"kind\": \"ode\",,}", ["solve", "{file}", "--json"], "not valid JSON at line 1, column 16" },
        { "{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0}", ["solve", "{file}", "--json"], "bad.json: t1: missing" },
        { "{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": \"zero\", \"t1\": 1}", ["solve", "{file}", "--json"], "bad.json: t0: must be a number, not a string" },
        { "{\"kind\": \"ode\", \"state\": [\"x\", \"v\"], \"rhs\": [\"v\", \"-x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", ["solve", "{file}", "--json"], "bad.json: y0: has 1 number but the state has 2 components (x, v)" },
        { "{\"kind\": \"ode\", \"state\": [\"theta\", \"omega\"], \"parameters\": {\"g\": 9.81, \"L\": 1}, \"rhs\": [\"omega\", \"-g/L*sin(q)\"], \"y0\": [1, 0], \"t0\": 0, \"t1\": 1}", ["solve", "{file}", "--json"], "bad.json: rhs[1]: unknown name 'q' at column 10; known names: theta, omega, t, g, L" },
        { "{\"kind\": \"ode\", \"state\": [\"theta\", \"omega\"], \"parameters\": {\"g\": 9.81, \"L\": 1}, \"rhs\": [\"omega\", \"-g/L*sin(q)\"], \"y0\": [1, 0], \"t0\": 0, \"t1\": 1}", ["check", "{file}", "--json"], "bad.json: rhs[1]: unknown name 'q' at column 10" },
        { "{\"kind\": \"chemistry\"}", ["solve", "{file}", "--json"], "bad.json: kind: unknown kind 'chemistry'" },
        { "{\"kind\": \"sde\"}", ["check", "{file}", "--json"], "bad.json: state: missing; an sde problem needs" },
        { Good, ["solve", "{file}", "--method", "nosuch", "--json"], "--method: unknown ODE method 'nosuch'" },
        { Good, ["solve", "{file}", "--method", "rk4", "--json"], "--method: 'rk4' takes fixed steps only" },
        { Good, ["solve", "{file}", "--rtol", "-1e-6", "--json"], "--rtol: must be between 0 and 1 but is -1e-06" },
        { Good, ["solve", "{file}", "--rtol", "1e-17", "--json"], "--rtol: 1e-17 is below 10·machine epsilon" },
        { Good, ["solve", "{file}", "--atol", "-1", "--json"], "--atol: must be 0 or more" },
        { Good, ["solve", "{file}", "--rtol", "abc", "--json"], "--rtol: cannot read 'abc' as a finite number" },
        { Good, ["solve", "{file}", "--dt", "0", "--json"], "--dt: must be a step size > 0" },
        { Good, ["solve", "{file}", "--max-steps", "0", "--json"], "--max-steps: must be at least 1" },
        { Good, ["solve", "{file}", "--repeat", "two", "--json"], "--repeat: cannot read 'two' as a whole number" },
        { Good, ["solve", "{file}", "--max-iterations", "5", "--json"], "--max-iterations: applies to minimize and least-squares problems" },
        { Good, ["solve", "--json"], "Required argument 'file' missing" },
        { Good, ["solve", "{file}", "--bogus", "--json"], "Unrecognized command or argument '--bogus'" },
        { Good, ["check", "{file}", "--at", "1,2,3", "--json"], "--at: has 3 numbers but" },
        { Good, ["check", "{file}", "--at", "1,x", "--json"], "--at: cannot read 'x' (value 2) as a finite number" },
        { "{\"kind\": \"minimize\", \"variables\": [\"x\"], \"objective\": \"x^2\", \"x0\": [1]}", ["check", "{file}", "--t", "1", "--json"], "--t: applies to ode, sde and flow problems only" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_ExitsTwoWithOneLineAndNothingOnStdout(string content, string[] args, string expected)
    {
        string file = Write("bad.json", content);
        string[] resolved = args.Select(a => a.Replace("{file}", file, StringComparison.Ordinal).Replace("{dir}", _dir, StringComparison.Ordinal)).ToArray();
        (int code, string output, string error) = Run(resolved);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("ordo: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInput_FolderInsteadOfFile()
    {
        (int code, string output, string error) = Run("check", _dir, "--json");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"ordo: {_dir}: is a folder, not a problem file", error.TrimEnd('\n'));
    }
}
