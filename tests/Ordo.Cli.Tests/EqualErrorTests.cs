using Ordo.Benchmarking;

namespace Ordo.Cli.Tests;

public sealed class EqualErrorTests
{
    // A synthetic order-5 method: rhs calls = 100 · (error / 1e-4)^(-1/5), i.e. a straight line in log-log.
    private static double Calls(double error) => 100 * Math.Pow(error / 1e-4, -0.2);

    [Fact]
    public void Interpolation_OnAStraightLogLogCurve_IsExact()
    {
        double[] errors = [1e-4, 1e-6, 1e-8, 1e-10];
        double[] logErr = errors.Select(Math.Log10).ToArray();
        double[] logCalls = errors.Select(e => Math.Log10(Calls(e))).ToArray();
        foreach (double target in new[] { 3e-5, 1e-6, 4.2e-9, 1e-10 })
        {
            Assert.True(WorkPrecision.TryInterpolate(logErr, logCalls, Math.Log10(target), out double v));
            Assert.Equal(Calls(target), Math.Pow(10, v), 1e-9 * Calls(target));
        }
        // 1e-7 is three decades below 1e-4: 100 · 10^(3/5).
        Assert.True(WorkPrecision.TryInterpolate(logErr, logCalls, -7, out double mid));
        Assert.Equal(100 * Math.Pow(10, 0.6), Math.Pow(10, mid), 1e-9);
    }

    [Fact]
    public void Interpolation_OutsideTheSweep_IsRefused()
    {
        double[] logErr = [-4, -6, -8];
        double[] values = [2, 2.4, 2.8];
        Assert.False(WorkPrecision.TryInterpolate(logErr, values, -3.9, out double a));
        Assert.True(double.IsNaN(a));
        Assert.False(WorkPrecision.TryInterpolate(logErr, values, -8.1, out _));
        Assert.False(WorkPrecision.TryInterpolate([], [], -5, out _));
    }

    [Fact]
    public void Interpolation_NonMonotoneSweep_UsesTheFirstBracketingSegment()
    {
        // Errors along the sweep: 1e-4, 1e-7, 1e-6 (a bump), 1e-9. The target 3e-7 lies in segments 0–1 and 1–2;
        // the first (cheaper) one is used.
        double[] logErr = [-4, -7, -6, -9];
        double[] values = [0, 3, 4, 7];
        Assert.True(WorkPrecision.TryInterpolate(logErr, values, -6.5, out double v));
        Assert.Equal(2.5, v, 12);
    }

    [Fact]
    public void Comparison_OnSyntheticSweeps_GivesTheKnownRatios()
    {
        // Ordo: calls(e), time = calls · 1 µs. scipy: twice the calls at equal error, 50 µs per call, and its errors
        // fall between Ordo's, except one outside Ordo's range.
        var pair = new MethodPair("dp5", "RK45");
        var runs = new List<BenchmarkRun>();
        double[] ordoRtols = [1e-4, 1e-6, 1e-8];
        foreach (double r in ordoRtols)
        {
            double e = r / 10;
            runs.Add(Run(BenchmarkSide.Ordo, "P", "dp5", r, e, (long)Math.Round(Calls(e)), Calls(e) * 1e-6));
        }
        double[] scipyErrors = [3e-6, 2e-8, 1e-10];
        double[] scipyRtols = [1e-4, 1e-6, 1e-8];
        for (int i = 0; i < 3; i++)
        {
            double e = scipyErrors[i];
            long calls = (long)Math.Round(2 * Calls(e));
            runs.Add(Run(BenchmarkSide.Scipy, "P", "RK45", scipyRtols[i], e, calls, calls * 50e-6));
        }
        OdeComparison c = OdeComparison.Compute(runs, [pair]);
        Assert.Equal(2, c.EqualError.Count);
        Assert.Single(c.Dropped);
        Assert.Equal(1e-8, c.Dropped[0].RelativeTolerance);
        foreach (EqualErrorPoint p in c.EqualError)
        {
            Assert.Equal(0.5, p.RhsRatio, 2);   // rounding of the integer call counts
            Assert.Equal(100, p.SpeedUp, 0);    // (2 · calls · 50 µs) / (calls · 1 µs)
        }
        PairSummary s = Assert.Single(c.Pairs);
        Assert.Equal(2, s.RhsRatio.Count);
        Assert.Equal(0.5, s.RhsRatio.Median, 2);
        Assert.Equal(100, s.SpeedUp.GeometricMean, 0);
        Assert.Equal(3, s.SameToleranceRhsRatio.Count);
        ProblemPairSummary pp = Assert.Single(c.PerProblem);
        Assert.Equal((2, 1), (pp.Points, pp.Dropped));
    }

    [Fact]
    public void RatioSummary_MedianAndGeometricMean()
    {
        RatioSummary s = RatioSummary.Of([1, 4, 16, double.NaN, -1]);
        Assert.Equal(3, s.Count);
        Assert.Equal(4, s.Median, 12);
        Assert.Equal(4, s.GeometricMean, 12);
        Assert.Equal((1.0, 16.0), (s.Min, s.Max));
    }

    private static BenchmarkRun Run(BenchmarkSide side, string problem, string method, double rtol, double error, long calls, double time) =>
        new(side, problem, method, rtol, 1e-3 * rtol, "success", "", error, error, calls, (int)(calls / 6), 0, time, 10);
}
