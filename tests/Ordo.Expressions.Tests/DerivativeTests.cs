using static Ordo.Expressions.Tests.TestSupport;

namespace Ordo.Expressions.Tests;

/// <summary>Gradients, Hessians, Hessian–vector products, Jacobians and Jacobian sparsity, against closed forms and
/// against central finite differences.</summary>
public class DerivativeTests
{
    // ------------------------------------------------------------------------------------------ functions

    /// <summary>(name, point, f, f', f'') of every one-argument function.</summary>
    public static TheoryData<string, double> FunctionPoints() => new()
    {
        { "sin", 0.7 }, { "sin", -2.1 }, { "cos", 0.7 }, { "cos", -2.1 }, { "tan", 0.7 }, { "tan", -1.2 },
        { "asin", 0.4 }, { "asin", -0.8 }, { "acos", 0.4 }, { "acos", -0.8 }, { "atan", 0.7 }, { "atan", -3.0 },
        { "sinh", 0.7 }, { "sinh", -2.0 }, { "cosh", 0.7 }, { "cosh", -2.0 }, { "tanh", 0.7 }, { "tanh", -1.5 },
        { "exp", 0.7 }, { "exp", -2.0 }, { "log", 0.7 }, { "log", 3.5 }, { "log10", 0.7 }, { "log10", 3.5 },
        { "sqrt", 0.7 }, { "sqrt", 3.5 }, { "abs", 0.7 }, { "abs", -2.5 }, { "sign", 0.7 }, { "sign", -2.5 },
    };

    private static (double D1, double D2) ClosedForm(string name, double a)
    {
        double s = 1 - a * a;
        return name switch
        {
            "sin" => (Math.Cos(a), -Math.Sin(a)),
            "cos" => (-Math.Sin(a), -Math.Cos(a)),
            "tan" => (1 + Math.Tan(a) * Math.Tan(a), 2 * Math.Tan(a) * (1 + Math.Tan(a) * Math.Tan(a))),
            "asin" => (1 / Math.Sqrt(s), a / (s * Math.Sqrt(s))),
            "acos" => (-1 / Math.Sqrt(s), -a / (s * Math.Sqrt(s))),
            "atan" => (1 / (1 + a * a), -2 * a / ((1 + a * a) * (1 + a * a))),
            "sinh" => (Math.Cosh(a), Math.Sinh(a)),
            "cosh" => (Math.Sinh(a), Math.Cosh(a)),
            "tanh" => (1 - Math.Tanh(a) * Math.Tanh(a), -2 * Math.Tanh(a) * (1 - Math.Tanh(a) * Math.Tanh(a))),
            "exp" => (Math.Exp(a), Math.Exp(a)),
            "log" => (1 / a, -1 / (a * a)),
            "log10" => (1 / (a * Math.Log(10)), -1 / (a * a * Math.Log(10))),
            "sqrt" => (0.5 / Math.Sqrt(a), -0.25 / (a * Math.Sqrt(a))),
            "abs" => (Math.Sign(a), 0),
            "sign" => (0, 0),
            _ => throw new ArgumentException(name),
        };
    }

    [Theory]
    [MemberData(nameof(FunctionPoints))]
    public void Function_DerivativeAndSecondDerivative_MatchClosedForm(string name, double a)
    {
        var f = ExpressionCompiler.CompileScalar($"{name}(x)", Scalars("x"));
        (double d1, double d2) = ClosedForm(name, a);
        var g = new double[1];
        double value = f.ValueAndGradient([a], g);
        Assert.Equal(f.Evaluate([a]), value);
        AssertClose(d1, g[0], 1e-14, 0, $"{name}'({a})");
        var h = new double[1];
        f.Hessian([a], h);
        AssertClose(d2, h[0], 1e-13, 1e-15, $"{name}''({a})");
        var hv = new double[1];
        f.HessianVectorProduct([a], [-3.0], hv);
        AssertClose(-3 * d2, hv[0], 1e-13, 1e-15, $"{name}''({a})·(-3)");
    }

    [Theory]
    [MemberData(nameof(FunctionPoints))]
    public void Function_OfCompositeArgument_MatchesFiniteDifferences(string name, double a)
    {
        // u = x*y - z + c equals a at the point (0.8, 1.25, 0.6): x*y = 1 exactly; chain and product rules at work.
        double c = a - 1 + 0.6;
        var ctx = Scalars("x", "y", "z");
        var f = ExpressionCompiler.CompileScalar($"{name}(x*y - z + {c:R}) * (1 + y)", ctx);
        double[] p = [0.8, 1.25, 0.6];
        AssertAllClose(FiniteGradient(v => f.Evaluate(v), p), Gradient(f, p), 1e-7, 1e-8, $"∇{name}");
        var h = new double[9];
        f.Hessian(p, h);
        AssertAllClose(FiniteHessian(f, p), h, 1e-6, 1e-7, $"∇²{name}");
        AssertSymmetric(h, 3);
    }

    // ------------------------------------------------------------------------------------------ operators

    [Fact]
    public void Power_VariableBaseAndExponent_MatchesClosedForm()
    {
        var f = ExpressionCompiler.CompileScalar("x^y", Scalars("x", "y"));
        double x = 1.7, y = 2.3;
        double value = Math.Pow(x, y), lx = Math.Log(x);
        var g = Gradient(f, [x, y]);
        AssertClose(y * Math.Pow(x, y - 1), g[0], 1e-14);
        AssertClose(value * lx, g[1], 1e-14);
        var h = new double[4];
        f.Hessian([x, y], h);
        AssertClose(y * (y - 1) * Math.Pow(x, y - 2), h[0], 1e-13);
        AssertClose(Math.Pow(x, y - 1) * (1 + y * lx), h[1], 1e-13);
        AssertClose(Math.Pow(x, y - 1) * (1 + y * lx), h[2], 1e-13);
        AssertClose(value * lx * lx, h[3], 1e-13);
        AssertAllClose(FiniteHessian(f, [x, y]), h, 1e-7, 1e-8);

        var p = ExpressionCompiler.CompileScalar("pow(x, y)", Scalars("x", "y"));
        Assert.Equal(g, Gradient(p, [x, y]));
    }

    [Fact]
    public void Power_SpecialExponents_HaveTheirLimits()
    {
        var ctx = Scalars("x", "y");
        // x^2, x^1, x^0 at x = 0: derivatives 0, 1, 0 (no 0·inf).
        Assert.Equal([0.0, 0], Gradient(ExpressionCompiler.CompileScalar("x^2", ctx), [0.0, 0]));
        Assert.Equal([1.0, 0], Gradient(ExpressionCompiler.CompileScalar("x^1", ctx), [0.0, 0]));
        Assert.Equal([0.0, 0], Gradient(ExpressionCompiler.CompileScalar("x^0", ctx), [0.0, 0]));
        // x^y at x = 0, y = 2: d/dy = 0^2·ln 0 is taken as its limit 0.
        Assert.Equal([0.0, 0], Gradient(ExpressionCompiler.CompileScalar("x^y", ctx), [0.0, 2]));
        // Integer powers of negative bases: 3x² and 6x.
        var cube = ExpressionCompiler.CompileScalar("x^3", ctx);
        Assert.Equal([12.0, 0], Gradient(cube, [-2.0, 0]));
        var h = new double[4];
        cube.Hessian([-2.0, 0], h);
        Assert.Equal([-12.0, 0, 0, 0], h);
        // Negative exponents: d/dx x^-2 = -2 x^-3.
        AssertClose(-2 / 27.0, Gradient(ExpressionCompiler.CompileScalar("x^-2", ctx), [3.0, 0])[0], 1e-15);
    }

    [Fact]
    public void Atan2_Gradient_MatchesClosedFormAndFiniteDifferences()
    {
        var f = ExpressionCompiler.CompileScalar("atan2(y, x)", Scalars("x", "y"));
        foreach ((double x, double y) in new[] { (1.0, 0.5), (-1.0, 0.5), (-1.0, -0.5), (0.3, -2.0) })
        {
            double r2 = x * x + y * y;
            var g = Gradient(f, [x, y]);
            AssertClose(-y / r2, g[0], 1e-15);
            AssertClose(x / r2, g[1], 1e-15);
            var h = new double[4];
            f.Hessian([x, y], h);
            // ∂²/∂x² = 2xy/r⁴, ∂²/∂y² = −2xy/r⁴, ∂²/∂x∂y = (y² − x²)/r⁴
            AssertClose(2 * x * y / (r2 * r2), h[0], 1e-14);
            AssertClose((y * y - x * x) / (r2 * r2), h[1], 1e-14, 1e-16);
            AssertClose((y * y - x * x) / (r2 * r2), h[2], 1e-14, 1e-16);
            AssertClose(-2 * x * y / (r2 * r2), h[3], 1e-14);
        }
    }

    [Fact]
    public void Abs_Gradient_IsSignOfArgument()
    {
        var f = ExpressionCompiler.CompileScalar("abs(x - 2*y)", Scalars("x", "y"));
        Assert.Equal([-1.0, 2.0], Gradient(f, [1.0, 3.0]));
        Assert.Equal([1.0, -2.0], Gradient(f, [7.0, 3.0]));
        var h = new double[4];
        f.Hessian([1.0, 3.0], h);
        Assert.Equal(new double[4], h);
    }

    [Fact]
    public void MinMax_ThreeArguments_GradientGoesToTheWinner()
    {
        var ctx = Scalars("x", "y", "z");
        var min = ExpressionCompiler.CompileScalar("min(x^2, 3*y, z)", ctx);
        var max = ExpressionCompiler.CompileScalar("max(x^2, 3*y, z)", ctx);
        Assert.Equal([4.0, 0, 0], Gradient(min, [2.0, 5.0, 10.0]));   // x² = 4 < 10 < 15
        Assert.Equal([0.0, 3, 0], Gradient(min, [2.0, 1.0, 10.0]));
        Assert.Equal([0.0, 0, 1], Gradient(min, [2.0, 5.0, -1.0]));
        Assert.Equal([0.0, 3, 0], Gradient(max, [2.0, 5.0, 10.0]));
        Assert.Equal([0.0, 0, 1], Gradient(max, [2.0, 1.0, 10.0]));
        Assert.Equal([-8.0, 0, 0], Gradient(max, [-4.0, 1.0, 10.0]));
        // Ties: the first argument wins, once.
        Assert.Equal([1.0, 0, 0], Gradient(ExpressionCompiler.CompileScalar("max(x, y, z)", ctx), [1.0, 1.0, 1.0]));
        Assert.Equal([1.0, 0, 0], Gradient(ExpressionCompiler.CompileScalar("min(x, y, z)", ctx), [1.0, 1.0, 1.0]));
        // Constant arguments that win give a zero gradient.
        Assert.Equal([0.0, 0, 0], Gradient(ExpressionCompiler.CompileScalar("max(x, 5, y)", ctx), [1.0, 1.0, 1.0]));
        var h = new double[9];
        min.Hessian([2.0, 5.0, 10.0], h);
        Assert.Equal([2.0, 0, 0, 0, 0, 0, 0, 0, 0], h);
        max.Hessian([2.0, 5.0, 10.0], h);
        Assert.Equal(new double[9], h);
    }

    [Fact]
    public void DivisionChain_Gradient_MatchesClosedForm()
    {
        var ctx = Scalars("x", "y", "z");
        double x = 1.3, y = 0.7, z = -2.2;
        var f = ExpressionCompiler.CompileScalar("x/y/z", ctx);
        var g = Gradient(f, [x, y, z]);
        AssertClose(1 / (y * z), g[0], 1e-15);
        AssertClose(-x / (y * y * z), g[1], 1e-15);
        AssertClose(-x / (y * z * z), g[2], 1e-15);

        var mixed = ExpressionCompiler.CompileScalar("2*x/y*z/x/3", ctx);   // = 2z/(3y)
        g = Gradient(mixed, [x, y, z]);
        AssertClose(0, g[0], 0, 1e-15);
        AssertClose(-2 * z / (3 * y * y), g[1], 1e-14);
        AssertClose(2 / (3 * y), g[2], 1e-14);

        var h = new double[9];
        f.Hessian([x, y, z], h);
        AssertAllClose(FiniteHessian(f, [x, y, z]), h, 1e-7, 1e-8);
        AssertClose(2 * x / (y * y * y * z), h[4], 1e-14);
        AssertClose(2 * x / (y * z * z * z), h[8], 1e-14);
        AssertClose(x / (y * y * z * z), h[5], 1e-14);
    }

    [Fact]
    public void Products_WithVariablesRepeated_AndNegation()
    {
        var ctx = Scalars("x", "y", "z");
        double[] p = [1.5, -0.5, 2.0];
        var f = ExpressionCompiler.CompileScalar("-x*y*x*z - (y - z) + -(-x)", ctx);
        var g = Gradient(f, p);
        // f = -x²yz - y + z + x
        Assert.Equal(-2 * 1.5 * -0.5 * 2.0 + 1, g[0]);
        Assert.Equal(-1.5 * 1.5 * 2.0 - 1, g[1]);
        Assert.Equal(-1.5 * 1.5 * -0.5 + 1, g[2]);
    }

    // ------------------------------------------------------------------------------------------ sum, prod

    [Fact]
    public void Prod_Gradient_WithZeroTerms()
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 3);
        var f = ExpressionCompiler.CompileScalar("prod(i, 1, 3, x[i])", ctx);
        Assert.Equal([6.0, 3, 2], Gradient(f, [1.0, 2, 3]));
        Assert.Equal([6.0, 0, 0], Gradient(f, [0.0, 2, 3]));
        Assert.Equal([0.0, 3, 0], Gradient(f, [1.0, 0, 3]));
        Assert.Equal([0.0, 0, 0], Gradient(f, [0.0, 0, 3]));
        Assert.Equal([0.0, 0, 0], Gradient(f, [0.0, 0, 0]));
        // Terms that are functions of the variables: prod(i, 1, 3, x[i] - i) at x = (1, 5, 7): terms 0, 3, 4.
        var shifted = ExpressionCompiler.CompileScalar("prod(i, 1, 3, x[i] - i)", ctx);
        Assert.Equal(0.0, shifted.Evaluate([1.0, 5, 7]));
        Assert.Equal([12.0, 0, 0], Gradient(shifted, [1.0, 5, 7]));
        Assert.Equal([-1.0 * 4, 2 * 4, 2 * -1.0], Gradient(shifted, [3.0, 1, 7]));
    }

    [Theory]
    [InlineData(1.0, 2.0, 3.0)]
    [InlineData(0.0, 2.0, 3.0)]
    [InlineData(1.0, 0.0, 3.0)]
    [InlineData(0.0, 0.0, 3.0)]
    [InlineData(0.0, 0.0, 0.0)]
    public void Prod_Hessian_MatchesClosedFormWithAndWithoutZeroTerms(double a, double b, double c)
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 3);
        var f = ExpressionCompiler.CompileScalar("prod(i, 1, 3, x[i])", ctx);
        var h = new double[9];
        f.Hessian([a, b, c], h);
        Assert.Equal([0, c, b, c, 0, a, b, a, 0], h);
        var hv = new double[3];
        f.HessianVectorProduct([a, b, c], [1.0, -2.0, 0.5], hv);
        Assert.Equal([c * -2.0 + b * 0.5, c * 1.0 + a * 0.5, b * 1.0 + a * -2.0], hv);
        // The same function written as a product chain agrees.
        var chain = ExpressionCompiler.CompileScalar("x[1]*x[2]*x[3]", ctx);
        var hc = new double[9];
        chain.Hessian([a, b, c], hc);
        Assert.Equal(hc, h);
    }

    [Fact]
    public void Prod_HessianWithZeroTermInsideAFunction_MatchesFiniteDifferences()
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 4);
        var f = ExpressionCompiler.CompileScalar("prod(i, 1, 4, sin(x[i]))", ctx);
        // Inside an outer sum (the product's loops nested in another loop, run once per outer index).
        var g = ExpressionCompiler.CompileScalar("sum(k, 1, 2, k*prod(i, 1, 4, sin(x[i]) + k - 1))", ctx);
        foreach (double[] p in new[] { new[] { 0.0, 0.5, 1.0, -0.7 }, [0.5, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 0.3], [0.2, 0.5, 1.0, -0.7] })
        {
            var h = new double[16];
            f.Hessian(p, h);
            AssertAllClose(FiniteHessian(f, p), h, 1e-7, 1e-9);
            AssertSymmetric(h, 4);
            g.Hessian(p, h);
            AssertAllClose(FiniteHessian(g, p), h, 1e-7, 1e-9);
            AssertSymmetric(h, 4);
        }
    }

    [Fact]
    public void Sum_Gradient_OfNestedAndTriangularSums()
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 4).AddParameter("n", 4);
        var f = ExpressionCompiler.CompileScalar("sum(i, 1, n, sum(j, 1, i, x[i]*x[j]))", ctx);
        double[] p = [1.0, -2.0, 0.5, 3.0];
        // f = ½(Σx)² + ½Σx²  ⇒ ∂f/∂x_k = Σx + x_k, H = 1 + I.
        double s = p.Sum();
        Assert.Equal(p.Select(v => s + v).ToArray(), Gradient(f, p));
        var h = new double[16];
        f.Hessian(p, h);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) Assert.Equal(i == j ? 2 : 1, h[i * 4 + j]);
    }

    // ------------------------------------------------------------------------------------------ Hessians

    [Theory]
    [InlineData(-1.2, 1.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(0.3, -0.4)]
    public void Rosenbrock_Hessian_MatchesClosedForm(double x, double y)
    {
        var f = ExpressionCompiler.CompileScalar("100*(y - x^2)^2 + (1 - x)^2", Scalars("x", "y"));
        var g = Gradient(f, [x, y]);
        AssertClose(-400 * x * (y - x * x) - 2 * (1 - x), g[0], 1e-14, 1e-14);
        AssertClose(200 * (y - x * x), g[1], 1e-14, 1e-14);
        var h = new double[4];
        f.Hessian([x, y], h);
        AssertClose(1200 * x * x - 400 * y + 2, h[0], 1e-14);
        AssertClose(-400 * x, h[1], 1e-14);
        AssertClose(-400 * x, h[2], 1e-14);
        AssertClose(200, h[3], 1e-14);
    }

    [Fact]
    public void RosenbrockChain_Hessian_MatchesClosedFormAndHvp()
    {
        const int n = 6;
        var ctx = new ExpressionContext().AddVectorVariable("x", n).AddParameter("n", n);
        var f = ExpressionCompiler.CompileScalar("sum(i, 1, n-1, 100*(x[i+1] - x[i]^2)^2 + (1 - x[i])^2)", ctx);
        double[] p = [-1.2, 1.0, 0.5, 0.3, -0.8, 2.0];
        var expected = new double[n * n];
        for (int i = 0; i < n - 1; i++)
        {
            expected[i * n + i] += 1200 * p[i] * p[i] - 400 * p[i + 1] + 2;
            expected[i * n + i + 1] += -400 * p[i];
            expected[(i + 1) * n + i] += -400 * p[i];
            expected[(i + 1) * n + i + 1] += 200;
        }
        var h = new double[n * n];
        f.Hessian(p, h);
        AssertAllClose(expected, h, 1e-13, 1e-12);
        double[] v = [0.3, -1.0, 2.0, 0.0, 1.5, -0.25];
        var hv = new double[n];
        f.HessianVectorProduct(p, v, hv);
        for (int i = 0; i < n; i++)
            AssertClose(Enumerable.Range(0, n).Sum(j => expected[i * n + j] * v[j]), hv[i], 1e-13, 1e-12);
    }

    [Fact]
    public void QuadraticForm_WithDataMatrix_HessianIsASymmetrized()
    {
        const int n = 4;
        double[] a = [1, 2, 0, -1, 3, 4, 5, 0.5, -2, 0, 1, 7, 0.25, 6, -3, 2];   // row-major, not symmetric
        var ctx = new ExpressionContext().AddVectorVariable("x", n).AddParameter("n", n).AddData("A", a);
        var f = ExpressionCompiler.CompileScalar("sum(i, 1, n, sum(j, 1, n, A[(i-1)*n + j]*x[i]*x[j]))", ctx);
        double[] p = [0.5, -1, 2, 1.5];
        double expectedValue = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) expectedValue += a[i * n + j] * p[i] * p[j];
        AssertClose(expectedValue, f.Evaluate(p), 1e-14);
        var g = Gradient(f, p);
        for (int i = 0; i < n; i++)
            AssertClose(Enumerable.Range(0, n).Sum(j => (a[i * n + j] + a[j * n + i]) * p[j]), g[i], 1e-14);
        var h = new double[n * n];
        f.Hessian(p, h);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) Assert.Equal(a[i * n + j] + a[j * n + i], h[i * n + j]);
    }

    [Fact]
    public void Hessian_OfMixedExpression_MatchesFiniteDifferencesOfGradient()
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 3).AddVariable("y").AddParameter("k", 2).AddData("w", [0.5, -1, 2]);
        var f = ExpressionCompiler.CompileScalar(
            "sum(i, 1, 3, w[i]*exp(-x[i]^2/k)) + y*x[1]/x[2] + atan2(x[3], y) + if(y > 0, y^3*x[2], cosh(y)) + max(x[1]*y, x[3], sqrt(x[2]))^2",
            ctx);
        double[] p = [0.4, 1.3, -0.6, 0.9];
        var h = new double[16];
        f.Hessian(p, h);
        AssertAllClose(FiniteHessian(f, p), h, 1e-6, 1e-7);
        AssertSymmetric(h, 4, 1e-12);
        AssertAllClose(FiniteGradient(v => f.Evaluate(v), p), Gradient(f, p), 1e-7, 1e-8);
        // The HVP equals H·v.
        double[] v = [1, -0.5, 0.25, 2];
        var hv = new double[4];
        f.HessianVectorProduct(p, v, hv);
        for (int i = 0; i < 4; i++) AssertClose(Enumerable.Range(0, 4).Sum(j => h[i * 4 + j] * v[j]), hv[i], 1e-12, 1e-12);
        // The other branch of the if.
        p[3] = -0.9;
        f.Hessian(p, h);
        AssertAllClose(FiniteHessian(f, p), h, 1e-6, 1e-7);
    }

    [Fact]
    public void HessianVectorProduct_WithTime_UsesTheTime()
    {
        var ctx = new ExpressionContext().AddVariable("x").AddTime();
        var f = ExpressionCompiler.CompileScalar("t*x^3", ctx);
        var hv = new double[1];
        f.HessianVectorProduct([2.0], [1.0], hv, t: 0.5);
        Assert.Equal(0.5 * 6 * 2, hv[0]);
        var h = new double[1];
        f.Hessian([2.0], h, t: 3);
        Assert.Equal(3 * 6 * 2, h[0]);
    }

    // ------------------------------------------------------------------------------------------ Jacobians

    [Fact]
    public void Jacobian_OfVectorFunction_MatchesFiniteDifferences()
    {
        var ctx = new ExpressionContext().AddVectorVariable("y", 3).AddTime().AddParameter("sigma", 10).AddParameter("rho", 28).AddParameter("beta", 8.0 / 3);
        string[] rhs =
        [
            "sigma*(y[2] - y[1])",
            "y[1]*(rho - y[3]) - y[2] + sin(t)*y[1]^2",
            "y[1]*y[2] - beta*y[3] + if(y[1] > 0, exp(y[3]/10), log(1 + y[2]^2))",
            "sum(i, 1, 3, y[i]^i) / (1 + y[1]^2)",
        ];
        var f = ExpressionCompiler.CompileVector(rhs, ctx);
        foreach (double[] p in new[] { new[] { 1.0, -2.0, 0.5 }, new[] { -1.5, 0.3, 2.0 } })
        {
            const double t = 0.8;
            var j = new double[12];
            f.Jacobian(t, p, j);
            for (int row = 0; row < 4; row++)
            {
                int r = row;
                double Row(double[] v)
                {
                    var result = new double[4];
                    f.Evaluate(t, v, result);
                    return result[r];
                }
                AssertAllClose(FiniteGradient(Row, p), j.Skip(row * 3).Take(3).ToArray(), 1e-7, 1e-7, $"row {row}");
                // Each row equals the gradient of the same expression compiled as a scalar.
                var scalar = ExpressionCompiler.CompileScalar(rhs[row], ctx);
                Assert.Equal(Gradient(scalar, p, t), j.Skip(row * 3).Take(3).ToArray());
            }
        }
    }

    [Theory]
    [InlineData(new[] { "x*y", "-x" }, false)]
    [InlineData(new[] { "x*y", "sin(t)" }, true)]
    [InlineData(new[] { "if(t > 1, x, y)", "x" }, true)]
    [InlineData(new[] { "sum(i, 1, 2, t^i) + x", "y" }, true)]
    public void DependsOnTime_FindsTheTimeVariableAnywhere(string[] rhs, bool expected)
    {
        var ctx = new ExpressionContext().AddVariable("x").AddVariable("y").AddTime();
        var f = ExpressionCompiler.CompileVector(rhs, ctx);
        Assert.Equal(expected, f.DependsOnTime);
        // Cross-check by evaluation: an autonomous F gives the same values at two times.
        double[] a = new double[2], b = new double[2];
        f.Evaluate(0.3, [1.5, -0.7], a);
        f.Evaluate(2.9, [1.5, -0.7], b);
        Assert.Equal(expected, !a.SequenceEqual(b));
    }

    [Fact]
    public void Jacobian_ConstantRows_AreZeroAndOverwritten()
    {
        var ctx = new ExpressionContext().AddVariable("x").AddVariable("y").AddTime();
        var f = ExpressionCompiler.CompileVector(["1", "t", "x*y"], ctx);
        double[] j = [9, 9, 9, 9, 9, 9];
        f.Jacobian(1, [2.0, 3.0], j);
        Assert.Equal([0.0, 0, 0, 0, 3, 2], j);
    }

    // ------------------------------------------------------------------------------------------ sparsity

    [Fact]
    public void Sparsity_TridiagonalMethodOfLines_IsTridiagonal()
    {
        const int n = 8;
        var ctx = new ExpressionContext().AddVectorVariable("u", n).AddParameter("D", 0.5).AddParameter("h", 1.0 / (n + 1));
        var rhs = new string[n];
        for (int i = 1; i <= n; i++)
        {
            string left = i == 1 ? "0" : $"u[{i - 1}]";
            string right = i == n ? "1" : $"u[{i + 1}]";
            rhs[i - 1] = $"D*({left} - 2*u[{i}] + {right})/h^2 - u[{i}]^3";
        }
        var f = ExpressionCompiler.CompileVector(rhs, ctx);
        SparsityPattern s = f.JacobianSparsity;
        Assert.Equal(n, s.Rows);
        Assert.Equal(n, s.Columns);
        Assert.Equal(3 * n - 2, s.NonZeros);
        Assert.Equal((1, 1), s.Bandwidth);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) Assert.Equal(Math.Abs(i - j) <= 1, s.Contains(i, j));
        Assert.Equal([0, 1], s.RowColumns(0).ToArray());
        Assert.Equal([2, 3, 4], s.RowColumns(3).ToArray());

        // The Jacobian itself is tridiagonal and matches finite differences.
        double[] p = Enumerable.Range(1, n).Select(i => Math.Sin(i)).ToArray();
        var j2 = new double[n * n];
        f.Jacobian(0, p, j2);
        double c = 0.5 * (n + 1) * (n + 1);
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < n; k++)
            {
                double expected = i == k ? -2 * c - 3 * p[i] * p[i] : Math.Abs(i - k) == 1 ? c : 0;
                AssertClose(expected, j2[i * n + k], 1e-13, 1e-12, $"J[{i},{k}]");
            }
        }
    }

    [Fact]
    public void Sparsity_SumOverRange_MarksTheWholeRange()
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 6).AddVariable("y").AddParameter("n", 6).AddTime();
        var f = ExpressionCompiler.CompileVector(
        [
            "sum(i, 1, n, x[i]^2)",
            "sum(i, 2, 4, x[i])",
            "sum(i, 1, 3, x[2*i-1])",      // conservative: x[1] … x[5], though x[2], x[4] are not used
            "t + 1",
            "y*x[6] + if(y > 0, x[1], x[2])",  // both branches
        ], ctx);
        SparsityPattern s = f.JacobianSparsity;
        Assert.Equal(5, s.Rows);
        Assert.Equal(7, s.Columns);
        Assert.Equal([0, 1, 2, 3, 4, 5], s.RowColumns(0).ToArray());
        Assert.Equal([1, 2, 3], s.RowColumns(1).ToArray());
        Assert.Equal([0, 1, 2, 3, 4], s.RowColumns(2).ToArray());
        Assert.Equal(Array.Empty<int>(), s.RowColumns(3).ToArray());
        Assert.Equal([0, 1, 5, 6], s.RowColumns(4).ToArray());
        Assert.Equal(6 + 3 + 5 + 0 + 4, s.NonZeros);

        // Every nonzero of the Jacobian is in the pattern.
        var j = new double[5 * 7];
        f.Jacobian(0.5, [1.0, 2, 3, 4, 5, 6, 0.5], j);
        for (int r = 0; r < 5; r++)
            for (int c = 0; c < 7; c++)
                if (j[r * 7 + c] != 0) Assert.True(s.Contains(r, c), $"J[{r},{c}] = {j[r * 7 + c]} is not in the pattern");
    }

    private static void AssertSymmetric(double[] h, int n, double relative = 1e-13)
    {
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++) AssertClose(h[i * n + j], h[j * n + i], relative, 0, $"H[{i},{j}] vs H[{j},{i}]");
    }
}
