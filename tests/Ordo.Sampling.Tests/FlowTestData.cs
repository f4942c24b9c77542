using System.Text.Json;

namespace Ordo.Sampling.Tests;

/// <summary>The reference data of flows.md §8 and §10 (copied from ../shared/research/flows-data).</summary>
internal static class FlowTestData
{
    private static readonly Lazy<JsonDocument> s_golden = new(() => Load("golden_solver_outputs_GMM2_N8.json"));
    private static readonly Lazy<JsonDocument> s_trajectories = new(() => Load("reference_trajectories.json"));

    public static JsonElement Golden => s_golden.Value.RootElement;
    public static JsonElement Trajectories => s_trajectories.Value.RootElement;

    public static double[] Array(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    /// <summary>The exact state of a model's trajectory at a noise level (keys "1.0", "0.95", ... "0.0").</summary>
    public static double[] TrajectoryState(string model, string direction, string point, string level) =>
        Array(Trajectories.GetProperty("trajectories").GetProperty(model).GetProperty(direction).GetProperty(point).GetProperty(level));

    public static readonly double[] Gmm2ZA = [0.3, -0.7], Gmm2ZB = [-1.2, 0.4], Gmm2ZC = [0.05, 0.1], Gmm2ZD = [1.5, 1.5];
    public static readonly double[] Gmm2XA = [1.8, 1.2], Gmm2XB = [-1.4, -0.2], Gmm2XC = [0.2, 0.3];
    public static readonly double[] Gmm3ZA = [0.3, -0.7, 0.2], Gmm3ZB = [-0.5, 0.9, -1.1];
    public static readonly double[] Gmm3XA = [1.4, 0.3, -0.8], Gmm3XB = [-0.2, -1.0, 0.9];

    private static JsonDocument Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", name)));
}
