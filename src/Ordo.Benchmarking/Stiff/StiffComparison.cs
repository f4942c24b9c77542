namespace Ordo.Benchmarking.Stiff;

/// <summary>
/// What each side costs at one accuracy level of one problem: the time per solve of the fastest Ordo method, of CVODE
/// (BDF, exact Jacobian), of the fastest scipy method, of the best single Ordo method and of Ordo's "auto", each
/// interpolated at <see cref="Error"/> along that method's work-precision curve (NaN where its sweep does not reach
/// that error).
/// </summary>
/// <param name="Problem">Problem name.</param>
/// <param name="Error">The accuracy level (mixed error at the final time).</param>
/// <param name="OrdoBestMethod">The fastest Ordo method at this error ("auto" included), or null.</param>
/// <param name="OrdoBestTime">Its time per solve in seconds.</param>
/// <param name="CvodeTime">CVODE's time at this error.</param>
/// <param name="ScipyBestMethod">The fastest scipy method at this error, or null.</param>
/// <param name="ScipyBestTime">Its time.</param>
/// <param name="BestSingleMethod">The fastest Ordo method other than "auto", or null.</param>
/// <param name="BestSingleTime">Its time.</param>
/// <param name="AutoTime">"auto"'s time (NaN when auto did not run or does not reach this error).</param>
public sealed record AccuracyLevel(string Problem, double Error, string? OrdoBestMethod, double OrdoBestTime, double CvodeTime,
    string? ScipyBestMethod, double ScipyBestTime, string? BestSingleMethod, double BestSingleTime, double AutoTime)
{
    /// <summary>Time Ordo best / CVODE (the target is ≤ 1.5).</summary>
    public double OrdoOverCvode => OrdoBestTime / CvodeTime;

    /// <summary>Time scipy best / Ordo best, the speed-up over scipy (the target is ≥ 20).</summary>
    public double ScipyOverOrdo => ScipyBestTime / OrdoBestTime;

    /// <summary>Time auto / best single method (the target is ≤ 1.5).</summary>
    public double AutoOverBestSingle => AutoTime / BestSingleTime;
}

/// <summary>One target of issue 6 on one problem: the ratios over the accuracy levels, and whether their median meets it.</summary>
/// <param name="Problem">Problem name.</param>
/// <param name="Target">"Ordo best ≤ 1.5 × CVODE", "scipy best ≥ 20 × Ordo best" or "auto ≤ 1.5 × best single".</param>
/// <param name="Ratios">The ratio at each accuracy level where both sides have a time.</param>
/// <param name="Met">Whether the median ratio meets the target; null when no level could be compared.</param>
public sealed record TargetCheck(string Problem, string Target, RatioSummary Ratios, bool? Met);

/// <summary>
/// The comparison at equal accuracy. Accuracy levels are whole decades of the mixed error (1e-1, 1e-2, …, 1e-14); at
/// each level a method's time is its cost to reach that error (<see cref="TimeAt"/>): interpolated piecewise linearly in
/// log₁₀(error)–log₁₀(time) along its sweep in tolerance order (<see cref="WorkPrecision.TryInterpolate"/>, as the ode
/// suite's <see cref="OdeComparison"/>), or a cheaper run that is at least that accurate; never extrapolated to an
/// accuracy the sweep did not reach. Levels start at the decade at or below the largest error of Ordo's runs on the
/// problem (looser ones would repeat the loosest runs), and a level is kept when some Ordo method reaches it.
/// </summary>
public sealed class StiffComparison
{
    /// <summary>The target of Ordo best against CVODE.</summary>
    public const string CvodeTarget = "Ordo best ≤ 1.5 × CVODE";

    /// <summary>The target of scipy best against Ordo best.</summary>
    public const string ScipyTarget = "scipy best ≥ 20 × Ordo best";

    /// <summary>The target of auto against the best single method.</summary>
    public const string AutoTarget = "auto ≤ 1.5 × best single";

    /// <summary>The name of Ordo's automatic method.</summary>
    public const string Auto = "auto";

    /// <summary>CVODE's method name in the comparison (exact Jacobian).</summary>
    public const string CvodeMethod = "bdf";

    private StiffComparison(IReadOnlyList<AccuracyLevel> levels, IReadOnlyList<TargetCheck> targets)
    {
        Levels = levels;
        Targets = targets;
    }

    /// <summary>Every (problem, accuracy level) where an Ordo method has a time.</summary>
    public IReadOnlyList<AccuracyLevel> Levels { get; }

    /// <summary>The three targets per problem.</summary>
    public IReadOnlyList<TargetCheck> Targets { get; }

    /// <summary>What one method's sweep costs to reach an error of at most <paramref name="error"/>: the time interpolated
    /// in log-log along its usable points in tolerance order (loosest first) where the sweep brackets that error, or the
    /// time of a run that is at least that accurate when it is cheaper (a method that over-delivers at its loosest
    /// tolerance is charged that run's time). NaN when no run reaches that error (no extrapolation).</summary>
    public static double TimeAt(IEnumerable<StiffRun> sweep, double error)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        StiffRun[] pts = sweep.Where(r => r.IsUsable).OrderByDescending(r => r.RelativeTolerance).ToArray();
        if (pts.Length == 0 || !(error > 0)) return double.NaN;
        double time = WorkPrecision.TryInterpolate(pts.Select(r => Math.Log10(r.Error)).ToArray(), pts.Select(r => Math.Log10(r.TimeSeconds)).ToArray(),
            Math.Log10(error), out double logTime) ? Math.Pow(10, logTime) : double.PositiveInfinity;
        foreach (StiffRun r in pts)
        {
            if (r.Error <= error) time = Math.Min(time, r.TimeSeconds);
        }
        return double.IsPositiveInfinity(time) ? double.NaN : time;
    }

    /// <summary>Compares the runs of every problem at every decade of error.</summary>
    public static StiffComparison Compute(IReadOnlyList<StiffRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var levels = new List<AccuracyLevel>();
        var targets = new List<TargetCheck>();
        foreach (string problem in runs.Select(r => r.Problem).Distinct())
        {
            Dictionary<(string Library, string Method), StiffRun[]> sweeps = runs.Where(r => r.Problem == problem)
                .GroupBy(r => (r.Library, r.Method)).ToDictionary(g => g.Key, g => g.ToArray());
            var problemLevels = new List<AccuracyLevel>();
            // Levels looser than every Ordo run would only repeat the loosest runs' times: start at the decade at or
            // below Ordo's largest error.
            double loosest = runs.Where(r => r.Problem == problem && r.Library == StiffRun.Ordo && r.IsUsable).Select(r => r.Error).DefaultIfEmpty(0).Max();
            for (int k = 1; k <= 14; k++)
            {
                double e = Math.Pow(10, -k);
                if (e > loosest * (1 + 1e-12)) continue;
                (string? ordoMethod, double ordoTime) = Fastest(sweeps, StiffRun.Ordo, e, _ => true);
                if (ordoMethod is null) continue;
                (string? singleMethod, double singleTime) = Fastest(sweeps, StiffRun.Ordo, e, m => !string.Equals(m, Auto, StringComparison.OrdinalIgnoreCase));
                (string? scipyMethod, double scipyTime) = Fastest(sweeps, StiffRun.Scipy, e, _ => true);
                double cvode = sweeps.TryGetValue((StiffRun.Cvode, CvodeMethod), out StiffRun[]? c) ? TimeAt(c, e) : double.NaN;
                double auto = sweeps.FirstOrDefault(kv => kv.Key.Library == StiffRun.Ordo && string.Equals(kv.Key.Method, Auto, StringComparison.OrdinalIgnoreCase)).Value
                    is { } a ? TimeAt(a, e) : double.NaN;
                problemLevels.Add(new AccuracyLevel(problem, e, ordoMethod, ordoTime, cvode, scipyMethod, scipyTime, singleMethod, singleTime, auto));
            }
            levels.AddRange(problemLevels);
            targets.Add(Check(problem, CvodeTarget, problemLevels.Select(l => l.OrdoOverCvode), m => m <= 1.5));
            targets.Add(Check(problem, ScipyTarget, problemLevels.Select(l => l.ScipyOverOrdo), m => m >= 20));
            targets.Add(Check(problem, AutoTarget, problemLevels.Select(l => l.AutoOverBestSingle), m => m <= 1.5));
        }
        return new StiffComparison(levels, targets);
    }

    private static TargetCheck Check(string problem, string target, IEnumerable<double> ratios, Func<double, bool> met)
    {
        RatioSummary s = RatioSummary.Of(ratios);
        return new TargetCheck(problem, target, s, s.Count == 0 ? null : met(s.Median));
    }

    private static (string? Method, double Time) Fastest(Dictionary<(string Library, string Method), StiffRun[]> sweeps, string library, double error,
        Func<string, bool> include)
    {
        string? best = null;
        double time = double.NaN;
        foreach (KeyValuePair<(string Library, string Method), StiffRun[]> kv in sweeps)
        {
            if (kv.Key.Library != library || !include(kv.Key.Method)) continue;
            double t = TimeAt(kv.Value, error);
            if (double.IsFinite(t) && (best is null || t < time))
            {
                best = kv.Key.Method;
                time = t;
            }
        }
        return (best, time);
    }
}
