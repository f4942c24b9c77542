namespace Ordo.Optimization;

/// <summary>
/// An objective f: ℝⁿ → ℝ that can only be evaluated (the weakest capability). Zeroth-order methods
/// (Nelder–Mead, the two-point estimators) need nothing more.
/// </summary>
/// <remarks>
/// Capabilities are separate interfaces so that asking a method for more than an objective has does not compile:
/// BFGS takes an <see cref="IGradientObjective"/>, and a value-only objective cannot be passed
/// to it. Implementations need not be thread safe: one solve calls an objective from one thread.
/// </remarks>
public interface IObjective
{
    /// <summary>The number of variables n.</summary>
    int Dimension { get; }

    /// <summary>Returns f(x). May return NaN or ±∞; the solvers treat a non-finite trial value as "step too long".</summary>
    double Value(ReadOnlySpan<double> x);
}

/// <summary>An objective with its gradient.</summary>
public interface IGradientObjective : IObjective
{
    /// <summary>Returns f(x) and writes ∇f(x) into <paramref name="gradient"/> (length n).</summary>
    double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient);
}

/// <summary>An objective with its gradient and Hessian–vector products ∇²f(x)·v (what truncated-Newton and
/// Steihaug–Toint trust-region methods need: they never form the Hessian).</summary>
public interface IHessianVectorObjective : IGradientObjective
{
    /// <summary>Writes ∇²f(x)·v into <paramref name="result"/> (length n).</summary>
    void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result);
}

/// <summary>An objective with a dense Hessian (Newton's method with a factorization). A dense Hessian implies
/// Hessian–vector products, so this extends <see cref="IHessianVectorObjective"/>;
/// <see cref="DenseHessianObjective"/> derives the products from the Hessian for implementers.</summary>
public interface IHessianObjective : IHessianVectorObjective
{
    /// <summary>Writes ∇²f(x) row-major into <paramref name="hessian"/> (length n·n): hessian[i·n + j] = ∂²f/∂xᵢ∂xⱼ.</summary>
    void Hessian(ReadOnlySpan<double> x, Span<double> hessian);
}

/// <summary>
/// A nonlinear least-squares objective f(x) = Σᵢ rᵢ(x)², the plain sum of squares (the Moré–Garbow–Hillstrom
/// convention and the one of Ordo's problem files; scipy's <c>least_squares</c> reports half of it as <c>cost</c>).
/// Levenberg–Marquardt and Gauss–Newton use the residuals and the Jacobian directly; every gradient method can run on
/// it through <see cref="LeastSquares.AsGradientObjective"/> (∇f = 2Jᵀr).
/// </summary>
public interface ILeastSquaresObjective : IObjective
{
    /// <summary>The number of residuals m.</summary>
    int ResidualCount { get; }

    /// <summary>Writes r(x) into <paramref name="residuals"/> (length m).</summary>
    void Residuals(ReadOnlySpan<double> x, Span<double> residuals);

    /// <summary>Writes the Jacobian row-major into <paramref name="jacobian"/> (length m·n): jacobian[i·n + j] = ∂rᵢ/∂xⱼ.</summary>
    void Jacobian(ReadOnlySpan<double> x, Span<double> jacobian);
}

/// <summary>What an objective can compute, as flags (for the registry, <c>auto</c> and error messages).</summary>
[Flags]
public enum ObjectiveCapabilities
{
    /// <summary>f(x) only.</summary>
    Value = 1,
    /// <summary>∇f(x).</summary>
    Gradient = 2,
    /// <summary>∇²f(x)·v.</summary>
    HessianVectorProduct = 4,
    /// <summary>The dense ∇²f(x).</summary>
    Hessian = 8,
    /// <summary>Residuals r(x) and their Jacobian (f = Σ rᵢ²).</summary>
    Residuals = 16,
}

/// <summary>Capability helpers.</summary>
public static class Capabilities
{
    /// <summary>The capabilities <paramref name="objective"/> has, from the interfaces it implements. A least-squares
    /// objective also has a gradient (2Jᵀr).</summary>
    public static ObjectiveCapabilities Of(IObjective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var c = ObjectiveCapabilities.Value;
        if (objective is IGradientObjective) c |= ObjectiveCapabilities.Gradient;
        if (objective is IHessianVectorObjective) c |= ObjectiveCapabilities.HessianVectorProduct;
        if (objective is IHessianObjective) c |= ObjectiveCapabilities.Hessian;
        if (objective is ILeastSquaresObjective) c |= ObjectiveCapabilities.Residuals | ObjectiveCapabilities.Gradient;
        return c;
    }

    /// <summary>Plain-words list of capabilities, e.g. "value, gradient".</summary>
    public static string Describe(ObjectiveCapabilities c)
    {
        var parts = new List<string>();
        if (c.HasFlag(ObjectiveCapabilities.Value)) parts.Add("value");
        if (c.HasFlag(ObjectiveCapabilities.Gradient)) parts.Add("gradient");
        if (c.HasFlag(ObjectiveCapabilities.HessianVectorProduct)) parts.Add("Hessian-vector products");
        if (c.HasFlag(ObjectiveCapabilities.Hessian)) parts.Add("dense Hessian");
        if (c.HasFlag(ObjectiveCapabilities.Residuals)) parts.Add("residuals and Jacobian");
        return string.Join(", ", parts);
    }
}

/// <summary>Base class for objectives with a dense Hessian: implement <see cref="Hessian"/> and get
/// <see cref="HessianVectorProduct"/> as H·v (one n×n buffer, allocated on first use; not thread safe).</summary>
public abstract class DenseHessianObjective : IHessianObjective
{
    private double[]? _h;

    /// <inheritdoc/>
    public abstract int Dimension { get; }

    /// <inheritdoc/>
    public abstract double Value(ReadOnlySpan<double> x);

    /// <inheritdoc/>
    public abstract double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient);

    /// <inheritdoc/>
    public abstract void Hessian(ReadOnlySpan<double> x, Span<double> hessian);

    /// <summary>∇²f(x)·v computed from the dense Hessian (n² work).</summary>
    public virtual void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result)
    {
        int n = Dimension;
        _h ??= new double[n * n];
        Hessian(x, _h);
        for (int i = 0; i < n; i++) result[i] = Blas1.Dot<double>(_h.AsSpan(i * n, n), v);
    }
}

/// <summary>Adapters for least-squares objectives.</summary>
public static class LeastSquares
{
    /// <summary>Σᵢ rᵢ².</summary>
    public static double SumOfSquares(ReadOnlySpan<double> residuals) => Blas1.Dot(residuals, residuals);

    /// <summary>Views a least-squares objective as a gradient objective: f = Σ rᵢ², ∇f = 2Jᵀr (one residual and one
    /// Jacobian evaluation per gradient). The adapter owns m + m·n doubles of scratch and is not thread safe.</summary>
    public static IGradientObjective AsGradientObjective(this ILeastSquaresObjective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return objective as IGradientObjective ?? new LeastSquaresGradientAdapter(objective);
    }

    /// <summary>g = 2Jᵀr for a row-major m×n Jacobian.</summary>
    public static void Gradient(ReadOnlySpan<double> jacobian, ReadOnlySpan<double> residuals, int n, Span<double> gradient)
    {
        gradient.Clear();
        for (int i = 0; i < residuals.Length; i++)
            Blas1.Axpy(2 * residuals[i], jacobian.Slice(i * n, n), gradient);
    }

    private sealed class LeastSquaresGradientAdapter(ILeastSquaresObjective inner) : IGradientObjective, ILeastSquaresObjective
    {
        private readonly double[] _r = new double[inner.ResidualCount];
        private readonly double[] _j = new double[inner.ResidualCount * inner.Dimension];

        public int Dimension => inner.Dimension;
        public int ResidualCount => inner.ResidualCount;
        public double Value(ReadOnlySpan<double> x) => inner.Value(x);
        public void Residuals(ReadOnlySpan<double> x, Span<double> residuals) => inner.Residuals(x, residuals);
        public void Jacobian(ReadOnlySpan<double> x, Span<double> jacobian) => inner.Jacobian(x, jacobian);

        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            inner.Residuals(x, _r);
            inner.Jacobian(x, _j);
            Gradient(_j, _r, Dimension, gradient);
            return SumOfSquares(_r);
        }
    }
}
