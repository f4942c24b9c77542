using System.Globalization;
using System.Text;
using Ordo.Optimization;

namespace Ordo.Problems.Optimization;

/// <summary>One method on one MGH problem.</summary>
/// <param name="Method">The method's registry name.</param>
/// <param name="Problem">The problem.</param>
/// <param name="Result">The result; null when the method does not apply (<paramref name="NotApplicable"/>) or threw
/// (<paramref name="Error"/>).</param>
/// <param name="NotApplicable">Why the method refused the problem before evaluating it (e.g. a 1-D method on n = 2),
/// or null.</param>
/// <param name="Error">The exception the run threw after it started, or null.</param>
public sealed record MghRun(string Method, MghProblem Problem, MinimizationResult? Result, string? NotApplicable, string? Error)
{
    /// <summary>True when the run's best value passes <see cref="MghProblem.IsSolved"/> at <paramref name="tau"/>.</summary>
    public bool IsSolved(double tau = 1e-6) => Result is { } r && Problem.IsSolved(r.F, tau);

    /// <summary>True when the run claimed convergence but did not solve the problem at <paramref name="tau"/>.</summary>
    public bool ConvergedButUnsolved(double tau = 1e-6) => Result is { Status: OptimizationStatus.Converged } && !IsSolved(tau);
}

/// <summary>One row of the per-method MGH table.</summary>
/// <param name="Method">Registry name.</param>
/// <param name="Solved">Problems solved (f − F* ≤ τ·(F(x0) − F*)).</param>
/// <param name="Attempted">Problems the method ran on (not refused).</param>
/// <param name="ConvergedButUnsolved">Runs that claimed convergence without solving (at a known local minimum or not).</param>
/// <param name="MedianFunctionEvaluations">Median objective evaluations over the attempted runs.</param>
/// <param name="MedianGradientEvaluations">Median gradient (Jacobian) evaluations over the attempted runs.</param>
/// <param name="Unsolved">Ids of the attempted problems not solved.</param>
/// <param name="Tau">The τ of the solved test.</param>
public sealed record MghMethodSummary(string Method, int Solved, int Attempted, int ConvergedButUnsolved,
    double MedianFunctionEvaluations, double MedianGradientEvaluations, IReadOnlyList<int> Unsolved, double Tau);

/// <summary>
/// Runs minimization methods over the Moré–Garbow–Hillstrom set and tabulates them (used by the registry test and the
/// benchmark; writes nothing to the console). A method runs with default options from x0; its result counts as solved
/// when its best value passes <see cref="MghProblem.IsSolved"/>.
/// </summary>
public static class MghSweep
{
    /// <summary>Runs <paramref name="method"/> on one problem. A method that refuses the objective or its dimension
    /// before the first evaluation (an <see cref="ArgumentException"/>, e.g. a 1-D method) is not applicable; any
    /// exception after the start is recorded as an error.</summary>
    public static MghRun Run(MinimizerInfo method, MghProblem problem, MinimizeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(problem);
        var objective = new Watched(problem.CreateObjective());
        var have = Capabilities.Of(objective);
        if ((have & method.Requires) != method.Requires)
            return new MghRun(method.Name, problem, null, $"needs {Capabilities.Describe(method.Requires)}", null);
        try
        {
            MinimizationResult result = method.Create().Minimize(objective, problem.X0, null, options);
            return new MghRun(method.Name, problem, result, null, null);
        }
        catch (ArgumentException e) when (!objective.Evaluated)
        {
            return new MghRun(method.Name, problem, null, e.Message, null);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ObjectiveEvaluationException or ArithmeticException or IndexOutOfRangeException)
        {
            return new MghRun(method.Name, problem, null, null, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Runs <paramref name="method"/> on <paramref name="problems"/> (default: all 35), in parallel across
    /// problems when <paramref name="parallel"/> is set; the runs come back in the order of the problems.</summary>
    public static IReadOnlyList<MghRun> RunAll(MinimizerInfo method, IEnumerable<MghProblem>? problems = null,
        MinimizeOptions? options = null, bool parallel = true)
    {
        ArgumentNullException.ThrowIfNull(method);
        MghProblem[] list = [.. problems ?? MghProblems.All];
        var runs = new MghRun[list.Length];
        if (parallel) Parallel.For(0, list.Length, i => runs[i] = Run(method, list[i], options));
        else for (int i = 0; i < list.Length; i++) runs[i] = Run(method, list[i], options);
        return runs;
    }

    /// <summary>The table row of <paramref name="runs"/> (all of one method).</summary>
    public static MghMethodSummary Summarize(IReadOnlyList<MghRun> runs, double tau = 1e-6)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0) throw new ArgumentException("No runs to summarize.", nameof(runs));
        MghRun[] attempted = [.. runs.Where(r => r.NotApplicable is null)];
        MinimizationResult[] results = [.. attempted.Where(r => r.Result is not null).Select(r => r.Result!)];
        return new MghMethodSummary(
            runs[0].Method,
            attempted.Count(r => r.IsSolved(tau)),
            attempted.Length,
            attempted.Count(r => r.ConvergedButUnsolved(tau)),
            Median(results.Select(r => (double)r.FunctionEvaluations)),
            Median(results.Select(r => (double)r.GradientEvaluations)),
            [.. attempted.Where(r => !r.IsSolved(tau)).Select(r => r.Problem.Id)],
            tau);
    }

    /// <summary>A Markdown table: method, solved / attempted, converged but unsolved, median f- and g-evaluations,
    /// unsolved ids.</summary>
    public static string FormatTable(IEnumerable<MghMethodSummary> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        sb.AppendLine("| method | solved | converged but unsolved | median f-evals | median g-evals | unsolved (MGH ids) |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (MghMethodSummary r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture,
                $"| {r.Method} | {r.Solved}/{r.Attempted} | {r.ConvergedButUnsolved} | {r.MedianFunctionEvaluations:0.#} | {r.MedianGradientEvaluations:0.#} | {(r.Unsolved.Count == 0 ? "–" : string.Join(", ", r.Unsolved))} |");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        double[] v = [.. values.Order()];
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

    /// <summary>Delegates to the MGH objective and notes whether anything was evaluated (to tell a method's refusal
    /// of the problem from a failure during the run).</summary>
    private sealed class Watched(MghObjective inner) : IHessianObjective, ILeastSquaresObjective
    {
        public bool Evaluated { get; private set; }
        public int Dimension => inner.Dimension;
        public int ResidualCount => inner.ResidualCount;

        public double Value(ReadOnlySpan<double> x)
        {
            Evaluated = true;
            return inner.Value(x);
        }

        public double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient)
        {
            Evaluated = true;
            return inner.ValueAndGradient(x, gradient);
        }

        public void HessianVectorProduct(ReadOnlySpan<double> x, ReadOnlySpan<double> v, Span<double> result)
        {
            Evaluated = true;
            inner.HessianVectorProduct(x, v, result);
        }

        public void Hessian(ReadOnlySpan<double> x, Span<double> hessian)
        {
            Evaluated = true;
            inner.Hessian(x, hessian);
        }

        public void Residuals(ReadOnlySpan<double> x, Span<double> residuals)
        {
            Evaluated = true;
            inner.Residuals(x, residuals);
        }

        public void Jacobian(ReadOnlySpan<double> x, Span<double> jacobian)
        {
            Evaluated = true;
            inner.Jacobian(x, jacobian);
        }
    }
}
