using System.Diagnostics;
using System.Globalization;
using Microsoft.ML.OnnxRuntime;

namespace Ordo.Sampling.Onnx;

/// <summary>
/// A neural velocity field v(x, t[, c]) stored as an ONNX model and run by ONNX Runtime (Microsoft,
/// https://onnxruntime.ai; the Microsoft.ML.OnnxRuntime package, CPU execution provider by default): the learned
/// network of a rectified-flow or flow-matching model, batched, in float32 because that is the precision trained
/// networks are exported and run in (the samplers' arithmetic around it is float32 too, see <see cref="FlowSolver{T}"/>).
/// </summary>
/// <remarks>
/// <para><b>Signature.</b> The network has a float32 input <c>x</c> [batch, d], a float32 time input <c>t</c> of
/// shape [batch], [batch, 1], [1], [1, 1] or [] (<see cref="TimeLayout"/>), optionally a float32 condition input
/// <c>cond</c> of shape [batch, c], [1, c] or [c] (<see cref="ConditionLayout"/>), and a float32 output <c>v</c>
/// [batch, d]. The names are <see cref="OnnxVelocityModelOptions"/>' defaults; d and c must be fixed in the model,
/// the batch dimension may be symbolic (any batch size) or fixed (<see cref="FixedBatchSize"/>). The constructor
/// checks all of this and throws <see cref="InvalidDataException"/> naming the input and the shape it found.</para>
/// <para><b>Time.</b> The model's time convention cannot be read from the file, so it is a required constructor
/// argument: <see cref="FlowTimeConvention.NoiseAtOne"/> for FLUX/SD3-style networks (x_τ = (1 − τ)·x_data + τ·ε,
/// v ≈ ε − x_data), <see cref="FlowTimeConvention.NoiseAtZero"/> for networks trained in the rectified-flow time of
/// Liu et al. (x_t = (1 − t)·ε + t·x_data, v ≈ x_data − ε). The samplers convert.</para>
/// <para><b>Conditions.</b> A network without a condition input accepts only <see cref="FlowCondition.None"/>. A
/// network with one needs a condition: <see cref="FlowCondition.Embedding"/> is passed as is (its length must be c)
/// and <see cref="FlowCondition.Class"/>(k) is passed as the one-hot vector e_k of length c (so class-conditional
/// networks take their label as a one-hot input); <see cref="FlowCondition.None"/> is refused, since a network has no
/// agreed "unconditional" input. One condition applies to the whole batch; a [batch, c] input gets it in every row.</para>
/// <para><b>Cost.</b> Input and output tensors are <see cref="OrtValue"/>s over pinned float buffers, bound once to an
/// <see cref="OrtIoBinding"/> per batch size (and re-created when the batch size changes). A call copies the points
/// in, fills t and the condition, runs the bound session and copies the velocity out: after the first call for a
/// batch size it allocates no managed memory. <see cref="CallCount"/> and <see cref="RunTime"/> count the session runs
/// and the time spent inside them.</para>
/// <para>Not thread-safe: the buffers are shared between calls. Use one model per thread (ONNX Runtime itself allows
/// concurrent runs of one session, so separate instances over the same file cost only the weights twice).</para>
/// </remarks>
public sealed class OnnxVelocityModel : IVelocityModel<float>, IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly string _pointsName, _timeName, _velocityName;
    private readonly string? _conditionName;
    private readonly int[] _timeDims, _conditionDims;
    private Binding? _binding;
    private long _runTicks;
    private bool _disposed;

    /// <summary>Opens the ONNX model file at <paramref name="path"/>.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="timeConvention">Where the network's time has its noise (it cannot be read from the file).</param>
    /// <param name="options">Input/output names and session settings; null for the defaults.</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the file, or its inputs and output do not have
    /// the signature described in the remarks of <see cref="OnnxVelocityModel"/>.</exception>
    public OnnxVelocityModel(string path, FlowTimeConvention timeConvention, OnnxVelocityModelOptions? options = null)
        : this(LoadFile(path), path, timeConvention, options)
    {
    }

    /// <summary>Opens an ONNX model held in memory (for example an embedded resource).</summary>
    /// <param name="model">The bytes of the .onnx file.</param>
    /// <param name="timeConvention">Where the network's time has its noise (it cannot be read from the file).</param>
    /// <param name="options">Input/output names and session settings; null for the defaults.</param>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the bytes, or the model's inputs and output do
    /// not have the signature described in the remarks of <see cref="OnnxVelocityModel"/>.</exception>
    public OnnxVelocityModel(byte[] model, FlowTimeConvention timeConvention, OnnxVelocityModelOptions? options = null)
        : this(Source.FromBytes(model), "the model bytes", timeConvention, options)
    {
    }

    private OnnxVelocityModel(Source source, string what, FlowTimeConvention timeConvention, OnnxVelocityModelOptions? options)
    {
        if (!Enum.IsDefined(timeConvention))
            throw new ArgumentOutOfRangeException(nameof(timeConvention), timeConvention, "Unknown time convention.");
        Options = options ?? new OnnxVelocityModelOptions();
        ValidateNames(Options);
        if (Options.IntraOpNumThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(options), Options.IntraOpNumThreads, "IntraOpNumThreads must be >= 0 (0 lets ONNX Runtime choose).");
        TimeConvention = timeConvention;
        _session = OpenSession(source, what, Options);
        try
        {
            _pointsName = Options.PointsInput;
            _timeName = Options.TimeInput;
            _velocityName = Options.VelocityOutput;
            var signature = OnnxSignature.Read(_session, Options, what);
            Dimension = signature.Dimension;
            FixedBatchSize = signature.FixedBatchSize;
            TimeLayout = signature.TimeLayout;
            ConditionLayout = signature.ConditionLayout;
            ConditionLength = signature.ConditionLength;
            _timeDims = signature.TimeDims;
            _conditionDims = signature.ConditionDims;
            _conditionName = ConditionLayout == OnnxConditionLayout.None ? null : Options.ConditionInput;
            _runOptions = new RunOptions();
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>The options the model was opened with.</summary>
    public OnnxVelocityModelOptions Options { get; }

    /// <summary>d: the last dimension of the points input and of the velocity output.</summary>
    public int Dimension { get; }

    /// <summary>The time convention given to the constructor.</summary>
    public FlowTimeConvention TimeConvention { get; }

    /// <summary>The batch size the model was exported with, or null when its batch dimension is symbolic (any size).</summary>
    public int? FixedBatchSize { get; }

    /// <summary>The shape of the time input.</summary>
    public OnnxTimeLayout TimeLayout { get; }

    /// <summary>The shape of the condition input; <see cref="OnnxConditionLayout.None"/> for an unconditional network.</summary>
    public OnnxConditionLayout ConditionLayout { get; }

    /// <summary>c: the length of the condition vector (and the number of classes <see cref="FlowCondition.Class"/> accepts); 0 when unconditional.</summary>
    public int ConditionLength { get; }

    /// <summary>Number of session runs (one per <see cref="Evaluate"/> call) since creation or <see cref="ResetStatistics"/>.</summary>
    public long CallCount { get; private set; }

    /// <summary>Total time spent inside ONNX Runtime's session runs since creation or <see cref="ResetStatistics"/>.</summary>
    public TimeSpan RunTime => Stopwatch.GetElapsedTime(0, _runTicks);

    /// <summary>Sets <see cref="CallCount"/> and <see cref="RunTime"/> to zero.</summary>
    public void ResetStatistics()
    {
        CallCount = 0;
        _runTicks = 0;
    }

    /// <summary>
    /// Runs the network on <paramref name="count"/> points at time <paramref name="time"/> (in
    /// <see cref="TimeConvention"/>) under <paramref name="condition"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The spans do not hold count × d values; the condition does not fit the network
    /// (a condition for an unconditional network, none for a conditional one, a class index ≥ c, an embedding whose
    /// length is not c); or count differs from <see cref="FixedBatchSize"/>.</exception>
    /// <exception cref="ObjectDisposedException">The model has been disposed.</exception>
    /// <exception cref="OnnxRuntimeException">ONNX Runtime failed to run the network (for example an operator that
    /// rejects the batch size of a model whose shapes were checked only at its inputs and output).</exception>
    public void Evaluate(ReadOnlySpan<float> points, int count, float time, in FlowCondition condition, Span<float> velocity)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int d = Dimension;
        if (count < 0 || points.Length != count * d)
            throw new ArgumentException($"{count} points of dimension {d} need {count * d} values but {points.Length} were given.", nameof(points));
        if (velocity.Length != points.Length)
            throw new ArgumentException($"The output has {velocity.Length} values but the points have {points.Length}.", nameof(velocity));
        if (FixedBatchSize is int fixedBatch && count != fixedBatch)
            throw new ArgumentException($"The model was exported with a fixed batch size of {fixedBatch} but {count} points were given.", nameof(count));
        CheckCondition(condition);
        if (count == 0) return;

        Binding b = _binding is { } bound && bound.Count == count ? bound : Rebind(count);
        points.CopyTo(b.Points);
        b.Time.AsSpan().Fill(time);
        if (b.Condition is float[] cond) WriteCondition(condition, cond);

        long start = Stopwatch.GetTimestamp();
        _session.RunWithBinding(_runOptions, b.IoBinding);
        _runTicks += Stopwatch.GetTimestamp() - start;
        CallCount++;

        b.Velocity.AsSpan().CopyTo(velocity);
    }

    /// <summary>Releases the ONNX Runtime session and the bound tensors.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _binding?.Dispose();
        _binding = null;
        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        string cond = ConditionLayout == OnnxConditionLayout.None ? "unconditional" : $"condition [{ConditionLength}] ({ConditionLayout})";
        return string.Create(CultureInfo.InvariantCulture, $"ONNX velocity model: d = {Dimension}, time {TimeLayout}, {cond}, {FlowTime.Describe(TimeConvention)}");
    }

    private void CheckCondition(in FlowCondition condition)
    {
        if (_conditionName is null)
        {
            if (!condition.IsNone)
                throw new ArgumentException($"The model has no '{Options.ConditionInput}' input, so it is unconditional, but the condition is {condition}.", nameof(condition));
            return;
        }
        if (condition.IsNone)
            throw new ArgumentException($"The model needs a condition (its input '{_conditionName}' has length {ConditionLength}) but none was given; pass FlowCondition.Embedding or FlowCondition.Class.", nameof(condition));
        if (condition.ClassIndex is int k)
        {
            if (k >= ConditionLength)
                throw new ArgumentException($"Class {k} has no one-hot vector of length {ConditionLength} (the model's '{_conditionName}' input); the classes are 0..{ConditionLength - 1}.", nameof(condition));
        }
        else if (condition.Vector.Length != ConditionLength)
        {
            throw new ArgumentException($"The condition vector has length {condition.Vector.Length} but the model's '{_conditionName}' input has length {ConditionLength}.", nameof(condition));
        }
    }

    private void WriteCondition(in FlowCondition condition, float[] buffer)
    {
        int c = ConditionLength;
        Span<float> row = buffer.AsSpan(0, c);
        if (condition.ClassIndex is int k)
        {
            row.Clear();
            row[k] = 1;
        }
        else
        {
            condition.Vector.Span.CopyTo(row);
        }
        for (int offset = c; offset < buffer.Length; offset += c) row.CopyTo(buffer.AsSpan(offset, c));
    }

    private Binding Rebind(int count)
    {
        _binding?.Dispose();
        _binding = null;
        var b = new Binding(count);
        try
        {
            b.Points = Pinned(count * Dimension);
            b.Velocity = Pinned(count * Dimension);
            long[] timeShape = Shape(_timeDims, count);
            b.Time = Pinned(Product(timeShape));
            b.IoBinding = _session.CreateIoBinding();
            b.Bind(_pointsName, b.Points, [count, Dimension], output: false);
            b.Bind(_timeName, b.Time, timeShape, output: false);
            if (_conditionName is not null)
            {
                long[] conditionShape = Shape(_conditionDims, count);
                b.Condition = Pinned(Product(conditionShape));
                b.Bind(_conditionName, b.Condition, conditionShape, output: false);
            }
            b.Bind(_velocityName, b.Velocity, [count, Dimension], output: true);
        }
        catch
        {
            b.Dispose();
            throw;
        }
        _binding = b;
        return b;
    }

    /// <summary>The shape of an input for a batch of <paramref name="count"/>: the batch dimension (−1) becomes count.</summary>
    private static long[] Shape(int[] dims, int count)
    {
        var shape = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++) shape[i] = dims[i] < 0 ? count : dims[i];
        return shape;
    }

    private static int Product(long[] shape)
    {
        long n = 1;
        foreach (long s in shape) n *= s;
        return checked((int)n);
    }

    private static float[] Pinned(int length) => GC.AllocateArray<float>(length, pinned: true);

    private static Source LoadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"The ONNX model file '{path}' does not exist.", path);
        return Source.FromPath(path);
    }

    private static void ValidateNames(OnnxVelocityModelOptions options)
    {
        string?[] names = [options.PointsInput, options.TimeInput, options.ConditionInput, options.VelocityOutput];
        if (names.Any(string.IsNullOrEmpty))
            throw new ArgumentException("The input and output names of OnnxVelocityModelOptions must not be empty.", nameof(options));
        if (names.Take(3).Distinct(StringComparer.Ordinal).Count() != 3)
            throw new ArgumentException($"The input names must differ but are '{options.PointsInput}', '{options.TimeInput}' and '{options.ConditionInput}'.", nameof(options));
    }

    private static InferenceSession OpenSession(Source source, string what, OnnxVelocityModelOptions options)
    {
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpNumThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = options.GraphOptimizationLevel,
        };
        options.ConfigureSession?.Invoke(sessionOptions);
        try
        {
            return source.Path is string path ? new InferenceSession(path, sessionOptions) : new InferenceSession(source.Bytes!, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX Runtime could not load {Describe(what)}: {e.Message}", e);
        }
    }

    internal static string Describe(string what) => what.StartsWith("the ", StringComparison.Ordinal) ? what : $"'{what}'";

    private readonly record struct Source(string? Path, byte[]? Bytes)
    {
        public static Source FromPath(string path) => new(path, null);

        public static Source FromBytes(byte[] bytes)
        {
            ArgumentNullException.ThrowIfNull(bytes);
            if (bytes.Length == 0) throw new ArgumentException("The model bytes are empty.", nameof(bytes));
            return new(null, bytes);
        }
    }

    /// <summary>The pinned buffers of one batch size, their tensors and the binding that feeds them to the session.</summary>
    private sealed class Binding(int count) : IDisposable
    {
        private readonly List<OrtValue> _values = [];

        public int Count { get; } = count;
        public float[] Points { get; set; } = [];
        public float[] Time { get; set; } = [];
        public float[]? Condition { get; set; }
        public float[] Velocity { get; set; } = [];
        public OrtIoBinding IoBinding { get; set; } = null!;

        public void Bind(string name, float[] buffer, long[] shape, bool output)
        {
            var value = OrtValue.CreateTensorValueFromMemory(buffer, shape);
            _values.Add(value);
            if (output) IoBinding.BindOutput(name, value);
            else IoBinding.BindInput(name, value);
        }

        public void Dispose()
        {
            IoBinding?.Dispose();
            foreach (OrtValue value in _values) value.Dispose();
            _values.Clear();
        }
    }
}
