namespace Ordo.Optimization.Tests;

public class DriverTests
{
    [Fact]
    public void GradientDescentSolvesAWellConditionedQuadratic()
    {
        var q = new DiagonalQuadratic([1, 2, 4, 8]);
        var r = new GradientDescent().Minimize(q, [1, 1, 1, 1]);
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.Equal(ConvergenceTest.Gradient, r.ConvergedBy);
        Assert.True(r.GradientNorm <= 1e-8 * 8, r.ToString());
        // For ½ xᵀDx, f = ½ Σ gᵢ²/dᵢ ≤ ½ n ‖g‖∞² / min d.
        Assert.True(r.F <= 0.5 * 4 * r.GradientNorm * r.GradientNorm / 1, r.ToString());
        Assert.True(r.FunctionEvaluations >= r.Iterations);
    }

    [Fact]
    public void GradientDescentIsLinearOnRosenbrockAndStopsAtTheIterationLimitHonestly()
    {
        var r = new GradientDescent().Minimize(new Rosenbrock(), [-1.2, 1], options: new MinimizeOptions { MaxIterations = 50 });
        Assert.Equal(OptimizationStatus.MaxIterations, r.Status);
        Assert.False(r.Converged);
        Assert.Equal(50, r.Iterations);
        Assert.True(r.F < 24.2);
    }

    [Fact]
    public void BudgetStopReturnsTheBestPointEvaluated()
    {
        var r = new GradientDescent().Minimize(new Rosenbrock(), [-1.2, 1], options: new MinimizeOptions { MaxFunctionEvaluations = 37, KeepTrace = true });
        Assert.Equal(OptimizationStatus.MaxEvaluations, r.Status);
        Assert.Equal(37, r.FunctionEvaluations);
        Assert.Equal(new Rosenbrock().Value(r.X), r.F);
        Assert.All(r.Trace!, e => Assert.True(r.F <= e.F));
    }

    [Fact]
    public void CallbackCanStopAndIsNotSuccess()
    {
        int calls = 0;
        var r = new GradientDescent().Minimize(new Rosenbrock(), [-1.2, 1], options: new MinimizeOptions
        {
            Callback = (in OptimizationProgress p) => ++calls == 3 ? CallbackAction.Stop : CallbackAction.Continue,
        });
        Assert.Equal(OptimizationStatus.StoppedByCallback, r.Status);
        Assert.Equal(3, r.Iterations);
    }

    [Fact]
    public void CancellationReturnsACancelledResult()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var r = new GradientDescent().Minimize(new Rosenbrock(), [-1.2, 1], cancellationToken: cts.Token);
        Assert.Equal(OptimizationStatus.Cancelled, r.Status);
    }

    [Fact]
    public void BadInputIsRejectedWithSpecificMessages()
    {
        var gd = new GradientDescent();
        var e1 = Assert.Throws<ArgumentException>(() => gd.Minimize(new Rosenbrock(), [1, 2, 3]));
        Assert.Contains("x0 has length 3", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => gd.Minimize(new Rosenbrock(), [double.NaN, 1]));
        Assert.Contains("x0[0]", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => new Bounds([1.0, 0], [0.0, 1]));
        Assert.Contains("inverted", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => gd.Minimize(new Rosenbrock(), [0, 0], new Bounds([0.0, 0], [1.0, 1])));
        Assert.Contains("does not handle bounds", e4.Message);
        var e5 = Assert.Throws<ArgumentException>(() => Minimizers.Create("gd").Minimize(new ValueOnly(2, x => x[0]), [0, 0]));
        Assert.Contains("needs an objective with value, gradient", e5.Message);
        var e6 = Assert.Throws<ArgumentException>(() => Minimizers.Create("no-such-method"));
        Assert.Contains("Known methods: gd", e6.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => gd.Minimize(new Rosenbrock(), [0, 0], options: new MinimizeOptions { GradientTolerance = -1 }));
    }

    private sealed class NanOutside(double radius) : IGradientObjective
    {
        public int Dimension => 1;
        public double Value(ReadOnlySpan<double> x) => Math.Abs(x[0]) > radius ? double.NaN : (x[0] - 0.5) * (x[0] - 0.5);
        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g) { g[0] = 2 * (x[0] - 0.5); return Value(x); }
    }

    [Fact]
    public void NonFiniteTrialPointsAreBacktrackedNotAccepted()
    {
        // From x0 = -0.9 the first trial step 1/|g0| = 1/2.8 is fine, but a longer first step lands where f is NaN.
        var r = new GradientDescent().Minimize(new NanOutside(1), [-0.99]);
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.Equal(0.5, r.X[0], 1e-8);
    }

    [Fact]
    public void NonFiniteAtTheStartIsReported()
    {
        var r = new GradientDescent().Minimize(new NanOutside(1), [2]);
        Assert.Equal(OptimizationStatus.NonFiniteObjective, r.Status);
        Assert.Contains("not finite at the start", r.Message);
    }

    private sealed class Throws : IGradientObjective
    {
        public int Calls;
        public int Dimension => 1;
        public double Value(ReadOnlySpan<double> x) => ++Calls > 5 ? throw new InvalidOperationException("boom") : x[0] * x[0];
        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g) { g[0] = 2 * x[0]; return Value(x); }
    }

    [Fact]
    public void AThrowingObjectiveKeepsTheBestPointInTheException()
    {
        var e = Assert.Throws<ObjectiveEvaluationException>(() => new GradientDescent().Minimize(new Throws(), [3]));
        Assert.IsType<InvalidOperationException>(e.InnerException);
        Assert.True(e.PartialResult.F < 9);
        Assert.Contains("boom", e.Message);
    }

    [Fact]
    public void GradientCheckerFindsAWrongComponent()
    {
        Assert.True(GradientChecker.Check(new Rosenbrock(), [-1.2, 1]).Passed);
        var bad = GradientChecker.Check(new WrongGradient(), [0.3, 0.7]);
        Assert.False(bad.Passed);
        Assert.Equal(1, bad.WorstComponent);
    }

    private sealed class WrongGradient : IGradientObjective
    {
        public int Dimension => 2;
        public double Value(ReadOnlySpan<double> x) => x[0] * x[0] + 3 * x[1] * x[1];
        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g) { g[0] = 2 * x[0]; g[1] = 3 * x[1]; return Value(x); }
    }
}
