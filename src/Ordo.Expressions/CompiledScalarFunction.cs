using System.Buffers;
using Ordo.Expressions.Binding;
using Ordo.Expressions.Codegen;

namespace Ordo.Expressions;

/// <summary>
/// A compiled scalar expression f(x) with exact derivatives. Thread-safe: evaluations share no mutable state, and none
/// allocates (<see cref="Hessian"/> rents one scratch vector from the shared pool).
/// </summary>
public sealed unsafe class CompiledScalarFunction
{
    private readonly Func<double, nint, double> _value;
    private readonly Lazy<Func<double, nint, nint, double>> _gradient;
    private readonly Lazy<Action<double, nint, nint, nint>> _hvp;

    internal CompiledScalarFunction(string expression, int dimension, BoundNode node)
    {
        Expression = expression;
        Dimension = dimension;
        _value = Emitter.ScalarValue(node);
        // The derivative code is compiled the first time it is asked for.
        _gradient = new Lazy<Func<double, nint, nint, double>>(() => Emitter.ScalarGradient(node));
        _hvp = new Lazy<Action<double, nint, nint, nint>>(() => Emitter.HessianVectorProduct(node));
    }

    /// <summary>The expression text.</summary>
    public string Expression { get; }

    /// <summary>Number of variables (length of x).</summary>
    public int Dimension { get; }

    /// <summary>f(x) (at time <paramref name="t"/> when the context has a time variable).</summary>
    public double Evaluate(ReadOnlySpan<double> x, double t = 0)
    {
        Check(x.Length, nameof(x));
        fixed (double* px = x) return _value(t, (nint)px);
    }

    /// <summary>Returns f(x) and writes the exact gradient ∇f(x) into <paramref name="gradient"/>.</summary>
    public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient, double t = 0)
    {
        Check(x.Length, nameof(x));
        Check(gradient.Length, nameof(gradient));
        gradient.Clear();
        fixed (double* px = x, pg = gradient) return _gradient.Value(t, (nint)px, (nint)pg);
    }

    /// <summary>Writes the exact Hessian–vector product ∇²f(x)·v into <paramref name="result"/>.</summary>
    public void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result, double t = 0)
    {
        Check(x.Length, nameof(x));
        Check(v.Length, nameof(v));
        Check(result.Length, nameof(result));
        result.Clear();
        fixed (double* px = x, pv = v, pr = result) _hvp.Value(t, (nint)px, (nint)pv, (nint)pr);
    }

    /// <summary>Writes the exact dense Hessian ∇²f(x) (row-major, n × n) into <paramref name="hessian"/>: n
    /// Hessian–vector products with the unit vectors.</summary>
    public void Hessian(ReadOnlySpan<double> x, Span<double> hessian, double t = 0)
    {
        Check(x.Length, nameof(x));
        int n = Dimension;
        if (hessian.Length != n * n) throw new ArgumentException($"hessian has length {hessian.Length} but an {n} × {n} matrix needs {n * n}.", nameof(hessian));
        double[] unit = ArrayPool<double>.Shared.Rent(Math.Max(n, 1));
        try
        {
            Array.Clear(unit, 0, n);
            for (int j = 0; j < n; j++)
            {
                unit[j] = 1;
                HessianVectorProduct(x, unit.AsSpan(0, n), hessian.Slice(j * n, n), t);   // column j = row j (symmetric)
                unit[j] = 0;
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(unit);
        }
    }

    private void Check(int length, string name)
    {
        if (length != Dimension) throw new ArgumentException($"{name} has length {length} but the expression has {Dimension} variables.", name);
    }
}
