using System.Reflection;
using System.Text.Json;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Problems.Optimization;

/// <summary>The 35 Moré–Garbow–Hillstrom problems (see <see cref="MghProblem"/>), read from the embedded data.</summary>
public static class MghProblems
{
    private const string Prefix = "Ordo.Problems.mgh.";
    private static readonly Lazy<IReadOnlyList<MghProblem>> s_all = new(Load);

    /// <summary>All 35 problems, in order of their number.</summary>
    public static IReadOnlyList<MghProblem> All => s_all.Value;

    /// <summary>Problem <paramref name="id"/> (1–35).</summary>
    public static MghProblem Get(int id)
    {
        if (id < 1 || id > All.Count) throw new ArgumentOutOfRangeException(nameof(id), id, $"MGH problems are numbered 1 to {All.Count}.");
        return All[id - 1];
    }

    private static IReadOnlyList<MghProblem> Load()
    {
        Assembly assembly = typeof(MghProblems).Assembly;
        string[] resources = assembly.GetManifestResourceNames();
        using JsonDocument meta = JsonDocument.Parse(Read(assembly, Prefix + "mgh.json"));
        var problems = new List<MghProblem>();
        foreach (JsonElement p in meta.RootElement.GetProperty("problems").EnumerateArray())
        {
            int id = p.GetProperty("id").GetInt32();
            string file = resources.Single(r => r.StartsWith($"{Prefix}{id:D2}-", StringComparison.Ordinal));
            string shortName = "mgh/" + file[Prefix.Length..];
            MghBoundedVariant? bounded = null;
            if (p.TryGetProperty("bounded_variant", out JsonElement b))
            {
                bounded = new MghBoundedVariant(Numbers(b, "lower"), Numbers(b, "upper"), b.GetProperty("f_star_computed").GetDouble(),
                    Numbers(b, "x_star"), Numbers(b, "x0_projected"));
            }
            problems.Add(new MghProblem(
                id,
                p.GetProperty("name").GetString()!,
                p.GetProperty("n").GetInt32(),
                p.GetProperty("m").GetInt32(),
                Numbers(p, "x0"),
                p.GetProperty("f_star").GetDouble(),
                p.GetProperty("f_x0").GetDouble(),
                p.TryGetProperty("x_star", out JsonElement xs) && xs.ValueKind == JsonValueKind.Array ? Numbers(p, "x_star") : null,
                p.GetProperty("f_at_x_star").GetDouble(),
                p.TryGetProperty("f_local_minima", out _) ? Numbers(p, "f_local_minima") : [],
                Numbers(p, "grad_x0"),
                bounded,
                () => (LeastSquaresProblemFile)ProblemFileReader.Parse(Read(assembly, file), shortName)));
        }
        for (int i = 0; i < problems.Count; i++)
            if (problems[i].Id != i + 1) throw new InvalidOperationException($"mgh.json: problem {i + 1} is missing or out of order.");
        return problems;
    }

    private static double[] Numbers(JsonElement e, string name) => [.. e.GetProperty(name).EnumerateArray().Select(v => v.GetDouble())];

    private static byte[] Read(Assembly assembly, string resource)
    {
        using Stream stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
