using Xunit.Abstractions;

namespace Ordo.Optimization.Tests;

/// <summary>f(x) = x₁² − x₂² + x₂⁴/4: a strict saddle at the origin, minima f = −1 at (0, ±√2).</summary>
internal sealed class StrictSaddle : IObjective
{
    public int Dimension => 2;
    public double Value(ReadOnlySpan<double> x) => x[0] * x[0] - x[1] * x[1] + 0.25 * x[1] * x[1] * x[1] * x[1];
}

public class ZerothOrderTests(ITestOutputHelper output)
{
    private static double RosenbrockValue(double[] x) => 100 * Math.Pow(x[1] - x[0] * x[0], 2) + Math.Pow(1 - x[0], 2);

    [Fact]
    public void NelderMeadSolvesRosenbrock()
    {
        var r = new NelderMead().Minimize(new ValueOnly(2, RosenbrockValue), [-1.2, 1]);
        output.WriteLine(r.ToString());
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.Equal(ConvergenceTest.MethodSpecific, r.ConvergedBy);
        Assert.Contains("Simplex diameter", r.Message);
        Assert.Equal(1, r.X[0], 1e-6);
        Assert.Equal(1, r.X[1], 1e-6);
        Assert.True(r.F <= 1e-12, r.ToString());
        Assert.True(double.IsNaN(r.GradientNorm));
    }

    [Fact]
    public void NelderMeadHandlesOneDimension()
    {
        var r = new NelderMead().Minimize(new ValueOnly(1, x => x[0] - Math.Log(x[0])), [3]);
        output.WriteLine(r.ToString());
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.Equal(1, r.X[0], 1e-6);
        Assert.Equal(1, r.F, 1e-12);
    }

    [Fact]
    public void NelderMeadSolvesATenDimensionalQuadratic()
    {
        // f = Σ i·(xᵢ − 1)², minimum 0 at (1, …, 1), from the origin (the 0.00025 rule builds the first simplex).
        double F(double[] x) { double s = 0; for (int i = 0; i < 10; i++) s += (i + 1) * (x[i] - 1) * (x[i] - 1); return s; }
        var r = new NelderMead().Minimize(new ValueOnly(10, F), new double[10]);
        output.WriteLine(r.ToString());
        Assert.True(r.F <= 1e-10, r.ToString());
        for (int i = 0; i < 10; i++) Assert.Equal(1, r.X[i], 1e-4);
        Assert.True(r.FunctionEvaluations <= 20000, r.ToString());
    }

    [Fact]
    public void NelderMeadTreatsNaNAsInfinityAndProjectsOntoBounds()
    {
        // NaN for x < 0; minimum of (x−2)² + (y+1)² on [0, 1]×[−3, 3] is at (1, −1).
        var f = new ValueOnly(2, x => x[0] < 0 ? double.NaN : (x[0] - 2) * (x[0] - 2) + (x[1] + 1) * (x[1] + 1));
        var r = new NelderMead().Minimize(f, [0.5, 2], new Bounds([0.0, -3], [1.0, 3]));
        Assert.Equal(1, r.X[0], 1e-6);
        Assert.Equal(-1, r.X[1], 1e-6);
        var free = new NelderMead().Minimize(new ValueOnly(2, x => x[0] < 0 ? double.NaN : (x[0] - 0.1) * (x[0] - 0.1) + x[1] * x[1]), [0.05, 1]);
        Assert.True(free.Converged, free.ToString());
        Assert.Equal(0.1, free.X[0], 1e-6);
    }

    [Fact]
    public void NelderMeadRestartsAndThenStallsOnANoisyFunctionInsteadOfClaimingConvergence()
    {
        // ‖x‖² plus deterministic noise of size 1e-3: the simplex shrinks, but the value spread never falls to
        // 1e-12·max(1, |f|), so the method restarts MaxRestarts times and reports stalled, not converged.
        static double Noise(double x, double y)
        {
            double t = Math.Sin(12.9898 * x + 78.233 * y) * 43758.5453;
            return 1e-3 * (t - Math.Floor(t));
        }
        var f = new ValueOnly(2, x => x[0] * x[0] + x[1] * x[1] + Noise(x[0], x[1]));
        var r = new NelderMead { MaxRestarts = 3 }.Minimize(f, [1, 1], options: new MinimizeOptions { StallIterations = 100000 });
        output.WriteLine(r.ToString());
        Assert.Equal(OptimizationStatus.Stalled, r.Status);
        Assert.Contains("after 3 restart(s)", r.Message);
        Assert.True(Math.Abs(r.X[0]) < 0.1 && Math.Abs(r.X[1]) < 0.1, r.ToString());
    }

    [Fact]
    public void BrentBeatsGoldenSectionOnClosedFormMinima()
    {
        (Func<double, double> f, double a, double b, double xStar)[] cases =
        [
            (x => x - Math.Log(x), 0.1, 3, 1),
            (x => Math.Pow(x - 0.3, 2) + Math.Exp(x), -2, 2, 0.3 - LambertHalfExp()),
            (x => -Math.Sin(x), 0, 3, Math.PI / 2),
        ];
        foreach (var (f, a, b, xStar) in cases)
        {
            var brent = ScalarMinimization.Brent(f, a, b, 1e-10);
            var golden = ScalarMinimization.GoldenSection(f, a, b, 1e-10);
            Assert.True(brent.Converged && golden.Converged, brent.Message + " " + golden.Message);
            double tol = 2 * (1.5e-8 * Math.Abs(xStar) + 1e-10 / 3) + 1e-9;
            Assert.True(Math.Abs(brent.X - xStar) <= 10 * tol, $"{brent.X} vs {xStar}");
            Assert.True(Math.Abs(golden.X - xStar) <= 10 * tol, $"{golden.X} vs {xStar}");
            Assert.True(brent.Evaluations < golden.Evaluations, $"Brent {brent.Evaluations} vs golden {golden.Evaluations}");
            output.WriteLine($"x* = {xStar:R}: Brent {brent.Evaluations} evaluations (x = {brent.X:R}), golden {golden.Evaluations} (x = {golden.X:R})");
        }
        var r = ScalarMinimization.Brent(x => x - Math.Log(x), 0.1, 3, 1e-10);
        Assert.True(r.Evaluations <= 15, r.Message);
        var g = ScalarMinimization.GoldenSection(x => x - Math.Log(x), 0.1, 3, 1e-10);
        // Golden section shrinks the interval by 0.618 per evaluation: from 2.9 to ~2·tol = 3e-8 needs ~38 evaluations.
        Assert.InRange(g.Evaluations, 30, 45);
    }

    /// <summary>x* of (x−0.3)² + eˣ solves 2(x−0.3) + eˣ = 0; returns 0.3 − x* by Newton's method.</summary>
    private static double LambertHalfExp()
    {
        double x = 0;
        for (int i = 0; i < 50; i++) x -= (2 * (x - 0.3) + Math.Exp(x)) / (2 + Math.Exp(x));
        return 0.3 - x;
    }

    [Fact]
    public void BracketFindsAMinimumDownhill()
    {
        var br = ScalarMinimization.Bracket(x => (x - 7.3) * (x - 7.3), 0, 1);
        Assert.True(br.Found);
        Assert.True(br.A < br.B && br.B < br.C);
        Assert.True(br.FB <= br.FA && br.FB <= br.FC);
        Assert.True(br.A <= 7.3 && 7.3 <= br.C);
        var down = ScalarMinimization.Bracket(x => -x, 0, 1, 20);
        Assert.False(down.Found);
    }

    [Fact]
    public void OneDimensionalMinimizersWorkThroughTheRegistry()
    {
        var f = new ValueOnly(1, x => x[0] - Math.Log(x[0]));
        foreach (var name in new[] { "brent", "golden" })
        {
            var r = Minimizers.Create(name).Minimize(f, [0.5]);
            Assert.Equal(OptimizationStatus.Converged, r.Status);
            Assert.Equal(ConvergenceTest.MethodSpecific, r.ConvergedBy);
            Assert.Equal(1, r.X[0], 1e-7);
            var bounded = Minimizers.Create(name).Minimize(f, [0.5], new Bounds([2.0], [4.0]));
            Assert.Equal(2, bounded.X[0], 1e-7);
            Assert.True(bounded.InitialPointProjected);
        }
        var e = Assert.Throws<ArgumentException>(() => new BrentMinimizer().Minimize(new ValueOnly(2, x => x[0]), [0, 0]));
        Assert.Contains("one variable", e.Message);
        var unbounded = new BrentMinimizer().Minimize(new ValueOnly(1, x => -x[0]), [0]);
        Assert.Equal(OptimizationStatus.Stalled, unbounded.Status);
        Assert.Contains("Could not bracket", unbounded.Message);
    }

    [Fact]
    public void PerturbedTwoPointLeavesTheStrictSaddle()
    {
        // Seed #6: started exactly at the saddle (0, 0).
        var method = new TwoPointZerothOrder { StepSize = 0.05, SmoothingRadius = 1e-3, PerturbationRadius = 0.1, Seed = 6 };
        var r = method.Minimize(new StrictSaddle(), [0, 0], options: new MinimizeOptions { MaxIterations = 2000 });
        output.WriteLine(r.ToString());
        Assert.True(r.F <= -0.999, r.ToString());
        Assert.Equal(Math.Sqrt(2), Math.Abs(r.X[1]), 0.05);
        Assert.Equal(0, r.X[0], 0.05);
        Assert.False(r.Converged);
        Assert.Equal(1 + 2L * r.Iterations, r.FunctionEvaluations);
    }

    [Fact]
    public void UnperturbedTwoPointStaysAtTheSaddle()
    {
        // f is even, so f(μu) = f(−μu) bit for bit: the central estimate is exactly zero at the origin.
        var method = new TwoPointZerothOrder { StepSize = 0.05, SmoothingRadius = 1e-3, PerturbationRadius = 0, Seed = 6 };
        var r = method.Minimize(new StrictSaddle(), [0, 0], options: new MinimizeOptions { MaxIterations = 2000 });
        output.WriteLine(r.ToString());
        Assert.Equal(OptimizationStatus.Stalled, r.Status);
        Assert.True(Math.Abs(r.X[0]) <= 1e-3 && Math.Abs(r.X[1]) <= 1e-3, r.ToString());
        Assert.True(r.F >= -1.1e-6, r.ToString());
    }

    [Fact]
    public void TwoPointEvaluationsScaleWithDirections()
    {
        // Evaluations to reach f ≤ −0.99 from the saddle, m = 1, 2, 4 (2m per iteration), each over 5 seeds.
        var meanEvaluations = new Dictionary<int, double>();
        foreach (int m in new[] { 1, 2, 4 })
        {
            long evaluations = 0, iterations = 0;
            for (int seed = 0; seed < 5; seed++)
            {
                var method = new TwoPointZerothOrder { Directions = m, StepSize = 0.05, SmoothingRadius = 1e-3, PerturbationRadius = 0.1, Seed = seed };
                var r = method.Minimize(new StrictSaddle(), [0, 0], options: new MinimizeOptions
                {
                    MaxIterations = 5000,
                    Callback = (in OptimizationProgress p) => p.BestF <= -0.99 ? CallbackAction.Stop : CallbackAction.Continue,
                });
                Assert.Equal(OptimizationStatus.StoppedByCallback, r.Status);
                Assert.Equal(1 + 2L * m * r.Iterations, r.FunctionEvaluations);
                evaluations += r.FunctionEvaluations;
                iterations += r.Iterations;
            }
            meanEvaluations[m] = evaluations / 5.0;
            output.WriteLine($"m = {m}: mean iterations to f <= -0.99 = {iterations / 5.0}, mean evaluations = {evaluations / 5.0}");
            Assert.InRange(iterations / 5.0, 20, 400);
        }
        // More directions reduce the estimator's variance but hardly shorten the escape (driven by the perturbation
        // and the negative curvature), so two evaluations per iteration (m = 1) is the cheapest way out.
        Assert.True(meanEvaluations[1] < meanEvaluations[2] && meanEvaluations[2] < meanEvaluations[4],
            string.Join(", ", meanEvaluations.Select(kv => $"m={kv.Key}: {kv.Value}")));
    }

    [Fact]
    public void TwoPointIsReproducibleForAFixedSeed()
    {
        var m = new TwoPointZerothOrder { Seed = 42, StepSize = 0.05, SmoothingRadius = 1e-3, PerturbationRadius = 0.1 };
        var a = m.Minimize(new StrictSaddle(), [0.3, 0.2], options: new MinimizeOptions { MaxIterations = 100 });
        var b = m.Minimize(new StrictSaddle(), [0.3, 0.2], options: new MinimizeOptions { MaxIterations = 100 });
        Assert.Equal(a.X, b.X);
        Assert.Equal(a.F, b.F);
    }

    [Fact]
    public void RegistryHasTheZerothOrderMethods()
    {
        foreach (var name in new[] { "nelder-mead", "brent", "golden", "zo-two-point" })
        {
            var info = Minimizers.Find(name);
            Assert.Equal("zeroth-order", info.Family);
            Assert.Equal(ObjectiveCapabilities.Value, info.Requires);
            Assert.Equal(name, info.Create().Name);
            Assert.Equal(info.SupportsBounds, info.Create().SupportsBounds);
        }
    }
}
