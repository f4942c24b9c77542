namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// <see cref="AlignLangevin"/> on the underdamped Langevin diffusion (sde.md §3.6): stationary moments of the quadratic
/// potential against the closed forms (5 standard errors), strong order 2 on the same virtual Brownian tree at several
/// step sizes (sde.md §5.2) against an independent reference (the exact linear flow of the quadratic case; a fine
/// reference for a double well), the Taylor branch of the coefficients against exact values, adaptive error vs work,
/// FSAL counts, zero allocation and bad input.
/// </summary>
public class AlignLangevinTests(ITestOutputHelper output)
{
    private static readonly double[] Steps = [1.0 / 8, 1.0 / 16, 1.0 / 32, 1.0 / 64, 1.0 / 128];

    private static UnderdampedLangevinProblem Quadratic(double omega, double gamma, double u, double x0, double v0, double t1) =>
        new((x, g) => g[0] = omega * omega * x[0], [x0], [v0], gamma, u, 0, t1, "quadratic");

    private static UnderdampedLangevinProblem DoubleWell(double gamma, double t1) =>
        new((x, g) => g[0] = x[0] * (x[0] * x[0] - 1), [0.5], [1.0], gamma, 1.0, 0, t1, "double-well");

    // ---------------------------------------------------------------- (1) stationary law

    [Theory]
    [InlineData(2.0, 1.5, 0.05)] // α = γh = 0.075: Taylor branch
    [InlineData(1.0, 12.0, 0.05)] // α = 0.6: closed forms
    public void Stationary_moments_of_the_quadratic_potential(double omega, double gamma, double h)
    {
        const int paths = 10000;
        var problem = Quadratic(omega, gamma, 1.0, 1.0, 0.0, 10.0);
        var r = UnderdampedLangevin.SolveEnsemble(problem, new SdeOptions { FixedStep = h, Seed = 11 },
            new SdeEnsembleOptions { Paths = paths, Quantiles = [] });
        Assert.Equal(SdeStatus.Success, r.Status);
        AssertSecondMoment(r, 0, 1 / (omega * omega), paths, "E x²");
        AssertSecondMoment(r, 1, 1.0, paths, "E v²");
    }

    [Fact]
    public void Stationary_moments_with_diagonal_friction_and_mass()
    {
        const int paths = 10000;
        double[] omega2 = [4, 1], gamma = [1, 2], u = [1, 2];
        var problem = new UnderdampedLangevinProblem((x, g) => { g[0] = omega2[0] * x[0]; g[1] = omega2[1] * x[1]; },
            [1, -1], [0, 0.5], gamma, u, 0, 10);
        var r = UnderdampedLangevin.SolveEnsemble(problem, new SdeOptions { FixedStep = 0.1, Seed = 3 },
            new SdeEnsembleOptions { Paths = paths, Quantiles = [] });
        Assert.Equal(SdeStatus.Success, r.Status);
        // Stationary law ∝ exp(−½Σ ω²ᵢxᵢ² − Σ vᵢ²/(2uᵢ)): E xᵢ² = 1/ω²ᵢ, E vᵢ² = uᵢ.
        AssertSecondMoment(r, 0, 1 / omega2[0], paths, "E x₁²");
        AssertSecondMoment(r, 1, 1 / omega2[1], paths, "E x₂²");
        AssertSecondMoment(r, 2, u[0], paths, "E v₁²");
        AssertSecondMoment(r, 3, u[1], paths, "E v₂²");
    }

    [Fact]
    public void Stationary_second_moment_of_a_double_well()
    {
        // Non-Gaussian target exp(−(x² − 1)²/4): E x² and Var x² by Simpson quadrature on [−8, 8].
        const int paths = 10000, n = 4000;
        double z = 0, m2 = 0, m4 = 0;
        for (int i = 0; i <= n; i++)
        {
            double x = -8 + 16.0 * i / n, w = (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2) * Math.Exp(-Square(x * x - 1) / 4);
            z += w;
            m2 += w * x * x;
            m4 += w * x * x * x * x;
        }
        m2 /= z;
        m4 /= z;
        var r = UnderdampedLangevin.SolveEnsemble(DoubleWell(1.0, 10.0), new SdeOptions { FixedStep = 0.05, Seed = 8 },
            new SdeEnsembleOptions { Paths = paths, Quantiles = [] });
        Assert.Equal(SdeStatus.Success, r.Status);
        double second = r.Variance[0] * (paths - 1) / paths + r.Mean[0] * r.Mean[0];
        double se = Math.Sqrt((m4 - m2 * m2) / paths);
        output.WriteLine($"double well E x²: {second:F5} (quadrature {m2:F5}, {(second - m2) / se:+0.00;-0.00} s.e.)");
        Assert.True(Math.Abs(second - m2) <= 5 * se, $"E x² = {second} vs {m2}: more than 5 s.e. ({se:E2})");
        AssertSecondMoment(r, 1, 1.0, paths, "double well E v²");
    }

    /// <summary>E y² from the ensemble's mean and variance; for a centred Gaussian Var(y²) = 2σ⁴, so s.e. = σ²√(2/N).</summary>
    private void AssertSecondMoment(SdeEnsembleResult r, int i, double exact, int paths, string what)
    {
        double second = r.Variance[i] * (paths - 1) / paths + r.Mean[i] * r.Mean[i];
        double se = exact * Math.Sqrt(2.0 / paths);
        output.WriteLine($"{what}: {second:F5} (exact {exact}, {(second - exact) / se:+0.00;-0.00} s.e.)");
        Assert.True(Math.Abs(second - exact) <= 5 * se, $"{what} = {second} vs {exact}: more than 5 s.e. ({se:E2})");
    }

    // ---------------------------------------------------------------- (2) strong order, quadratic potential

    /// <summary>
    /// The exact flow of the linear SDE <c>y' = A y + B Ẇ</c>, <c>A = [[0, 1], [−uω², −γ]]</c>, <c>B = (0, ρ)</c>, on fine
    /// steps of length k: <c>y ← e^{Ak} y + P W + Q H</c>, with <c>P = (1/k)∫₀ᵏ e^{Ar}B dr</c> and
    /// <c>Q = (12/k²)∫₀ᵏ e^{Ar}B (r − k/2) dr</c> — the conditional mean of the step's stochastic integral given (W, H)
    /// (the left-out part has variance O(k⁵), so the reference's strong error is O(k²)). Independent of ALIGN's
    /// formulas: matrix exponentials by Taylor series, integrals by 8-point Gauss–Legendre.
    /// </summary>
    private sealed class LinearReference
    {
        private readonly double[] _phi = new double[4], _p = new double[2], _q = new double[2];
        private readonly double _k;

        public LinearReference(double omega, double gamma, double u, double k)
        {
            _k = k;
            double[] a = [0, 1, -u * omega * omega, -gamma];
            double rho = Math.Sqrt(2 * gamma * u);
            Expm(a, k, _phi);
            double[] nodes = [-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498,
                0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363];
            double[] weights = [0.1012285362903763, 0.2223810344533745, 0.3137066522024467, 0.3626837833783620,
                0.3626837833783620, 0.3137066522024467, 0.2223810344533745, 0.1012285362903763];
            var e = new double[4];
            for (int n = 0; n < 8; n++)
            {
                double r = 0.5 * k * (nodes[n] + 1), w = 0.5 * k * weights[n];
                Expm(a, r, e);
                for (int i = 0; i < 2; i++)
                {
                    double col = e[2 * i + 1] * rho; // (e^{Ar} B)_i
                    _p[i] += w * col / k;
                    _q[i] += w * col * (r - 0.5 * k) * 12 / (k * k);
                }
            }
        }

        private static void Expm(double[] a, double r, double[] result)
        {
            double[] term = [1, 0, 0, 1];
            double[] sum = [1, 0, 0, 1];
            var next = new double[4];
            for (int n = 1; n < 40; n++)
            {
                next[0] = (term[0] * a[0] + term[1] * a[2]) * r / n;
                next[1] = (term[0] * a[1] + term[1] * a[3]) * r / n;
                next[2] = (term[2] * a[0] + term[3] * a[2]) * r / n;
                next[3] = (term[2] * a[1] + term[3] * a[3]) * r / n;
                next.CopyTo(term, 0);
                for (int i = 0; i < 4; i++) sum[i] += term[i];
            }
            sum.CopyTo(result, 0);
        }

        public void Solve(IBrownianPath path, double t1, double x0, double v0, Span<double> y)
        {
            int n = (int)Math.Round(t1 / _k);
            Span<double> w = stackalloc double[1], h = stackalloc double[1];
            double x = x0, v = v0;
            for (int s = 0; s < n; s++)
            {
                path.Increment(s * _k, (s + 1) * _k, w, h);
                double xn = _phi[0] * x + _phi[1] * v + _p[0] * w[0] + _q[0] * h[0];
                double vn = _phi[2] * x + _phi[3] * v + _p[1] * w[0] + _q[1] * h[0];
                x = xn;
                v = vn;
            }
            y[0] = x;
            y[1] = v;
        }
    }

    private delegate void Reference(VirtualBrownianTree tree, Span<double> y);

    /// <summary>Mean |y_N − y_ref| (Euclidean in (x, v)) at every level, on one tree per path, and the fitted slope.</summary>
    private double StrongSlope(UnderdampedLangevinProblem problem, int paths, Reference reference, string label, ulong seed = 2026,
        double[]? compareErrors = null, SdeMethod? compare = null, double[]? errorsOut = null)
    {
        var errors = errorsOut ?? new double[Steps.Length];
        var y = new double[2];
        var tree = new VirtualBrownianTree(0, problem.T1, 1.0 / 4096, 1, seed);
        for (int p = 0; p < paths; p++)
        {
            tree.Reset((ulong)p);
            reference(tree, y);
            for (int l = 0; l < Steps.Length; l++)
            {
                var sol = UnderdampedLangevin.Solve(problem, new SdeOptions { FixedStep = Steps[l] }, tree);
                Assert.Equal(SdeStatus.Success, sol.Status);
                errors[l] += Math.Sqrt(Square(sol.Y[0] - y[0]) + Square(sol.Y[1] - y[1])) / paths;
                if (compare is null) continue;
                var other = Sde.Solve(problem.Sde, compare, new SdeOptions { FixedStep = Steps[l] }, tree);
                compareErrors![l] += Math.Sqrt(Square(other.Y[0] - y[0]) + Square(other.Y[1] - y[1])) / paths;
            }
        }
        double slope = SdeReferenceProblems.Slope(Steps, errors);
        output.WriteLine($"{label}: slope {slope:F3}   errors {string.Join(" ", errors.Select(v => v.ToString("E2")))}");
        return slope;
    }

    private static double Square(double x) => x * x;

    [Theory]
    [InlineData(2.0, 2.0)] // α = γh from 1/4 to 1/64: Taylor branch
    [InlineData(1.0, 8.0)] // α from 1 to 1/16: closed forms at h = 1/8, 1/16, Taylor below
    public void Strong_order_two_on_the_quadratic_potential(double omega, double gamma)
    {
        var problem = Quadratic(omega, gamma, 1.0, 1.0, 0.5, 1.0);
        var exact = new LinearReference(omega, gamma, 1.0, 1.0 / 2048);
        double slope = StrongSlope(problem, 300, (tree, y) => exact.Solve(tree, 1.0, 1.0, 0.5, y), $"quadratic ω={omega} γ={gamma}");
        Assert.InRange(slope, 1.8, 2.3);
    }

    // ---------------------------------------------------------------- (3) strong order, double well

    [Fact]
    public void Strong_order_two_on_a_double_well()
    {
        var problem = DoubleWell(1.0, 1.0);
        double[] shark = new double[Steps.Length], errors = new double[Steps.Length];
        double slope = StrongSlope(problem, 300, (tree, y) =>
        {
            var fine = UnderdampedLangevin.Solve(problem, new SdeOptions { FixedStep = 1.0 / 2048 }, tree);
            y[0] = fine.Y[0];
            y[1] = fine.Y[1];
        }, "double well (x²−1)²/4, γ=1", compareErrors: shark, compare: AdditiveSrkMethod.ShArk, errorsOut: errors);
        double sharkSlope = SdeReferenceProblems.Slope(Steps, shark);
        output.WriteLine($"ShARK on the same SDE: slope {sharkSlope:F3}   errors {string.Join(" ", shark.Select(v => v.ToString("E2")))} (2 gradients per step)");
        Assert.InRange(slope, 1.8, 2.3);
        // ShARK spends two gradients per step, ALIGN one: at equal gradient count (ALIGN at h/2, ShARK at h) ALIGN is
        // more accurate at every level (measured: about 14× on this problem).
        for (int l = 0; l + 1 < Steps.Length; l++)
            Assert.True(errors[l + 1] < shark[l], $"ALIGN at h = {Steps[l + 1]}: {errors[l + 1]:E2}; ShARK at h = {Steps[l]}: {shark[l]:E2}");
    }

    [Fact]
    public void Fine_reference_of_the_double_well_agrees_with_an_independent_method()
    {
        // The ALIGN reference at h = 1/2048 against SRA1 (Rößler's additive-noise method, generic driver) at the same
        // step on the same tree: they differ by far less than ALIGN's error at the finest level (~1e-5, measured).
        var problem = DoubleWell(1.0, 1.0);
        var tree = new VirtualBrownianTree(0, 1, 1.0 / 4096, 1, 2026);
        double worst = 0;
        for (int p = 0; p < 20; p++)
        {
            tree.Reset((ulong)p);
            var align = UnderdampedLangevin.Solve(problem, new SdeOptions { FixedStep = 1.0 / 2048 }, tree);
            var sra1 = Sde.Solve(problem.Sde, SraMethod.Sra1, new SdeOptions { FixedStep = 1.0 / 2048 }, tree);
            worst = Math.Max(worst, Math.Abs(align.Y[0] - sra1.Y[0]) + Math.Abs(align.Y[1] - sra1.Y[1]));
        }
        output.WriteLine($"max |ALIGN − SRA1| at h = 1/2048: {worst:E2}");
        Assert.True(worst < 1e-6, $"ALIGN and SRA1 fine solutions differ by {worst}");
    }

    // ---------------------------------------------------------------- (4) coefficients: Taylor branch vs closed forms

    /// <summary>β, a₁, b₁, c_H in 28-digit decimal arithmetic (series of e^α, then 1/e^α), as the independent reference.</summary>
    private static double[] ExactCoefficients(double gamma, double h)
    {
        decimal a = (decimal)(gamma * h), g = (decimal)gamma, ea = 1, term = 1;
        for (int k = 1; k < 200 && term != 0; k++)
        {
            term = term * a / k;
            ea += term;
        }
        decimal beta = 1 / ea;
        // Small α: the decimal closed forms cancel too (28 digits), so use the series there as well.
        if (a < 0.05m)
        {
            decimal s1 = 0, s2 = 0, sc = 0, p = 1, f1 = 1, f2 = 2, f3 = 6;
            for (int k = 0; k < 20; k++)
            {
                s1 += p / f1;
                s2 += p / f2;
                sc += 6 * p * (k + 1) / f3;
                p *= -a;
                f1 *= k + 2;
                f2 *= k + 3;
                f3 *= k + 4;
            }
            decimal hd = (decimal)h;
            return [(double)beta, (double)(hd * s1), (double)(hd * s2), (double)(hd * sc)];
        }
        return [(double)beta, (double)((1 - beta) / g), (double)((beta + a - 1) / (g * a)), (double)(6 * (beta * (a + 2) + a - 2) / (a * a * g))];
    }

    private static double[] Values(AlignLangevin.Coefficients c) => [c.Beta, c.A1, c.B1, c.CH];

    [Theory]
    [InlineData(1e-6)]
    [InlineData(1e-3)]
    [InlineData(0.01)]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.4999)]
    [InlineData(0.5)]
    [InlineData(0.7)]
    [InlineData(2)]
    [InlineData(20)]
    public void Coefficients_are_accurate_on_both_sides_of_the_threshold(double alpha)
    {
        const double gamma = 3.0;
        double h = alpha / gamma;
        double[] exact = ExactCoefficients(gamma, h), used = Values(AlignLangevin.Compute(gamma, h));
        for (int i = 0; i < 4; i++)
            Assert.True(Math.Abs(used[i] - exact[i]) <= 2e-14 * Math.Abs(exact[i]), $"α = {alpha}, coefficient {i}: {used[i]:R} vs {exact[i]:R}");
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.5)]
    [InlineData(0.7)]
    [InlineData(1.0)]
    public void Taylor_branch_and_closed_forms_agree_where_both_are_accurate(double alpha)
    {
        const double gamma = 0.8;
        double[] taylor = Values(AlignLangevin.Taylor(gamma, alpha / gamma)), closed = Values(AlignLangevin.Closed(gamma, alpha / gamma));
        for (int i = 0; i < 4; i++)
            Assert.True(Math.Abs(taylor[i] - closed[i]) <= 2e-13 * Math.Abs(closed[i]), $"α = {alpha}, coefficient {i}: {taylor[i]:R} vs {closed[i]:R}");
    }

    [Fact]
    public void The_closed_form_of_c_H_cancels_for_small_alpha_which_is_why_the_branch_exists()
    {
        const double gamma = 1.0, h = 1e-3;
        double exact = ExactCoefficients(gamma, h)[3];
        double closedError = Math.Abs(AlignLangevin.Closed(gamma, h).CH - exact) / exact;
        double taylorError = Math.Abs(AlignLangevin.Taylor(gamma, h).CH - exact) / exact;
        output.WriteLine($"α = 1e-3: relative error of c_H closed {closedError:E1}, Taylor {taylorError:E1}");
        Assert.True(closedError > 1e-9 && taylorError < 1e-15);
    }

    [Fact]
    public void Steps_are_continuous_across_the_threshold()
    {
        // One step with the same (W, H) and α = γh just below and just above 0.5: the two branches meet, so the states
        // differ by about the change of h (1e-12 relative), not by a branch jump.
        const double gamma = 2.0;
        var stepper = AlignLangevin.Instance.CreateStepper(Quadratic(1.5, gamma, 1.0, 0.7, -0.3, 1.0).Sde);
        double[] y = [0.7, -0.3], w = [0.31], hh = [-0.07], below = new double[2], above = new double[2], error = new double[2];
        stepper.Step(0, 0.5 * (1 - 1e-12) / gamma, y, w, hh, below, error);
        stepper.Step(0, 0.5 * (1 + 1e-12) / gamma, y, w, hh, above, error);
        for (int i = 0; i < 2; i++) Assert.True(Math.Abs(below[i] - above[i]) < 1e-11, $"component {i}: {below[i]:R} vs {above[i]:R}");
    }

    // ---------------------------------------------------------------- (5) adaptive stepping

    [Fact]
    public void Adaptive_error_falls_with_work_like_order_two()
    {
        var problem = DoubleWell(1.0, 2.0);
        double[] tolerances = [1e-2, 1e-3, 1e-4, 1e-5];
        const int paths = 100;
        var error = new double[tolerances.Length];
        var work = new double[tolerances.Length];
        long rejected = 0;
        var tree = new VirtualBrownianTree(0, 2, Math.ScaleB(2.0, -20), 1, 77, allowSubLeafIncrements: true);
        for (int p = 0; p < paths; p++)
        {
            tree.Reset((ulong)p);
            var reference = UnderdampedLangevin.Solve(problem, new SdeOptions { FixedStep = 1.0 / 2048 }, tree);
            for (int k = 0; k < tolerances.Length; k++)
            {
                var sol = UnderdampedLangevin.Solve(problem, new SdeOptions { RelativeTolerance = tolerances[k], AbsoluteTolerance = tolerances[k] }, tree);
                Assert.Equal(SdeStatus.Success, sol.Status);
                Assert.Equal(sol.Stats.AcceptedSteps + sol.Stats.RejectedSteps + 1, sol.Stats.DriftEvaluations); // FSAL
                error[k] += Math.Sqrt(Square(sol.Y[0] - reference.Y[0]) + Square(sol.Y[1] - reference.Y[1])) / paths;
                work[k] += (double)sol.Stats.DriftEvaluations / paths;
                rejected += sol.Stats.RejectedSteps;
            }
        }
        for (int k = 0; k < tolerances.Length; k++)
            output.WriteLine($"tol {tolerances[k]:E0}: mean error {error[k]:E2}, mean gradients {work[k]:F1}");
        // error ∝ work^(−p): fit p on log–log.
        double order = -SdeReferenceProblems.Slope(work, error);
        output.WriteLine($"error vs work order {order:F2}, rejected steps {rejected}");
        Assert.True(rejected > 0, "the adaptive runs should reject some steps");
        for (int k = 1; k < tolerances.Length; k++) Assert.True(error[k] < error[k - 1] && work[k] > work[k - 1]);
        Assert.InRange(order, 1.5, 2.6);
    }

    [Fact]
    public void Adaptive_steps_sample_the_stationary_law()
    {
        const int paths = 10000;
        var problem = Quadratic(2.0, 1.5, 1.0, 1.0, 0.0, 10.0);
        var r = UnderdampedLangevin.SolveEnsemble(problem, new SdeOptions { Seed = 21, RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-2 },
            new SdeEnsembleOptions { Paths = paths, Quantiles = [] });
        Assert.Equal(SdeStatus.Success, r.Status);
        output.WriteLine($"adaptive: {(double)r.Stats.AcceptedSteps / paths:F1} accepted, {(double)r.Stats.RejectedSteps / paths:F2} rejected per path");
        Assert.True(r.Stats.RejectedSteps > 0);
        AssertSecondMoment(r, 0, 0.25, paths, "E x² (adaptive)");
        AssertSecondMoment(r, 1, 1.0, paths, "E v² (adaptive)");
    }

    // ---------------------------------------------------------------- (6) counts, allocation, bad input

    [Fact]
    public void One_gradient_per_step_with_fixed_steps()
    {
        var sol = UnderdampedLangevin.Solve(DoubleWell(1.0, 1.0), new SdeOptions { FixedStep = 0.01, Seed = 4 });
        Assert.Equal(SdeStatus.Success, sol.Status);
        Assert.Equal(100, sol.Stats.AcceptedSteps);
        Assert.Equal(101, sol.Stats.DriftEvaluations);
        Assert.Equal(0, sol.Stats.DiffusionEvaluations);
    }

    [Fact]
    public void Ensembles_allocate_nothing_per_step()
    {
        var problem = DoubleWell(1.0, 1.0);
        long Allocated(SdeOptions options)
        {
            var ensemble = new SdeEnsembleOptions { Paths = 128, Quantiles = [], MaxDegreeOfParallelism = 1 };
            UnderdampedLangevin.SolveEnsemble(problem, options, ensemble); // warm-up
            long before = GC.GetAllocatedBytesForCurrentThread();
            var r = UnderdampedLangevin.SolveEnsemble(problem, options, ensemble);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(SdeStatus.Success, r.Status);
            return bytes;
        }
        long few = Allocated(new SdeOptions { FixedStep = 0.1 }), many = Allocated(new SdeOptions { FixedStep = 0.0025 });
        long loose = Allocated(new SdeOptions { RelativeTolerance = 1e-2 }), tight = Allocated(new SdeOptions { RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-5 });
        output.WriteLine($"fixed 10 vs 400 steps: {few} vs {many} bytes; adaptive loose vs tight: {loose} vs {tight} bytes");
        Assert.True(Math.Abs(many - few) <= 256, $"{few} bytes for 10 steps, {many} for 400");
        Assert.True(Math.Abs(tight - loose) <= 256, $"{loose} bytes loose, {tight} tight");
    }

    [Fact]
    public void Bad_input_is_rejected_with_the_argument_named()
    {
        PotentialGradient grad = (x, g) => g[0] = x[0];
        Assert.Equal("gradient", Assert.Throws<ArgumentNullException>(() => new UnderdampedLangevinProblem(null!, [0], [0], 1, 1, 0, 1)).ParamName);
        Assert.Equal("x0", Assert.Throws<ArgumentException>(() => new UnderdampedLangevinProblem(grad, [], [], 1, 1, 0, 1)).ParamName);
        Assert.Equal("v0", Assert.Throws<ArgumentException>(() => new UnderdampedLangevinProblem(grad, [0], [0, 1], 1, 1, 0, 1)).ParamName);
        Assert.Equal("x0", Assert.Throws<ArgumentException>(() => new UnderdampedLangevinProblem(grad, [double.NaN], [0], 1, 1, 0, 1)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new UnderdampedLangevinProblem(grad, [0], [0], 0, 1, 0, 1)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentOutOfRangeException>(() => new UnderdampedLangevinProblem(grad, [0], [0], double.PositiveInfinity, 1, 0, 1)).ParamName);
        Assert.Equal("u", Assert.Throws<ArgumentOutOfRangeException>(() => new UnderdampedLangevinProblem(grad, [0], [0], 1, double.NaN, 0, 1)).ParamName);
        Assert.Equal("u", Assert.Throws<ArgumentOutOfRangeException>(() => new UnderdampedLangevinProblem(grad, [0, 0], [0, 0], [1, 1], [1, -1], 0, 1)).ParamName);
        Assert.Equal("gamma", Assert.Throws<ArgumentException>(() => new UnderdampedLangevinProblem(grad, [0, 0], [0, 0], [1], [1, 1], 0, 1)).ParamName);
        Assert.Equal("t1", Assert.Throws<ArgumentException>(() => new UnderdampedLangevinProblem(grad, [0], [0], 1, 1, 1, 1)).ParamName);
        // ALIGN needs the Langevin structure.
        var ou = SdeReferenceProblems.Ou();
        Assert.Equal(0, AlignLangevin.Instance.StrongOrder(ou));
        var e = Assert.Throws<ArgumentException>(() => Sde.Solve(ou, AlignLangevin.Instance, new SdeOptions { FixedStep = 0.1 }));
        Assert.Equal("method", e.ParamName);
        Assert.Contains("UnderdampedLangevinProblem", e.Message, StringComparison.Ordinal);
        // A path with the wrong number of lanes.
        var problem = DoubleWell(1.0, 1.0);
        Assert.Throws<ArgumentException>(() => UnderdampedLangevin.Solve(problem, new SdeOptions { FixedStep = 0.1 }, new VirtualBrownianTree(0, 1, 0.01, 2, 1)));
    }

    [Fact]
    public void A_gradient_that_returns_NaN_ends_with_a_status()
    {
        var blowUp = new UnderdampedLangevinProblem((x, g) => g[0] = x[0] > 2 ? double.NaN : -x[0], [1.9], [1.0], 1, 1, 0, 5);
        var fixedStep = UnderdampedLangevin.Solve(blowUp, new SdeOptions { FixedStep = 0.01 });
        Assert.Equal(SdeStatus.NonFiniteValue, fixedStep.Status);
        Assert.True(fixedStep.Y.All(double.IsFinite));
        var adaptive = UnderdampedLangevin.Solve(blowUp);
        Assert.NotEqual(SdeStatus.Success, adaptive.Status);
        Assert.True(adaptive.Y.All(double.IsFinite));
    }
}
