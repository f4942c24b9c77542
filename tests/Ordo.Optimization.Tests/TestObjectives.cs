namespace Ordo.Optimization.Tests;

/// <summary>f(x) = ½ Σ dᵢ xᵢ² (minimum 0 at the origin), with gradient, Hessian–vector products and Hessian.</summary>
internal sealed class DiagonalQuadratic(double[] diagonal) : DenseHessianObjective
{
    public override int Dimension => diagonal.Length;

    public override double Value(ReadOnlySpan<double> x)
    {
        double f = 0;
        for (int i = 0; i < x.Length; i++) f += 0.5 * diagonal[i] * x[i] * x[i];
        return f;
    }

    public override double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        for (int i = 0; i < x.Length; i++) gradient[i] = diagonal[i] * x[i];
        return Value(x);
    }

    public override void Hessian(ReadOnlySpan<double> x, Span<double> hessian)
    {
        hessian.Clear();
        for (int i = 0; i < diagonal.Length; i++) hessian[i * diagonal.Length + i] = diagonal[i];
    }
}

/// <summary>Rosenbrock's function 100(x₂ − x₁²)² + (1 − x₁)², minimum 0 at (1, 1).</summary>
internal sealed class Rosenbrock : DenseHessianObjective
{
    public override int Dimension => 2;

    public override double Value(ReadOnlySpan<double> x) => 100 * Math.Pow(x[1] - x[0] * x[0], 2) + Math.Pow(1 - x[0], 2);

    public override double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
    {
        double a = x[1] - x[0] * x[0];
        g[0] = -400 * a * x[0] - 2 * (1 - x[0]);
        g[1] = 200 * a;
        return Value(x);
    }

    public override void Hessian(ReadOnlySpan<double> x, Span<double> h)
    {
        h[0] = 1200 * x[0] * x[0] - 400 * x[1] + 2;
        h[1] = h[2] = -400 * x[0];
        h[3] = 200;
    }
}

/// <summary>An objective given by delegates (value only).</summary>
internal sealed class ValueOnly(int n, Func<double[], double> f) : IObjective
{
    public int Dimension => n;
    public double Value(ReadOnlySpan<double> x) => f(x.ToArray());
}

/// <summary>f = x₁² + x₂² with the gradient's sign flipped (and the true Hessian 2I): every "descent" direction goes
/// uphill, so no method may claim convergence.</summary>
internal sealed class SignFlippedGradient : IHessianVectorObjective
{
    public int Dimension => 2;
    public double Value(ReadOnlySpan<double> x) => x[0] * x[0] + x[1] * x[1];
    public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> g)
    {
        g[0] = -2 * x[0];
        g[1] = -2 * x[1];
        return Value(x);
    }
    public void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> r)
    {
        r[0] = 2 * v[0];
        r[1] = 2 * v[1];
    }
}
