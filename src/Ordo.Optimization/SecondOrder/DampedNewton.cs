namespace Ordo.Optimization;

/// <summary>
/// Damped Newton with the affine-invariant step size of AICN and backtracking on the smoothness constant: the direction
/// is the Newton direction d = [∇²f(x)]⁻¹∇f(x), the local dual norm of the gradient is G = ‖∇f(x)‖*ₓ = √(∇f(x)ᵀd), and the
/// step is x⁺ = x − α·d with α = (−1 + √(1 + 2LG))/(LG) (computed as 2/(1 + √(1 + 2LG))). The step size goes to 1 (pure
/// Newton, quadratic convergence) as G → 0, and stays below 1 far from the solution, where pure Newton can diverge.
/// </summary>
/// <remarks>
/// <para>Source: S. Hanzely, D. Kamzolov, D. Pasechnyuk, A. Gasnikov, P. Richtárik and M. Takáč, "A damped Newton method
/// achieves global O(1/k²) and local quadratic convergence rate", NeurIPS 2022 (AICN, Algorithm 1): for a
/// semi-strongly self-concordant f with constant L, f(x − αd) ≤ f(x) − αG² + ½α²G² + (L/6)α³G³, and the α above minimizes
/// this bound; the rate is O(L²D⁴/k²) globally and quadratic locally.</para>
/// <para>Backtracking on L (the default, <see cref="AdaptiveSmoothness"/>): a trial is accepted when f(x⁺) is below the
/// bound above; otherwise L is doubled and the step recomputed; after each accepted step L is halved, so L tracks the
/// local constant (Nesterov's universal-method device). The follow-up of Hanzely, Abdukhakimov and Takáč, "Newton method revisited:
/// global convergence rates up to O(k⁻³) for stepsize schedules and linesearch procedures" (arXiv:2405.18926, 2024; the
/// seed's "damped Newton method with near-optimal global O(k⁻³) convergence rate"), proposes step-size schedules with an
/// O(k⁻³) rate; they were <b>not</b> implemented: only the paper's abstract was reachable here, not its formulas, so this
/// is AICN with backtracking on L, whose guarantee is AICN's O(k⁻²). With <see cref="AdaptiveSmoothness"/> = false it is
/// AICN with the fixed constant <see cref="Smoothness"/> (a non-finite trial value still doubles L).</para>
/// <para>An indefinite or singular Hessian is shifted to ∇²f + τI (Nocedal &amp; Wright's Algorithm 3.3); AICN's analysis
/// assumes convexity, so this is a safeguard, not part of the method.</para>
/// </remarks>
public sealed class DampedNewton : Minimizer<IHessianObjective>
{
    /// <summary>The (initial) semi-strong self-concordance constant L &gt; 0. Default 1.</summary>
    public double Smoothness { get; init; } = 1;

    /// <summary>Backtrack on L (double until the AICN upper bound holds, halve after each accepted step). Default true;
    /// false gives AICN with the fixed <see cref="Smoothness"/>.</summary>
    public bool AdaptiveSmoothness { get; init; } = true;

    /// <inheritdoc/>
    public override string Name => "damped-newton";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 1000;

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
    {
        Guard.Positive(Smoothness, nameof(Smoothness));
        return new Run(evaluator, Smoothness, AdaptiveSmoothness);
    }

    /// <summary>The AICN step size α = (−1 + √(1 + 2LG))/(LG) = 2/(1 + √(1 + 2LG)) for LG ≥ 0.</summary>
    public static double StepSize(double smoothness, double gradientDualNorm)
        => 2 / (1 + Math.Sqrt(1 + 2 * smoothness * gradientDualNorm));

    private sealed class Run(ObjectiveEvaluator evaluator, double l0, bool adaptive) : SecondOrderRun(evaluator)
    {
        private readonly double[] _d = new double[evaluator.Dimension];
        private readonly double[] _xTrial = new double[evaluator.Dimension];
        private readonly double[] _gTrial = new double[evaluator.Dimension];
        private readonly NewtonSystem _system = new(evaluator.Dimension);
        private double _l = l0;

        public override StepOutcome Step()
        {
            if (!_system.EvaluateAndFactor(Evaluator, X))
                return Stop(StepOutcome.NonFinite, "The Hessian has non-finite entries; the Newton direction is undefined.");
            _system.Solve(G, _d);
            double g2 = Blas1.Dot<double>(G, _d);
            if (!(g2 > 0) || !double.IsFinite(g2))
                return Stop(StepOutcome.Stalled, $"The local norm of the gradient is {g2:G3}: no Newton decrement to damp.");
            double gn = Math.Sqrt(g2);
            double dNorm = InfinityNorm(_d);
            for (int attempt = 0; attempt < 200; attempt++)
            {
                double alpha = StepSize(_l, gn);
                X.CopyTo(_xTrial, 0);
                Blas1.Axpy(-alpha, _d, _xTrial);
                double f = Evaluator.ValueAndGradient(_xTrial, _gTrial);
                double bound = F - alpha * g2 + 0.5 * alpha * alpha * g2 + _l / 6 * alpha * alpha * alpha * g2 * gn;
                bool accept = double.IsFinite(f) && (!adaptive || f <= bound + LazyNewton.RoundingSlack * Math.Abs(F));
                if (accept)
                {
                    Accept(_xTrial, _gTrial, f, alpha * dNorm);
                    if (adaptive) _l = Math.Max(_l / 2, 1e-300);
                    return StepOutcome.Continue;
                }
                _l *= 2;
                if (!double.IsFinite(_l) || alpha * dNorm <= 1e-16 * Math.Max(InfinityNorm(X), 1e-300))
                    break;
            }
            return Stop(StepOutcome.Stalled, $"Backtracking on the smoothness constant reached L = {_l:G3} without the AICN decrease bound holding (step below rounding level).");
        }
    }
}
