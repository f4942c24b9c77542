namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// <see cref="SdeEnsemble"/>: reproducibility (bitwise, whatever the thread count), path k = stream k of a single solve,
/// statistics against closed forms (sde.md §5.5 principles: 5 standard errors from exact moments), failing paths,
/// cancellation and bad options.
/// </summary>
public class SdeEnsembleTests(ITestOutputHelper output)
{
    private static readonly double[] OuSaveTimes = [0.125, 0.25, 0.5, 0.75, 1.0];

    private static SdeOptions AdaptiveOu => new() { Seed = 5, SaveTimes = OuSaveTimes, BrownianTolerance = 1.0 / 4096 };

    private static void SameBits(SdeEnsembleResult a, SdeEnsembleResult b)
    {
        static long[] Bits(IEnumerable<double> v) => [.. v.Select(BitConverter.DoubleToInt64Bits)];
        Assert.Equal(Bits(a.Mean), Bits(b.Mean));
        Assert.Equal(Bits(a.Variance), Bits(b.Variance));
        Assert.Equal(a.Quantiles.Length, b.Quantiles.Length);
        for (int q = 0; q < a.Quantiles.Length; q++) Assert.Equal(Bits(a.Quantiles[q]), Bits(b.Quantiles[q]));
        Assert.Equal(a.SaveMeans.Length, b.SaveMeans.Length);
        for (int i = 0; i < a.SaveMeans.Length; i++)
        {
            Assert.Equal(Bits(a.SaveMeans[i]), Bits(b.SaveMeans[i]));
            Assert.Equal(Bits(a.SaveVariances[i]), Bits(b.SaveVariances[i]));
        }
        Assert.Equal(Bits(a.FinalStates.ToArray()), Bits(b.FinalStates.ToArray()));
        Assert.Equal(a.Stats, b.Stats);
        Assert.Equal(a.Status, b.Status);
        Assert.Equal(a.SuccessfulPaths, b.SuccessfulPaths);
    }

    [Fact]
    public void Results_are_bitwise_identical_for_any_thread_count_and_on_repetition()
    {
        var ou = SdeReferenceProblems.Ou();
        var ensemble = new SdeEnsembleOptions { Paths = 300, KeepFinalStates = true, MaxDegreeOfParallelism = 1 };
        var serial = SdeEnsemble.Solve(ou, AdditiveSrkMethod.ShArk, AdaptiveOu, ensemble);
        Assert.True(serial.Stats.RejectedSteps > 0, "the adaptive case should reject some steps");
        SameBits(serial, SdeEnsemble.Solve(ou, AdditiveSrkMethod.ShArk, AdaptiveOu, ensemble with { MaxDegreeOfParallelism = 2 }));
        SameBits(serial, SdeEnsemble.Solve(ou, AdditiveSrkMethod.ShArk, AdaptiveOu, ensemble with { MaxDegreeOfParallelism = -1 }));
        SameBits(serial, SdeEnsemble.Solve(ou, AdditiveSrkMethod.ShArk, AdaptiveOu, ensemble with { MaxDegreeOfParallelism = -1 }));

        var gbm = SdeReferenceProblems.Gbm();
        var fixedOptions = new SdeOptions { FixedStep = 1.0 / 32, Seed = 3 };
        var a = SdeEnsemble.Solve(gbm, Milstein.Instance, fixedOptions, ensemble with { Paths = 1000 });
        SameBits(a, SdeEnsemble.Solve(gbm, Milstein.Instance, fixedOptions, ensemble with { Paths = 1000, MaxDegreeOfParallelism = -1 }));
        SameBits(a, SdeEnsemble.Solve(gbm, Milstein.Instance, fixedOptions, ensemble with { Paths = 1000, MaxDegreeOfParallelism = 2 }));
        // A different seed is a different ensemble.
        var other = SdeEnsemble.Solve(gbm, Milstein.Instance, fixedOptions with { Seed = 4 }, ensemble with { Paths = 1000 });
        Assert.NotEqual(a.Mean[0], other.Mean[0]);
    }

    [Fact]
    public void Path_k_of_the_ensemble_is_the_single_solve_of_stream_k()
    {
        var cases = new (SdeProblem Problem, SdeMethod Method, SdeOptions Options)[]
        {
            (SdeReferenceProblems.Gbm(), SriMethod.Sriw1, new SdeOptions { FixedStep = 1.0 / 20, Seed = 42 }),
            (SdeReferenceProblems.Gbm(), SriMethod.Sriw1, new SdeOptions { Seed = 42 }),
            (SdeReferenceProblems.Ou(), AdditiveSrkMethod.ShArk, AdaptiveOu),
            (SdeReferenceProblems.Commutative2(), StochasticHeun.Instance, new SdeOptions { Seed = 8 }),
        };
        foreach (var (problem, method, options) in cases)
        {
            const int paths = 70; // two blocks of the ensemble, the last one partial
            var r = SdeEnsemble.Solve(problem, method, options, new SdeEnsembleOptions { Paths = paths, KeepFinalStates = true });
            Assert.Equal(paths * problem.Dimension, r.FinalStates.Length);
            var stats = new SdeStats();
            foreach (int k in new[] { 0, 1, 63, 64, 69 })
            {
                var single = Sde.Solve(problem, method, options with { Stream = (ulong)k });
                Assert.Equal(SdeStatus.Success, single.Status);
                Assert.Equal(single.Y, r.FinalState(k).ToArray());
            }
            for (int k = 0; k < paths; k++) stats += Sde.Solve(problem, method, options with { Stream = (ulong)k }).Stats;
            Assert.Equal(stats, r.Stats);
        }
    }

    [Fact]
    public void Gbm_mean_variance_and_lognormal_quantiles_at_t1()
    {
        const int m = 10_000;
        double[] levels = [0.05, 0.25, 0.5, 0.75, 0.95];
        var r = SdeEnsemble.Solve(SdeReferenceProblems.Gbm(), SriMethod.Sriw1, new SdeOptions { FixedStep = 1.0 / 64, Seed = 2027 },
            new SdeEnsembleOptions { Paths = m, Quantiles = levels });
        Assert.Equal(SdeStatus.Success, r.Status);
        Assert.Equal(levels, r.QuantileLevels);
        const double mu = SdeReferenceProblems.GbmMu, sigma = SdeReferenceProblems.GbmSigma, x0 = SdeReferenceProblems.GbmX0;
        // X_1 = X0 exp(ν + σZ), ν = μ − σ²/2: raw moments E Xᵏ = X0ᵏ exp(kμ + k(k − 1)σ²/2).
        double Raw(int k) => Math.Pow(x0, k) * Math.Exp(k * mu + k * (k - 1) * sigma * sigma / 2);
        double mean = Raw(1), variance = Raw(2) - mean * mean;
        double mu4 = Raw(4) - 4 * Raw(3) * mean + 6 * Raw(2) * mean * mean - 3 * Math.Pow(mean, 4);
        // Bias: SRIW1's exact weak errors at h = 1/64 are 5.7e-5 (E X) and 1.6e-3 (E X²; SdeWeakOrderTests), so the
        // variance is off by ≤ 1.6e-3 + 2·1.37·5.7e-5 < 2e-3; quantiles move by about the strong error, 0.0041 at h = 1/64
        // (sde.md §5.2): allowances 1e-4, 2e-3 and 0.005, small against the 5 s.e. bands they are added to.
        double tolMean = 5 * Math.Sqrt(variance / m) + 1e-4;
        double tolVar = 5 * Math.Sqrt((mu4 - variance * variance) / m) + 2e-3;
        output.WriteLine($"GBM t=1 M={m}: mean {r.Mean[0]:F4} (exact {mean:F4} ±{tolMean:F4}), variance {r.Variance[0]:F4} (exact {variance:F4} ±{tolVar:F4})");
        Assert.InRange(r.Mean[0] - mean, -tolMean, tolMean);
        Assert.InRange(r.Variance[0] - variance, -tolVar, tolVar);
        double nu = Math.Log(x0) + mu - sigma * sigma / 2;
        for (int q = 0; q < levels.Length; q++)
        {
            double p = levels[q], z = NormalQuantile(p);
            double exact = Math.Exp(nu + sigma * z);
            double density = Math.Exp(-z * z / 2) / (Math.Sqrt(2 * Math.PI) * sigma * exact);
            // The sample quantile is asymptotically normal with s.d. √(p(1 − p)/M)/f(x_p) (Bahadur).
            double tol = 5 * Math.Sqrt(p * (1 - p) / m) / density + 0.005;
            output.WriteLine($"  quantile {p:F2}: {r.Quantiles[q][0]:F4} (exact {exact:F4} ±{tol:F4})");
            Assert.InRange(r.Quantiles[q][0] - exact, -tol, tol);
        }
    }

    /// <summary>Φ⁻¹(p) by bisection on Φ (to the last bit for the levels used here).</summary>
    private static double NormalQuantile(double p)
    {
        double lo = -10, hi = 10;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (NormalCdf(mid) < p) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /// <summary>Φ(x) = ½ + φ(x)(x + x³/3 + x⁵/(3·5) + …) (Abramowitz &amp; Stegun 26.2.11; all terms of one sign, accurate
    /// to rounding for the |x| ≤ 2 that matter here).</summary>
    private static double NormalCdf(double x)
    {
        double term = x, sum = x;
        for (int n = 1; n < 500; n++)
        {
            term *= x * x / (2 * n + 1);
            sum += term;
            if (Math.Abs(term) < 1e-17 * Math.Abs(sum)) break;
        }
        return 0.5 + Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI) * sum;
    }

    [Fact]
    public void Ou_statistics_at_the_save_times_match_the_exact_law()
    {
        const int m = 4_000;
        var r = SdeEnsemble.Solve(SdeReferenceProblems.Ou(), AdditiveSrkMethod.ShArk,
            AdaptiveOu with { RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-3, MaxStep = 1.0 / 16 },
            new SdeEnsembleOptions { Paths = m, Quantiles = [] });
        Assert.Equal(SdeStatus.Success, r.Status);
        Assert.Equal(OuSaveTimes.Length, r.SaveMeans.Length);
        const double theta = SdeReferenceProblems.OuTheta, mu = SdeReferenceProblems.OuMu, sigma = SdeReferenceProblems.OuSigma;
        output.WriteLine($"OU adaptive shark: {r.Stats.AcceptedSteps / (double)m:F1} accepted, {r.Stats.RejectedSteps / (double)m:F2} rejected steps per path");
        for (int i = 0; i < OuSaveTimes.Length; i++)
        {
            double t = OuSaveTimes[i];
            double mean = mu + (0 - mu) * Math.Exp(-theta * t), variance = sigma * sigma / (2 * theta) * (1 - Math.Exp(-2 * theta * t));
            // Bias: ShARK's weak errors on OU are below 7.8e-4 (mean) and 4.8e-4 (variance) for every step ≤ 1/16
            // (its exact discrete moments, ou_discrete_moments.csv; weak order 2, so smaller steps only shrink them);
            // MaxStep = 1/16 caps the steps, so 1e-3 bounds the bias.
            double tolMean = 5 * Math.Sqrt(variance / m) + 1e-3, tolVar = 5 * variance * Math.Sqrt(2.0 / (m - 1)) + 1e-3;
            output.WriteLine($"  t = {t}: mean {r.SaveMeans[i][0]:F5} (exact {mean:F5} ±{tolMean:F4}), var {r.SaveVariances[i][0]:F5} (exact {variance:F5} ±{tolVar:F4})");
            Assert.InRange(r.SaveMeans[i][0] - mean, -tolMean, tolMean);
            Assert.InRange(r.SaveVariances[i][0] - variance, -tolVar, tolVar);
        }
        // The last save time is t1: its statistics are the final ones.
        Assert.Equal(r.Mean[0], r.SaveMeans[^1][0]);
        Assert.Equal(r.Variance[0], r.SaveVariances[^1][0]);
    }

    /// <summary>OU whose drift turns NaN once the state passes a threshold: the paths that get there fail.</summary>
    private static SdeProblem OuWithNaN(double threshold) =>
        new((t, y, f) => f[0] = y[0] > threshold ? double.NaN : SdeReferenceProblems.OuTheta * (SdeReferenceProblems.OuMu - y[0]),
            (t, y, g) => g[0] = SdeReferenceProblems.OuSigma, [0.0], 0, 1, SdeNoise.Additive, name: "OU-NaN");

    [Theory]
    [InlineData("euler-maruyama", 0.0625)]
    [InlineData("shark", 0.0)]
    public void Failing_paths_are_counted_and_left_out_of_the_statistics(string name, double fixedStep)
    {
        const int paths = 300;
        var problem = OuWithNaN(1.6);
        var method = SdeMethods.Get(name);
        double[] saveTimes = [0.25, 0.5, 1.0];
        var options = fixedStep > 0 ? new SdeOptions { FixedStep = fixedStep, Seed = 12 } : new SdeOptions { Seed = 12 };
        options = options with { SaveTimes = saveTimes };
        var r = SdeEnsemble.Solve(problem, method, options,
            new SdeEnsembleOptions { Paths = paths, KeepFinalStates = true, Quantiles = [0, 0.1, 0.5, 0.9, 1] });

        // The independent answer: every path solved alone. The save-time statistics count every path that got there.
        var good = new List<double>();
        var saved = new List<double>[] { [], [], [] };
        var counts = new Dictionary<SdeStatus, int>();
        SdeStatus? firstFailure = null;
        for (int k = 0; k < paths; k++)
        {
            var s = Sde.Solve(problem, method, options with { Stream = (ulong)k });
            counts[s.Status] = counts.GetValueOrDefault(s.Status) + 1;
            for (int i = 0; i < s.Count; i++) saved[Array.IndexOf(saveTimes, s.Times[i])].Add(s.State(i)[0]);
            if (s.IsSuccess)
            {
                good.Add(s.Y[0]);
                Assert.Equal(s.Y[0], r.FinalState(k)[0]);
            }
            else
            {
                Assert.True(double.IsNaN(r.FinalState(k)[0]), $"failed path {k} should have a NaN final state");
                Assert.True(double.IsFinite(s.Y[0]), "a failed solve keeps the last finite state");
                firstFailure ??= s.Status;
            }
        }
        int failed = paths - good.Count;
        output.WriteLine($"{name}: {failed} of {paths} paths failed ({string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}"))})");
        Assert.InRange(failed, 10, paths - 10); // the threshold makes a fair share of the paths fail
        Assert.Equal(firstFailure, r.Status); // the status of the lowest-numbered failed path
        Assert.True(counts.GetValueOrDefault(SdeStatus.NonFiniteValue) > 0);
        foreach (var status in Enum.GetValues<SdeStatus>())
            Assert.Equal((long)counts.GetValueOrDefault(status), r.Count(status));
        Assert.Equal(good.Count, r.SuccessfulPaths);
        Assert.Equal((long)paths, Enum.GetValues<SdeStatus>().Sum(s => r.Count(s)));

        double mean = good.Average(), variance = good.Sum(x => (x - mean) * (x - mean)) / (good.Count - 1);
        Assert.Equal(mean, r.Mean[0], 1e-13);
        Assert.Equal(variance, r.Variance[0], 1e-13);
        var sorted = good.Order().ToArray();
        for (int q = 0; q < r.QuantileLevels.Length; q++)
        {
            double x = r.QuantileLevels[q] * (sorted.Length - 1);
            int lo = (int)Math.Floor(x);
            double expected = sorted[lo] + (x - lo) * (sorted[Math.Min(lo + 1, sorted.Length - 1)] - sorted[lo]);
            Assert.Equal(expected, r.Quantiles[q][0], 1e-15);
        }
        Assert.Equal(sorted[0], r.Quantiles[0][0]);
        Assert.Equal(sorted[^1], r.Quantiles[^1][0]);
        Assert.Equal(good.Count, saved[2].Count); // reaching t1 is success
        Assert.True(saved[0].Count > saved[2].Count, "some paths fail after t = 0.25");
        for (int i = 0; i < saveTimes.Length; i++)
        {
            double sm = saved[i].Average(), sv = saved[i].Sum(x => (x - sm) * (x - sm)) / (saved[i].Count - 1);
            Assert.Equal(sm, r.SaveMeans[i][0], 1e-13);
            Assert.Equal(sv, r.SaveVariances[i][0], 1e-13);
        }
    }

    [Fact]
    public void No_successful_path_gives_NaN_statistics()
    {
        var r = SdeEnsemble.Solve(OuWithNaN(-1), EulerMaruyama.Instance, new SdeOptions { FixedStep = 0.1 }, new SdeEnsembleOptions { Paths = 10 });
        Assert.Equal(SdeStatus.NonFiniteValue, r.Status);
        Assert.Equal(0, r.SuccessfulPaths);
        Assert.Equal(10, r.Count(SdeStatus.NonFiniteValue));
        Assert.True(double.IsNaN(r.Mean[0]) && double.IsNaN(r.Variance[0]) && double.IsNaN(r.Quantiles[1][0]));
    }

    [Fact]
    public void Cancellation_throws_OperationCanceledException()
    {
        var ou = SdeReferenceProblems.Ou();
        using var before = new CancellationTokenSource();
        before.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => SdeEnsemble.Solve(ou, AdditiveSrkMethod.ShArk,
            new SdeOptions { CancellationToken = before.Token }, new SdeEnsembleOptions { Paths = 100 }));

        // Cancelled while running: the drift cancels after a few thousand evaluations; the ensemble stops early.
        using var during = new CancellationTokenSource();
        int calls = 0;
        var problem = new SdeProblem((t, y, f) =>
            {
                if (Interlocked.Increment(ref calls) == 5000) during.Cancel();
                f[0] = -y[0];
            }, (t, y, g) => g[0] = 1, [0.0], 0, 1, SdeNoise.Additive);
        Assert.ThrowsAny<OperationCanceledException>(() => SdeEnsemble.Solve(problem, EulerMaruyama.Instance,
            new SdeOptions { FixedStep = 1.0 / 100, CancellationToken = during.Token }, new SdeEnsembleOptions { Paths = 100_000 }));
        Assert.True(calls < 1_000_000, $"the ensemble kept running after cancellation ({calls} drift calls)");
    }

    [Fact]
    public void Bad_options_throw()
    {
        var ou = SdeReferenceProblems.Ou();
        var fixedStep = new SdeOptions { FixedStep = 0.1 };
        void Bad<T>(SdeEnsembleOptions e, string parameter) where T : ArgumentException =>
            Assert.Equal(parameter, Assert.Throws<T>(() => SdeEnsemble.Solve(ou, EulerMaruyama.Instance, fixedStep, e)).ParamName);
        Bad<ArgumentOutOfRangeException>(new SdeEnsembleOptions { Paths = 0 }, "Paths");
        Bad<ArgumentOutOfRangeException>(new SdeEnsembleOptions { Paths = -5 }, "Paths");
        Bad<ArgumentOutOfRangeException>(new SdeEnsembleOptions { Quantiles = [0.5, 1.5] }, "Quantiles");
        Bad<ArgumentOutOfRangeException>(new SdeEnsembleOptions { Quantiles = [double.NaN] }, "Quantiles");
        Bad<ArgumentOutOfRangeException>(new SdeEnsembleOptions { Quantiles = [-0.1] }, "Quantiles");
        Bad<ArgumentNullException>(new SdeEnsembleOptions { Quantiles = null! }, "Quantiles");
        Bad<ArgumentOutOfRangeException>(new SdeEnsembleOptions { MaxDegreeOfParallelism = 0 }, "MaxDegreeOfParallelism");
        Bad<ArgumentOutOfRangeException>(new SdeEnsembleOptions { MaxDegreeOfParallelism = -2 }, "MaxDegreeOfParallelism");

        // Method/option combinations are refused before any path runs.
        Assert.Throws<ArgumentException>(() => SdeEnsemble.Solve(ou, EulerMaruyama.Instance, new SdeOptions(), new SdeEnsembleOptions { Paths = 10 }));
        Assert.Throws<ArgumentException>(() => SdeEnsemble.Solve(SdeReferenceProblems.Gbm(), SraMethod.Sra1, new SdeOptions(), new SdeEnsembleOptions { Paths = 10 }));
        Assert.Throws<ArgumentException>(() => SdeEnsemble.Solve(ou, EulerMaruyama.Instance, fixedStep with { SaveTimes = [0.15] }, new SdeEnsembleOptions { Paths = 10 }));
        Assert.Throws<ArgumentException>(() => SdeEnsemble.Solve(ou, EulerMaruyama.Instance, fixedStep with { SaveTimes = [0.5, 0.4] }, new SdeEnsembleOptions { Paths = 10 }));
        Assert.Throws<ArgumentNullException>(() => SdeEnsemble.Solve(null!, EulerMaruyama.Instance, fixedStep));
        Assert.Throws<ArgumentNullException>(() => SdeEnsemble.Solve(ou, (SdeMethod)null!, fixedStep));

        // Final states are only there when kept; path indices are checked.
        var r = SdeEnsemble.Solve(ou, EulerMaruyama.Instance, fixedStep, new SdeEnsembleOptions { Paths = 10, Quantiles = [] });
        Assert.Throws<InvalidOperationException>(() => r.FinalState(0).ToArray());
        Assert.True(r.FinalStates.IsEmpty);
        var withQuantiles = SdeEnsemble.Solve(ou, EulerMaruyama.Instance, fixedStep, new SdeEnsembleOptions { Paths = 10 });
        Assert.Throws<InvalidOperationException>(() => withQuantiles.FinalState(0).ToArray());
        var kept = SdeEnsemble.Solve(ou, EulerMaruyama.Instance, fixedStep, new SdeEnsembleOptions { Paths = 10, KeepFinalStates = true });
        Assert.Throws<ArgumentOutOfRangeException>(() => kept.FinalState(10).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => kept.FinalState(-1).ToArray());
    }
}
