using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Ordo.Sampling.Onnx;

/// <summary>
/// The inputs and output of a velocity network as read from an ONNX Runtime session, checked against the signature of
/// <see cref="OnnxVelocityModel"/>. Dimensions are ONNX Runtime's: −1 for a symbolic (free) dimension.
/// </summary>
internal sealed record OnnxSignature(
    int Dimension,
    int? FixedBatchSize,
    OnnxTimeLayout TimeLayout,
    int[] TimeDims,
    OnnxConditionLayout ConditionLayout,
    int ConditionLength,
    int[] ConditionDims)
{
    /// <summary>Reads and checks the signature; throws <see cref="InvalidDataException"/> naming what is wrong.</summary>
    public static OnnxSignature Read(InferenceSession session, OnnxVelocityModelOptions options, string what)
    {
        string model = OnnxVelocityModel.Describe(what);
        IReadOnlyDictionary<string, NodeMetadata> inputs = session.InputMetadata;
        IReadOnlyDictionary<string, NodeMetadata> outputs = session.OutputMetadata;

        string[] unknown = inputs.Keys.Where(n => n != options.PointsInput && n != options.TimeInput && n != options.ConditionInput).ToArray();
        if (unknown.Length > 0)
            throw Bad(model, $"has inputs {List(unknown)} besides '{options.PointsInput}', '{options.TimeInput}' and '{options.ConditionInput}'; a velocity network takes only points, time and an optional condition (rename them with OnnxVelocityModelOptions)");

        // x: [batch, d]
        int[] x = FloatTensor(inputs, options.PointsInput, "input", model, $"[batch, d]");
        if (x.Length != 2) throw Bad(model, $"has points input '{options.PointsInput}' of rank {x.Length} {Shape(x)}; it must be [batch, d]");
        if (x[1] < 1) throw Bad(model, $"has points input '{options.PointsInput}' {Shape(x)} whose last dimension (d) is not fixed; export it with a fixed size");
        int d = x[1];
        int? fixedBatch = x[0] >= 1 ? x[0] : null;

        // t: [batch], [batch, 1], [1], [1, 1] or []
        int[] t = FloatTensor(inputs, options.TimeInput, "input", model, "[batch], [batch, 1], [1] or []");
        OnnxTimeLayout timeLayout;
        int[] timeDims;
        string timeError = $"has time input '{options.TimeInput}' {Shape(t)}; it must be [batch], [batch, 1], [1], [1, 1] or a scalar";
        switch (t.Length)
        {
            case 0:
                timeLayout = OnnxTimeLayout.Scalar;
                timeDims = [];
                break;
            case 1:
                bool perPoint = Leading(t[0], fixedBatch) ?? throw Bad(model, timeError);
                timeLayout = perPoint ? OnnxTimeLayout.PerPoint : OnnxTimeLayout.Shared;
                timeDims = [perPoint ? -1 : 1];
                break;
            case 2:
                if (t[1] > 1) throw Bad(model, timeError);
                bool perPointColumn = Leading(t[0], fixedBatch) ?? throw Bad(model, timeError);
                timeLayout = perPointColumn ? OnnxTimeLayout.PerPointColumn : OnnxTimeLayout.Shared;
                timeDims = [perPointColumn ? -1 : 1, 1];
                break;
            default:
                throw Bad(model, timeError);
        }

        // cond (optional): [batch, c], [1, c] or [c]
        OnnxConditionLayout conditionLayout = OnnxConditionLayout.None;
        int conditionLength = 0;
        int[] conditionDims = [];
        if (inputs.ContainsKey(options.ConditionInput))
        {
            int[] c = FloatTensor(inputs, options.ConditionInput, "input", model, "[batch, c], [1, c] or [c]");
            string conditionError = $"has condition input '{options.ConditionInput}' {Shape(c)}; it must be [batch, c], [1, c] or [c] with c fixed";
            if (c.Length is < 1 or > 2 || c[^1] < 1) throw Bad(model, conditionError);
            conditionLength = c[^1];
            if (c.Length == 1)
            {
                conditionLayout = OnnxConditionLayout.Shared;
                conditionDims = [conditionLength];
            }
            else
            {
                bool perPoint = Leading(c[0], fixedBatch) ?? throw Bad(model, conditionError);
                conditionLayout = perPoint ? OnnxConditionLayout.PerPoint : OnnxConditionLayout.Shared;
                conditionDims = [perPoint ? -1 : 1, conditionLength];
            }
        }

        // v: [batch, d]
        int[] v = FloatTensor(outputs, options.VelocityOutput, "output", model, "[batch, d]");
        if (v.Length != 2 || (v[1] >= 1 && v[1] != d) || (v[0] >= 1 && v[0] != fixedBatch))
            throw Bad(model, $"has velocity output '{options.VelocityOutput}' {Shape(v)} but points input {Shape(x)}; the output must be [batch, d] like the points");

        return new OnnxSignature(d, fixedBatch, timeLayout, timeDims, conditionLayout, conditionLength, conditionDims);
    }

    /// <summary>
    /// Whether a leading dimension of t or cond is the batch dimension (true), a shared 1 (false) or neither (null). A
    /// symbolic dimension, or the fixed batch size of the points, is the batch; 1 with a free batch is shared.
    /// </summary>
    private static bool? Leading(int dim, int? fixedBatch) =>
        dim < 1 || dim == fixedBatch ? true : dim == 1 ? false : null;

    private static int[] FloatTensor(IReadOnlyDictionary<string, NodeMetadata> nodes, string name, string kind, string model, string expected)
    {
        if (!nodes.TryGetValue(name, out NodeMetadata? meta))
            throw Bad(model, $"has no {kind} '{name}' (it has {List(nodes.Keys)}); a velocity network needs a float32 {kind} '{name}' {expected}, or set its name in OnnxVelocityModelOptions");
        if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Float)
        {
            string type = meta.IsTensor ? meta.ElementDataType.ToString() : meta.OnnxValueType.ToString();
            throw Bad(model, $"has {kind} '{name}' of type {type}; it must be a float32 tensor {expected}");
        }
        return meta.Dimensions;
    }

    private static string Shape(int[] dims) => "[" + string.Join(", ", dims.Select(n => n < 1 ? "?" : n.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

    private static string List(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static InvalidDataException Bad(string model, string message) => new($"The ONNX model {model} {message}.");
}
