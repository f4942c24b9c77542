using Ordo.Optimization;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Problems.Tests;

/// <summary>The objectives and bounds of minimize and least-squares files against hand-computed derivatives.</summary>
public class ProblemFileObjectivesTests
{
    [Fact]
    public void MinimizeFile_GivesValueGradientAndHessianOfTheExpression()
    {
        // f = x²y + e^y: ∇f = (2xy, x² + e^y), ∇²f = [[2y, 2x], [2x, e^y]].
        var file = (MinimizeProblemFile)ProblemFileReader.Parse("""{"kind": "minimize", "variables": ["x", "y"], "objective": "x^2*y + exp(y)", "x0": [1, 0]}""", "m.json");
        IHessianObjective f = ProblemFileObjectives.CreateObjective(file);
        Assert.IsType<MinimizeFileObjective>(f);
        Assert.False(f is ILeastSquaresObjective);
        double[] x = [2, 1], g = new double[2], h = new double[4], hv = new double[2];
        Assert.Equal(4 + Math.E, f.ValueAndGradient(x, g), 1e-15);
        Assert.Equal(4, g[0], 1e-15);
        Assert.Equal(4 + Math.E, g[1], 1e-15);
        f.Hessian(x, h);
        Assert.Equal([2, 4, 4, Math.E], h);
        f.HessianVectorProduct(x, [1, -1], hv);
        Assert.Equal(-2, hv[0], 1e-15);
        Assert.Equal(4 - Math.E, hv[1], 1e-15);
        Assert.Null(ProblemFileObjectives.CreateBounds(file));
    }

    /// <summary>r_i = x·y − c_i: ∇f = 2Σ(xy − c_i)(y, x), ∇²f = 2Σ[(y, x)(y, x)ᵀ + (xy − c_i)[[0, 1], [1, 0]]].</summary>
    private static void CheckProductResiduals(LeastSquaresFileObjective f, double[] c)
    {
        double[] x = [1.5, -0.5];
        double s = c.Sum(ci => x[0] * x[1] - ci), ss = c.Sum(ci => Math.Pow(x[0] * x[1] - ci, 2));
        int m = c.Length;
        double[] g = new double[2], h = new double[4], hv = new double[2];
        Assert.Equal(ss, f.Value(x), 1e-12 * ss);
        Assert.Equal(ss, f.ValueAndGradient(x, g), 1e-12 * ss);
        Assert.Equal(2 * s * x[1], g[0], 1e-12 * Math.Abs(2 * s));
        Assert.Equal(2 * s * x[0], g[1], 1e-12 * Math.Abs(2 * s));
        f.Hessian(x, h);
        double[] expected = [2 * m * x[1] * x[1], 2 * m * x[0] * x[1] + 2 * s, 2 * m * x[0] * x[1] + 2 * s, 2 * m * x[0] * x[0]];
        for (int k = 0; k < 4; k++) Assert.Equal(expected[k], h[k], 1e-10 * m);
        f.HessianVectorProduct(x, [1, 2], hv);
        Assert.Equal(expected[0] + 2 * expected[1], hv[0], 1e-10 * m);
        Assert.Equal(expected[2] + 2 * expected[3], hv[1], 1e-10 * m);
        double[] r = new double[m], jac = new double[2 * m];
        f.Residuals(x, r);
        f.Jacobian(x, jac);
        Assert.Equal(x[0] * x[1] - c[^1], r[^1], 1e-15);
        Assert.Equal([x[1], x[0]], jac[^2..]);
    }

    [Fact]
    public void LeastSquaresFile_IncludesTheSecondOrderResidualTerms()
    {
        double[] c = [0.5, 1, 2];
        var file = (LeastSquaresProblemFile)ProblemFileReader.Parse(
            """{"kind": "least-squares", "variables": ["x", "y"], "data": {"c": [0.5, 1, 2]}, "residuals": ["x*y - c[1]", "x*y - c[2]", "x*y - c[3]"], "x0": [1, 1]}""", "ls.json");
        var f = Assert.IsType<LeastSquaresFileObjective>(ProblemFileObjectives.CreateObjective(file));
        Assert.Equal(1, f.CompiledBlocks);
        Assert.Equal(3, f.ResidualCount);
        CheckProductResiduals(f, c);
    }

    [Fact]
    public void LeastSquaresFile_PastTheSizeLimits_AddsTheDerivativesOfBlocks()
    {
        // Σ (rᵢ)² of 7 residuals is past a 40-node limit (the default is 10,000: thousands of residuals), so f is
        // compiled in blocks whose values and derivatives add up.
        double[] c = [0.5, 1, 2, -1, 3, 0.25, 4];
        string residuals = string.Join(", ", Enumerable.Range(1, c.Length).Select(i => $"\"x*y - c[{i}]\""));
        var file = (LeastSquaresProblemFile)ProblemFileReader.Parse(
            $$"""{"kind": "least-squares", "variables": ["x", "y"], "data": {"c": [0.5, 1, 2, -1, 3, 0.25, 4]}, "residuals": [{{residuals}}], "x0": [1, 1]}""", "blocks.json");
        var f = new LeastSquaresFileObjective(file, new Ordo.Expressions.ExpressionLimits { MaxNodes = 40 });
        Assert.InRange(f.CompiledBlocks, 2, 7);
        CheckProductResiduals(f, c);
    }

    [Fact]
    public void Bounds_NullEntriesAreUnbounded()
    {
        var file = (MinimizeProblemFile)ProblemFileReader.Parse(
            """{"kind": "minimize", "variables": ["x", "y", "z"], "objective": "x^2 + y^2 + z^2", "x0": [0, 0, 0], "lower": [-1, null, 0], "upper": [null, 2, 3]}""", "b.json");
        Bounds b = ProblemFileObjectives.CreateBounds(file)!;
        Assert.Equal([-1, double.NegativeInfinity, 0], b.Lower.ToArray());
        Assert.Equal([double.PositiveInfinity, 2, 3], b.Upper.ToArray());
        Assert.True(b.IsBounded);
        var onlyLower = (MinimizeProblemFile)ProblemFileReader.Parse(
            """{"kind": "minimize", "variables": ["x"], "objective": "x^2", "x0": [0], "lower": [null]}""", "l.json");
        Bounds free = ProblemFileObjectives.CreateBounds(onlyLower)!;
        Assert.False(free.IsBounded);
        Assert.Equal([double.PositiveInfinity], free.Upper.ToArray());
    }
}
