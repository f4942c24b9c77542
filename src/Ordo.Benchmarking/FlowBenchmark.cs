using System.Diagnostics;
using Ordo.Problems.Flows;
using Ordo.Sampling;

namespace Ordo.Benchmarking;

/// <summary>What <see cref="FlowBenchmark"/> runs.</summary>
public sealed record FlowBenchmarkOptions
{
    /// <summary>The default step counts of the sweep: 2 to 256, about √2 apart.</summary>
    public static IReadOnlyList<int> DefaultSteps { get; } = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];

    /// <summary>The two grids of the <c>ordo flow</c> commands.</summary>
    public static IReadOnlyList<string> DefaultSchedules { get; } = ["uniform", "flux-shift"];

    /// <summary>Samplers of the sweep (default every built-in one, <see cref="FlowSamplers.All"/>).</summary>
    public IReadOnlyList<FlowSampler> Samplers { get; init; } = FlowSamplers.All;

    /// <summary>Step counts N of the sweep (default <see cref="DefaultSteps"/>).</summary>
    public IReadOnlyList<int> Steps { get; init; } = DefaultSteps;

    /// <summary>Grids of the sweep, by the names <see cref="FlowTimeGrid.Parse"/> takes (default uniform and flux-shift).</summary>
    public IReadOnlyList<string> Schedules { get; init; } = DefaultSchedules;

    /// <summary>N of the same-step-count table (flows.md §10: 8) and of the trajectory pictures.</summary>
    public int ComparisonSteps { get; init; } = 8;

    /// <summary>k of the equal-NFE table: FireFlow with 2k steps, midpoint and RF-Solver with k, Euler with 2k + 1
    /// (default 4, 8, 16, 32, 64 as in flows.md §10).</summary>
    public IReadOnlyList<int> EqualNfeK { get; init; } = [4, 8, 16, 32, 64];

    /// <summary>N of the editing table (default 8, 15, 30 as in flows.md §10).</summary>
    public IReadOnlyList<int> EditSteps { get; init; } = [8, 15, 30];

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public void Validate()
    {
        if (Samplers is null || Samplers.Count == 0) throw new ArgumentException("No samplers to run.", nameof(Samplers));
        if (Steps is null || Steps.Count == 0) throw new ArgumentException("No step counts to run.", nameof(Steps));
        if (Schedules is null || Schedules.Count == 0) throw new ArgumentException("No schedules to run.", nameof(Schedules));
        foreach (string s in Schedules) FlowTimeGrid.Parse(s, 1);
        if (Steps.Concat(EqualNfeK).Concat(EditSteps).Append(ComparisonSteps).Any(n => n < 1 || n > 100_000))
            throw new ArgumentException("Step counts must lie in [1, 100000].", nameof(Steps));
    }
}

/// <summary>
/// One sampler on one model with one grid: the errors against the exact flow, each the largest Euclidean error over the
/// case's points (flows.md §10). NaN where the run failed or the case has no such task.
/// </summary>
/// <param name="Model">The case, e.g. "GMM3" (or "GMM2+GMM3" for a maximum over both).</param>
/// <param name="Schedule">"uniform" or "flux-shift".</param>
/// <param name="Sampler">The sampler's name.</param>
/// <param name="Steps">N.</param>
/// <param name="PassEvaluations">Model evaluations of one pass (sampling or inversion).</param>
/// <param name="SampleError">Noise points sampled to data vs the reference flow.</param>
/// <param name="InversionError">Data points inverted to noise vs the reference flow.</param>
/// <param name="ReconstructionError">Inversion then sampling vs the data points themselves.</param>
/// <param name="EditError">Edit (invert under A, sample under B) vs the exact edit.</param>
/// <param name="Status">"success", or what failed.</param>
public sealed record FlowMeasurement(string Model, string Schedule, string Sampler, int Steps, int PassEvaluations,
    double SampleError, double InversionError, double ReconstructionError, double EditError, string Status)
{
    /// <summary>Evaluations of a reconstruction or an edit: inversion plus sampling (the NFE of flows.md §10).</summary>
    public int RoundTripEvaluations => 2 * PassEvaluations;

    /// <summary>The worst of several measurements of the same sampler and grid (e.g. over models).</summary>
    public static FlowMeasurement Worst(string model, IReadOnlyList<FlowMeasurement> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        FlowMeasurement first = parts[0];
        static double Max(IEnumerable<double> values) => values.All(double.IsNaN) ? double.NaN : FlowErrors.Max(values.Where(v => !double.IsNaN(v)));
        string status = parts.Select(p => p.Status).FirstOrDefault(s => s != "success") ?? "success";
        return new FlowMeasurement(model, first.Schedule, first.Sampler, first.Steps, first.PassEvaluations,
            Max(parts.Select(p => p.SampleError)), Max(parts.Select(p => p.InversionError)),
            Max(parts.Select(p => p.ReconstructionError)), Max(parts.Select(p => p.EditError)), status);
    }
}

/// <summary>FireFlow, midpoint, RF-Solver and Euler at equal evaluations per pass: FireFlow with 2k steps
/// (2k + 1 evaluations), midpoint and RF-Solver with k steps (2k), Euler with 2k + 1 steps (2k + 1).</summary>
/// <param name="K">k.</param>
/// <param name="Schedule">The grid.</param>
/// <param name="FireFlow">FireFlow, 2k steps.</param>
/// <param name="Midpoint">Explicit midpoint, k steps.</param>
/// <param name="RfSolver">RF-Solver-2, k steps.</param>
/// <param name="Euler">Euler, 2k + 1 steps.</param>
public sealed record FlowEqualNfeRow(int K, string Schedule, FlowMeasurement FireFlow, FlowMeasurement Midpoint, FlowMeasurement RfSolver, FlowMeasurement Euler);

/// <summary>The path of one point through one run, for the trajectory pictures.</summary>
/// <param name="Kind">"inversion" (data to noise) or "edit" (inversion under A, then sampling under B).</param>
/// <param name="Sampler">The sampler's name, or "exact" for the reference flow.</param>
/// <param name="Point">The point's name, e.g. "x_a".</param>
/// <param name="States">The states in order, from the data point on.</param>
public sealed record FlowTrajectory(string Kind, string Sampler, string Point, IReadOnlyList<double[]> States);

/// <summary>The observed order of one sampler: the slope of log(error) against log(N) between the largest N of the sweep
/// and the largest one at most half of it (GMM3, uniform grid); NaN where the error is at the rounding floor.</summary>
/// <param name="Sampler">The sampler's name.</param>
/// <param name="Nominal">The sampler's nominal order.</param>
/// <param name="Sampling">Observed order of the sampling error.</param>
/// <param name="Reconstruction">Observed order of the reconstruction error (one more than the nominal order for
/// even-order one-step methods, flows.md §9.2).</param>
/// <param name="FromSteps">The smaller N of the pair.</param>
/// <param name="ToSteps">The larger N.</param>
public sealed record FlowOrder(string Sampler, int Nominal, double Sampling, double Reconstruction, int FromSteps, int ToSteps);

/// <summary>Everything one run of the flow benchmark measured.</summary>
/// <param name="Options">What was asked for.</param>
/// <param name="Cases">The models and points (GMM2, GMM3).</param>
/// <param name="Sweep">Every case × grid × sampler × N of the options.</param>
/// <param name="SameSteps">The N = 8 table of flows.md §10 on GMM3: Euler with N and N + 1 steps, midpoint and RF-Solver
/// with N/2 and N, FireFlow with N; both grids.</param>
/// <param name="EqualNfe">The equal-NFE comparison on GMM2 and GMM3 together (x_a, x_b of each), both grids.</param>
/// <param name="Editing">Editing GMM2 A → B (x_a, x_b, x_c; closed-form answer) with Euler, midpoint, RF-Solver and FireFlow.</param>
/// <param name="Trajectories">Paths of GMM2's points under Euler, RF-Solver and FireFlow with N =
/// <see cref="FlowBenchmarkOptions.ComparisonSteps"/> steps and under the exact flow: inversions (unconditional) and
/// A → B edits.</param>
/// <param name="Orders">Observed orders on GMM3 with the uniform grid (empty when the sweep has fewer than two N).</param>
/// <param name="Started">When the run started.</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record FlowBenchmarkResult(FlowBenchmarkOptions Options, IReadOnlyList<FlowBenchmarkCase> Cases, IReadOnlyList<FlowMeasurement> Sweep,
    IReadOnlyList<FlowMeasurement> SameSteps, IReadOnlyList<FlowEqualNfeRow> EqualNfe, IReadOnlyList<FlowMeasurement> Editing,
    IReadOnlyList<FlowTrajectory> Trajectories, IReadOnlyList<FlowOrder> Orders, DateTimeOffset Started, TimeSpan Elapsed);

/// <summary>
/// The flow-sampler benchmark: every sampler on the exact Gaussian-mixture flows GMM2 and GMM3 (flows.md §8) over a
/// range of step counts and both grids, with the sampling, inversion, reconstruction and editing errors against the exact
/// flow and the number of model evaluations; then the comparisons of flows.md §10 (FireFlow vs RF-Solver and midpoint vs
/// Euler at equal N and at equal NFE, and editing), the observed orders, and the trajectories for the pictures.
/// </summary>
public static class FlowBenchmark
{
    /// <summary>The samplers of the §10 comparisons and the trajectory pictures.</summary>
    private static readonly FlowSampler[] s_trajectorySamplers = [FlowSamplers.Euler, FlowSamplers.RfSolver, FlowSamplers.FireFlow];

    /// <summary>Runs the benchmark.</summary>
    public static FlowBenchmarkResult Run(FlowBenchmarkOptions? options = null, IProgress<BenchmarkProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new FlowBenchmarkOptions();
        options.Validate();
        DateTimeOffset started = DateTimeOffset.Now;
        var clock = Stopwatch.StartNew();
        FlowBenchmarkCase gmm2 = FlowBenchmarkCase.Gmm2(), gmm3 = FlowBenchmarkCase.Gmm3();
        FlowBenchmarkCase[] cases = [gmm2, gmm3];
        progress?.Report(new BenchmarkProgress("flow", 0, 1, "reference flows"));
        foreach (FlowBenchmarkCase c in cases) _ = c.References;

        var sweep = new List<FlowMeasurement>();
        int total = cases.Length * options.Schedules.Count * options.Samplers.Count, done = 0;
        foreach (FlowBenchmarkCase c in cases)
        {
            foreach (string schedule in options.Schedules)
            {
                foreach (FlowSampler sampler in options.Samplers)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress?.Report(new BenchmarkProgress("flow", done++, total, $"{c.Name} {schedule} {sampler.Name}"));
                    foreach (int n in options.Steps) sweep.Add(Measure(c, sampler, schedule, n));
                }
            }
        }
        progress?.Report(new BenchmarkProgress("flow", total, total, "comparisons"));

        int n8 = options.ComparisonSteps;
        var sameSteps = new List<FlowMeasurement>();
        foreach (string schedule in FlowBenchmarkOptions.DefaultSchedules)
        {
            sameSteps.Add(Measure(gmm3, FlowSamplers.Euler, schedule, n8));
            sameSteps.Add(Measure(gmm3, FlowSamplers.Euler, schedule, n8 + 1));
            if (n8 % 2 == 0)
            {
                sameSteps.Add(Measure(gmm3, FlowSamplers.Midpoint, schedule, n8 / 2));
                sameSteps.Add(Measure(gmm3, FlowSamplers.RfSolver, schedule, n8 / 2));
            }
            sameSteps.Add(Measure(gmm3, FlowSamplers.Midpoint, schedule, n8));
            sameSteps.Add(Measure(gmm3, FlowSamplers.RfSolver, schedule, n8));
            sameSteps.Add(Measure(gmm3, FlowSamplers.FireFlow, schedule, n8));
        }

        var equalNfe = new List<FlowEqualNfeRow>();
        foreach (string schedule in FlowBenchmarkOptions.DefaultSchedules)
        {
            foreach (int k in options.EqualNfeK)
            {
                FlowMeasurement Both(FlowSampler s, int steps) =>
                    FlowMeasurement.Worst("GMM2+GMM3", [.. cases.Select(c => Measure(c, s, schedule, steps))]);
                equalNfe.Add(new FlowEqualNfeRow(k, schedule, Both(FlowSamplers.FireFlow, 2 * k), Both(FlowSamplers.Midpoint, k),
                    Both(FlowSamplers.RfSolver, k), Both(FlowSamplers.Euler, 2 * k + 1)));
            }
        }

        var editing = new List<FlowMeasurement>();
        FlowSampler[] editSamplers = [FlowSamplers.Euler, FlowSamplers.Midpoint, FlowSamplers.RfSolver, FlowSamplers.FireFlow];
        foreach ((string schedule, int steps) in options.EditSteps.Select(s => ("uniform", s)).Append(("flux-shift", n8)))
        {
            foreach (FlowSampler s in editSamplers) editing.Add(Measure(gmm2, s, schedule, steps));
        }

        progress?.Report(new BenchmarkProgress("flow", total, total, "trajectories"));
        List<FlowTrajectory> trajectories = Trajectories(gmm2, n8);
        List<FlowOrder> orders = Orders(sweep, options, gmm3.Name);
        progress?.Report(new BenchmarkProgress("flow", total, total, "done"));
        return new FlowBenchmarkResult(options, cases, sweep, sameSteps, equalNfe, editing, trajectories, orders, started, clock.Elapsed);
    }

    /// <summary>
    /// Measures one sampler on one case with one grid of <paramref name="steps"/> steps: samples the noise points,
    /// reconstructs the data points (the inversion error is that of the reconstruction's first pass) and runs the edit
    /// task, all as batches.
    /// </summary>
    public static FlowMeasurement Measure(FlowBenchmarkCase benchmarkCase, FlowSampler sampler, string schedule, int steps)
    {
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        ArgumentNullException.ThrowIfNull(sampler);
        FlowReferences r = benchmarkCase.References;
        int d = benchmarkCase.Model.Dimension;
        var solver = new FlowSolver<double>(benchmarkCase.Model, sampler, FlowTimeGrid.Parse(schedule, steps));
        double sampleError = double.NaN, inversionError = double.NaN, reconstructionError = double.NaN, editError = double.NaN;
        string status = "success";
        try
        {
            double[] z = (double[])r.Noise.Clone();
            FlowRunResult sampled = solver.Sample(z);
            if (sampled.Succeeded) sampleError = FlowErrors.MaxPointDistance(z, r.Sampled, d);
            else status = $"sampling: {sampled.Status.ToIdentifier()}";

            double[] noise = new double[r.Data.Length], output = new double[r.Data.Length];
            FlowRoundTripResult roundTrip = solver.Reconstruct(r.Data, noise, output);
            if (roundTrip.Inversion.Succeeded) inversionError = FlowErrors.MaxPointDistance(noise, r.Inverted, d);
            if (roundTrip.Succeeded) reconstructionError = FlowErrors.MaxPointDistance(output, r.Data, d);
            else status = $"reconstruction: {roundTrip.Status.ToIdentifier()}";

            if (benchmarkCase.Edit is { } edit)
            {
                noise = new double[r.EditData!.Length];
                output = new double[noise.Length];
                FlowRoundTripResult edited = solver.Edit(r.EditData, FlowCondition.Class(edit.FromClass), FlowCondition.Class(edit.ToClass), noise, output);
                if (edited.Succeeded) editError = FlowErrors.MaxPointDistance(output, r.Edited!, d);
                else status = $"edit: {edited.Status.ToIdentifier()}";
            }
        }
        catch (ArgumentException e)
        {
            status = $"error: {e.Message}";
        }
        return new FlowMeasurement(benchmarkCase.Name, schedule, sampler.Name, steps, solver.EvaluationsPerPass,
            sampleError, inversionError, reconstructionError, editError, status);
    }

    /// <summary>Inversion paths (unconditional) and A → B edit paths of the case's edit points, per sampler and exact.</summary>
    private static List<FlowTrajectory> Trajectories(FlowBenchmarkCase c, int steps)
    {
        var list = new List<FlowTrajectory>();
        if (c.Edit is not { } edit) return list;
        GaussianMixtureFlow m = c.Model;
        FlowCondition a = FlowCondition.Class(edit.FromClass), b = FlowCondition.Class(edit.ToClass);
        foreach (FlowSampler sampler in s_trajectorySamplers)
        {
            var solver = new FlowSolver<double>(m, sampler, FlowTimeGrid.Uniform(steps));
            foreach (FlowTestPoint p in edit.Points)
            {
                var states = new List<double[]> { p.X };
                solver.StepCallback = (_, _, _, points) => states.Add(points.ToArray());
                double[] x = (double[])p.X.Clone();
                solver.Invert(x);
                list.Add(new FlowTrajectory("inversion", sampler.Name, p.Name, [.. states]));
                states.Clear();
                states.Add(p.X);
                solver.Edit(p.X, a, b, new double[p.X.Length], new double[p.X.Length]);
                list.Add(new FlowTrajectory("edit", sampler.Name, p.Name, [.. states]));
            }
        }
        foreach (FlowTestPoint p in edit.Points)
        {
            list.Add(new FlowTrajectory("inversion", "exact", p.Name, ExactPath(m, p.X, 0, 1, default)));
            List<double[]> there = ExactPath(m, p.X, 0, 1, a);
            List<double[]> back = ExactPath(m, there[^1], 1, 0, b);
            list.Add(new FlowTrajectory("edit", "exact", p.Name, [.. there, .. back.Skip(1)]));
        }
        return list;
    }

    /// <summary>The exact path at 81 noise levels from <paramref name="from"/> to <paramref name="to"/> (chained reference solves).</summary>
    private static List<double[]> ExactPath(GaussianMixtureFlow m, double[] x, double from, double to, FlowCondition condition)
    {
        const int segments = 80;
        var path = new List<double[]> { x };
        for (int i = 1; i <= segments; i++)
        {
            double t0 = from + (to - from) * (i - 1) / segments, t1 = from + (to - from) * i / segments;
            path.Add(m.ReferenceFlow(path[^1], t0, t1, condition));
        }
        return path;
    }

    private static List<FlowOrder> Orders(List<FlowMeasurement> sweep, FlowBenchmarkOptions options, string model)
    {
        var list = new List<FlowOrder>();
        int[] steps = options.Steps.Distinct().Order().ToArray();
        if (steps.Length < 2 || !options.Schedules.Contains("uniform")) return list;
        // The largest N and the largest one at most half of it (a factor of two, as flows.md §9 measures), else the next largest.
        int n2 = steps[^1], n1 = steps.LastOrDefault(n => 2 * n <= n2, steps[^2]);
        foreach (FlowSampler s in options.Samplers)
        {
            FlowMeasurement? a = sweep.FirstOrDefault(m => m.Model == model && m.Schedule == "uniform" && m.Sampler == s.Name && m.Steps == n1);
            FlowMeasurement? b = sweep.FirstOrDefault(m => m.Model == model && m.Schedule == "uniform" && m.Sampler == s.Name && m.Steps == n2);
            if (a is null || b is null) continue;
            list.Add(new FlowOrder(s.Name, s.Order, Slope(a.SampleError, b.SampleError, n1, n2), Slope(a.ReconstructionError, b.ReconstructionError, n1, n2), n1, n2));
        }
        return list;
    }

    /// <summary>−d log(error) / d log(N) between two step counts; NaN near the rounding floor (error below 1e-13).</summary>
    private static double Slope(double e1, double e2, int n1, int n2) =>
        e1 > 1e-13 && e2 > 1e-13 && double.IsFinite(e1) && double.IsFinite(e2) ? Math.Log(e1 / e2) / Math.Log((double)n2 / n1) : double.NaN;
}
