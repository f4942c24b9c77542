using System.Globalization;

namespace Ordo.Optimization;

/// <summary>
/// Gauss–Newton with a backtracking line search: the step p solves the linear least-squares problem
/// min ‖J p + r‖₂ by Householder QR with column pivoting, and x_{k+1} = x_k + α p with α from the Armijo condition on
/// f = Σ rᵢ² (∇f = 2Jᵀr, so the slope is 2(Jᵀr)ᵀp = −2‖J p‖²).
/// </summary>
/// <remarks>
/// <para>Sources: J. Nocedal and S. J. Wright, <i>Numerical Optimization</i>, 2nd ed., Springer 2006, §10.3;
/// Å. Björck, <i>Numerical Methods for Least Squares Problems</i>, SIAM 1996, §§2.7 and 9.2.</para>
/// <para>Rank deficiency: the numerical rank k is the number of diagonal entries of R with
/// |R_ii| &gt; <see cref="RankTolerance"/>·|R_00|; the step is the minimum-norm solution of the rank-k problem
/// (complete orthogonal decomposition), so directions J cannot see are not moved along.</para>
/// <para>Line search: the full step α = 1 is tried first, keeping its residuals; only when it fails the Armijo test
/// does the core <see cref="BacktrackingLineSearch"/> take over (from the quadratic-interpolation step), and the
/// residuals at its accepted point are evaluated once more. Gauss–Newton converges fast on zero- or small-residual
/// problems and may converge slowly or stall on large-residual or badly scaled ones; <c>lm</c> is the robust choice.</para>
/// </remarks>
public sealed class GaussNewton : Minimizer<ILeastSquaresObjective>
{
    /// <summary>The line search used when the full step fails; default backtracking Armijo.</summary>
    public ILineSearch LineSearch { get; init; } = new BacktrackingLineSearch();

    /// <summary>Relative rank tolerance on |R_ii|/|R_00|. Default 1e-12.</summary>
    public double RankTolerance { get; init; } = 1e-12;

    /// <summary>Sufficient-decrease constant of the full-step test. Default 1e-4.</summary>
    public double SufficientDecrease { get; init; } = 1e-4;

    /// <inheritdoc/>
    public override string Name => "gauss-newton";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 1000;

    /// <inheritdoc/>
    protected override void Validate(IObjective objective, Bounds? bounds)
    {
        LeastSquaresRun.RequireResiduals(objective);
        Guard.NonNegative(RankTolerance, nameof(RankTolerance));
    }

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
        => new Run(evaluator, this, LineSearch.Clone());

    private sealed class Run : LeastSquaresRun
    {
        private readonly GaussNewton _method;
        private readonly ILineSearch _search;
        private readonly double[] _z;
        private readonly LineFunction _phi;

        public Run(ObjectiveEvaluator evaluator, GaussNewton method, ILineSearch search) : base(evaluator)
        {
            _method = method;
            _search = search;
            _z = new double[evaluator.Dimension];
            _phi = new LineFunction(evaluator);
        }

        /// <summary>The numerical rank of J at the last step.</summary>
        public int Rank { get; private set; }

        public override StepOutcome Step()
        {
            int n = Dimension;
            FactorAndProject();
            Rank = Qr.Rank(_method.RankTolerance);
            Qr.SolveMinimumNorm(Qtr, Rank, P, _z);
            for (int j = 0; j < n; j++) P[j] = -P[j];
            double slope = Blas1.Dot<double>(Grad, P);
            if (!(slope < 0) || !double.IsFinite(slope))
            {
                StepNorm = 0;
                Message = string.Create(CultureInfo.InvariantCulture,
                    $"The Gauss–Newton step is not a descent direction (slope {slope:G4}, rank {Rank} of {n}): the residuals are orthogonal to the range of J to rounding level.");
                return StepOutcome.Stalled;
            }

            // Full step first, keeping its residuals.
            for (int j = 0; j < n; j++) XTrial[j] = X[j] + P[j];
            double f1 = Evaluator.Residuals(XTrial, ResTrial);
            if (double.IsFinite(f1) && f1 <= F + _method.SufficientDecrease * slope)
            {
                Accept(XTrial, ResTrial, f1, InfinityNorm(P));
                return StepOutcome.Continue;
            }
            double alpha0 = double.IsFinite(f1) ? -slope / (2 * (f1 - F - slope)) : 0.1;
            alpha0 = Math.Clamp(double.IsFinite(alpha0) ? alpha0 : 0.1, 0.1, 0.5);
            _phi.Reset(X, F, Grad, P);
            var ls = _search.Search(_phi, alpha0, 1);
            if (!ls.Succeeded)
            {
                StepNorm = 0;
                Message = $"The {_search.Name} line search along the Gauss–Newton step failed ({ls.Status}) after {_phi.Evaluations + 1} evaluations.";
                return StepOutcome.LineSearchFailed;
            }
            _phi.TrialX.CopyTo(XTrial);
            double f = Evaluator.Residuals(XTrial, ResTrial);
            Accept(XTrial, ResTrial, f, ls.Step * InfinityNorm(P));
            return StepOutcome.Continue;
        }

        private void Accept(ReadOnlySpan<double> x, ReadOnlySpan<double> r, double f, double stepNorm)
        {
            x.CopyTo(X);
            r.CopyTo(Res);
            F = f;
            StepNorm = stepNorm;
            Linearize();
        }
    }
}
