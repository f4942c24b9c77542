using System.Diagnostics;
using System.Globalization;
using Ordo.Integration;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Cli;

/// <summary>
/// <c>ordo solve FILE</c> for <c>sde</c> files: runs <see cref="SdeEnsemble"/> over the file's paths with its seed and
/// prints the statistics of the final state (mean, variance, quantiles) as the contract's JSON object or a table. With a
/// reference, the error is reported in units of the Monte Carlo standard error (see <see cref="ErrorOf"/>).
/// </summary>
internal static class SdeSolve
{
    /// <summary>The quantile levels of the contract's output.</summary>
    private static readonly double[] s_quantiles = [0.05, 0.5, 0.95];

    /// <summary>Paths and steps per path of the untimed warm-up ensemble (JIT compilation is not timed).</summary>
    private const int WarmUpPaths = 4, WarmUpSteps = 20;

    /// <summary>The options of the command that apply to an SDE solve.</summary>
    internal sealed record Request(string File, string Method, double? Rtol, double? Atol, double? Dt, int? MaxSteps,
        int? Paths, ulong? Seed, int Repeat, bool Json);

    /// <summary>The error against a reference, per component: the deviation of the sample mean (variance) from the
    /// reference and its Monte Carlo standard error; z = deviation / standard error.</summary>
    internal sealed record SdeError(double[] Mean, double[] MeanSe, double[]? Variance, double[]? VarianceSe)
    {
        public double[] MeanZ => Z(Mean, MeanSe);
        public double[]? VarianceZ => Variance is null ? null : Z(Variance, VarianceSe!);
        public double MaxAbsZ => MeanZ.Concat(VarianceZ ?? []).Select(Math.Abs).DefaultIfEmpty(double.NaN).Max();

        private static double[] Z(double[] deviation, double[] se) => [.. deviation.Select((x, i) => x / se[i])];
    }

    public static int Run(CliConsole console, SdeProblemFile problem, Request request)
    {
        bool auto = string.Equals(request.Method.Trim(), "auto", StringComparison.OrdinalIgnoreCase);
        SdeMethod method = auto ? SdeMethods.Default(problem.Problem) : Find(request.Method);
        if (method.Unsupported(problem.Problem) is { } why)
            throw new BadInputException($"--method: '{method.Name}' cannot solve {request.File}: {why}");
        if (problem.Problem.Direction < 0 && method.UnsupportedBackward(problem.Problem) is { } whyNotBackward)
            throw new BadInputException($"--method: '{method.Name}' cannot solve {request.File} backwards (t1 < t0): {whyNotBackward}");
        if (!method.HasErrorEstimate && request.Dt is null)
            throw new BadInputException($"--method: '{method.Name}' takes fixed steps only (it has no error estimate); give the step size with --dt");

        var options = new SdeOptions
        {
            RelativeTolerance = request.Rtol ?? SdeOptions.Default.RelativeTolerance,
            AbsoluteTolerance = request.Atol ?? SdeOptions.Default.AbsoluteTolerance,
            FixedStep = request.Dt,
            MaxSteps = request.MaxSteps ?? SdeOptions.Default.MaxSteps,
            Seed = request.Seed ?? problem.Seed,
        };
        int paths = request.Paths ?? problem.Paths;
        if ((long)paths * problem.Dimension > int.MaxValue)
            throw new BadInputException($"--paths: {paths:N0} paths of {problem.Dimension:N0} components are too many final states to keep; use fewer");
        var ensemble = new SdeEnsembleOptions { Paths = paths, Quantiles = s_quantiles, KeepFinalStates = problem.Reference?.Variance is not null };
        double[] times = new double[request.Repeat];
        SdeEnsembleResult result;
        try
        {
            SdeEnsemble.Solve(problem.Problem, method, options with { MaxSteps = Math.Min(WarmUpSteps, options.MaxSteps) },
                ensemble with { Paths = Math.Min(WarmUpPaths, paths), KeepFinalStates = false });
            result = SolveProgress.Run(console, !request.Json, $"solving {problem.DisplayName}", progress =>
            {
                SdeEnsembleResult? last = null;
                for (int k = 0; k < request.Repeat; k++)
                {
                    int repeat = k;
                    var withProgress = progress is null ? ensemble
                        : ensemble with { Progress = new Progress(fraction => progress.Report((repeat + fraction) / request.Repeat)) };
                    long start = Stopwatch.GetTimestamp();
                    last = SdeEnsemble.Solve(problem.Problem, method, options, withProgress);
                    times[k] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
                return last!;
            });
        }
        catch (ArgumentException e)
        {
            // Options the solver refuses (the checks above should have caught them).
            throw new BadInputException($"{request.File}: {e.Message}");
        }
        (double median, double min) = CliValues.MedianAndMin(times);
        SdeError? error = problem.Reference is { } r ? ErrorOf(result, r) : null;
        var solved = new Solved(problem, method, auto, request, options, result, error, median, min);
        if (request.Json) WriteJson(console, solved);
        else WriteHuman(console, solved);
        return Cli.ExitOk;
    }

    private sealed record Solved(SdeProblemFile Problem, SdeMethod Method, bool Auto, Request Request, SdeOptions Options,
        SdeEnsembleResult Result, SdeError? Error, double MedianMs, double MinMs);

    private static SdeMethod Find(string name)
    {
        return SdeMethods.TryGet(name, out SdeMethod? method) ? method : throw new BadInputException($"--method: unknown SDE method '{name}'; known: auto, {string.Join(", ", SdeMethods.All.Select(m => m.Name))}");
    }

    /// <summary>
    /// The error of the ensemble's statistics against the reference, over the N paths that reached t1. The mean's
    /// standard error is <c>s/√N</c> (s² the sample variance); the sample variance's is
    /// <c>√((m₄ − s⁴(N − 3)/(N − 1))/N)</c> with m₄ the sample fourth central moment (the distribution-free formula; for a
    /// Gaussian it is s²√(2/(N − 1))). The deviations include the discretisation bias of the method as well as the Monte
    /// Carlo error, so |z| well beyond 5 says the bias shows at this number of paths.
    /// </summary>
    internal static SdeError ErrorOf(SdeEnsembleResult result, SdeReference reference)
    {
        int d = result.Mean.Length;
        double n = result.SuccessfulPaths;
        var mean = new double[d];
        var meanSe = new double[d];
        for (int i = 0; i < d; i++)
        {
            mean[i] = result.Mean[i] - reference.Mean[i];
            meanSe[i] = Math.Sqrt(result.Variance[i] / n);
        }
        if (reference.Variance is null) return new SdeError(mean, meanSe, null, null);
        var variance = new double[d];
        var varianceSe = new double[d];
        var m4 = new double[d];
        ReadOnlySpan<double> finals = result.FinalStates;
        for (int p = 0; p < result.Paths; p++)
        {
            ReadOnlySpan<double> y = finals.Slice(p * d, d);
            if (double.IsNaN(y[0])) continue; // a failed path
            for (int i = 0; i < d; i++)
            {
                double c = y[i] - result.Mean[i];
                m4[i] += c * c * c * c;
            }
        }
        for (int i = 0; i < d; i++)
        {
            double s2 = result.Variance[i];
            variance[i] = s2 - reference.Variance[i];
            varianceSe[i] = Math.Sqrt(Math.Max(m4[i] / n - s2 * s2 * (n - 3) / (n - 1), 0) / n);
        }
        return new SdeError(mean, meanSe, variance, varianceSe);
    }

    private static string Level(double q) => q.ToString("R", CultureInfo.InvariantCulture);

    private static void WriteJson(CliConsole console, Solved s) => JsonOutput.Write(console.Out, w =>
    {
        SdeEnsembleResult r = s.Result;
        w.WriteString("kind", "sde");
        if (s.Problem.Name is not null) w.WriteString("name", s.Problem.Name);
        w.WriteString("method", r.Method);
        w.WriteString("status", r.Status.ToIdentifier());
        w.WriteNumber("paths", r.Paths);
        w.Number("t_final", r.Time);
        w.Numbers("mean", r.Mean);
        w.Numbers("variance", r.Variance);
        w.WriteStartObject("quantiles");
        for (int q = 0; q < r.QuantileLevels.Length; q++) w.Numbers(Level(r.QuantileLevels[q]), r.Quantiles[q]);
        w.WriteEndObject();
        w.WriteStartObject("stats");
        w.WriteNumber("drift_evals", r.Stats.DriftEvaluations);
        w.WriteNumber("diffusion_evals", r.Stats.DiffusionEvaluations);
        w.WriteNumber("steps_accepted", r.Stats.AcceptedSteps);
        w.WriteNumber("steps_rejected", r.Stats.RejectedSteps);
        w.WriteEndObject();
        if (s.Error is { } e)
        {
            w.WriteStartObject("error");
            w.Numbers("mean", e.Mean);
            w.Numbers("mean_se", e.MeanSe);
            w.Numbers("mean_z", e.MeanZ);
            if (e.Variance is not null)
            {
                w.Numbers("variance", e.Variance);
                w.Numbers("variance_se", e.VarianceSe);
                w.Numbers("variance_z", e.VarianceZ);
            }
            w.Number("max_abs_z", e.MaxAbsZ);
            w.WriteEndObject();
        }
        w.TimeMs(s.MedianMs, s.MinMs);
        w.WriteNumber("successful_paths", r.SuccessfulPaths);
        w.WriteNumber("seed", s.Options.Seed);
        w.WriteString("noise", SdeProblemFile.NoiseName(s.Problem.Noise));
        w.WriteString("calculus", SdeProblemFile.CalculusName(s.Problem.Calculus));
        w.WriteNumber("noise_dim", s.Problem.NoiseDimension);
        w.WriteNumber("rtol", s.Options.RelativeTolerance);
        w.WriteNumber("atol", s.Options.AbsoluteTolerance);
        if (s.Request.Dt is double dt) w.WriteNumber("dt", dt);
        else w.WriteNumber("brownian_leaf", s.Options.BrownianLeafWidth(s.Problem.Problem));
        w.WriteNumber("repeat", s.Request.Repeat);
    });

    private static void WriteHuman(CliConsole console, Solved s)
    {
        SdeEnsembleResult r = s.Result;
        SdeProblemFile p = s.Problem;
        string method = r.Method + (s.Auto ? " (default for this noise)" : "");
        string control = s.Request.Dt is double dt ? $"fixed step dt = {CliValues.Human(dt)}"
            : $"adaptive, rtol {CliValues.Sci(s.Options.RelativeTolerance)}, atol {CliValues.Sci(s.Options.AbsoluteTolerance)}, Brownian tree leaf {CliValues.Sci(s.Options.BrownianLeafWidth(p.Problem))}";
        long failed = r.Paths - r.SuccessfulPaths;
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "problem", $"{p.DisplayName} (sde, {SolveCommand.Plural(p.Dimension, "state")}, {p.NoiseDimension} Wiener process{(p.NoiseDimension == 1 ? "" : "es")}, {SdeProblemFile.NoiseName(p.Noise)} noise, {(p.Calculus == SdeCalculus.Ito ? "Itô" : "Stratonovich")}, t = {CliValues.Human(p.T0)} → {CliValues.Human(p.T1)})" },
            new[] { "method", $"{method}, {control}" },
            new[] { "paths", $"{CliValues.Count(r.Paths)} (seed {s.Options.Seed}){(failed > 0 ? $", {CliValues.Count(failed)} failed" : "")}" },
            new[] { "status", r.Status == SdeStatus.Success ? "success" : $"{r.Status.ToIdentifier()}: {r.Status.Describe()}" },
            new[] { "t_final", CliValues.Human(r.Time) },
            new[] { "evaluations", $"{CliValues.Count(r.Stats.DriftEvaluations)} drift, {CliValues.Count(r.Stats.DiffusionEvaluations)} diffusion (all paths)" },
            new[] { "steps", $"{CliValues.Count(r.Stats.AcceptedSteps)} accepted, {CliValues.Count(r.Stats.RejectedSteps)} rejected ({CliValues.Human(Math.Round((double)r.Stats.AcceptedSteps / r.Paths, 1))} per path)" },
        };
        if (s.Error is { } e)
            rows.Add(["error", $"largest |z| = {CliValues.Human(Math.Round(e.MaxAbsZ, 2))} (deviation from the reference in Monte Carlo standard errors; |z| ≤ 5 is within sampling noise)"]);
        rows.Add(["time", s.Request.Repeat == 1 ? CliValues.Ms(s.MedianMs) : $"median {CliValues.Ms(s.MedianMs)}, min {CliValues.Ms(s.MinMs)} ({s.Request.Repeat} solves)"]);
        console.WriteTable(["solve", ""], rows);
        console.Out.WriteLine();

        List<string> headers = ["component", "mean", "variance", .. r.QuantileLevels.Select(q => $"q{Level(q)}")];
        SdeReference? reference = p.Reference;
        if (reference is not null)
        {
            headers.Add("reference mean");
            headers.Add("z");
            if (reference.Variance is not null)
            {
                headers.Add("reference variance");
                headers.Add("z");
            }
        }
        console.WriteTable(headers, SolveCommand.Components(p.Dimension, i =>
        {
            var row = new List<string> { p.State.ComponentName(i), CliValues.Human(r.Mean[i]), CliValues.Human(r.Variance[i]) };
            row.AddRange(r.Quantiles.Select(q => CliValues.Human(q[i])));
            if (reference is not null)
            {
                row.Add(CliValues.Human(reference.Mean[i]));
                row.Add(CliValues.Human(Math.Round(s.Error!.MeanZ[i], 2)));
                if (reference.Variance is not null)
                {
                    row.Add(CliValues.Human(reference.Variance[i]));
                    row.Add(CliValues.Human(Math.Round(s.Error.VarianceZ![i], 2)));
                }
            }
            return row;
        }, headers.Count), Enumerable.Range(1, headers.Count - 1).ToHashSet());
    }
}

/// <summary>A synchronous <see cref="IProgress{T}"/> (System.Progress posts to a synchronization context instead).</summary>
file sealed class Progress(Action<double> report) : IProgress<double>
{
    public void Report(double value) => report(value);
}
