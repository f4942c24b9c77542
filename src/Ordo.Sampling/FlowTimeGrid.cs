using System.Globalization;

namespace Ordo.Sampling;

/// <summary>
/// The time grid of a sampler: N + 1 times from the noise end to the data end. Sampling runs it forwards, inversion
/// runs exactly the same values backwards, which is what makes reconstruction errors cancel to leading order for
/// even-order one-step methods (flows.md §9.2).
/// </summary>
/// <remarks>
/// The values are held as noise levels τ (<see cref="FlowTimeConvention.NoiseAtOne"/>), strictly decreasing;
/// <see cref="Times"/> reads them in either convention, and <see cref="FromTimes"/> builds a grid from either.
/// </remarks>
public sealed class FlowTimeGrid
{
    private readonly double[] _levels;

    private FlowTimeGrid(double[] levels, string name)
    {
        if (levels.Length < 2) throw new ArgumentException($"A time grid needs at least 2 times (1 step) but has {levels.Length}.", nameof(levels));
        for (int i = 0; i < levels.Length; i++)
        {
            if (!double.IsFinite(levels[i]))
                throw new ArgumentException($"Time {i} of the grid is {levels[i]}; every time must be finite.", nameof(levels));
            if (i > 0 && !(levels[i] < levels[i - 1]))
                throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                    "The grid must run strictly from noise to data, but noise level {0} at index {1} does not fall below {2} at index {3}.",
                    levels[i], i, levels[i - 1], i - 1), nameof(levels));
        }
        _levels = levels;
        Name = name;
    }

    /// <summary>Short description, e.g. "uniform" or "flux-shift(mu=1.15)".</summary>
    public string Name { get; }

    /// <summary>Number of steps N.</summary>
    public int Steps => _levels.Length - 1;

    /// <summary>The N + 1 noise levels τ (noise at 1), in sampling order (decreasing).</summary>
    public ReadOnlySpan<double> NoiseLevels => _levels;

    /// <summary>The N + 1 times in sampling order, in <paramref name="convention"/>.</summary>
    public double[] Times(FlowTimeConvention convention) =>
        convention == FlowTimeConvention.NoiseAtOne ? (double[])_levels.Clone() : Array.ConvertAll(_levels, l => 1 - l);

    /// <summary>N equal steps from noise level 1 to 0: τ_i = 1 − i/N (flows.md §0.4).</summary>
    public static FlowTimeGrid Uniform(int steps) => TimeUniform(steps, 1, 0);

    /// <summary>N equal steps in time from noise level <paramref name="noiseLevelStart"/> down to <paramref name="noiseLevelEnd"/>.</summary>
    public static FlowTimeGrid TimeUniform(int steps, double noiseLevelStart, double noiseLevelEnd)
    {
        CheckSteps(steps);
        var levels = new double[steps + 1];
        for (int i = 0; i <= steps; i++) levels[i] = noiseLevelStart + (noiseLevelEnd - noiseLevelStart) * i / steps;
        levels[steps] = noiseLevelEnd;
        return new FlowTimeGrid(levels, noiseLevelStart == 1 && noiseLevelEnd == 0 ? "uniform" : "time-uniform");
    }

    /// <summary>
    /// DPM-Solver's "time_quadratic" grid: uniform in √t between the two ends, so steps are finer near the data end.
    /// </summary>
    public static FlowTimeGrid TimeQuadratic(int steps, double noiseLevelStart, double noiseLevelEnd)
    {
        CheckSteps(steps);
        double a = Math.Sqrt(noiseLevelStart), b = Math.Sqrt(noiseLevelEnd);
        var levels = new double[steps + 1];
        for (int i = 0; i <= steps; i++)
        {
            double r = a + (b - a) * i / steps;
            levels[i] = r * r;
        }
        levels[0] = noiseLevelStart;
        levels[steps] = noiseLevelEnd;
        return new FlowTimeGrid(levels, "time-quadratic");
    }

    /// <summary>
    /// DPM-Solver's "logSNR" grid: uniform in λ = log(α/σ) of <paramref name="schedule"/> between two times at which λ is
    /// finite (for the rectified-flow schedule that excludes the end points 0 and 1).
    /// </summary>
    public static FlowTimeGrid LogSnrUniform(int steps, NoiseSchedule schedule, double noiseLevelStart, double noiseLevelEnd)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        CheckSteps(steps);
        double l0 = schedule.Lambda(noiseLevelStart), l1 = schedule.Lambda(noiseLevelEnd);
        if (!double.IsFinite(l0) || !double.IsFinite(l1))
            throw new ArgumentException($"λ of schedule '{schedule.Name}' is not finite at {noiseLevelStart} or {noiseLevelEnd}; a logSNR grid needs finite ends.", nameof(schedule));
        var levels = new double[steps + 1];
        for (int i = 0; i <= steps; i++) levels[i] = schedule.TimeAtLambda(l0 + (l1 - l0) * i / steps);
        levels[0] = noiseLevelStart;
        levels[steps] = noiseLevelEnd;
        return new FlowTimeGrid(levels, "logsnr-uniform");
    }

    /// <summary>
    /// The shifted schedule of FLUX, FireFlow and RF-Solver (<c>get_schedule</c>): the uniform grid mapped through
    /// shift(τ) = e^μ / (e^μ + (1/τ − 1)), which keeps 0 and 1 fixed and puts more steps near the noise end.
    /// Equivalent to SD3's shift sτ/(1 + (s − 1)τ) with s = e^μ (flows.md §0.4; Esser et al., "Scaling rectified flow
    /// transformers", ICML 2024).
    /// </summary>
    /// <param name="steps">N.</param>
    /// <param name="mu">The shift μ; <see cref="FluxShiftMu"/> gives FLUX's value for an image size.</param>
    public static FlowTimeGrid FluxShifted(int steps, double mu)
    {
        CheckSteps(steps);
        Guard.Finite(mu, nameof(mu));
        double e = Math.Exp(mu);
        var levels = new double[steps + 1];
        for (int i = 0; i <= steps; i++)
        {
            double t = 1 - (double)i / steps;
            levels[i] = t <= 0 ? 0 : t >= 1 ? 1 : e / (e + (1 / t - 1));
        }
        return new FlowTimeGrid(levels, string.Create(CultureInfo.InvariantCulture, $"flux-shift(mu={mu:0.####})"));
    }

    /// <summary>
    /// FLUX's shift μ for a packed latent sequence length L = (H/16)·(W/16): linear through (256, 0.5) and (4096, 1.15),
    /// μ = 0.5 + (L − 256)·0.65/3840 (0.63 at 512², 1.15 at 1024²).
    /// </summary>
    public static double FluxShiftMu(int sequenceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequenceLength);
        return 0.5 + (sequenceLength - 256) * 0.65 / 3840;
    }

    /// <summary>A grid from explicit times in sampling order (noise first), given in <paramref name="convention"/>.</summary>
    public static FlowTimeGrid FromTimes(IEnumerable<double> times, FlowTimeConvention convention, string name = "custom")
    {
        ArgumentNullException.ThrowIfNull(times);
        var levels = times.Select(t => FlowTime.ToNoiseLevel(t, convention)).ToArray();
        return new FlowTimeGrid(levels, name);
    }

    /// <summary>A grid by name as the <c>ordo flow</c> commands take it: "uniform" or "flux-shift" (μ = 1.15, FLUX at 1024²).</summary>
    public static FlowTimeGrid Parse(string schedule, int steps, double fluxMu = 1.15) => schedule switch
    {
        "uniform" => Uniform(steps),
        "flux-shift" => FluxShifted(steps, fluxMu),
        _ => throw new ArgumentException($"Unknown schedule '{schedule}'. Known: uniform, flux-shift.", nameof(schedule)),
    };

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name}, {Steps} steps");

    private static void CheckSteps(int steps)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "The number of steps must be at least 1.");
    }
}
