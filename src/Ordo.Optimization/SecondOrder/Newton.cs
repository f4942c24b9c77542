namespace Ordo.Optimization;

/// <summary>
/// Newton's method with a modified Cholesky factorization and a backtracking Armijo line search: at each iterate the
/// Hessian is shifted to ∇²f + τI with the smallest τ ≥ 0 of Nocedal &amp; Wright's Algorithm 3.3 that makes it positive
/// definite, the direction d = −(∇²f + τI)⁻¹∇f is a descent direction, and the step α starts at 1 (the Newton step,
/// quadratic convergence near a minimizer with a positive definite Hessian) and backtracks.
/// </summary>
/// <remarks>
/// Source: J. Nocedal and S. J. Wright, <i>Numerical Optimization</i>, 2nd ed., Springer 2006, §3.4 (Algorithm 3.2,
/// line search Newton with modification, and Algorithm 3.3, Cholesky with added multiple of the identity). Cost per
/// iteration: one Hessian, one or more n³/3 Cholesky factorizations, and the line-search evaluations. A non-finite
/// Hessian falls back to the steepest-descent direction for that iteration.
/// </remarks>
public sealed class Newton : Minimizer<IHessianObjective>
{
    /// <summary>The line search; default backtracking Armijo (c₁ = 10⁻⁴) from α = 1.</summary>
    public ILineSearch LineSearch { get; init; } = new BacktrackingLineSearch();

    /// <inheritdoc/>
    public override string Name => "newton";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 500;

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
        => new Run(evaluator, LineSearch.Clone());

    private sealed class Run(ObjectiveEvaluator evaluator, ILineSearch search) : SecondOrderRun(evaluator)
    {
        private readonly double[] _d = new double[evaluator.Dimension];
        private readonly NewtonSystem _system = new(evaluator.Dimension);
        private readonly LineFunction _phi = new(evaluator);

        public override StepOutcome Step()
        {
            double alpha0 = 1;
            if (_system.EvaluateAndFactor(Evaluator, X))
            {
                _system.Solve(G, _d);
                Blas1.Scale(-1.0, _d.AsSpan());
            }
            else
            {
                for (int i = 0; i < _d.Length; i++) _d[i] = -G[i];
                alpha0 = 1 / Math.Max(GradientNorm, 1e-300);
            }
            _phi.Reset(X, F, G, _d);
            var ls = search.Search(_phi, alpha0);
            if (!ls.Succeeded)
                return Stop(StepOutcome.LineSearchFailed, $"The {search.Name} line search along the Newton direction failed ({ls.Status}) after {_phi.Evaluations} evaluations (Hessian shift τ = {_system.Shift:G3}).");
            _phi.EnsureGradientAt(ls.Step);
            Accept(_phi.TrialX, _phi.TrialGradient, _phi.TrialValue, ls.Step * _phi.DirectionNorm);
            return StepOutcome.Continue;
        }
    }
}
