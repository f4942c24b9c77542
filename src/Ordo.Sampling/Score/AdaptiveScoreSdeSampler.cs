using Ordo.Integration;
using Ordo.Rng;

namespace Ordo.Sampling;

/// <summary>
/// The "Gotta Go Fast" adaptive sampler for score-based diffusion models: the reverse-time SDE is integrated from T down
/// to ε with an Euler–Maruyama proposal x' and a stochastic improved-Euler value x'' on the same Brownian increment,
/// their difference measured against a mixed absolute/relative tolerance in a scaled L2 norm, and one step size per
/// sample (Jolicoeur-Martineau, Li, Piché-Taillefer, Kachman &amp; Mitliagkas, "Gotta Go Fast When Generating Data with
/// Score-Based Models", arXiv 2105.14080, 2021, Algorithm 1; the defaults are those of the authors' code, sde.md §4.4).
/// </summary>
/// <remarks>
/// <para>
/// <b>One iteration</b> of a sample at time t with step h, drift μ(x, t) = f(t)x − g(t)² s(x, t) and Brownian increment
/// ΔW (= √h·z): K₁ = −hμ(x, t) + g(t)ΔW, x' = x + K₁; K₂ = −hμ(x', t − h) + g(t − h)ΔW, x'' = x + ½(K₁ + K₂);
/// δ = max(ε_abs, ε_rel·max(|x'|, |x'_prev|)) per component; E = ‖(x'' − x')/δ‖ (root mean square by default).
/// If E ≤ 1 the step is accepted: x ← x'' (extrapolation), t ← t − h, x'_prev ← x'. In any case
/// h ← min(t − ε, θ·h·E^{−r}). A sample stops when |t − ε| ≤ 10⁻⁶. Two score evaluations per iteration, accepted or not.
/// </para>
/// <para>
/// <b>Noise.</b> With <see cref="ScoreSdeNoise.Bridge"/> (the default) ΔW is the increment of sample i's own
/// <see cref="VirtualBrownianTree"/> (stream i of the seed, one lane per component) over [T − t, T − t + h] on the
/// reverse clock s = T − t, so a rejected step is retried on the same path. The paper's rule,
/// <see cref="ScoreSdeNoise.Resample"/>, draws a fresh z each iteration (normals of stream i of a
/// <see cref="CounterRng"/>); in low dimension, where a third of the steps are rejected, it biases the sample variance
/// by several percent because rejection selects small z (sde.md §4.2, §4.4; docs/sampling/gotta-go-fast.md).
/// </para>
/// <para>
/// <b>Smallest step.</b> The tree's leaf width (<see cref="AdaptiveScoreSdeOptions.BrownianTolerance"/>, by default
/// (T − ε)·2⁻¹⁴ ≈ 6·10⁻⁵, <see cref="DefaultTreeDepth"/>) is the smallest step in both noise modes: a shorter step would not be an independent Brownian
/// increment. A step at that width is accepted whatever its error (diffrax's <c>force_dtmin</c>); on the reference
/// problems the controller never gets near it.
/// </para>
/// <para>
/// <b>Threads.</b> Samples are advanced in batches of <see cref="AdaptiveScoreSdeOptions.BatchSize"/> (one model call per
/// stage for the active samples of a batch); batches run in parallel. Every sample's path is a function of the seed and
/// its index only, so the output is bitwise the same for any thread count and batch size, provided the model scores each
/// point independently of the others. Nothing is allocated per iteration.
/// </para>
/// </remarks>
public sealed class AdaptiveScoreSdeSampler
{
    /// <summary>The stopping distance |t − ε| of the authors' code.</summary>
    public const double StopDistance = 1e-6;

    /// <summary>
    /// The depth of the per-sample Brownian trees when <see cref="AdaptiveScoreSdeOptions.BrownianTolerance"/> is null:
    /// leaves of (T − ε)·2⁻¹⁴ ≈ 6.1·10⁻⁵. The smallest steps the controller takes on the VP and VE reference problems are
    /// 2.7·10⁻³ and 1.0·10⁻³ (ε_rel 0.01), 44 and 16 leaves; each iteration costs about log₂(h/leaf) + 2 Philox blocks per
    /// component, so a deeper tree is slower (the reference script <c>ggf_bridge.py</c> used 2⁻¹⁶).
    /// </summary>
    public const int DefaultTreeDepth = 14;

    private readonly AdaptiveScoreSdeOptions _options;

    /// <summary>Creates the sampler.</summary>
    /// <param name="options">The settings; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting out of its range (the message names it).</exception>
    public AdaptiveScoreSdeSampler(AdaptiveScoreSdeOptions? options = null)
    {
        _options = options ?? new AdaptiveScoreSdeOptions();
        Validate(_options);
    }

    /// <summary>The settings.</summary>
    public AdaptiveScoreSdeOptions Options => _options;

    /// <summary>The paper the method comes from.</summary>
    public static string Source =>
        "Jolicoeur-Martineau, Li, Piché-Taillefer, Kachman & Mitliagkas, \"Gotta Go Fast When Generating Data with Score-Based Models\", arXiv 2105.14080 (2021)";

    /// <summary>
    /// Moves <paramref name="count"/> points (drawn by the caller from the prior at T, e.g. N(0, σ_T² I)) to samples at ε
    /// along the reverse-time SDE of <paramref name="sde"/> driven by <paramref name="model"/>, in place.
    /// </summary>
    /// <param name="model">The score model.</param>
    /// <param name="sde">The forward SDE the model was trained with.</param>
    /// <param name="points">count × Dimension values, row-major: the starting points in, the samples out.</param>
    /// <param name="count">Number of samples, ≥ 0.</param>
    /// <param name="cancellationToken">Checked once per iteration of every batch.</param>
    /// <returns>Evaluations, accepted and rejected steps per sample, and the status.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> or <paramref name="sde"/> is null.</exception>
    /// <exception cref="ArgumentException">A negative count, too short a span, non-finite points, or a data time outside (0, T).</exception>
    public AdaptiveScoreSdeResult Sample(IScoreModel model, ScoreSde sde, Span<double> points, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sde);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int n = model.Dimension;
        if (n < 1)
            Guard.Fail($"The model's Dimension must be at least 1 but is {n}.", nameof(model));
        if (points.Length < (long)count * n)
            Guard.Fail($"points holds {points.Length} values but count × Dimension is {(long)count * n}.", nameof(points));
        Span<double> used = points[..(count * n)];
        Guard.AllFinite<double>(used, nameof(points));
        double endTime = sde.EndTime;
        double eps = _options.DataTime ?? sde.DefaultDataTime;
        if (!(eps > 0 && eps < endTime - StopDistance))
            throw new ArgumentOutOfRangeException(nameof(AdaptiveScoreSdeOptions.DataTime), eps, $"The data time must lie in (0, {endTime}) (the SDE's end time, less 1e-6).");

        var result = new AdaptiveScoreSdeResult(count);
        if (count == 0)
            return result;

        var run = new RunSettings(_options, model, sde, eps, count, cancellationToken);
        double[] data = used.ToArray();
        var statuses = new ScoreSdeStatus[count];
        var messages = new string?[count];
        int batchSize = Math.Min(_options.BatchSize, count);
        int batches = (count + batchSize - 1) / batchSize;
        var totals = new Workspace(0, 0);
        if (_options.MaxDegreeOfParallelism == 1 || batches == 1)
        {
            var ws = new Workspace(batchSize, n);
            for (int b = 0; b < batches; b++)
                RunBatch(run, ws, b * batchSize, Math.Min(batchSize, count - b * batchSize), data, result, statuses, messages);
            totals.Merge(ws);
        }
        else
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism, CancellationToken = CancellationToken.None };
            try
            {
                Parallel.For(0, batches, parallel, () => new Workspace(batchSize, n),
                    (b, _, ws) =>
                    {
                        RunBatch(run, ws, b * batchSize, Math.Min(batchSize, count - b * batchSize), data, result, statuses, messages);
                        return ws;
                    },
                    ws => { lock (totals) totals.Merge(ws); });
            }
            catch (AggregateException e)
            {
                // An exception of the model surfaces as itself, as on the single-threaded path.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
                throw;
            }
        }

        data.CopyTo(used);
        result.ModelCalls = totals.ModelCalls;
        result.ForcedAcceptances = totals.ForcedAcceptances;
        result.SmallestStep = totals.SmallestStep;
        for (int i = 0; i < count; i++)
        {
            if (statuses[i] != ScoreSdeStatus.Success)
            {
                result.Status = statuses[i];
                result.Message = messages[i];
                break;
            }
        }
        return result;
    }

    private static void Validate(AdaptiveScoreSdeOptions o)
    {
        const string P = "options.";
        if (o.AbsoluteTolerance is double abs && !(abs > 0 && double.IsFinite(abs)))
            throw new ArgumentOutOfRangeException(P + nameof(o.AbsoluteTolerance), abs, "The absolute tolerance must be positive and finite.");
        if (!(o.RelativeTolerance >= 0 && double.IsFinite(o.RelativeTolerance)))
            throw new ArgumentOutOfRangeException(P + nameof(o.RelativeTolerance), o.RelativeTolerance, "The relative tolerance must be finite and ≥ 0.");
        if (!(o.Safety > 0 && o.Safety <= 1))
            throw new ArgumentOutOfRangeException(P + nameof(o.Safety), o.Safety, "The safety factor must lie in (0, 1].");
        if (!(o.Exponent > 0 && double.IsFinite(o.Exponent)))
            throw new ArgumentOutOfRangeException(P + nameof(o.Exponent), o.Exponent, "The exponent must be positive and finite.");
        if (!(o.InitialStep > 0 && double.IsFinite(o.InitialStep)))
            throw new ArgumentOutOfRangeException(P + nameof(o.InitialStep), o.InitialStep, "The initial step must be positive and finite.");
        if (o.DataTime is double eps && !(eps > 0 && double.IsFinite(eps)))
            throw new ArgumentOutOfRangeException(P + nameof(o.DataTime), eps, "The data time must be positive and finite.");
        if (o.BrownianTolerance is double tol && !(tol > 0 && double.IsFinite(tol)))
            throw new ArgumentOutOfRangeException(P + nameof(o.BrownianTolerance), tol, "The Brownian tolerance must be positive and finite.");
        if (o.MaxIterations < 1)
            throw new ArgumentOutOfRangeException(P + nameof(o.MaxIterations), o.MaxIterations, "At least one iteration is needed.");
        if (o.BatchSize < 1)
            throw new ArgumentOutOfRangeException(P + nameof(o.BatchSize), o.BatchSize, "The batch size must be at least 1.");
        if (o.MaxDegreeOfParallelism is 0 or < -1)
            throw new ArgumentOutOfRangeException(P + nameof(o.MaxDegreeOfParallelism), o.MaxDegreeOfParallelism, "Use −1 (all cores) or a positive thread count.");
        if (!Enum.IsDefined(o.Norm))
            throw new ArgumentOutOfRangeException(P + nameof(o.Norm), o.Norm, "Unknown norm.");
        if (!Enum.IsDefined(o.Noise))
            throw new ArgumentOutOfRangeException(P + nameof(o.Noise), o.Noise, "Unknown noise mode.");
    }

    /// <summary>Everything one run shares between its batches (read-only).</summary>
    private sealed class RunSettings
    {
        public RunSettings(AdaptiveScoreSdeOptions o, IScoreModel model, ScoreSde sde, double eps, int count, CancellationToken token)
        {
            Options = o;
            Model = model;
            Sde = sde;
            EndTime = sde.EndTime;
            DataTime = eps;
            Span = sde.EndTime - eps;
            AbsTol = o.AbsoluteTolerance ?? sde.DefaultAbsoluteTolerance;
            TreeTolerance = o.BrownianTolerance ?? Math.ScaleB(Span, -DefaultTreeDepth);
            MinStep = Math.ScaleB(Span, -VirtualBrownianTree.DepthFor(Span, TreeTolerance));
            Count = count;
            Token = token;
        }

        public AdaptiveScoreSdeOptions Options { get; }
        public IScoreModel Model { get; }
        public ScoreSde Sde { get; }
        public double EndTime { get; }
        public double DataTime { get; }
        public double Span { get; }
        public double AbsTol { get; }
        public double TreeTolerance { get; }
        public double MinStep { get; }
        public int Count { get; }
        public CancellationToken Token { get; }
    }

    /// <summary>The buffers of one thread: slot j holds the state of one active sample of the current batch.</summary>
    private sealed class Workspace
    {
        public Workspace(int slots, int n)
        {
            X = new double[slots * n];
            XPrev = new double[slots * n];
            Y = new double[slots * n];
            S = new double[slots * n];
            DW = new double[slots * n];
            Times = new double[slots];
            T = new double[slots];
            H = new double[slots];
            Index = new int[slots];
            Trees = new VirtualBrownianTree?[slots];
            Done = new ScoreSdeStatus?[slots];
        }

        public double[] X, XPrev, Y, S, DW, Times, T, H;
        public int[] Index;
        public VirtualBrownianTree?[] Trees;
        public ScoreSdeStatus?[] Done;
        public long ModelCalls, ForcedAcceptances;
        public double SmallestStep = double.PositiveInfinity;

        public void Merge(Workspace other)
        {
            ModelCalls += other.ModelCalls;
            ForcedAcceptances += other.ForcedAcceptances;
            SmallestStep = Math.Min(SmallestStep, other.SmallestStep);
        }
    }

    private static void RunBatch(RunSettings run, Workspace ws, int first, int m, double[] data, AdaptiveScoreSdeResult result,
        ScoreSdeStatus[] statuses, string?[] messages)
    {
        AdaptiveScoreSdeOptions o = run.Options;
        int n = run.Model.Dimension;
        double h0 = Math.Min(o.InitialStep, run.Span);
        for (int j = 0; j < m; j++)
        {
            int i = first + j;
            data.AsSpan(i * n, n).CopyTo(ws.X.AsSpan(j * n, n));
            data.AsSpan(i * n, n).CopyTo(ws.XPrev.AsSpan(j * n, n));
            ws.T[j] = run.EndTime;
            ws.H[j] = h0;
            ws.Index[j] = i;
            ws.Done[j] = null;
            if (o.Noise == ScoreSdeNoise.Bridge)
            {
                // One tree per slot for the whole run, switched to sample i's stream without allocating.
                ws.Trees[j] ??= new VirtualBrownianTree(0, run.Span, run.TreeTolerance, n, o.Seed, (ulong)i, allowSubLeafIncrements: true);
                ws.Trees[j]!.Reset((ulong)i);
            }
        }

        int active = m;
        while (active > 0)
        {
            if (run.Token.IsCancellationRequested)
            {
                for (int j = 0; j < active; j++)
                    ws.Done[j] = ScoreSdeStatus.Cancelled;
                Retire(run, ws, ref active, data, result, statuses, messages);
                break;
            }
            Iterate(run, ws, active, result);
            Retire(run, ws, ref active, data, result, statuses, messages);
        }
        Array.Clear(ws.Trees);

        if (o.Denoise)
            DenoiseBatch(run, ws, first, m, data, result, statuses, messages);
    }

    /// <summary>One iteration (two model calls) of the <paramref name="active"/> samples in the first slots.</summary>
    private static void Iterate(RunSettings run, Workspace ws, int active, AdaptiveScoreSdeResult result)
    {
        AdaptiveScoreSdeOptions o = run.Options;
        ScoreSde sde = run.Sde;
        int n = run.Model.Dimension;
        int len = active * n;
        var rng = new CounterRng(o.Seed);

        // Brownian increments ΔW of every slot over its proposed step.
        for (int j = 0; j < active; j++)
        {
            Span<double> dw = ws.DW.AsSpan(j * n, n);
            double t = ws.T[j], h = ws.H[j];
            if (ws.Trees[j] is { } tree)
            {
                double s0 = Math.Clamp(run.EndTime - t, 0, run.Span);
                double s1 = Math.Clamp(run.EndTime - (t - h), s0, run.Span);
                tree.Increment(s0, s1, dw);
            }
            else
            {
                int i = ws.Index[j];
                ulong iteration = (ulong)(result.Accepted[i] + result.Rejected[i]);
                rng.Normals((ulong)i, iteration * (ulong)n, dw);
                double sqrtH = Math.Sqrt(h);
                for (int k = 0; k < n; k++)
                    dw[k] *= sqrtH;
            }
            ws.Times[j] = t;
        }

        // Stage 1: x' = x + K₁ into Y.
        run.Model.Evaluate(ws.X.AsSpan(0, len), active, ws.Times.AsSpan(0, active), ws.S.AsSpan(0, len));
        ws.ModelCalls++;
        for (int j = 0; j < active; j++)
        {
            double t = ws.T[j], h = ws.H[j];
            double a = sde.DriftScale(t), g = sde.Diffusion(t), g2 = g * g;
            ReadOnlySpan<double> x = ws.X.AsSpan(j * n, n), s = ws.S.AsSpan(j * n, n), dw = ws.DW.AsSpan(j * n, n);
            Span<double> y = ws.Y.AsSpan(j * n, n);
            for (int k = 0; k < n; k++)
                y[k] = x[k] - h * (a * x[k] - g2 * s[k]) + g * dw[k];
            ws.Times[j] = t - h;
        }

        // Stage 2: x'' = x + ½(K₁ + K₂) into S, the error, and the step decision.
        run.Model.Evaluate(ws.Y.AsSpan(0, len), active, ws.Times.AsSpan(0, active), ws.S.AsSpan(0, len));
        ws.ModelCalls++;
        double relTol = o.RelativeTolerance, absTol = run.AbsTol;
        for (int j = 0; j < active; j++)
        {
            double t = ws.T[j], h = ws.H[j], tNext = t - h;
            double a = sde.DriftScale(tNext), g = sde.Diffusion(tNext), g2 = g * g;
            Span<double> x = ws.X.AsSpan(j * n, n), xPrev = ws.XPrev.AsSpan(j * n, n), y = ws.Y.AsSpan(j * n, n), s = ws.S.AsSpan(j * n, n);
            ReadOnlySpan<double> dw = ws.DW.AsSpan(j * n, n);
            double acc = 0;
            for (int k = 0; k < n; k++)
            {
                double k1 = y[k] - x[k];
                double k2 = -h * (a * y[k] - g2 * s[k]) + g * dw[k];
                double xpp = x[k] + 0.5 * (k1 + k2);
                double check = o.Extrapolation ? y[k] : xpp;
                double scale = o.UsePreviousProposal ? Math.Max(Math.Abs(xPrev[k]), Math.Abs(check)) : Math.Abs(check);
                double delta = Math.Max(relTol * scale, absTol);
                double e = 0.5 * (k2 - k1) / delta;
                acc = o.Norm == ScoreSdeErrorNorm.Linf ? Math.Max(acc, Math.Abs(e)) : acc + e * e;
                s[k] = xpp;
            }
            double err = o.Norm switch
            {
                ScoreSdeErrorNorm.L2Scaled => Math.Sqrt(acc / n),
                ScoreSdeErrorNorm.L2 => Math.Sqrt(acc),
                _ => acc,
            };

            int i = ws.Index[j];
            result.Evaluations[i] += 2;
            if (!double.IsFinite(err))
            {
                ws.Done[j] = ScoreSdeStatus.NonFiniteScore;
                continue;
            }

            bool finalStep = h >= t - run.DataTime;
            bool accept = err <= 1;
            if (!accept && h <= run.MinStep && !finalStep)
            {
                accept = true;
                ws.ForcedAcceptances++;
            }
            if (accept)
            {
                // Extrapolation keeps x'' (in s) and remembers x' (in y); without it the roles swap.
                Span<double> keep = o.Extrapolation ? s : y, proposal = o.Extrapolation ? y : s;
                keep.CopyTo(x);
                proposal.CopyTo(xPrev);
                ws.T[j] = tNext;
                t = tNext;
                result.Accepted[i]++;
                if (!finalStep && h < ws.SmallestStep)
                    ws.SmallestStep = h;
            }
            else
            {
                result.Rejected[i]++;
            }

            double hMax = Math.Max(t - run.DataTime, 0);
            double hNew = err == 0 ? hMax : Math.Min(hMax, o.Safety * h * Math.Pow(err, -o.Exponent));
            if (hNew < run.MinStep)
                hNew = Math.Min(run.MinStep, hMax);
            ws.H[j] = hNew;

            if (Math.Abs(t - run.DataTime) <= StopDistance)
                ws.Done[j] = ScoreSdeStatus.Success;
            else if (result.Accepted[i] + result.Rejected[i] >= o.MaxIterations)
                ws.Done[j] = ScoreSdeStatus.MaxIterationsExceeded;
        }
    }

    /// <summary>Writes finished samples back and fills their slots with the last active ones.</summary>
    private static void Retire(RunSettings run, Workspace ws, ref int active, double[] data, AdaptiveScoreSdeResult result,
        ScoreSdeStatus[] statuses, string?[] messages)
    {
        int n = run.Model.Dimension;
        int j = 0;
        while (j < active)
        {
            if (ws.Done[j] is not ScoreSdeStatus status)
            {
                j++;
                continue;
            }
            int i = ws.Index[j];
            ws.X.AsSpan(j * n, n).CopyTo(data.AsSpan(i * n, n));
            result.FinalTimes[i] = ws.T[j];
            statuses[i] = status;
            if (status != ScoreSdeStatus.Success)
                messages[i] = status switch
                {
                    ScoreSdeStatus.NonFiniteScore => $"Sample {i}: the score or the error estimate became non-finite at t = {ws.T[j]} (step {ws.H[j]}).",
                    ScoreSdeStatus.MaxIterationsExceeded => $"Sample {i}: {run.Options.MaxIterations} iterations without reaching t = {run.DataTime} (now at t = {ws.T[j]}).",
                    _ => $"Sample {i}: cancelled at t = {ws.T[j]}.",
                };

            int last = active - 1;
            if (j != last)
            {
                ws.X.AsSpan(last * n, n).CopyTo(ws.X.AsSpan(j * n, n));
                ws.XPrev.AsSpan(last * n, n).CopyTo(ws.XPrev.AsSpan(j * n, n));
                ws.T[j] = ws.T[last];
                ws.H[j] = ws.H[last];
                ws.Index[j] = ws.Index[last];
                (ws.Trees[j], ws.Trees[last]) = (ws.Trees[last], ws.Trees[j]); // the finished sample's tree stays for reuse
                ws.Done[j] = ws.Done[last];
            }
            ws.Done[last] = null;
            active--;
        }
    }

    /// <summary>The final denoising step x ← x + σ(ε)² s(x, ε) of the successful samples of one batch (one more evaluation each).</summary>
    private static void DenoiseBatch(RunSettings run, Workspace ws, int first, int m, double[] data, AdaptiveScoreSdeResult result,
        ScoreSdeStatus[] statuses, string?[] messages)
    {
        int n = run.Model.Dimension;
        int c = 0;
        for (int j = 0; j < m; j++)
        {
            int i = first + j;
            if (statuses[i] != ScoreSdeStatus.Success)
                continue;
            data.AsSpan(i * n, n).CopyTo(ws.X.AsSpan(c * n, n));
            ws.Index[c] = i;
            ws.Times[c] = run.DataTime;
            c++;
        }
        if (c == 0)
            return;
        run.Model.Evaluate(ws.X.AsSpan(0, c * n), c, ws.Times.AsSpan(0, c), ws.S.AsSpan(0, c * n));
        ws.ModelCalls++;
        double sigma = run.Sde.MarginalStd(run.DataTime), v = sigma * sigma;
        for (int j = 0; j < c; j++)
        {
            int i = ws.Index[j];
            Span<double> x = data.AsSpan(i * n, n);
            ReadOnlySpan<double> s = ws.S.AsSpan(j * n, n);
            result.Evaluations[i]++;
            if (!Blas1.AllFinite(s))
            {
                statuses[i] = ScoreSdeStatus.NonFiniteScore;
                messages[i] = $"Sample {i}: the score of the denoising step at t = {run.DataTime} is not finite; the sample is left undenoised.";
                continue;
            }
            for (int k = 0; k < n; k++)
                x[k] += v * s[k];
        }
    }
}
