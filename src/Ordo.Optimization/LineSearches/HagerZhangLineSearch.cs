namespace Ordo.Optimization;

/// <summary>
/// The Hager–Zhang line search of CG_DESCENT: accepts a step satisfying either the Wolfe conditions
/// δ·φ'(0) ≥ (φ(α) − φ(0))/α and φ'(α) ≥ σ·φ'(0), or the approximate Wolfe conditions
/// (2δ − 1)·φ'(0) ≥ φ'(α) ≥ σ·φ'(0) with φ(α) ≤ φ(0) + ε_k; finds it by bracketing, double secant steps (secant²)
/// and bisection when the bracket does not shrink fast enough.
/// </summary>
/// <remarks>
/// <para>Sources: W. W. Hager and H. Zhang, "A new conjugate gradient method with guaranteed descent and an efficient
/// line search", SIAM J. Optim. 16(1):170–192, 2005 (§4: conditions T1/T2, procedures bracket, update, secant², the
/// line search L0–L3); W. W. Hager and H. Zhang, "Algorithm 851: CG_DESCENT, a conjugate gradient method with
/// guaranteed descent", ACM TOMS 32(1):113–137, 2006 (defaults and the switch to approximate Wolfe). Implemented from
/// the papers.</para>
/// <para>Defaults: δ = 0.1, σ = 0.9, ε = 1e-6 (ε_k = ε·|φ(0)|), θ = 0.5 (bisection in update), γ = 0.66 (required
/// bracket shrink per secant²), ρ = 5 (bracket expansion). The approximate Wolfe conditions, which can be tested to
/// the accuracy of the gradient near a minimizer, are used once |f_k − f_{k−1}| ≤ ω·C_k with ω = 1e-3 and C_k the
/// running average of |f| with decay Δ = 0.7 (CG_DESCENT's rule); from then on for the rest of the run. That is the
/// state this object keeps between searches, so a method takes a fresh one per run (<see cref="Clone"/>).</para>
/// <para>A non-finite φ(α) or φ'(α) is treated as "too long": during bracketing the step is cut back halfway towards
/// the last finite step and the expansion never again goes beyond it; inside a bracket the point is handled like a
/// point above the ε-level (the bisection of update step U3). At <c>maxStep</c> a step with sufficient decrease and
/// φ'(α) &lt; 0 is accepted.</para>
/// </remarks>
public sealed class HagerZhangLineSearch : ILineSearch
{
    private readonly record struct Point(double A, double F, double D);

    private bool _approximateWolfe;
    private double _c;
    private double _q;
    private double _previousF = double.NaN;
    private int _evaluations;
    private double _best;
    private double _bestF;
    private double _approximatePoint;

    /// <summary>δ of the (approximate) Wolfe conditions. Default 0.1.</summary>
    public double Delta { get; init; } = 0.1;

    /// <summary>σ of the (approximate) Wolfe conditions. Default 0.9.</summary>
    public double Sigma { get; init; } = 0.9;

    /// <summary>ε: the approximate-Wolfe value allowance is ε·|φ(0)|. Default 1e-6.</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>θ: the bisection parameter of update step U3. Default 0.5.</summary>
    public double Theta { get; init; } = 0.5;

    /// <summary>γ: a secant² step that leaves the bracket wider than γ times the old one is followed by bisection. Default 0.66.</summary>
    public double Gamma { get; init; } = 0.66;

    /// <summary>ρ: the expansion factor while bracketing. Default 5.</summary>
    public double Rho { get; init; } = 5;

    /// <summary>ω: switch to the approximate Wolfe conditions once |f_k − f_{k−1}| ≤ ω·C_k. Default 1e-3. Set
    /// <see cref="AlwaysApproximateWolfe"/> to use them from the first search.</summary>
    public double Omega { get; init; } = 1e-3;

    /// <summary>Δ: the decay of the running average C_k of |f|. Default 0.7.</summary>
    public double AverageDecay { get; init; } = 0.7;

    /// <summary>Use the approximate Wolfe conditions in every search. Default false (CG_DESCENT's switch).</summary>
    public bool AlwaysApproximateWolfe { get; init; }

    /// <summary>Evaluation limit per search. Default 50.</summary>
    public int MaxEvaluations { get; init; } = 50;

    /// <inheritdoc/>
    public string Name => "Hager–Zhang";

    /// <summary>True once the search has switched to the approximate Wolfe conditions.</summary>
    public bool UsingApproximateWolfe => _approximateWolfe || AlwaysApproximateWolfe;

    /// <summary>A fresh search with the same parameters and no cross-search state.</summary>
    public ILineSearch Clone() => new HagerZhangLineSearch
    {
        Delta = Delta, Sigma = Sigma, Epsilon = Epsilon, Theta = Theta, Gamma = Gamma, Rho = Rho, Omega = Omega,
        AverageDecay = AverageDecay, AlwaysApproximateWolfe = AlwaysApproximateWolfe, MaxEvaluations = MaxEvaluations,
    };

    /// <inheritdoc/>
    public LineSearchResult Search(LineFunction phi, double initialStep, double maxStep = double.PositiveInfinity)
    {
        double f0 = phi.Value0, d0 = phi.Slope0;
        if (!(d0 < 0) || !double.IsFinite(d0) || !double.IsFinite(f0))
            return new LineSearchResult(0, f0, LineSearchStatus.NotDescent);
        if (!(maxStep > 0)) return new LineSearchResult(0, f0, LineSearchStatus.StepBelowRounding);

        // CG_DESCENT's switch to approximate Wolfe: |f_k − f_{k−1}| ≤ ω·C_k, C_k the running average of |f|.
        _q = 1 + AverageDecay * _q;
        _c += (Math.Abs(f0) - _c) / _q;
        if (double.IsFinite(_previousF) && Math.Abs(f0 - _previousF) <= Omega * _c) _approximateWolfe = true;
        _previousF = f0;

        _evaluations = 0;
        _best = 0;
        _bestF = f0;
        _approximatePoint = double.NaN;
        var ctx = new Context(phi, f0, d0, f0 + Epsilon * Math.Abs(f0), maxStep);
        double c = initialStep > 0 && double.IsFinite(initialStep) ? Math.Min(initialStep, maxStep) : Math.Min(1, maxStep);

        // L0: the initial bracket.
        var status = Bracket(ctx, c, out var a, out var b, out var done);
        if (status is { } s0) return Finish(phi, s0, done);
        while (true)
        {
            // L1: secant² on [a, b]; L2: bisect when it did not shrink the bracket by γ.
            double width = b.A - a.A;
            var s1 = SecantSquared(ctx, a, b, out var a1, out var b1, out done);
            if (s1 is { } st1) return Finish(phi, st1, done);
            if (b1.A - a1.A > Gamma * width)
            {
                var mid = Evaluate(ctx, 0.5 * (a1.A + b1.A), out done, out bool finite);
                if (done) return Finish(phi, LineSearchStatus.Success, done);
                var s2 = Update(ctx, a1, b1, mid, finite, out a1, out b1, out done);
                if (s2 is { } st2) return Finish(phi, st2, done);
            }
            a = a1;
            b = b1;
            if (b.A - a.A <= 1e-15 * b.A || phi.StepBelowRounding(b.A - a.A))
                return Finish(phi, LineSearchStatus.StepBelowRounding, false);
        }
    }

    /// <summary>The data of one search (a struct, so a search allocates nothing).</summary>
    private readonly record struct Context(LineFunction Phi, double F0, double D0, double FLevel, double MaxStep);

    private LineSearchResult Finish(LineFunction phi, LineSearchStatus status, bool accepted)
    {
        if (accepted) return new LineSearchResult(phi.TrialStep, phi.TrialValue, LineSearchStatus.Success);
        if (double.IsFinite(_approximatePoint))
        {
            // The Wolfe test could not be met (it needs φ(α) − φ(0) resolved to δαφ'(0)); a point satisfying the
            // approximate Wolfe conditions was seen: switch to them for the rest of the run, as CG_DESCENT does, and
            // accept that point (re-evaluated so the trial state belongs to it).
            _approximateWolfe = true;
            double f = phi.ValueAndSlope(_approximatePoint, out _);
            return new LineSearchResult(_approximatePoint, f, LineSearchStatus.Success);
        }
        return new LineSearchResult(_best, _bestF, status == LineSearchStatus.Success ? LineSearchStatus.MaxEvaluations : status);
    }

    /// <summary>Evaluates φ and φ' at α; <paramref name="accepted"/> when the (approximate) Wolfe conditions hold
    /// there (the trial state then belongs to the accepted step).</summary>
    private Point Evaluate(in Context ctx, double alpha, out bool accepted, out bool finite)
    {
        _evaluations++;
        double f = ctx.Phi.ValueAndSlope(alpha, out double d);
        finite = double.IsFinite(f) && double.IsFinite(d);
        accepted = false;
        if (!finite) return new Point(alpha, double.PositiveInfinity, double.NaN);
        if (f < _bestF) { _bestF = f; _best = alpha; }
        bool curvature = d >= Sigma * ctx.D0;
        bool wolfe = Delta * ctx.D0 >= (f - ctx.F0) / alpha && curvature;
        bool approximateHolds = (2 * Delta - 1) * ctx.D0 >= d && curvature && f <= ctx.FLevel;
        if (approximateHolds && f <= ctx.F0) _approximatePoint = alpha;
        bool approximate = UsingApproximateWolfe && approximateHolds;
        // At the step limit, sufficient decrease with φ still decreasing is all that can be had.
        bool atLimit = alpha >= ctx.MaxStep && d < 0 && f - ctx.F0 <= Delta * alpha * ctx.D0;
        accepted = wolfe || approximate || atLimit;
        return new Point(alpha, f, d);
    }

    private LineSearchStatus? Budget() => _evaluations >= MaxEvaluations ? LineSearchStatus.MaxEvaluations : null;

    /// <summary>The procedure bracket(c) (B0–B3), expanding by ρ, with non-finite values cut back.</summary>
    private LineSearchStatus? Bracket(in Context ctx, double c, out Point a, out Point b, out bool done)
    {
        var lastLow = new Point(0, ctx.F0, ctx.D0); // the largest c_i with φ(c_i) ≤ φ(0) + ε_k
        double limit = ctx.MaxStep;
        a = b = lastLow;
        while (true)
        {
            var p = Evaluate(ctx, c, out done, out bool finite);
            if (done) return LineSearchStatus.Success;
            if (Budget() is { } s) return s;
            if (!finite)
            {
                // Too long: halfway back to the last finite step; never expand past this point again.
                limit = Math.Min(limit, c);
                c = lastLow.A + 0.5 * (c - lastLow.A);
                if (ctx.Phi.StepBelowRounding(c - lastLow.A)) return LineSearchStatus.StepBelowRounding;
                continue;
            }
            if (p.D >= 0)
            {
                // B1.
                a = lastLow;
                b = p;
                return null;
            }
            if (p.F > ctx.FLevel)
            {
                // B2: φ' < 0 but above the level: shrink by bisection inside [0, c].
                return Bisect(ctx, new Point(0, ctx.F0, ctx.D0), p.A, out a, out b, out done);
            }
            // B3: expand.
            lastLow = p;
            if (c >= limit) return LineSearchStatus.MaxEvaluations;
            c = Math.Min(Rho * c, limit == ctx.MaxStep ? limit : lastLow.A + 0.5 * (limit - lastLow.A));
        }
    }

    /// <summary>Update step U3 (and U3 a–c): bisect [a, b̄] with θ until a point with φ' ≥ 0 (new b) or with
    /// φ' &lt; 0 and φ ≤ φ(0) + ε_k (new a). Non-finite points count as above the level.</summary>
    private LineSearchStatus? Bisect(in Context ctx, Point a, double bBar, out Point aOut, out Point bOut, out bool done)
    {
        aOut = bOut = a;
        while (true)
        {
            double dAlpha = (1 - Theta) * a.A + Theta * bBar;
            if (ctx.Phi.StepBelowRounding(bBar - a.A) || bBar - a.A <= 1e-15 * bBar) { done = false; return LineSearchStatus.StepBelowRounding; }
            var p = Evaluate(ctx, dAlpha, out done, out bool finite);
            if (done) return LineSearchStatus.Success;
            if (Budget() is { } s) return s;
            if (finite && p.D >= 0) { aOut = a; bOut = p; return null; }
            if (finite && p.F <= ctx.FLevel) a = p;
            else bBar = dAlpha;
        }
    }

    /// <summary>The procedure update(a, b, c) (U0–U3).</summary>
    private LineSearchStatus? Update(in Context ctx, Point a, Point b, Point c, bool finite, out Point aOut, out Point bOut, out bool done)
    {
        done = false;
        aOut = a;
        bOut = b;
        if (!(c.A > a.A && c.A < b.A)) return null;                 // U0
        if (finite && c.D >= 0) { bOut = c; return null; }          // U1
        if (finite && c.F <= ctx.FLevel) { aOut = c; return null; } // U2
        return Bisect(ctx, a, c.A, out aOut, out bOut, out done);   // U3
    }

    private static double Secant(Point a, Point b) => (a.A * b.D - b.A * a.D) / (b.D - a.D);

    /// <summary>The procedure secant²(a, b) (S1–S4).</summary>
    private LineSearchStatus? SecantSquared(in Context ctx, Point a, Point b, out Point aOut, out Point bOut, out bool done)
    {
        aOut = a;
        bOut = b;
        double cAlpha = Secant(a, b);
        if (!double.IsFinite(cAlpha) || !(cAlpha > a.A && cAlpha < b.A)) cAlpha = 0.5 * (a.A + b.A);
        var c = Evaluate(ctx, cAlpha, out done, out bool finite);
        if (done) return LineSearchStatus.Success;
        if (Budget() is { } s) return s;
        var st = Update(ctx, a, b, c, finite, out var A, out var B, out done);
        if (st is not null) return st;
        aOut = A;
        bOut = B;
        Point? other = null;
        if (B.A == c.A) other = new Point(Secant(b, B), 0, 0);       // S2
        else if (A.A == c.A) other = new Point(Secant(a, A), 0, 0);  // S3
        if (other is { } o && double.IsFinite(o.A) && o.A > A.A && o.A < B.A)
        {
            var cBar = Evaluate(ctx, o.A, out done, out finite);
            if (done) return LineSearchStatus.Success;
            if (Budget() is { } s2) return s2;
            return Update(ctx, A, B, cBar, finite, out aOut, out bOut, out done); // S4
        }
        return null;
    }
}
