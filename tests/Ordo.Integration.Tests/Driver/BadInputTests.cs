namespace Ordo.Integration.Tests.Driver;

/// <summary>Bad input gets a clear exception naming the argument, before any work.</summary>
public class BadInputTests
{
    private static readonly OdeFunction<double> Decay = static (t, y, dy) => dy[0] = -y[0];

    private static OdeProblem<double> Problem() => new(Decay, [1.0], 0, 1);

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Problem_NonFiniteInitialState_ThrowsNamingTheIndex(double bad)
    {
        var e = Assert.Throws<ArgumentException>(() => new OdeProblem<double>(Decay, [1.0, bad], 0, 1));
        Assert.Equal("initialState", e.ParamName);
        Assert.Contains("initialState[1]", e.Message);
    }

    [Fact]
    public void Problem_EmptyInitialState_Throws() =>
        Assert.Equal("initialState", Assert.Throws<ArgumentException>(() => new OdeProblem<double>(Decay, [], 0, 1)).ParamName);

    [Fact]
    public void Problem_EqualTimes_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new OdeProblem<double>(Decay, [1.0], 2, 2));
        Assert.Equal("t1", e.ParamName);
        Assert.Contains("empty", e.Message);
    }

    [Theory]
    [InlineData(double.NaN, 1.0, "t0")]
    [InlineData(0.0, double.PositiveInfinity, "t1")]
    public void Problem_NonFiniteTime_ThrowsNamingIt(double t0, double t1, string name) =>
        Assert.Equal(name, Assert.Throws<ArgumentException>(() => new OdeProblem<double>(Decay, [1.0], t0, t1)).ParamName);

    [Fact]
    public void Problem_NullRhs_Throws() =>
        Assert.Throws<ArgumentNullException>(() => new OdeProblem<double>(null!, [1.0], 0, 1));

    public static TheoryData<string, OdeOptions> BadOptions() => new()
    {
        { "RelativeTolerance", new OdeOptions { RelativeTolerance = 0 } },
        { "RelativeTolerance", new OdeOptions { RelativeTolerance = -1e-6 } },
        { "RelativeTolerance", new OdeOptions { RelativeTolerance = double.NaN } },
        { "RelativeTolerance", new OdeOptions { RelativeTolerance = 1e-17 } },
        { "AbsoluteTolerance", new OdeOptions { AbsoluteTolerance = -1e-9 } },
        { "AbsoluteTolerance", new OdeOptions { AbsoluteTolerance = double.PositiveInfinity } },
        { "AbsoluteTolerances", new OdeOptions { AbsoluteTolerances = [1e-9, 1e-9] } },
        { "AbsoluteTolerances", new OdeOptions { AbsoluteTolerances = [double.NaN] } },
        { "InitialStep", new OdeOptions { InitialStep = 0 } },
        { "FixedStep", new OdeOptions { FixedStep = -0.1 } },
        { "MaxStep", new OdeOptions { MaxStep = 0 } },
        { "MinStep", new OdeOptions { MinStep = -1 } },
        { "MaxSteps", new OdeOptions { MaxSteps = 0 } },
        { "Times", new OdeOptions { Save = SaveAt.At(0.5, 2.0) } },
        { "Times", new OdeOptions { Save = SaveAt.At(0.5, 0.2) } },
        { "Times", new OdeOptions { Save = new SaveAt { Times = [0.5], Steps = true } } },
        { "InteriorSamples", new OdeOptions { Events = [new OdeEvent((t, y) => y[0]) { InteriorSamples = -1 }] } },
    };

    [Theory, MemberData(nameof(BadOptions))]
    public void Solve_InvalidOption_ThrowsNamingTheOption(string option, OdeOptions options)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Ode.Solve(Problem(), OdeMethods.Tsitouras54, options));
        Assert.Equal(option, e.ParamName);
    }

    [Fact]
    public void Solve_FixedStepMethodWithoutFixedStep_ThrowsSayingWhatToDo()
    {
        var e = Assert.Throws<ArgumentException>(() => Ode.Solve(Problem(), OdeMethods.RungeKutta4));
        Assert.Contains("FixedStep", e.Message);
        Assert.Contains("rk4", e.Message);
    }

    [Fact]
    public void GetMethod_UnknownName_ListsKnownNames()
    {
        var e = Assert.Throws<ArgumentException>(() => OdeMethods.Get("rk45"));
        Assert.Contains("'rk45'", e.Message);
        Assert.Contains("tsit5", e.Message);
    }

    [Fact]
    public void PIController_InvalidParameters_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PIController(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PIController(0.2, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PIController(0.2, 0) { Safety = 1.5 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PIController(0.2, 0) { MinFactor = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new PIController(0.2, 0) { MaxFactor = 0.5 });
    }
}
