using System.Numerics.Tensors;

namespace Ordo.Optimization;

/// <summary>
/// Limited-memory BFGS: the direction d = −H·g from the last m pairs (s, y) by the two-loop recursion, with
/// H₀ = γ·I, γ = sᵀy/yᵀy of the newest pair, and a Wolfe line search.
/// </summary>
/// <remarks>
/// <para>Sources: J. Nocedal, "Updating quasi-Newton matrices with limited storage", Mathematics of Computation
/// 35(151):773–782, 1980 (the two-loop recursion); D. C. Liu and J. Nocedal, "On the limited memory BFGS method for
/// large scale optimization", Mathematical Programming 45:503–528, 1989 (the scaling γ, the Moré–Thuente search);
/// Nocedal &amp; Wright, <i>Numerical Optimization</i>, 2nd ed., Algorithms 7.4 and 7.5.</para>
/// <para>Defaults: m = 10 (<see cref="Memory"/>); first step (and the step after a memory reset) along −g with trial
/// α₀ = min(1, 1/‖g‖∞), afterwards α₀ = 1; a pair with sᵀy ≤ 1e-10·‖s‖₂‖y‖₂ is not stored. Line search:
/// Moré–Thuente (c₁ = 1e-4, c₂ = 0.9). When the search fails along the quasi-Newton direction the memory is cleared
/// and the search is retried once along −g before the run reports <see cref="OptimizationStatus.LineSearchFailed"/>.</para>
/// <para>Memory traffic of one iteration with k stored pairs and one trial point (in passes over an n-vector, one
/// pass = 8n bytes read or written): two-loop recursion 4 + 10k (d ← −g: 2; per pair and loop a dot (2) and an axpy (3);
/// the scaling d ← γd: 2); line-function setup 8 (copies of x and d, gᵀd, ‖d‖∞, ‖x‖∞); the trial point 7 (x + αd: 5,
/// gᵀd: 2); the pair update 9 (s ← αd, y ← g₊ − g: 5; sᵀy, yᵀy, sᵀs: 4); accepting 5 (copies of x and g, ‖g‖∞). That is
/// 33 + 10k passes, 133 at m = 10, plus 7 per extra trial point, and nothing allocated: all buffers (2m + 6 vectors)
/// are allocated when the run starts.</para>
/// </remarks>
public sealed class Lbfgs : Minimizer<IGradientObjective>
{
    private readonly int _memory = 10;

    /// <summary>The number m of (s, y) pairs kept. Default 10.</summary>
    public int Memory
    {
        get => _memory;
        init => _memory = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Memory), value, "Memory must be at least 1.");
    }

    /// <summary>The line search; default Moré–Thuente with c₂ = 0.9.</summary>
    public ILineSearch LineSearch { get; init; } = new MoreThuenteLineSearch();

    /// <inheritdoc/>
    public override string Name => "lbfgs";

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 10000;

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
        => new Run(evaluator, LineSearch.Clone(), _memory);

    private sealed class Run : LineSearchRun
    {
        private const double CurvatureSkip = 1e-10;
        private readonly double[][] _s;
        private readonly double[][] _y;
        private readonly double[] _rho;
        private readonly double[] _a;
        private int _count;   // pairs stored
        private int _newest;  // slot of the newest pair
        private double _gamma = 1;

        public Run(ObjectiveEvaluator evaluator, ILineSearch search, int memory) : base(evaluator, search)
        {
            int n = evaluator.Dimension;
            _s = new double[memory][];
            _y = new double[memory][];
            for (int i = 0; i < memory; i++)
            {
                _s[i] = new double[n];
                _y[i] = new double[n];
            }
            _rho = new double[memory];
            _a = new double[memory];
            _newest = memory - 1;
        }

        protected override bool ComputeDirection()
        {
            SteepestDescent();
            if (_count == 0) return true;
            int m = _s.Length;
            Span<double> d = D;
            // Two-loop recursion on q = −g, so that the result is d = −H·g directly.
            int slot = _newest;
            for (int k = 0; k < _count; k++)
            {
                double a = _rho[slot] * TensorPrimitives.Dot<double>(_s[slot], d);
                _a[slot] = a;
                Blas1.Axpy(-a, _y[slot], d);
                slot = slot == 0 ? m - 1 : slot - 1;
            }
            Blas1.Scale(_gamma, d);
            for (int k = 0; k < _count; k++)
            {
                slot = slot == m - 1 ? 0 : slot + 1;
                double b = _rho[slot] * TensorPrimitives.Dot<double>(_y[slot], d);
                Blas1.Axpy(_a[slot] - b, _s[slot], d);
            }
            return false;
        }

        protected override double InitialStep(bool steepest) => steepest ? Math.Min(1, 1 / GradientNorm) : 1;

        protected override void ResetMemory() => _count = 0;

        protected override void Accept(double alpha)
        {
            int m = _s.Length;
            int slot = _newest == m - 1 ? 0 : _newest + 1;
            double[] s = _s[slot], y = _y[slot];
            TensorPrimitives.Multiply(D, alpha, s);
            TensorPrimitives.Subtract(Phi.TrialGradient, G, y);
            double sy = TensorPrimitives.Dot<double>(s, y);
            double yy = TensorPrimitives.Dot<double>(y, y);
            double ss = TensorPrimitives.Dot<double>(s, s);
            if (sy > CurvatureSkip * Math.Sqrt(ss * yy) && double.IsFinite(sy) && double.IsFinite(yy))
            {
                _rho[slot] = 1 / sy;
                _gamma = sy / yy;
                _newest = slot;
                if (_count < m) _count++;
            }
            else if (_count == m)
            {
                // The slot held the oldest pair, now overwritten.
                _count--;
            }
        }
    }
}
