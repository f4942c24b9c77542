using Xunit.Abstractions;
namespace Ordo.Optimization.Tests;

public class LbfgsbTests(ITestOutputHelper output)
{
    /// <summary>f = ½xᵀAx − bᵀx with A tridiagonal (4 on the diagonal, −1 beside it), SPD.</summary>
    private sealed class TridiagonalQuadratic(double[] b) : IGradientObjective
    {
        public int Dimension => b.Length;

        public double Value(ReadOnlySpan<double> x)
        {
            Span<double> g = stackalloc double[x.Length];
            return ValueAndGradient(x, g);
        }

        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
        {
            double f = 0;
            for (int i = 0; i < x.Length; i++)
            {
                double ax = 4 * x[i];
                if (i > 0) ax -= x[i - 1];
                if (i + 1 < x.Length) ax -= x[i + 1];
                g[i] = ax - b[i];
                f += 0.5 * x[i] * ax - b[i] * x[i];
            }
            return f;
        }

        public static double[] Times(double[] x)
        {
            var y = new double[x.Length];
            for (int i = 0; i < x.Length; i++)
                y[i] = 4 * x[i] - (i > 0 ? x[i - 1] : 0) - (i + 1 < x.Length ? x[i + 1] : 0);
            return y;
        }
    }

    [Fact]
    public void ConvexQuadraticWithActiveBoundsMeetsTheKktConditions()
    {
        // Construct the solution first: x* with variables 0 and 3 at their lower bound (multiplier +), 5 at its upper
        // bound (multiplier −), the rest free; b = A x* − λ makes x* the unique KKT point of the strictly convex problem.
        double[] lower = [0, -1, -1, 0.5, -1, -1];
        double[] upper = [1, 1, 1, 2, 1, 0.25];
        double[] xStar = [0, 0.3, -0.2, 0.5, 0.6, 0.25];
        double[] lambda = [1.5, 0, 0, 2, 0, -0.75];
        var ax = TridiagonalQuadratic.Times(xStar);
        var b = new double[6];
        for (int i = 0; i < 6; i++) b[i] = ax[i] - lambda[i];
        var q = new TridiagonalQuadratic(b);

        var r = new Lbfgsb().Minimize(q, [0.9, 0.9, 0.9, 1.9, -0.9, -0.9], new Bounds(lower, upper));
        output.WriteLine($"tridiagonal quadratic with 3 active bounds: {r}");

        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.Equal(ConvergenceTest.Gradient, r.ConvergedBy);
        for (int i = 0; i < 6; i++) Assert.True(Math.Abs(r.X[i] - xStar[i]) < 1e-7, $"x[{i}] = {r.X[i]}, expected {xStar[i]}. {r}");
        // The active set exactly: bound variables sit on their bounds, free ones strictly inside.
        Assert.Equal(lower[0], r.X[0]);
        Assert.Equal(lower[3], r.X[3]);
        Assert.Equal(upper[5], r.X[5]);
        foreach (int i in new[] { 1, 2, 4 }) Assert.True(lower[i] < r.X[i] && r.X[i] < upper[i]);
        var g = new double[6];
        q.ValueAndGradient(r.X, g);
        Assert.True(new Bounds(lower, upper).ProjectedGradientNorm(r.X, g) < 1e-7);
        for (int i = 0; i < 6; i++) Assert.True(Math.Abs(g[i] - lambda[i]) < 1e-6, $"multiplier {i}: {g[i]} vs {lambda[i]}");
    }

    [Fact]
    public void BoundedRosenbrockStopsAtTheKktPointOnTheUpperBound()
    {
        // On x₁ ∈ [−2, 0.5], x₂ ∈ [−1, 2]: for fixed x₁ the best x₂ is x₁², and (1 − x₁)² decreases up to the bound, so
        // x* = (0.5, 0.25), f* = 0.25; there ∂f/∂x₁ = −1 < 0 (pushing against the upper bound) and ∂f/∂x₂ = 0.
        var bounds = new Bounds([-2.0, -1], [0.5, 2]);
        var r = new Lbfgsb().Minimize(new Rosenbrock(), [-1.2, 1], bounds);
        output.WriteLine($"bounded Rosenbrock: {r}");
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.Equal(0.5, r.X[0]);
        Assert.True(Math.Abs(r.X[1] - 0.25) < 1e-8, r.ToString());
        Assert.True(Math.Abs(r.F - 0.25) < 1e-12, r.ToString());
        Assert.True(r.GradientNorm < 1e-8, r.ToString());
    }

    [Fact]
    public void StartOutsideTheBoxIsProjectedAndSaidSo()
    {
        var bounds = new Bounds([-2.0, -1], [0.5, 2]);
        var r = new Lbfgsb().Minimize(new Rosenbrock(), [3, -5], bounds);
        Assert.True(r.InitialPointProjected);
        Assert.Contains("projected", r.Message);
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.True(Math.Abs(r.F - 0.25) < 1e-12, r.ToString());
    }

    [Fact]
    public void WithoutBoundsItIsLbfgsOnRosenbrock()
    {
        var r = new Lbfgsb().Minimize(new Rosenbrock(), [-1.2, 1]);
        output.WriteLine($"Rosenbrock without bounds: {r}");
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.True(r.F < 1e-10, r.ToString());
        Assert.False(r.InitialPointProjected);
        // Infinite bounds on both sides are the same problem, and the same iterates.
        var inf = new Bounds([double.NegativeInfinity, double.NegativeInfinity], [double.PositiveInfinity, double.PositiveInfinity]);
        var r2 = new Lbfgsb().Minimize(new Rosenbrock(), [-1.2, 1], inf);
        Assert.Equal(r.F, r2.F);
        Assert.Equal(r.Iterations, r2.Iterations);
        // Superlinear in practice: far fewer iterations than gradient descent's thousands.
        Assert.True(r.Iterations < 60, r.ToString());
    }

    /// <summary>Residual problems of Moré, Garbow &amp; Hillstrom (ACM TOMS 7, 1981), f = Σ rᵢ².</summary>
    private abstract class ResidualProblem(int n, int m) : ILeastSquaresObjective
    {
        public int Dimension => n;
        public int ResidualCount => m;
        public double Value(ReadOnlySpan<double> x)
        {
            Span<double> r = stackalloc double[m];
            Residuals(x, r);
            double f = 0;
            foreach (double v in r) f += v * v;
            return f;
        }
        public abstract void Residuals(ReadOnlySpan<double> x, Span<double> r);
        public abstract void Jacobian(ReadOnlySpan<double> x, Span<double> j);
    }

    /// <summary>MGH 5, Beale: rᵢ = yᵢ − x₁(1 − x₂ⁱ), y = (1.5, 2.25, 2.625).</summary>
    private sealed class Beale() : ResidualProblem(2, 3)
    {
        private static readonly double[] s_y = [1.5, 2.25, 2.625];
        public override void Residuals(ReadOnlySpan<double> x, Span<double> r)
        {
            for (int i = 0; i < 3; i++) r[i] = s_y[i] - x[0] * (1 - Math.Pow(x[1], i + 1));
        }
        public override void Jacobian(ReadOnlySpan<double> x, Span<double> j)
        {
            for (int i = 0; i < 3; i++)
            {
                j[2 * i] = -(1 - Math.Pow(x[1], i + 1));
                j[2 * i + 1] = x[0] * (i + 1) * Math.Pow(x[1], i);
            }
        }
    }

    /// <summary>MGH 7, helical valley: r = (10(x₃ − 10θ), 10(√(x₁² + x₂²) − 1), x₃), 2πθ = arctan(x₂/x₁) (+π for x₁ &lt; 0).</summary>
    private sealed class HelicalValley() : ResidualProblem(3, 3)
    {
        public override void Residuals(ReadOnlySpan<double> x, Span<double> r)
        {
            double theta = x[0] > 0 ? Math.Atan(x[1] / x[0]) / (2 * Math.PI)
                : x[0] < 0 ? Math.Atan(x[1] / x[0]) / (2 * Math.PI) + 0.5
                : 0.25 * Math.Sign(x[1]);
            r[0] = 10 * (x[2] - 10 * theta);
            r[1] = 10 * (Math.Sqrt(x[0] * x[0] + x[1] * x[1]) - 1);
            r[2] = x[2];
        }
        public override void Jacobian(ReadOnlySpan<double> x, Span<double> j)
        {
            double rr = x[0] * x[0] + x[1] * x[1], rad = Math.Sqrt(rr);
            j[0] = 100 * x[1] / (2 * Math.PI * rr);
            j[1] = -100 * x[0] / (2 * Math.PI * rr);
            j[2] = 10;
            j[3] = 10 * x[0] / rad;
            j[4] = 10 * x[1] / rad;
            j[5] = 0;
            j[6] = 0;
            j[7] = 0;
            j[8] = 1;
        }
    }

    /// <summary>MGH 14, Wood.</summary>
    private sealed class Wood() : ResidualProblem(4, 6)
    {
        private static readonly double s_r90 = Math.Sqrt(90), s_r10 = Math.Sqrt(10);
        public override void Residuals(ReadOnlySpan<double> x, Span<double> r)
        {
            r[0] = 10 * (x[1] - x[0] * x[0]);
            r[1] = 1 - x[0];
            r[2] = s_r90 * (x[3] - x[2] * x[2]);
            r[3] = 1 - x[2];
            r[4] = s_r10 * (x[1] + x[3] - 2);
            r[5] = (x[1] - x[3]) / s_r10;
        }
        public override void Jacobian(ReadOnlySpan<double> x, Span<double> j)
        {
            j.Clear();
            j[0] = -20 * x[0]; j[1] = 10;
            j[4] = -1;
            j[8 + 2] = -2 * s_r90 * x[2]; j[8 + 3] = s_r90;
            j[12 + 2] = -1;
            j[16 + 1] = s_r10; j[16 + 3] = s_r10;
            j[20 + 1] = 1 / s_r10; j[20 + 3] = -1 / s_r10;
        }
    }

    public static TheoryData<string, double[], double[], double[], double, double[]> BoundedMgh => new()
    {
        // name, x0, lower, upper, published f*, x* (mgh.json "bounded_variant"; Gay's bounded MGH variants)
        { "beale", [1, 1], [0.6, 0.5], [10, 100], 0, [3, 0.5] },
        { "helical-valley", [-1, 0, 0], [-100, -1, -1], [0.8, 1, 1], 0.99042212, [0.8, 0.5619366473, 0.9649340775] },
        { "wood", [-3, -1, -3, -1], [-100, -100, -100, -100], [0, 10, 100, 100], 1.5567008, [0, 0.005338856859, 1.399728876, 1.960827461] },
    };

    [Theory]
    [MemberData(nameof(BoundedMgh))]
    public void BoundedMghVariantsReachThePublishedOptimum(string name, double[] x0, double[] lower, double[] upper, double fStar, double[] xStar)
    {
        ILeastSquaresObjective p = name switch
        {
            "beale" => new Beale(),
            "helical-valley" => new HelicalValley(),
            _ => new Wood(),
        };
        // ‖P(x − g) − x‖∞ cannot be driven much below √(ε·|f|·‖∇²f‖) by a value-based line search (helical valley:
        // f ≈ 1, curvature ~1e4, so ~1e-6); ask for 1e-6 relative to the start and check the optimum itself.
        var options = new MinimizeOptions { GradientTolerance = 1e-6 };
        var r = new Lbfgsb().Minimize(p.AsGradientObjective(), x0, new Bounds(lower, upper), options);
        output.WriteLine($"{name} (bounded): {r}");
        Assert.True(r.Converged, r.ToString());
        // The published optima carry 8 significant digits.
        Assert.True(Math.Abs(r.F - fStar) <= 1e-7 * Math.Max(1, fStar) + 1e-12, $"{name}: f = {r.F:R}, published {fStar}. {r}");
        for (int i = 0; i < xStar.Length; i++)
            Assert.True(Math.Abs(r.X[i] - xStar[i]) < 1e-5, $"{name}: x[{i}] = {r.X[i]:R}, published {xStar[i]}. {r}");
        Assert.True(new Bounds(lower, upper).Contains(r.X));
    }

    [Fact]
    public void InconsistentGradientIsALineSearchFailureNotConvergence()
    {
        var r = new Lbfgsb().Minimize(new WrongGradient(), [1, 1], new Bounds([-5.0, -5], [5.0, 5]));
        Assert.Equal(OptimizationStatus.LineSearchFailed, r.Status);
        Assert.False(r.Converged);
        Assert.Contains("line search failed", r.Message);
    }

    /// <summary>f = x₁² + x₂² with the gradient's sign flipped: every "descent" direction goes uphill.</summary>
    private sealed class WrongGradient : IGradientObjective
    {
        public int Dimension => 2;
        public double Value(ReadOnlySpan<double> x) => x[0] * x[0] + x[1] * x[1];
        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
        {
            g[0] = -2 * x[0];
            g[1] = -2 * x[1];
            return Value(x);
        }
    }

    [Fact]
    public void NonFiniteTrialValuesAreSteppedBackFrom()
    {
        // f = −log(x) + x has its minimum at x = 1; f is NaN for x < 0 and the box allows x up to 10 from the left.
        var r = new Lbfgsb().Minimize(new LogBarrier(), [0.05], new Bounds([-10.0], [10.0]));
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.True(Math.Abs(r.X[0] - 1) < 1e-6, r.ToString());
    }

    private sealed class LogBarrier : IGradientObjective
    {
        public int Dimension => 1;
        public double Value(ReadOnlySpan<double> x) => x[0] > 0 ? -Math.Log(x[0]) + x[0] : double.NaN;
        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
        {
            g[0] = -1 / x[0] + 1;
            return Value(x);
        }
    }

    /// <summary>½ Σ dᵢ(xᵢ − cᵢ)², dᵢ spread over six decades, cᵢ alternating outside and inside [−1, 1].</summary>
    private sealed class IllConditionedBoxQuadratic : IGradientObjective
    {
        private readonly double[] _d, _c;
        public IllConditionedBoxQuadratic(int n)
        {
            _d = new double[n];
            _c = new double[n];
            for (int i = 0; i < n; i++)
            {
                _d[i] = Math.Pow(10, 6.0 * i / (n - 1));
                _c[i] = i % 3 == 0 ? 2 : 0.5 * Math.Cos(i);
            }
        }
        public int Dimension => _d.Length;
        public double Value(ReadOnlySpan<double> x)
        {
            double f = 0;
            for (int i = 0; i < x.Length; i++) f += 0.5 * _d[i] * (x[i] - _c[i]) * (x[i] - _c[i]);
            return f;
        }
        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
        {
            for (int i = 0; i < x.Length; i++) g[i] = _d[i] * (x[i] - _c[i]);
            return Value(x);
        }
    }

    [Fact]
    public void IterationsAllocateNothing()
    {
        const int n = 1000;
        var q = new IllConditionedBoxQuadratic(n);
        var lower = Enumerable.Repeat(-1.0, n).ToArray();
        var upper = Enumerable.Repeat(1.0, n).ToArray();
        var bounds = new Bounds(lower, upper);
        var x0 = Enumerable.Range(0, n).Select(i => -0.9 + 1.8 * i / n).ToArray();
        var method = new Lbfgsb();
        long Allocated(int iterations)
        {
            var options = new MinimizeOptions { MaxIterations = iterations, GradientTolerance = 0, StallIterations = 10000 };
            long before = GC.GetAllocatedBytesForCurrentThread();
            var r = method.Minimize(q, x0, bounds, options);
            long after = GC.GetAllocatedBytesForCurrentThread();
            Assert.Equal(OptimizationStatus.MaxIterations, r.Status);
            Assert.Equal(iterations, r.Iterations);
            return after - before;
        }
        Allocated(10); // JIT warm-up
        long a10 = Allocated(10), a200 = Allocated(200);
        // 190 more iterations; any per-iteration object (≥ 24 bytes) would add ≥ 4560 bytes. The slack covers the
        // length of the numbers in the result's message.
        output.WriteLine($"n = {n}: 10 iterations allocate {a10} bytes, 200 iterations {a200} bytes.");
        Assert.True(Math.Abs(a200 - a10) < 1024, $"10 iterations: {a10} bytes, 200 iterations: {a200} bytes.");
    }

    [Fact]
    public void RegisteredAsLbfgsbWithBounds()
    {
        var info = Minimizers.Find("lbfgsb");
        Assert.True(info.SupportsBounds);
        var m = info.Create();
        Assert.IsType<Lbfgsb>(m);
        Assert.True(m.SupportsBounds);
        var r = m.Minimize(new Rosenbrock(), [-1.2, 1], new Bounds([-2.0, -1], [0.5, 2]));
        Assert.Equal("lbfgsb", r.Method);
        Assert.True(Math.Abs(r.F - 0.25) < 1e-12, r.ToString());
    }

    [Fact]
    public void MemoryMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Lbfgsb { Memory = 0 }.Minimize(new Rosenbrock(), [0, 0]));
    }
}
