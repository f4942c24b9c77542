using System.Globalization;

namespace Ordo.Optimization;

/// <summary>
/// The shared iteration of the line-search methods (nonlinear CG, BFGS, L-BFGS): a direction from the method's memory,
/// one line search, the method's memory update, and the retry from steepest descent when a search fails.
/// </summary>
/// <remarks>
/// One iteration: <see cref="ComputeDirection"/> writes d; if d is not a descent direction the memory is reset and
/// d = −g. The line search runs from <see cref="InitialStep"/>. If it fails and d came from the memory, the memory is
/// reset (steepest descent) and the search is tried once more; a second failure ends the run with
/// <see cref="StepOutcome.LineSearchFailed"/>. On success the method sees the accepted step in <see cref="Accept"/>
/// (old x and g still in <see cref="MinimizerRun.X"/> and <see cref="G"/>, the new ones in <see cref="Phi"/>'s trial
/// state) before the base copies them.
/// </remarks>
internal abstract class LineSearchRun : MinimizerRun
{
    /// <summary>Below this fraction of ‖g₀‖∞ a rounding-level line-search failure is reported as such.</summary>
    private const double SmallGradientRatio = 1e-4;

    protected LineSearchRun(ObjectiveEvaluator evaluator, ILineSearch search) : base(evaluator, null)
    {
        G = new double[evaluator.Dimension];
        D = new double[evaluator.Dimension];
        Phi = new LineFunction(evaluator);
        Search = search;
    }

    /// <summary>The gradient at <see cref="MinimizerRun.X"/>.</summary>
    protected double[] G { get; }

    /// <summary>The search direction.</summary>
    protected double[] D { get; }

    /// <summary>φ(α) = f(x + αd).</summary>
    protected LineFunction Phi { get; }

    /// <summary>This run's line search.</summary>
    protected ILineSearch Search { get; }

    /// <summary>‖g₀‖∞.</summary>
    protected double InitialGradientNorm { get; private set; }

    /// <summary>Writes the direction into <see cref="D"/>; returns true when it is −g (no memory to reset).</summary>
    protected abstract bool ComputeDirection();

    /// <summary>The first trial step of this search (after <see cref="Phi"/> was reset); <paramref name="steepest"/>
    /// when d = −g.</summary>
    protected abstract double InitialStep(bool steepest);

    /// <summary>Forgets the curvature memory (the next direction is −g).</summary>
    protected abstract void ResetMemory();

    /// <summary>Updates the memory with the accepted step α (old point and gradient still in X and G).</summary>
    protected abstract void Accept(double alpha);

    public override StepOutcome Start()
    {
        F = Evaluator.ValueAndGradient(X, G);
        GradientNorm = InfinityNorm(G);
        InitialGradientNorm = GradientNorm;
        return double.IsFinite(F) && double.IsFinite(GradientNorm) ? StepOutcome.Continue : StepOutcome.NonFinite;
    }

    /// <summary>d ← −g.</summary>
    protected void SteepestDescent() => System.Numerics.Tensors.TensorPrimitives.Negate(G, D);

    public override StepOutcome Step()
    {
        bool steepest = ComputeDirection();
        Phi.Reset(X, F, G, D);
        if (!steepest && !(Phi.Slope0 < 0))
        {
            ResetMemory();
            SteepestDescent();
            steepest = true;
            Phi.Reset(X, F, G, D);
        }
        var ls = Search.Search(Phi, InitialStep(steepest));
        int evaluations = Phi.Evaluations;
        bool retried = false;
        if (!ls.Succeeded && !steepest)
        {
            ResetMemory();
            SteepestDescent();
            Phi.Reset(X, F, G, D);
            ls = Search.Search(Phi, InitialStep(true));
            evaluations += Phi.Evaluations;
            retried = true;
        }
        if (!ls.Succeeded)
        {
            StepNorm = 0;
            Message = FailureMessage(ls, evaluations, retried);
            return StepOutcome.LineSearchFailed;
        }
        Phi.EnsureGradientAt(ls.Step);
        Accept(ls.Step);
        StepNorm = ls.Step * Phi.DirectionNorm;
        Phi.TrialX.CopyTo(X);
        Phi.TrialGradient.CopyTo(G);
        F = Phi.TrialValue;
        GradientNorm = InfinityNorm(G);
        return StepOutcome.Continue;
    }

    private string FailureMessage(LineSearchResult ls, int evaluations, bool retried)
    {
        var c = CultureInfo.InvariantCulture;
        string what = string.Format(c, "The {0} line search found no acceptable step ({1}, {2} evaluations{3})",
            Search.Name, ls.Status, evaluations, retried ? ", also after resetting to steepest descent" : ", along −g");
        bool rounding = ls.Status == LineSearchStatus.StepBelowRounding
            && GradientNorm <= SmallGradientRatio * InitialGradientNorm;
        return rounding
            ? string.Format(c, "{0}: rounding errors prevent progress (‖g‖∞ = {1:G4} ≤ {2:G1}·‖g0‖∞ with ‖g0‖∞ = {3:G4}; f cannot be decreased further at working precision).",
                what, GradientNorm, SmallGradientRatio, InitialGradientNorm)
            : string.Format(c, "{0}: f did not decrease as its gradient predicts; check the gradient (GradientChecker).", what);
    }
}
