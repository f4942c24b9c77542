using System.Diagnostics;
using Ordo.Optimization;
using Ordo.Problems.Optimization;

namespace Ordo.Benchmarking.Optimization;

/// <summary>What the <c>opt</c> suite runs.</summary>
public sealed record OptBenchmarkOptions
{
    /// <summary>The Moré–Wild tolerances τ at which "solved" is scored; the test is τ = 1e-6.</summary>
    public static readonly double[] Taus = [1e-3, 1e-5, 1e-6, 1e-7];

    /// <summary>The τ of the headline counts and the profiles.</summary>
    public const double PrimaryTau = 1e-6;

    /// <summary>Ordo methods (registry names); null: every registered method that accepts an n-dimensional MGH objective.</summary>
    public IReadOnlyList<string>? Methods { get; init; }

    /// <summary>MGH problem ids; null: all 35.</summary>
    public IReadOnlyList<int>? ProblemIds { get; init; }

    /// <summary>Run scipy in the same run.</summary>
    public bool RunScipy { get; init; } = true;

    /// <summary>scipy methods (the names of bench/scipy/scipy_mgh_bench.py; least_squares as ls-lm, ls-trf).</summary>
    public IReadOnlyList<string> ScipyMethods { get; init; } =
        ["BFGS", "L-BFGS-B", "CG", "Newton-CG", "trust-ncg", "trust-krylov", "trust-exact", "Nelder-Mead", "Powell", "ls-lm", "ls-trf"];

    /// <summary>Timed repetitions per run (the median is reported); the first, counted run is not timed.</summary>
    public int Repeat { get; init; } = 3;

    /// <summary>Measure L-BFGS's iteration cost at <see cref="BandwidthDimension"/> against the memory-bandwidth bound.</summary>
    public bool RunBandwidth { get; init; } = true;

    /// <summary>n of the bandwidth measurement.</summary>
    public int BandwidthDimension { get; init; } = 1_000_000;
}

/// <summary>One solver on one MGH problem.</summary>
/// <param name="Side">"Ordo" or "scipy".</param>
/// <param name="Method">Method name.</param>
/// <param name="ProblemId">MGH number.</param>
/// <param name="Problem">MGH name.</param>
/// <param name="N">Variables.</param>
/// <param name="Status">Ordo's status word, or scipy's success flag as "success"/"failure".</param>
/// <param name="ClaimedSuccess">Ordo: status converged; scipy: success = True.</param>
/// <param name="F">Best value found.</param>
/// <param name="FStar">Known minimum.</param>
/// <param name="F0">f(x0).</param>
/// <param name="FunctionEvaluations">Objective (or residual) evaluations.</param>
/// <param name="GradientEvaluations">Gradient (or Jacobian) evaluations.</param>
/// <param name="HessianWork">Ordo: dense Hessians + Hessian–vector products; scipy: nhev when reported.</param>
/// <param name="Iterations">Iterations (−1 when unknown).</param>
/// <param name="TimeMs">Median in-process solve time, ms.</param>
/// <param name="CostTo">Cost nf + n·ng when the best value first passed each τ of <see cref="OptBenchmarkOptions.Taus"/> (+∞: never).</param>
/// <param name="AtLocalMinimum">Unsolved but at one of the problem's known non-global local minima.</param>
/// <param name="Message">The solver's message.</param>
public sealed record OptRun(string Side, string Method, int ProblemId, string Problem, int N, string Status, bool ClaimedSuccess,
    double F, double FStar, double F0, long FunctionEvaluations, long GradientEvaluations, long HessianWork, int Iterations,
    double TimeMs, IReadOnlyList<double> CostTo, bool AtLocalMinimum, string Message)
{
    /// <summary>(f − f*)/(f(x0) − f*).</summary>
    public double RelativeGap => F0 == FStar ? 0 : (F - FStar) / (F0 - FStar);

    /// <summary>The Moré–Wild test at τ.</summary>
    public bool Solved(double tau) => double.IsFinite(F) && F - FStar <= tau * (F0 - FStar);

    /// <summary>"Ordo lbfgs" / "scipy BFGS".</summary>
    public string Solver => $"{Side} {Method}";
}

/// <summary>Per-solver figures over the problems it ran.</summary>
/// <param name="Side">"Ordo" or "scipy".</param>
/// <param name="Method">Method.</param>
/// <param name="Problems">Problems run.</param>
/// <param name="Solved">Solved at τ = 1e-3, 1e-5, 1e-6, 1e-7.</param>
/// <param name="ClaimedButUnsolved">Success claimed on a problem not solved at τ = 1e-6 and not at a known local minimum.</param>
/// <param name="AtLocalMinimum">Unsolved runs that stopped at a known local minimum.</param>
/// <param name="MedianFunctionEvaluations">Median f evaluations.</param>
/// <param name="MedianGradientEvaluations">Median gradient evaluations.</param>
/// <param name="MedianTimeMs">Median solve time, ms.</param>
public sealed record OptMethodSummary(string Side, string Method, int Problems, IReadOnlyList<int> Solved, int ClaimedButUnsolved,
    int AtLocalMinimum, double MedianFunctionEvaluations, double MedianGradientEvaluations, double MedianTimeMs)
{
    /// <summary>Solved at τ = 1e-6.</summary>
    public int SolvedPrimary => Solved[Array.IndexOf(OptBenchmarkOptions.Taus, OptBenchmarkOptions.PrimaryTau)];
}

/// <summary>The outcome of the <c>opt</c> suite.</summary>
/// <param name="Options">What ran.</param>
/// <param name="Runs">Every run, Ordo's and scipy's.</param>
/// <param name="Summaries">Per solver.</param>
/// <param name="ScipyMessage">What scipy did (versions) or why it was skipped.</param>
/// <param name="Bandwidth">L-BFGS at large n against the memory-bandwidth bound, when measured.</param>
/// <param name="Machine">The machine.</param>
public sealed record OptBenchmarkResult(OptBenchmarkOptions Options, IReadOnlyList<OptRun> Runs, IReadOnlyList<OptMethodSummary> Summaries,
    string ScipyMessage, LbfgsBandwidthResult? Bandwidth, MachineInfo Machine);

/// <summary>
/// The <c>opt</c> suite: every Ordo minimizer and scipy's on the 35 Moré–Garbow–Hillstrom problems from x0, in the same
/// run; solved counts at the Moré–Wild τ, evaluation counts, in-process times, Dolan–Moré and Moré–Wild profiles, and
/// L-BFGS at n = 10⁶ against the memory-bandwidth bound.
/// </summary>
public static class OptBenchmark
{
    /// <summary>Ordo methods that make sense on MGH: every registered one except the 1-D methods.</summary>
    public static IReadOnlyList<string> DefaultMethods() =>
        Minimizers.All.Where(m => m.Name is not ("brent" or "golden")).Select(m => m.Name).ToList();

    /// <summary>Runs the suite.</summary>
    public static OptBenchmarkResult Run(OptBenchmarkOptions options, IProgress<BenchmarkProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        string loadBefore = MachineInfo.LoadAverage();
        var problems = (options.ProblemIds is null ? MghProblems.All : options.ProblemIds.Select(MghProblems.Get)).ToList();
        var methods = options.Methods ?? DefaultMethods();
        WarmUp(methods, progress);
        var runs = new List<OptRun>();
        int total = problems.Count * methods.Count, done = 0;
        foreach (MghProblem p in problems)
        {
            foreach (string method in methods)
            {
                progress?.Report(new BenchmarkProgress("opt: Ordo", done++, total, $"{method} on MGH {p.Id}"));
                runs.Add(RunOrdo(p, method, options.Repeat));
            }
        }
        string scipyMessage = "scipy comparison not requested (--no-scipy).";
        if (options.RunScipy)
        {
            progress?.Report(new BenchmarkProgress("opt: scipy", 0, 1, string.Join(",", options.ScipyMethods)));
            var scipy = new ScipyOptRunner().Run(problems, options.ScipyMethods, Math.Max(1, options.Repeat));
            scipyMessage = scipy.Message;
            runs.AddRange(scipy.Runs);
        }
        LbfgsBandwidthResult? bandwidth = null;
        if (options.RunBandwidth)
        {
            progress?.Report(new BenchmarkProgress("opt: L-BFGS bandwidth", 0, 1, $"n = {options.BandwidthDimension}"));
            bandwidth = LbfgsBandwidth.Measure(options.BandwidthDimension);
        }
        var summaries = runs.GroupBy(r => (r.Side, r.Method)).Select(g => Summarize(g.Key.Side, g.Key.Method, g.ToList())).ToList();
        var machine = MachineInfo.Current() with { LoadBefore = loadBefore };
        return new OptBenchmarkResult(options, runs, summaries, scipyMessage, bandwidth, machine);
    }

    /// <summary>
    /// Runs every method on a few problems of different sizes for at least 0.25 s each, so that the timed runs execute
    /// optimized code: .NET first runs a method as quickly jitted tier-0 code and recompiles it only after it has been
    /// called often enough and no new code has been compiled for a while (measured here: L-BFGS-B's Cauchy-point
    /// routine takes 15 µs per call at tier 0 and 0.75 µs optimized). The ODE suite warms up the same way.
    /// </summary>
    private static void WarmUp(IReadOnlyList<string> methods, IProgress<BenchmarkProgress>? progress)
    {
        MghProblem[] warm = [MghProblems.Get(1), MghProblems.Get(7), MghProblems.Get(13), MghProblems.Get(21), MghProblems.Get(32)];
        var objectives = warm.Select(p => p.CreateObjective()).ToArray();
        var options = new MinimizeOptions { MaxIterations = 200 };
        for (int k = 0; k < methods.Count; k++)
        {
            progress?.Report(new BenchmarkProgress("opt: warm-up", k, methods.Count, methods[k]));
            IMinimizer minimizer = Minimizers.Create(methods[k]);
            var clock = Stopwatch.StartNew();
            do
            {
                for (int i = 0; i < warm.Length; i++) minimizer.Minimize(objectives[i], warm[i].X0, options: options);
            }
            while (clock.Elapsed.TotalSeconds < 0.25);
        }
    }

    /// <summary>One Ordo method on one problem: a counted run, then timed repetitions.</summary>
    public static OptRun RunOrdo(MghProblem p, string method, int repeat)
    {
        IMinimizer minimizer = Minimizers.Create(method);
        MghObjective inner = p.CreateObjective();
        var recording = new RecordingObjective(inner, inner, p.FStar, p.FAtX0, OptBenchmarkOptions.Taus);
        MinimizationResult r;
        try
        {
            r = minimizer.Minimize(recording, p.X0);
        }
        catch (Exception e) when (e is ArgumentException or ObjectiveEvaluationException)
        {
            return new OptRun("Ordo", method, p.Id, p.Name, p.N, "error", false, double.NaN, p.FStar, p.FAtX0, 0, 0, 0, 0,
                double.NaN, OptBenchmarkOptions.Taus.Select(_ => double.PositiveInfinity).ToList(), false, e.Message);
        }
        var times = new List<double>();
        for (int k = 0; k < repeat; k++)
        {
            var sw = Stopwatch.StartNew();
            minimizer.Minimize(inner, p.X0);
            times.Add(sw.Elapsed.TotalMilliseconds);
            if (sw.Elapsed.TotalSeconds > 2) break;
        }
        times.Sort();
        double f = Math.Min(r.F, recording.Best);
        bool solved = f - p.FStar <= OptBenchmarkOptions.PrimaryTau * (p.FAtX0 - p.FStar);
        return new OptRun("Ordo", method, p.Id, p.Name, p.N, r.StatusName, r.Converged, f, p.FStar, p.FAtX0,
            r.FunctionEvaluations, r.GradientEvaluations, r.HessianEvaluations + r.HessianVectorProducts, r.Iterations,
            times.Count == 0 ? double.NaN : times[times.Count / 2], recording.CostTo.ToList(),
            !solved && AtLocalMinimum(p, f), r.Message);
    }

    /// <summary>True when f matches one of the problem's known non-global local minima at τ = 1e-5 (as the research
    /// baseline scores it).</summary>
    public static bool AtLocalMinimum(MghProblem p, double f) =>
        p.LocalMinima.Any(fl => Math.Abs(f - fl) <= 1e-5 * (p.FAtX0 - fl));

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).Order().ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

    internal static OptMethodSummary Summarize(string side, string method, IReadOnlyList<OptRun> runs)
    {
        var solved = OptBenchmarkOptions.Taus.Select(t => runs.Count(r => r.Solved(t))).ToList();
        int claimedUnsolved = runs.Count(r => r.ClaimedSuccess && !r.Solved(OptBenchmarkOptions.PrimaryTau) && !r.AtLocalMinimum);
        int local = runs.Count(r => r.AtLocalMinimum);
        return new OptMethodSummary(side, method, runs.Count, solved, claimedUnsolved, local,
            Median(runs.Select(r => (double)r.FunctionEvaluations)), Median(runs.Select(r => (double)r.GradientEvaluations)),
            Median(runs.Select(r => r.TimeMs)));
    }
}
