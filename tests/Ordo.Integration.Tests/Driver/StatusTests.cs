namespace Ordo.Integration.Tests.Driver;

/// <summary>Numerical outcomes are statuses with the last good state, never exceptions or silent NaN.</summary>
public class StatusTests
{
    [Fact]
    public void RhsReturningNaNBeyondAPoint_StopsWithNonFiniteRhsAndLastFiniteState()
    {
        // y' = 1 until t = 2, then the right-hand side says "impossible state" with NaN.
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = t <= 2 ? 1 : double.NaN, [0.0], 0, 5);
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.DormandPrince54);
        Assert.Equal(OdeStatus.NonFiniteRhs, s.Status);
        Assert.False(s.IsSuccess);
        Assert.True(double.IsFinite(s.Y[0]));
        Assert.InRange(s.Time, 1.9, 2.0);
        Assert.Equal(s.Time, s.Y[0], 1e-9);   // the last accepted state is correct
        Assert.True(s.Stats.RejectedSteps > 0);
        Assert.Contains("NaN", s.Message);
        Assert.Throws<InvalidOperationException>(() => s.EnsureSuccess());
    }

    [Fact]
    public void RhsReturningNaNOnce_StepIsRetriedAndTheSolveSucceeds()
    {
        // A transient failure (a trial state that overflows, as in RINGMOD): reject, shrink, carry on.
        int calls = 0;
        var problem = new OdeProblem<double>((t, y, dy) => dy[0] = ++calls == 9 ? double.PositiveInfinity : -y[0], [1.0], 0, 3);
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.Tsitouras54, new OdeOptions { RelativeTolerance = 1e-8, AbsoluteTolerance = 1e-10 });
        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.True(s.Stats.RejectedSteps >= 1);
        Assert.Equal(Math.Exp(-3), s.Y[0], 1e-7);
    }

    [Fact]
    public void RhsNaNAtInitialState_StopsImmediatelyWithNonFiniteRhs()
    {
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = double.NaN, [1.0], 0, 1);
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.Tsitouras54);
        Assert.Equal(OdeStatus.NonFiniteRhs, s.Status);
        Assert.Equal(0, s.Time);
        Assert.Equal(1.0, s.Y[0]);
        Assert.Equal(0, s.Stats.AcceptedSteps);
    }

    [Fact]
    public void FixedStepRhsNaN_StopsWithNonFiniteRhs()
    {
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = t < 0.55 ? 1 : double.NaN, [0.0], 0, 1);
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.RungeKutta4, new OdeOptions { FixedStep = 0.1 });
        Assert.Equal(OdeStatus.NonFiniteRhs, s.Status);
        Assert.Equal(0.5, s.Time, 1e-14);
        Assert.Equal(0.5, s.Y[0], 1e-14);
    }

    [Fact]
    public void MaxStepsReached_ReturnsStatusAndTheStateReached()
    {
        var problem = new OdeProblem<double>(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [1.0, 0.0], 0, 1000);
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.DormandPrince54, new OdeOptions { MaxSteps = 50 });
        Assert.Equal(OdeStatus.MaxStepsReached, s.Status);
        Assert.True(s.Time > 0 && s.Time < 1000);
        Assert.Equal(50, s.Stats.AcceptedSteps + s.Stats.RejectedSteps);
        Assert.Equal(Math.Cos(s.Time), s.Y[0], 1e-4);
        Assert.Contains("MaxSteps", s.Message);
    }

    [Fact]
    public void BlowUp_StopsWithStepSizeTooSmallNearTheSingularity()
    {
        // y' = y², y(0) = 1 has the pole y = 1/(1 − t) at t = 1.
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = y[0] * y[0], [1.0], 0, 2);
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.Tsitouras54, new OdeOptions { MaxSteps = 1_000_000 });
        Assert.Equal(OdeStatus.StepSizeTooSmall, s.Status);
        Assert.InRange(s.Time, 0.999, 1.001);   // the pole, located to about 1e-6
        Assert.True(double.IsFinite(s.Y[0]) && Math.Abs(s.Y[0]) > 1e3);
    }

    [Fact]
    public void MinStep_StopsWhenTheControllerWantsSmallerSteps()
    {
        var problem = new OdeProblem<double>(static (t, y, dy) => dy[0] = y[0] * y[0], [1.0], 0, 2);
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.Tsitouras54, new OdeOptions { MinStep = 1e-4 });
        Assert.Equal(OdeStatus.StepSizeTooSmall, s.Status);
        Assert.InRange(s.Time, 0.9, 1.0);
    }

    [Fact]
    public void UserRhsException_PropagatesUnchanged()
    {
        var problem = new OdeProblem<double>(static (t, y, dy) => throw new FormatException("from the user"), [1.0], 0, 1);
        Assert.Equal("from the user", Assert.Throws<FormatException>(() => Ode.Solve(problem)).Message);
    }

    [Fact]
    public void StatusIdentifiers_MatchTheCliContract()
    {
        Assert.Equal("success", OdeStatus.Success.ToIdentifier());
        Assert.Equal("max_steps", OdeStatus.MaxStepsReached.ToIdentifier());
        Assert.Equal("step_size_too_small", OdeStatus.StepSizeTooSmall.ToIdentifier());
        Assert.Equal("nonfinite_rhs", OdeStatus.NonFiniteRhs.ToIdentifier());
        foreach (OdeStatus status in Enum.GetValues<OdeStatus>()) Assert.False(string.IsNullOrWhiteSpace(status.Describe()));
    }
}
