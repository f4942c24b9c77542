using Ordo.Optimization;
using Ordo.Problems.Optimization;

namespace Ordo.Problems.Tests;

/// <summary>The MGH problem files against the independent values in mgh.json: F(x0) and the complex-step gradient at x0
/// (computed by a separate Python implementation), F at x*, and the internal consistency of the exact derivatives.</summary>
public class MghProblemsTests
{
    public static TheoryData<int> Ids => [.. Enumerable.Range(1, 35)];

    [Fact]
    public void ThereAre35ProblemsInOrder()
    {
        Assert.Equal(35, MghProblems.All.Count);
        for (int i = 0; i < 35; i++) Assert.Equal(i + 1, MghProblems.All[i].Id);
        Assert.Same(MghProblems.All[13], MghProblems.Get(14));
        Assert.Throws<ArgumentOutOfRangeException>(() => MghProblems.Get(36));
        Assert.Equal(9, MghProblems.All.Count(p => p.Bounded is not null));
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ValueAndGradientAtX0MatchTheComplexStepReference(int id)
    {
        MghProblem p = MghProblems.Get(id);
        MghObjective f = p.CreateObjective();
        Assert.Equal(p.N, f.Dimension);
        Assert.Equal(p.M, f.ResidualCount);
        double[] x0 = p.X0;
        Assert.True(Math.Abs(f.Value(x0) - p.FAtX0) <= 1e-12 * Math.Abs(p.FAtX0), $"F(x0) = {f.Value(x0):R}, mgh.json {p.FAtX0:R}");
        double[] g = new double[p.N];
        double value = f.ValueAndGradient(x0, g);
        Assert.Equal(f.Value(x0), value);
        double[] reference = p.GradientAtX0;
        double scale = reference.Max(Math.Abs);
        for (int i = 0; i < p.N; i++)
            Assert.True(Math.Abs(g[i] - reference[i]) <= 1e-10 * scale, $"dF/dx{i + 1} = {g[i]:R}, complex step {reference[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void ValueAtXStarMatchesTheRecordedOptimum(int id)
    {
        MghProblem p = MghProblems.Get(id);
        Assert.NotNull(p.XStar);
        double f = p.CreateObjective().Value(p.XStar!);
        Assert.True(Math.Abs(f - p.FAtXStar) <= 1e-9 * Math.Abs(p.FAtXStar) + 1e-20, $"F(x*) = {f:R}, mgh.json {p.FAtXStar:R}");
        Assert.True(p.IsSolved(f));
        // The recorded F* is the optimum: F(x*) agrees with it to the digits x* was written with.
        Assert.True(Math.Abs(f - p.FStar) <= 1e-8 * (p.FAtX0 - p.FStar), $"F(x*) = {f:R}, F* = {p.FStar:R}");
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void DerivativesAreConsistent(int id)
    {
        MghProblem p = MghProblems.Get(id);
        MghObjective f = p.CreateObjective();
        int n = p.N, m = p.M;
        // A point near x0 but off any symmetry of the start (several x0 are all equal components).
        double[] x = p.X0;
        for (int i = 0; i < n; i++) x[i] += 0.01 * (i + 1) / n * (1 + Math.Abs(x[i]));

        // Central differences (GradientChecker's steps h = ε^(1/3)·max(1, |x|)) carry a truncation error O(h²) and a
        // rounding error O(ε·|f|/h): Brown badly scaled has |f| ≈ 1e12 and Osborne 1 has variables of size 0.01 under
        // exponents of size 300, so agreement is judged against ‖g‖∞ and the rounding bound, not component by component.
        GradientCheckResult check = GradientChecker.Check(f, x, 1e-5);
        double fx = f.Value(x), gMax = check.Supplied.Max(Math.Abs);
        for (int i = 0; i < n; i++)
        {
            double step = Math.Cbrt(2.220446049250313e-16) * Math.Max(1, Math.Abs(x[i]));
            double allowed = 1e-4 * gMax + 10 * 2.220446049250313e-16 * Math.Abs(fx) / step;
            Assert.True(Math.Abs(check.Supplied[i] - check.FiniteDifference[i]) <= allowed,
                $"component {i}: exact {check.Supplied[i]:R}, central differences {check.FiniteDifference[i]:R} (allowed {allowed:G3})");
        }

        // ∇F = 2Jᵀr.
        double[] g = new double[n], r = new double[m], jac = new double[m * n], gj = new double[n];
        double value = f.ValueAndGradient(x, g);
        f.Residuals(x, r);
        f.Jacobian(x, jac);
        LeastSquares.Gradient(jac, r, n, gj);
        Assert.True(Math.Abs(LeastSquares.SumOfSquares(r) - value) <= 1e-12 * Math.Abs(value));
        double gScale = g.Max(Math.Abs);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(g[i] - gj[i]) <= 1e-10 * gScale, $"component {i}: {g[i]:R} vs 2Jᵀr {gj[i]:R}");

        // H·v from the product equals the dense Hessian times v, and H is symmetric.
        double[] h = new double[n * n], v = new double[n], hv = new double[n];
        for (int i = 0; i < n; i++) v[i] = Math.Sin(i + 1.0);
        f.Hessian(x, h);
        f.HessianVectorProduct(x, v, hv);
        double hScale = h.Max(Math.Abs);
        for (int i = 0; i < n; i++)
        {
            double dense = 0;
            for (int j = 0; j < n; j++) dense += h[i * n + j] * v[j];
            Assert.True(Math.Abs(hv[i] - dense) <= 1e-10 * hScale * n, $"(Hv)[{i}] = {hv[i]:R}, dense {dense:R}");
            for (int j = 0; j < i; j++) Assert.True(Math.Abs(h[i * n + j] - h[j * n + i]) <= 1e-10 * hScale);
        }

        // The Hessian by central differences of the exact gradient, column by column.
        double[] gp = new double[n], gm = new double[n], xt = (double[])x.Clone();
        for (int j = 0; j < n; j++)
        {
            double step = 1e-5 * Math.Max(1, Math.Abs(x[j]));
            xt[j] = x[j] + step;
            f.ValueAndGradient(xt, gp);
            xt[j] = x[j] - step;
            f.ValueAndGradient(xt, gm);
            xt[j] = x[j];
            for (int i = 0; i < n; i++)
            {
                double fd = (gp[i] - gm[i]) / (2 * step);
                Assert.True(Math.Abs(fd - h[i * n + j]) <= 1e-5 * Math.Max(hScale, 1e-300) + 1e-8, $"H[{i},{j}] = {h[i * n + j]:R}, differences {fd:R}");
            }
        }
    }

    [Fact]
    public void ObjectivesAreIndependentInstancesSharingTheCompiledCode()
    {
        MghProblem p = MghProblems.Get(19);
        MghObjective a = p.CreateObjective(), b = p.CreateObjective();
        Assert.NotSame(a, b);
        double[] x0 = p.X0;
        double[] results = new double[8];
        Parallel.For(0, results.Length, i => results[i] = p.CreateObjective().Value(x0));
        Assert.All(results, v => Assert.Equal(p.FAtX0, v, 1e-12 * p.FAtX0));
    }

    [Fact]
    public void IsSolvedIsTheMghTest()
    {
        MghProblem p = MghProblems.Get(8);   // Bard: F* = 8.2149e-3, F(x0) = 41.68
        double gap = p.FAtX0 - p.FStar;
        Assert.True(p.IsSolved(p.FStar + 0.9e-6 * gap));
        Assert.False(p.IsSolved(p.FStar + 1.1e-6 * gap));
        Assert.True(p.IsSolved(p.FStar + 0.9e-3 * gap, 1e-3));
        Assert.False(p.IsSolved(double.NaN));
        Assert.True(p.IsAtLocalMinimum(17.4286933));
        Assert.False(p.IsAtLocalMinimum(p.FStar));
    }

    [Fact]
    public void BoundedVariantsHoldTheirOptimumInsideTheBox()
    {
        foreach (MghProblem p in MghProblems.All.Where(p => p.Bounded is not null))
        {
            MghBoundedVariant b = p.Bounded!;
            Bounds box = b.CreateBounds();
            Assert.True(box.Contains(b.X0), $"MGH {p.Id}: projected x0 outside the box");
            double[] xs = (double[])b.XStar.Clone();
            box.Project(xs);   // x* is printed to 10 digits and may sit a rounding outside an active bound
            double f = p.CreateObjective().Value(xs);
            Assert.True(Math.Abs(f - b.FStar) <= 1e-6 * Math.Max(b.FStar, 1e-12) + 1e-12, $"MGH {p.Id}: F(x*_box) = {f:R}, recorded {b.FStar:R}");
        }
    }
}
