using System.Numerics;

namespace Ordo.Sampling;

/// <summary>Receives the points after step <paramref name="step"/> of a pass, at noise level <paramref name="noiseLevel"/>.</summary>
public delegate void FlowStepCallback<T>(FlowPass pass, int step, double noiseLevel, ReadOnlySpan<T> points);

/// <summary>Options of a <see cref="FlowSolver{T}"/>.</summary>
public sealed record FlowSolverOptions
{
    /// <summary>
    /// The noise schedule the λ-based samplers (DPM-Solver family) step in, in noise-level time. The default is the
    /// rectified-flow schedule α = 1 − τ, σ = τ; a diffusion model seen through
    /// <see cref="NoisePredictionVelocityModel{T}"/> must pass its own schedule here too.
    /// </summary>
    public NoiseSchedule Schedule { get; init; } = RectifiedFlowSchedule.Instance;

    /// <summary>Check every model output for NaN and ±∞ (one vectorised pass per evaluation). Default true.</summary>
    public bool CheckFinite { get; init; } = true;

    /// <summary>Checked before every model evaluation; a cancelled pass ends with <see cref="FlowStatus.Cancelled"/>.</summary>
    public CancellationToken CancellationToken { get; init; }
}

/// <summary>Options of <see cref="FlowSolver{T}.Edit"/>.</summary>
public sealed record FlowEditOptions
{
    /// <summary>
    /// How many sampling steps, counted from the noise end, are marked for feature injection (FireFlow's and
    /// RF-Solver's <c>--inject</c>); the inversion marks the same steps, which are its last ones. Only models that
    /// implement <see cref="IFeatureInjectionModel"/> act on it. Default 0.
    /// </summary>
    public int InjectionSteps { get; init; }
}

/// <summary>
/// Runs a sampler with a model over a time grid: sampling (noise to data), inversion (data to noise, the same grid
/// reversed), reconstruction (inversion then sampling) and editing (inversion under one condition, sampling under
/// another), all on batches, all reporting the number of model evaluations.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <remarks>
/// The solver keeps its work buffers between calls, so repeated calls allocate nothing once the largest batch has been
/// seen. It is not thread-safe: use one solver per thread (the sampler and the grid can be shared).
/// </remarks>
public sealed class FlowSolver<T> where T : IFloatingPointIeee754<T>
{
    private readonly FlowRunContext<T> _context;
    private readonly double[] _forward;
    private readonly double[] _reverse;

    /// <summary>Creates a solver.</summary>
    /// <param name="model">The velocity model.</param>
    /// <param name="sampler">The sampler, e.g. <c>FlowSamplers.Get("fireflow")</c>.</param>
    /// <param name="grid">The time grid (sampling order).</param>
    /// <param name="options">Options; null for the defaults.</param>
    public FlowSolver(IVelocityModel<T> model, FlowSampler sampler, FlowTimeGrid grid, FlowSolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentNullException.ThrowIfNull(grid);
        if (model.Dimension < 1) throw new ArgumentException($"The model's dimension must be at least 1 but is {model.Dimension}.", nameof(model));
        Model = model;
        Sampler = sampler;
        Grid = grid;
        Options = options ?? new FlowSolverOptions();
        ArgumentNullException.ThrowIfNull(Options.Schedule, nameof(options));
        _forward = grid.NoiseLevels.ToArray();
        _reverse = grid.NoiseLevels.ToArray();
        Array.Reverse(_reverse);
        _context = new FlowRunContext<T>(model, Options.Schedule, sampler.WorkBuffers);
        EvaluationsPerPass = sampler.EvaluationsPerPass(_forward, Options.Schedule) * _context.EvaluationsPerCall;
    }

    /// <summary>The model.</summary>
    public IVelocityModel<T> Model { get; }

    /// <summary>The sampler.</summary>
    public FlowSampler Sampler { get; }

    /// <summary>The time grid.</summary>
    public FlowTimeGrid Grid { get; }

    /// <summary>The options.</summary>
    public FlowSolverOptions Options { get; }

    /// <summary>
    /// Called after every step of every pass with the points at the step's end (for trajectory plots and progress
    /// displays); null for none. Copy what you need: the span is the solver's work memory.
    /// </summary>
    public FlowStepCallback<T>? StepCallback
    {
        get => _context.StepCallback;
        set => _context.StepCallback = value;
    }

    /// <summary>Model evaluations of one sampling pass over the grid (an inversion costs the same).</summary>
    public int EvaluationsPerPass { get; }

    /// <summary>Moves <paramref name="points"/> (row-major, a multiple of the model dimension) from noise to data, in place.</summary>
    public FlowRunResult Sample(Span<T> points, FlowCondition condition = default) =>
        Run(points, FlowPass.Sampling, condition, 0);

    /// <summary>
    /// Test hook: samples with the exact states at grid levels 1, 2, ... (one array per level, each as long as
    /// <paramref name="points"/>) in place of a multistep sampler's lower-order start steps (flows.md §4.6, §5.3).
    /// </summary>
    internal FlowRunResult SampleWithExactStart(Span<T> points, T[][] exactStates)
    {
        _context.ExactStates = exactStates;
        try { return Run(points, FlowPass.Sampling, default, 0); }
        finally { _context.ExactStates = null; }
    }

    /// <summary>Moves <paramref name="points"/> from data to noise over the reversed grid, in place.</summary>
    public FlowRunResult Invert(Span<T> points, FlowCondition condition = default) =>
        Run(points, FlowPass.Inversion, condition, 0);

    /// <summary>
    /// Inverts <paramref name="data"/> into <paramref name="noise"/> and samples it back into <paramref name="output"/>
    /// under the same condition. The reconstruction error ‖output − data‖ measures the sampler's round-trip accuracy.
    /// </summary>
    public FlowRoundTripResult Reconstruct(ReadOnlySpan<T> data, Span<T> noise, Span<T> output, FlowCondition condition = default) =>
        RoundTrip(data, noise, output, condition, condition, 0);

    /// <summary>
    /// Edits: inverts <paramref name="data"/> under <paramref name="source"/> into <paramref name="noise"/>, then samples
    /// it under <paramref name="target"/> into <paramref name="output"/> (flows.md §1.3, §8.2).
    /// </summary>
    public FlowRoundTripResult Edit(ReadOnlySpan<T> data, FlowCondition source, FlowCondition target, Span<T> noise, Span<T> output,
        FlowEditOptions? options = null)
    {
        int inject = options?.InjectionSteps ?? 0;
        if (inject < 0 || inject > Grid.Steps)
            throw new ArgumentOutOfRangeException(nameof(options), inject, $"InjectionSteps must lie in [0, {Grid.Steps}] (the grid's step count).");
        return RoundTrip(data, noise, output, source, target, inject);
    }

    private FlowRoundTripResult RoundTrip(ReadOnlySpan<T> data, Span<T> noise, Span<T> output, FlowCondition source, FlowCondition target, int inject)
    {
        if (noise.Length != data.Length) throw new ArgumentException($"noise has length {noise.Length} but data has {data.Length}.", nameof(noise));
        if (output.Length != data.Length) throw new ArgumentException($"output has length {output.Length} but data has {data.Length}.", nameof(output));
        data.CopyTo(noise);
        FlowRunResult inversion = Run(noise, FlowPass.Inversion, source, inject);
        if (!inversion.Succeeded) return new FlowRoundTripResult(inversion, null);
        noise.CopyTo(output);
        FlowRunResult sampling = Run(output, FlowPass.Sampling, target, inject);
        return new FlowRoundTripResult(inversion, sampling);
    }

    private FlowRunResult Run(Span<T> points, FlowPass pass, in FlowCondition condition, int inject)
    {
        if (points.Length == 0) throw new ArgumentException("There are no points to move.", nameof(points));
        Guard.AllFinite<T>(points, nameof(points));
        _context.Begin(points, pass, pass == FlowPass.Sampling ? _forward : _reverse, condition,
            Options.CancellationToken, Options.CheckFinite, inject);
        Sampler.Run(_context);
        _context.Points.CopyTo(points);
        if (_context.Status == FlowStatus.Success && _context.StepsCompleted != _context.Steps)
            throw new InvalidOperationException($"Sampler '{Sampler.Name}' returned after {_context.StepsCompleted} of {_context.Steps} steps without a failure status; a sampler must call CompleteStep for every step.");
        return new FlowRunResult(_context.Status, pass, _context.Evaluations, _context.StepsCompleted, _context.Message);
    }
}
