using Ordo.Integration.Jacobians;
using Ordo.LinearAlgebra;

namespace Ordo.Integration;

/// <summary>
/// The drift-implicit θ-Euler–Maruyama method for stiff SDEs (Itô, any noise; Kloeden &amp; Platen 1992, ch. 12;
/// D. J. Higham, "Mean-square and asymptotic stability of the stochastic theta method", SIAM J. Numer. Anal. 38 (2000);
/// SciML's <c>ImplicitEM</c>):
/// <code>
/// y_{n+1} = y_n + h [θ f(t_{n+1}, y_{n+1}) + (1 − θ) f(t_n, y_n)] + G(t_n, y_n) ΔW
/// </code>
/// The drift is implicit and the noise explicit, so the noise keeps its Itô meaning and the stiffness of the drift no
/// longer limits the step: for θ ≥ ½ the method is mean-square stable on dX = λX dt + σ dW for every h when λ &lt; 0, and
/// θ = ½ (the trapezoidal rule, SciML's default) reproduces the exact stationary variance σ²/(2|λ|) of that
/// Ornstein–Uhlenbeck process at any step. Strong order ½ (1 for additive noise), weak order 1; fixed steps.
/// </summary>
/// <remarks>
/// Each step solves <c>z − hθ f(t + h, z) = y + h(1 − θ) f(t, y) + G ΔW</c> by Newton from <c>y + G ΔW</c> (the explicit
/// Euler–Maruyama step is a poor start when the drift is stiff): the Jacobian J of the drift at (t, y) (exact from
/// <see cref="SdeProblem.DriftJacobian"/>, otherwise forward differences, d drift evaluations) and the LU of
/// <c>I − hθJ</c> (<see cref="DenseLU"/>) are kept while each update is less than a quarter of the previous one, and refreshed
/// at the current iterate otherwise (at most <see cref="MaxJacobianRefreshes"/> times, then the last one is kept), as
/// SUNDIALS re-sets up its Newton matrix on slow convergence. The iteration stops when the update is below 10⁻¹⁰ of the state (the method's own
/// error is O(√h), far larger). A step that does not converge in <see cref="MaxNewtonIterations"/>, or whose iterate is
/// not finite, stops the solve with <see cref="SdeStatus.NewtonFailure"/>.
/// </remarks>
public sealed class DriftImplicitEulerMaruyama : SdeMethod
{
    /// <summary>The most Newton iterations per step.</summary>
    public const int MaxNewtonIterations = 20;

    /// <summary>The most Jacobian refreshes per step (after the one at the start of the step).</summary>
    public const int MaxJacobianRefreshes = 5;

    /// <summary>θ = ½: the trapezoidal rule on the drift (SciML's <c>ImplicitEM</c> default).</summary>
    public static DriftImplicitEulerMaruyama Trapezoidal { get; } = new("implicit-em", 0.5,
        "Drift-implicit Euler–Maruyama, θ = ½ (Itô, any noise, stiff drift): strong 0.5 (1.0 additive), weak 1; fixed steps (Kloeden & Platen 1992; Higham 2000)");

    /// <summary>θ = 1: the drift-implicit (backward) Euler method, the most strongly damping.</summary>
    public static DriftImplicitEulerMaruyama Euler { get; } = new("implicit-euler-maruyama", 1.0,
        "Drift-implicit Euler–Maruyama, θ = 1 (Itô, any noise, stiff drift): strong 0.5 (1.0 additive), weak 1; fixed steps (Kloeden & Platen 1992; Higham 2000)");

    /// <summary>A θ-method.</summary>
    /// <param name="name">The name for <c>ordo</c>.</param>
    /// <param name="theta">θ ∈ [0, 1] (0 is Euler–Maruyama with a wasted Newton solve).</param>
    /// <param name="description">One line for <c>ordo methods</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">θ outside [0, 1].</exception>
    public DriftImplicitEulerMaruyama(string name, double theta, string description)
        : base(name, description, SdeCalculus.Ito, hasErrorEstimate: false, usesLevyArea: false, weakOrder: 1.0)
    {
        if (!(theta >= 0 && theta <= 1))
            throw new ArgumentOutOfRangeException(nameof(theta), theta, "θ must lie in [0, 1].");
        Theta = theta;
    }

    /// <summary>The implicitness θ of the drift.</summary>
    public double Theta { get; }

    /// <inheritdoc/>
    public override double StrongOrder(SdeProblem problem) => problem.Noise == SdeNoise.Additive ? 1.0 : 0.5;

    /// <summary>The θ-method's implicit drift is derived for h &gt; 0 with the noise at the left end: an Itô scheme.</summary>
    public override string? UnsupportedBackward(SdeProblem problem) =>
        $"{Name} is an Itô scheme and does not run backwards in time; use a Stratonovich method (stochastic-heun, spark) or, for additive noise, shark.";

    /// <inheritdoc/>
    protected override SdeStepper CreateStepperCore(SdeProblem problem) => new Stepper(problem, this);

    private sealed class Stepper : SdeStepper
    {
        private readonly double _theta;
        private readonly double[] _f0, _g, _r, _z, _fz, _delta, _jacobian, _matrix;
        private readonly int[] _pivots;
        private readonly FiniteDifferenceJacobian? _differencer;
        private readonly OdeFunction<double>? _countedDrift;

        public Stepper(SdeProblem problem, DriftImplicitEulerMaruyama method) : base(problem, method)
        {
            _theta = method.Theta;
            int d = D;
            _f0 = new double[d];
            _g = new double[problem.DiffusionLength];
            _r = new double[d];
            _z = new double[d];
            _fz = new double[d];
            _delta = new double[d];
            _jacobian = new double[d * d];
            _matrix = new double[d * d];
            _pivots = new int[d];
            if (problem.DriftJacobian is null)
            {
                _differencer = new FiniteDifferenceJacobian(d);
                // One delegate for the differencer, made once: it counts the evaluations and applies the calculus conversion.
                _countedDrift = (t, y, f) => Drift(t, y, f);
            }
        }

        public override void Step(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH,
            Span<double> yNew, Span<double> error)
        {
            Failed = false;
            int d = D;
            double ht = h * _theta;
            // f(t, y) enters r unless θ = 1, and the differenced Jacobian at (t, y) needs it; otherwise it is not evaluated.
            bool needF0 = ht != h || Problem.DriftJacobian is null;
            if (needF0) Drift(t, y, _f0);
            else Array.Clear(_f0);
            Diffusion(t, y, _g);
            // r = y + h(1 − θ) f(t, y) + G ΔW. Newton starts from y + G ΔW, the state moved by the noise alone: on a
            // stiff drift the explicit Euler–Maruyama step would be a far worse start.
            y.CopyTo(_z);
            AddNoise(_g, dW, 1.0, _z);
            for (int i = 0; i < d; i++) _r[i] = _z[i] + (h - ht) * _f0[i];
            if (ht == 0) _r.CopyTo(_z);
            if (ht != 0 && !Solve(t, t + h, y, ht))
            {
                Failed = true;
                return;
            }
            _z.CopyTo(yNew);
        }

        /// <summary>Solves z − hθ f(t + h, z) = r by Newton from _z; false when it does not converge.</summary>
        private bool Solve(double t, double tNew, ReadOnlySpan<double> y, double ht)
        {
            int d = D;
            // The Jacobian at (t, y), reused while the iteration contracts fast (simplified Newton; a linear drift converges
            // in one step); refreshed at the current iterate when an update is more than a quarter of the one before, which
            // restores Newton's quadratic convergence on strongly nonlinear drifts.
            if (!Factor(t, y, _f0, ht)) return false;
            int refreshes = 0;
            double previous = double.PositiveInfinity;
            for (int iteration = 0; iteration < MaxNewtonIterations; iteration++)
            {
                Drift(tNew, _z, _fz);
                for (int i = 0; i < d; i++) _delta[i] = -(_z[i] - _r[i] - ht * _fz[i]);
                DenseLU.Solve(_matrix, d, _pivots, _delta);
                double size = 0;
                for (int i = 0; i < d; i++)
                {
                    _z[i] += _delta[i];
                    double scaled = Math.Abs(_delta[i]) / (1 + Math.Abs(_z[i]));
                    size = double.IsNaN(scaled) || !double.IsFinite(_z[i]) ? double.PositiveInfinity : Math.Max(size, scaled);
                }
                if (size <= 1e-10) return true;
                if (!double.IsFinite(size)) return false;
                bool slow = size > 0.25 * previous;
                previous = size;
                if (slow && refreshes < MaxJacobianRefreshes)
                {
                    refreshes++;
                    if (Problem.DriftJacobian is null) Drift(tNew, _z, _fz); // the differences need f at the new iterate
                    if (!Factor(tNew, _z, _fz, ht)) return false;
                    previous = double.PositiveInfinity;
                }
            }
            return false;
        }

        /// <summary>Forms and factors M = I − hθ J(t, x), given f(t, x).</summary>
        private bool Factor(double t, ReadOnlySpan<double> x, ReadOnlySpan<double> fx, double ht)
        {
            int d = D;
            if (Problem.DriftJacobian is { } exact) exact(t, x, _jacobian);
            else _differencer!.ComputeDense(_countedDrift!, t, x, fx, _jacobian);
            for (int k = 0; k < d * d; k++) _matrix[k] = -ht * _jacobian[k];
            for (int i = 0; i < d; i++) _matrix[i * d + i] += 1;
            return DenseLU.Factor(_matrix, d, _pivots);
        }
    }
}
