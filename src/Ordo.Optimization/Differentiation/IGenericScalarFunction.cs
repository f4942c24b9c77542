using System.Numerics;

namespace Ordo.Optimization.Differentiation;

/// <summary>
/// A scalar function f: ℝⁿ → ℝ written once over any IEEE floating-point type. Evaluated on <see cref="double"/> it gives
/// the value; on <see cref="Dual{T}"/> it gives directional derivatives, and on <c>Dual&lt;Dual&lt;double&gt;&gt;</c>
/// second derivatives. <see cref="ForwardModeObjective"/> turns it into an <see cref="IHessianObjective"/>.
/// </summary>
/// <remarks>
/// Write the body with T's operators and static functions (<c>T.Sin</c>, <c>T.Exp</c>, <c>T.Sqrt</c>, ...) and make
/// constants with <c>T.CreateTruncating(2.5)</c> or <c>T.One</c>. Do not convert intermediates to <see cref="double"/>
/// (that drops the derivative), and do not allocate: <see cref="ForwardModeObjective"/> is allocation free per evaluation
/// exactly when <see cref="Evaluate{T}"/> is.
/// </remarks>
public interface IGenericScalarFunction
{
    /// <summary>The number of variables n.</summary>
    int Dimension { get; }

    /// <summary>f(x) for x of length n.</summary>
    T Evaluate<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>;
}
