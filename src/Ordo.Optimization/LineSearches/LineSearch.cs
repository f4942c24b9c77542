namespace Ordo.Optimization;

/// <summary>
/// φ(α) = f(x + α·d) for one line search: the base point, the direction and the trial buffers, allocated once per run
/// and reused by every search. Every evaluation goes through the run's <see cref="ObjectiveEvaluator"/>, so counts,
/// budget and the best point are kept.
/// </summary>
public sealed class LineFunction
{
    private readonly ObjectiveEvaluator _evaluator;
    private readonly double[] _x;
    private readonly double[] _d;
    private readonly double[] _xTrial;
    private readonly double[] _gTrial;
    private double _lastAlpha = double.NaN;

    /// <summary>Allocates the buffers for an n-dimensional problem.</summary>
    public LineFunction(ObjectiveEvaluator evaluator)
    {
        _evaluator = evaluator;
        int n = evaluator.Dimension;
        _x = new double[n];
        _d = new double[n];
        _xTrial = new double[n];
        _gTrial = new double[n];
    }

    /// <summary>φ(0) = f(x).</summary>
    public double Value0 { get; private set; }

    /// <summary>φ'(0) = ∇f(x)·d (negative for a descent direction).</summary>
    public double Slope0 { get; private set; }

    /// <summary>‖d‖∞.</summary>
    public double DirectionNorm { get; private set; }

    /// <summary>‖x‖∞.</summary>
    public double PointNorm { get; private set; }

    /// <summary>Evaluations made since the last <see cref="Reset"/>.</summary>
    public int Evaluations { get; private set; }

    /// <summary>The last trial point x + α·d.</summary>
    public ReadOnlySpan<double> TrialX => _xTrial;

    /// <summary>The gradient at the last trial point, valid when <see cref="TrialHasGradient"/>.</summary>
    public ReadOnlySpan<double> TrialGradient => _gTrial;

    /// <summary>True when <see cref="TrialGradient"/> belongs to <see cref="TrialX"/>.</summary>
    public bool TrialHasGradient { get; private set; }

    /// <summary>φ at the last trial step.</summary>
    public double TrialValue { get; private set; } = double.NaN;

    /// <summary>The last trial step α.</summary>
    public double TrialStep => _lastAlpha;

    /// <summary>The direction d.</summary>
    public ReadOnlySpan<double> Direction => _d;

    /// <summary>Starts a new search from x with value f and gradient g along d.</summary>
    public void Reset(ReadOnlySpan<double> x, double f, ReadOnlySpan<double> gradient, ReadOnlySpan<double> direction)
    {
        x.CopyTo(_x);
        direction.CopyTo(_d);
        Value0 = f;
        Slope0 = Blas1.Dot(gradient, direction);
        DirectionNorm = MinimizerRun.InfinityNorm(direction);
        PointNorm = MinimizerRun.InfinityNorm(x);
        Evaluations = 0;
        _lastAlpha = double.NaN;
        TrialHasGradient = false;
        TrialValue = double.NaN;
    }

    private void MovePoint(double alpha)
    {
        _x.CopyTo(_xTrial);
        Blas1.Axpy(alpha, _d, _xTrial);
    }

    /// <summary>φ(α) without the slope.</summary>
    public double Value(double alpha)
    {
        MovePoint(alpha);
        Evaluations++;
        _lastAlpha = alpha;
        TrialHasGradient = false;
        TrialValue = _evaluator.Value(_xTrial);
        return TrialValue;
    }

    /// <summary>φ(α) and φ'(α) = ∇f(x + α·d)·d.</summary>
    public double ValueAndSlope(double alpha, out double slope)
    {
        MovePoint(alpha);
        Evaluations++;
        _lastAlpha = alpha;
        TrialValue = _evaluator.ValueAndGradient(_xTrial, _gTrial);
        TrialHasGradient = true;
        slope = Blas1.Dot<double>(_gTrial, _d);
        return TrialValue;
    }

    /// <summary>Makes the trial state (point, value and gradient) belong to step α, evaluating only if needed.</summary>
    public void EnsureGradientAt(double alpha)
    {
        if (alpha == _lastAlpha && TrialHasGradient) return;
        ValueAndSlope(alpha, out _);
    }

    /// <summary>True when α·‖d‖∞ is below rounding level relative to ‖x‖∞: a smaller step cannot change x.</summary>
    public bool StepBelowRounding(double alpha) => alpha * DirectionNorm <= 1e-16 * Math.Max(PointNorm, 1e-300) || alpha == 0;
}

/// <summary>How a line search ended.</summary>
public enum LineSearchStatus
{
    /// <summary>An acceptable step was found (the search's conditions hold).</summary>
    Success,
    /// <summary>d is not a descent direction (φ'(0) ≥ 0) or φ'(0) is not finite.</summary>
    NotDescent,
    /// <summary>The step shrank below rounding level without the sufficient-decrease condition holding.</summary>
    StepBelowRounding,
    /// <summary>The search's evaluation limit was reached without an acceptable step.</summary>
    MaxEvaluations,
}

/// <summary>The outcome of a line search.</summary>
/// <param name="Step">The accepted step α (the best one tried on failure).</param>
/// <param name="Value">φ(α).</param>
/// <param name="Status">How it ended.</param>
public readonly record struct LineSearchResult(double Step, double Value, LineSearchStatus Status)
{
    /// <summary>True on <see cref="LineSearchStatus.Success"/>.</summary>
    public bool Succeeded => Status == LineSearchStatus.Success;
}

/// <summary>
/// A line search: finds α &gt; 0 with enough decrease of φ(α) = f(x + α·d). Implementations must treat a non-finite
/// φ(α) as "step too long" and shrink (never assert on user data), and on success leave <see cref="LineFunction"/>'s
/// trial state at the accepted step (<see cref="LineFunction.TrialX"/>, <see cref="LineFunction.TrialValue"/>; the
/// gradient when <see cref="LineFunction.TrialHasGradient"/>). A search object may keep state between searches of one
/// run (Hager–Zhang does) so methods create one per run (see <see cref="ILineSearch.Clone"/>).
/// </summary>
public interface ILineSearch
{
    /// <summary>The search's name (for messages and docs).</summary>
    string Name { get; }

    /// <summary>Searches from <paramref name="initialStep"/>; never tries α &gt; <paramref name="maxStep"/>.</summary>
    LineSearchResult Search(LineFunction phi, double initialStep, double maxStep = double.PositiveInfinity);

    /// <summary>A fresh search with the same parameters and no state (methods call this once per run).</summary>
    ILineSearch Clone();
}
