namespace Ordo.Core.Tests;

public class RootFindingTests
{
    private struct Function(Func<double, double> f) : IScalarFunction
    {
        public int Calls;
        public double Evaluate(double x)
        {
            Calls++;
            return f(x);
        }
    }

    [Fact]
    public void Brent_CosineOnZeroTwo_FindsHalfPiToMachinePrecision()
    {
        var f = new Function(Math.Cos);
        double root = RootFinding.Brent(ref f, 0, 2, 1, Math.Cos(2), 0);
        Assert.Equal(Math.PI / 2, root, 1e-15);
        Assert.InRange(f.Calls, 1, 12);   // superlinear, not bisection (which would need ~52)
    }

    [Fact]
    public void Brent_NonSmoothStep_ConvergesLikeBisection()
    {
        var f = new Function(x => x < 0.3 ? -1 : 1);
        double root = RootFinding.Brent(ref f, 0, 1, -1, 1, 1e-12);
        Assert.Equal(0.3, root, 1e-11);
    }

    [Fact]
    public void Brent_RootAtAnEnd_ReturnsIt()
    {
        var f = new Function(x => x - 1);
        Assert.Equal(1, RootFinding.Brent(ref f, 0, 1, -1, 0, 1e-12));
        Assert.Equal(0, f.Calls);
    }

    [Fact]
    public void Brent_NoSignChange_Throws()
    {
        var f = new Function(x => x * x + 1);
        Assert.Throws<ArgumentException>(() => RootFinding.Brent(ref f, -1, 1, 2, 2, 1e-12));
    }

    [Fact]
    public void Brent_FunctionTurnsNaN_ReturnsTheLastFinitePoint()
    {
        var f = new Function(x => x > 0.55 ? double.NaN : x - 0.7);
        double root = RootFinding.Brent(ref f, 0, 1, -0.7, 0.3, 1e-12);
        Assert.True(double.IsFinite(root));
    }
}
