using System.Text;
using static Ordo.Expressions.Tests.TestSupport;

namespace Ordo.Expressions.Tests;

/// <summary>Hostile input is harmless: deep nesting, huge strings, too many nodes and too much loop work all give a
/// clean <see cref="ExpressionException"/> at compile time (never a stack overflow), and long flat chains work. The
/// deep cases run on the test thread itself, with its ordinary stack.</summary>
public class LimitTests
{
    private static string Repeat(string s, int n) => new StringBuilder(s.Length * n).Insert(0, s, n).ToString();

    private static ExpressionException AssertLimit(string expression, ExpressionContext context, ExpressionLimits? limits, params string[] fragments)
    {
        var e = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompileScalar(expression, context, limits));
        foreach (string fragment in fragments) Assert.Contains(fragment, e.Message);
        return e;
    }

    [Fact]
    public void Parentheses_200000Deep_GiveExpressionException()
    {
        const int n = 200_000;
        string text = Repeat("(", n) + "1" + Repeat(")", n);
        var e = AssertLimit(text, Scalars("x"), null, "nested more than 200 levels deep");
        Assert.True(e.Column > 0 && e.Column <= 202, $"column {e.Column}");
        Assert.Contains($"at column {e.Column}", e.Message);
    }

    [Fact]
    public void UnaryMinus_200000Nested_GivesExpressionException()
    {
        string text = Repeat("-", 200_000) + "x";
        AssertLimit(text, Scalars("x"), null, "nested more than 200 levels deep");
        AssertLimit(Repeat("- ", 200_000) + "x", Scalars("x"), null, "nested more than 200 levels deep");
        AssertLimit(Repeat("-(", 100_000) + "x" + Repeat(")", 100_000), Scalars("x"), null, "nested more than 200 levels deep");
    }

    [Fact]
    public void PowerChain_100000Deep_GivesExpressionException()
    {
        string text = "2" + Repeat("^2", 100_000);
        AssertLimit(text, Scalars("x"), null, "nested more than 200 levels deep");
        AssertLimit("x" + Repeat("^-x", 100_000), Scalars("x"), null, "nested more than 200 levels deep");
    }

    [Fact]
    public void OtherDeepNesting_Calls_Indices_If_Sums_GiveExpressionException()
    {
        var ctx = new ExpressionContext().AddVectorVariable("y", 2).AddVariable("x");
        AssertLimit(Repeat("sin(", 100_000) + "x" + Repeat(")", 100_000), ctx, null, "nested more than");
        AssertLimit(Repeat("max(x, ", 100_000) + "x" + Repeat(")", 100_000), ctx, null, "nested more than");
        AssertLimit(Repeat("y[", 100_000) + "1" + Repeat("]", 100_000), ctx, null, "nested more than");
        AssertLimit(Repeat("if(x < 1, x, ", 50_000) + "x" + Repeat(")", 50_000), ctx, null, "nested more than");
        AssertLimit(Repeat("if((", 50_000) + "x" + Repeat(") < 1, 1, 2)", 50_000), ctx, null, "nested more than");
        AssertLimit(Repeat("sum(i, 1, 2, ", 50_000) + "x" + Repeat(")", 50_000), ctx, null, "nested more than");
        // Unclosed: the depth limit strikes before the missing ')' would be noticed.
        AssertLimit(Repeat("(", 300_000), ctx, null, "nested more than");
        AssertLimit(Repeat("x*(", 300_000), ctx, null, "nested more than");
    }

    [Fact]
    public void Nesting_JustUnderTheLimit_CompilesAndDifferentiates()
    {
        var ctx = Scalars("x");
        var parens = ExpressionCompiler.CompileScalar(Repeat("(", 150) + "x" + Repeat(")", 150), ctx);
        Assert.Equal(2.5, parens.Evaluate([2.5]));
        // 60 nested sines, with gradient and Hessian.
        var sines = ExpressionCompiler.CompileScalar(Repeat("sin(", 60) + "x" + Repeat(")", 60), ctx);
        double value = 0.7, derivative = 1;
        for (int i = 0; i < 60; i++)
        {
            derivative *= Math.Cos(value);
            value = Math.Sin(value);
        }
        Assert.Equal(value, sines.Evaluate([0.7]));
        AssertClose(derivative, Gradient(sines, [0.7])[0], 1e-13);
        var h = new double[1];
        sines.Hessian([0.7], h);
        Assert.True(double.IsFinite(h[0]));
    }

    [Fact]
    public void FlatSum_50000Terms_CompilesAndEvaluates()
    {
        // + chains are n-ary, not nested: 50,000 terms are one level deep (beyond the default node limit, so raised here).
        string text = string.Join("+", Enumerable.Repeat("x", 50_000));
        var f = ExpressionCompiler.CompileScalar(text, Scalars("x"), new ExpressionLimits { MaxNodes = 100_000 });
        Assert.Equal(50_000 * 1.5, f.Evaluate([1.5]));
        Assert.Equal(0, f.Evaluate([0.0]));
    }

    [Fact]
    public void LargestDefaultExpression_CompilesValueAndEveryDerivative()
    {
        // A product chain keeps the most intermediate values per node in its derivative code; at the default node limit
        // the gradient, Hessian–vector and Jacobian code must still fit in one compiled method (65,535 locals at most:
        // an InvalidProgramException before the limit was lowered to 10,000 and variable reads stopped taking locals).
        string text = string.Join("*", Enumerable.Repeat("x", 9_990));
        var ctx = Scalars("x");
        var f = ExpressionCompiler.CompileScalar(text, ctx);
        Assert.Equal(1.0, f.Evaluate([1.0]));
        var g = new double[1];
        Assert.Equal(1.0, f.ValueAndGradient([1.0], g));
        Assert.Equal(9_990, g[0]);
        var h = new double[1];
        f.Hessian([1.0], h);
        Assert.Equal(9_990.0 * 9_989, h[0]);
        var j = new double[1];
        ExpressionCompiler.CompileVector([text], ctx).Jacobian(0, [1.0], j);
        Assert.Equal(9_990, j[0]);
    }

    [Fact]
    public void FlatChains_OfThousandsOfTerms_HaveExactDerivatives()
    {
        var ctx = Scalars("x", "y");
        // 2,000 terms alternating + and -, mixing variables: f = 1000·x − 1000·y·x.
        var sb = new StringBuilder("x");
        for (int i = 1; i < 2_000; i++) sb.Append(i % 2 == 1 ? "-y*x" : "+x");
        var f = ExpressionCompiler.CompileScalar(sb.ToString(), ctx);
        double[] p = [0.75, 2];
        Assert.Equal(1000 * 0.75 - 1000 * 2 * 0.75, f.Evaluate(p));
        Assert.Equal([1000 - 1000 * 2.0, -1000 * 0.75], Gradient(f, p));
        // A product/quotient chain of 2,001 factors x*x/x*x/x…: f = x, f' = 1.
        var g = ExpressionCompiler.CompileScalar("x" + Repeat("*x/x", 1_000), ctx);
        AssertClose(1.25, g.Evaluate([1.25, 0]), 1e-14);
        AssertClose(1, Gradient(g, [1.25, 0])[0], 1e-12);
    }

    [Fact]
    public void Length_OverMaxLength_GivesExpressionException()
    {
        string text = "x" + Repeat(" ", 1_000_000);
        var e = AssertLimit(text, Scalars("x"), null, "characters long", "the limit is 1000000");
        Assert.True(e.Expression.Length < 100, "the exception does not carry the whole hostile string");
        AssertLimit("x + x", Scalars("x"), new ExpressionLimits { MaxLength = 4 }, "the limit is 4");
        Assert.Equal(2, ExpressionCompiler.CompileScalar("x+x", Scalars("x"), new ExpressionLimits { MaxLength = 3 }).Evaluate([1.0]));
    }

    [Fact]
    public void Nodes_OverMaxNodes_GivesExpressionException()
    {
        string text = string.Join("+", Enumerable.Repeat("x", 10_001));
        AssertLimit(text, Scalars("x"), null, "more than 10000 nodes");
        AssertLimit("x+x+x+x+x", Scalars("x"), new ExpressionLimits { MaxNodes = 5 }, "more than 5 nodes");
        Assert.Equal(4, ExpressionCompiler.CompileScalar("x+x+x+x", Scalars("x"), new ExpressionLimits { MaxNodes = 5 }).Evaluate([1.0]));
    }

    [Fact]
    public void Iterations_OverMaxIterations_GiveExpressionException()
    {
        var ctx = new ExpressionContext().AddVariable("x").AddParameter("n", 100_000);
        AssertLimit("sum(i, 1, 2e9, x)", ctx, null, "iterations per evaluation", "the limit is 100000000");
        AssertLimit("prod(i, 1, 2e9, x)", ctx, null, "iterations per evaluation");
        AssertLimit("sum(i, -1e9, 1e9, x)", ctx, null, "iterations per evaluation");
        // Beyond the range of the loop counter the bound itself is refused.
        AssertLimit("sum(i, 1, 1e12, x)", ctx, null, "the upper bound of sum");
        AssertLimit("sum(i, 1, 1e12, x)", ctx, new ExpressionLimits { MaxIterations = long.MaxValue }, "the upper bound of sum");
        // Each range alone is fine; nested, their product is over the limit.
        Assert.Equal(100_000 * 2.0, ExpressionCompiler.CompileScalar("sum(i, 1, n, x)", ctx).Evaluate([2.0]));
        AssertLimit("sum(i, 1, n, sum(j, 1, n/10, x))", ctx, null, "iterations per evaluation");
        AssertLimit("sum(i, 1, 1000, sum(j, 1, 1000, sum(k, 1, 1000, x)))", ctx, null, "iterations per evaluation");
        // Side by side, they add.
        AssertLimit("sum(i, 1, 6e7, x) + sum(j, 1, 6e7, x)", ctx, null, "iterations per evaluation");
        // An empty range costs nothing.
        Assert.Equal(0, ExpressionCompiler.CompileScalar("sum(i, 1e12, 1, x)", ctx).Evaluate([2.0]));
    }

    [Fact]
    public void SumBounds_AtOrBeyondTheIntRange_GiveExpressionException()
    {
        // The loop counter is an int: a loop up to int.MaxValue would never end (the counter wraps), bounds beyond the
        // range would wrap silently (running no loop, or a loop of billions of iterations that the work limit thinks empty).
        var ctx = new ExpressionContext().AddVariable("x").AddParameter("N", 3e9);
        var huge = new ExpressionLimits { MaxIterations = long.MaxValue };
        AssertLimit("sum(i, 2147483647, 2147483647, x)", ctx, null, "the upper bound of sum must lie between -2147483648 and 2147483646", "at column 20");
        AssertLimit("prod(i, 2147483646, 2147483647, x)", ctx, null, "the upper bound of prod must lie between");
        AssertLimit("sum(i, 1, N, x)", ctx, huge, "the upper bound of sum must lie between", "at column 11");
        AssertLimit("sum(i, 1, 2, sum(j, 3e9, i, x))", ctx, null, "the lower bound of sum must lie between -2147483648 and 2147483647", "at column 21");
        AssertLimit("sum(i, 1, 2, sum(j, i, -3e9, x))", ctx, null, "the upper bound of sum must lie between");
        AssertLimit("sum(i, -3e9, 1, x)", ctx, huge, "the lower bound of sum must lie between", "at column 8");
        // Just inside the range is fine.
        Assert.Equal(2, ExpressionCompiler.CompileScalar("sum(i, 2147483645, 2147483646, x)", ctx).Evaluate([1.0]));
        Assert.Equal(2 * -2147483647.5, ExpressionCompiler.CompileScalar("sum(i, -2147483648, -2147483647, i*x)", ctx).Evaluate([1.0]));
        // Empty ranges with huge constant bounds stay allowed (they run no loop).
        Assert.Equal(1, ExpressionCompiler.CompileScalar("prod(i, 1e12, 1, x)", ctx).Evaluate([2.0]));
    }

    [Fact]
    public void CustomLimits_AreApplied()
    {
        var ctx = Scalars("x");
        var limits = new ExpressionLimits { MaxDepth = 10, MaxIterations = 100, MaxLength = 200, MaxNodes = 50 };
        Assert.Equal(3, ExpressionCompiler.CompileScalar("(((x)))", ctx, limits).Evaluate([3.0]));
        AssertLimit(Repeat("(", 20) + "x" + Repeat(")", 20), ctx, limits, "nested more than 10 levels deep");
        Assert.Equal(100, ExpressionCompiler.CompileScalar("sum(i, 1, 100, x)", ctx, limits).Evaluate([1.0]));
        AssertLimit("sum(i, 1, 101, x)", ctx, limits, "the limit is 100");
        Assert.Equal(90, ExpressionCompiler.CompileScalar("sum(i, 1, 10, sum(j, 1, 9, x))", ctx, limits).Evaluate([1.0]));
        AssertLimit("sum(i, 1, 10, sum(j, 1, 10, x))", ctx, limits, "the limit is 100");
        AssertLimit(Repeat("x+", 150) + "x", ctx, limits, "the limit is 200");
        AssertLimit(Repeat("x+", 60) + "x", ctx, limits, "more than 50 nodes");
        // The same limits through CompileVector.
        var e = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompileVector(["x", "sum(i, 1, 101, x)"], ctx, limits));
        Assert.StartsWith("expression 1: ", e.Message);
        Assert.Equal(ExpressionLimits.Default, new ExpressionLimits());
        Assert.Equal(200, ExpressionLimits.Default.MaxDepth);
    }
}
