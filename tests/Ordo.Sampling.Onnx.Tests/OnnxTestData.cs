using System.Text.Json;

namespace Ordo.Sampling.Onnx.Tests;

/// <summary>The models and test vectors written by tools/onnx/make_velocity_model.py.</summary>
internal static class OnnxTestData
{
    private static readonly Lazy<JsonDocument> s_vectors = new(() =>
        JsonDocument.Parse(File.ReadAllText(PathOf("gmm2_velocity.json"))));

    /// <summary>The unconditional GMM2 network (noise level τ, noise at 1).</summary>
    public static string Unconditional => PathOf("gmm2_velocity.onnx");

    /// <summary>The class-conditional GMM2 network (input cond: one-hot over classes A and B).</summary>
    public static string Conditional => PathOf("gmm2_velocity_cond.onnx");

    /// <summary>A tiny signature-test model (v = x·t [+ cond]) or a broken one.</summary>
    public static string Signature(string name) => PathOf(Path.Combine("signatures", name + ".onnx"));

    public static JsonElement Vectors => s_vectors.Value.RootElement;

    public static float[][] Rows(string name) =>
        Vectors.GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray()).ToArray();

    public static double[][] RowsDouble(string name) =>
        Vectors.GetProperty(name).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    public static double[] Column(string name) => Vectors.GetProperty(name).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static OnnxVelocityModel OpenUnconditional() => new(Unconditional, FlowTimeConvention.NoiseAtOne);

    public static OnnxVelocityModel OpenConditional() => new(Conditional, FlowTimeConvention.NoiseAtOne);

    /// <summary>Deterministic standard-normal points (Box–Muller), count × d.</summary>
    public static float[] Noise(int count, int d, int seed)
    {
        var rng = new Random(seed);
        var z = new float[count * d];
        for (int i = 0; i < z.Length; i++)
        {
            double u1 = 1 - rng.NextDouble(), u2 = rng.NextDouble();
            z[i] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
        return z;
    }

    private static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);
}
