namespace Ordo.Optimization.Tests;

/// <summary>
/// The Moré–Thuente and Hager–Zhang searches on one-dimensional φ with known properties: the six test functions of
/// Moré &amp; Thuente (1994, §5), each from α₀ = 10⁻³, 10⁻¹, 10, 10³, with the (strong) Wolfe conditions checked at the
/// returned step from the closed forms; non-finite regions; the step limit; a slope inconsistent with φ.
/// </summary>
public class LineSearchTests
{
    /// <summary>φ and φ' of the paper's test functions; (μ, η) are the paper's c₁, c₂ for each.</summary>
    internal sealed record PaperFunction(string Name, Func<double, double> Phi, Func<double, double> Slope, double Mu, double Eta);

    private static PaperFunction Function(int k)
    {
        switch (k)
        {
            case 1:
            {
                const double b = 2;
                return new("φ1", a => -a / (a * a + b), a => (a * a - b) / ((a * a + b) * (a * a + b)), 1e-3, 0.1);
            }
            case 2:
            {
                const double b = 0.004;
                return new("φ2", a => Math.Pow(a + b, 5) - 2 * Math.Pow(a + b, 4), a => 5 * Math.Pow(a + b, 4) - 8 * Math.Pow(a + b, 3), 0.1, 0.1);
            }
            case 3:
            {
                const double b = 0.01, l = 39;
                double Phi0(double a) => a <= 1 - b ? 1 - a : a >= 1 + b ? a - 1 : (a - 1) * (a - 1) / (2 * b) + b / 2;
                double Dphi0(double a) => a <= 1 - b ? -1 : a >= 1 + b ? 1 : (a - 1) / b;
                return new("φ3", a => Phi0(a) + 2 * (1 - b) / (l * Math.PI) * Math.Sin(l * Math.PI * a / 2),
                    a => Dphi0(a) + (1 - b) * Math.Cos(l * Math.PI * a / 2), 0.1, 0.1);
            }
            default:
            {
                (double b1, double b2) = k switch { 4 => (0.001, 0.001), 5 => (0.01, 0.001), _ => (0.001, 0.01) };
                double G(double b) => Math.Sqrt(1 + b * b) - b;
                return new($"φ{k}",
                    a => G(b1) * Math.Sqrt((1 - a) * (1 - a) + b2 * b2) + G(b2) * Math.Sqrt(a * a + b1 * b1),
                    a => G(b1) * (a - 1) / Math.Sqrt((1 - a) * (1 - a) + b2 * b2) + G(b2) * a / Math.Sqrt(a * a + b1 * b1),
                    1e-3, 1e-3);
            }
        }
    }

    /// <summary>f(x) = φ(x₀) in one variable, so that φ(α) = f(0 + α·1). Records the largest α tried.</summary>
    private sealed class OneDimensional(Func<double, double> phi, Func<double, double> slope) : IGradientObjective
    {
        public double LargestTried { get; private set; }
        public int Dimension => 1;
        public double Value(ReadOnlySpan<double> x) { LargestTried = Math.Max(LargestTried, x[0]); return phi(x[0]); }
        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g) { g[0] = slope(x[0]); return Value(x); }
    }

    private static LineFunction Line(OneDimensional f)
    {
        var evaluator = new ObjectiveEvaluator(f, long.MaxValue, CancellationToken.None);
        var phi = new LineFunction(evaluator);
        double[] g = new double[1];
        double f0 = f.ValueAndGradient([0.0], g);
        phi.Reset([0.0], f0, g, [1.0]);
        return phi;
    }

    private static readonly double[] PaperStarts = [1e-3, 1e-1, 1e1, 1e3];

    /// <summary>Moré &amp; Thuente (1994), Tables 1–6: evaluations from α₀ = 10⁻³, 10⁻¹, 10, 10³.</summary>
    private static readonly int[][] PaperEvaluations =
    [
        [6, 3, 1, 4], [12, 8, 8, 11], [12, 12, 10, 13], [4, 1, 3, 4], [6, 3, 7, 8], [13, 11, 8, 11],
    ];

    public static TheoryData<int, double> PaperCases()
    {
        var data = new TheoryData<int, double>();
        for (int k = 1; k <= 6; k++)
            foreach (double a0 in new[] { 1e-3, 1e-1, 1e1, 1e3 }) data.Add(k, a0);
        return data;
    }

    [Theory]
    [MemberData(nameof(PaperCases))]
    public void MoreThuenteSatisfiesTheStrongWolfeConditionsOnThePaperFunctions(int k, double alpha0)
    {
        var fn = Function(k);
        var phi = Line(new OneDimensional(fn.Phi, fn.Slope));
        var search = new MoreThuenteLineSearch { SufficientDecrease = fn.Mu, CurvatureCondition = fn.Eta };
        var r = search.Search(phi, alpha0);
        Assert.Equal(LineSearchStatus.Success, r.Status);
        double a = r.Step, f0 = fn.Phi(0), g0 = fn.Slope(0);
        Assert.True(fn.Phi(a) <= f0 + fn.Mu * a * g0, $"{fn.Name} α0={alpha0}: sufficient decrease fails at α={a}");
        Assert.True(Math.Abs(fn.Slope(a)) <= fn.Eta * Math.Abs(g0), $"{fn.Name} α0={alpha0}: curvature fails at α={a}, φ'={fn.Slope(a)}");
        // The evaluation counts of the paper's Tables 1–6 (its Fortran implementation) for the same cases.
        Assert.Equal(PaperEvaluations[k - 1][Array.IndexOf(PaperStarts, alpha0)], phi.Evaluations);
        // The trial state is left at the accepted step.
        Assert.Equal(a, phi.TrialStep);
        Assert.True(phi.TrialHasGradient);
        Assert.Equal(fn.Phi(a), phi.TrialValue);
    }

    [Fact]
    public void MoreThuenteAcceptsTheFirstTrialWhenItIsAlreadyAStrongWolfePoint()
    {
        // φ1 at α = 10: φ'(10) = 98/102² ≈ 0.0094 ≤ 0.1·|φ'(0)| = 0.05 and φ(10) ≈ −0.098 < φ(0): one evaluation.
        var fn = Function(1);
        var phi = Line(new OneDimensional(fn.Phi, fn.Slope));
        var r = new MoreThuenteLineSearch { SufficientDecrease = 1e-3, CurvatureCondition = 0.1 }.Search(phi, 10);
        Assert.Equal((10.0, 1), (r.Step, phi.Evaluations));
    }

    [Theory]
    [MemberData(nameof(PaperCases))]
    public void HagerZhangSatisfiesTheWolfeConditionsOnThePaperFunctions(int k, double alpha0)
    {
        var fn = Function(k);
        var phi = Line(new OneDimensional(fn.Phi, fn.Slope));
        var search = new HagerZhangLineSearch();
        var r = search.Search(phi, alpha0);
        Assert.Equal(LineSearchStatus.Success, r.Status);
        double a = r.Step, f0 = fn.Phi(0), g0 = fn.Slope(0);
        // The Wolfe conditions (δ = 0.1, σ = 0.9), or, when the search had to fall back to them (it then says so),
        // the approximate Wolfe conditions with ε = 1e-6·|φ(0)|.
        bool wolfe = fn.Phi(a) - f0 <= 0.1 * a * g0 && fn.Slope(a) >= 0.9 * g0;
        bool approximate = search.UsingApproximateWolfe && fn.Slope(a) >= 0.9 * g0 && fn.Slope(a) <= (2 * 0.1 - 1) * g0
            && fn.Phi(a) <= f0 + 1e-6 * Math.Abs(f0);
        Assert.True(wolfe || approximate, $"{fn.Name} α0={alpha0}: neither condition holds at α={a}, φ'={fn.Slope(a)}");
        Assert.True(phi.Evaluations <= 40, $"{fn.Name} α0={alpha0}: {phi.Evaluations} evaluations");
        Assert.Equal(a, phi.TrialStep);
    }

    private static double Parabola(double a) => (a - 1.5) * (a - 1.5);

    public static TheoryData<double, bool> NonFiniteCases() => new()
    {
        { 100, true }, { 1e6, false }, { 2.5, true },
    };

    [Theory]
    [MemberData(nameof(NonFiniteCases))]
    public void BothSearchesBisectBackOutOfANonFiniteRegion(double alpha0, bool nan)
    {
        // φ = (α − 1.5)² for α < 2, NaN (or +∞) beyond: a first trial there must be cut back, never accepted.
        double bad = nan ? double.NaN : double.PositiveInfinity;
        var fn = new OneDimensional(a => a < 2 ? Parabola(a) : bad, a => a < 2 ? 2 * (a - 1.5) : bad);
        foreach (ILineSearch search in new ILineSearch[] { new MoreThuenteLineSearch(), new HagerZhangLineSearch() })
        {
            var phi = Line(fn);
            var r = search.Search(phi, alpha0);
            Assert.Equal(LineSearchStatus.Success, r.Status);
            Assert.True(r.Step < 2 && double.IsFinite(r.Value), $"{search.Name}: α = {r.Step}");
            Assert.True(Parabola(r.Step) <= 2.25 - 1e-4 * r.Step * 3, search.Name);
            Assert.True(phi.Evaluations <= 40, $"{search.Name}: {phi.Evaluations}");
        }
    }

    [Fact]
    public void AFiniteValueWithANonFiniteSlopeIsAlsoTooLong()
    {
        var fn = new OneDimensional(a => Parabola(Math.Min(a, 5)), a => a < 3 ? 2 * (a - 1.5) : double.NaN);
        var r = new MoreThuenteLineSearch().Search(Line(fn), 50);
        Assert.Equal(LineSearchStatus.Success, r.Status);
        Assert.True(r.Step < 3);
    }

    [Fact]
    public void TheStepLimitIsHonouredAndSufficientDecreaseThereIsAccepted()
    {
        // φ(α) = −α decreases forever: with maxStep = 3 both searches stop at α = 3 and never try beyond.
        foreach (ILineSearch search in new ILineSearch[] { new MoreThuenteLineSearch(), new HagerZhangLineSearch() })
        {
            var fn = new OneDimensional(a => -a, _ => -1);
            var r = search.Search(Line(fn), 0.01, maxStep: 3);
            Assert.Equal(LineSearchStatus.Success, r.Status);
            Assert.Equal(3, r.Step);
            Assert.Equal(3, fn.LargestTried);
        }
        // A first trial beyond the limit is clipped to it.
        var fn2 = new OneDimensional(Parabola, a => 2 * (a - 1.5));
        var r2 = new MoreThuenteLineSearch().Search(Line(fn2), 10, maxStep: 1);
        Assert.Equal((LineSearchStatus.Success, 1.0), (r2.Status, r2.Step));
        Assert.True(fn2.LargestTried <= 1);
    }

    [Fact]
    public void ASlopeInconsistentWithTheValuesFailsWithoutClaimingSuccess()
    {
        // φ is constant but the reported slope is −1: no step gives sufficient decrease.
        foreach (ILineSearch search in new ILineSearch[] { new MoreThuenteLineSearch(), new HagerZhangLineSearch() })
        {
            var phi = Line(new OneDimensional(_ => 1, _ => -1));
            var r = search.Search(phi, 1);
            Assert.False(r.Succeeded, search.Name);
            Assert.True(r.Status is LineSearchStatus.StepBelowRounding or LineSearchStatus.MaxEvaluations, $"{search.Name}: {r.Status}");
            Assert.Equal(0, r.Step);
        }
    }

    [Fact]
    public void AnAscentDirectionIsRefused()
    {
        var phi = Line(new OneDimensional(a => a * a + a, a => 2 * a + 1));
        Assert.Equal(LineSearchStatus.NotDescent, new MoreThuenteLineSearch().Search(phi, 1).Status);
        Assert.Equal(LineSearchStatus.NotDescent, new HagerZhangLineSearch().Search(phi, 1).Status);
        Assert.Equal(0, phi.Evaluations);
    }

    [Fact]
    public void HagerZhangSwitchesToApproximateWolfeWhenFStagnatesAndCloneStartsFresh()
    {
        var search = new HagerZhangLineSearch();
        var fn = new OneDimensional(Parabola, a => 2 * (a - 1.5));
        Assert.False(search.UsingApproximateWolfe);
        // Two searches from the same f: |f_k − f_{k−1}| = 0 ≤ ω·C_k.
        search.Search(Line(fn), 1);
        Assert.False(search.UsingApproximateWolfe);
        search.Search(Line(fn), 1);
        Assert.True(search.UsingApproximateWolfe);
        var fresh = (HagerZhangLineSearch)search.Clone();
        Assert.False(fresh.UsingApproximateWolfe);
        Assert.NotSame(search, fresh);
    }

    [Fact]
    public void HagerZhangApproximateWolfeAcceptsAPointTheWolfeTestCannotResolve()
    {
        // Near a minimizer, φ(α) − φ(0) is below rounding of φ(0) = 1e8: the exact Wolfe sufficient-decrease test
        // cannot be checked, the approximate one (on φ') can.
        const double f0 = 1e8;
        var fn = new OneDimensional(a => f0 + 1e-12 * (a - 1) * (a - 1), a => 2e-12 * (a - 1));
        var search = new HagerZhangLineSearch { AlwaysApproximateWolfe = true };
        var r = search.Search(Line(fn), 0.9);
        Assert.Equal(LineSearchStatus.Success, r.Status);
        double g0 = -2e-12, ga = 2e-12 * (r.Step - 1);
        Assert.True(ga >= 0.9 * g0 && ga <= (2 * 0.1 - 1) * g0, $"α = {r.Step}");
        // The ordinary Wolfe test cannot hold here (every φ(α) rounds to φ(0)): a fresh search falls back to the
        // approximate conditions and switches to them.
        var plain = new HagerZhangLineSearch();
        var phi = Line(fn);
        Assert.True(plain.Search(phi, 0.9).Succeeded);
        Assert.True(plain.UsingApproximateWolfe);
        Assert.True(phi.Evaluations > 1);
    }
}
