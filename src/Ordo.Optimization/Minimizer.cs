using System.Globalization;

namespace Ordo.Optimization;

/// <summary>A minimization method, usable without knowing its objective type (the registry, <c>auto</c>, the CLI).
/// Typed use goes through <see cref="Minimizer{TObjective}.Minimize(TObjective, ReadOnlySpan{double}, Bounds?, MinimizeOptions?, CancellationToken)"/>,
/// which does not compile for an objective lacking what the method needs.</summary>
public interface IMinimizer
{
    /// <summary>The registry name, lower case (e.g. "lbfgs").</summary>
    string Name { get; }

    /// <summary>What the objective must provide.</summary>
    ObjectiveCapabilities Requires { get; }

    /// <summary>True when the method honours <see cref="Bounds"/>.</summary>
    bool SupportsBounds { get; }

    /// <summary>The iteration limit used when <see cref="MinimizeOptions.MaxIterations"/> is null.</summary>
    int DefaultMaxIterations { get; }

    /// <summary>Minimizes <paramref name="objective"/> from <paramref name="x0"/>.</summary>
    /// <exception cref="ArgumentException">The objective lacks a capability the method needs, dimensions differ, x0 is
    /// not finite, or bounds are given to a method without bound support.</exception>
    MinimizationResult Minimize(IObjective objective, ReadOnlySpan<double> x0, Bounds? bounds = null,
        MinimizeOptions? options = null, CancellationToken cancellationToken = default);
}

/// <summary>What one iteration of a method reports to the driver.</summary>
public enum StepOutcome
{
    /// <summary>The iteration finished; the driver applies the stopping tests.</summary>
    Continue,
    /// <summary>The method's own convergence test held (<see cref="MinimizerRun.Message"/> states it).</summary>
    Converged,
    /// <summary>No acceptable step along the search direction.</summary>
    LineSearchFailed,
    /// <summary>The method cannot make progress (radius or step below rounding level).</summary>
    Stalled,
    /// <summary>The objective is non-finite where the method stands and it cannot back off.</summary>
    NonFinite,
}

/// <summary>
/// The state of one method during one run, and its update rule (optax's shape: state plus one step). The driver in
/// <see cref="Minimizer{TObjective}"/> owns the loop, the stopping tests, the budget, the callback, the trace and the
/// result; a method only says how to start and how to take one iteration. All buffers are allocated in the
/// constructor, so <see cref="Step"/> allocates nothing.
/// </summary>
public abstract class MinimizerRun
{
    /// <summary>Allocates the iterate.</summary>
    protected MinimizerRun(ObjectiveEvaluator evaluator, Bounds? bounds)
    {
        Evaluator = evaluator;
        Bounds = bounds is { IsBounded: true } ? bounds : null;
        X = new double[evaluator.Dimension];
    }

    /// <summary>The counting, best-tracking view of the objective.</summary>
    public ObjectiveEvaluator Evaluator { get; }

    /// <summary>The bounds, or null when unbounded.</summary>
    public Bounds? Bounds { get; }

    /// <summary>n.</summary>
    public int Dimension => X.Length;

    /// <summary>The current iterate. The driver writes x0 (projected onto the bounds) here before <see cref="Start"/>.</summary>
    public double[] X { get; }

    /// <summary>f at <see cref="X"/>.</summary>
    public double F { get; protected set; } = double.NaN;

    /// <summary>‖∇f(X)‖∞, projected under bounds; NaN for methods that do not use gradients.</summary>
    public double GradientNorm { get; protected set; } = double.NaN;

    /// <summary>‖x_k − x_{k−1}‖∞ of the last iteration (0 when the step was rejected).</summary>
    public double StepNorm { get; protected set; }

    /// <summary>When <see cref="Step"/> returns something other than <see cref="StepOutcome.Continue"/>: why, in words.</summary>
    public string? Message { get; protected set; }

    /// <summary>Evaluates the objective at <see cref="X"/> and sets <see cref="F"/> (and <see cref="GradientNorm"/>).</summary>
    public abstract StepOutcome Start();

    /// <summary>One iteration: updates <see cref="X"/>, <see cref="F"/>, <see cref="GradientNorm"/>, <see cref="StepNorm"/>.</summary>
    public abstract StepOutcome Step();

    /// <summary>‖g‖∞, or the projected-gradient norm under bounds.</summary>
    protected double StationarityNorm(ReadOnlySpan<double> gradient)
        => Bounds is null ? InfinityNorm(gradient) : Bounds.ProjectedGradientNorm(X, gradient);

    /// <summary>max |vᵢ| (NaN if some element is NaN).</summary>
    public static double InfinityNorm(ReadOnlySpan<double> v)
    {
        double m = 0;
        foreach (double a in v)
        {
            double b = Math.Abs(a);
            if (!(b <= m)) m = b;
        }
        return m;
    }
}

/// <summary>
/// The base of every minimization method: validation and the driver loop, written once. A method derives from this
/// with the weakest objective type it accepts and supplies a <see cref="MinimizerRun"/>.
/// </summary>
/// <typeparam name="TObjective">The objective capability the method needs.</typeparam>
public abstract class Minimizer<TObjective> : IMinimizer where TObjective : class, IObjective
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public virtual ObjectiveCapabilities Requires => RequiredBy(typeof(TObjective));

    /// <inheritdoc/>
    public virtual bool SupportsBounds => false;

    /// <inheritdoc/>
    public virtual int DefaultMaxIterations => 1000;

    /// <summary>True when the method uses gradients (the result then reports ‖∇f‖ at the best point).</summary>
    protected virtual bool UsesGradient => Requires.HasFlag(ObjectiveCapabilities.Gradient) || Requires.HasFlag(ObjectiveCapabilities.Residuals);

    /// <summary>Creates the method's state for one run (all allocation happens here).</summary>
    protected abstract MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options);

    /// <summary>Checks method-specific requirements (e.g. residual count ≥ 1); called once before the run.</summary>
    protected virtual void Validate(IObjective objective, Bounds? bounds) { }

    private static ObjectiveCapabilities RequiredBy(Type t)
    {
        if (t == typeof(IHessianObjective)) return ObjectiveCapabilities.Value | ObjectiveCapabilities.Gradient | ObjectiveCapabilities.HessianVectorProduct | ObjectiveCapabilities.Hessian;
        if (t == typeof(IHessianVectorObjective)) return ObjectiveCapabilities.Value | ObjectiveCapabilities.Gradient | ObjectiveCapabilities.HessianVectorProduct;
        if (t == typeof(IGradientObjective)) return ObjectiveCapabilities.Value | ObjectiveCapabilities.Gradient;
        if (t == typeof(ILeastSquaresObjective)) return ObjectiveCapabilities.Value | ObjectiveCapabilities.Residuals;
        return ObjectiveCapabilities.Value;
    }

    MinimizationResult IMinimizer.Minimize(IObjective objective, ReadOnlySpan<double> x0, Bounds? bounds,
        MinimizeOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var have = Capabilities.Of(objective);
        if ((have & Requires) != Requires)
            throw new ArgumentException(
                $"Method '{Name}' needs an objective with {Capabilities.Describe(Requires)}, but this objective has only {Capabilities.Describe(have)}.",
                nameof(objective));
        return Run(objective, x0, bounds, options, cancellationToken);
    }

    /// <summary>Minimizes <paramref name="objective"/> from <paramref name="x0"/>.</summary>
    /// <param name="objective">The objective.</param>
    /// <param name="x0">The start point (length n, finite). Outside the bounds it is projected, and the result says so.</param>
    /// <param name="bounds">Box constraints, for methods with <see cref="SupportsBounds"/>.</param>
    /// <param name="options">Stopping tests and budgets; null for the defaults.</param>
    /// <param name="cancellationToken">Checked at every evaluation; a cancelled run returns status <see cref="OptimizationStatus.Cancelled"/>.</param>
    /// <exception cref="ArgumentException">Dimension mismatch, non-finite x0, bounds to a method without bound support, or a bad option.</exception>
    /// <exception cref="ObjectiveEvaluationException">The objective threw; the exception carries the result so far.</exception>
    public MinimizationResult Minimize(TObjective objective, ReadOnlySpan<double> x0, Bounds? bounds = null,
        MinimizeOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return Run(objective, x0, bounds, options, cancellationToken);
    }

    private MinimizationResult Run(IObjective objective, ReadOnlySpan<double> x0, Bounds? bounds,
        MinimizeOptions? options, CancellationToken cancellationToken)
    {
        options ??= new MinimizeOptions();
        options.Validate();
        int n = objective.Dimension;
        if (n <= 0) throw new ArgumentException($"The objective has dimension {n}; it must be at least 1.", nameof(objective));
        Guard.Length(x0.Length, n, nameof(x0));
        Guard.AllFinite(x0, nameof(x0));
        if (bounds is not null)
        {
            Guard.Length(bounds.Dimension, n, nameof(bounds), "the objective's dimension");
            if (bounds.IsBounded && !SupportsBounds)
                throw new ArgumentException($"Method '{Name}' does not handle bounds; use 'lbfgsb' (gradient) or 'nelder-mead' (values only).", nameof(bounds));
        }
        Validate(objective, bounds);

        int maxIterations = options.MaxIterations ?? DefaultMaxIterations;
        var evaluator = new ObjectiveEvaluator(objective, options.MaxFunctionEvaluations ?? long.MaxValue, cancellationToken);
        var run = CreateRun(evaluator, bounds, options);
        x0.CopyTo(run.X);
        int projectedCount = run.Bounds?.Project(run.X) ?? 0;
        List<OptimizationTraceEntry>? trace = options.KeepTrace ? new List<OptimizationTraceEntry>() : null;

        var status = OptimizationStatus.MaxIterations;
        var test = ConvergenceTest.None;
        string message = "";
        int iteration = 0;
        try
        {
            var outcome = run.Start();
            double g0 = run.GradientNorm;
            double gtol = Math.Max(options.GradientAbsoluteTolerance, double.IsFinite(g0) ? options.GradientTolerance * g0 : 0);
            trace?.Add(new OptimizationTraceEntry(0, run.F, run.GradientNorm, 0, evaluator.FunctionEvaluations, evaluator.GradientEvaluations));
            if (!double.IsFinite(run.F) || outcome == StepOutcome.NonFinite)
            {
                status = OptimizationStatus.NonFiniteObjective;
                message = $"f(x0) = {Fmt(run.F)}: the objective is not finite at the start point.";
                goto done;
            }
            if (double.IsFinite(g0) && g0 <= options.GradientAbsoluteTolerance || g0 == 0)
            {
                status = OptimizationStatus.Converged;
                test = ConvergenceTest.Gradient;
                message = $"‖g‖∞ = {Fmt(g0)} at x0 is at or below the absolute gradient tolerance {Fmt(options.GradientAbsoluteTolerance)}.";
                goto done;
            }

            double bestSeen = evaluator.BestF;
            long bestUpdates = evaluator.BestUpdates;
            int sinceImprovement = 0;
            while (true)
            {
                if (iteration >= maxIterations)
                {
                    status = OptimizationStatus.MaxIterations;
                    message = $"Reached the iteration limit {maxIterations} with ‖g‖∞ = {Fmt(run.GradientNorm)} (tolerance {Fmt(gtol)}).";
                    break;
                }
                cancellationToken.ThrowIfCancellationRequested();
                double fPrevious = run.F;
                outcome = run.Step();
                iteration++;
                trace?.Add(new OptimizationTraceEntry(iteration, run.F, run.GradientNorm, run.StepNorm, evaluator.FunctionEvaluations, evaluator.GradientEvaluations));
                if (outcome != StepOutcome.Continue)
                {
                    (status, test) = outcome switch
                    {
                        StepOutcome.Converged => (OptimizationStatus.Converged, ConvergenceTest.MethodSpecific),
                        StepOutcome.LineSearchFailed => (OptimizationStatus.LineSearchFailed, ConvergenceTest.None),
                        StepOutcome.Stalled => (OptimizationStatus.Stalled, ConvergenceTest.None),
                        _ => (OptimizationStatus.NonFiniteObjective, ConvergenceTest.None),
                    };
                    message = run.Message ?? outcome.ToString();
                    if (outcome == StepOutcome.LineSearchFailed)
                        message += $" ‖g‖∞ = {Fmt(run.GradientNorm)} (tolerance {Fmt(gtol)}).";
                    if (outcome is StepOutcome.LineSearchFailed or StepOutcome.Stalled)
                        message += RoundingHint(run.GradientNorm, g0);
                    break;
                }
                if (!double.IsFinite(run.F))
                {
                    status = OptimizationStatus.NonFiniteObjective;
                    message = $"f = {Fmt(run.F)} at iteration {iteration}: the method accepted a point where the objective is not finite.";
                    break;
                }
                double gn = run.GradientNorm;
                if (gn <= gtol)
                {
                    status = OptimizationStatus.Converged;
                    test = ConvergenceTest.Gradient;
                    message = $"‖g‖∞ = {Fmt(gn)} ≤ {Fmt(gtol)} (GradientTolerance {Fmt(options.GradientTolerance)} × ‖g0‖∞ {Fmt(g0)}, or the absolute tolerance).";
                    break;
                }
                if (options.FunctionTolerance > 0 && run.StepNorm > 0)
                {
                    double change = Math.Abs(fPrevious - run.F);
                    double scale = Math.Max(Math.Abs(run.F), Math.Abs(fPrevious));
                    if (change <= options.FunctionTolerance * scale)
                    {
                        status = OptimizationStatus.Converged;
                        test = ConvergenceTest.FunctionChange;
                        message = $"|Δf| = {Fmt(change)} ≤ FunctionTolerance {Fmt(options.FunctionTolerance)} × max(|f|, |f_prev|) = {Fmt(options.FunctionTolerance * scale)}.";
                        break;
                    }
                }
                if (options.StepTolerance > 0 && run.StepNorm > 0)
                {
                    double scale = Math.Max(1, MinimizerRun.InfinityNorm(run.X));
                    if (run.StepNorm <= options.StepTolerance * scale)
                    {
                        status = OptimizationStatus.Converged;
                        test = ConvergenceTest.Step;
                        message = $"‖Δx‖∞ = {Fmt(run.StepNorm)} ≤ StepTolerance {Fmt(options.StepTolerance)} × max(1, ‖x‖∞).";
                        break;
                    }
                }
                if (evaluator.BestUpdates != bestUpdates) { bestUpdates = evaluator.BestUpdates; bestSeen = evaluator.BestF; sinceImprovement = 0; }
                else if (++sinceImprovement >= options.StallIterations)
                {
                    status = OptimizationStatus.Stalled;
                    message = $"The best value {Fmt(bestSeen)} did not decrease in {options.StallIterations} iterations; ‖g‖∞ = {Fmt(gn)} (tolerance {Fmt(gtol)})." + RoundingHint(gn, g0);
                    break;
                }
                if (options.Callback is { } callback)
                {
                    var progress = new OptimizationProgress(iteration, run.X, run.F, gn, evaluator.BestF, evaluator.FunctionEvaluations, evaluator.GradientEvaluations);
                    if (callback(in progress) == CallbackAction.Stop)
                    {
                        status = OptimizationStatus.StoppedByCallback;
                        message = $"The callback stopped the run at iteration {iteration}.";
                        break;
                    }
                }
            }
        }
        catch (EvaluationBudgetExhaustedException)
        {
            status = OptimizationStatus.MaxEvaluations;
            message = $"Reached the limit of {options.MaxFunctionEvaluations} objective evaluations; the result is the best point evaluated.";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = OptimizationStatus.Cancelled;
            message = $"Cancelled at iteration {iteration}; the result is the best point evaluated.";
        }
        catch (ObjectiveThrewException e)
        {
            var partial = BuildResult(run, evaluator, OptimizationStatus.Stalled, ConvergenceTest.None,
                $"The objective threw {e.InnerException!.GetType().Name} at iteration {iteration}.", iteration, projectedCount, trace, x0, false);
            throw new ObjectiveEvaluationException(
                $"The objective threw {e.InnerException!.GetType().Name} during '{Name}' at iteration {iteration}: {e.InnerException.Message} " +
                $"(PartialResult holds the best point evaluated, f = {Fmt(partial.F)}).", e.InnerException, partial);
        }

    done:
        if (projectedCount > 0)
            message += $" x0 was outside the bounds in {projectedCount} component(s) and was projected onto them.";
        bool mayEvaluate = status is not (OptimizationStatus.MaxEvaluations or OptimizationStatus.Cancelled);
        return BuildResult(run, evaluator, status, test, message.Trim(), iteration, projectedCount, trace, x0, mayEvaluate);
    }

    private MinimizationResult BuildResult(MinimizerRun run, ObjectiveEvaluator evaluator, OptimizationStatus status,
        ConvergenceTest test, string message, int iterations, int projectedCount, List<OptimizationTraceEntry>? trace,
        ReadOnlySpan<double> x0, bool mayEvaluate)
    {
        double[] x;
        double f;
        if (double.IsFinite(evaluator.BestF))
        {
            x = evaluator.BestX.ToArray();
            f = evaluator.BestF;
        }
        else
        {
            x = run.X.ToArray();
            f = run.F;
        }
        double gradientNorm = double.NaN;
        if (UsesGradient && double.IsFinite(f))
        {
            if (!evaluator.BestHasGradient && mayEvaluate && evaluator.HasGradient)
            {
                try
                {
                    var g = new double[x.Length];
                    evaluator.ValueAndGradient(x, g);
                }
                catch (Exception e) when (e is EvaluationBudgetExhaustedException or ObjectiveThrewException or OperationCanceledException)
                {
                    // The gradient at the best point stays unknown (NaN).
                }
            }
            if (evaluator.BestHasGradient)
            {
                gradientNorm = run.Bounds is null
                    ? MinimizerRun.InfinityNorm(evaluator.BestGradient)
                    : run.Bounds.ProjectedGradientNorm(evaluator.BestX, evaluator.BestGradient);
            }
        }
        return new MinimizationResult(Name, x, f, gradientNorm, status, test, message, iterations, evaluator.Counts,
            projectedCount > 0, trace);
    }

    /// <summary>What a stop without convergence most likely means, from how far the gradient fell.</summary>
    private static string RoundingHint(double gradientNorm, double g0) =>
        double.IsFinite(gradientNorm) && double.IsFinite(g0) && gradientNorm <= 1e-6 * g0
            ? " The gradient fell by more than 1e6 from x0: this is most likely the rounding limit near a minimizer with f* ≠ 0, where f can no longer resolve progress; the point is probably as good as double precision allows (loosen GradientTolerance to have it reported as converged)."
            : " If ‖g‖ is far from zero, check the gradient (GradientChecker) and the scaling of the variables.";

    private static string Fmt(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
