using Ordo.Expressions.Binding;
using Ordo.Expressions.Codegen;

namespace Ordo.Expressions;

/// <summary>
/// A compiled vector of expressions F(t, x) — an ODE right-hand side or least-squares residuals — with its exact
/// Jacobian and the Jacobian's structural sparsity. Thread-safe and allocation-free per call. <see cref="Evaluate"/>
/// has the shape of an ODE right-hand side: <c>new OdeFunction&lt;double&gt;(f.Evaluate)</c>.
/// </summary>
public sealed unsafe class CompiledVectorFunction
{
    private readonly Action<double, nint, nint> _value;
    private readonly Lazy<Action<double, nint, nint>> _jacobian;
    private readonly Lazy<SparsityPattern> _sparsity;

    internal CompiledVectorFunction(IReadOnlyList<string> expressions, int inputDimension, BoundNode[] nodes)
    {
        Expressions = [.. expressions];
        InputDimension = inputDimension;
        OutputDimension = nodes.Length;
        _value = Emitter.VectorValue(nodes);
        _jacobian = new Lazy<Action<double, nint, nint>>(() => Emitter.VectorJacobian(nodes, inputDimension));
        _sparsity = new Lazy<SparsityPattern>(() => Sparsity.Of(nodes, inputDimension));
        DependsOnTime = Sparsity.UsesTime(nodes);
    }

    /// <summary>True when some expression mentions the time variable; false means F does not depend on t (an
    /// autonomous ODE).</summary>
    public bool DependsOnTime { get; }

    /// <summary>The expression texts.</summary>
    public IReadOnlyList<string> Expressions { get; }

    /// <summary>Number of variables n (length of x).</summary>
    public int InputDimension { get; }

    /// <summary>Number of expressions m (length of the result).</summary>
    public int OutputDimension { get; }

    /// <summary>Writes F(t, x) into <paramref name="result"/>.</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> result)
    {
        if (x.Length != InputDimension) throw new ArgumentException($"x has length {x.Length} but the expressions have {InputDimension} variables.", nameof(x));
        if (result.Length != OutputDimension) throw new ArgumentException($"result has length {result.Length} but there are {OutputDimension} expressions.", nameof(result));
        fixed (double* px = x, pr = result) _value(t, (nint)px, (nint)pr);
    }

    /// <summary>Writes the exact Jacobian ∂Fᵢ/∂xⱼ (row-major, m × n) into <paramref name="jacobian"/>.</summary>
    public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> jacobian)
    {
        if (x.Length != InputDimension) throw new ArgumentException($"x has length {x.Length} but the expressions have {InputDimension} variables.", nameof(x));
        if (jacobian.Length != OutputDimension * InputDimension)
            throw new ArgumentException($"jacobian has length {jacobian.Length} but an {OutputDimension} × {InputDimension} matrix needs {OutputDimension * InputDimension}.", nameof(jacobian));
        jacobian.Clear();
        fixed (double* px = x, pj = jacobian) _jacobian.Value(t, (nint)px, (nint)pj);
    }

    /// <summary>Which Jacobian entries can be nonzero (by structure).</summary>
    public SparsityPattern JacobianSparsity => _sparsity.Value;
}
