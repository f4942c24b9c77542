namespace Ordo.Optimization;

/// <summary>
/// Perturbed zeroth-order gradient descent with the two-point random-direction estimator: each iteration draws m
/// directions uᵢ uniformly on the unit sphere, estimates
/// ĝ = (1/m) Σᵢ n·(f(x + μuᵢ) − f(x − μuᵢ))/(2μ)·uᵢ (2m evaluations), and steps
/// x ← x − η·(ĝ + ξ) with an isotropic Gaussian perturbation ξ ~ N(0, (r²/n)·I) (E‖ξ‖² = r²).
/// </summary>
/// <remarks>
/// <para>Source: Z. Ren, Y. Tang and N. Li, "Escaping saddle points in zeroth-order optimization: the power of
/// two-point estimators", ICML 2023 (arXiv:2209.13555, 2022; seed #6): with the isotropic perturbation added at every
/// iteration, 2m evaluations per iteration (any 1 ≤ m ≤ n) reach an ε-second-order stationary point in polynomially
/// many evaluations; without it, the estimator alone need not leave a strict saddle (at a saddle where f is even, the
/// central differences vanish exactly). The stored text of the paper was not available here; the update above is the
/// algorithm as its abstract and the seed map describe it, and the constants are this library's defaults, not the
/// paper's theoretical choices.</para>
/// <para>The method has no convergence test of its own and never claims convergence: a run ends by the iteration or
/// evaluation limit, or as <see cref="OptimizationStatus.Stalled"/> when the best value stops decreasing. f is evaluated
/// at x₀ once and then only at the probes x ± μuᵢ; <see cref="MinimizerRun.F"/> is the mean of the last iteration's
/// probe values (f at the previous iterate + O(μ²)), and the result reports the best point evaluated. A probe pair with a non-finite value is dropped from
/// the estimate; when every pair is dropped the iterate does not move. The random stream comes from
/// <see cref="System.Random"/> seeded with <see cref="Seed"/>, so runs are reproducible; no allocation per iteration.</para>
/// </remarks>
public sealed class TwoPointZerothOrder : Minimizer<IObjective>
{
    /// <summary>Directions per iteration m ≥ 1 (2m evaluations). Default 1.</summary>
    public int Directions { get; init; } = 1;

    /// <summary>Step size η. Default 0.01.</summary>
    public double StepSize { get; init; } = 0.01;

    /// <summary>Smoothing radius μ of the finite differences. Default 1e-4.</summary>
    public double SmoothingRadius { get; init; } = 1e-4;

    /// <summary>Perturbation radius r: ξ ~ N(0, (r²/n)·I) is added to the estimate every iteration; 0 turns the
    /// perturbation off. Default 0.01.</summary>
    public double PerturbationRadius { get; init; } = 0.01;

    /// <summary>Seed of the random stream. Default 0.</summary>
    public int Seed { get; init; }

    /// <inheritdoc/>
    public override string Name => "zo-two-point";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 10000;

    /// <inheritdoc/>
    protected override void Validate(IObjective objective, Bounds? bounds)
    {
        if (Directions < 1) throw new ArgumentOutOfRangeException(nameof(Directions), Directions, "Directions must be ≥ 1.");
        Guard.Positive(StepSize, nameof(StepSize));
        Guard.Positive(SmoothingRadius, nameof(SmoothingRadius));
        Guard.NonNegative(PerturbationRadius, nameof(PerturbationRadius));
    }

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
        => new Run(evaluator, this);

    private sealed class Run(ObjectiveEvaluator evaluator, TwoPointZerothOrder method) : MinimizerRun(evaluator, null)
    {
        private readonly double[] _u = new double[evaluator.Dimension];
        private readonly double[] _g = new double[evaluator.Dimension];
        private readonly double[] _probe = new double[evaluator.Dimension];
        private readonly Random _random = new(method.Seed);
        private double _spare;
        private bool _hasSpare;

        public override StepOutcome Start()
        {
            F = Evaluator.Value(X);
            return double.IsFinite(F) ? StepOutcome.Continue : StepOutcome.NonFinite;
        }

        /// <summary>A standard normal deviate (Marsaglia's polar method, keeping the second deviate).</summary>
        private double Gaussian()
        {
            if (_hasSpare) { _hasSpare = false; return _spare; }
            double a, b, s;
            do
            {
                a = 2 * _random.NextDouble() - 1;
                b = 2 * _random.NextDouble() - 1;
                s = a * a + b * b;
            } while (s >= 1 || s == 0);
            double k = Math.Sqrt(-2 * Math.Log(s) / s);
            _spare = b * k;
            _hasSpare = true;
            return a * k;
        }

        public override StepOutcome Step()
        {
            int n = Dimension, m = method.Directions;
            double mu = method.SmoothingRadius;
            _g.AsSpan().Clear();
            int used = 0;
            double sum = 0;
            for (int i = 0; i < m; i++)
            {
                double norm;
                do
                {
                    for (int k = 0; k < n; k++) _u[k] = Gaussian();
                    norm = Blas1.Norm2<double>(_u);
                } while (norm == 0);
                Blas1.Scale(1 / norm, _u.AsSpan());
                for (int k = 0; k < n; k++) _probe[k] = X[k] + mu * _u[k];
                double fPlus = Evaluator.Value(_probe);
                for (int k = 0; k < n; k++) _probe[k] = X[k] - mu * _u[k];
                double fMinus = Evaluator.Value(_probe);
                if (!double.IsFinite(fPlus) || !double.IsFinite(fMinus)) continue;
                Blas1.Axpy(n * (fPlus - fMinus) / (2 * mu), _u, _g);
                sum += fPlus + fMinus;
                used++;
            }
            if (used == 0)
            {
                StepNorm = 0;
                return StepOutcome.Continue;
            }
            Blas1.Scale(1.0 / used, _g.AsSpan());
            double r = method.PerturbationRadius;
            if (r > 0)
            {
                double sd = r / Math.Sqrt(n);
                for (int k = 0; k < n; k++) _g[k] += sd * Gaussian();
            }
            double eta = method.StepSize;
            StepNorm = eta * InfinityNorm(_g);
            if (!double.IsFinite(StepNorm))
            {
                StepNorm = 0;
                Message = "The gradient estimate is not finite (the probe values overflow); reduce StepSize or SmoothingRadius.";
                return StepOutcome.NonFinite;
            }
            Blas1.Axpy(-eta, _g, X);
            F = sum / (2 * used);
            return StepOutcome.Continue;
        }
    }
}
