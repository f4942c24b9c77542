using static Ordo.Expressions.Tests.TestSupport;

namespace Ordo.Expressions.Tests;

/// <summary>Every grammar feature of the expression language, with exact expected values.</summary>
public class EvaluationTests
{
    // ------------------------------------------------------------------------------------------ precedence

    [Theory]
    [InlineData("-2^2", -4)]
    [InlineData("2^3^2", 512)]
    [InlineData("(2^3)^2", 64)]
    [InlineData("2^-1", 0.5)]
    [InlineData("2^-1^2", 0.5)]          // 2^(-(1^2))
    [InlineData("(-2)^2", 4)]
    [InlineData("2*3+4", 10)]
    [InlineData("2+3*4", 14)]
    [InlineData("10-3-2", 5)]
    [InlineData("16/4/2", 2)]
    [InlineData("2/4*8", 4)]
    [InlineData("(2+3)*4", 20)]
    [InlineData("--3", 3)]
    [InlineData("---3", -3)]
    [InlineData("2--3", 5)]
    [InlineData("2*-3", -6)]
    [InlineData("-3*2", -6)]
    [InlineData("2^2*3", 12)]
    [InlineData("3*2^2", 12)]
    [InlineData("-2^-2", -0.25)]
    [InlineData("1-2+3", 2)]
    [InlineData("((((7))))", 7)]
    [InlineData(" 1 +\t2 ", 3)]
    public void Constant_Precedence_ExactValue(string expression, double expected) =>
        Assert.Equal(expected, Eval(expression));

    [Fact]
    public void UnaryMinus_BindsLooserThanPower_NegatesSquareOfVariable()
    {
        Assert.Equal(-9, Eval("-x^2", x: 3));
        Assert.Equal(9, Eval("(-x)^2", x: 3));
        Assert.Equal(1.0 / 9, Eval("x^-2", x: 3));
        Assert.Equal(-1.0 / 9, Eval("-x^-2", x: 3));
        Assert.Equal(Math.Pow(2, Math.Pow(3, 2)), Eval("x^y^z", 2, 3, 2));
    }

    [Fact]
    public void Chains_WithVariables_AreLeftAssociative()
    {
        Assert.Equal(10.0 - 3 - 2, Eval("x-y-z", 10, 3, 2));
        Assert.Equal(16.0 / 4 / 2, Eval("x/y/z", 16, 4, 2));
        Assert.Equal(1.0 / 3 * 3, Eval("x/y*z", 1, 3, 3));
        Assert.Equal(0.1 + 0.2 + 0.3, Eval("x+y+z", 0.1, 0.2, 0.3));
        Assert.Equal(0.1 + (0.2 + 0.3), Eval("x+(y+z)", 0.1, 0.2, 0.3));
    }

    // ------------------------------------------------------------------------------------------ numbers and pi

    [Theory]
    [InlineData("1e-3", 1e-3)]
    [InlineData("1.5", 1.5)]
    [InlineData(".5", 0.5)]
    [InlineData("2E+3", 2000)]
    [InlineData("2e3", 2000)]
    [InlineData("2.5e-1", 0.25)]
    [InlineData("1.", 1)]
    [InlineData("0", 0)]
    [InlineData("007", 7)]
    [InlineData("123456789012345678", 123456789012345678.0)]
    [InlineData("1.7976931348623157e308", double.MaxValue)]
    [InlineData("4.9e-324", double.Epsilon)]
    public void Number_Formats_ParseToTheDouble(string expression, double expected) =>
        Assert.Equal(expected, Eval(expression));

    [Fact]
    public void Pi_IsMathPI()
    {
        Assert.Equal(Math.PI, Eval("pi"));
        Assert.Equal(2 * Math.PI, Eval("2*pi"));
        Assert.Equal(Math.Sin(Math.PI * 0.25), Eval("sin(pi*x)", x: 0.25));
    }

    // ------------------------------------------------------------------------------------------ functions

    public static TheoryData<string, double> UnaryFunctionPoints()
    {
        var data = new TheoryData<string, double>();
        double[] points = [-2.5, -0.7, -1e-300, 0.0, 0.3, 0.99, 1.0, 2.0, 710.0, double.NaN, double.PositiveInfinity];
        foreach (string name in new[] { "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp", "log", "log10", "sqrt", "abs", "sign" })
            foreach (double p in points) data.Add(name, p);
        return data;
    }

    private static double Reference(string name, double a) => name switch
    {
        "sin" => Math.Sin(a),
        "cos" => Math.Cos(a),
        "tan" => Math.Tan(a),
        "asin" => Math.Asin(a),
        "acos" => Math.Acos(a),
        "atan" => Math.Atan(a),
        "sinh" => Math.Sinh(a),
        "cosh" => Math.Cosh(a),
        "tanh" => Math.Tanh(a),
        "exp" => Math.Exp(a),
        "log" => Math.Log(a),
        "log10" => Math.Log10(a),
        "sqrt" => Math.Sqrt(a),
        "abs" => Math.Abs(a),
        "sign" => double.IsNaN(a) ? double.NaN : Math.Sign(a),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(UnaryFunctionPoints))]
    public void Function_OfVariable_EqualsMathBitwise(string name, double a)
    {
        double expected = Reference(name, a);
        double actual = Eval($"{name}(x)", x: a);
        if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual), $"{name}({a}) = {actual}, expected NaN");
        else Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
    }

    [Theory]
    [InlineData("sin", 0.3)]
    [InlineData("cos", 0.3)]
    [InlineData("tan", 0.3)]
    [InlineData("asin", 0.3)]
    [InlineData("acos", 0.3)]
    [InlineData("atan", 0.3)]
    [InlineData("sinh", 0.3)]
    [InlineData("cosh", 0.3)]
    [InlineData("tanh", 0.3)]
    [InlineData("exp", 0.3)]
    [InlineData("log", 0.3)]
    [InlineData("log10", 0.3)]
    [InlineData("sqrt", 0.3)]
    [InlineData("abs", -0.3)]
    [InlineData("sign", -0.3)]
    public void Function_OfConstant_FoldsToTheSameValue(string name, double a)
    {
        string literal = a < 0 ? $"(0-{-a:R})" : a.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Reference(name, a), Eval($"{name}({literal})"));
        Assert.Equal(Eval($"{name}(x)", x: a), Eval($"{name}({literal})"));
    }

    [Fact]
    public void Sign_OfZeroAndNaN_IsZeroAndNaN()
    {
        Assert.Equal(0, Eval("sign(x)", x: 0));
        Assert.Equal(0, Eval("sign(x)", x: -0.0));
        Assert.Equal(1, Eval("sign(x)", x: 1e-300));
        Assert.Equal(-1, Eval("sign(x)", x: double.NegativeInfinity));
        Assert.True(double.IsNaN(Eval("sign(x)", x: double.NaN)));
    }

    [Theory]
    [InlineData(1.0, 2.0)]
    [InlineData(-1.0, 2.0)]
    [InlineData(-1.0, -2.0)]
    [InlineData(1.0, -2.0)]
    [InlineData(0.0, -1.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(-0.0, 1.0)]
    public void Atan2_TwoArguments_EqualsMathAtan2(double y, double x)
    {
        Assert.Equal(Math.Atan2(y, x), Eval("atan2(x, y)", y, x));
    }

    [Theory]
    [InlineData(2.0, 10.0)]
    [InlineData(2.0, 0.5)]
    [InlineData(-8.0, 1.0 / 3)]
    [InlineData(-2.0, 3.0)]
    [InlineData(0.0, 0.0)]
    [InlineData(0.0, -1.0)]
    [InlineData(1.5, 2.0)]
    public void Pow_AndCaret_EqualMathPow(double a, double b)
    {
        Assert.Equal(Math.Pow(a, b), Eval("pow(x, y)", a, b));
        Assert.Equal(Math.Pow(a, b), Eval("x^y", a, b));
    }

    [Fact]
    public void Square_IsExactProduct()
    {
        double a = 1.0000000000000002;
        Assert.Equal(a * a, Eval("x^2", a));
        Assert.Equal(a * a, Eval("pow(x, 2)", a));
        Assert.Equal(a * a, Eval("x^y", a, 2));
    }

    [Fact]
    public void Atan2_OfConstants_Folds()
    {
        Assert.Equal(Math.Atan2(1, -2), Eval("atan2(1, -2)"));
        Assert.Equal(Math.Atan2(-1, 0), Eval("atan2(-1, 0)"));
    }

    [Fact]
    public void MinMax_TwoOrMoreArguments_PickExtremes()
    {
        Assert.Equal(1, Eval("min(x, y)", 1, 2));
        Assert.Equal(2, Eval("max(x, y)", 1, 2));
        Assert.Equal(-5, Eval("min(x, y, z)", 3, 1, -5));
        Assert.Equal(3, Eval("max(x, y, z)", 3, 1, -5));
        Assert.Equal(-5, Eval("min(x, y, z, 7, 4)", 3, 1, -5));
        Assert.Equal(7, Eval("max(x, y, z, 7, 4)", 3, 1, -5));
        Assert.Equal(2, Eval("min(3, 2, 9)"));
        Assert.True(double.IsNaN(Eval("max(x, y, z)", 1, double.NaN, 3)));
        Assert.True(double.IsNaN(Eval("min(x, y)", double.NaN, 3)));
    }

    // ------------------------------------------------------------------------------------------ if

    [Theory]
    [InlineData("if(x < 1, 10, 20)", 0.5, 10)]
    [InlineData("if(x < 1, 10, 20)", 1, 20)]
    [InlineData("if(x <= 1, 10, 20)", 1, 10)]
    [InlineData("if(x > 1, 10, 20)", 1, 20)]
    [InlineData("if(x >= 1, 10, 20)", 1, 10)]
    [InlineData("if(x == 1, 10, 20)", 1, 10)]
    [InlineData("if(x == 1, 10, 20)", 2, 20)]
    [InlineData("if(x != 1, 10, 20)", 2, 10)]
    [InlineData("if(x != 1, 10, 20)", 1, 20)]
    [InlineData("if(x > 0 and x < 2, 10, 20)", 1, 10)]
    [InlineData("if(x > 0 and x < 2, 10, 20)", 3, 20)]
    [InlineData("if(x < 0 or x > 2, 10, 20)", 3, 10)]
    [InlineData("if(x < 0 or x > 2, 10, 20)", 1, 20)]
    // or is looser than and: a or (b and c). With a true, b and c false: true; (a or b) and c would be false.
    [InlineData("if(x < 0 or x > 10 and x > 20, 10, 20)", -1, 10)]
    [InlineData("if(x > 10 and x > 20 or x < 0, 10, 20)", -1, 10)]
    [InlineData("if((x < 0 or x > 10) and x > 20, 10, 20)", -1, 20)]
    [InlineData("if(x+1 < 2*x, 10, 20)", 3, 10)]
    [InlineData("if(x < 0, -1, if(x > 0, 1, 0))", 0, 0)]
    [InlineData("if(x < 0, -1, if(x > 0, 1, 0))", 5, 1)]
    [InlineData("if(x < 1, 10, 20)", double.NaN, 20)]
    [InlineData("if(x != x, 10, 20)", double.NaN, 10)]
    public void If_Conditions_SelectTheBranch(string expression, double x, double expected) =>
        Assert.Equal(expected, Eval(expression, x));

    [Fact]
    public void If_BranchNotTaken_IsNotEvaluated()
    {
        var f = ExpressionCompiler.CompileScalar("if(x > 0, log(x), 0)", Scalars("x"));
        Assert.Equal(0.0, f.Evaluate([-1.0]));
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.0), BitConverter.DoubleToInt64Bits(f.Evaluate([-1.0])));
        var g = new double[1];
        Assert.Equal(0.0, f.ValueAndGradient([-1.0], g));
        Assert.Equal(0.0, g[0]);
        Assert.True(double.IsFinite(g[0]));
        var h = new double[1];
        f.Hessian([-1.0], h);
        Assert.Equal(0.0, h[0]);
        Assert.Equal(Math.Log(2), f.ValueAndGradient([2.0], g));
        Assert.Equal(0.5, g[0]);

        // A NaN in the branch not taken does not leak through the gradient either (no 0·NaN).
        var s = ExpressionCompiler.CompileScalar("if(x < 1, x^2, sqrt(x - 1) * log(x - 1))", Scalars("x"));
        Assert.Equal(0.25, s.ValueAndGradient([0.5], g));
        Assert.Equal(1.0, g[0]);
    }

    [Fact]
    public void If_ConditionsShortCircuit_RightOperandNotEvaluated()
    {
        // The right operand of 'and' is not evaluated when the left is false: the result cannot depend on it anyway,
        // but its evaluation must not produce anything either (nothing observable here but the value).
        Assert.Equal(2, Eval("if(x > 0 and log(x) > 0, 1, 2)", x: -1));
        Assert.Equal(1, Eval("if(x < 0 or sqrt(x) > 100, 1, 2)", x: -1));
    }

    [Fact]
    public void If_ConstantCondition_Folds()
    {
        Assert.Equal(3, Eval("if(1 < 2, 3, 4)"));
        Assert.Equal(4, Eval("if(1 > 2 or 2 > 3, 3, 4)"));
        Assert.Equal(5, Eval("if(pi > 3, x, log(0-1))", x: 5));
    }

    // ------------------------------------------------------------------------------------------ vectors, data

    [Fact]
    public void VectorVariable_IndexedFromOne_ReadsTheRightSlots()
    {
        var ctx = new ExpressionContext().AddVariable("a").AddVectorVariable("x", 3).AddVariable("b");
        Assert.Equal(5, ctx.Dimension);
        double[] point = [10, 1, 2, 3, 20];
        Assert.Equal(1, ExpressionCompiler.CompileScalar("x[1]", ctx).Evaluate(point));
        Assert.Equal(3, ExpressionCompiler.CompileScalar("x[3]", ctx).Evaluate(point));
        Assert.Equal(10 + 20, ExpressionCompiler.CompileScalar("a + b", ctx).Evaluate(point));
        Assert.Equal(2, ExpressionCompiler.CompileScalar("x[1+1]", ctx).Evaluate(point));
        Assert.Equal(3, ExpressionCompiler.CompileScalar("x[6/2]", ctx).Evaluate(point));
        Assert.Equal(2, ExpressionCompiler.CompileScalar("x[2^1]", ctx).Evaluate(point));
    }

    [Fact]
    public void Data_IndexedFromOne_ConstantAndThroughSum()
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 3).AddData("w", [0.5, 0.25, 2.0]).AddParameter("n", 3);
        double[] point = [1, 2, 3];
        Assert.Equal(0.5, ExpressionCompiler.CompileScalar("w[1]", ctx).Evaluate(point));
        Assert.Equal(2.0, ExpressionCompiler.CompileScalar("w[n]", ctx).Evaluate(point));
        Assert.Equal(0.5 * 1 + 0.25 * 2 + 2.0 * 3, ExpressionCompiler.CompileScalar("sum(i, 1, n, w[i]*x[i])", ctx).Evaluate(point));
        Assert.Equal(2.0 * 1 + 0.25 * 2 + 0.5 * 3, ExpressionCompiler.CompileScalar("sum(i, 1, n, w[n+1-i]*x[i])", ctx).Evaluate(point));
    }

    [Fact]
    public void AddData_CopiesTheValues()
    {
        double[] values = [1, 2];
        var ctx = new ExpressionContext().AddVariable("x").AddData("d", values);
        values[0] = 100;
        Assert.Equal(1, ExpressionCompiler.CompileScalar("d[1]*x", ctx).Evaluate([1.0]));
        Assert.Equal(3, ExpressionCompiler.CompileScalar("sum(i, 1, 2, d[i])*x", ctx).Evaluate([1.0]));
    }

    [Fact]
    public void Parameters_AreFoldedConstants()
    {
        var ctx = new ExpressionContext().AddVariable("x").AddParameter("mu", 1.5).AddParameter("k", 2);
        Assert.Equal(1.5 * 4 + 2, ExpressionCompiler.CompileScalar("mu*x^k + k", ctx).Evaluate([2.0]));
    }

    // ------------------------------------------------------------------------------------------ sum, prod

    [Fact]
    public void Sum_OverVector_AddsInOrder()
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 4).AddParameter("n", 4);
        double[] p = [0.1, 0.2, 0.3, 0.4];
        Assert.Equal(0.0 + 0.1 + 0.2 + 0.3 + 0.4, ExpressionCompiler.CompileScalar("sum(i, 1, n, x[i])", ctx).Evaluate(p));
        Assert.Equal(0.1 * 0.2 * 0.3 * 0.4, ExpressionCompiler.CompileScalar("prod(i, 1, n, x[i])", ctx).Evaluate(p));
        Assert.Equal(0.2 + 0.3, ExpressionCompiler.CompileScalar("sum(i, 2, 3, x[i])", ctx).Evaluate(p));
    }

    [Fact]
    public void Sum_IndexAsValue_ExactIntegers()
    {
        Assert.Equal(55, Eval("sum(i, 1, 10, i)"));
        Assert.Equal(385, Eval("sum(i, 1, 10, i^2)"));
        Assert.Equal(3628800, Eval("prod(i, 1, 10, i)"));
        Assert.Equal(-5, Eval("sum(i, -5, 4, i)"));
        Assert.Equal(3 * 55, Eval("sum(i, 1, 10, x*i)", x: 3));
    }

    [Fact]
    public void Sum_Nested_AndTriangular()
    {
        Assert.Equal(3 * 4, Eval("sum(i, 1, 3, sum(j, 1, 4, 1))"));
        Assert.Equal(10 * 11 / 2, Eval("sum(i, 1, 10, sum(j, 1, i, 1))"));
        Assert.Equal(Enumerable.Range(1, 6).Sum(i => Enumerable.Range(1, i).Sum(j => i * j)), Eval("sum(i, 1, 6, sum(j, 1, i, i*j))"));
        Assert.Equal(Enumerable.Range(1, 5).Sum(i => Enumerable.Range(i + 1, 5 - i).Sum(j => 1)), Eval("sum(i, 1, 5, sum(j, i+1, 5, 1))"));
        Assert.Equal(2.0 * 6 * 24, Eval("prod(i, 2, 4, prod(j, 1, i, j))"));

        var ctx = new ExpressionContext().AddVectorVariable("x", 4).AddParameter("n", 4);
        double[] p = [1, 2, 3, 4];
        double expected = 0;
        for (int i = 1; i <= 4; i++)
            for (int j = 1; j <= i; j++) expected += p[i - 1] * p[j - 1];
        Assert.Equal(expected, ExpressionCompiler.CompileScalar("sum(i, 1, n, sum(j, 1, i, x[i]*x[j]))", ctx).Evaluate(p));
        Assert.Equal(1 * 2 + 1 * 3 + 1 * 4 + 2 * 3 + 2 * 4 + 3 * 4,
            ExpressionCompiler.CompileScalar("sum(i, 1, n-1, sum(j, i+1, n, x[i]*x[j]))", ctx).Evaluate(p));
    }

    [Fact]
    public void Sum_EmptyRange_GivesZeroAndProdOne()
    {
        Assert.Equal(0, Eval("sum(i, 1, 0, x)", x: 5));
        Assert.Equal(1, Eval("prod(i, 1, 0, x)", x: 5));
        Assert.Equal(0, Eval("sum(i, 5, 1, x)", x: 5));
        Assert.Equal(1, Eval("prod(i, 5, 1, x)", x: 5));
        var ctx = new ExpressionContext().AddVectorVariable("x", 3).AddParameter("n", 3);
        Assert.Equal(0, ExpressionCompiler.CompileScalar("sum(i, 1, n-3, x[i])", ctx).Evaluate([1.0, 2, 3]));
        Assert.Equal(1, ExpressionCompiler.CompileScalar("prod(i, n+1, n, x[i-1])", ctx).Evaluate([1.0, 2, 3]));
        // Empty inner ranges in some iterations of the outer sum: i = 1 gives sum(j, 1, 0, ...) = 0.
        Assert.Equal(1 + (1 + 2), ExpressionCompiler.CompileScalar("sum(i, 1, n, sum(j, 1, i-1, x[j]))", ctx).Evaluate([1.0, 2, 3]));
        Assert.Equal(1 * (1 * 2), ExpressionCompiler.CompileScalar("prod(i, 1, n, prod(j, 1, i-1, x[j]))", ctx).Evaluate([1.0, 2, 3]));
    }

    [Fact]
    public void Index_Arithmetic_OddElementsAndReversal()
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 6).AddParameter("n", 6).AddParameter("m", 3);
        double[] p = [1, 10, 100, 1000, 10000, 100000];
        Assert.Equal(1 + 100 + 10000, ExpressionCompiler.CompileScalar("sum(i, 1, m, x[2*i-1])", ctx).Evaluate(p));
        Assert.Equal(10 + 1000 + 100000, ExpressionCompiler.CompileScalar("sum(i, 1, n/2, x[2*i])", ctx).Evaluate(p));
        var r = ExpressionCompiler.CompileVector(Enumerable.Range(1, 6).Select(i => $"sum(k, {i}, {i}, x[n+1-k])").ToArray(), ctx);
        var result = new double[6];
        r.Evaluate(0, p, result);
        Assert.Equal(p.Reverse().ToArray(), result);
        Assert.Equal(123456, ExpressionCompiler.CompileScalar("sum(i, 1, n, x[n+1-i]*i)", ctx).Evaluate(p));
        Assert.Equal(10 + 1, ExpressionCompiler.CompileScalar("sum(i, 1, 2, x[-i+3])", ctx).Evaluate(p));
        Assert.Equal(100 + 1000, ExpressionCompiler.CompileScalar("sum(i, 1, 2, x[(i+1)*2 - 2*i + i])", ctx).Evaluate(p));
        Assert.Equal(1 + 10000, ExpressionCompiler.CompileScalar("sum(i, 0, 1, x[4*i + 1])", ctx).Evaluate(p));
    }

    // ------------------------------------------------------------------------------------------ IEEE

    [Fact]
    public void Ieee_DivisionByZero_InfinityAndNaNWithoutException()
    {
        Assert.Equal(double.PositiveInfinity, Eval("1/x", x: 0));
        Assert.Equal(double.NegativeInfinity, Eval("-1/x", x: 0));
        Assert.Equal(double.NegativeInfinity, Eval("1/x", x: -0.0));
        Assert.True(double.IsNaN(Eval("x/x", x: 0)));
        Assert.True(double.IsNaN(Eval("0/0")));
        Assert.Equal(double.PositiveInfinity, Eval("1/0"));
        Assert.True(double.IsNaN(Eval("log(x)", x: -1)));
        Assert.Equal(double.NegativeInfinity, Eval("log(x)", x: 0));
        Assert.Equal(double.PositiveInfinity, Eval("exp(x)", x: 1000));
        Assert.True(double.IsNaN(Eval("sqrt(0-1)")));
        var g = new double[3];
        var f = ExpressionCompiler.CompileScalar("1/x", Scalars("x", "y", "z"));
        Assert.Equal(double.PositiveInfinity, f.ValueAndGradient([0.0, 0, 0], g));
        Assert.Equal(double.NegativeInfinity, g[0]);
    }

    // ------------------------------------------------------------------------------------------ time

    [Fact]
    public void Time_InVectorFunction_IsTheFirstArgument()
    {
        var ctx = new ExpressionContext().AddVariable("y").AddTime().AddParameter("w", 2);
        var f = ExpressionCompiler.CompileVector(["cos(w*t) - y", "t", "t*y^2"], ctx);
        var r = new double[3];
        f.Evaluate(0.7, [3.0], r);
        Assert.Equal([Math.Cos(2 * 0.7) - 3, 0.7, 0.7 * 9], r);
        var j = new double[3];
        f.Jacobian(0.7, [3.0], j);
        Assert.Equal([-1.0, 0, 0.7 * 6], j);

        var s = ExpressionCompiler.CompileScalar("t*y", ctx);
        Assert.Equal(6, s.Evaluate([3.0], t: 2));
        Assert.Equal(0, s.Evaluate([3.0]));
        var g = new double[1];
        Assert.Equal(6, s.ValueAndGradient([3.0], g, t: 2));
        Assert.Equal(2, g[0]);
    }

    [Fact]
    public void Time_CustomName_AndUsedInSumBodyAndCondition()
    {
        var ctx = new ExpressionContext().AddVectorVariable("u", 2).AddTime("tau");
        var f = ExpressionCompiler.CompileVector(["sum(i, 1, 2, tau*u[i])", "if(tau > 1, u[1], u[2])"], ctx);
        var r = new double[2];
        f.Evaluate(2, [1.0, 5], r);
        Assert.Equal([12.0, 1.0], r);
        f.Evaluate(0.5, [1.0, 5], r);
        Assert.Equal([3.0, 5.0], r);
    }

    [Fact]
    public void NoVariables_ConstantAndTimeOnlyExpressions_Work()
    {
        var ctx = new ExpressionContext().AddParameter("p", 3).AddTime();
        var f = ExpressionCompiler.CompileScalar("p*t + sum(i, 1, 3, i)", ctx);
        Assert.Equal(0, f.Dimension);
        Assert.Equal(3 * 2 + 6, f.Evaluate([], t: 2));
        Assert.Equal(3 * 2 + 6, f.ValueAndGradient([], [], t: 2));
        f.Hessian([], []);
        f.HessianVectorProduct([], [], []);
        var v = ExpressionCompiler.CompileVector(["t", "p"], ctx);
        var r = new double[2];
        v.Evaluate(5, [], r);
        Assert.Equal([5.0, 3.0], r);
        v.Jacobian(5, [], []);
        Assert.Equal(0, v.JacobianSparsity.NonZeros);
    }

    [Fact]
    public void CompiledFunctions_ReportTheirShapeAndText()
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 3).AddVariable("y");
        var s = ExpressionCompiler.CompileScalar("x[1]*y", ctx);
        Assert.Equal(4, s.Dimension);
        Assert.Equal("x[1]*y", s.Expression);
        var v = ExpressionCompiler.CompileVector(["x[1]", "y"], ctx);
        Assert.Equal(4, v.InputDimension);
        Assert.Equal(2, v.OutputDimension);
        Assert.Equal(["x[1]", "y"], v.Expressions);
        Assert.Contains("atan2", ExpressionCompiler.FunctionNames);
        Assert.Equal(19, ExpressionCompiler.FunctionNames.Count());
    }

    [Fact]
    public void CompiledFunctions_WrongLengths_ThrowArgumentException()
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 2);
        var s = ExpressionCompiler.CompileScalar("x[1]*x[2]", ctx);
        Assert.Throws<ArgumentException>(() => s.Evaluate(new double[3]));
        Assert.Throws<ArgumentException>(() => s.ValueAndGradient(new double[2], new double[1]));
        Assert.Throws<ArgumentException>(() => s.HessianVectorProduct(new double[2], new double[1], new double[2]));
        Assert.Throws<ArgumentException>(() => s.Hessian(new double[2], new double[3]));
        var v = ExpressionCompiler.CompileVector(["x[1]", "x[2]", "1"], ctx);
        Assert.Throws<ArgumentException>(() => v.Evaluate(0, new double[2], new double[2]));
        Assert.Throws<ArgumentException>(() => v.Evaluate(0, new double[1], new double[3]));
        Assert.Throws<ArgumentException>(() => v.Jacobian(0, new double[2], new double[5]));
        Assert.Throws<ArgumentException>(() => ExpressionCompiler.CompileVector([], ctx));
        Assert.Throws<ArgumentNullException>(() => ExpressionCompiler.CompileScalar(null!, ctx));
    }
}
