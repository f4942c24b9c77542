namespace Ordo.Benchmarking;

/// <summary>
/// Interpolation along a work-precision sweep: what a method costs at a given error.
/// </summary>
public static class WorkPrecision
{
    /// <summary>
    /// Interpolates <paramref name="values"/> as a function of <paramref name="errors"/> along a sweep given in tolerance
    /// order (loosest first), piecewise linearly between consecutive points, at <paramref name="error"/>. Both are
    /// meant in log scale (pass log₁₀ error and log₁₀ cost). When the error is not monotone along the sweep, several
    /// segments may bracket the target; the first one (the loosest tolerances that reach that error, i.e. the cheapest
    /// way to get it) is used.
    /// </summary>
    /// <param name="errors">Errors of the sweep points, in sweep order.</param>
    /// <param name="values">Costs of the same points.</param>
    /// <param name="error">Where to interpolate.</param>
    /// <param name="value">The interpolated cost; NaN when the function returns false.</param>
    /// <returns>False when <paramref name="error"/> lies outside the range the sweep covered (no extrapolation).</returns>
    public static bool TryInterpolate(IReadOnlyList<double> errors, IReadOnlyList<double> values, double error, out double value)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(values);
        if (errors.Count != values.Count) throw new ArgumentException($"{errors.Count} errors but {values.Count} values.", nameof(values));
        value = double.NaN;
        if (!double.IsFinite(error)) return false;
        if (errors.Count == 1 && errors[0] == error)
        {
            value = values[0];
            return true;
        }
        for (int i = 0; i + 1 < errors.Count; i++)
        {
            double e0 = errors[i], e1 = errors[i + 1];
            if (error < Math.Min(e0, e1) || error > Math.Max(e0, e1)) continue;
            if (e0 == e1)
            {
                value = values[i];
            }
            else
            {
                double s = (error - e0) / (e1 - e0);
                value = values[i] + s * (values[i + 1] - values[i]);
            }
            return true;
        }
        return false;
    }

    /// <summary>Median of the finite values (NaN when there are none).</summary>
    public static double Median(IEnumerable<double> values)
    {
        double[] v = values.Where(double.IsFinite).Order().ToArray();
        if (v.Length == 0) return double.NaN;
        int m = v.Length / 2;
        return v.Length % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
    }

    /// <summary>Geometric mean of the positive finite values (NaN when there are none).</summary>
    public static double GeometricMean(IEnumerable<double> values)
    {
        double[] v = values.Where(x => double.IsFinite(x) && x > 0).ToArray();
        return v.Length == 0 ? double.NaN : Math.Exp(v.Average(Math.Log));
    }
}

/// <summary>One scipy point and what the paired Ordo method costs at the same error (interpolated along Ordo's sweep).</summary>
/// <param name="Problem">Problem name.</param>
/// <param name="Pair">Ordo and scipy method.</param>
/// <param name="RelativeTolerance">scipy's rtol for this point.</param>
/// <param name="Error">scipy's mixed error, the "equal error" both are compared at.</param>
/// <param name="ScipyRhsEvaluations">scipy's RHS calls.</param>
/// <param name="ScipyTimeSeconds">scipy's time per solve.</param>
/// <param name="OrdoRhsEvaluations">Ordo's RHS calls at that error (interpolated in log-log).</param>
/// <param name="OrdoTimeSeconds">Ordo's time per solve at that error (interpolated in log-log).</param>
public sealed record EqualErrorPoint(string Problem, MethodPair Pair, double RelativeTolerance, double Error,
    long ScipyRhsEvaluations, double ScipyTimeSeconds, double OrdoRhsEvaluations, double OrdoTimeSeconds)
{
    /// <summary>RHS calls Ordo / scipy (below 1: Ordo needs fewer).</summary>
    public double RhsRatio => OrdoRhsEvaluations / ScipyRhsEvaluations;

    /// <summary>Time scipy / Ordo (above 1: Ordo is faster).</summary>
    public double SpeedUp => ScipyTimeSeconds / OrdoTimeSeconds;
}

/// <summary>A scipy point left out of the comparison at equal error, and why.</summary>
/// <param name="Problem">Problem name.</param>
/// <param name="Pair">Ordo and scipy method.</param>
/// <param name="RelativeTolerance">scipy's rtol.</param>
/// <param name="Reason">E.g. "scipy: budget_exceeded" or "error 3e-12 outside Ordo's range [1e-11, 1e-4]".</param>
public sealed record DroppedPoint(string Problem, MethodPair Pair, double RelativeTolerance, string Reason);

/// <summary>Ordo and scipy at the same (rtol, atol).</summary>
/// <param name="Problem">Problem name.</param>
/// <param name="Pair">Ordo and scipy method.</param>
/// <param name="RelativeTolerance">rtol of both.</param>
/// <param name="OrdoError">Ordo's mixed error.</param>
/// <param name="ScipyError">scipy's mixed error.</param>
/// <param name="OrdoRhsEvaluations">Ordo's RHS calls.</param>
/// <param name="ScipyRhsEvaluations">scipy's RHS calls.</param>
/// <param name="OrdoTimeSeconds">Ordo's time per solve.</param>
/// <param name="ScipyTimeSeconds">scipy's time per solve.</param>
public sealed record SameTolerancePoint(string Problem, MethodPair Pair, double RelativeTolerance, double OrdoError, double ScipyError,
    long OrdoRhsEvaluations, long ScipyRhsEvaluations, double OrdoTimeSeconds, double ScipyTimeSeconds)
{
    /// <summary>RHS calls Ordo / scipy.</summary>
    public double RhsRatio => (double)OrdoRhsEvaluations / ScipyRhsEvaluations;

    /// <summary>Time scipy / Ordo.</summary>
    public double SpeedUp => ScipyTimeSeconds / OrdoTimeSeconds;

    /// <summary>Error Ordo / scipy (below 1: Ordo is more accurate at this tolerance).</summary>
    public double ErrorRatio => OrdoError / ScipyError;
}

/// <summary>Median, geometric mean and range of a set of ratios.</summary>
/// <param name="Count">Number of finite positive values.</param>
/// <param name="Median">Median.</param>
/// <param name="GeometricMean">Geometric mean.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
public sealed record RatioSummary(int Count, double Median, double GeometricMean, double Min, double Max)
{
    /// <summary>Summarizes the finite positive values of <paramref name="values"/>.</summary>
    public static RatioSummary Of(IEnumerable<double> values)
    {
        double[] v = values.Where(x => double.IsFinite(x) && x > 0).ToArray();
        return v.Length == 0
            ? new RatioSummary(0, double.NaN, double.NaN, double.NaN, double.NaN)
            : new RatioSummary(v.Length, WorkPrecision.Median(v), WorkPrecision.GeometricMean(v), v.Min(), v.Max());
    }
}

/// <summary>The comparison of one Ordo ↔ scipy pair over all problems.</summary>
/// <param name="Pair">The methods.</param>
/// <param name="RhsRatio">RHS calls Ordo / scipy at equal error.</param>
/// <param name="SpeedUp">Time scipy / Ordo at equal error.</param>
/// <param name="WorstRhsRatio">The point with the largest RHS ratio (worst for Ordo), if any.</param>
/// <param name="WorstSpeedUp">The point with the smallest speed-up (worst for Ordo), if any.</param>
/// <param name="Dropped">scipy points that could not be compared at equal error.</param>
/// <param name="SameToleranceRhsRatio">RHS calls Ordo / scipy at the same tolerance.</param>
/// <param name="SameToleranceSpeedUp">Time scipy / Ordo at the same tolerance.</param>
/// <param name="SameToleranceErrorRatio">Error Ordo / scipy at the same tolerance.</param>
public sealed record PairSummary(MethodPair Pair, RatioSummary RhsRatio, RatioSummary SpeedUp, EqualErrorPoint? WorstRhsRatio,
    EqualErrorPoint? WorstSpeedUp, int Dropped, RatioSummary SameToleranceRhsRatio, RatioSummary SameToleranceSpeedUp,
    RatioSummary SameToleranceErrorRatio);

/// <summary>The comparison of one pair on one problem.</summary>
/// <param name="Problem">Problem name.</param>
/// <param name="Pair">The methods.</param>
/// <param name="Points">Points compared at equal error.</param>
/// <param name="Dropped">scipy points that could not be compared.</param>
/// <param name="RhsRatio">RHS calls Ordo / scipy at equal error.</param>
/// <param name="SpeedUp">Time scipy / Ordo at equal error.</param>
public sealed record ProblemPairSummary(string Problem, MethodPair Pair, int Points, int Dropped, RatioSummary RhsRatio, RatioSummary SpeedUp);

/// <summary>
/// Ordo against scipy: for every scipy point of a pair, Ordo's cost at the same error, interpolated in log-log along
/// Ordo's tolerance sweep (only inside the error range that sweep covered); and the plain same-tolerance ratios.
/// </summary>
public sealed class OdeComparison
{
    private OdeComparison(IReadOnlyList<EqualErrorPoint> equalError, IReadOnlyList<DroppedPoint> dropped,
        IReadOnlyList<SameTolerancePoint> sameTolerance, IReadOnlyList<PairSummary> pairs, IReadOnlyList<ProblemPairSummary> perProblem)
    {
        EqualError = equalError;
        Dropped = dropped;
        SameTolerance = sameTolerance;
        Pairs = pairs;
        PerProblem = perProblem;
        Overall = new PairSummary(new MethodPair("all", "all"),
            RatioSummary.Of(equalError.Select(p => p.RhsRatio)), RatioSummary.Of(equalError.Select(p => p.SpeedUp)),
            equalError.MaxBy(p => p.RhsRatio), equalError.MinBy(p => p.SpeedUp), dropped.Count,
            RatioSummary.Of(sameTolerance.Select(p => p.RhsRatio)), RatioSummary.Of(sameTolerance.Select(p => p.SpeedUp)),
            RatioSummary.Of(sameTolerance.Select(p => p.ErrorRatio)));
    }

    /// <summary>Every scipy point compared at equal error.</summary>
    public IReadOnlyList<EqualErrorPoint> EqualError { get; }

    /// <summary>scipy points that could not be compared at equal error.</summary>
    public IReadOnlyList<DroppedPoint> Dropped { get; }

    /// <summary>Every (problem, pair, tolerance) where both sides succeeded.</summary>
    public IReadOnlyList<SameTolerancePoint> SameTolerance { get; }

    /// <summary>Summary per pair.</summary>
    public IReadOnlyList<PairSummary> Pairs { get; }

    /// <summary>Summary over all pairs together.</summary>
    public PairSummary Overall { get; }

    /// <summary>Summary per problem and pair.</summary>
    public IReadOnlyList<ProblemPairSummary> PerProblem { get; }

    /// <summary>Compares the Ordo and scipy runs of <paramref name="runs"/> for each of <paramref name="pairs"/>.</summary>
    public static OdeComparison Compute(IReadOnlyList<BenchmarkRun> runs, IReadOnlyList<MethodPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(pairs);
        var equal = new List<EqualErrorPoint>();
        var dropped = new List<DroppedPoint>();
        var same = new List<SameTolerancePoint>();
        var perProblem = new List<ProblemPairSummary>();
        var pairSummaries = new List<PairSummary>();
        IEnumerable<string> problems = runs.Select(r => r.Problem).Distinct();
        foreach (MethodPair pair in pairs)
        {
            var pairEqual = new List<EqualErrorPoint>();
            var pairSame = new List<SameTolerancePoint>();
            int pairDropped = 0;
            foreach (string problem in problems)
            {
                BenchmarkRun[] ordo = runs.Where(r => r.Side == BenchmarkSide.Ordo && r.Problem == problem
                        && string.Equals(r.Method, pair.OrdoMethod, StringComparison.OrdinalIgnoreCase))
                    .OrderByDescending(r => r.RelativeTolerance).ToArray();
                BenchmarkRun[] scipy = runs.Where(r => r.Side == BenchmarkSide.Scipy && r.Problem == problem
                        && string.Equals(r.Method, pair.ScipyMethod, StringComparison.OrdinalIgnoreCase))
                    .OrderByDescending(r => r.RelativeTolerance).ToArray();
                if (ordo.Length == 0 || scipy.Length == 0) continue;

                BenchmarkRun[] sweep = ordo.Where(r => r.IsUsable).ToArray();
                double[] logErr = sweep.Select(r => Math.Log10(r.Error)).ToArray();
                double[] logRhs = sweep.Select(r => Math.Log10(r.RhsEvaluations)).ToArray();
                double[] logTime = sweep.Select(r => Math.Log10(r.TimeSeconds)).ToArray();
                var problemPoints = new List<EqualErrorPoint>();
                int problemDropped = 0;
                foreach (BenchmarkRun s in scipy)
                {
                    BenchmarkRun? o = ordo.FirstOrDefault(r => r.RelativeTolerance == s.RelativeTolerance);
                    if (o is not null && o.IsUsable && s.IsUsable)
                    {
                        same.Add(new SameTolerancePoint(problem, pair, s.RelativeTolerance, o.Error, s.Error, o.RhsEvaluations,
                            s.RhsEvaluations, o.TimeSeconds, s.TimeSeconds));
                        pairSame.Add(same[^1]);
                    }
                    string? reason = null;
                    if (!s.IsUsable)
                    {
                        reason = s.IsSuccess ? "scipy: no usable error or time" : $"scipy: {s.Status}";
                    }
                    else if (sweep.Length == 0)
                    {
                        reason = $"no successful {pair.OrdoMethod} run";
                    }
                    else if (!WorkPrecision.TryInterpolate(logErr, logRhs, Math.Log10(s.Error), out double lr)
                        || !WorkPrecision.TryInterpolate(logErr, logTime, Math.Log10(s.Error), out double lt))
                    {
                        reason = FormattableString.Invariant(
                            $"error {s.Error:0.0e0} outside {pair.OrdoMethod}'s range [{sweep.Min(r => r.Error):0.0e0}, {sweep.Max(r => r.Error):0.0e0}]");
                    }
                    else
                    {
                        var p = new EqualErrorPoint(problem, pair, s.RelativeTolerance, s.Error, s.RhsEvaluations, s.TimeSeconds,
                            Math.Pow(10, lr), Math.Pow(10, lt));
                        problemPoints.Add(p);
                    }
                    if (reason is not null)
                    {
                        dropped.Add(new DroppedPoint(problem, pair, s.RelativeTolerance, reason));
                        problemDropped++;
                    }
                }
                equal.AddRange(problemPoints);
                pairEqual.AddRange(problemPoints);
                pairDropped += problemDropped;
                perProblem.Add(new ProblemPairSummary(problem, pair, problemPoints.Count, problemDropped,
                    RatioSummary.Of(problemPoints.Select(p => p.RhsRatio)), RatioSummary.Of(problemPoints.Select(p => p.SpeedUp))));
            }
            pairSummaries.Add(new PairSummary(pair,
                RatioSummary.Of(pairEqual.Select(p => p.RhsRatio)), RatioSummary.Of(pairEqual.Select(p => p.SpeedUp)),
                pairEqual.MaxBy(p => p.RhsRatio), pairEqual.MinBy(p => p.SpeedUp), pairDropped,
                RatioSummary.Of(pairSame.Select(p => p.RhsRatio)), RatioSummary.Of(pairSame.Select(p => p.SpeedUp)),
                RatioSummary.Of(pairSame.Select(p => p.ErrorRatio))));
        }
        return new OdeComparison(equal, dropped, same, pairSummaries, perProblem);
    }
}
