using System.Text.Json;
using Ordo.Integration;

namespace Ordo.Problems;

/// <summary>
/// The built-in ODE reference problems. Right-hand sides are written here in C#; initial values, intervals and
/// reference solutions (with their provenance) come from the embedded copy of
/// <c>../shared/research/ode-data/problems.json</c> (closed forms evaluated with 40-digit mpmath, or extended-precision
/// runs cross-checked against published values).
/// </summary>
public static partial class OdeTestProblems
{
    private static readonly Lazy<IReadOnlyList<OdeTestProblem>> s_nonStiff = new(BuildNonStiff);

    /// <summary>The 29 non-stiff problems: DETEST A1–E5 (Hull et al. 1972; Enright &amp; Pryce 1987), Lotka–Volterra,
    /// the Arenstorf orbit, Pleiades and the 1-D Brusselator (Hairer, Nørsett &amp; Wanner, <i>Solving ODEs I</i>).</summary>
    public static IReadOnlyList<OdeTestProblem> NonStiff => s_nonStiff.Value;

    private static readonly Lazy<IReadOnlyList<OdeTestProblem>> s_withExact = new(() => All.Where(p => p.Exact is not null).ToArray());

    /// <summary>Every built-in problem.</summary>
    public static IReadOnlyList<OdeTestProblem> All => NonStiff;

    /// <summary>The problems with a closed-form solution <see cref="OdeTestProblem.Exact"/> (for convergence-order and
    /// dense-output tests): DETEST A1–A4, D1–D5 (Kepler's equation) and E1 (Bessel function of order ½).</summary>
    public static IReadOnlyList<OdeTestProblem> WithExactSolution => s_withExact.Value;

    /// <summary>Finds a problem of <see cref="All"/> or <see cref="Stiff"/> by name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static OdeTestProblem Get(string name) =>
        All.Concat(Stiff).FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown problem '{name}'; known problems: {string.Join(", ", All.Concat(Stiff).Select(p => p.Name))}.", nameof(name));

    /// <summary>Reads one problem's data (y0, interval, reference) from the embedded problems.json.</summary>
    private static OdeTestProblem FromData(JsonElement data, OdeFunction<double> rhs, Func<double, double[]>? exact = null,
        OdeJacobian<double>? jacobian = null)
    {
        string name = data.GetProperty("name").GetString()!;
        double[] y0 = data.GetProperty("y0").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double[]? reference = null;
        string referenceSource = "";
        if (data.TryGetProperty("reference", out JsonElement r) && r.ValueKind == JsonValueKind.Object)
        {
            reference = r.GetProperty("y").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            referenceSource = r.GetProperty("source").GetString() ?? "";
            if (r.TryGetProperty("accuracy", out JsonElement acc)) referenceSource += "; " + acc.GetString();
        }
        return new OdeTestProblem(
            name,
            data.GetProperty("category").GetString()!,
            data.GetProperty("description").GetString() ?? name,
            rhs,
            data.GetProperty("t0").GetDouble(),
            data.GetProperty("tf").GetDouble(),
            y0,
            reference,
            referenceSource,
            data.TryGetProperty("suggested_atol_factor", out JsonElement f) ? f.GetDouble() : 1e-3,
            exact,
            data.TryGetProperty("equations", out JsonElement eq) ? eq.GetString() ?? "" : "",
            jacobian);
    }

    private static Dictionary<string, JsonElement> LoadData()
    {
        using Stream stream = typeof(OdeTestProblems).Assembly.GetManifestResourceStream("Ordo.Problems.ode-problems.json")
            ?? throw new InvalidOperationException("The embedded resource ode-problems.json is missing. This is a bug in Ordo.Problems.");
        using JsonDocument doc = JsonDocument.Parse(stream);
        return doc.RootElement.GetProperty("problems").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.Clone());
    }

    private static IReadOnlyList<OdeTestProblem> BuildNonStiff()
    {
        Dictionary<string, JsonElement> data = LoadData();
        return
        [
            // DETEST A1 (Hull et al. 1972): exponential decay y' = −y. The others are in OdeTestProblems.NonStiff.cs.
            FromData(data["DETEST_A1"], static (t, y, dy) => dy[0] = -y[0], static t => [Math.Exp(-t)]),
            .. NonStiffRest(data),
        ];
    }

    private static partial IEnumerable<OdeTestProblem> NonStiffRest(Dictionary<string, JsonElement> data);
}
