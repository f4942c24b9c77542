using System.Diagnostics.CodeAnalysis;

namespace Ordo.Integration;

/// <summary>The registry of SDE methods by name (the names of the <c>ordo</c> command).</summary>
public static class SdeMethods
{
    /// <summary>Every method, in the order <c>ordo methods</c> lists them.</summary>
    public static IReadOnlyList<SdeMethod> All { get; } =
    [
        EulerMaruyama.Instance, Milstein.Instance, StochasticHeun.Instance, EulerHeun.Instance, SriMethod.Sriw1, SriMethod.Sosri, SriMethod.Sosri2,
        SraMethod.Sra1, SraMethod.Sra2, SraMethod.Sra3, SraMethod.Sosra, SraMethod.Sosra2, AdditiveSrkMethod.ShArk, AdditiveSrkMethod.Sea,
        StratonovichSrkMethod.GeneralShArk, StratonovichSrkMethod.Spark, StratonovichSrkMethod.SlowRk,
        DriftImplicitEulerMaruyama.Trapezoidal, DriftImplicitEulerMaruyama.Euler, AlignLangevin.Instance,
    ];

    /// <summary>The method with this name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">An unknown name; the message lists the known ones.</exception>
    public static SdeMethod Get(string name) => TryGet(name, out SdeMethod? method) ? method
        : throw new ArgumentException($"Unknown SDE method '{name}'. Known: {string.Join(", ", All.Select(m => m.Name))}.", nameof(name));

    /// <summary>Looks a method up by name (case-insensitive, surrounding blanks ignored).</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out SdeMethod? method)
    {
        ArgumentNullException.ThrowIfNull(name);
        method = All.FirstOrDefault(m => string.Equals(m.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));
        return method is not null;
    }

    /// <summary>
    /// The default method for a problem (SciML's choices, sde.md §6.1, with ShARK for additive noise as diffrax
    /// recommends): <c>shark</c> for additive noise, <c>sriw1</c> for scalar or diagonal noise, <c>stochastic-heun</c>
    /// otherwise and for backward solves (t1 &lt; t0) of non-additive noise — all adaptive.
    /// </summary>
    public static SdeMethod Default(SdeProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Noise == SdeNoise.Additive) return AdditiveSrkMethod.ShArk;
        if (problem.Direction < 0) return StochasticHeun.Instance; // SRIW1 (√h, Itô) does not run backwards
        if (problem.DiagonalDiffusion || problem.NoiseDimension == 1) return SriMethod.Sriw1;
        return StochasticHeun.Instance;
    }
}

/// <summary>The result of one SDE path: the final state, a status saying why it stopped, counts, and the recorded states.</summary>
public sealed class SdeSolution
{
    private readonly double[] _times, _states;

    internal SdeSolution(string method, SdeStatus status, double time, double[] y, SdeStats stats, ulong seed, ulong stream,
        double[] times, double[] states, int count)
    {
        Method = method;
        Status = status;
        Time = time;
        Y = y;
        Stats = stats;
        Seed = seed;
        Stream = stream;
        _times = times;
        _states = states;
        Count = count;
    }

    /// <summary>The method's name.</summary>
    public string Method { get; }

    /// <summary>Why the solve stopped.</summary>
    public SdeStatus Status { get; }

    /// <summary>A sentence describing <see cref="Status"/>.</summary>
    public string Message => Status.Describe();

    /// <summary>True when the solve reached t1.</summary>
    public bool IsSuccess => Status == SdeStatus.Success;

    /// <summary>The time reached.</summary>
    public double Time { get; }

    /// <summary>The state at <see cref="Time"/>.</summary>
    public double[] Y { get; }

    /// <summary>The counts.</summary>
    public SdeStats Stats { get; }

    /// <summary>The seed of the Brownian path.</summary>
    public ulong Seed { get; }

    /// <summary>The stream of the Brownian path.</summary>
    public ulong Stream { get; }

    /// <summary>The number of recorded states.</summary>
    public int Count { get; }

    /// <summary>The recorded times (every step and t0 with <see cref="SdeOptions.SaveSteps"/>, and the save times).</summary>
    public ReadOnlySpan<double> Times => _times.AsSpan(0, Count);

    /// <summary>The recorded state number <paramref name="index"/>.</summary>
    public ReadOnlySpan<double> State(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _states.AsSpan(index * Y.Length, Y.Length);
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> with the status message unless the solve succeeded.</summary>
    public SdeSolution EnsureSuccess() => IsSuccess ? this
        : throw new InvalidOperationException($"The SDE solve with {Method} stopped at t = {Time}: {Message}");
}

/// <summary>Solves one path of an SDE.</summary>
public static class Sde
{
    /// <summary>
    /// Solves path <see cref="SdeOptions.Stream"/> of seed <see cref="SdeOptions.Seed"/>: with fixed steps when
    /// <see cref="SdeOptions.FixedStep"/> is set, adaptively otherwise (the method must have an error estimate).
    /// </summary>
    /// <exception cref="ArgumentException">A method that does not fit the problem's noise, an adaptive solve with a
    /// method without error estimate, or bad options.</exception>
    public static SdeSolution Solve(SdeProblem problem, SdeMethod method, SdeOptions? options = null) => Solve(problem, method, options, null);

    /// <summary>
    /// Solves on a Brownian path the caller owns (fixed or adaptive steps query it), for common random numbers: the
    /// same path at several step sizes (strong convergence), or with several methods. A
    /// <see cref="VirtualBrownianTree"/> answers any interval; a <see cref="BrownianIncrements"/> grid needs steps on
    /// its grid. The path must cover [t0, t1] and have m lanes.
    /// </summary>
    public static SdeSolution Solve(SdeProblem problem, SdeMethod method, SdeOptions? options, IBrownianPath? path)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(method);
        options ??= SdeOptions.Default;
        options.Validate(problem);
        if (method.Unsupported(problem) is { } why) throw new ArgumentException(why, nameof(method));
        var integrator = new SdePathIntegrator(problem, method, options, path);
        var recorder = new ListRecorder(problem.Dimension, options.SaveSteps);
        var (status, time, stats) = integrator.Run(options.Stream, recorder);
        return new SdeSolution(method.Name, status, time, integrator.State.ToArray(), stats, options.Seed, options.Stream,
            [.. recorder.Times], [.. recorder.States], recorder.Times.Count);
    }

    /// <summary>Solves with <see cref="SdeMethods.Default"/>.</summary>
    public static SdeSolution Solve(SdeProblem problem, SdeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return Solve(problem, SdeMethods.Default(problem), options);
    }

    private sealed class ListRecorder(int dimension, bool steps) : SdeRecorder
    {
        public List<double> Times { get; } = [];
        public List<double> States { get; } = [];

        public override bool Steps => steps;

        public override void Record(double t, ReadOnlySpan<double> y, int saveTimeIndex)
        {
            Times.Add(t);
            for (int i = 0; i < dimension; i++) States.Add(y[i]);
        }
    }
}
