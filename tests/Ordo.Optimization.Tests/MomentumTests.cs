using Xunit.Abstractions;

namespace Ordo.Optimization.Tests;

/// <summary>nesterov, polyak-momentum and adagrad-norm: the seed claims on small synthetic problems (fixed seeds) and
/// the honest-result rules.</summary>
public class MomentumTests(ITestOutputHelper output)
{
    private static double[] LogSpectrum(int n, double kappa)
    {
        var d = new double[n];
        for (int i = 0; i < n; i++) d[i] = Math.Pow(kappa, i / (double)(n - 1));
        return d;
    }

    private static double[] Ones(int n) => Enumerable.Repeat(1.0, n).ToArray();

    /// <summary>Iterations of a method until f ≤ target (seen by the callback), or −1 within the limit.</summary>
    private static int IterationsTo(IMinimizer method, IObjective f, double[] x0, double target, int maxIterations)
    {
        int hit = -1;
        method.Minimize(f, x0, options: new MinimizeOptions
        {
            GradientTolerance = 0,
            MaxIterations = maxIterations,
            StallIterations = int.MaxValue,
            Callback = (in OptimizationProgress p) =>
            {
                if (p.F <= target) { hit = p.Iteration; return CallbackAction.Stop; }
                return CallbackAction.Continue;
            },
        });
        return hit;
    }

    /// <summary>The baseline: fixed-step heavy ball x_{k+1} = x_k − α∇f(x_k) + β(x_k − x_{k−1}); iterations until
    /// f ≤ target, or −1.</summary>
    private static int HeavyBallIterations(IGradientObjective q, double[] x0, double alpha, double beta, double target, int maxIterations)
    {
        int n = x0.Length;
        var x = (double[])x0.Clone();
        var previous = (double[])x0.Clone();
        var g = new double[n];
        for (int k = 1; k <= maxIterations; k++)
        {
            q.ValueAndGradient(x, g);
            for (int i = 0; i < n; i++)
            {
                double xi = x[i];
                x[i] = xi - alpha * g[i] + beta * (xi - previous[i]);
                previous[i] = xi;
            }
            double f = q.Value(x);
            if (!double.IsFinite(f)) return -1;
            if (f <= target) return k;
        }
        return -1;
    }

    private static double Spread(int[] iterations) => iterations.Max() / (double)iterations.Min();

    [Fact]
    public void PolyakMomentumReachesTheTargetForEveryMomentumWhileFixedStepHeavyBallSlows()
    {
        // Seed #58: f = ½ Σ dᵢxᵢ², d log-spaced in [1, 1e3] (κ = 1e3, L = 1e3), f* = 0, x0 = 1, target f ≤ 1e-8.
        var q = new DiagonalQuadratic(LogSpectrum(20, 1e3));
        var x0 = Ones(20);
        double[] betas = [0.5, 0.9, 0.99];
        var heavyBall = betas.Select(b => HeavyBallIterations(q, x0, 1 / 1e3, b, 1e-8, 100000)).ToArray();
        var polyak = betas.Select(b => IterationsTo(new PolyakMomentum { Momentum = b, OptimalValue = 0 }, q, x0, 1e-8, 100000)).ToArray();
        var seedForm = betas.Select(b => IterationsTo(new PolyakMomentum { Momentum = b, OptimalValue = 0, Form = PolyakMomentumForm.HeavyBall }, q, x0, 1e-8, 100000)).ToArray();
        var averaged = betas.Select(b => IterationsTo(new PolyakMomentum { Momentum = b, OptimalValue = 0, Form = PolyakMomentumForm.MovingAverage }, q, x0, 1e-8, 100000)).ToArray();
        output.WriteLine($"β = {string.Join(", ", betas)}");
        output.WriteLine($"fixed-step heavy ball (α = 1/L): {string.Join(", ", heavyBall)} iterations, spread max/min {Spread(heavyBall):F2}");
        output.WriteLine($"polyak-momentum (iterate-average form, default): {string.Join(", ", polyak)}, spread {Spread(polyak):F2}");
        output.WriteLine($"polyak-momentum (heavy-ball form): {string.Join(", ", seedForm)}, spread {Spread(seedForm):F2}");
        output.WriteLine($"polyak-momentum (moving-average form): {string.Join(", ", averaged)}, spread {Spread(averaged):F2}");

        Assert.All(polyak, k => Assert.True(k > 0));
        Assert.All(seedForm, k => Assert.True(k > 0));
        Assert.All(averaged, k => Assert.True(k > 0));
        Assert.All(heavyBall, k => Assert.True(k > 0));
        // The fixed step slows badly for some β (β = 0.5: about 5.5 times its best).
        Assert.True(Spread(heavyBall) > 4, $"heavy-ball spread {Spread(heavyBall):F2}");
        // The Polyak step is faster than the fixed step for β = 0.5 and 0.9 (at β = 0.99 both are limited by the
        // momentum's own rate √β and take about as long).
        Assert.True(polyak[0] < heavyBall[0] / 2 && polyak[1] < heavyBall[1] / 2, string.Join(", ", polyak));
        Assert.True(polyak[2] < 1.5 * heavyBall[2], string.Join(", ", polyak));
    }

    [Fact]
    public void PolyakMomentumFormsWithKnownAndEstimatedOptimalValue()
    {
        // Iterations to f ≤ 1e-8 (limit 50000) for each form, with f* = 0 given and with f* estimated, on the 2-D
        // quadratic diag(1, 1e3) and on the 20-D log-spaced one (κ = 1e3). −1: not reached.
        var problems = new (string Name, double[] D)[] { ("diag(1, 1e3)", [1, 1e3]), ("log-spaced n = 20", LogSpectrum(20, 1e3)) };
        PolyakMomentumForm[] forms = [PolyakMomentumForm.IterateAverage, PolyakMomentumForm.HeavyBall, PolyakMomentumForm.MovingAverage];
        foreach (var (name, d) in problems)
        {
            var q = new DiagonalQuadratic(d);
            var x0 = Ones(d.Length);
            foreach (double beta in new[] { 0.5, 0.9, 0.99 })
            {
                var known = forms.Select(f => IterationsTo(new PolyakMomentum { Momentum = beta, OptimalValue = 0, Form = f }, q, x0, 1e-8, 50000)).ToArray();
                var estimated = forms.Select(f => IterationsTo(new PolyakMomentum { Momentum = beta, Form = f }, q, x0, 1e-8, 50000)).ToArray();
                output.WriteLine($"{name}, β = {beta}: f* given {string.Join(" / ", known)}; f* estimated {string.Join(" / ", estimated)} (IterateAverage / HeavyBall / MovingAverage)");
                // The default form and the moving-average form reach the target in every case.
                Assert.True(known[0] > 0 && known[2] > 0 && estimated[0] > 0 && estimated[2] > 0, $"{name}, β = {beta}");
            }
        }
    }

    /// <summary>f = ½‖Ax − b‖² with a seeded A (m × n, entries uniform in ±1/√m) and b = A·x*, so f* = 0.</summary>
    private sealed class LeastSquaresProblem : IGradientObjective
    {
        private readonly double[,] _a;
        private readonly double[] _b;
        private readonly double[] _r;

        public LeastSquaresProblem(int m, int n, int seed)
        {
            var rng = new Random(seed);
            _a = new double[m, n];
            double scale = 1 / Math.Sqrt(m);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) _a[i, j] = scale * (rng.NextDouble() * 2 - 1);
            Solution = new double[n];
            for (int j = 0; j < n; j++) Solution[j] = 0.01 * (j + 1);
            _b = new double[m];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) _b[i] += _a[i, j] * Solution[j];
            _r = new double[m];
        }

        public double[] Solution { get; }
        public int Dimension => Solution.Length;

        public double Value(ReadOnlySpan<double> x)
        {
            double f = 0;
            for (int i = 0; i < _b.Length; i++)
            {
                double r = -_b[i];
                for (int j = 0; j < x.Length; j++) r += _a[i, j] * x[j];
                _r[i] = r;
                f += 0.5 * r * r;
            }
            return f;
        }

        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            double f = Value(x);
            gradient.Clear();
            for (int i = 0; i < _b.Length; i++)
                for (int j = 0; j < x.Length; j++) gradient[j] += _a[i, j] * _r[i];
            return f;
        }
    }

    /// <summary>Gradient descent with the fixed step η: true when f fell below target, false on divergence.</summary>
    private static bool FixedStepConverges(IGradientObjective f, double[] x0, double eta, double target, int maxIterations)
    {
        var x = (double[])x0.Clone();
        var g = new double[x.Length];
        for (int k = 0; k < maxIterations; k++)
        {
            double v = f.ValueAndGradient(x, g);
            if (!double.IsFinite(v) || v > 1e100) return false;
            if (v <= target) return true;
            for (int i = 0; i < x.Length; i++) x[i] -= eta * g[i];
        }
        return false;
    }

    [Fact]
    public void AdaGradNormConvergesForEveryStepScaleWhileFixedStepDescentDiverges()
    {
        // Seed #73, deterministic: m = 40, n = 5, x* = 0.01·(1, …, 5), f* = 0, target f ≤ 1e-6·f(x0).
        var ls = new LeastSquaresProblem(40, 5, seed: 73);
        var x0 = new double[5];
        double target = 1e-6 * ls.Value(x0);
        foreach (double eta in new[] { 1e-3, 1, 1e3 })
        {
            int k = IterationsTo(new AdaGradNorm { LearningRate = eta }, ls, x0, target, 100000);
            bool gd = FixedStepConverges(ls, x0, eta, target, 100000);
            output.WriteLine($"η = {eta:G}: adagrad-norm {k} iterations; fixed-step gradient descent {(gd ? "converges" : "diverges")}");
            Assert.True(k > 0, $"adagrad-norm with η = {eta} did not reach the target");
            if (eta >= 1e3) Assert.False(gd, $"fixed step {eta} should diverge (2/L is smaller)");
            if (eta <= 1e-3) Assert.True(gd, $"fixed step {eta} should converge (it is below 2/L)");
        }
    }

    /// <summary>Adds seeded Gaussian noise with affine variance σ² + c‖∇f‖² to each gradient component.</summary>
    private sealed class NoisyGradient(IGradientObjective inner, double sigma, double c, int seed) : IGradientObjective
    {
        private readonly Random _rng = new(seed);
        public int Dimension => inner.Dimension;
        public double Value(ReadOnlySpan<double> x) => inner.Value(x);
        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            double f = inner.ValueAndGradient(x, gradient);
            double g2 = 0;
            foreach (double gi in gradient) g2 += gi * gi;
            double sd = Math.Sqrt((sigma * sigma + c * g2) / gradient.Length);
            for (int i = 0; i < gradient.Length; i++)
            {
                // Box–Muller.
                double u1 = 1 - _rng.NextDouble(), u2 = _rng.NextDouble();
                gradient[i] += sd * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            }
            return f;
        }
    }

    [Fact]
    public void AdaGradNormWithNoisyGradientsStaysStableForEveryStepScale()
    {
        var ls = new LeastSquaresProblem(40, 5, seed: 73);
        var x0 = new double[5];
        double f0 = ls.Value(x0);
        foreach (double eta in new[] { 1e-3, 1, 1e3 })
        {
            // Affine-variance noise: σ = 1e-3 (about 5% of ‖∇f(x0)‖) plus c = 0.5 relative to ‖∇f‖².
            var noisy = new NoisyGradient(ls, sigma: 1e-3, c: 0.5, seed: 7);
            var r = new AdaGradNorm { LearningRate = eta }.Minimize(noisy, x0, options: new MinimizeOptions { MaxIterations = 5000, GradientTolerance = 0, StallIterations = int.MaxValue });
            // The value at the final iterate (noise-free f), relative to f(x0).
            double last = ls.Value(r.X);
            output.WriteLine($"noisy, η = {eta:G}: f/f(x0) at the best point after {r.Iterations} iterations = {last / f0:G3}; fixed-step SGD {(FixedStepConverges(new NoisyGradient(ls, 1e-3, 0.5, 7), x0, eta, 1e-2 * f0, 5000) ? "reaches 1e-2·f(x0)" : "does not reach 1e-2·f(x0)")}");
            Assert.True(last <= 1e-2 * f0, $"η = {eta}: f/f0 = {last / f0:G3}");
        }
    }

    [Fact]
    public void NesterovBeatsGradientDescentBySquareRootOfConditionNumber()
    {
        // Seed claim of acceleration: iterations to ‖g‖∞ ≤ 1e-8‖g0‖∞ on ½ Σ dᵢxᵢ², d log-spaced in [1, κ].
        var x0 = Ones(20);
        var ratios = new List<double>();
        foreach (double kappa in new[] { 1e2, 1e4 })
        {
            var q = new DiagonalQuadratic(LogSpectrum(20, kappa));
            var rn = new Nesterov().Minimize(q, x0);
            var rg = new GradientDescent().Minimize(q, x0, options: new MinimizeOptions { MaxIterations = 200000 });
            Assert.Equal(OptimizationStatus.Converged, rn.Status);
            Assert.Equal(OptimizationStatus.Converged, rg.Status);
            double ratio = rg.Iterations / (double)rn.Iterations;
            ratios.Add(ratio);
            output.WriteLine($"κ = {kappa:G}: nesterov {rn.Iterations} iterations ({rn.FunctionEvaluations} f, {rn.GradientEvaluations} g), gd {rg.Iterations} iterations ({rg.FunctionEvaluations} f); ratio {ratio:F2}");
        }
        double growth = ratios[1] / ratios[0];
        output.WriteLine($"ratio growth from κ = 1e2 to 1e4: {growth:F2} (√(κ₂/κ₁) = 10)");
        Assert.InRange(growth, 5, 20);
    }

    [Fact]
    public void NesterovSolvesRosenbrockAndReportsHonestly()
    {
        var r = new Nesterov().Minimize(new Rosenbrock(), [-1.2, 1], options: new MinimizeOptions { MaxIterations = 20000 });
        output.WriteLine(r.ToString());
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.Equal(1, r.X[0], 1e-5);
        Assert.Equal(1, r.X[1], 1e-5);
        Assert.True(r.GradientNorm <= 1e-8 * 232, r.ToString());
    }

    [Fact]
    public void PolyakMomentumWithoutTheOptimalValueUsesTheLevelEstimate()
    {
        // f* = 0 unknown to the method; a well-conditioned quadratic (κ = 10).
        var q = new DiagonalQuadratic(LogSpectrum(10, 10));
        var r = new PolyakMomentum { Momentum = 0.5 }.Minimize(q, Ones(10), options: new MinimizeOptions { MaxIterations = 20000 });
        output.WriteLine(r.ToString());
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.True(r.F < 1e-12, r.ToString());
    }

    [Fact]
    public void AWrongOptimalValueIsReportedNotHidden()
    {
        // f = ½ Σ dᵢxᵢ² + 5 has minimum 5; claiming f* = 6 makes the Polyak gap vanish above the minimum.
        var q = new Shifted(new DiagonalQuadratic([1, 4]), 5);
        var r = new PolyakMomentum { OptimalValue = 6, Momentum = 0.5 }.Minimize(q, [3, 3]);
        Assert.Equal(OptimizationStatus.Stalled, r.Status);
        Assert.Contains("OptimalValue is not the minimum", r.Message);
    }

    private sealed class Shifted(IGradientObjective inner, double shift) : IGradientObjective
    {
        public int Dimension => inner.Dimension;
        public double Value(ReadOnlySpan<double> x) => inner.Value(x) + shift;
        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g) => inner.ValueAndGradient(x, g) + shift;
    }

    private sealed class NanOutside(double radius) : IGradientObjective
    {
        public int Dimension => 1;
        public double Value(ReadOnlySpan<double> x) => Math.Abs(x[0]) > radius ? double.NaN : (x[0] - 0.5) * (x[0] - 0.5);
        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g) { g[0] = 2 * (x[0] - 0.5); return Value(x); }
    }

    [Theory]
    [InlineData("nesterov")]
    [InlineData("polyak-momentum")]
    [InlineData("adagrad-norm")]
    public void NonFiniteTrialPointsAreNeverAccepted(string name)
    {
        IMinimizer method = name switch
        {
            "adagrad-norm" => new AdaGradNorm { LearningRate = 100 },
            "polyak-momentum" => new PolyakMomentum { OptimalValue = 0, MaxStep = 100 },
            _ => new Nesterov { InitialLipschitz = 1e-3 },
        };
        var r = method.Minimize(new NanOutside(1), [-0.99], options: new MinimizeOptions { KeepTrace = true, MaxIterations = 5000 });
        output.WriteLine(r.ToString());
        Assert.All(r.Trace!, e => Assert.True(double.IsFinite(e.F)));
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.Equal(0.5, r.X[0], 1e-6);
    }

    [Fact]
    public void TheRegistryHasTheThreeMethods()
    {
        foreach (string name in new[] { "nesterov", "polyak-momentum", "adagrad-norm" })
        {
            var info = Minimizers.Find(name);
            Assert.Equal("first-order", info.Family);
            Assert.Equal(ObjectiveCapabilities.Value | ObjectiveCapabilities.Gradient, info.Requires);
            var m = info.Create();
            Assert.Equal(name, m.Name);
            Assert.Equal(info.Requires, m.Requires);
            var e = Assert.Throws<ArgumentException>(() => m.Minimize(new ValueOnly(2, x => x[0]), [0, 0]));
            Assert.Contains("gradient", e.Message);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => new PolyakMomentum { Momentum = 1 }.Minimize(new Rosenbrock(), [0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AdaGradNorm { LearningRate = 0 }.Minimize(new Rosenbrock(), [0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Nesterov { LipschitzIncrease = 1 }.Minimize(new Rosenbrock(), [0, 0]));
    }

    [Theory]
    [InlineData("nesterov")]
    [InlineData("polyak-momentum")]
    [InlineData("adagrad-norm")]
    public void IterationsAllocateNothing(string name)
    {
        var q = new DiagonalQuadratic(LogSpectrum(8, 1e6));
        IMinimizer method = name == "polyak-momentum" ? new PolyakMomentum { OptimalValue = 0 } : Minimizers.Create(name);
        var options10 = new MinimizeOptions { MaxIterations = 10, GradientTolerance = 0, StallIterations = int.MaxValue };
        var options1000 = options10 with { MaxIterations = 1010 };
        method.Minimize(q, Ones(8), options: options1000);
        long a = GC.GetAllocatedBytesForCurrentThread();
        method.Minimize(q, Ones(8), options: options10);
        long b = GC.GetAllocatedBytesForCurrentThread();
        method.Minimize(q, Ones(8), options: options1000);
        long c = GC.GetAllocatedBytesForCurrentThread();
        output.WriteLine($"{name}: 10 iterations {b - a} bytes, 1010 iterations {c - b} bytes");
        Assert.True(c - b - (b - a) < 256, $"{c - b} vs {b - a} bytes");
    }
}
