namespace Ordo.Optimization;

/// <summary>What Levenberg–Marquardt and Gauss–Newton share: the buffers (allocated once), the start, the
/// linearization (J, g = 2Jᵀr, noted with the evaluator) and the QR of J with Qᵀr.</summary>
internal abstract class LeastSquaresRun : MinimizerRun
{
    protected readonly int M;
    protected readonly double[] Res, ResTrial, Jac, Grad, Qtr, P, XTrial;
    protected readonly PivotedQR Qr;

    protected LeastSquaresRun(ObjectiveEvaluator evaluator) : base(evaluator, null)
    {
        int n = evaluator.Dimension;
        M = evaluator.ResidualCount;
        Res = new double[M];
        ResTrial = new double[M];
        Jac = new double[M * n];
        Grad = new double[n];
        Qtr = new double[Math.Max(M, n)];
        P = new double[n];
        XTrial = new double[n];
        Qr = new PivotedQR(M, n);
    }

    /// <summary>Throws unless the objective has at least one residual.</summary>
    public static void RequireResiduals(IObjective objective)
    {
        var ls = (ILeastSquaresObjective)objective;
        if (ls.ResidualCount < 1)
            throw new ArgumentException($"The least-squares objective has {ls.ResidualCount} residuals; it must have at least 1.", nameof(objective));
    }

    public override StepOutcome Start()
    {
        F = Evaluator.Residuals(X, Res);
        if (!double.IsFinite(F)) return StepOutcome.NonFinite;
        Linearize();
        return StepOutcome.Continue;
    }

    /// <summary>J at X (whose residuals are in Res), g = 2Jᵀr, ‖g‖∞; derived classes add what they need.</summary>
    protected virtual void Linearize()
    {
        Evaluator.Jacobian(X, Jac);
        LeastSquares.Gradient(Jac, Res, Dimension, Grad);
        Evaluator.NoteGradient(X, Grad);
        GradientNorm = InfinityNorm(Grad);
    }

    /// <summary>Factors J·P = Q·R and writes Qᵀr into Qtr (zero beyond m).</summary>
    protected void FactorAndProject()
    {
        Qr.Factor(Jac);
        Qtr.AsSpan().Clear();
        Res.CopyTo(Qtr, 0);
        Qr.ApplyQTranspose(Qtr.AsSpan(0, M));
    }
}
