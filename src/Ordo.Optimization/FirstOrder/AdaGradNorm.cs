namespace Ordo.Optimization;

/// <summary>
/// Gradient descent with the AdaGrad-Norm step size (seed #73): b_{k+1}² = b_k² + ‖∇f(x_k)‖²,
/// x_{k+1} = x_k − (η/b_{k+1})·∇f(x_k). One scalar accumulates the squared gradient norms, so the step adapts to the
/// unknown smoothness constant: a too-large η makes the gradients, and with them b, grow until the step is small
/// enough, instead of diverging as fixed-step gradient descent does for η &gt; 2/L.
/// </summary>
/// <remarks>
/// <para>Sources: R. Ward, X. Wu and L. Bottou, "AdaGrad stepsizes: sharp convergence over nonconvex landscapes",
/// J. Mach. Learn. Res. 21 (2020) 1–30 (the method and its convergence for any η, b₀ &gt; 0 on smooth functions);
/// A. Attia and T. Koren, "SGD with AdaGrad stepsizes: full adaptivity with high probability to unknown parameters,
/// unbounded gradients and affine variance", ICML 2023, arXiv:2302.08783 (seed #73: the same step,
/// η/√(b₀² + Σ_{s≤k}‖g_s‖²), with high-probability guarantees under affine-variance noise).</para>
/// <para>One gradient evaluation per iteration and no line search. Safeguard (not in the papers): if f is not finite at
/// the new point the step is halved (b doubled) and retried, up to 60 times. Deterministic use only needs the gradient;
/// a noisy gradient can be supplied through the objective (the method never compares values).</para>
/// </remarks>
public sealed class AdaGradNorm : Minimizer<IGradientObjective>
{
    /// <summary>The step scale η &gt; 0 (a distance: the first step has length about η). Default 1.</summary>
    public double LearningRate { get; init; } = 1;

    /// <summary>The initial accumulator b₀ &gt; 0 (in units of the gradient). Default 1e-2.</summary>
    public double InitialAccumulator { get; init; } = 1e-2;

    /// <inheritdoc/>
    public override string Name => "adagrad-norm";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 100000;

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
    {
        Guard.Positive(LearningRate, nameof(LearningRate));
        Guard.Positive(InitialAccumulator, nameof(InitialAccumulator));
        return new Run(evaluator, LearningRate, InitialAccumulator);
    }

    private sealed class Run(ObjectiveEvaluator evaluator, double eta, double b0) : MinimizerRun(evaluator, null)
    {
        private readonly double[] _g = new double[evaluator.Dimension];
        private readonly double[] _point = new double[evaluator.Dimension];
        private readonly double[] _gPoint = new double[evaluator.Dimension];
        private double _b2 = b0 * b0;

        public override StepOutcome Start()
        {
            F = Evaluator.ValueAndGradient(X, _g);
            GradientNorm = InfinityNorm(_g);
            if (!double.IsFinite(F)) { Message = "f is not finite at x0."; return StepOutcome.NonFinite; }
            return StepOutcome.Continue;
        }

        public override StepOutcome Step()
        {
            _b2 += Blas1.Dot<double>(_g, _g);
            double step = eta / Math.Sqrt(_b2);
            double f = double.NaN;
            for (int k = 0; k < 60; k++)
            {
                for (int i = 0; i < _point.Length; i++) _point[i] = X[i] - step * _g[i];
                f = Evaluator.ValueAndGradient(_point, _gPoint);
                if (double.IsFinite(f)) break;
                _b2 *= 4;
                step *= 0.5;
            }
            if (!double.IsFinite(f))
            {
                StepNorm = 0;
                Message = "f was not finite at the AdaGrad-Norm step after 60 halvings.";
                return StepOutcome.NonFinite;
            }
            StepNorm = step * GradientNorm;
            _point.CopyTo(X);
            _gPoint.CopyTo(_g);
            F = f;
            GradientNorm = InfinityNorm(_g);
            return StepOutcome.Continue;
        }
    }
}
