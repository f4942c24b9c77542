namespace Ordo.Integration;

/// <summary>What an ensemble computes besides the mean and variance.</summary>
public sealed record SdeEnsembleOptions
{
    /// <summary>The number of paths (default 1000, as the problem files). Path k uses stream k of <see cref="SdeOptions.Seed"/>.</summary>
    public int Paths { get; init; } = 1000;

    /// <summary>Quantile levels of the final state, each in [0, 1] (default 0.05, 0.5, 0.95). Quantiles need the final
    /// states of all paths (8·d bytes per path); an empty list keeps nothing per path.</summary>
    public IReadOnlyList<double> Quantiles { get; init; } = [0.05, 0.5, 0.95];

    /// <summary>Keep every path's final state in <see cref="SdeEnsembleResult.FinalStates"/> (default false).</summary>
    public bool KeepFinalStates { get; init; }

    /// <summary>Receives the fraction of paths done (0…1, increasing), from worker threads under a lock; null for none.</summary>
    public IProgress<double>? Progress { get; init; }

    /// <summary>Worker threads; −1 (default) uses all cores. The results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Paths, nameof(Paths));
        ArgumentNullException.ThrowIfNull(Quantiles, nameof(Quantiles));
        for (int i = 0; i < Quantiles.Count; i++)
            if (!(Quantiles[i] >= 0 && Quantiles[i] <= 1))
                throw new ArgumentOutOfRangeException(nameof(Quantiles), Quantiles[i], $"Quantiles[{i}] must lie in [0, 1] but is {Quantiles[i]}.");
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "MaxDegreeOfParallelism must be −1 (all cores) or ≥ 1.");
    }
}

/// <summary>
/// Summary statistics of many paths of one SDE: mean, variance and quantiles of the final state (and mean and variance at
/// <see cref="SdeOptions.SaveTimes"/>), over the paths that reached t1; counts summed over all paths.
/// </summary>
public sealed class SdeEnsembleResult
{
    internal SdeEnsembleResult(string method, int paths, int successful, SdeStatus status, long[] statusCounts, SdeStats stats,
        double time, double[] mean, double[] variance, double[] quantileLevels, double[][] quantiles,
        double[][] saveMeans, double[][] saveVariances, double[]? finals, int dimension)
    {
        Method = method;
        Paths = paths;
        SuccessfulPaths = successful;
        Status = status;
        _statusCounts = statusCounts;
        Stats = stats;
        Time = time;
        Mean = mean;
        Variance = variance;
        QuantileLevels = quantileLevels;
        Quantiles = quantiles;
        SaveMeans = saveMeans;
        SaveVariances = saveVariances;
        _finals = finals;
        _dimension = dimension;
    }

    private readonly long[] _statusCounts;
    private readonly double[]? _finals;
    private readonly int _dimension;

    /// <summary>The method's name.</summary>
    public string Method { get; }

    /// <summary>The number of paths run.</summary>
    public int Paths { get; }

    /// <summary>The number of paths that reached t1 (the statistics use these).</summary>
    public int SuccessfulPaths { get; }

    /// <summary><see cref="SdeStatus.Success"/> when every path reached t1, otherwise the status of the lowest-numbered failed path.</summary>
    public SdeStatus Status { get; }

    /// <summary>The number of paths that ended with <paramref name="status"/>.</summary>
    public long Count(SdeStatus status) => _statusCounts[(int)status];

    /// <summary>Counts summed over all paths.</summary>
    public SdeStats Stats { get; }

    /// <summary>t1.</summary>
    public double Time { get; }

    /// <summary>The mean of the final state (d values; NaN when no path succeeded).</summary>
    public double[] Mean { get; }

    /// <summary>The unbiased sample variance of the final state (d values; NaN with fewer than two successful paths).</summary>
    public double[] Variance { get; }

    /// <summary>The quantile levels.</summary>
    public double[] QuantileLevels { get; }

    /// <summary>Quantiles of the final state: <c>Quantiles[q][i]</c> at level <c>QuantileLevels[q]</c> of component i
    /// (linear interpolation between order statistics, numpy's default).</summary>
    public double[][] Quantiles { get; }

    /// <summary>The mean at each of <see cref="SdeOptions.SaveTimes"/> (over the paths that reached that time).</summary>
    public double[][] SaveMeans { get; }

    /// <summary>The variance at each of <see cref="SdeOptions.SaveTimes"/>.</summary>
    public double[][] SaveVariances { get; }

    /// <summary>The final state of path <paramref name="path"/> (NaN when it failed); needs
    /// <see cref="SdeEnsembleOptions.KeepFinalStates"/> (quantiles alone do not keep them).</summary>
    public ReadOnlySpan<double> FinalState(int path)
    {
        if (_finals is null) throw new InvalidOperationException("Final states were not kept: set SdeEnsembleOptions.KeepFinalStates.");
        ArgumentOutOfRangeException.ThrowIfNegative(path);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(path, Paths);
        return _finals.AsSpan(path * _dimension, _dimension);
    }

    /// <summary>The kept final states, path-major (or empty).</summary>
    public ReadOnlySpan<double> FinalStates => _finals;
}

/// <summary>
/// Runs many paths of one SDE in parallel on all cores with per-path seeds derived from one master seed (path k is
/// stream k, so its noise depends only on (seed, k): the same numbers whatever the thread count or order), and
/// summarises them without keeping trajectories: streaming mean and variance (Welford 1962, merged per fixed block of
/// paths in path order — Chan, Golub &amp; LeVeque 1983 — so the result is bitwise reproducible) and quantiles of the
/// final state. One integrator per worker, reused for every path: no allocation per path.
/// </summary>
public static class SdeEnsemble
{
    private const int BlockSize = 64;

    // Status counts are indexed by the enum's value (Success = 1 … NonFiniteValue = 4).
    private static readonly int StatusSlots = Enum.GetValues<SdeStatus>().Max(s => (int)s) + 1;

    /// <summary>Runs the ensemble.</summary>
    /// <exception cref="ArgumentException">Bad options, or a method that does not fit the problem.</exception>
    public static SdeEnsembleResult Solve(SdeProblem problem, SdeMethod method, SdeOptions? options = null, SdeEnsembleOptions? ensemble = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(method);
        options ??= SdeOptions.Default;
        ensemble ??= new SdeEnsembleOptions();
        options.Validate(problem);
        ensemble.Validate();
        if (method.Unsupported(problem) is { } why) throw new ArgumentException(why, nameof(method));
        _ = new SdePathIntegrator(problem, method, options); // validates method/options combinations before going parallel

        int d = problem.Dimension, paths = ensemble.Paths;
        int saves = options.SaveTimes?.Count ?? 0;
        int blocks = (paths + BlockSize - 1) / BlockSize;
        var blockStats = new BlockStatistics[blocks];
        bool keep = ensemble.KeepFinalStates || ensemble.Quantiles.Count > 0;
        double[]? finals = keep ? new double[(long)paths * d > int.MaxValue ? throw new ArgumentException("Too many paths × dimensions to keep the final states; set Quantiles to [] and KeepFinalStates to false.") : paths * d] : null;

        IProgress<double>? progress = ensemble.Progress;
        var progressGate = new object();
        int completed = 0;
        double reported = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = ensemble.MaxDegreeOfParallelism, CancellationToken = options.CancellationToken };
        Parallel.For(0, blocks, parallel,
            () => new Worker(new SdePathIntegrator(problem, method, options)),
            (b, _, worker) =>
            {
                var stats = new BlockStatistics(d, saves);
                worker.Recorder.Target = stats;
                int first = b * BlockSize, last = Math.Min(paths, first + BlockSize);
                for (int p = first; p < last; p++)
                {
                    var (status, _, pathStats) = worker.Integrator.Run((ulong)p, saves > 0 ? worker.Recorder : null);
                    stats.Counts += pathStats;
                    stats.StatusCounts[(int)status]++;
                    ReadOnlySpan<double> y = worker.Integrator.State;
                    if (status == SdeStatus.Success) stats.Final.Add(y);
                    else if (stats.FirstFailure < 0) { stats.FirstFailure = p; stats.FirstFailureStatus = status; }
                    if (finals is not null)
                    {
                        Span<double> dst = finals.AsSpan(p * d, d);
                        if (status == SdeStatus.Success) y.CopyTo(dst);
                        else dst.Fill(double.NaN);
                    }
                }
                blockStats[b] = stats;
                if (progress is not null)
                {
                    int done = Interlocked.Add(ref completed, last - first);
                    lock (progressGate)
                    {
                        double fraction = (double)done / paths;
                        if (fraction > reported)
                        {
                            reported = fraction;
                            progress.Report(fraction);
                        }
                    }
                }
                return worker;
            },
            _ => { });

        var total = new Welford(d);
        var saveTotals = new Welford[saves];
        for (int i = 0; i < saves; i++) saveTotals[i] = new Welford(d);
        var counts = new SdeStats();
        var statusCounts = new long[StatusSlots];
        SdeStatus status = SdeStatus.Success;
        foreach (var s in blockStats)
        {
            total.Merge(s.Final);
            for (int i = 0; i < saves; i++) saveTotals[i].Merge(s.Saves[i]);
            counts += s.Counts;
            for (int i = 0; i < statusCounts.Length; i++) statusCounts[i] += s.StatusCounts[i];
            if (status == SdeStatus.Success && s.FirstFailure >= 0) status = s.FirstFailureStatus;
        }

        double[] levels = [.. ensemble.Quantiles];
        var quantiles = new double[levels.Length][];
        if (levels.Length > 0)
        {
            var column = new double[paths];
            for (int q = 0; q < levels.Length; q++) quantiles[q] = new double[d];
            for (int i = 0; i < d; i++)
            {
                int n = 0;
                for (int p = 0; p < paths; p++)
                {
                    double v = finals![p * d + i];
                    if (!double.IsNaN(v)) column[n++] = v;
                }
                Span<double> sorted = column.AsSpan(0, n);
                sorted.Sort();
                for (int q = 0; q < levels.Length; q++) quantiles[q][i] = Quantile(sorted, levels[q]);
            }
        }
        return new SdeEnsembleResult(method.Name, paths, (int)total.Count, status, statusCounts, counts, problem.T1,
            total.Mean(), total.Variance(), levels, quantiles,
            [.. saveTotals.Select(w => w.Mean())], [.. saveTotals.Select(w => w.Variance())],
            ensemble.KeepFinalStates ? finals : null, d);
    }

    /// <summary>Runs the ensemble with <see cref="SdeMethods.Default"/>.</summary>
    public static SdeEnsembleResult Solve(SdeProblem problem, SdeOptions? options = null, SdeEnsembleOptions? ensemble = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return Solve(problem, SdeMethods.Default(problem), options, ensemble);
    }

    /// <summary>The quantile of sorted data by linear interpolation between order statistics (Hyndman &amp; Fan 1996, type 7).</summary>
    internal static double Quantile(ReadOnlySpan<double> sorted, double level)
    {
        if (sorted.Length == 0) return double.NaN;
        double x = level * (sorted.Length - 1);
        int lo = (int)Math.Floor(x);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (x - lo) * (sorted[hi] - sorted[lo]);
    }

    private sealed class Worker(SdePathIntegrator integrator)
    {
        public SdePathIntegrator Integrator { get; } = integrator;
        public SaveRecorder Recorder { get; } = new();
    }

    private sealed class SaveRecorder : SdeRecorder
    {
        public BlockStatistics? Target { get; set; }
        public override bool Steps => false;
        public override void Record(double t, ReadOnlySpan<double> y, int saveTimeIndex)
        {
            if (saveTimeIndex >= 0) Target!.Saves[saveTimeIndex].Add(y);
        }
    }

    private sealed class BlockStatistics
    {
        public BlockStatistics(int d, int saves)
        {
            Final = new Welford(d);
            Saves = new Welford[saves];
            for (int i = 0; i < saves; i++) Saves[i] = new Welford(d);
        }

        public Welford Final { get; }
        public Welford[] Saves { get; }
        public SdeStats Counts;
        public long[] StatusCounts { get; } = new long[StatusSlots];
        public int FirstFailure = -1;
        public SdeStatus FirstFailureStatus;
    }

    /// <summary>Welford's streaming mean and sum of squared deviations, with the pairwise merge of Chan, Golub &amp; LeVeque.</summary>
    private sealed class Welford(int d)
    {
        private readonly double[] _mean = new double[d], _m2 = new double[d];

        public long Count { get; private set; }

        public void Add(ReadOnlySpan<double> x)
        {
            Count++;
            double inv = 1.0 / Count;
            for (int i = 0; i < _mean.Length; i++)
            {
                double delta = x[i] - _mean[i];
                _mean[i] += delta * inv;
                _m2[i] += delta * (x[i] - _mean[i]);
            }
        }

        public void Merge(Welford other)
        {
            if (other.Count == 0) return;
            long n = Count + other.Count;
            for (int i = 0; i < _mean.Length; i++)
            {
                double delta = other._mean[i] - _mean[i];
                _mean[i] += delta * other.Count / n;
                _m2[i] += other._m2[i] + delta * delta * ((double)Count * other.Count / n);
            }
            Count = n;
        }

        public double[] Mean()
        {
            var m = (double[])_mean.Clone();
            if (Count == 0) Array.Fill(m, double.NaN);
            return m;
        }

        public double[] Variance()
        {
            var v = new double[_m2.Length];
            for (int i = 0; i < v.Length; i++) v[i] = Count > 1 ? _m2[i] / (Count - 1) : double.NaN;
            return v;
        }
    }
}
