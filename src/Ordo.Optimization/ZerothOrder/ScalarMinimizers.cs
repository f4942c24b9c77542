namespace Ordo.Optimization;

/// <summary>
/// The registry face of <see cref="ScalarMinimization"/> for objectives of dimension 1: brackets a minimum from x₀
/// with <see cref="ScalarMinimization.Bracket"/> (first step <see cref="InitialStep"/>), or searches the box directly when
/// both bounds are finite, then runs the one-dimensional search. The whole search is one driver iteration; it is
/// converged by <see cref="ConvergenceTest.MethodSpecific"/> when the interval test held.
/// </summary>
public abstract class OneDimensionalMinimizer : Minimizer<IObjective>
{
    /// <summary>Absolute tolerance on x (added to √ε·|x|). Default 1e-10.</summary>
    public double Tolerance { get; init; } = 1e-10;

    /// <summary>First bracketing step from x₀. Default 1.</summary>
    public double InitialStep { get; init; } = 1;

    /// <summary>Evaluation limit of the bracketing and of the search, each. Default 500.</summary>
    public int MaxEvaluations { get; init; } = 500;

    /// <inheritdoc/>
    public override bool SupportsBounds => true;

    /// <summary>1: the whole search is one iteration.</summary>
    public override int DefaultMaxIterations => 1;

    /// <summary>Runs the search on [a, b].</summary>
    private protected abstract ScalarMinimizationResult Search(Func<double, double> f, double a, double b);

    /// <inheritdoc/>
    protected override void Validate(IObjective objective, Bounds? bounds)
    {
        if (objective.Dimension != 1)
            throw new ArgumentException($"Method '{Name}' minimizes functions of one variable; this objective has dimension {objective.Dimension}. Use 'nelder-mead' for n > 1.", nameof(objective));
        Guard.NonNegative(Tolerance, nameof(Tolerance));
        Guard.Finite(InitialStep, nameof(InitialStep));
        if (InitialStep == 0) throw new ArgumentException("InitialStep must be nonzero.", nameof(InitialStep));
        if (MaxEvaluations < 3) throw new ArgumentOutOfRangeException(nameof(MaxEvaluations), MaxEvaluations, "MaxEvaluations must be ≥ 3.");
    }

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
        => new Run(evaluator, bounds, this);

    private sealed class Run : MinimizerRun
    {
        private readonly OneDimensionalMinimizer _method;
        private readonly double[] _x = new double[1];
        private readonly Func<double, double> _f;

        public Run(ObjectiveEvaluator evaluator, Bounds? bounds, OneDimensionalMinimizer method) : base(evaluator, bounds)
        {
            _method = method;
            _f = t =>
            {
                _x[0] = t;
                if (Bounds is not null && !Bounds.Contains(_x)) return double.PositiveInfinity;
                return Evaluator.Value(_x);
            };
        }

        public override StepOutcome Start()
        {
            F = Evaluator.Value(X);
            return double.IsFinite(F) ? StepOutcome.Continue : StepOutcome.NonFinite;
        }

        public override StepOutcome Step()
        {
            double a, b;
            double lo = Bounds is null ? double.NegativeInfinity : Bounds.Lower[0];
            double hi = Bounds is null ? double.PositiveInfinity : Bounds.Upper[0];
            if (double.IsFinite(lo) && double.IsFinite(hi))
            {
                (a, b) = (lo, hi);
            }
            else
            {
                var br = ScalarMinimization.Bracket(_f, X[0], _method.InitialStep, _method.MaxEvaluations);
                if (!br.Found)
                {
                    Message = $"Could not bracket a minimum from x0 = {X[0]} in {br.Evaluations} evaluations: f kept decreasing to x = {br.B} (f = {br.FB}); the function may be unbounded below in that direction.";
                    StepNorm = Math.Abs(br.B - X[0]);
                    return StepOutcome.Stalled;
                }
                (a, b) = (Math.Max(br.A, lo), Math.Min(br.C, hi));
                if (!(a < b)) (a, b) = (br.A, br.C);
            }
            var r = _method.Search(_f, a, b);
            StepNorm = Math.Abs(r.X - X[0]);
            X[0] = r.X;
            F = r.F;
            Message = r.Message;
            return r.Converged ? StepOutcome.Converged : StepOutcome.Stalled;
        }
    }
}

/// <summary>Brent's method (golden section with parabolic interpolation) for n = 1; see
/// <see cref="ScalarMinimization.Brent"/>. Source: R. P. Brent, <i>Algorithms for Minimization without
/// Derivatives</i>, Prentice–Hall 1973, ch. 5.</summary>
public sealed class BrentMinimizer : OneDimensionalMinimizer
{
    /// <inheritdoc/>
    public override string Name => "brent";

    /// <inheritdoc/>
    private protected override ScalarMinimizationResult Search(Func<double, double> f, double a, double b)
        => ScalarMinimization.Brent(f, a, b, Tolerance, MaxEvaluations);
}

/// <summary>Golden-section search for n = 1; see <see cref="ScalarMinimization.GoldenSection"/>. Source:
/// J. Kiefer, "Sequential minimax search for a maximum", Proc. AMS 4 (1953) 502–506.</summary>
public sealed class GoldenSectionMinimizer : OneDimensionalMinimizer
{
    /// <inheritdoc/>
    public override string Name => "golden";

    /// <inheritdoc/>
    private protected override ScalarMinimizationResult Search(Func<double, double> f, double a, double b)
        => ScalarMinimization.GoldenSection(f, a, b, Tolerance, MaxEvaluations);
}
