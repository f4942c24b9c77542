namespace Ordo.Optimization;

/// <summary>One stage of <c>auto</c>'s plan.</summary>
/// <param name="Method">Registry name.</param>
/// <param name="FromBest">Start from the best point so far (true) or from x0 (false: a different path, not a
/// continuation).</param>
/// <param name="IterationCap">At most this many iterations for the stage (null: the options' or method's limit).</param>
public readonly record struct AutoStage(string Method, bool FromBest, int? IterationCap = null);

/// <summary>
/// <c>auto</c>: picks a plan of methods from what the objective can compute, its size and whether there are bounds, and
/// runs the stages in order until one converges; it returns the best point of all stages.
/// </summary>
/// <remarks>
/// <para>The plans (<see cref="Plan"/>):</para>
/// <list type="bullet">
/// <item>residuals and a Jacobian, no bounds: <c>gauss-newton</c> from x0 (at most 100 iterations: quadratic convergence
/// on zero-residual problems, cheap), then <c>lm</c> from x0 (Moré's trust-region Levenberg–Marquardt, the robust
/// one), then <c>trust-region</c> from the best point when Hessian–vector products exist;</item>
/// <item>bounds with a gradient: <c>lbfgsb</c>, then <c>nelder-mead</c> from the best point; bounds without: <c>nelder-mead</c>;</item>
/// <item>a dense Hessian and n ≤ 500: <c>damped-newton</c>, then <c>trust-region</c> from the best point; otherwise
/// Hessian–vector products: <c>trust-region</c>, then <c>lbfgs</c>;</item>
/// <item>a gradient: <c>bfgs</c> for n ≤ 200, else <c>lbfgs</c>; then <c>cg</c> from the best point;</item>
/// <item>values only: <c>nelder-mead</c> (restarting).</item>
/// </list>
/// <para>The result's <see cref="MinimizationResult.Method"/> names the stages that ran (<c>auto/gauss-newton+lm</c>);
/// counts are sums over the stages; the status is that of the stage that produced the best point. A stage stopped by
/// the callback, cancellation or the evaluation budget ends the plan.</para>
/// <para>Rationale, from the 35 MGH problems (docs/optimization/README.md): least-squares methods dominate on
/// least-squares problems (scipy's lm/trf solve 33/35); Gauss–Newton with a line search follows a different path from
/// LM and reaches the global minimum of the trigonometric problem, where LM and every scipy method stop at the local
/// minimum 2.795e-5 — a property of that path, not a global strategy; damped Newton with exact Hessians solves the most
/// problems among the Newton variants; BFGS is the most robust first-order method on small problems, L-BFGS the one
/// that scales.</para>
/// </remarks>
public sealed class AutomaticMinimizer : IMinimizer
{
    /// <inheritdoc/>
    public string Name => "auto";

    /// <inheritdoc/>
    public ObjectiveCapabilities Requires => ObjectiveCapabilities.Value;

    /// <inheritdoc/>
    public bool SupportsBounds => true;

    /// <inheritdoc/>
    public int DefaultMaxIterations => 1000;

    /// <summary>The stages auto runs for an objective with these capabilities and dimension, with or without bounds.</summary>
    public static IReadOnlyList<AutoStage> Plan(ObjectiveCapabilities capabilities, int dimension, bool bounded)
    {
        bool gradient = capabilities.HasFlag(ObjectiveCapabilities.Gradient);
        bool hvp = capabilities.HasFlag(ObjectiveCapabilities.HessianVectorProduct);
        if (bounded)
            return gradient ? [new("lbfgsb", false), new("nelder-mead", true)] : [new("nelder-mead", false)];
        if (capabilities.HasFlag(ObjectiveCapabilities.Residuals))
        {
            var plan = new List<AutoStage> { new("gauss-newton", false, 100), new("lm", false) };
            if (hvp) plan.Add(new AutoStage("trust-region", true));
            return plan;
        }
        if (capabilities.HasFlag(ObjectiveCapabilities.Hessian) && dimension <= 500)
            return [new("damped-newton", false), new("trust-region", true)];
        if (hvp) return [new("trust-region", false), new("lbfgs", true)];
        if (gradient) return [new(dimension <= 200 ? "bfgs" : "lbfgs", false), new("cg", true)];
        return [new("nelder-mead", false)];
    }

    /// <inheritdoc/>
    public MinimizationResult Minimize(IObjective objective, ReadOnlySpan<double> x0, Bounds? bounds = null,
        MinimizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        options ??= new MinimizeOptions();
        options.Validate();
        var plan = Plan(Capabilities.Of(objective), objective.Dimension, bounds is { IsBounded: true });
        var results = new List<MinimizationResult>();
        var names = new List<string>();
        double[] start = x0.ToArray();
        long evaluationsUsed = 0;
        foreach (AutoStage stage in plan)
        {
            var stageOptions = options;
            if (stage.IterationCap is int cap)
                stageOptions = stageOptions with { MaxIterations = Math.Min(cap, options.MaxIterations ?? cap) };
            if (options.MaxFunctionEvaluations is long budget)
            {
                if (budget - evaluationsUsed <= 0) break;
                stageOptions = stageOptions with { MaxFunctionEvaluations = budget - evaluationsUsed };
            }
            ReadOnlySpan<double> from = stage.FromBest && results.Count > 0 ? results.MinBy(r => r.F)!.X : start;
            var r = Minimizers.Create(stage.Method).Minimize(objective, from, bounds, stageOptions, cancellationToken);
            results.Add(r);
            names.Add(stage.Method);
            evaluationsUsed += r.FunctionEvaluations;
            if (r.Converged || r.Status is OptimizationStatus.StoppedByCallback or OptimizationStatus.Cancelled or OptimizationStatus.MaxEvaluations)
                break;
        }
        return Combine(results, "auto/" + string.Join("+", names), options);
    }

    private static MinimizationResult Combine(List<MinimizationResult> results, string name, MinimizeOptions options)
    {
        // The best point; on a tie the later stage (which converged, or ran last).
        MinimizationResult chosen = results[0];
        foreach (var r in results) if (r.F <= chosen.F || double.IsNaN(chosen.F)) chosen = r;
        var counts = new EvaluationCounts(results.Sum(r => r.FunctionEvaluations), results.Sum(r => r.GradientEvaluations),
            results.Sum(r => r.HessianEvaluations), results.Sum(r => r.HessianVectorProducts));
        string message = results.Count == 1
            ? chosen.Message
            : string.Join("; ", results.Select(r => $"{r.Method}: {r.StatusName} (f = {r.F:G6})")) + $". Best from {chosen.Method}: {chosen.Message}";
        List<OptimizationTraceEntry>? trace = null;
        if (options.KeepTrace)
        {
            trace = [];
            foreach (var r in results) trace.AddRange(r.Trace ?? []);
        }
        return new MinimizationResult(name, chosen.X, chosen.F, chosen.GradientNorm, chosen.Status, chosen.ConvergedBy,
            message, results.Sum(r => r.Iterations), counts, results[0].InitialPointProjected, trace);
    }
}

public static partial class Minimizers
{
    static partial void AddAutomatic(List<MinimizerInfo> list) =>
        list.Add(new MinimizerInfo("auto", "Automatic choice by capability, size and bounds, with fallbacks", "auto",
            ObjectiveCapabilities.Value, true,
            "Ordo's rule (docs/optimization/README.md), from the anchors' and Ordo's MGH results", () => new AutomaticMinimizer()));
}
