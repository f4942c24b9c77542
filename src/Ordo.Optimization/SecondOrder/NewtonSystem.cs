using Ordo.LinearAlgebra;

namespace Ordo.Optimization;

/// <summary>
/// The dense Hessian and its (modified) Cholesky factor for one run of a Newton-type method: evaluates ∇²f(x), factors
/// ∇²f(x) + τI with the smallest τ of Nocedal &amp; Wright's Algorithm 3.3 that makes it positive definite
/// (<see cref="DenseCholesky.FactorModified"/>), and solves with the factor. Buffers are allocated once per run.
/// </summary>
internal sealed class NewtonSystem(int n)
{
    private readonly double[] _h = new double[n * n];
    private readonly double[] _l = new double[n * n];

    /// <summary>The shift τ of the last factorization (0 when the Hessian was positive definite).</summary>
    public double Shift { get; private set; }

    /// <summary>How many factorizations needed a shift τ &gt; 0.</summary>
    public int ShiftedCount { get; private set; }

    /// <summary>Evaluates the Hessian at <paramref name="x"/> and factors it (shifted if needed). False when the Hessian
    /// has non-finite entries (no factor).</summary>
    public bool EvaluateAndFactor(ObjectiveEvaluator evaluator, ReadOnlySpan<double> x)
    {
        evaluator.Hessian(x, _h);
        Shift = DenseCholesky.FactorModified(_h, _l, n);
        if (double.IsNaN(Shift)) return false;
        if (Shift > 0) ShiftedCount++;
        return true;
    }

    /// <summary>d ← (∇²f + τI)⁻¹·g (d may be a copy of g).</summary>
    public void Solve(ReadOnlySpan<double> g, Span<double> d)
    {
        g.CopyTo(d);
        DenseCholesky.Solve(_l, n, d);
    }
}
