namespace Ordo.Expressions.Tests;

/// <summary>Shared helpers: compiling in small contexts, finite differences and error assertions.</summary>
internal static class TestSupport
{
    /// <summary>A context with the scalar variables <paramref name="names"/> (in order).</summary>
    public static ExpressionContext Scalars(params string[] names)
    {
        var ctx = new ExpressionContext();
        foreach (string name in names) ctx.AddVariable(name);
        return ctx;
    }

    /// <summary>Value of <paramref name="expression"/> over the scalar variables x, y, z at the given point.</summary>
    public static double Eval(string expression, double x = 0, double y = 0, double z = 0) =>
        ExpressionCompiler.CompileScalar(expression, Scalars("x", "y", "z")).Evaluate([x, y, z]);

    public static double[] Gradient(CompiledScalarFunction f, double[] x, double t = 0)
    {
        var g = new double[x.Length];
        f.ValueAndGradient(x, g, t);
        return g;
    }

    /// <summary>Central finite difference ∂f/∂x_j with step h·max(1, |x_j|).</summary>
    public static double CentralDifference(Func<double[], double> f, double[] x, int j, double h = 1e-6)
    {
        double step = h * Math.Max(1, Math.Abs(x[j]));
        double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
        plus[j] += step;
        minus[j] -= step;
        return (f(plus) - f(minus)) / (plus[j] - minus[j]);
    }

    public static double[] FiniteGradient(Func<double[], double> f, double[] x, double h = 1e-6) =>
        Enumerable.Range(0, x.Length).Select(j => CentralDifference(f, x, j, h)).ToArray();

    /// <summary>Hessian by central differences of the exact gradient (column j = d∇f/dx_j).</summary>
    public static double[] FiniteHessian(CompiledScalarFunction f, double[] x, double h = 1e-6)
    {
        int n = x.Length;
        var hessian = new double[n * n];
        for (int j = 0; j < n; j++)
        {
            double step = h * Math.Max(1, Math.Abs(x[j]));
            double[] plus = (double[])x.Clone(), minus = (double[])x.Clone();
            plus[j] += step;
            minus[j] -= step;
            double[] gp = Gradient(f, plus), gm = Gradient(f, minus);
            for (int i = 0; i < n; i++) hessian[i * n + j] = (gp[i] - gm[i]) / (plus[j] - minus[j]);
        }
        return hessian;
    }

    public static void AssertClose(double expected, double actual, double relative, double absolute = 0, string? what = null)
    {
        double tolerance = absolute + relative * Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(Math.Abs(expected - actual) <= tolerance,
            $"{what ?? "value"}: expected {expected:R}, got {actual:R} (difference {Math.Abs(expected - actual):E3}, tolerance {tolerance:E3})");
    }

    public static void AssertAllClose(double[] expected, double[] actual, double relative, double absolute = 0, string? what = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) AssertClose(expected[i], actual[i], relative, absolute, $"{what ?? "entry"} [{i}]");
    }

    /// <summary>Compiling must fail with an <see cref="ExpressionException"/> whose message contains every fragment and
    /// the given 1-based column (in the message and in <see cref="ExpressionException.Column"/>).</summary>
    public static ExpressionException AssertError(string expression, ExpressionContext context, int column, params string[] fragments)
    {
        var e = Assert.Throws<ExpressionException>(() => ExpressionCompiler.CompileScalar(expression, context));
        Assert.Equal(expression, e.Expression);
        Assert.Equal(column, e.Column);
        Assert.Contains($"at column {column}", e.Message);
        foreach (string fragment in fragments) Assert.Contains(fragment, e.Message);
        return e;
    }
}
