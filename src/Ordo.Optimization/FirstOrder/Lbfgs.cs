using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
/// pass = 8n bytes read or written): two-loop recursion 8k + 1 — every axpy is fused with the dot product the next
/// step needs (q ← −g with s_newestᵀq: 3; per pair and loop q ← q + a·x with zᵀq: 4 (read q, x, z, write q), 3 for
/// the last pair of each loop, the scaling by γ folded into the last axpy of the first loop); line-function setup 8
/// (copies of x and d, gᵀd, ‖d‖∞, ‖x‖∞); the trial point 7 (x + αd: 5, gᵀd: 2); the new pair 5 (s ← αd, y ← g₊ − g
/// and sᵀy, yᵀy, sᵀs in one sweep: read d, g₊, g, write s, y); accepting 5 (copies of x and g, ‖g‖∞). That is
/// 8k + 26 passes, 106 at m = 10, plus 7 per extra trial point, and nothing allocated: all buffers (2m + 6 vectors)
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
            if (_count == 0)
            {
                SteepestDescent();
                return true;
            }
            int m = _s.Length;
            Span<double> d = D;
            // Two-loop recursion on q = −g (so that the result is d = −H·g), with every axpy fused with the dot
            // product the next step needs: one sweep per pair and loop.
            int slot = _newest;
            double dot = LbfgsKernels.NegateDot(G, d, _s[slot]);                          // q ← −g; sᵀq of the newest pair
            for (int k = 0; k < _count; k++)
            {
                double a = _rho[slot] * dot;
                _a[slot] = a;
                int next = slot == 0 ? m - 1 : slot - 1;
                if (k < _count - 1)
                {
                    dot = LbfgsKernels.AxpyDot(1, -a, _y[slot], d, _s[next]);             // q ← q − aᵢyᵢ; sᵢ₋₁ᵀq
                }
                else
                {
                    dot = LbfgsKernels.AxpyDot(_gamma, -a, _y[slot], d, _y[slot]);        // r ← γ(q − aᵢyᵢ); yᵀr of the oldest
                }
                slot = next;
            }
            for (int k = 0; k < _count; k++)
            {
                slot = slot == m - 1 ? 0 : slot + 1;
                double b = _rho[slot] * dot;
                int next = slot == m - 1 ? 0 : slot + 1;
                if (k < _count - 1) dot = LbfgsKernels.AxpyDot(1, _a[slot] - b, _s[slot], d, _y[next]); // r ← r + (aᵢ − b)sᵢ; yᵢ₊₁ᵀr
                else Blas1.Axpy(_a[slot] - b, _s[slot], d);
            }
            return false;
        }

        protected override double InitialStep(bool steepest) => steepest ? Math.Min(1, 1 / GradientNorm) : 1;

        protected override void ResetMemory() => _count = 0;

        protected override void Accept(double alpha)
        {
            int m = _s.Length;
            int slot = _newest == m - 1 ? 0 : _newest + 1;
            var (sy, yy, ss) = LbfgsKernels.NewPair(alpha, D, Phi.TrialGradient, G, _s[slot], _y[slot]);
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

/// <summary>The fused vector kernels of <see cref="Lbfgs"/>: each is one sweep over its vectors.</summary>
internal static class LbfgsKernels
{
    /// <summary>s ← α·d, y ← g₊ − g and returns (sᵀy, yᵀy, sᵀs), in one sweep.</summary>
    internal static (double Sy, double Yy, double Ss) NewPair(double alpha, ReadOnlySpan<double> d, ReadOnlySpan<double> gNew,
        ReadOnlySpan<double> g, Span<double> s, Span<double> y)
    {
        int n = s.Length, i = 0;
        ref double dr = ref MemoryMarshal.GetReference(d);
        ref double gnr = ref MemoryMarshal.GetReference(gNew);
        ref double gr = ref MemoryMarshal.GetReference(g);
        ref double sr = ref MemoryMarshal.GetReference(s);
        ref double yr = ref MemoryMarshal.GetReference(y);
        Vector<double> sy = Vector<double>.Zero, yy = Vector<double>.Zero, ss = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            var av = new Vector<double>(alpha);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                var sv = av * Vector.LoadUnsafe(ref dr, (nuint)i);
                var yv = Vector.LoadUnsafe(ref gnr, (nuint)i) - Vector.LoadUnsafe(ref gr, (nuint)i);
                sv.StoreUnsafe(ref sr, (nuint)i);
                yv.StoreUnsafe(ref yr, (nuint)i);
                sy += sv * yv;
                yy += yv * yv;
                ss += sv * sv;
            }
        }
        double sySum = Vector.Sum(sy), yySum = Vector.Sum(yy), ssSum = Vector.Sum(ss);
        for (; i < n; i++)
        {
            double sv = alpha * Unsafe.Add(ref dr, i), yv = Unsafe.Add(ref gnr, i) - Unsafe.Add(ref gr, i);
            Unsafe.Add(ref sr, i) = sv;
            Unsafe.Add(ref yr, i) = yv;
            sySum += sv * yv;
            yySum += yv * yv;
            ssSum += sv * sv;
        }
        return (sySum, yySum, ssSum);
    }

    /// <summary>q ← −g and returns zᵀq, in one sweep (q's old content is not read).</summary>
    internal static double NegateDot(ReadOnlySpan<double> g, Span<double> q, ReadOnlySpan<double> z) => AxpyDot(1, -1, g, q, z, replace: true);

    /// <summary>q ← c·(q + a·x) (or q ← c·a·x when <paramref name="replace"/>) and returns zᵀq (new q), in one sweep.</summary>
    internal static double AxpyDot(double c, double a, ReadOnlySpan<double> x, Span<double> q, ReadOnlySpan<double> z, bool replace = false)
    {
        int n = q.Length, i = 0;
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double qr = ref MemoryMarshal.GetReference(q);
        ref double zr = ref MemoryMarshal.GetReference(z);
        var acc = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            var av = new Vector<double>(a);
            var cv = new Vector<double>(c);
            for (; i <= n - Vector<double>.Count; i += Vector<double>.Count)
            {
                var xv = av * Vector.LoadUnsafe(ref xr, (nuint)i);
                var qv = cv * (replace ? xv : Vector.LoadUnsafe(ref qr, (nuint)i) + xv);
                qv.StoreUnsafe(ref qr, (nuint)i);
                acc += qv * Vector.LoadUnsafe(ref zr, (nuint)i);
            }
        }
        double sum = Vector.Sum(acc);
        for (; i < n; i++)
        {
            double v = c * (replace ? a * Unsafe.Add(ref xr, i) : Unsafe.Add(ref qr, i) + a * Unsafe.Add(ref xr, i));
            Unsafe.Add(ref qr, i) = v;
            sum += v * Unsafe.Add(ref zr, i);
        }
        return sum;
    }
}
