using Ordo.Integration;

namespace Ordo.Integration.Tests;

public class SmokeTests
{
    [Fact]
    public void Tsit5_ExponentialDecay_MatchesClosedForm()
    {
        var problem = new OdeProblem<double>((t, y, dy) => dy[0] = -y[0], [1.0], 0, 5);
        OdeSolution<double> solution = Ode.Solve(problem, OdeMethods.Tsitouras54, new OdeOptions { RelativeTolerance = 1e-10, AbsoluteTolerance = 1e-12 });
        Assert.Equal(OdeStatus.Success, solution.Status);
        Assert.Equal(5.0, solution.Time);
        Assert.Equal(Math.Exp(-5), solution.Y[0], 1e-10);
    }
}
