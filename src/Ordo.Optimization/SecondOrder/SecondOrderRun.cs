namespace Ordo.Optimization;

/// <summary>
/// What the four second-order methods share in a run: the gradient at the iterate, the start (f and ∇f at x₀), taking
/// an accepted trial point, and giving up with a message. Buffers are allocated in the constructor.
/// </summary>
internal abstract class SecondOrderRun(ObjectiveEvaluator evaluator) : MinimizerRun(evaluator, null)
{
    /// <summary>∇f(X).</summary>
    protected double[] G { get; } = new double[evaluator.Dimension];

    public override StepOutcome Start()
    {
        F = Evaluator.ValueAndGradient(X, G);
        GradientNorm = InfinityNorm(G);
        return double.IsFinite(F) ? StepOutcome.Continue : StepOutcome.NonFinite;
    }

    /// <summary>Moves to the accepted trial point x with value f and gradient g.</summary>
    protected void Accept(ReadOnlySpan<double> x, ReadOnlySpan<double> g, double f, double stepNorm)
    {
        x.CopyTo(X);
        g.CopyTo(G);
        F = f;
        GradientNorm = InfinityNorm(G);
        StepNorm = stepNorm;
    }

    /// <summary>Ends the iteration without a step: <paramref name="outcome"/> with <paramref name="message"/>.</summary>
    protected StepOutcome Stop(StepOutcome outcome, string message)
    {
        StepNorm = 0;
        Message = message;
        return outcome;
    }
}
