using System.Runtime.InteropServices;

namespace Ordo.Integration;

/// <summary>
/// ALIGN, the adaptive shifted-ODE solver of Foster, Lyons &amp; Oberhauser ("The shifted ODE method for underdamped
/// Langevin MCMC", arXiv:2101.03446, 2021: a modification of the Strang splitting of their Definition 4.2, in the
/// FSAL form of diffrax's ALIGN; sde.md §3.6; docs/integration/langevin.md) for the
/// underdamped Langevin diffusion of an <see cref="UnderdampedLangevinProblem"/>. With <c>α = γh</c>, <c>β = e^{−α}</c>,
/// <c>ρ = √(2γu)</c>, <c>a₁ = (1 − β)/γ</c>, <c>b₁ = (β + α − 1)/(γα)</c>, <c>ā = a₁/h</c> and
/// <c>c_H = 6(β(α + 2) + α − 2)/(α²γ)</c>, per component and with W, H the step's Brownian increment and space-time
/// Lévy area:
/// <code>
/// x₁ = x₀ + a₁ v₀ − b₁ u h ∇f(x₀) + ρ (b₁ W + c_H H)
/// v₁ = β v₀ − u ((a₁ − b₁) ∇f(x₀) + b₁ ∇f(x₁)) + ρ (ā W − γ c_H H)
/// error = (0, −u b₁ (∇f(x₁) − ∇f(x₀)))
/// </code>
/// The noise terms are the exact conditional means of the linear (Ornstein–Uhlenbeck) part's stochastic integrals given
/// (W, H), which is why the method reaches strong order 2 with one gradient per step: ∇f(x₁) is reused as the next
/// step's ∇f(x₀) (first same as last; a rejected step reuses ∇f(x₀)). For <c>α &lt; </c><see cref="TaylorThreshold"/> the
/// coefficients come from their degree-14 Taylor polynomials in α (the closed forms cancel catastrophically there:
/// c_H loses about <c>12ε/α³</c>); both branches are within about 1e-14 relative of the exact values.
/// Registered as an <see cref="SdeMethod"/> so the generic driver (fixed grid or virtual Brownian tree, PI control,
/// ensembles) runs it; it solves only problems built by <see cref="UnderdampedLangevinProblem"/>.
/// </summary>
public sealed class AlignLangevin : SdeMethod
{
    /// <summary>The value of <c>α = γh</c> below which the coefficients are evaluated by Taylor polynomials.</summary>
    public const double TaylorThreshold = 0.5;

    private const int TaylorDegree = 14;

    // Taylor coefficients in α of a₁/h = Σ (−α)ᵏ/(k+1)!, b₁/h = Σ (−α)ᵏ/(k+2)!, c_H/h = 6 Σ (−1)ᵏ (k+1)/(k+3)! αᵏ.
    private static readonly double[] SeriesA1 = Series(k => Sign(k) / Factorial(k + 1));
    private static readonly double[] SeriesB1 = Series(k => Sign(k) / Factorial(k + 2));
    private static readonly double[] SeriesCH = Series(k => 6 * Sign(k) * (k + 1) / Factorial(k + 3));

    /// <summary>The instance.</summary>
    public static AlignLangevin Instance { get; } = new();

    private AlignLangevin()
        : base("align", "ALIGN (underdamped Langevin problems only): strong 2, one gradient per step; adaptive (Foster, Lyons & Oberhauser 2021)",
            SdeCalculus.Ito, hasErrorEstimate: true, usesLevyArea: true, weakOrder: 2)
    {
    }

    /// <inheritdoc/>
    public override double StrongOrder(SdeProblem problem) => problem?.Langevin is null ? 0 : 2;

    /// <summary>ALIGN's coefficients (e^{−γh} and its relatives) are derived for h &gt; 0: no backward solves.</summary>
    public override string? UnsupportedBackward(SdeProblem problem) => "align integrates underdamped Langevin dynamics forwards in time only.";

    /// <inheritdoc/>
    public override string? Unsupported(SdeProblem problem) => problem?.Langevin is not null ? null
        : $"{Name} solves underdamped Langevin diffusions only: build an UnderdampedLangevinProblem and pass its Sde problem (or call UnderdampedLangevin.Solve); use shark or sra1 for other additive-noise SDEs.";

    /// <inheritdoc/>
    protected override SdeStepper CreateStepperCore(SdeProblem problem) => new Stepper(problem, this);

    /// <summary>The step coefficients for friction γ and step h: β, a₁, b₁ and c_H of the class remarks.</summary>
    internal readonly record struct Coefficients(double Beta, double A1, double B1, double CH);

    /// <summary>The coefficients, by the Taylor branch for <c>γh &lt; </c><see cref="TaylorThreshold"/>, else the closed forms.</summary>
    internal static Coefficients Compute(double gamma, double h) => gamma * h < TaylorThreshold ? Taylor(gamma, h) : Closed(gamma, h);

    /// <summary>The closed forms (accurate for γh not small).</summary>
    internal static Coefficients Closed(double gamma, double h)
    {
        double a = gamma * h, beta = Math.Exp(-a);
        return new(beta, (1 - beta) / gamma, (beta + a - 1) / (gamma * a), 6 * (beta * (a + 2) + a - 2) / (a * a * gamma));
    }

    /// <summary>The degree-14 Taylor polynomials in α = γh (accurate for α up to about 1).</summary>
    internal static Coefficients Taylor(double gamma, double h)
    {
        double a = gamma * h;
        return new(Math.Exp(-a), h * Horner(SeriesA1, a), h * Horner(SeriesB1, a), h * Horner(SeriesCH, a));
    }

    private static double Horner(double[] c, double a)
    {
        double s = c[^1];
        for (int k = c.Length - 2; k >= 0; k--) s = s * a + c[k];
        return s;
    }

    private static double[] Series(Func<int, double> term)
    {
        var c = new double[TaylorDegree + 1];
        for (int k = 0; k <= TaylorDegree; k++) c[k] = term(k);
        return c;
    }

    private static double Sign(int k) => (k & 1) == 0 ? 1 : -1;

    private static double Factorial(int n)
    {
        double f = 1;
        for (int i = 2; i <= n; i++) f *= i;
        return f;
    }

    private sealed class Stepper : SdeStepper
    {
        private readonly UnderdampedLangevinProblem _uld;
        private readonly int _d;
        // Per component, for the current h: x₁ = xv·v₀ − xg·∇f(x₀) + xW·W + xH·H (+ x₀);
        // v₁ = vv·v₀ − vg0·∇f(x₀) − vg1·∇f(x₁) + vW·W + vH·H.
        private readonly double[] _xv, _xg, _xW, _xH, _vv, _vg0, _vg1, _vW, _vH;
        // Two cached (x, ∇f(x)) pairs: the step's start and its proposal (FSAL across an accepted step, reuse on a rejection).
        private readonly double[][] _slotX, _slotG;
        private readonly bool[] _slotValid = new bool[2];
        private double _h = double.NaN;

        public Stepper(SdeProblem problem, AlignLangevin method) : base(problem, method)
        {
            _uld = problem.Langevin!;
            _d = _uld.Dimension;
            _xv = new double[_d]; _xg = new double[_d]; _xW = new double[_d]; _xH = new double[_d];
            _vv = new double[_d]; _vg0 = new double[_d]; _vg1 = new double[_d]; _vW = new double[_d]; _vH = new double[_d];
            _slotX = [new double[_d], new double[_d]];
            _slotG = [new double[_d], new double[_d]];
        }

        public override void Step(double t, double h, ReadOnlySpan<double> y, ReadOnlySpan<double> dW, ReadOnlySpan<double> dH,
            Span<double> yNew, Span<double> error)
        {
            int d = _d;
            if (h != _h) Prepare(h);
            ReadOnlySpan<double> x0 = y[..d], v0 = y[d..];
            int s0 = GradientSlot(x0);
            double[] g0 = _slotG[s0], x1 = _slotX[1 - s0], g1 = _slotG[1 - s0];
            for (int i = 0; i < d; i++)
                x1[i] = x0[i] + _xv[i] * v0[i] - _xg[i] * g0[i] + _xW[i] * dW[i] + _xH[i] * dH[i];
            Evaluate(1 - s0);
            for (int i = 0; i < d; i++)
            {
                yNew[i] = x1[i];
                yNew[d + i] = _vv[i] * v0[i] - _vg0[i] * g0[i] - _vg1[i] * g1[i] + _vW[i] * dW[i] + _vH[i] * dH[i];
                error[i] = 0;
                error[d + i] = -_vg1[i] * (g1[i] - g0[i]);
            }
        }

        /// <summary>The slot holding ∇f at exactly x (bitwise), evaluating it into slot 0 when neither does.</summary>
        private int GradientSlot(ReadOnlySpan<double> x)
        {
            ReadOnlySpan<long> bits = MemoryMarshal.Cast<double, long>(x);
            for (int s = 0; s < 2; s++)
                if (_slotValid[s] && bits.SequenceEqual(MemoryMarshal.Cast<double, long>(_slotX[s].AsSpan()))) return s;
            x.CopyTo(_slotX[0]);
            Evaluate(0);
            return 0;
        }

        private void Evaluate(int slot)
        {
            DriftEvaluations++;
            _slotValid[slot] = false;
            _uld.Gradient(_slotX[slot], _slotG[slot]);
            _slotValid[slot] = true;
        }

        private void Prepare(double h)
        {
            ReadOnlySpan<double> gamma = _uld.Gamma, u = _uld.InverseMass;
            for (int i = 0; i < _d; i++)
            {
                if (i > 0 && _uld.IsUniform)
                {
                    _xv[i] = _xv[0]; _xg[i] = _xg[0]; _xW[i] = _xW[0]; _xH[i] = _xH[0];
                    _vv[i] = _vv[0]; _vg0[i] = _vg0[0]; _vg1[i] = _vg1[0]; _vW[i] = _vW[0]; _vH[i] = _vH[0];
                    continue;
                }
                double g = gamma[i], ui = u[i], rho = Math.Sqrt(2 * g * ui);
                Coefficients c = Compute(g, h);
                _xv[i] = c.A1;
                _xg[i] = c.B1 * ui * h;
                _xW[i] = rho * c.B1;
                _xH[i] = rho * c.CH;
                _vv[i] = c.Beta;
                _vg0[i] = ui * (c.A1 - c.B1);
                _vg1[i] = ui * c.B1;
                _vW[i] = rho * c.A1 / h;
                _vH[i] = -rho * g * c.CH;
            }
            _h = h;
        }
    }
}

/// <summary>
/// Solves underdamped Langevin diffusions with <see cref="AlignLangevin"/> through the SDE driver: adaptive steps on a
/// virtual Brownian tree (rejections re-query the same path) unless <see cref="SdeOptions.FixedStep"/> is set, then
/// the counter-based grid. In the returned counts, <see cref="SdeStats.DriftEvaluations"/> is the number of gradient
/// evaluations (one per attempted step, plus one at the start of a path when x0 is not cached) and
/// <see cref="SdeStats.DiffusionEvaluations"/> is 0.
/// </summary>
public static class UnderdampedLangevin
{
    /// <summary>Solves one path (stream <see cref="SdeOptions.Stream"/> of <see cref="SdeOptions.Seed"/>, or the caller's
    /// Brownian <paramref name="path"/> with d lanes). The state of the solution is <c>(x, v)</c>, 2d values.</summary>
    /// <exception cref="ArgumentException">Bad options, or a path that does not fit.</exception>
    public static SdeSolution Solve(UnderdampedLangevinProblem problem, SdeOptions? options = null, IBrownianPath? path = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return Sde.Solve(problem.Sde, AlignLangevin.Instance, options, path);
    }

    /// <summary>Runs many paths in parallel (path k is stream k) and returns the statistics of the final <c>(x, v)</c>.</summary>
    /// <exception cref="ArgumentException">Bad options.</exception>
    public static SdeEnsembleResult SolveEnsemble(UnderdampedLangevinProblem problem, SdeOptions? options = null, SdeEnsembleOptions? ensemble = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return SdeEnsemble.Solve(problem.Sde, AlignLangevin.Instance, options, ensemble);
    }
}
