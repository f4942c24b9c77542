namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// A Brownian "path" that answers every query with the same prescribed increment (W, H) per lane: feeding it to a
/// one-step solve evaluates a method's one-step map at chosen noise values (for exact expectations by quadrature).
/// </summary>
internal sealed class PrescribedIncrementPath(int lanes, double t0, double t1) : IBrownianPath
{
    public double[] W { get; } = new double[lanes];
    public double[] H { get; } = new double[lanes];
    public int Lanes => lanes;
    public double T0 => t0;
    public double T1 => t1;
    public void Increment(double s, double t, Span<double> dW) => W.CopyTo(dW);
    public void Increment(double s, double t, Span<double> dW, Span<double> h)
    {
        W.CopyTo(dW);
        H.CopyTo(h);
    }
}

/// <summary>
/// One lane of a fixed-grid Brownian path on [0, N·h] (the library's <see cref="BrownianIncrements"/> stream),
/// cached as W_{0,t} and H̄_{0,t} = t·H_{0,t} at the grid points, so that any interval between grid points is read in O(1) with
/// the Chen relation of sde.md §1.1, <c>H̄_{s,u} = H̄_u − H̄_s − ½(u W_s − s W_u)</c>: the same path for every coarser
/// step size (common random numbers).
/// </summary>
internal sealed class CachedGridPath : IBrownianPath
{
    private readonly BrownianIncrements _grid;
    private readonly double[] _w, _hBar;
    private readonly double _h;
    private readonly int _n;

    public CachedGridPath(int steps, ulong seed)
    {
        _n = steps;
        _h = 1.0 / steps;
        _grid = new BrownianIncrements(0, _h, steps, 1, seed);
        _w = new double[steps + 1];
        _hBar = new double[steps + 1];
    }

    public int Lanes => 1;
    public double T0 => 0;
    public double T1 => 1;

    /// <summary>W(1) of the current path.</summary>
    public double WEnd => _w[_n];

    public void Load(ulong stream)
    {
        _grid.Reset(stream);
        Span<double> w = stackalloc double[1], hh = stackalloc double[1];
        for (int n = 0; n < _n; n++)
        {
            _grid.Step(n, w, hh);
            // Chen from the origin: H̄_{0,u} = H̄_{0,s} + H̄_{s,u} + ½((u − s) W_{0,s} − s W_{s,u}).
            double s = n * _h;
            _hBar[n + 1] = _hBar[n] + _h * hh[0] + 0.5 * (_h * _w[n] - s * w[0]);
            _w[n + 1] = _w[n] + w[0];
        }
    }

    private int Index(double t)
    {
        double x = t * _n;
        int i = (int)Math.Round(x);
        if (Math.Abs(x - i) > 1e-9 || i < 0 || i > _n) throw new ArgumentException($"{t} is not a grid point.");
        return i;
    }

    public void Increment(double s, double t, Span<double> dW)
    {
        dW[0] = _w[Index(t)] - _w[Index(s)];
    }

    public void Increment(double s, double t, Span<double> dW, Span<double> h)
    {
        int i = Index(s), k = Index(t);
        dW[0] = _w[k] - _w[i];
        double hBar = _hBar[k] - _hBar[i] - 0.5 * (t * _w[i] - s * _w[k]);
        h[0] = k > i ? hBar / (t - s) : 0.0;
    }
}

/// <summary>The 5-point Gauss–Hermite rule for the standard normal law: exact for polynomials of degree ≤ 9.</summary>
internal static class GaussHermite5
{
    // Nodes are the roots of the probabilists' He₅(x) = x⁵ − 10x³ + 15x: 0 and ±√(5 ± √10); weights 5!/(5² He₄(xᵢ)²).
    public static readonly double[] Nodes, Weights;

    static GaussHermite5()
    {
        double a = Math.Sqrt(5 - Math.Sqrt(10)), b = Math.Sqrt(5 + Math.Sqrt(10));
        Nodes = [-b, -a, 0, a, b];
        Weights = new double[5];
        for (int i = 0; i < 5; i++)
        {
            double x = Nodes[i], he4 = x * x * x * x - 6 * x * x + 3;
            Weights[i] = 120.0 / (25.0 * he4 * he4);
        }
    }

    /// <summary>E[p(ξ)], ξ ~ N(0, 1).</summary>
    public static double Expect(Func<double, double> p)
    {
        double s = 0;
        for (int i = 0; i < 5; i++) s += Weights[i] * p(Nodes[i]);
        return s;
    }
}
