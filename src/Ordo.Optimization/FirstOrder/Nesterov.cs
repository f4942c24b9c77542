namespace Ordo.Optimization;

/// <summary>
/// Nesterov's accelerated gradient method with backtracking on the Lipschitz estimate L (FISTA without the proximal
/// term) and adaptive restart when f increases. Iteration k, from the extrapolated point y_k:
/// x_{k+1} = y_k − ∇f(y_k)/L with L doubled until f(x_{k+1}) ≤ f(y_k) − ‖∇f(y_k)‖²/(2L);
/// t_{k+1} = (1 + √(1 + 4t_k²))/2; y_{k+1} = x_{k+1} + ((t_k − 1)/t_{k+1})(x_{k+1} − x_k). When f(x_{k+1}) &gt; f(x_k)
/// the step is discarded and the momentum dropped (t = 1, the next iteration starts from x_k) and L is multiplied by
/// <see cref="RestartLipschitzFactor"/>.
/// </summary>
/// <remarks>
/// <para>Sources: Yu. Nesterov, "A method of solving a convex programming problem with convergence rate O(1/k²)",
/// Soviet Math. Dokl. 27 (1983); A. Beck and M. Teboulle, "A fast iterative shrinkage-thresholding algorithm for linear
/// inverse problems", SIAM J. Imaging Sci. 2 (2009) (FISTA with backtracking, their §4, with g = 0); B. O'Donoghue and
/// E. Candès, "Adaptive restart for accelerated gradient schemes", Found. Comput. Math. 15 (2015) (the function restart
/// scheme: restart when f(x_{k+1}) &gt; f(x_k); we restart from the better point x_k rather than from x_{k+1}, as
/// Beck and Teboulle's monotone MFISTA keeps the better point, so the restart points decrease f strictly: restarting from
/// x_{k+1} cycled without progress on Rosenbrock in our tests). Between restarts L never decreases (Beck–Teboulle); a restart is a fresh
/// FISTA run, which may start from a smaller L.</para>
/// <para>Each iteration costs one gradient (at y_{k+1}) and one or more values (the backtracking). The run's iterate
/// (<see cref="MinimizerRun.X"/>) is the extrapolated point y, where the gradient is known, so the driver's gradient
/// test is applied where the gradient was evaluated; the result is the best point evaluated. L₀ is the secant
/// curvature ‖∇f(x₀ − h∇f(x₀)) − ∇f(x₀)‖/(h‖∇f(x₀)‖) (one extra gradient) unless <see cref="InitialLipschitz"/> is given.
/// A non-finite f at a trial point counts as "step too long" (L is increased); a non-finite f at the extrapolated point
/// restarts from x_{k+1}.</para>
/// </remarks>
public sealed class Nesterov : Minimizer<IGradientObjective>
{
    /// <summary>The initial Lipschitz estimate L₀; null (default): the secant estimate along −∇f(x₀).</summary>
    public double? InitialLipschitz { get; init; }

    /// <summary>Factor by which L grows when the sufficient-decrease test fails. Default 2.</summary>
    public double LipschitzIncrease { get; init; } = 2;

    /// <summary>Factor applied to L at a restart (1 keeps L monotone as in Beck–Teboulle). Default 0.5.</summary>
    public double RestartLipschitzFactor { get; init; } = 0.5;

    /// <summary>Restart the momentum when f increases (O'Donoghue–Candès). Default true.</summary>
    public bool AdaptiveRestart { get; init; } = true;

    /// <summary>Backtracking steps per iteration before giving up. Default 60.</summary>
    public int MaxBacktracks { get; init; } = 60;

    /// <inheritdoc/>
    public override string Name => "nesterov";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 10000;

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
    {
        if (InitialLipschitz is { } l0) Guard.Positive(l0, nameof(InitialLipschitz));
        if (!(LipschitzIncrease > 1)) throw new ArgumentOutOfRangeException(nameof(LipschitzIncrease), LipschitzIncrease, "LipschitzIncrease must be > 1.");
        if (!(RestartLipschitzFactor > 0 && RestartLipschitzFactor <= 1)) throw new ArgumentOutOfRangeException(nameof(RestartLipschitzFactor), RestartLipschitzFactor, "RestartLipschitzFactor must be in (0, 1].");
        if (MaxBacktracks <= 0) throw new ArgumentOutOfRangeException(nameof(MaxBacktracks), MaxBacktracks, "MaxBacktracks must be > 0.");
        return new Run(evaluator, this);
    }

    private sealed class Run(ObjectiveEvaluator evaluator, Nesterov m) : MinimizerRun(evaluator, null)
    {
        private readonly double[] _g = new double[evaluator.Dimension];      // ∇f(y), y = X
        private readonly double[] _x = new double[evaluator.Dimension];      // x_k
        private readonly double[] _p = new double[evaluator.Dimension];      // trial x_{k+1}
        private readonly double[] _yNew = new double[evaluator.Dimension];
        private readonly double[] _gNew = new double[evaluator.Dimension];
        private double _fx, _t = 1, _lipschitz;

        public override StepOutcome Start()
        {
            F = Evaluator.ValueAndGradient(X, _g);
            GradientNorm = InfinityNorm(_g);
            if (!double.IsFinite(F)) { Message = "f is not finite at x0."; return StepOutcome.NonFinite; }
            X.CopyTo(_x);
            _fx = F;
            _lipschitz = m.InitialLipschitz ?? SecantLipschitz();
            return StepOutcome.Continue;
        }

        private double SecantLipschitz()
        {
            double gn = Blas1.Norm2<double>(_g);
            if (!(gn > 0) || !double.IsFinite(gn)) return 1;
            double h = 1e-6 * Math.Max(1, Blas1.Norm2<double>(X)) / gn;
            for (int i = 0; i < _p.Length; i++) _p[i] = X[i] - h * _g[i];
            double fp = Evaluator.ValueAndGradient(_p, _gNew);
            if (!double.IsFinite(fp)) return gn;
            for (int i = 0; i < _gNew.Length; i++) _gNew[i] -= _g[i];
            double l = Blas1.Norm2<double>(_gNew) / (h * gn);
            return l > 0 && double.IsFinite(l) ? l : gn;
        }

        public override StepOutcome Step()
        {
            double gg = Blas1.Dot<double>(_g, _g);
            double allowance = 4 * double.Epsilon + 4.5e-16 * Math.Abs(F);
            double fp = double.NaN;
            bool accepted = false;
            for (int k = 0; k < m.MaxBacktracks; k++)
            {
                double step = 1 / _lipschitz;
                for (int i = 0; i < _p.Length; i++) _p[i] = X[i] - step * _g[i];
                fp = Evaluator.Value(_p);
                if (double.IsFinite(fp) && fp <= F - 0.5 * step * gg + allowance) { accepted = true; break; }
                if (step * GradientNorm <= 1e-16 * Math.Max(InfinityNorm(X), 1e-300)) break;
                _lipschitz *= m.LipschitzIncrease;
            }
            if (!accepted)
            {
                StepNorm = 0;
                Message = $"Backtracking on the Lipschitz estimate found no sufficient decrease (L = {_lipschitz:G4}).";
                return StepOutcome.LineSearchFailed;
            }

            if (m.AdaptiveRestart && fp > _fx)
            {
                // Restart: drop the momentum and the step that increased f; start afresh from x_k.
                _t = 1;
                _x.CopyTo(_yNew);
                _lipschitz *= m.RestartLipschitzFactor;
            }
            else
            {
                double tNew = 0.5 * (1 + Math.Sqrt(1 + 4 * _t * _t));
                double beta = (_t - 1) / tNew;
                for (int i = 0; i < _p.Length; i++) _yNew[i] = _p[i] + beta * (_p[i] - _x[i]);
                _p.CopyTo(_x);
                _fx = fp;
                _t = tNew;
            }

            double fy = Evaluator.ValueAndGradient(_yNew, _gNew);
            if (!double.IsFinite(fy))
            {
                // The extrapolation overshot into a region where f is not finite: restart from x_{k+1}.
                _t = 1;
                _x.CopyTo(_yNew);
                fy = Evaluator.ValueAndGradient(_yNew, _gNew);
            }
            double stepNorm = 0;
            for (int i = 0; i < _yNew.Length; i++) stepNorm = Math.Max(stepNorm, Math.Abs(_yNew[i] - X[i]));
            StepNorm = stepNorm;
            _yNew.CopyTo(X);
            _gNew.CopyTo(_g);
            F = fy;
            GradientNorm = InfinityNorm(_g);
            return StepOutcome.Continue;
        }
    }
}
