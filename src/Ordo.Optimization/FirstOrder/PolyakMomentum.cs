namespace Ordo.Optimization;

/// <summary>How <see cref="PolyakMomentum"/> combines the Polyak step with momentum.</summary>
public enum PolyakMomentumForm
{
    /// <summary>Heavy ball x_{k+1} = x_k − α_k∇f(x_k) + β(x_k − x_{k−1}) with
    /// α_k = (f(x_k) − f* + β⟨∇f(x_k), x_k − x_{k−1}⟩)/‖∇f(x_k)‖² (the minimizer over α of the convexity bound on
    /// ‖x_{k+1} − x*‖²).</summary>
    HeavyBall,
    /// <summary>Moving-average gradient d_k = ∇f(x_k) + βd_{k−1}, x_{k+1} = x_k − τ_k d_k with
    /// τ_k = (f(x_k) − f*)/‖d_k‖² (the deterministic form of the paper's ALR-SMAG).</summary>
    MovingAverage,
    /// <summary>Heavy ball as gradient descent on the averaged iterate z_k = x_k + β/(1 − β)(x_k − x_{k−1}):
    /// α_k = ((1 − β)(f(x_k) − f*) + β⟨∇f(x_k), x_k − x_{k−1}⟩)/‖∇f(x_k)‖².</summary>
    IterateAverage,
}

/// <summary>
/// Gradient descent with momentum and a generalized Polyak step size: the step is set from the gap f(x_k) − f*
/// instead of a Lipschitz constant, which makes the method far less sensitive to the momentum parameter β than the
/// fixed-step heavy ball (seed #58). Needs the optimal value f* (<see cref="OptimalValue"/>); without it a documented
/// level estimate is used, with no convergence guarantee.
/// </summary>
/// <remarks>
/// <para>Source: X. Wang, M. Johansson and T. Zhang, "Generalized Polyak step size for first order optimization with
/// momentum", ICML 2023 (PMLR 202, 35836–35863), arXiv:2305.12939. Both forms (<see cref="PolyakMomentumForm"/>) follow
/// the paper's construction: choose the step that minimizes, over the step, the upper bound on the distance to a
/// minimizer that convexity gives (⟨∇f(x), x − x*⟩ ≥ f(x) − f*), as Polyak's own step does for gradient descent
/// (B. T. Polyak, <i>Introduction to Optimization</i>, 1987, §5.3). Only the abstract of the paper and a third-party
/// implementation of ALR-SMAG were available to us; docs/optimization/momentum-and-adaptive.md says which formula is
/// checked against what.</para>
/// <para>Safeguards (not in the paper): a negative numerator gives step 0 (only the momentum term moves x); the step is
/// capped by <see cref="MaxStep"/>; a non-finite f at the new point halves the whole displacement (up to 60 times).
/// If f(x_k) ≤ f* while ∇f(x_k) ≠ 0 the given f* is wrong and the run stops as stalled, saying so.</para>
/// <para>Unknown f*: f*_k = f_best,k − δ_k with δ₀ = <see cref="InitialGap"/> (default max(|f(x₀)|, 1)) and δ halved
/// after <see cref="LevelPatience"/> iterations in a row that do not lower the best value (a target level that is too
/// low makes the steps too long, and f stops improving).
/// A heuristic in the spirit of Polyak's target-level methods; the paper's guarantees assume the true f*.</para>
/// </remarks>
public sealed class PolyakMomentum : Minimizer<IGradientObjective>
{
    /// <summary>The momentum parameter β ∈ [0, 1). Default 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>The optimal value f* = min f, when known (e.g. 0 for a consistent least-squares problem); null: estimated
    /// (see the remarks).</summary>
    public double? OptimalValue { get; init; }

    /// <summary>The initial gap δ₀ of the f* estimate when <see cref="OptimalValue"/> is null; null: max(|f(x₀)|, 1).</summary>
    public double? InitialGap { get; init; }

    /// <summary>When <see cref="OptimalValue"/> is null: iterations without a new best value before the gap δ of the
    /// f* estimate is halved; null (default): max(10, ⌈3/(1 − β)⌉), at least three times the momentum's memory (momentum makes f
    /// non-monotone, so a few non-improving iterations are no evidence that the level is too low).</summary>
    public int? LevelPatience { get; init; }

    /// <summary>Upper bound on the step α_k (τ_k). Default +∞.</summary>
    public double MaxStep { get; init; } = double.PositiveInfinity;

    /// <summary>Which combination of Polyak step and momentum. Default <see cref="PolyakMomentumForm.IterateAverage"/> (see docs/optimization/momentum-and-adaptive.md for why).</summary>
    public PolyakMomentumForm Form { get; init; } = PolyakMomentumForm.IterateAverage;

    /// <inheritdoc/>
    public override string Name => "polyak-momentum";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 100000;

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
    {
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        if (OptimalValue is { } fs) Guard.Finite(fs, nameof(OptimalValue));
        if (InitialGap is { } d0) Guard.Positive(d0, nameof(InitialGap));
        if (LevelPatience is <= 0) throw new ArgumentOutOfRangeException(nameof(LevelPatience), LevelPatience, "LevelPatience must be > 0.");
        if (!(MaxStep > 0)) throw new ArgumentOutOfRangeException(nameof(MaxStep), MaxStep, "MaxStep must be > 0.");
        return new Run(evaluator, this);
    }

    private sealed class Run(ObjectiveEvaluator evaluator, PolyakMomentum m) : MinimizerRun(evaluator, null)
    {
        private readonly double[] _g = new double[evaluator.Dimension];
        private readonly double[] _previous = new double[evaluator.Dimension];   // x_{k−1}
        private readonly double[] _average = new double[evaluator.Dimension];    // d_k of the moving-average form
        private readonly double[] _step = new double[evaluator.Dimension];       // x_{k+1} − x_k
        private readonly double[] _point = new double[evaluator.Dimension];
        private readonly double[] _gPoint = new double[evaluator.Dimension];
        private double _best, _gap;
        private int _sinceBest;
        private readonly int _patience = m.LevelPatience ?? Math.Max(10, (int)Math.Ceiling(3 / (1 - m.Momentum)));

        public override StepOutcome Start()
        {
            F = Evaluator.ValueAndGradient(X, _g);
            GradientNorm = InfinityNorm(_g);
            if (!double.IsFinite(F)) { Message = "f is not finite at x0."; return StepOutcome.NonFinite; }
            X.CopyTo(_previous);
            _average.AsSpan().Clear();
            _best = F;
            _gap = m.InitialGap ?? Math.Max(Math.Abs(F), 1);
            return StepOutcome.Continue;
        }

        public override StepOutcome Step()
        {
            double fStar = m.OptimalValue ?? _best - _gap;
            double beta = m.Momentum;
            double excess = F - fStar;
            if (m.OptimalValue is not null && excess <= 0)
            {
                StepNorm = 0;
                Message = $"f = {F:G6} is at or below the given OptimalValue {fStar:G6} while ‖g‖∞ = {GradientNorm:G3}: OptimalValue is not the minimum of f.";
                return StepOutcome.Stalled;
            }
            if (m.Form != PolyakMomentumForm.MovingAverage)
            {
                double gg = Blas1.Dot<double>(_g, _g);
                double momentumSlope = 0;
                for (int i = 0; i < _g.Length; i++) momentumSlope += _g[i] * (X[i] - _previous[i]);
                double scale = m.Form == PolyakMomentumForm.IterateAverage ? 1 - beta : 1;
                double alpha = gg > 0 ? Math.Min(Math.Max(scale * excess + beta * momentumSlope, 0) / gg, m.MaxStep) : 0;
                for (int i = 0; i < _step.Length; i++) _step[i] = -alpha * _g[i] + beta * (X[i] - _previous[i]);
            }
            else
            {
                for (int i = 0; i < _average.Length; i++) _average[i] = _g[i] + beta * _average[i];
                double dd = Blas1.Dot<double>(_average, _average);
                double tau = dd > 0 ? Math.Min(Math.Max(excess, 0) / dd, m.MaxStep) : 0;
                for (int i = 0; i < _step.Length; i++) _step[i] = -tau * _average[i];
            }
            if (InfinityNorm(_step) == 0)
            {
                StepNorm = 0;
                Message = "The Polyak step and the momentum are both zero: no progress is possible from here.";
                return StepOutcome.Stalled;
            }

            double fTrial = double.NaN;
            for (int k = 0; k < 60; k++)
            {
                for (int i = 0; i < _point.Length; i++) _point[i] = X[i] + _step[i];
                fTrial = Evaluator.ValueAndGradient(_point, _gPoint);
                if (double.IsFinite(fTrial)) break;
                Blas1.Scale(0.5, _step.AsSpan());
            }
            if (!double.IsFinite(fTrial))
            {
                StepNorm = 0;
                Message = "f was not finite along the step after 60 halvings.";
                return StepOutcome.NonFinite;
            }
            X.CopyTo(_previous);
            _point.CopyTo(X);
            _gPoint.CopyTo(_g);
            StepNorm = InfinityNorm(_step);
            F = fTrial;
            GradientNorm = InfinityNorm(_g);
            if (F < _best) { _best = F; _sinceBest = 0; }
            else if (m.OptimalValue is null && ++_sinceBest >= _patience) { _gap *= 0.5; _sinceBest = 0; }
            return StepOutcome.Continue;
        }
    }
}
