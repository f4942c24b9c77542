using System.Numerics.Tensors;

namespace Ordo.Optimization;

/// <summary>The β formula of nonlinear conjugate gradients.</summary>
public enum ConjugateGradientUpdate
{
    /// <summary>Hager–Zhang (CG_DESCENT): β = max(βᴺ, η_k), βᴺ = (y − 2d‖y‖²/dᵀy)ᵀg₊ / dᵀy,
    /// η_k = −1/(‖d‖ min(η, ‖g‖)), η = 0.01.</summary>
    HagerZhang,
    /// <summary>Polak–Ribière+: β = max(0, g₊ᵀy / ‖g‖²).</summary>
    PolakRibierePlus,
}

/// <summary>The rule for the first trial step of each line search of <see cref="ConjugateGradient"/>.</summary>
public enum ConjugateGradientInitialStep
{
    /// <summary>CG_DESCENT's rule: ψ₀‖x₀‖∞/‖g₀‖∞ (or ψ₀|f₀|/‖g₀‖₂², or 1) at the start; afterwards the minimizer of
    /// the quadratic through φ(0), φ'(0) and φ(ψ₁α_{k−1}) when that quadratic is convex and φ(ψ₁α_{k−1}) ≤ φ(0)
    /// (one extra value), else ψ₂α_{k−1}; ψ₀ = 0.01, ψ₁ = 0.1, ψ₂ = 2.</summary>
    HagerZhang,
    /// <summary>Nocedal &amp; Wright (3.60): α₀ = α_{k−1}·g_{k−1}ᵀd_{k−1}/g_kᵀd_k; min(1, 1/‖g₀‖∞) at the start.</summary>
    NocedalWright,
}

/// <summary>
/// Nonlinear conjugate gradients: d₀ = −g₀, d_{k+1} = −g_{k+1} + β_k d_k with the Hager–Zhang β (default) or
/// Polak–Ribière+, and the Hager–Zhang line search. Restarts with −g whenever d is not a descent direction.
/// </summary>
/// <remarks>
/// <para>Sources: W. W. Hager and H. Zhang, "A new conjugate gradient method with guaranteed descent and an efficient
/// line search", SIAM J. Optim. 16(1):170–192, 2005 (β, the truncation η = 0.01, the line search);
/// "Algorithm 851: CG_DESCENT", ACM TOMS 32(1):113–137, 2006 (the initial-step rules I0–I2); E. Polak and G. Ribière
/// (1969) with the "+" truncation of M. J. D. Powell (1986) / Gilbert &amp; Nocedal (1992) for the alternative β;
/// Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., §5.2 and eq. (3.60).</para>
/// <para>Memory: 4 vectors of length n besides the line function. When a search fails along a conjugate direction the
/// method restarts along −g and retries once before reporting <see cref="OptimizationStatus.LineSearchFailed"/>.</para>
/// </remarks>
public sealed class ConjugateGradient : Minimizer<IGradientObjective>
{
    /// <summary>The β formula. Default <see cref="ConjugateGradientUpdate.HagerZhang"/>.</summary>
    public ConjugateGradientUpdate Update { get; init; } = ConjugateGradientUpdate.HagerZhang;

    /// <summary>The first-trial-step rule. Default <see cref="ConjugateGradientInitialStep.HagerZhang"/>.</summary>
    public ConjugateGradientInitialStep InitialStep { get; init; } = ConjugateGradientInitialStep.HagerZhang;

    /// <summary>The truncation η of the Hager–Zhang β. Default 0.01.</summary>
    public double Eta { get; init; } = 0.01;

    /// <summary>The line search; default Hager–Zhang (δ = 0.1, σ = 0.9).</summary>
    public ILineSearch LineSearch { get; init; } = new HagerZhangLineSearch();

    /// <inheritdoc/>
    public override string Name => "cg";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 10000;

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
        => new Run(evaluator, LineSearch.Clone(), this);

    private sealed class Run(ObjectiveEvaluator evaluator, ILineSearch search, ConjugateGradient method) : LineSearchRun(evaluator, search)
    {
        private const double Psi0 = 0.01, Psi1 = 0.1, Psi2 = 2;
        private readonly double[] _y = new double[evaluator.Dimension];
        private double _beta = double.NaN;   // NaN: restart (d = −g)
        private double _previousStep = double.NaN;
        private double _previousSlope = double.NaN;

        protected override bool ComputeDirection()
        {
            if (double.IsNaN(_beta))
            {
                SteepestDescent();
                return true;
            }
            // d ← −g + βd.
            double beta = _beta;
            double[] d = D, g = G;
            for (int i = 0; i < d.Length; i++) d[i] = beta * d[i] - g[i];
            return false;
        }

        protected override double InitialStep(bool steepest)
        {
            double previous = _previousStep;
            if (method.InitialStep == ConjugateGradientInitialStep.NocedalWright)
            {
                if (!double.IsFinite(previous)) return Math.Min(1, 1 / GradientNorm);
                double a = previous * _previousSlope / Phi.Slope0;
                return a > 0 && double.IsFinite(a) ? a : Math.Min(1, 1 / GradientNorm);
            }
            if (!double.IsFinite(previous))
            {
                // I0.
                double xNorm = InfinityNorm(X);
                if (xNorm > 0) return Psi0 * xNorm / GradientNorm;
                double g2 = Blas1.Dot<double>(G, G);
                return F != 0 ? Psi0 * Math.Abs(F) / g2 : 1;
            }
            // I1: quadratic interpolation through φ(0), φ'(0), φ(ψ₁α_{k−1}) when it is convex and φ decreased there.
            double r = Psi1 * previous;
            double fr = Phi.Value(r);
            if (double.IsFinite(fr) && fr <= Phi.Value0)
            {
                double curvature = (fr - Phi.Value0 - Phi.Slope0 * r) / (r * r);
                if (curvature > 0) return -Phi.Slope0 / (2 * curvature);
            }
            // I2.
            return Psi2 * previous;
        }

        protected override void ResetMemory() => _beta = double.NaN;

        protected override void Accept(double alpha)
        {
            _previousStep = alpha;
            _previousSlope = Phi.Slope0;
            var gNew = Phi.TrialGradient;
            TensorPrimitives.Subtract(gNew, G, _y);
            double beta;
            if (method.Update == ConjugateGradientUpdate.PolakRibierePlus)
            {
                double gg = Blas1.Dot<double>(G, G);
                beta = Math.Max(0, Blas1.Dot(gNew, (ReadOnlySpan<double>)_y) / gg);
            }
            else
            {
                double dy = Blas1.Dot<double>(D, _y);
                double yy = Blas1.Dot<double>(_y, _y);
                double yg = Blas1.Dot(gNew, (ReadOnlySpan<double>)_y);
                double dg = Blas1.Dot(gNew, (ReadOnlySpan<double>)D);
                double betaN = (yg - 2 * yy * dg / dy) / dy;
                double dNorm = Blas1.Norm2<double>(D), gNorm = Blas1.Norm2<double>(G);
                double etaK = -1 / (dNorm * Math.Min(method.Eta, gNorm));
                beta = Math.Max(betaN, etaK);
            }
            _beta = double.IsFinite(beta) ? beta : double.NaN;
        }
    }
}
