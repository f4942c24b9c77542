using System.Text;

namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// Adaptive stepping on a fixed Brownian path (sde.md §4.2, §5.6): one virtual Brownian tree per path, queried by every
/// tolerance and by the fixed-step runs, so errors are strong (pathwise) errors against the exact solution on that path
/// (GBM) or a fine fixed-step reference on it (NLADD: SRA3 with h = 2⁻¹¹, error ~1e-6).
/// </summary>
public class SdeAdaptiveConvergenceTests(ITestOutputHelper output)
{
    private const ulong Seed = 7;
    private const double TreeTol = 1.0 / 65536; // 2⁻¹⁶: a leaf is 1/32 of the reference step and far below the adaptive steps

    private static readonly double[] Tolerances = [1e-1, 1e-2, 1e-3, 1e-4];

    /// <summary>One test problem with its reference on a path.</summary>
    private sealed record Case(SdeProblem Problem, Action<VirtualBrownianTree, Span<double>> Reference);

    private static Case Gbm() => new(SdeReferenceProblems.Gbm(), (tree, x) =>
    {
        Span<double> w = stackalloc double[1];
        tree.Increment(0, 1, w);
        x[0] = SdeReferenceProblems.GbmExact(w[0]);
    });

    private static Case Nladd()
    {
        var problem = SdeReferenceProblems.NonlinearAdditive();
        var known = new Dictionary<(ulong Seed, ulong Stream), double>(); // per path: the fine reference is the costly part
        return new(problem, (tree, x) =>
        {
            if (!known.TryGetValue((tree.Seed, tree.Stream), out double value))
            {
                var sol = Sde.Solve(problem, SraMethod.Sra3, new SdeOptions { FixedStep = 1.0 / 2048 }, tree);
                Assert.Equal(SdeStatus.Success, sol.Status);
                known[(tree.Seed, tree.Stream)] = value = sol.Y[0];
            }
            x[0] = value;
        });
    }

    /// <summary>Per path and per run: |X₁ − reference| and the drift evaluations, plus attempted steps.</summary>
    private sealed class Runs(int paths, int runs)
    {
        public double[,] Error { get; } = new double[runs, paths];
        public double[,] Work { get; } = new double[runs, paths];
        public double[,] Steps { get; } = new double[runs, paths];
        public double[,] Rejected { get; } = new double[runs, paths];

        public double MeanError(int run) => Mean(Error, run);
        public double MeanWork(int run) => Mean(Work, run);
        public double MeanSteps(int run) => Mean(Steps, run);
        public double RejectedShare(int run) => Mean(Rejected, run) / Mean(Steps, run);

        private double Mean(double[,] a, int run)
        {
            double s = 0;
            for (int p = 0; p < paths; p++) s += a[run, p];
            return s / paths;
        }
    }

    /// <summary>Solves every path with each option set (same tree per path) and records error and work.</summary>
    private static Runs Solve(Case c, SdeMethod method, IReadOnlyList<SdeOptions> options, int paths, double treeTol = TreeTol, ulong seed = Seed)
    {
        var runs = new Runs(paths, options.Count);
        var tree = new VirtualBrownianTree(0, 1, treeTol, 1, seed);
        Span<double> reference = stackalloc double[1];
        for (int p = 0; p < paths; p++)
        {
            tree.Reset((ulong)p);
            c.Reference(tree, reference);
            for (int r = 0; r < options.Count; r++)
            {
                var sol = Sde.Solve(c.Problem, method, options[r], tree);
                Assert.True(sol.Status == SdeStatus.Success, $"{method.Name} path {p} run {r}: {sol.Status}");
                runs.Error[r, p] = Math.Abs(sol.Y[0] - reference[0]);
                runs.Work[r, p] = sol.Stats.DriftEvaluations;
                runs.Steps[r, p] = sol.Stats.AcceptedSteps + sol.Stats.RejectedSteps;
                runs.Rejected[r, p] = sol.Stats.RejectedSteps;
            }
        }
        return runs;
    }

    private static SdeOptions Adaptive(double rtol) => new() { RelativeTolerance = rtol, AbsoluteTolerance = rtol };

    /// <summary>Adaptive runs at each tolerance and fixed-step runs with the same mean drift evaluations (rejections are
    /// work too, so the comparison uses evaluations, not steps), on the same paths of one tree seed.</summary>
    private static (Runs Adaptive, int[] FixedSteps, Runs Fixed) AtEqualWork(Case c, SdeMethod method, double[] tolerances, int paths, ulong seed)
    {
        var adaptive = Solve(c, method, [.. tolerances.Select(Adaptive)], paths, seed: seed);
        double perStep = Sde.Solve(c.Problem, method, new SdeOptions { FixedStep = 0.5 }).Stats.DriftEvaluations / 2.0;
        var fixedSteps = tolerances.Select((_, r) => Math.Max(1, (int)Math.Round(adaptive.MeanWork(r) / perStep))).ToArray();
        return (adaptive, fixedSteps, Solve(c, method, [.. fixedSteps.Select(n => new SdeOptions { FixedStep = 1.0 / n })], paths, seed: seed));
    }

    /// <summary>
    /// Why <see cref="Error_against_work_adaptive_and_fixed_steps"/> runs 400 paths: the mean |error| is heavy-tailed, and
    /// ShARK's adaptive/fixed ratio at rtol 1e-3 on NLADD moves with the tree seed. Over eight seeds it must stay inside
    /// that test's bound of 6 at 400 paths; the 100-path spread is printed alongside (it reached 6.0, which is why the
    /// path count went up). docs/integration/sde-adaptive.md quotes these figures.
    /// </summary>
    [Fact]
    public void Error_ratio_spread_over_tree_seeds()
    {
        var c = Nladd();
        foreach (int paths in new[] { 100, 400 })
        {
            var ratios = new double[8];
            for (int k = 0; k < ratios.Length; k++)
            {
                var (adaptive, _, fixedRuns) = AtEqualWork(c, AdditiveSrkMethod.ShArk, [1e-3], paths, (ulong)k + 1);
                ratios[k] = adaptive.MeanError(0) / fixedRuns.MeanError(0);
            }
            output.WriteLine($"NLADD shark, rtol 1e-3, {paths} paths, tree seeds 1–8: adaptive/fixed error ratio {string.Join(" ", ratios.Select(r => r.ToString("F2")))} (range {ratios.Min():F2}–{ratios.Max():F2})");
            if (paths == 400) Assert.True(ratios.Max() <= 6.0, $"400-path ratio {ratios.Max():F2} above the bound 6");
        }
    }

    /// <summary>
    /// SPaRK, the adaptive method for any noise, on non-commutative noise (dX₁ = dW₁, dX₂ = X₁ ∘ dW₂): on one tree per
    /// path, tighter tolerances converge to the solution on that path (reference: stochastic Heun, h = 2⁻¹³, error
    /// about 0.004), and at equal drift evaluations adaptive steps are compared with fixed ones.
    /// </summary>
    [Fact]
    public void Spark_steps_adaptively_on_non_commutative_noise()
    {
        var problem = SdeReferenceProblems.NonCommutative();
        const int paths = 200;
        double[] tolerances = [1e-1, 1e-2, 1e-3];
        var method = StratonovichSrkMethod.Spark;
        var tree = new VirtualBrownianTree(0, 1, TreeTol, 2, Seed);
        double[] error = new double[3], work = new double[3], rejected = new double[3], steps = new double[3], fixedError = new double[3];
        var references = new double[paths][];
        for (int p = 0; p < paths; p++)
        {
            tree.Reset((ulong)p);
            references[p] = Sde.Solve(problem, StochasticHeun.Instance, new SdeOptions { FixedStep = 1.0 / 8192 }, tree).Y;
            for (int r = 0; r < tolerances.Length; r++)
            {
                var sol = Sde.Solve(problem, method, Adaptive(tolerances[r]), tree);
                Assert.Equal(SdeStatus.Success, sol.Status);
                error[r] += Distance(sol.Y, references[p]) / paths;
                work[r] += (double)sol.Stats.DriftEvaluations / paths;
                steps[r] += (double)(sol.Stats.AcceptedSteps + sol.Stats.RejectedSteps) / paths;
                rejected[r] += (double)sol.Stats.RejectedSteps / paths;
            }
        }
        var fixedSteps = work.Select(w => Math.Max(1, (int)Math.Round(w / 3))).ToArray(); // three drift evaluations per step
        for (int p = 0; p < paths; p++)
        {
            tree.Reset((ulong)p);
            for (int r = 0; r < tolerances.Length; r++)
                fixedError[r] += Distance(Sde.Solve(problem, method, new SdeOptions { FixedStep = 1.0 / fixedSteps[r] }, tree).Y, references[p]) / paths;
        }
        output.WriteLine($"NONCOMM spark ({paths} paths): rtol, attempted steps, rejected share, drift evaluations, error | fixed steps, error | ratio");
        for (int r = 0; r < tolerances.Length; r++)
            output.WriteLine($"  {tolerances[r]:E0}  {steps[r],7:F1}  {rejected[r] / steps[r],5:P0}  {work[r],7:F0}  {error[r]:E2} | {fixedSteps[r],5}  {fixedError[r]:E2} | {error[r] / fixedError[r]:F2}");
        // Order ½: tenfold work per decade of rtol buys about √10 (measured: 2.0× and 2.9×, 5.8× over both decades).
        for (int r = 1; r < tolerances.Length; r++)
            Assert.True(error[r] < error[r - 1], $"error did not fall from rtol {tolerances[r - 1]:E0} ({error[r - 1]:E3}) to {tolerances[r]:E0} ({error[r]:E3})");
        Assert.True(error[2] < error[0] / 3, $"error at rtol 1e-3 {error[2]:E3} not 3× below that at 1e-1 {error[0]:E3}");
        // Adaptivity buys nothing here (measured ratios 1.30, 1.39, 1.55): the noise is the same everywhere.
        for (int r = 0; r < tolerances.Length; r++)
            Assert.True(error[r] / fixedError[r] <= 2.5, $"rtol {tolerances[r]:E0}: adaptive error {error[r] / fixedError[r]:F2}× the fixed-step error");
    }

    private static double Distance(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(s);
    }

    [Theory]
    [InlineData("shark", "nladd")]
    [InlineData("sriw1", "gbm")]
    public void Same_path_for_all_tolerances_converges_strongly(string methodName, string problemName)
    {
        var method = SdeMethods.Get(methodName);
        var c = problemName == "gbm" ? Gbm() : Nladd();
        const int paths = 100;
        var runs = Solve(c, method, [.. Tolerances.Select(Adaptive)], paths);
        var e = Tolerances.Select((_, r) => runs.MeanError(r)).ToArray();
        output.WriteLine($"{c.Problem.Name} {method.Name}: mean |X₁(rtol) − X₁(path)| over {paths} paths");
        for (int r = 0; r < Tolerances.Length; r++)
            output.WriteLine($"  rtol {Tolerances[r]:E0}  error {e[r]:E3}  steps {runs.MeanSteps(r),7:F1}");
        for (int r = 1; r < Tolerances.Length; r++)
            Assert.True(e[r] < e[r - 1], $"error did not decrease from rtol {Tolerances[r - 1]:E0} ({e[r - 1]:E3}) to {Tolerances[r]:E0} ({e[r]:E3})");
        // Approaches the solution on this path: three decades of rtol buy at least 1.5 decades of error (measured:
        // 2.0 for ShARK, 3.7 for SRIW1), and at rtol 1e-4 the error is three decades below the spread of X₁ across
        // paths (standard deviation ≥ 0.4 for both problems).
        Assert.True(e[^1] < e[0] / 30, $"error at rtol 1e-4 {e[^1]:E3} not 30× below that at 1e-1 {e[0]:E3}");
        Assert.True(e[^1] < 3e-4, $"error at rtol 1e-4 {e[^1]:E3}");
    }

    /// <summary>
    /// Error against work: adaptive steps at rtol = atol ∈ {1e-1, 1e-2, 1e-3} against fixed steps with the same mean
    /// number of drift evaluations (rejected steps count), on the same paths. The bounds on the error ratio
    /// adaptive/fixed are the measured ratios (docs/integration/sde-adaptive.md) with margin. Adaptive stepping is
    /// WORSE on NLADD (2.3–4.4×: constant additive noise leaves nothing to adapt to, a quarter of the attempts are
    /// rejected, and the drift-difference estimate follows the size of each Brownian increment rather than the local
    /// error) and on GBM with SRIW1 (1.2–2.3×); it is better only for Heun on GBM (0.44–0.61× at rtol ≤ 1e-2).
    /// </summary>
    [Theory]
    [InlineData("shark", "nladd", 5.0, 4.0, 6.0)]
    [InlineData("sra1", "nladd", 5.0, 4.0, 6.0)]
    [InlineData("sriw1", "gbm", 4.0, 1.6, 2.1)]
    [InlineData("stochastic-heun", "gbm", 1.5, 0.8, 0.7)]
    public void Error_against_work_adaptive_and_fixed_steps(string methodName, string problemName, double bound1, double bound2, double bound3)
    {
        var method = SdeMethods.Get(methodName);
        var c = problemName == "gbm" ? Gbm() : Nladd();
        // 400 paths: the mean |error| has a heavy tail, and at 100 paths the ShARK ratio at rtol 1e-3 ranged over
        // 3.6–6.0 across eight tree seeds (an ulp-level change of the normals moved this seed from 3.9 to 6.0); at 400
        // paths the eight seeds give 3.7–4.8 (SRA1 3.9–5.1), inside the unchanged bounds.
        const int paths = 400;
        double[] tolerances = [1e-1, 1e-2, 1e-3];
        var (adaptive, fixedSteps, fixedRuns) = AtEqualWork(c, method, tolerances, paths, Seed);
        var table = new StringBuilder();
        table.AppendLine($"{c.Problem.Name} {method.Name} ({paths} paths; work = drift evaluations per path)");
        table.AppendLine("  rtol   adaptive: steps  rejected  work   error     | fixed: steps  work   error     | error ratio adaptive/fixed");
        var ratios = new double[tolerances.Length];
        for (int r = 0; r < tolerances.Length; r++)
        {
            ratios[r] = adaptive.MeanError(r) / fixedRuns.MeanError(r);
            table.AppendLine($"  {tolerances[r]:E0}  {adaptive.MeanSteps(r),14:F1}  {adaptive.RejectedShare(r),8:P0}  {adaptive.MeanWork(r),5:F0}  {adaptive.MeanError(r):E2}  | {fixedSteps[r],11}  {fixedRuns.MeanWork(r),5:F0}  {fixedRuns.MeanError(r):E2}  | {ratios[r]:F2}");
        }
        output.WriteLine(table.ToString());
        // Equal work by construction (to rounding of the step count).
        for (int r = 0; r < tolerances.Length; r++)
            Assert.InRange(fixedRuns.MeanWork(r) / adaptive.MeanWork(r), 0.8, 1.25);
        double[] bounds = [bound1, bound2, bound3];
        for (int r = 0; r < tolerances.Length; r++)
        {
            Assert.True(ratios[r] <= bounds[r], $"rtol {tolerances[r]:E0}: adaptive error {ratios[r]:F2}× the fixed-step error at equal work (bound {bounds[r]})");
            if (r > 0) Assert.True(adaptive.MeanError(r) < adaptive.MeanError(r - 1) / 3, "the adaptive error must fall with rtol");
        }
    }

    [Theory]
    [InlineData("shark", "nladd", 1e-2, 1.5)]
    [InlineData("sra1", "nladd", 1e-2, 1.5)]
    [InlineData("sriw1", "gbm", 1e-1, 1.0)]
    [InlineData("stochastic-heun", "gbm", 1e-1, 1.0)]
    public void Step_count_scales_with_the_order_of_the_error_estimate(string methodName, string problemName, double loosest, double estimateOrder)
    {
        // Controller sanity (sde.md §5.6): once the controller holds the error norm near 1, h ∝ rtol^(1/q) where
        // h^q is how the error ESTIMATE shrinks, whatever order the controller assumes, so the log-log slope of
        // attempted steps against rtol is −1/q, asserted within ±30 %. §5.6 expects q = strong + ½ (2 for ShARK, SRA1
        // and SRIW1, 1.5 for Heun on commutative noise), but the estimates shrink more slowly:
        //   ShARK, SRA1 (additive): h Σ eᵢ f(Yᵢ) with stages apart by G·O(√h), so O(h^1.5);
        //   SRIW1 on GBM: the natural embedding's E₂ = (stochastic weights)·(g at stages apart by O(√h)) ~ O(h);
        //   Heun on GBM: ½(G̃ − G)W ≈ ½σ²X W² ~ O(h).
        // The measured slopes are in docs/integration/sde-adaptive.md (1/(strong + ½) is outside ±30 % for all four).
        var method = SdeMethods.Get(methodName);
        var c = problemName == "gbm" ? Gbm() : Nladd();
        double[] tolerances = [loosest, loosest / 10, loosest / 100, loosest / 1000];
        const int paths = 50;
        // Heun's O(h) estimate with random W² needs steps far below the typical one at rtol 1e-4: a 2⁻²⁰ leaf.
        var runs = Solve(c with { Reference = (_, x) => x[0] = 0 }, method, [.. tolerances.Select(Adaptive)], paths, Math.ScaleB(1.0, -20));
        var steps = tolerances.Select((_, r) => runs.MeanSteps(r)).ToArray();
        double slope = SdeReferenceProblems.Slope(tolerances, steps);
        double assumed = -1 / (method.StrongOrder(c.Problem) + 0.5);
        output.WriteLine($"{c.Problem.Name} {method.Name}: steps {string.Join(" ", steps.Select(s => s.ToString("F1")))} at rtol {string.Join(" ", tolerances.Select(t => t.ToString("E0")))}; slope {slope:F3} (estimate order {estimateOrder}: {-1 / estimateOrder:F3}; 1/(strong + ½) would give {assumed:F3})");
        Assert.InRange(slope, -1.3 / estimateOrder, -0.7 / estimateOrder);
    }
}
