namespace Ordo.Integration.Tests.Driver;

/// <summary>Events located on the dense output, against exact event times.</summary>
public class EventTests
{
    private static readonly OdeOptions Tight = new() { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 };

    private static OdeProblem<double> Oscillator(double t1) =>
        new(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [1.0, 0.0], 0, t1);   // y = cos t

    [Theory]
    [InlineData("dp5")]
    [InlineData("tsit5")]
    [InlineData("dop853")]
    [InlineData("bs3")]
    public void TerminalEvent_BallDrop_StopsAtTheImpactTime(string methodName)
    {
        // Free fall from 10 m: y'' = −g, impact at t = √(2·10/g), speed −√(2·10·g).
        const double g = 9.81;
        var problem = new OdeProblem<double>(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -g; }, [10.0, 0.0], 0, 10);
        var ground = new OdeEvent(static (t, y) => y[0]) { Terminal = true, Direction = EventDirection.Falling, Name = "ground" };
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.Get(methodName), Tight with { Events = [ground] });
        double impact = Math.Sqrt(20 / g);
        Assert.Equal(OdeStatus.TerminatedByEvent, s.Status);
        Assert.True(s.IsSuccess);
        Assert.Equal(impact, s.Time, 1e-12);
        Assert.Equal(0.0, s.Y[0], 1e-11);
        Assert.Equal(-Math.Sqrt(20 * g), s.Y[1], 1e-9);
        OdeEventOccurrence<double> hit = Assert.Single(s.Events);
        Assert.Equal(0, hit.EventIndex);
        Assert.Equal(s.Time, hit.Time);
        Assert.Equal(s.Time, s.Times[^1]);   // the saved trajectory ends at the event
    }

    [Fact]
    public void NonTerminalEvent_FindsEveryZeroOfCosine()
    {
        var zero = new OdeEvent(static (t, y) => y[0]);
        OdeSolution<double> s = Ode.Solve(Oscillator(20), OdeMethods.Tsitouras54, Tight with { Events = [zero] });
        Assert.Equal(OdeStatus.Success, s.Status);
        double[] expected = Enumerable.Range(0, 7).Select(k => Math.PI / 2 + k * Math.PI).Where(t => t < 20).ToArray();
        Assert.Equal(expected.Length, s.Events.Count);
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.Equal(expected[k], s.Events[k].Time, 1e-9);
            Assert.Equal(0.0, s.Events[k].State[0], 1e-9);
        }
    }

    [Fact]
    public void Direction_FiltersRisingAndFallingCrossings()
    {
        var rising = new OdeEvent(static (t, y) => y[0]) { Direction = EventDirection.Rising };
        var falling = new OdeEvent(static (t, y) => y[0]) { Direction = EventDirection.Falling };
        OdeSolution<double> s = Ode.Solve(Oscillator(20), OdeMethods.DormandPrince853, Tight with { Events = [rising, falling] });
        double[] up = s.Events.Where(e => e.EventIndex == 0).Select(e => e.Time).ToArray();
        double[] down = s.Events.Where(e => e.EventIndex == 1).Select(e => e.Time).ToArray();
        Assert.Equal([1.5 * Math.PI, 3.5 * Math.PI, 5.5 * Math.PI], up, (a, b) => Math.Abs(a - b) < 1e-9);
        Assert.Equal([0.5 * Math.PI, 2.5 * Math.PI, 4.5 * Math.PI], down, (a, b) => Math.Abs(a - b) < 1e-9);
        for (int i = 1; i < s.Events.Count; i++) Assert.True(s.Events[i].Time > s.Events[i - 1].Time);   // time order across events
    }

    [Fact]
    public void TwoCrossingsInOneStep_AreMissedWithoutInteriorSamplesAndFoundWithThem()
    {
        // y = t with fixed steps of 2: g = (y − 1.05)(y − 1.25) is positive at both ends of the step [0, 2].
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = 1, [0.0], 0, 2);
        EventFunction g = static (t, y) => (y[0] - 1.05) * (y[0] - 1.25);
        OdeSolution<double> blind = Ode.Solve(problem, OdeMethods.RungeKutta4, new OdeOptions { FixedStep = 2, Events = [new OdeEvent(g)] });
        Assert.Empty(blind.Events);   // as scipy: only sign changes between step ends are seen
        OdeSolution<double> sampled = Ode.Solve(problem, OdeMethods.RungeKutta4, new OdeOptions { FixedStep = 2, Events = [new OdeEvent(g) { InteriorSamples = 9 }] });
        Assert.Equal([1.05, 1.25], sampled.Events.Select(e => e.Time).ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void EventFunctionZeroAtT0_IsNotReported()
    {
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = 1, [0.0], 0, 1);
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.Tsitouras54, new OdeOptions { Events = [new OdeEvent(static (t, y) => y[0]) { Terminal = true }] });
        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.Empty(s.Events);
    }

    [Fact]
    public void EventExactlyAtAStepEnd_IsReportedOnce()
    {
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = 1, [-0.5], 0, 2);   // y = t − 0.5: zero at a step end
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.RungeKutta4, new OdeOptions { FixedStep = 0.25, Events = [new OdeEvent(static (t, y) => y[0])] });
        Assert.Equal(0.5, Assert.Single(s.Events).Time, 1e-15);
    }

    [Fact]
    public void Backward_TerminalEvent_IsFound()
    {
        // y = cos t integrated from 3 back to 0: the first zero met is π/2.
        var problem = new OdeProblem<double>(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [Math.Cos(3), -Math.Sin(3)], 3, 0);
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.DormandPrince853, Tight with { Events = [new OdeEvent(static (t, y) => y[0]) { Terminal = true }] });
        Assert.Equal(OdeStatus.TerminatedByEvent, s.Status);
        Assert.Equal(Math.PI / 2, s.Time, 1e-9);
    }

    [Fact]
    public void TerminalEvent_WithSaveTimes_KeepsOnlyTimesBeforeTheEvent()
    {
        const double g = 9.81;
        var problem = new OdeProblem<double>(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -g; }, [10.0, 0.0], 0, 10);
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.Tsitouras54, Tight with
        {
            Events = [new OdeEvent(static (t, y) => y[0]) { Terminal = true }],
            Save = SaveAt.At(0, 0.5, 1.0, 1.5, 2.0, 2.5),
        });
        Assert.Equal([0, 0.5, 1.0], s.Times.ToArray());
        Assert.Equal(10 - 0.5 * g * 0.25, s.State(1)[0], 1e-9);
    }
}
