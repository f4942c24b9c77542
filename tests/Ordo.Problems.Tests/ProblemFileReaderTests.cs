using Ordo.Integration;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Problems.Tests;

public sealed class ProblemFileReaderTests
{
    private static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "examples", name);

    private static ProblemFile Parse(string json) => ProblemFileReader.Parse(json, "test.json");

    private static ProblemFileException Bad(string json) => Assert.Throws<ProblemFileException>(() => Parse(json));

    private const string OdeJson = """{"kind": "ode", "state": ["x", "v"], "parameters": {"k": 4}, "rhs": ["v", "-k*x"], "y0": [1, 0], "t0": 0, "t1": 1}""";

    [Fact]
    public void Pendulum_LoadsWithNamesParametersAndReference()
    {
        var p = Assert.IsType<OdeProblemFile>(ProblemFileReader.Load(Example("pendulum.json")));
        Assert.Equal("ode", p.Kind);
        Assert.Equal("pendulum", p.DisplayName);
        Assert.Equal(["theta", "omega"], p.State.Names);
        Assert.Equal(9.81, p.Parameters["g"]);
        Assert.Equal([2.5, 0.0], p.InitialState);
        Assert.Equal((0.0, 10.0), (p.T0, p.T1));
        Assert.NotNull(p.Reference);
        Assert.Equal(10, p.Reference.T);
        double[] dy = new double[2];
        p.Problem.Rhs(0, [2.5, 0.3], dy);
        Assert.Equal([0.3, -9.81 * Math.Sin(2.5)], dy);
    }

    [Fact]
    public void Pendulum_TightSolveMatchesTheClosedFormReference()
    {
        var p = (OdeProblemFile)ProblemFileReader.Load(Example("pendulum.json"));
        OdeSolution<double> s = Ode.Solve(p.Problem, OdeMethods.DormandPrince853,
            new OdeOptions { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14, Save = SaveAt.FinalOnly });
        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.True(ErrorMetrics.RelativeL2(s.Y, p.Reference!.Y.ToArray()) < 1e-9);
    }

    [Fact]
    public void Heat_VectorStateAndExactReference()
    {
        var p = (OdeProblemFile)ProblemFileReader.Load(Example("heat.json"));
        Assert.True(p.State.IsVector);
        Assert.Equal(9, p.Dimension);
        Assert.Equal("u[3]", p.State.ComponentName(2));
        double[] jac = new double[81];
        p.Rhs.Jacobian(0, [.. p.InitialState], jac);
        for (int i = 0; i < 9; i++)
        {
            for (int j = 0; j < 9; j++)
                Assert.Equal(i == j ? -20 : Math.Abs(i - j) == 1 ? 10 : 0, jac[i * 9 + j], 1e-12);
        }
        OdeSolution<double> s = Ode.Solve(p.Problem, OdeMethods.DormandPrince853,
            new OdeOptions { RelativeTolerance = 1e-12, AbsoluteTolerance = 1e-14, Save = SaveAt.FinalOnly });
        Assert.True(ErrorMetrics.RelativeL2(s.Y, p.Reference!.Y.ToArray()) < 1e-10);
    }

    [Fact]
    public void LotkaVolterra_IsTheOrdoProblemsOne()
    {
        var p = (OdeProblemFile)ProblemFileReader.Load(Example("lotka-volterra.json"));
        OdeTestProblem q = OdeTestProblems.NonStiff.Single(x => x.Name == "LotkaVolterra");
        Assert.Equal(q.InitialState.ToArray(), p.InitialState);
        Assert.Equal((q.T0, q.T1), (p.T0, p.T1));
        Assert.Equal(q.ReferenceFinal.ToArray(), p.Reference!.Y);
        double[] a = new double[2], b = new double[2];
        double[] y = [0.7, 1.9];
        p.Problem.Rhs(3, y, a);
        q.Rhs(3, y, b);
        Assert.Equal(b, a);
    }

    [Fact]
    public void Rosenbrock_ValueAndGradient()
    {
        var p = Assert.IsType<MinimizeProblemFile>(ProblemFileReader.Load(Example("rosenbrock.json")));
        double[] g = new double[2];
        double f = p.ValueAndGradient([-1.2, 1.0], g);
        Assert.Equal(24.2, f, 12);
        Assert.Equal(-215.6, g[0], 10);
        Assert.Equal(-88, g[1], 10);
        Assert.Equal(0, p.Value([1.0, 1.0]));
        Assert.Equal(0, p.Reference!.F);
        Assert.Equal([1.0, 1.0], p.Reference.X!);
        Assert.Null(p.Lower);
        Assert.False(p.HasBounds);
    }

    [Fact]
    public void CurveFit_ReferenceIsAStationaryPointWithTheReferenceValue()
    {
        var p = Assert.IsType<LeastSquaresProblemFile>(ProblemFileReader.Load(Example("curve-fit.json")));
        Assert.Equal(8, p.ResidualCount);
        double[] x = [.. p.Reference!.X!];
        double[] g = new double[2];
        double f = p.ValueAndGradient(x, g);
        Assert.Equal(p.Reference.F, f, 1e-15);
        Assert.All(g, gi => Assert.True(Math.Abs(gi) < 1e-12, $"gradient {gi}"));
        // The plain sum of squares, not half of it.
        double[] r = new double[8];
        p.Residuals.Evaluate(0, x, r);
        Assert.Equal(r.Sum(v => v * v), p.Value(x), 1e-18);
    }

    [Fact]
    public void LeastSquaresGradient_Is2JTr_AndMatchesFiniteDifferences()
    {
        var p = (LeastSquaresProblemFile)ProblemFileReader.Load(Example("curve-fit.json"));
        double[] x = [1.7, -0.3];
        double[] g = new double[2];
        p.ValueAndGradient(x, g);
        for (int j = 0; j < 2; j++)
        {
            const double h = 1e-6;
            double[] xp = [.. x], xm = [.. x];
            xp[j] += h;
            xm[j] -= h;
            double fd = (p.Value(xp) - p.Value(xm)) / (2 * h);
            Assert.Equal(fd, g[j], 1e-6 * (1 + Math.Abs(fd)));
        }
    }

    [Fact]
    public void Bounds_NullMeansUnbounded()
    {
        var p = (MinimizeProblemFile)Parse("""{"kind": "minimize", "variables": {"x": 3}, "objective": "sum(i, 1, 3, x[i]^2)", "x0": [1, 2, 3], "lower": [0, null, -1], "upper": [null, 5, 3]}""");
        Assert.Equal([0, double.NegativeInfinity, -1], p.Lower!);
        Assert.Equal([double.PositiveInfinity, 5, 3], p.Upper!);
        Assert.True(p.HasBounds);
        Assert.Equal(14, p.Value([1.0, 2.0, 3.0]));
        Assert.Equal("x[2]", p.Variables.ComponentName(1));
    }

    [Fact]
    public void CommentsNumbersAsExpressionsBomAndBackwardIntervals_AreAccepted()
    {
        string json = "\uFEFF" + """{"_comment": "a note", "kind": "ode", "name": "decay", "state": ["y", "z"], "rhs": ["-y", 0], "y0": [1, 2], "t0": 1, "t1": 0, "reference": {"t": 0, "y": [2.718281828459045, 2], "_source": "closed form"}}""";
        var p = (OdeProblemFile)Parse(json);
        Assert.Equal(-1, p.Problem.Direction);
        double[] dy = new double[2];
        p.Problem.Rhs(0, [3.0, 2.0], dy);
        Assert.Equal([-3.0, 0.0], dy);
    }

    [Fact]
    public void DataArrays_AreIndexedFromOne()
    {
        var p = (LeastSquaresProblemFile)Parse("""{"kind": "least-squares", "variables": ["a"], "data": {"ts": [1, 2], "ys": [3, 5]}, "residuals": ["a*ts[1] - ys[1]", "a*ts[2] - ys[2]"], "x0": [0]}""");
        Assert.Equal(9 + 25, p.Value([0.0]));
        Assert.Equal([1.0, 2.0], p.Data["ts"]);
    }

    [Theory]
    // JSON and top level
    [InlineData("", null, "is empty")]
    [InlineData("{\"kind\": \"ode\",\n  \"state\": [\"x\"],,\n}", null, "not valid JSON at line 2, column 18")]
    [InlineData("[1, 2]", null, "the top level must be a JSON object")]
    [InlineData("{\"kind\": \"ode\"} {}", null, "not valid JSON at line 1, column 17: '{' is invalid after a single JSON value")]
    [InlineData("{}", "kind", "missing")]
    [InlineData("{\"kind\": 3}", "kind", "must be a string, not a number (3)")]
    [InlineData("{\"kind\": \"foo\"}", "kind", "unknown kind 'foo'; known kinds: ode, sde, minimize, least-squares, flow")]
    [InlineData("{\"kind\": \"sde\"}", "state", "missing; an sde problem needs state, drift, noise, diffusion, y0, t0, t1")]
    [InlineData("{\"kind\": \"flow\"}", "model", "missing; a flow problem needs model, points, time_convention")]
    [InlineData("{\"kind\": \"ode\", \"kind\": \"ode\"}", "kind", "appears twice")]
    [InlineData("{\"kind\": \"ode\", \"rtol\": 1e-8}", "rtol", "unknown field; an ode problem has kind, name,")]
    [InlineData("{\"kind\": \"ode\", \"name\": 5}", "name", "must be a string")]
    // ode fields
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0}", "t1", "missing; an ode problem needs state, rhs, y0, t0, t1")]
    [InlineData("{\"kind\": \"ode\", \"state\": \"x\", \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "state", "must be an array of names")]
    [InlineData("{\"kind\": \"ode\", \"state\": [], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "state", "is empty")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\", 2], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "state[1]", "must be a name (a string), not a number (2)")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\", \"x\"], \"rhs\": [\"x\", \"x\"], \"y0\": [1, 1], \"t0\": 0, \"t1\": 1}", "state[1]", "the name 'x' is already a state variable (state[0])")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"t\"], \"rhs\": [\"1\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "state[0]", "the name 't' is already the time variable of an ODE")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"2x\"], \"rhs\": [\"1\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "state[0]", "'2x' is not a valid name")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"exp\"], \"rhs\": [\"1\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "state[0]", "'exp' is a reserved word")]
    [InlineData("{\"kind\": \"ode\", \"state\": {\"y\": 2.5}, \"rhs\": [\"1\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "state.y", "must be a positive integer")]
    [InlineData("{\"kind\": \"ode\", \"state\": {\"y\": 0}, \"rhs\": [\"1\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "state.y", "must be a positive integer")]
    [InlineData("{\"kind\": \"ode\", \"state\": {\"y\": 2, \"z\": 2}, \"rhs\": [\"1\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "state", "must have exactly one entry")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\", \"v\"], \"rhs\": [\"v\"], \"y0\": [1, 0], \"t0\": 0, \"t1\": 1}", "rhs", "has 1 expression but the state has 2 components (x, v)")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": \"x\", \"y0\": [1], \"t0\": 0, \"t1\": 1}", "rhs", "must be an array of expressions")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [null], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "rhs[0]", "must be an expression (a string), not null")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1, 2], \"t0\": 0, \"t1\": 1}", "y0", "has 2 numbers but the state has 1 component (x)")]
    [InlineData("{\"kind\": \"ode\", \"state\": {\"y\": 3}, \"rhs\": [\"1\", \"1\", \"1\"], \"y0\": [1, 2], \"t0\": 0, \"t1\": 1}", "y0", "has 2 numbers but the state has 3 components (y[1..3])")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [\"1\"], \"t0\": 0, \"t1\": 1}", "y0[0]", "must be a number, not a string (\"1\")")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1e400], \"t0\": 0, \"t1\": 1}", "y0[0]", "outside the range of double precision")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": \"0\", \"t1\": 1}", "t0", "must be a number, not a string")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 2, \"t1\": 2}", "t1", "equals t0 (both 2)")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1, \"reference\": {\"t\": 1}}", "reference.y", "missing")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1, \"reference\": {\"t\": 1, \"y\": [1, 2]}}", "reference.y", "has 2 numbers but the state has 1 component")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1, \"reference\": {\"t\": 0.5, \"y\": [1]}}", "reference.t", "is 0.5 but t1 is 1")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1, \"reference\": {\"t\": 1, \"y\": [1], \"f\": 2}}", "reference.f", "unknown field")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1, \"reference\": [1]}", "reference", "must be an object")]
    // parameters and data
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"parameters\": [1], \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "parameters", "must be an object of name: number pairs")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"parameters\": {\"k\": \"2\"}, \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "parameters.k", "must be a number, not a string")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"parameters\": {\"x\": 2}, \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "parameters.x", "the name 'x' is already a state variable (state[0])")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"parameters\": {\"pi\": 3}, \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "parameters.pi", "reserved word")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"parameters\": {\"k\": 1}, \"data\": {\"k\": [1]}, \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "data.k", "the name 'k' is already a parameter (parameters.k)")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"data\": {\"d\": []}, \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "data.d", "is empty")]
    [InlineData("{\"kind\": \"ode\", \"state\": [\"x\"], \"data\": {\"d\": [1, null]}, \"rhs\": [\"x\"], \"y0\": [1], \"t0\": 0, \"t1\": 1}", "data.d[1]", "must be a number, not null")]
    // expressions
    [InlineData("{\"kind\": \"ode\", \"state\": [\"theta\", \"omega\"], \"parameters\": {\"g\": 9.81, \"L\": 1}, \"rhs\": [\"omega\", \"-g/L*sin(q)\"], \"y0\": [1, 0], \"t0\": 0, \"t1\": 1}", "rhs[1]", "unknown name 'q' at column 10; known names: theta, omega, t, g, L")]
    [InlineData("{\"kind\": \"ode\", \"state\": {\"y\": 2}, \"rhs\": [\"y[1]\", \"y[3]\"], \"y0\": [1, 0], \"t0\": 0, \"t1\": 1}", "rhs[1]", "index out of range")]
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\"], \"objective\": \"x^2 +\", \"x0\": [1]}", "objective", "at column")]
    [InlineData("{\"kind\": \"least-squares\", \"variables\": [\"x\"], \"residuals\": [\"x - 1\", \"x*(2\"], \"x0\": [1]}", "residuals[1]", "at column")]
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\"], \"objective\": \"t*x\", \"x0\": [1]}", "objective", "unknown name 't'")]
    // optimization fields
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\"], \"residuals\": [\"x\"], \"x0\": [1]}", "residuals", "unknown field; a minimize problem has")]
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\"], \"x0\": [1]}", "objective", "missing")]
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\"], \"objective\": [\"x\"], \"x0\": [1]}", "objective", "must be an expression (a string), not an array")]
    [InlineData("{\"kind\": \"least-squares\", \"variables\": [\"x\"], \"residuals\": [], \"x0\": [1]}", "residuals", "is empty")]
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\", \"y\"], \"objective\": \"x\", \"x0\": [1]}", "x0", "has 1 number but there are 2 variables (x, y)")]
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\", \"y\"], \"objective\": \"x\", \"x0\": [1, 1], \"lower\": [0]}", "lower", "has 1 entry but there are 2 variables")]
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\", \"y\"], \"objective\": \"x\", \"x0\": [1, 1], \"lower\": [0, \"a\"]}", "lower[1]", "must be a number or null (no bound)")]
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\", \"y\"], \"objective\": \"x\", \"x0\": [1, 1], \"lower\": [0, 2], \"upper\": [3, 1]}", "upper[1]", "is 1 but lower[1] is 2")]
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\"], \"objective\": \"x\", \"x0\": [5], \"upper\": [3]}", "x0[0]", "above upper[0] = 3")]
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\"], \"objective\": \"x\", \"x0\": [1], \"reference\": {\"x\": [1]}}", "reference.f", "missing")]
    [InlineData("{\"kind\": \"minimize\", \"variables\": [\"x\"], \"objective\": \"x\", \"x0\": [1], \"reference\": {\"f\": 0, \"x\": [1, 2]}}", "reference.x", "has 2 numbers but there is 1 variable")]
    public void BadInput_NamesTheFieldInOneLine(string json, string? field, string expected)
    {
        ProblemFileException e = Bad(json);
        Assert.Equal(field, e.Field);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith(field is null ? "test.json: " : $"test.json: {field}: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void ExpressionErrors_CarryTheColumn()
    {
        ProblemFileException e = Bad("""{"kind": "ode", "state": ["x"], "rhs": ["x + qq"], "y0": [1], "t0": 0, "t1": 1}""");
        Assert.Equal("rhs[0]", e.Field);
        Assert.Equal(5, e.Column);
        Assert.Contains("unknown name 'qq' at column 5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonSyntaxErrors_CarryTheLine()
    {
        ProblemFileException e = Bad("{\n\"kind\": \"ode\"\n\"state\": []}");
        Assert.Equal(3, e.Line);
        Assert.Null(e.Field);
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFileOrFolder_IsAProblemFileException()
    {
        string missing = Path.Combine(Path.GetTempPath(), "ordo-no-such-" + Guid.NewGuid().ToString("N") + ".json");
        ProblemFileException a = Assert.Throws<ProblemFileException>(() => ProblemFileReader.Load(missing));
        Assert.Equal($"{missing}: no such file", a.Message);
        ProblemFileException b = Assert.Throws<ProblemFileException>(() => ProblemFileReader.Load(Path.GetTempPath()));
        Assert.Contains("is a folder", b.Message, StringComparison.Ordinal);
        ProblemFileException c = Assert.Throws<ProblemFileException>(() => ProblemFileReader.Load(Path.Combine(missing, "x.json")));
        Assert.Contains("no such file", c.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GoodOde_CompilesRhsAndJacobian()
    {
        var p = (OdeProblemFile)Parse(OdeJson);
        double[] dy = new double[2], jac = new double[4];
        p.Problem.Rhs(0, [0.5, 2.0], dy);
        p.Rhs.Jacobian(0, [0.5, 2.0], jac);
        Assert.Equal([2.0, -2.0], dy);
        Assert.Equal([0.0, 1, -4, 0], jac);
        Assert.Null(p.Reference);
        Assert.Equal("test", p.DisplayName);
    }
}
