namespace Ordo.Expressions.Tests;

public class SmokeTests(ITestOutputHelper output)
{
    [Fact]
    public void Rosenbrock_ValueGradientHessian()
    {
        var ctx = new ExpressionContext().AddVectorVariable("x", 4).AddParameter("n", 4);
        var f = ExpressionCompiler.CompileScalar("sum(i, 1, n-1, 100*(x[i+1] - x[i]^2)^2 + (1 - x[i])^2)", ctx);
        double[] x = [-1.2, 1, 0.5, 0.3];
        double v = f.Evaluate(x);
        var g = new double[4];
        double v2 = f.ValueAndGradient(x, g);
        var h = new double[16];
        f.Hessian(x, h);
        output.WriteLine($"{v} {v2} [{string.Join(", ", g)}]");
        output.WriteLine(string.Join(" ", h));
        // finite differences
        for (int j = 0; j < 4; j++)
        {
            double e = 1e-6;
            double[] xp = (double[])x.Clone(), xm = (double[])x.Clone();
            xp[j] += e; xm[j] -= e;
            double fd = (f.Evaluate(xp) - f.Evaluate(xm)) / (2 * e);
            output.WriteLine($"g[{j}] = {g[j]} fd {fd}");
            Assert.Equal(fd, g[j], 1e-5 * (1 + Math.Abs(fd)));
            var gp = new double[4]; var gm = new double[4];
            f.ValueAndGradient(xp, gp); f.ValueAndGradient(xm, gm);
            for (int i = 0; i < 4; i++) Assert.Equal((gp[i] - gm[i]) / (2 * e), h[i * 4 + j], 1e-4 * (1 + Math.Abs(h[i * 4 + j])));
        }
    }

    [Fact]
    public void VanDerPol_VectorAndJacobian()
    {
        var ctx = new ExpressionContext().AddVariable("x").AddVariable("v").AddTime().AddParameter("mu", 1.5);
        var f = ExpressionCompiler.CompileVector(["v", "mu*(1 - x^2)*v - x + sin(t)"], ctx);
        var r = new double[2];
        f.Evaluate(0.3, [2.0, 0.5], r);
        Assert.Equal(0.5, r[0]);
        Assert.Equal(1.5 * (1 - 4) * 0.5 - 2 + Math.Sin(0.3), r[1], 1e-15);
        var j = new double[4];
        f.Jacobian(0.3, [2.0, 0.5], j);
        Assert.Equal([0, 1, 1.5 * (-2 * 2) * 0.5 - 1, 1.5 * (1 - 4)], j);
        Assert.Equal(3, f.JacobianSparsity.NonZeros);
    }
}
