using Ordo.Expressions.Binding;
using Ordo.Expressions.Syntax;

namespace Ordo.Expressions;

/// <summary>
/// Compiles expression strings (the language of ../shared/spec/problem-files-and-cli.md) into fast delegates with exact
/// derivatives. Each expression is parsed, bound against an <see cref="ExpressionContext"/>, checked (names, types,
/// index ranges, limits) and turned into System.Linq.Expressions code that the runtime compiles to machine code: no
/// interpretation per call. Derivatives are reverse-mode automatic differentiation of that code (Griewank &amp; Walther,
/// <i>Evaluating Derivatives</i>, 2nd ed., SIAM 2008, ch. 3), and forward-over-reverse for Hessian–vector products
/// (ibid., ch. 5) — never finite differences. An expression can only compute: it cannot reach reflection, files or
/// any .NET API beyond the math functions of the language.
/// </summary>
public static class ExpressionCompiler
{
    /// <summary>Compiles a scalar expression f(x) (an objective), with its gradient, Hessian–vector product and Hessian.</summary>
    /// <exception cref="ExpressionException">The expression is not valid in this context (the message gives the column).</exception>
    public static CompiledScalarFunction CompileScalar(string expression, ExpressionContext context, ExpressionLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(context);
        limits ??= ExpressionLimits.Default;
        BoundNode node = Bind(expression, context, limits);
        return new CompiledScalarFunction(expression, context.Dimension, node);
    }

    /// <summary>Compiles a vector of expressions F(t, x) (an ODE right-hand side, least-squares residuals) with its
    /// Jacobian and the Jacobian's sparsity pattern.</summary>
    /// <exception cref="ExpressionException">An expression is not valid in this context; <see cref="ExpressionException.Expression"/>
    /// is the offending string and the message says which (0-based) element it is.</exception>
    public static CompiledVectorFunction CompileVector(IReadOnlyList<string> expressions, ExpressionContext context, ExpressionLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(expressions);
        ArgumentNullException.ThrowIfNull(context);
        if (expressions.Count == 0) throw new ArgumentException("there are no expressions to compile.", nameof(expressions));
        limits ??= ExpressionLimits.Default;
        var nodes = new BoundNode[expressions.Count];
        for (int i = 0; i < nodes.Length; i++)
        {
            try
            {
                nodes[i] = Bind(expressions[i] ?? throw new ArgumentException($"expression {i} is null.", nameof(expressions)), context, limits);
            }
            catch (ExpressionException e)
            {
                throw e.ForElement(i);
            }
        }
        return new CompiledVectorFunction(expressions, context.Dimension, nodes);
    }

    private static BoundNode Bind(string expression, ExpressionContext context, ExpressionLimits limits)
    {
        SyntaxNode syntax = Parser.Parse(expression, limits);
        return Binder.Bind(expression, syntax, context, limits);
    }

    /// <summary>The functions the language knows.</summary>
    public static IEnumerable<string> FunctionNames => Binder.FunctionNames;
}
