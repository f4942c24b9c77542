using Ordo.Optimization;

namespace Ordo.Benchmarking.Optimization;

/// <summary>
/// Wraps an MGH objective for the benchmark: counts evaluations itself (independently of the solver's own counts) and
/// records, for each τ, the cost at which the best value seen first passed the Moré–Wild test
/// f − f* ≤ τ·(f(x0) − f*). Cost is in function-evaluation equivalents nf + n·ng, a gradient or Jacobian counted as n
/// evaluations, a Hessian–vector product as 2 gradients and a dense Hessian as 2n gradients — exactly how the scipy
/// side (bench/scipy/scipy_mgh_bench.py) and research/opt-data count, so the profiles compare like with like.
/// </summary>
internal sealed class RecordingObjective : IHessianObjective, ILeastSquaresObjective
{
    private readonly IHessianObjective _f;
    private readonly ILeastSquaresObjective _ls;
    private readonly double _fStar, _f0;
    private readonly double[] _taus;
    private readonly double[] _costTo;

    public RecordingObjective(IHessianObjective f, ILeastSquaresObjective ls, double fStar, double f0, double[] taus)
    {
        _f = f;
        _ls = ls;
        _fStar = fStar;
        _f0 = f0;
        _taus = taus;
        _costTo = new double[taus.Length];
        Array.Fill(_costTo, double.PositiveInfinity);
    }

    public int Dimension => _f.Dimension;
    public int ResidualCount => _ls.ResidualCount;
    public long FunctionCalls { get; private set; }
    public long GradientEquivalents { get; private set; }
    public double Best { get; private set; } = double.PositiveInfinity;

    /// <summary>Cost (nf + n·ng) at which each τ was first met; +∞ if never.</summary>
    public IReadOnlyList<double> CostTo => _costTo;

    private double Cost => FunctionCalls + (double)Dimension * GradientEquivalents;

    private void Record(double v)
    {
        if (!double.IsFinite(v) || !(v < Best)) return;
        Best = v;
        for (int i = 0; i < _taus.Length; i++)
            if (double.IsPositiveInfinity(_costTo[i]) && v - _fStar <= _taus[i] * (_f0 - _fStar)) _costTo[i] = Cost;
    }

    public double Value(ReadOnlySpan<double> x)
    {
        FunctionCalls++;
        double v = _f.Value(x);
        Record(v);
        return v;
    }

    public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        FunctionCalls++;
        GradientEquivalents++;
        double v = _f.ValueAndGradient(x, gradient);
        Record(v);
        return v;
    }

    public void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result)
    {
        GradientEquivalents += 2;
        _f.HessianVectorProduct(x, v, result);
    }

    public void Hessian(ReadOnlySpan<double> x, Span<double> hessian)
    {
        GradientEquivalents += 2L * Dimension;
        _f.Hessian(x, hessian);
    }

    public void Residuals(ReadOnlySpan<double> x, Span<double> residuals)
    {
        FunctionCalls++;
        _ls.Residuals(x, residuals);
        Record(LeastSquares.SumOfSquares(residuals));
    }

    public void Jacobian(ReadOnlySpan<double> x, Span<double> jacobian)
    {
        GradientEquivalents++;
        _ls.Jacobian(x, jacobian);
    }
}
