using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace Ordo.Sampling;

/// <summary>
/// What a <see cref="FlowSampler"/> sees during one pass: the points it moves, the noise levels in run order, work
/// buffers, and <see cref="Evaluate"/>, which calls the model in the samplers' time (noise level τ, noise at 1),
/// counts evaluations, tells feature-injection models where they are, and watches for non-finite output and
/// cancellation.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>Created and reused by <see cref="FlowSolver{T}"/>; a context serves one pass at a time.</remarks>
public sealed class FlowRunContext<T> where T : IFloatingPointIeee754<T>
{
    private readonly IVelocityModel<T> _model;
    private readonly IFeatureInjectionModel? _injection;
    private T[][] _buffers = [];
    private T[] _points = [];
    private double[] _levels = [];
    private FlowCondition _condition;
    private CancellationToken _cancellation;
    private bool _checkFinite;
    private int _injectionSteps;

    internal FlowRunContext(IVelocityModel<T> model, NoiseSchedule schedule, int workBuffers)
    {
        _model = model;
        _injection = model as IFeatureInjectionModel;
        EvaluationsPerCall = (model as IMultiEvaluationModel)?.EvaluationsPerCall ?? 1;
        Schedule = schedule;
        WorkBufferCount = workBuffers;
        Dimension = model.Dimension;
    }

    /// <summary>The noise schedule the λ-based samplers step in (the rectified-flow one for flow models).</summary>
    public NoiseSchedule Schedule { get; }

    /// <summary>Length of one point.</summary>
    public int Dimension { get; }

    /// <summary>Number of points in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>Count × Dimension: the length of <see cref="Points"/> and of every buffer.</summary>
    public int Length => Count * Dimension;

    /// <summary>Sampling (levels decrease) or inversion (levels increase).</summary>
    public FlowPass Pass { get; private set; }

    /// <summary>The noise levels of this pass in run order (N + 1 values).</summary>
    public ReadOnlySpan<double> NoiseLevels => _levels;

    /// <summary>Number of steps N of this pass.</summary>
    public int Steps => _levels.Length - 1;

    /// <summary>The points being moved (row-major, <see cref="Count"/> × <see cref="Dimension"/>).</summary>
    public Span<T> Points => _points.AsSpan(0, Length);

    /// <summary>Work buffer <paramref name="index"/> (0 ≤ index &lt; the sampler's <see cref="FlowSampler.WorkBuffers"/>), one batch long.</summary>
    public Span<T> Buffer(int index) => _buffers[index].AsSpan(0, Length);

    /// <summary>Network evaluations one model call costs (2 under classifier-free guidance).</summary>
    public int EvaluationsPerCall { get; }

    /// <summary>Model evaluations so far in this pass.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Steps the sampler has reported complete with <see cref="CompleteStep"/>.</summary>
    public int StepsCompleted { get; private set; }

    /// <summary>Why the pass stopped (<see cref="FlowStatus.Success"/> while it runs).</summary>
    public FlowStatus Status { get; private set; }

    internal string? Message { get; private set; }

    internal int WorkBufferCount { get; }

    /// <summary>
    /// Test hook: exact states at the noise levels 1, 2, ... of the pass. Multistep samplers take them instead of their
    /// lower-order warm-up steps, which isolates the order of the multistep formula itself (flows.md §4.6, §9.1).
    /// </summary>
    internal T[][]? ExactStates { get; set; }

    /// <summary>
    /// Evaluates the velocity dx/dτ (noise-level time) of the batch <paramref name="x"/> at <paramref name="noiseLevel"/>
    /// into <paramref name="velocity"/>. Returns false when the pass must stop (the model returned a non-finite value, or
    /// cancellation was requested); the sampler then returns without touching <see cref="Points"/>.
    /// </summary>
    /// <param name="x">The batch to evaluate at (the points or a stage state).</param>
    /// <param name="step">The index of the step this evaluation belongs to.</param>
    /// <param name="noiseLevel">τ of the evaluation.</param>
    /// <param name="intermediate">False for an evaluation at the step's start grid point, true for one inside the step.</param>
    /// <param name="velocity">Output, one batch long; must not overlap <paramref name="x"/>.</param>
    public bool Evaluate(ReadOnlySpan<T> x, int step, double noiseLevel, bool intermediate, Span<T> velocity)
    {
        if (_cancellation.IsCancellationRequested)
        {
            Fail(FlowStatus.Cancelled, $"cancelled before step {step + 1} of {Steps}");
            return false;
        }
        if (_injection is not null)
        {
            int n = Steps;
            bool sampling = Pass == FlowPass.Sampling;
            double key = intermediate ? noiseLevel : sampling ? _levels[step] : _levels[step + 1];
            bool inject = sampling ? step < _injectionSteps : step >= n - _injectionSteps;
            _injection.BeforeEvaluation(new FlowEvaluationInfo(Pass, step, noiseLevel, intermediate, key, inject));
        }
        if (_model.TimeConvention == FlowTimeConvention.NoiseAtOne)
        {
            _model.Evaluate(x, Count, T.CreateChecked(noiseLevel), _condition, velocity);
        }
        else
        {
            // v_τ(x, τ) = −v_t(x, 1 − τ).
            _model.Evaluate(x, Count, T.CreateChecked(1 - noiseLevel), _condition, velocity);
            TensorPrimitives.Negate(velocity, velocity);
        }
        Evaluations += EvaluationsPerCall;
        if (_checkFinite && !T.IsFinite(TensorPrimitives.Sum<T>(velocity)))
        {
            int bad = FirstNonFinite(velocity);
            if (bad >= 0)
            {
                Fail(FlowStatus.NonFiniteVelocity, string.Create(CultureInfo.InvariantCulture,
                    $"the model returned {velocity[bad]} for point {bad / Dimension}, component {bad % Dimension}, at noise level {noiseLevel:R} in step {step + 1} of {Steps}"));
                return false;
            }
        }
        return true;
    }

    /// <summary>Tells the context that step <paramref name="step"/> has updated the points.</summary>
    public void CompleteStep(int step)
    {
        StepsCompleted = step + 1;
        StepCallback?.Invoke(Pass, step, _levels[step + 1], Points);
    }

    internal FlowStepCallback<T>? StepCallback { get; set; }

    /// <summary>
    /// The data prediction D = x̂_data of the schedule from a point and its velocity: solving x = αD + σE and
    /// v = α'D + σ'E gives D = (σ'x − σv)/(ασ' − α'σ); for rectified flow D = x − τv (flows.md §0.2).
    /// </summary>
    public void DataPrediction(ReadOnlySpan<T> x, ReadOnlySpan<T> velocity, double noiseLevel, Span<T> destination)
    {
        NoiseSchedule s = Schedule;
        double a = s.Alpha(noiseLevel), sg = s.Sigma(noiseLevel), da = s.AlphaDerivative(noiseLevel), ds = s.SigmaDerivative(noiseLevel);
        double det = a * ds - da * sg;
        Combine(destination, ds / det, x, -sg / det, velocity);
    }

    /// <summary>
    /// The noise prediction E = ε̂ of the schedule from a point and its velocity: E = (αv − α'x)/(ασ' − α'σ); for
    /// rectified flow E = x + (1 − τ)v.
    /// </summary>
    public void NoisePrediction(ReadOnlySpan<T> x, ReadOnlySpan<T> velocity, double noiseLevel, Span<T> destination)
    {
        NoiseSchedule s = Schedule;
        double a = s.Alpha(noiseLevel), sg = s.Sigma(noiseLevel), da = s.AlphaDerivative(noiseLevel), ds = s.SigmaDerivative(noiseLevel);
        double det = a * ds - da * sg;
        Combine(destination, -da / det, x, a / det, velocity);
    }

    /// <summary>destination = a·x + b·y (destination may be x or y).</summary>
    public static void Combine(Span<T> destination, double a, ReadOnlySpan<T> x, double b, ReadOnlySpan<T> y)
    {
        if (a == 1)
        {
            TensorPrimitives.MultiplyAdd(y, T.CreateChecked(b), x, destination);
        }
        else if (b == 1)
        {
            TensorPrimitives.MultiplyAdd(x, T.CreateChecked(a), y, destination);
        }
        else
        {
            T ta = T.CreateChecked(a), tb = T.CreateChecked(b);
            if (destination.Overlaps(y))
            {
                TensorPrimitives.Multiply(y, tb, destination);
                TensorPrimitives.MultiplyAdd(x, ta, destination, destination);
            }
            else
            {
                TensorPrimitives.Multiply(x, ta, destination);
                TensorPrimitives.MultiplyAdd(y, tb, destination, destination);
            }
        }
    }

    /// <summary>destination = x + h·v (destination may be x).</summary>
    public static void AddScaled(Span<T> destination, ReadOnlySpan<T> x, double h, ReadOnlySpan<T> v) =>
        TensorPrimitives.MultiplyAdd(v, T.CreateChecked(h), x, destination);

    internal void Begin(ReadOnlySpan<T> points, FlowPass pass, double[] levels, in FlowCondition condition,
        CancellationToken cancellation, bool checkFinite, int injectionSteps)
    {
        if (points.Length % Dimension != 0)
            throw new ArgumentException($"The points have {points.Length} values, which is not a multiple of the model dimension {Dimension}.", nameof(points));
        Count = points.Length / Dimension;
        int length = points.Length;
        if (_points.Length < length)
        {
            _points = new T[length];
            _buffers = new T[WorkBufferCount][];
            for (int i = 0; i < WorkBufferCount; i++) _buffers[i] = new T[length];
        }
        else if (_buffers.Length != WorkBufferCount)
        {
            _buffers = new T[WorkBufferCount][];
            for (int i = 0; i < WorkBufferCount; i++) _buffers[i] = new T[_points.Length];
        }
        points.CopyTo(_points);
        Pass = pass;
        _levels = levels;
        _condition = condition;
        _cancellation = cancellation;
        _checkFinite = checkFinite;
        _injectionSteps = injectionSteps;
        Evaluations = 0;
        StepsCompleted = 0;
        Status = FlowStatus.Success;
        Message = null;
    }

    private void Fail(FlowStatus status, string message)
    {
        Status = status;
        Message = message;
    }

    private static int FirstNonFinite(ReadOnlySpan<T> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i])) return i;
        }
        return -1;
    }
}
