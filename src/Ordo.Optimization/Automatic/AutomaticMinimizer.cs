namespace Ordo.Optimization;

/// <summary>
/// <c>auto</c>: picks a method from what the objective can compute and whether there are bounds, and, when that method
/// stops without converging, continues once from its best point with a second method of a different kind.
/// </summary>
/// <remarks>
/// <para>The choice (first method → fallback):</para>
/// <list type="bullet">
/// <item>residuals and a Jacobian, no bounds: <c>lm</c> (exploits the least-squares structure) → <c>trust-region</c> when
/// Hessian–vector products exist, else <c>bfgs</c>;</item>
/// <item>bounds with a gradient: <c>lbfgsb</c> → <c>nelder-mead</c>; bounds without: <c>nelder-mead</c>;</item>
/// <item>Hessian–vector products: <c>trust-region</c> → <c>lbfgs</c>;</item>
/// <item>a gradient: <c>lbfgs</c> for n &gt; 200, else <c>bfgs</c> → <c>cg</c>;</item>
/// <item>values only: <c>nelder-mead</c> (restarting).</item>
/// </list>
/// <para>The result's <see cref="MinimizationResult.Method"/> names what ran, e.g. <c>auto/lm</c> or
/// <c>auto/lm+trust-region</c>; counts are the sums over both runs; the returned point is the better of the two.
/// A run stopped by the callback, cancellation or the evaluation budget is not continued.</para>
/// <para>Rationale: the anchors' MGH results (research/optimization.md §6) — least-squares methods dominate on
/// least-squares problems (scipy's lm/trf solve 33/35), trust-region Newton is the most robust with exact second
/// derivatives, BFGS the most robust first-order method on small problems, L-BFGS the one that scales.</para>
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

    /// <summary>The methods auto would run for an objective with these capabilities, dimension and bounds (first, then
    /// the fallback, or null for none).</summary>
    public static (string First, string? Fallback) Choose(ObjectiveCapabilities capabilities, int dimension, bool bounded)
    {
        bool gradient = capabilities.HasFlag(ObjectiveCapabilities.Gradient);
        if (bounded) return gradient ? ("lbfgsb", "nelder-mead") : ("nelder-mead", null);
        if (capabilities.HasFlag(ObjectiveCapabilities.Residuals))
            return ("lm", capabilities.HasFlag(ObjectiveCapabilities.HessianVectorProduct) ? "trust-region" : "bfgs");
        if (capabilities.HasFlag(ObjectiveCapabilities.HessianVectorProduct)) return ("trust-region", "lbfgs");
        if (gradient) return dimension > 200 ? ("lbfgs", "cg") : ("bfgs", "cg");
        return ("nelder-mead", null);
    }

    /// <inheritdoc/>
    public MinimizationResult Minimize(IObjective objective, ReadOnlySpan<double> x0, Bounds? bounds = null,
        MinimizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var (firstName, fallbackName) = Choose(Capabilities.Of(objective), objective.Dimension, bounds is { IsBounded: true });
        var first = Minimizers.Create(firstName).Minimize(objective, x0, bounds, options, cancellationToken);
        if (first.Converged || fallbackName is null
            || first.Status is OptimizationStatus.StoppedByCallback or OptimizationStatus.Cancelled or OptimizationStatus.MaxEvaluations)
            return Relabel(first, $"auto/{firstName}", first, null, options);

        var secondOptions = options ?? new MinimizeOptions();
        if (secondOptions.MaxFunctionEvaluations is long budget)
            secondOptions = secondOptions with { MaxFunctionEvaluations = Math.Max(1, budget - first.FunctionEvaluations) };
        var second = Minimizers.Create(fallbackName).Minimize(objective, first.X, bounds, secondOptions, cancellationToken);
        var better = second.F <= first.F ? second : first;
        return Relabel(better, $"auto/{firstName}+{fallbackName}", first, second, options);
    }

    private static MinimizationResult Relabel(MinimizationResult chosen, string name, MinimizationResult first,
        MinimizationResult? second, MinimizeOptions? options)
    {
        var counts = new EvaluationCounts(
            first.FunctionEvaluations + (second?.FunctionEvaluations ?? 0),
            first.GradientEvaluations + (second?.GradientEvaluations ?? 0),
            first.HessianEvaluations + (second?.HessianEvaluations ?? 0),
            first.HessianVectorProducts + (second?.HessianVectorProducts ?? 0));
        string message = second is null
            ? chosen.Message
            : $"{first.Method}: {first.StatusName} (f = {first.F:G6}); then {second.Method}: {second.StatusName} (f = {second.F:G6}). {chosen.Message}";
        List<OptimizationTraceEntry>? trace = null;
        if (options?.KeepTrace == true)
        {
            trace = [.. first.Trace ?? []];
            if (second?.Trace is { } t2) trace.AddRange(t2);
        }
        return new MinimizationResult(name, chosen.X, chosen.F, chosen.GradientNorm, chosen.Status, chosen.ConvergedBy,
            message, first.Iterations + (second?.Iterations ?? 0), counts, first.InitialPointProjected, trace);
    }
}

public static partial class Minimizers
{
    static partial void AddAutomatic(List<MinimizerInfo> list) =>
        list.Add(new MinimizerInfo("auto", "Automatic choice by capability, with one fallback", "auto",
            ObjectiveCapabilities.Value, true,
            "Ordo's rule (docs/optimization/README.md), from the anchors' MGH results", () => new AutomaticMinimizer()));
}
