using Ordo.Integration;
using Ordo.Integration.Jacobians;
using Xunit.Abstractions;

namespace Ordo.Integration.Tests.Jacobians;

/// <summary>
/// <c>bdf</c> with a banded <see cref="OdeProblem{T}.JacobianStructure"/>: the Jacobian is differenced in kl + ku + 1
/// column groups and the Newton matrix factored with BandedLU. Problem: the 1-D Brusselator (HNW II §IV.1, α = 1/50,
/// A = 1, B = 3), interleaved (u₁, v₁, u₂, v₂, …) so that kl = ku = 2. Printed with
/// <c>dotnet test tests/Ordo.Integration.Tests -c Release --filter FullyQualifiedName~BandedBdf --logger "console;verbosity=detailed"</c>.
/// </summary>
public class BandedBdfTests(ITestOutputHelper output)
{
    private static OdeProblem<double> Brusselator(int grid, bool banded) => new Brusselator1D(grid).Problem(exact: false, banded);

    [Fact]
    public void BandedBdfMatchesAnIndependentDenseRadau5Solution_AndDifferencesInFiveGroups()
    {
        const int grid = 50;
        var opts = new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-9, Save = SaveAt.FinalOnly };
        var reference = Ode.Solve(Brusselator(grid, banded: false), OdeMethods.Radau5, opts with { RelativeTolerance = 1e-11, AbsoluteTolerance = 1e-13 });
        var banded = Ode.Solve(Brusselator(grid, banded: true), OdeMethods.Bdf, opts);
        var dense = Ode.Solve(Brusselator(grid, banded: false), OdeMethods.Bdf, opts);
        Assert.Equal(OdeStatus.Success, reference.Status);
        Assert.Equal(OdeStatus.Success, banded.Status);
        Assert.Equal(OdeStatus.Success, dense.Status);
        double err = 0;
        for (int i = 0; i < reference.Y.Length; i++) err = Math.Max(err, Math.Abs(banded.Y[i] - reference.Y[i]) / (1e-6 * Math.Abs(reference.Y[i]) + 1e-9));
        output.WriteLine($"banded bdf: error/tol {err:G3}, {banded.Stats}; dense bdf: {dense.Stats}");
        Assert.True(err <= 100, $"error {err:G3} tolerances");
        // A dense difference Jacobian costs n = 100 evaluations, a banded one 5: the banded run must save almost all of them.
        long newtonEvals = banded.Stats.RhsEvaluations - 5 * banded.Stats.JacobianEvaluations;
        Assert.True(newtonEvals > 0);
        Assert.True(dense.Stats.RhsEvaluations - 100 * dense.Stats.JacobianEvaluations > 0);
        Assert.True(banded.Stats.RhsEvaluations < dense.Stats.RhsEvaluations, $"{banded.Stats.RhsEvaluations} vs {dense.Stats.RhsEvaluations}");
    }

    /// <summary>The Rosenbrock and W-methods take the same path (IterationMatrix) for a structured Jacobian.</summary>
    [Theory]
    [InlineData("rodas4")]
    [InlineData("rodas5p")]
    [InlineData("ros34pw2")]
    public void BandedRosenbrockMatchesTheDenseRadau5Solution(string method)
    {
        const int grid = 50;
        var opts = new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-9, Save = SaveAt.FinalOnly };
        var reference = Ode.Solve(Brusselator(grid, banded: false), OdeMethods.Radau5, opts with { RelativeTolerance = 1e-11, AbsoluteTolerance = 1e-13 });
        var banded = Ode.Solve(Brusselator(grid, banded: true), OdeMethods.Get(method), opts);
        Assert.Equal(OdeStatus.Success, banded.Status);
        double err = 0;
        for (int i = 0; i < reference.Y.Length; i++) err = Math.Max(err, Math.Abs(banded.Y[i] - reference.Y[i]) / (1e-6 * Math.Abs(reference.Y[i]) + 1e-9));
        output.WriteLine($"banded {method}: error/tol {err:G3}, {banded.Stats}");
        Assert.True(err <= 100, $"error {err:G3} tolerances");
        // Each differenced Jacobian costs 5 evaluations (kl + ku + 1), not n = 100: at most s + 5 per step
        // (s ≤ 8 stages; ∂f/∂t is not needed, the problem is autonomous).
        int attempts = banded.Stats.AcceptedSteps + banded.Stats.RejectedSteps;
        Assert.True(banded.Stats.RhsEvaluations <= 8L * attempts + 5 * banded.Stats.JacobianEvaluations + 20,
            $"{banded.Stats.RhsEvaluations} evaluations for {attempts} attempts and {banded.Stats.JacobianEvaluations} Jacobians");
    }

    [Fact]
    public void ThousandComponentBrusselatorSolvesWithBandedAlgebra()
    {
        // n = 1000: a dense LU per refactorization would be ~3e8 flops; the banded one is ~25n.
        var s = Ode.Solve(Brusselator(500, banded: true), OdeMethods.Bdf, new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-9, Save = SaveAt.FinalOnly });
        output.WriteLine($"n = 1000 banded bdf: {s.Stats}");
        Assert.Equal(OdeStatus.Success, s.Status);
        Assert.All(s.Y, v => Assert.True(double.IsFinite(v)));
        // Mass-balance sanity: u and v stay in the Brusselator's invariant region (0, 10).
        Assert.All(s.Y, v => Assert.InRange(v, 0, 10));
    }
}
