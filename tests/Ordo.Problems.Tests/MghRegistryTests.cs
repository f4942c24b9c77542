using System.Globalization;
using System.Text;
using Ordo.Optimization;
using Ordo.Problems.Optimization;
using Xunit.Abstractions;

namespace Ordo.Problems.Tests;

/// <summary>
/// Every registered minimization method × every MGH problem, from x0 with default options: the solved set
/// (f − F* ≤ 1e-6·(F(x0) − F*) on the result's best value) must equal the table below, and a run that claims
/// convergence without solving must stop at one of the problem's known local minima. Adding a method means adding one
/// row; a row whose "known failure" starts passing fails the test too, so the table stays true.
/// </summary>
public class MghRegistryTests(ITestOutputHelper output)
{
    private const double Tau = 1e-6;

    /// <summary>Per method: the MGH ids it does NOT solve, each with a one-line reason.</summary>
    private static readonly Dictionary<string, Dictionary<int, string>> s_knownUnsolved = new(StringComparer.Ordinal)
    {
        // Steepest descent: linear rate (κ−1)/(κ+1), so every badly conditioned problem ends at the 10000-iteration limit.
        ["gd"] = new()
        {
            [2] = "converges to the known local minimum F = 48.9843",
            [3] = "badly scaled (x* = (1.1e-5, 9.1)): zigzags to the iteration limit at relative gap 0.12",
            [4] = "badly scaled (x* = (1e6, 2e-6)): iteration limit at relative gap 0.99",
            [10] = "Meyer: ill-conditioned exponential fit, iteration limit at relative gap 4e-3",
            [11] = "Gulf: flat valley, iteration limit at relative gap 0.4",
            [15] = "iteration limit at relative gap 8.6e-6 (linear rate)",
            [17] = "Osborne 1: iteration limit at relative gap 3.6e-4",
            [18] = "Biggs EXP6: iteration limit near the local minimum 5.66e-3",
            [19] = "Osborne 2: iteration limit at relative gap 7.9e-5",
            [20] = "Watson: iteration limit at relative gap 1.3e-4",
            [26] = "line search fails at the known local minimum F = 2.79506e-5",
            [31] = "converges to the local minimum F = 3.05728 (Hessian positive definite there; added to the data)",
        },
    };

    public static TheoryData<string> Methods => [.. Minimizers.Names];

    [Theory]
    [MemberData(nameof(Methods))]
    public void SolvedSetMatchesTheTable(string name)
    {
        MinimizerInfo method = Minimizers.Find(name);
        IReadOnlyList<MghRun> runs = MghSweep.RunAll(method);
        MghMethodSummary summary = MghSweep.Summarize(runs, Tau);
        output.WriteLine(MghSweep.FormatTable([summary]));
        foreach (MghRun run in runs) output.WriteLine(Describe(run));

        var problems = new List<string>();
        foreach (MghRun run in runs.Where(r => r.Error is not null))
            problems.Add($"MGH {run.Problem.Id}: the run threw {run.Error}");
        foreach (MghRun run in runs.Where(r => r.ConvergedButUnsolved(Tau) && !r.Problem.IsAtLocalMinimum(r.Result!.F)))
            problems.Add($"MGH {run.Problem.Id}: status converged ({run.Result!.ConvergedBy}) but f = {run.Result.F:R} is neither within τ of F* = {run.Problem.FStar:R} nor at a known local minimum ({string.Join(", ", run.Problem.LocalMinima)}): {run.Result.Message}");

        if (!s_knownUnsolved.TryGetValue(name, out Dictionary<int, string>? known))
        {
            problems.Add($"'{name}' has no row in the table; measured row:{Environment.NewLine}{SuggestedRow(name, runs)}");
        }
        else
        {
            foreach (MghRun run in runs.Where(r => r.NotApplicable is null))
            {
                bool solved = run.IsSolved(Tau);
                bool listed = known.TryGetValue(run.Problem.Id, out string? reason);
                if (!solved && !listed) problems.Add($"MGH {run.Problem.Id} {run.Problem.Name}: not solved but not listed as a known failure. {Describe(run)}");
                if (solved && listed) problems.Add($"MGH {run.Problem.Id} {run.Problem.Name}: now solved, but listed as a known failure ('{reason}'): remove it from the table. {Describe(run)}");
            }
            foreach (int id in known.Keys.Where(id => runs.Any(r => r.Problem.Id == id && r.NotApplicable is not null)))
                problems.Add($"MGH {id}: listed, but '{name}' does not apply to it ({runs.First(r => r.Problem.Id == id).NotApplicable}).");
            if (problems.Count > 0) problems.Add($"measured row:{Environment.NewLine}{SuggestedRow(name, runs)}");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void EveryRowIsARegisteredMethod()
    {
        string[] stale = [.. s_knownUnsolved.Keys.Where(k => !Minimizers.Names.Contains(k))];
        Assert.True(stale.Length == 0, $"rows for methods that are not registered: {string.Join(", ", stale)}");
        foreach ((string method, Dictionary<int, string> row) in s_knownUnsolved)
        {
            foreach ((int id, string reason) in row)
            {
                Assert.InRange(id, 1, 35);
                Assert.False(string.IsNullOrWhiteSpace(reason), $"{method}: MGH {id} needs a reason");
            }
        }
    }

    private static string Describe(MghRun run)
    {
        if (run.NotApplicable is not null) return $"MGH {run.Problem.Id}: not applicable ({run.NotApplicable})";
        if (run.Error is not null) return $"MGH {run.Problem.Id}: error {run.Error}";
        MinimizationResult r = run.Result!;
        double gap = (r.F - run.Problem.FStar) / (run.Problem.FAtX0 - run.Problem.FStar);
        return string.Create(CultureInfo.InvariantCulture,
            $"MGH {run.Problem.Id} {run.Problem.Name}: {r.StatusName}, f = {r.F:G6}, relative gap {gap:G3}, {r.Iterations} it, {r.FunctionEvaluations} f, {r.GradientEvaluations} g{(run.IsSolved(Tau) ? ", solved" : "")}");
    }

    private static string SuggestedRow(string name, IReadOnlyList<MghRun> runs)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"        [\"{name}\"] = new()");
        sb.AppendLine("        {");
        foreach (MghRun run in runs.Where(r => r.NotApplicable is null && !r.IsSolved(Tau)))
        {
            string what = run.Result is { } r ? $"{r.StatusName} at f = {r.F:G6}" : $"error {run.Error}";
            sb.AppendLine(CultureInfo.InvariantCulture, $"            [{run.Problem.Id}] = \"{what}: REASON\",");
        }
        sb.Append("        },");
        return sb.ToString();
    }
}
