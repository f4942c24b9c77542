using System.Diagnostics;
using Xunit.Abstractions;

namespace Ordo.Optimization.Tests;

public class SecondOrderTests(ITestOutputHelper output)
{
    /// <summary>f(x) = √(1 + x²): convex, minimum 0 at x = 0, pure Newton maps x to −x³.</summary>
    private sealed class SqrtOnePlusSquare : DenseHessianObjective
    {
        public override int Dimension => 1;
        public override double Value(ReadOnlySpan<double> x) => Math.Sqrt(1 + x[0] * x[0]);
        public override double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
        {
            double s = Math.Sqrt(1 + x[0] * x[0]);
            g[0] = x[0] / s;
            return s;
        }
        public override void Hessian(ReadOnlySpan<double> x, Span<double> h) => h[0] = Math.Pow(1 + x[0] * x[0], -1.5);
    }

    /// <summary>Logistic regression f(w) = (1/m) Σ log(1 + exp(−yᵢaᵢᵀw)) + (λ/2)‖w‖² on random data (fixed seed).</summary>
    private sealed class LogisticRegression : DenseHessianObjective
    {
        private readonly double[] _a;
        private readonly double[] _y;
        private readonly double[] _z;
        private readonly int _m, _d;
        private readonly double _lambda;

        public LogisticRegression(int m, int d, int seed, double lambda, double labelNoise = 0.2)
        {
            _m = m;
            _d = d;
            _lambda = lambda;
            var rng = new Random(seed);
            _a = new double[m * d];
            _y = new double[m];
            _z = new double[m];
            var wTrue = new double[d];
            for (int j = 0; j < d; j++) wTrue[j] = 2 * rng.NextDouble() - 1;
            for (int i = 0; i < m; i++)
            {
                double dot = 0;
                for (int j = 0; j < d; j++) { _a[i * d + j] = Gaussian(rng); dot += _a[i * d + j] * wTrue[j]; }
                _y[i] = (dot >= 0 ? 1 : -1) * (rng.NextDouble() < labelNoise ? -1 : 1);
            }
        }

        private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

        public override int Dimension => _d;

        private static double LogOnePlusExp(double t) => t > 0 ? t + Math.Log(1 + Math.Exp(-t)) : Math.Log(1 + Math.Exp(t));

        private void Margins(ReadOnlySpan<double> w)
        {
            for (int i = 0; i < _m; i++) _z[i] = _y[i] * Blas1.Dot(_a.AsSpan(i * _d, _d), w);
        }

        public override double Value(ReadOnlySpan<double> w)
        {
            Margins(w);
            double f = 0;
            for (int i = 0; i < _m; i++) f += LogOnePlusExp(-_z[i]);
            return f / _m + 0.5 * _lambda * Blas1.Dot(w, w);
        }

        public override double ValueAndGradient(ReadOnlySpan<double> w, Span<double> g)
        {
            double f = Value(w);
            for (int j = 0; j < _d; j++) g[j] = _lambda * w[j];
            for (int i = 0; i < _m; i++)
            {
                double sigma = 1 / (1 + Math.Exp(_z[i])); // σ(−zᵢ)
                Blas1.Axpy(-_y[i] * sigma / _m, _a.AsSpan(i * _d, _d), g);
            }
            return f;
        }

        public override void Hessian(ReadOnlySpan<double> w, Span<double> h)
        {
            Margins(w);
            h.Clear();
            for (int i = 0; i < _m; i++)
            {
                double s = 1 / (1 + Math.Exp(_z[i]));
                double c = s * (1 - s) / _m;
                var ai = _a.AsSpan(i * _d, _d);
                for (int j = 0; j < _d; j++)
                    if (ai[j] != 0) Blas1.Axpy(c * ai[j], ai, h.Slice(j * _d, _d));
            }
            for (int j = 0; j < _d; j++) h[j * _d + j] += _lambda;
        }
    }

    /// <summary>Hides the dense Hessian of an objective: only Hessian–vector products remain.</summary>
    private sealed class HessianVectorOnly(IHessianObjective inner) : IHessianVectorObjective
    {
        public int Dimension => inner.Dimension;
        public double Value(ReadOnlySpan<double> x) => inner.Value(x);
        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g) => inner.ValueAndGradient(x, g);
        public void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> r) => inner.HessianVectorProduct(x, v, r);
    }

    /// <summary>½xᵀAx − bᵀx with A tridiagonal (diagonal 1..n + 2, off-diagonals −1), given by products only.</summary>
    private sealed class TridiagonalQuadratic(int n) : IHessianVectorObjective
    {
        public int Dimension => n;
        public double Diagonal(int i) => i + 3.0;
        public double B(int i) => Math.Sin(i + 1.0);

        public void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> r)
        {
            for (int i = 0; i < n; i++)
                r[i] = Diagonal(i) * v[i] - (i > 0 ? v[i - 1] : 0) - (i < n - 1 ? v[i + 1] : 0);
        }

        public double Value(ReadOnlySpan<double> x)
        {
            Span<double> ax = stackalloc double[n];
            HessianVectorProduct(x, x, ax);
            double f = 0;
            for (int i = 0; i < n; i++) f += 0.5 * x[i] * ax[i] - B(i) * x[i];
            return f;
        }

        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
        {
            HessianVectorProduct(x, x, g);
            double f = 0;
            for (int i = 0; i < n; i++) { f += 0.5 * x[i] * g[i] - B(i) * x[i]; g[i] -= B(i); }
            return f;
        }
    }

    /// <summary>MGH problem 4, Brown badly scaled: x* = (10⁶, 2·10⁻⁶), f* = 0, x₀ = (1, 1).</summary>
    private sealed class BrownBadlyScaled : DenseHessianObjective
    {
        public override int Dimension => 2;
        public override double Value(ReadOnlySpan<double> x)
        {
            double r1 = x[0] - 1e6, r2 = x[1] - 2e-6, r3 = x[0] * x[1] - 2;
            return r1 * r1 + r2 * r2 + r3 * r3;
        }
        public override double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
        {
            double r1 = x[0] - 1e6, r2 = x[1] - 2e-6, r3 = x[0] * x[1] - 2;
            g[0] = 2 * r1 + 2 * r3 * x[1];
            g[1] = 2 * r2 + 2 * r3 * x[0];
            return r1 * r1 + r2 * r2 + r3 * r3;
        }
        public override void Hessian(ReadOnlySpan<double> x, Span<double> h)
        {
            double r3 = x[0] * x[1] - 2;
            h[0] = 2 + 2 * x[1] * x[1];
            h[1] = h[2] = 2 * r3 + 2 * x[0] * x[1];
            h[3] = 2 + 2 * x[0] * x[0];
        }
    }

    /// <summary>x⁴/4 − x²/2 + y²: the Hessian is indefinite for |x| &lt; 1/√3; minima (±1, 0) with f = −¼.</summary>
    private sealed class DoubleWell : DenseHessianObjective
    {
        public override int Dimension => 2;
        public override double Value(ReadOnlySpan<double> x) => Math.Pow(x[0], 4) / 4 - x[0] * x[0] / 2 + x[1] * x[1];
        public override double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
        {
            g[0] = x[0] * x[0] * x[0] - x[0];
            g[1] = 2 * x[1];
            return Value(x);
        }
        public override void Hessian(ReadOnlySpan<double> x, Span<double> h)
        {
            h[0] = 3 * x[0] * x[0] - 1;
            h[1] = h[2] = 0;
            h[3] = 2;
        }
    }

    [Fact]
    public void RegistryHasTheFourSecondOrderMethodsWithTheirCapabilities()
    {
        var names = Minimizers.All.Where(m => m.Family == "second-order").Select(m => m.Name).ToArray();
        Assert.Equal(["newton", "damped-newton", "lazy-newton", "trust-region"], names);
        Assert.True(Minimizers.Find("newton").Requires.HasFlag(ObjectiveCapabilities.Hessian));
        Assert.False(Minimizers.Find("trust-region").Requires.HasFlag(ObjectiveCapabilities.Hessian));
        var e = Assert.Throws<ArgumentException>(() => Minimizers.Create("newton").Minimize(new HessianVectorOnly(new Rosenbrock()), [0, 0]));
        Assert.Contains("dense Hessian", e.Message);
        foreach (var name in names)
            Assert.Equal(name, Minimizers.Create(name).Name);
    }

    [Theory]
    [InlineData("newton")]
    [InlineData("damped-newton")]
    [InlineData("lazy-newton")]
    [InlineData("trust-region")]
    public void EachMethodSolvesRosenbrockFromTheStandardStart(string name)
    {
        var r = Minimizers.Create(name).Minimize(new Rosenbrock(), [-1.2, 1]);
        output.WriteLine(r.ToString() + $" H = {r.HessianEvaluations}, Hv = {r.HessianVectorProducts}");
        Assert.Equal(OptimizationStatus.Converged, r.Status);
        Assert.True(Math.Abs(r.X[0] - 1) < 1e-6 && Math.Abs(r.X[1] - 1) < 1e-6, r.ToString());
        Assert.True(r.F < 1e-12, r.ToString());
    }

    [Fact]
    public void NewtonConvergesQuadraticallyOnRosenbrockAndModifiesAnIndefiniteHessian()
    {
        var r = new Newton().Minimize(new Rosenbrock(), [-1.2, 1], options: new MinimizeOptions { KeepTrace = true });
        Assert.True(r.Converged, r.ToString());
        // Line-search Newton from (−1.2, 1) takes a few dozen iterations at most (24 measured); one Hessian each.
        Assert.InRange(r.Iterations, 10, 30);
        // Quadratic convergence: the last gradient norms square (up to a constant).
        var g = r.Trace!.Select(e => e.GradientNorm).Where(v => v > 0).ToArray();
        int k = g.Length - 1;
        Assert.True(g[k] <= 100 * g[k - 1] * g[k - 1] + 1e-14, $"{g[k - 1]} → {g[k]}");
        Assert.Equal(r.Iterations, r.HessianEvaluations);

        // From x = 0.1 the Hessian is indefinite (3x² − 1 < 0): plain Newton would step toward the maximum at x = 0;
        // the modified factorization gives a descent direction and the run reaches a minimum.
        var w = new Newton().Minimize(new DoubleWell(), [0.1, 1]);
        Assert.True(w.Converged, w.ToString());
        Assert.Equal(-0.25, w.F, 12);
        Assert.Equal(1, Math.Abs(w.X[0]), 8);
    }

    [Fact]
    public void PureNewtonDivergesOnSqrtOnePlusSquareWhileDampedNewtonConverges()
    {
        var f = new SqrtOnePlusSquare();
        // Pure Newton: x⁺ = x − f'(x)/f''(x) = −x³.
        double x = 2;
        var g = new double[1];
        var h = new double[1];
        for (int k = 0; k < 4; k++)
        {
            f.ValueAndGradient([x], g);
            f.Hessian([x], h);
            x -= g[0] / h[0];
        }
        Assert.True(Math.Abs(x) > 1e20, $"pure Newton after 4 steps: {x}");

        var r = new DampedNewton().Minimize(f, [2.0]);
        output.WriteLine(r.ToString());
        Assert.True(r.Converged, r.ToString());
        Assert.True(Math.Abs(r.X[0]) < 1e-8, r.ToString());
        // √(1 + x²) is not semi-strongly self-concordant with a global constant (|f'''|/f''^{3/2} = 3|x|(1 + x²)^{-1/4}
        // grows without bound), so AICN with the fixed L = 1 overshoots from x₀ = 2 and never settles; the backtracking
        // on L above is what makes the damped step safe here.
        var a = new DampedNewton { AdaptiveSmoothness = false, Smoothness = 1 }.Minimize(f, [2.0]);
        output.WriteLine(a.ToString());
        Assert.False(a.Converged, a.ToString());
    }

    [Fact]
    public void AicnStepSizeMatchesItsFormulaAndTendsToOne()
    {
        foreach (double lg in new[] { 1e-3, 0.5, 1, 10, 1e6 })
        {
            double expected = (-1 + Math.Sqrt(1 + 2 * lg)) / lg;
            Assert.Equal(expected, DampedNewton.StepSize(lg, 1), 1e-12);
        }
        // For small LG the textbook form cancels; the series is α = 1 − LG/2 + O((LG)²).
        Assert.Equal(1 - 0.5e-12, DampedNewton.StepSize(1e-12, 1), 1e-20);
        Assert.Equal(1, DampedNewton.StepSize(1, 0));
    }

    private static double Slope(IReadOnlyList<double> gaps, int from, int to)
    {
        // Least-squares slope of log(gap) against log(k) for k = from..to (k counts iterations from 1).
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int n = 0;
        for (int k = from; k <= to; k++)
        {
            double lx = Math.Log(k), ly = Math.Log(gaps[k]);
            sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly; n++;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    [Fact]
    public void DampedNewtonGlobalPhaseOnLogisticRegressionIsAtLeastAsFastAsFixedConstantAicn()
    {
        // Unregularized logistic regression (convex, not strongly convex far from the solution), started far away.
        var f = new LogisticRegression(m: 200, d: 10, seed: 7, lambda: 0);
        var x0 = Enumerable.Repeat(3.0, 10).ToArray();
        var reference = new Newton().Minimize(f, x0, options: new MinimizeOptions { GradientTolerance = 1e-14 });
        double fStar = reference.F;
        var opts = new MinimizeOptions { KeepTrace = true, GradientTolerance = 1e-10 };
        var damped = new DampedNewton().Minimize(f, x0, options: opts);
        // The baseline: AICN with a fixed L, the smallest of 10⁰, 10¹, …, 10⁸ with which it decreases f monotonically and
        // converges (a tuned "known constant"; logistic regression has no global semi-strong self-concordance constant).
        MinimizationResult aicn = null!;
        double lFixed = 0;
        for (int e = 0; e <= 8; e++)
        {
            lFixed = Math.Pow(10, e);
            aicn = new DampedNewton { AdaptiveSmoothness = false, Smoothness = lFixed }.Minimize(f, x0, options: opts);
            var fs = aicn.Trace!.Select(t => t.F).ToArray();
            if (aicn.Converged && fs.Zip(fs.Skip(1), (p, q) => q <= p).All(b => b)) break;
        }
        output.WriteLine($"fixed L = {lFixed:G}");
        Assert.True(damped.Converged, damped.ToString());
        Assert.True(aicn.Converged, aicn.ToString());
        var gd = damped.Trace!.Select(e => e.F - fStar).ToArray();
        var ga = aicn.Trace!.Select(e => e.F - fStar).ToArray();
        // Global phase: from iteration 1 until the gap is below 1e-3 of the initial gap (the local quadratic phase after).
        int End(double[] gaps) { int k = 1; while (k + 1 < gaps.Length && gaps[k + 1] > 1e-3 * gaps[0]) k++; return k; }
        int ed = End(gd), ea = End(ga);
        double sd = ed >= 2 ? Slope(gd, 1, ed) : double.NaN;
        double sa = Slope(ga, 1, ea);
        // The same window for both: k = 1..min of the two global phases.
        int common = Math.Min(ed, ea);
        double sdc = Slope(gd, 1, common), sac = Slope(ga, 1, common);
        output.WriteLine($"damped-newton: global phase k = 1..{ed}, log-log slope {sd:F2}; on k = 1..{common}: {sdc:F2}; {damped.Iterations} iterations, {damped.FunctionEvaluations} f, {damped.HessianEvaluations} H");
        output.WriteLine($"AICN (fixed L): global phase k = 1..{ea}, log-log slope {sa:F2}; on k = 1..{common}: {sac:F2}; {aicn.Iterations} iterations, {aicn.FunctionEvaluations} f, {aicn.HessianEvaluations} H");
        Assert.True(ea >= 3 && common >= 3, "both runs need a visible global phase for the comparison to mean something");
        Assert.True(sdc <= sac, $"damped slope {sdc} vs AICN {sac} on k = 1..{common}");
        Assert.True(ed <= ea);
        // Pointwise: the damped gap is never above the baseline's while both runs last.
        for (int k = 1; k < Math.Min(gd.Length, ga.Length); k++)
            Assert.True(gd[k] <= ga[k] * (1 + 1e-12) + 1e-15, $"k = {k}: {gd[k]} vs {ga[k]}");
        Assert.True(damped.Iterations <= aicn.Iterations, $"{damped.Iterations} vs {aicn.Iterations}");
    }

    [Fact]
    public void LazyNewtonUsesFarFewerHessiansThanNewtonOnLogisticRegression()
    {
        int d = 60;
        var f = new LogisticRegression(m: 300, d: d, seed: 11, lambda: 1e-3);
        var x0 = new double[d];
        var opts = new MinimizeOptions { GradientTolerance = 1e-9 };
        MinimizationResult newton = null!, lazy = null!;
        double tNewton = double.PositiveInfinity, tLazy = double.PositiveInfinity;
        // Times: the better of two runs each (the first one also compiles the code).
        for (int rep = 0; rep < 2; rep++)
        {
            var sw = Stopwatch.StartNew();
            newton = new Newton().Minimize(f, x0, options: opts);
            tNewton = Math.Min(tNewton, sw.Elapsed.TotalMilliseconds);
            sw.Restart();
            lazy = new LazyNewton().Minimize(f, x0, options: opts);
            tLazy = Math.Min(tLazy, sw.Elapsed.TotalMilliseconds);
        }
        output.WriteLine($"newton:      {newton.Iterations} iterations, {newton.HessianEvaluations} Hessians, {newton.GradientEvaluations} gradients, {tNewton:F1} ms, f = {newton.F:R}");
        output.WriteLine($"lazy-newton: {lazy.Iterations} iterations, {lazy.HessianEvaluations} Hessians, {lazy.GradientEvaluations} gradients, {tLazy:F1} ms, f = {lazy.F:R}");
        Assert.True(newton.Converged, newton.ToString());
        Assert.True(lazy.Converged, lazy.ToString());
        Assert.Equal(newton.F, lazy.F, 1e-10);
        Assert.True(2 * lazy.HessianEvaluations <= newton.HessianEvaluations, $"{lazy.HessianEvaluations} vs {newton.HessianEvaluations}");
        // Refresh period m = d: one Hessian per d iterations (plus the first).
        Assert.Equal((lazy.Iterations + d - 1) / d, lazy.HessianEvaluations);
    }

    [Fact]
    public void LazyNewtonRefreshPeriodOneIsCubicNewtonAndHandlesIndefiniteHessians()
    {
        var r = new LazyNewton { RefreshPeriod = 1 }.Minimize(new DoubleWell(), [0.1, 1]);
        Assert.True(r.Converged, r.ToString());
        Assert.Equal(-0.25, r.F, 12);
        Assert.Equal(r.Iterations, r.HessianEvaluations);
        // Exactly at the saddle's axis (x = 0, g̃ orthogonal to the negative-curvature eigenvector): the hard case moves
        // along negative curvature instead of stopping at the saddle point.
        var s = new LazyNewton { RefreshPeriod = 1 }.Minimize(new DoubleWell(), [0, 1]);
        Assert.True(s.Converged, s.ToString());
        Assert.Equal(-0.25, s.F, 12);
    }

    [Fact]
    public void TrustRegionSolvesRosenbrockAndAQuadraticWithProductsOnly()
    {
        var r = new TrustRegionNewtonCG().Minimize(new HessianVectorOnly(new Rosenbrock()), [-1.2, 1]);
        output.WriteLine(r.ToString() + $" Hv = {r.HessianVectorProducts}");
        Assert.True(r.Converged, r.ToString());
        Assert.Equal(0, r.HessianEvaluations);
        Assert.True(r.HessianVectorProducts > 0);
        Assert.Equal(1, r.X[0], 5);
        Assert.Equal(1, r.X[1], 5);

        int n = 100;
        var q = new TridiagonalQuadratic(n);
        var t = new TrustRegionNewtonCG().Minimize(q, new double[n]);
        output.WriteLine(t.ToString() + $" Hv = {t.HessianVectorProducts}");
        Assert.True(t.Converged, t.ToString());
        Assert.Equal(0, t.HessianEvaluations);
        // Independent check: the residual A x − b at the returned point.
        var ax = new double[n];
        q.HessianVectorProduct(t.X, t.X, ax);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(ax[i] - q.B(i)) <= 1e-7, $"residual {i}");
        // CG on an SPD system with κ ≈ 35 needs far fewer than n products per Newton step.
        Assert.True(t.HessianVectorProducts < 3 * n, $"{t.HessianVectorProducts} products");
    }

    [Fact]
    public void TrustRegionReachesTheBadlyScaledBrownMinimum()
    {
        var f = new BrownBadlyScaled();
        var r = new TrustRegionNewtonCG().Minimize(new HessianVectorOnly(f), [1, 1]);
        output.WriteLine(r.ToString() + $" Hv = {r.HessianVectorProducts}");
        double f0 = f.Value([1.0, 1]);
        Assert.True(r.F <= 1e-6 * f0, r.ToString());
        Assert.Equal(1e6, r.X[0], 1e-3);
        Assert.Equal(2e-6, r.X[1], 1e-12);
    }

    [Fact]
    public void TrustRegionReportsStalledNotConvergedWhenTheGradientIsWrong()
    {
        // A gradient with the wrong sign: no step can decrease f as predicted, the radius collapses.
        var r = new TrustRegionNewtonCG().Minimize(new SignFlippedGradient(), [1.0, 2.0]);
        Assert.Equal(OptimizationStatus.Stalled, r.Status);
        Assert.False(r.Converged);
    }

    [Fact]
    public void NonFiniteTrialValuesAreRejectedAndShrinkTheStep()
    {
        // f = −log(1 − x²)·… defined only on |x| < 1: outside, NaN. Minimum at 0.
        var r1 = new DampedNewton().Minimize(new Barrier(), [0.9]);
        var r2 = new TrustRegionNewtonCG { InitialRadius = 10 }.Minimize(new Barrier(), [0.9]);
        var r3 = new LazyNewton().Minimize(new Barrier(), [0.9]);
        var r4 = new Newton().Minimize(new Barrier(), [0.9]);
        foreach (var r in new[] { r1, r2, r3, r4 })
        {
            Assert.True(r.Converged, r.ToString());
            Assert.True(Math.Abs(r.X[0]) < 1e-6, r.ToString());
        }
    }

    /// <summary>f(x) = −log(1 − x²) + x²/10 on (−1, 1), NaN outside.</summary>
    private sealed class Barrier : DenseHessianObjective
    {
        public override int Dimension => 1;
        // log1p keeps f accurate for tiny x (−log(1 − x²) rounds to 0 below x² ≈ ε, while the gradient is still exact; .NET's double.LogP1 is log(1 + x) computed naively).
        public override double Value(ReadOnlySpan<double> x) => Math.Abs(x[0]) < 1 ? -FloatingPoint.Log1P(-x[0] * x[0]) + x[0] * x[0] / 10 : double.NaN;
        public override double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
        {
            double u = x[0];
            g[0] = Math.Abs(u) < 1 ? 2 * u / (1 - u * u) + u / 5 : double.NaN;
            return Value(x);
        }
        public override void Hessian(ReadOnlySpan<double> x, Span<double> h)
        {
            double u = x[0], w = 1 - u * u;
            h[0] = Math.Abs(u) < 1 ? (2 * w + 4 * u * u) / (w * w) + 0.2 : double.NaN;
        }
    }

    [Theory]
    [InlineData("newton")]
    [InlineData("damped-newton")]
    [InlineData("lazy-newton")]
    [InlineData("trust-region")]
    public void IterationsAllocateNothing(string name)
    {
        // The same run stopped after 3 and after 15 iterations allocates the same (setup and result only): the
        // iterations themselves allocate nothing.
        var f = new Rosenbrock();
        var m = Minimizers.Create(name);
        long Bytes(int iterations)
        {
            var o = new MinimizeOptions { MaxIterations = iterations, GradientTolerance = 0 };
            m.Minimize(f, [-1.2, 1], options: o);
            long before = GC.GetAllocatedBytesForCurrentThread();
            var r = m.Minimize(f, [-1.2, 1], options: o);
            Assert.Equal(iterations, r.Iterations);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        long few = Bytes(3), many = Bytes(15);
        Assert.True(Math.Abs(many - few) <= 256, $"{name}: {few} B for 3 iterations, {many} B for 15");
    }
}
