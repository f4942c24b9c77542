namespace Ordo.Optimization.Differentiation;

/// <summary>
/// Exact derivatives of a function written once over generic math (<see cref="IGenericScalarFunction"/>) by
/// forward-mode automatic differentiation with <see cref="Dual{T}"/> numbers: values on <see cref="double"/>, gradients
/// with <c>Dual&lt;double&gt;</c>, Hessian–vector products and Hessians with <c>Dual&lt;Dual&lt;double&gt;&gt;</c>
/// (forward over forward).
/// </summary>
/// <remarks>
/// <para>Cost in passes over f (measured at n = 20: one dual pass 1.3–8 times one evaluation on doubles, one nested
/// pass 1.7–18 times, transcendental-heavy to polynomial code; docs/optimization/derivatives.md):</para>
/// <list type="table">
/// <item><term><see cref="Value"/></term><description>one pass on doubles.</description></item>
/// <item><term><see cref="DirectionalDerivative"/></term><description>one dual pass (∇f·d).</description></item>
/// <item><term><see cref="ValueAndGradient"/></term><description>n dual passes, pass i seeded with eᵢ (one tangent per
/// pass; ForwardDiff.jl's "chunk" of several tangents per pass is not implemented).</description></item>
/// <item><term><see cref="HessianVectorProduct"/></term><description>n nested passes: inner tangent v, outer tangent eᵢ;
/// the mixed part of the result is eᵢᵀ∇²f·v. Forward mode cannot do it in O(1) passes (that needs reverse mode: the
/// expression engine's forward-over-reverse), so for large n prefer an objective with a hand-written or reverse-mode
/// product.</description></item>
/// <item><term><see cref="Hessian"/></term><description>n(n+1)/2 nested passes (inner eⱼ, outer eᵢ for i ≤ j), mirrored
/// by symmetry.</description></item>
/// </list>
/// <para>All dual buffers are allocated in the constructor; an evaluation allocates nothing when the user's
/// <see cref="IGenericScalarFunction.Evaluate{T}"/> does not. Not thread safe (the buffers are shared).</para>
/// <para>Sources: A. Griewank and A. Walther, <i>Evaluating Derivatives</i>, 2nd ed., SIAM 2008, ch. 3 (forward mode,
/// gradient by n tangent sweeps) and ch. 13 (higher derivatives by nesting); J. Revels, M. Lubin and T. Papamarkou,
/// "Forward-mode automatic differentiation in Julia", arXiv:1607.07892, 2016.</para>
/// </remarks>
public sealed class ForwardModeObjective : IHessianObjective
{
    private readonly IGenericScalarFunction _function;
    private readonly Dual<double>[] _first;
    private readonly Dual<Dual<double>>[] _second;

    /// <summary>Wraps <paramref name="function"/> and allocates its dual buffers (2n + 4n doubles).</summary>
    /// <exception cref="ArgumentException">The function's dimension is not positive.</exception>
    public ForwardModeObjective(IGenericScalarFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        int n = function.Dimension;
        if (n <= 0) throw new ArgumentException($"The function's Dimension must be positive, not {n}.", nameof(function));
        _function = function;
        _first = new Dual<double>[n];
        _second = new Dual<Dual<double>>[n];
    }

    /// <inheritdoc/>
    public int Dimension => _first.Length;

    /// <summary>f(x), one evaluation on doubles.</summary>
    public double Value(ReadOnlySpan<double> x)
    {
        Guard.Length(x.Length, Dimension, nameof(x));
        return _function.Evaluate(x);
    }

    /// <summary>∇f(x)·d and f(x) in one dual pass.</summary>
    public double DirectionalDerivative(ReadOnlySpan<double> x, ReadOnlySpan<double> direction, out double value)
    {
        int n = Dimension;
        Guard.Length(x.Length, n, nameof(x));
        Guard.Length(direction.Length, n, nameof(direction));
        for (int j = 0; j < n; j++) _first[j] = new Dual<double>(x[j], direction[j]);
        var r = _function.Evaluate<Dual<double>>(_first);
        value = r.Value;
        return r.Tangent;
    }

    /// <summary>f(x) and ∇f(x) by n dual passes (pass i seeds xᵢ with tangent 1).</summary>
    public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
    {
        int n = Dimension;
        Guard.Length(x.Length, n, nameof(x));
        Guard.Length(gradient.Length, n, nameof(gradient));
        for (int j = 0; j < n; j++) _first[j] = new Dual<double>(x[j], 0);
        double value = 0;
        for (int i = 0; i < n; i++)
        {
            _first[i] = new Dual<double>(x[i], 1);
            var r = _function.Evaluate<Dual<double>>(_first);
            _first[i] = new Dual<double>(x[i], 0);
            gradient[i] = r.Tangent;
            if (i == 0) value = r.Value;
        }
        return value;
    }

    /// <summary>∇²f(x)·v by n nested passes: xⱼ ↦ ((xⱼ, vⱼ), (δᵢⱼ, 0)), and component i is the second-order part.</summary>
    public void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result)
    {
        int n = Dimension;
        Guard.Length(x.Length, n, nameof(x));
        Guard.Length(v.Length, n, nameof(v));
        Guard.Length(result.Length, n, nameof(result));
        for (int j = 0; j < n; j++) _second[j] = new(new Dual<double>(x[j], v[j]), default);
        for (int i = 0; i < n; i++)
        {
            var xi = new Dual<double>(x[i], v[i]);
            _second[i] = new(xi, new Dual<double>(1, 0));
            var r = _function.Evaluate<Dual<Dual<double>>>(_second);
            _second[i] = new(xi, default);
            result[i] = r.Tangent.Tangent;
        }
    }

    /// <summary>The dense ∇²f(x), row-major, by n(n+1)/2 nested passes (the upper triangle, mirrored).</summary>
    public void Hessian(ReadOnlySpan<double> x, Span<double> hessian)
    {
        int n = Dimension;
        Guard.Length(x.Length, n, nameof(x));
        Guard.Length(hessian.Length, n * n, nameof(hessian), "n·n");
        for (int k = 0; k < n; k++) _second[k] = new(new Dual<double>(x[k], 0), default);
        for (int i = 0; i < n; i++)
        {
            // Outer tangent eᵢ.
            _second[i] = new(_second[i].Value, new Dual<double>(1, 0));
            for (int j = i; j < n; j++)
            {
                // Inner tangent eⱼ.
                var saved = _second[j];
                _second[j] = new(new Dual<double>(x[j], 1), saved.Tangent);
                var r = _function.Evaluate<Dual<Dual<double>>>(_second);
                _second[j] = saved;
                double hij = r.Tangent.Tangent;
                hessian[i * n + j] = hij;
                hessian[j * n + i] = hij;
            }
            _second[i] = new(_second[i].Value, default);
        }
    }
}
