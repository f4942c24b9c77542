using Microsoft.ML.OnnxRuntime;

namespace Ordo.Sampling.Onnx;

/// <summary>
/// Options of an <see cref="OnnxVelocityModel"/>: the names of the network's inputs and output and how ONNX Runtime
/// runs it. The defaults fit a network exported with inputs <c>x</c>, <c>t</c>, optional <c>cond</c> and output
/// <c>v</c> (docs/sampling/onnx.md).
/// </summary>
public sealed record OnnxVelocityModelOptions
{
    /// <summary>Name of the points input, a float32 tensor [batch, d]. Default "x".</summary>
    public string PointsInput { get; init; } = "x";

    /// <summary>Name of the time input, a float32 tensor [batch], [batch, 1], [1], [1, 1] or a scalar (see <see cref="OnnxTimeLayout"/>). Default "t".</summary>
    public string TimeInput { get; init; } = "t";

    /// <summary>
    /// Name of the optional condition input, a float32 tensor [batch, c], [1, c] or [c] (see <see cref="OnnxConditionLayout"/>).
    /// A network without an input of this name is unconditional. Default "cond".
    /// </summary>
    public string ConditionInput { get; init; } = "cond";

    /// <summary>Name of the velocity output, a float32 tensor [batch, d]. Default "v".</summary>
    public string VelocityOutput { get; init; } = "v";

    /// <summary>
    /// ONNX Runtime's intra-op thread count (<see cref="SessionOptions.IntraOpNumThreads"/>). Default 1: the batches of
    /// a sampler are small, so one thread per model avoids thread hand-offs and lets the caller parallelise over
    /// models or batches instead. 0 lets ONNX Runtime choose (one thread per physical core).
    /// </summary>
    public int IntraOpNumThreads { get; init; } = 1;

    /// <summary>ONNX Runtime's graph optimisation level. Default <see cref="GraphOptimizationLevel.ORT_ENABLE_ALL"/>.</summary>
    public GraphOptimizationLevel GraphOptimizationLevel { get; init; } = GraphOptimizationLevel.ORT_ENABLE_ALL;

    /// <summary>
    /// Called with the session options after the settings above are applied and before the session is created, to
    /// add an execution provider, enable profiling and so on; null for none.
    /// </summary>
    public Action<SessionOptions>? ConfigureSession { get; init; }
}

/// <summary>The shape of the time input of an ONNX velocity network, as discovered from the model.</summary>
public enum OnnxTimeLayout
{
    /// <summary>[batch]: one time per point (all equal in a sampler's call).</summary>
    PerPoint,
    /// <summary>[batch, 1]: one time per point as a column (what the repository's generator exports).</summary>
    PerPointColumn,
    /// <summary>[1] or [1, 1]: one time for the whole batch.</summary>
    Shared,
    /// <summary>[] (rank 0): one time for the whole batch as a scalar.</summary>
    Scalar,
}

/// <summary>The shape of the condition input of an ONNX velocity network, as discovered from the model.</summary>
public enum OnnxConditionLayout
{
    /// <summary>The network has no condition input: it is unconditional.</summary>
    None,
    /// <summary>[batch, c]: the condition vector repeated for every point.</summary>
    PerPoint,
    /// <summary>[c] or [1, c]: one condition vector for the whole batch.</summary>
    Shared,
}
