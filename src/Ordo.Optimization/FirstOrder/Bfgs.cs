namespace Ordo.Optimization;

/// <summary>
/// BFGS with a dense inverse-Hessian approximation H: d = −H·g, a Wolfe line search, and the update
/// H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ with s = x_{k+1} − x_k, y = g_{k+1} − g_k, ρ = 1/yᵀs.
/// </summary>
/// <remarks>
/// <para>Source: J. Nocedal and S. J. Wright, <i>Numerical Optimization</i>, 2nd ed., Springer 2006, Algorithm 6.1
/// (BFGS method), eq. (6.17) (the update), eq. (6.20) (the initial scaling).</para>
/// <para>Defaults: H₀ = I for the first step, whose trial step is min(1, 1/‖g₀‖∞); before the first update H is
/// replaced by (yᵀs/yᵀy)·I (N&amp;W 6.20); afterwards the trial step is α₀ = 1. The update is skipped when
/// yᵀs ≤ 1e-10·‖s‖₂‖y‖₂ (curvature too small for a positive definite update). Line search: Moré–Thuente
/// (c₁ = 1e-4, c₂ = 0.9). When the search fails along −H·g, H is reset to I and the search is retried once along −g
/// before the run reports <see cref="OptimizationStatus.LineSearchFailed"/>.</para>
/// <para>Cost: n² doubles of memory, O(n²) work per iteration (one matrix–vector product and a rank-two update); use
/// <see cref="Lbfgs"/> beyond a few thousand variables.</para>
/// </remarks>
public sealed class Bfgs : Minimizer<IGradientObjective>
{
    /// <summary>The line search; default Moré–Thuente with c₂ = 0.9.</summary>
    public ILineSearch LineSearch { get; init; } = new MoreThuenteLineSearch();

    /// <summary>Replace H₀ = I by (yᵀs/yᵀy)·I before the first update (Nocedal &amp; Wright eq. 6.20). Default true.</summary>
    public bool InitialScaling { get; init; } = true;

    /// <inheritdoc/>
    public override string Name => "bfgs";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 10000;

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
        => new Run(evaluator, LineSearch.Clone(), InitialScaling);

    private sealed class Run : LineSearchRun
    {
        private const double CurvatureSkip = 1e-10;
        private readonly double[] _h;
        private readonly double[] _s;
        private readonly double[] _y;
        private readonly double[] _hy;
        private readonly bool _scale;
        private bool _updated;

        public Run(ObjectiveEvaluator evaluator, ILineSearch search, bool scale) : base(evaluator, search)
        {
            _scale = scale;
            int n = evaluator.Dimension;
            _h = new double[n * n];
            _s = new double[n];
            _y = new double[n];
            _hy = new double[n];
        }

        protected override bool ComputeDirection()
        {
            if (!_updated)
            {
                SteepestDescent();
                return true;
            }
            int n = Dimension;
            for (int i = 0; i < n; i++) D[i] = -Blas1.Dot<double>(_h.AsSpan(i * n, n), G);
            return false;
        }

        protected override double InitialStep(bool steepest) => steepest ? Math.Min(1, 1 / GradientNorm) : 1;

        protected override void ResetMemory() => _updated = false;

        protected override void Accept(double alpha)
        {
            int n = Dimension;
            var gNew = Phi.TrialGradient;
            for (int i = 0; i < n; i++)
            {
                _s[i] = alpha * D[i];
                _y[i] = gNew[i] - G[i];
            }
            double sy = Blas1.Dot<double>(_s, _y), yy = Blas1.Dot<double>(_y, _y), ss = Blas1.Dot<double>(_s, _s);
            if (!(sy > CurvatureSkip * Math.Sqrt(ss * yy)) || !double.IsFinite(sy)) return;
            if (!_updated)
            {
                // H₀ = (yᵀs / yᵀy)·I before the first update (N&W 6.20).
                Array.Clear(_h);
                double scale = _scale ? sy / yy : 1;
                for (int i = 0; i < n; i++) _h[i * n + i] = scale;
                _updated = true;
            }
            // H ← H − ρ(Hy sᵀ + s (Hy)ᵀ) + (ρ + ρ² yᵀHy) s sᵀ (H symmetric).
            for (int i = 0; i < n; i++) _hy[i] = Blas1.Dot<double>(_h.AsSpan(i * n, n), _y);
            double rho = 1 / sy;
            double yhy = Blas1.Dot<double>(_y, _hy);
            double coefficient = rho + rho * rho * yhy;
            for (int i = 0; i < n; i++)
            {
                var row = _h.AsSpan(i * n, n);
                double si = _s[i], hyi = _hy[i];
                Blas1.Axpy(coefficient * si - rho * hyi, _s, row);
                Blas1.Axpy(-rho * si, _hy, row);
            }
        }
    }
}
