namespace Ordo.Optimization;

/// <summary>
/// Gradient descent (steepest descent) with a line search: x_{k+1} = x_k − α_k∇f(x_k). The first trial step of each
/// search is α_{k−1}·(g_{k−1}ᵀd_{k−1})/(g_kᵀd_k) (the first-order change of the previous step), and 1/‖g₀‖∞ at the
/// start. Linear convergence with rate (κ−1)/(κ+1): the baseline, not the method to use.
/// </summary>
/// <remarks>Source: A. Cauchy, "Méthode générale pour la résolution des systèmes d'équations simultanées", C. R. Acad.
/// Sci. Paris 25 (1847); the step initialisation is Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., §3.5.</remarks>
public sealed class GradientDescent : Minimizer<IGradientObjective>
{
    /// <summary>The line search; default backtracking Armijo.</summary>
    public ILineSearch LineSearch { get; init; } = new BacktrackingLineSearch();

    /// <inheritdoc/>
    public override string Name => "gd";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 10000;

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
        => new Run(evaluator, LineSearch.Clone());

    private sealed class Run(ObjectiveEvaluator evaluator, ILineSearch search) : MinimizerRun(evaluator, null)
    {
        private readonly double[] _g = new double[evaluator.Dimension];
        private readonly double[] _d = new double[evaluator.Dimension];
        private readonly LineFunction _phi = new(evaluator);
        private double _previousDecrease = double.NaN;

        public override StepOutcome Start()
        {
            F = Evaluator.ValueAndGradient(X, _g);
            GradientNorm = InfinityNorm(_g);
            return double.IsFinite(F) ? StepOutcome.Continue : StepOutcome.NonFinite;
        }

        public override StepOutcome Step()
        {
            for (int i = 0; i < _d.Length; i++) _d[i] = -_g[i];
            _phi.Reset(X, F, _g, _d);
            double alpha0 = double.IsFinite(_previousDecrease) ? Math.Min(1.01 * 2 * _previousDecrease / -_phi.Slope0, 1e10) : 1 / GradientNorm;
            if (!(alpha0 > 0) || !double.IsFinite(alpha0)) alpha0 = 1;
            var ls = search.Search(_phi, alpha0);
            if (!ls.Succeeded)
            {
                StepNorm = 0;
                Message = $"The {search.Name} line search failed ({ls.Status}) after {_phi.Evaluations} evaluations.";
                return StepOutcome.LineSearchFailed;
            }
            _phi.EnsureGradientAt(ls.Step);
            _previousDecrease = F - _phi.TrialValue;
            StepNorm = ls.Step * _phi.DirectionNorm;
            _phi.TrialX.CopyTo(X);
            _phi.TrialGradient.CopyTo(_g);
            F = _phi.TrialValue;
            GradientNorm = InfinityNorm(_g);
            return StepOutcome.Continue;
        }
    }
}
