namespace Ordo.Optimization;

/// <summary>
/// L-BFGS-B: limited-memory BFGS for min f(x) subject to l ≤ x ≤ u (either side may be infinite; without bounds it is
/// L-BFGS). Each iteration (1) finds the generalized Cauchy point x^c, the first local minimizer of the quadratic model
/// along the projected steepest-descent path P(x − t·g), which fixes the active set; (2) minimizes the model over the
/// free variables of x^c (direct primal method, Sherman–Morrison–Woodbury with a 2m × 2m solve); (3) projects that
/// step onto the box, or backtracks into it when the projected step is not a descent direction; (4) searches along
/// d = x̄ − x for a step α ≤ α_max that keeps x feasible; (5) stores the pair (s, y) when sᵀy &gt; ε·yᵀy.
/// </summary>
/// <remarks>
/// <para>Sources: R. H. Byrd, P. Lu, J. Nocedal and C. Zhu, "A limited memory algorithm for bound constrained
/// optimization", SIAM J. Sci. Comput. 16(5) (1995) 1190–1208 (compact form §3, Cauchy point §4, direct primal subspace
/// minimization §5.1); C. Zhu, R. H. Byrd, P. Lu and J. Nocedal, "Algorithm 778: L-BFGS-B", ACM TOMS 23(4) (1997)
/// 550–560 (the step bound α_max = 1 after the first iteration, the first trial step 1/‖d‖₂); J. L. Morales and
/// J. Nocedal, "Remark on Algorithm 778", ACM TOMS 38(1) (2011) article 7 (project the subspace step, fall back to
/// the backtracked step when the projected one is not a descent direction).</para>
/// <para>Stationarity is the projected-gradient norm ‖P(x − g) − x‖∞ (<see cref="Bounds.ProjectedGradientNorm"/>),
/// reported as the gradient norm, so the driver's gradient test is the first-order (KKT) test of the box problem.
/// The method has no convergence test of its own: in particular no relative-reduction-of-f test (the one that makes
/// scipy's L-BFGS-B report success on problems it has not solved). When the line search fails, the memory is dropped
/// and the iteration is retried once from the steepest-descent model; a second failure is reported as
/// <see cref="OptimizationStatus.LineSearchFailed"/>.</para>
/// <para>Allocation happens when a run starts; an iteration allocates nothing. Cost per iteration O(m·n) for the
/// products with W plus O(m²·t) for the reduced matrix over the t free variables.</para>
/// </remarks>
public sealed class Lbfgsb : Minimizer<IGradientObjective>
{
    /// <summary>The number m of (s, y) pairs kept. Default 10.</summary>
    public int Memory { get; init; } = 10;

    /// <summary>The line search along d = x̄ − x. Default Moré–Thuente (<see cref="MoreThuenteLineSearch"/>, strong Wolfe,
    /// as in the paper), which also guarantees sᵀy &gt; 0; any <see cref="ILineSearch"/> works (the search never tries α
    /// beyond the feasible step).</summary>
    public ILineSearch LineSearch { get; init; } = new MoreThuenteLineSearch();

    /// <summary>A pair is stored only when sᵀy &gt; ε·yᵀy. Default 2.2e-16 (machine epsilon, as in the paper).</summary>
    public double CurvatureEpsilon { get; init; } = 2.220446049250313e-16;

    /// <inheritdoc/>
    public override string Name => "lbfgsb";

    /// <inheritdoc/>
    public override bool SupportsBounds => true;

    /// <inheritdoc/>
    public override int DefaultMaxIterations => 15000;

    /// <inheritdoc/>
    protected override void Validate(IObjective objective, Bounds? bounds)
    {
        if (Memory < 1) throw new ArgumentOutOfRangeException(nameof(Memory), Memory, "The L-BFGS-B memory must be at least 1.");
        if (!(CurvatureEpsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(CurvatureEpsilon), CurvatureEpsilon, "The curvature threshold must be non-negative.");
        ArgumentNullException.ThrowIfNull(LineSearch);
    }

    /// <inheritdoc/>
    protected override MinimizerRun CreateRun(ObjectiveEvaluator evaluator, Bounds? bounds, MinimizeOptions options)
        => new Run(evaluator, bounds, Memory, LineSearch.Clone(), CurvatureEpsilon);

    private sealed class Run : MinimizerRun
    {
        private const double MaxStepUnbounded = 1e10;
        private readonly ILineSearch _search;
        private readonly double _epsilon;
        private readonly double[] _lower;
        private readonly double[] _upper;
        private readonly bool _allBoxed;
        private readonly bool _bounded;
        private readonly double[] _g;
        private readonly double[] _xc;
        private readonly double[] _xbar;
        private readonly double[] _d;
        private readonly double[] _s;
        private readonly double[] _y;
        private readonly double[] _xNew;
        private readonly double[] _gNew;
        private readonly CompactLbfgsMatrix _matrix;
        private readonly GeneralizedCauchyPoint _cauchy;
        private readonly SubspaceMinimizer _subspace;
        private readonly LineFunction _phi;
        private string _acceptFailure = "";

        public Run(ObjectiveEvaluator evaluator, Bounds? bounds, int memory, ILineSearch search, double epsilon)
            : base(evaluator, bounds)
        {
            int n = evaluator.Dimension;
            _search = search;
            _epsilon = epsilon;
            _lower = new double[n];
            _upper = new double[n];
            if (Bounds is null)
            {
                Array.Fill(_lower, double.NegativeInfinity);
                Array.Fill(_upper, double.PositiveInfinity);
            }
            else
            {
                Bounds.Lower.CopyTo(_lower);
                Bounds.Upper.CopyTo(_upper);
            }
            _bounded = Bounds is not null;
            _allBoxed = true;
            for (int i = 0; i < n; i++)
                if (!double.IsFinite(_lower[i]) || !double.IsFinite(_upper[i])) _allBoxed = false;
            _g = new double[n];
            _xc = new double[n];
            _xbar = new double[n];
            _d = new double[n];
            _s = new double[n];
            _y = new double[n];
            _xNew = new double[n];
            _gNew = new double[n];
            _matrix = new CompactLbfgsMatrix(n, memory);
            _cauchy = new GeneralizedCauchyPoint(n, memory);
            _subspace = new SubspaceMinimizer(n, memory);
            _phi = new LineFunction(evaluator);
        }

        public override StepOutcome Start()
        {
            F = Evaluator.ValueAndGradient(X, _g);
            GradientNorm = StationarityNorm(_g);
            return double.IsFinite(F) && Blas1.AllFinite<double>(_g) ? StepOutcome.Continue : StepOutcome.NonFinite;
        }

        public override StepOutcome Step()
        {
            while (true)
            {
                bool fresh = _matrix.Count == 0;
                _cauchy.Compute(X, _g, _lower, _upper, _matrix, _xc);
                _subspace.Minimize(X, _g, _lower, _upper, _matrix, _xc, _cauchy.MC, _xbar);

                double slope = 0, dNorm2 = 0;
                for (int i = 0; i < _d.Length; i++)
                {
                    double di = _xbar[i] - X[i];
                    // x + 1·d must land in the box exactly (x + (x̄ − x) can round past a bound).
                    while (X[i] + di > _upper[i]) di = Math.BitDecrement(di);
                    while (X[i] + di < _lower[i]) di = Math.BitIncrement(di);
                    _d[i] = di;
                    slope += _g[i] * di;
                    dNorm2 += di * di;
                }
                if (!(slope < 0))
                {
                    if (!fresh) { _matrix.Reset(); continue; }
                    StepNorm = 0;
                    if (dNorm2 == 0)
                    {
                        Message = "The Cauchy point is the current iterate (the projected gradient is below rounding level); no step is possible.";
                        return StepOutcome.Stalled;
                    }
                    Message = $"The L-BFGS-B direction is not a descent direction (gᵀd = {slope:G4}) even with the memory reset.";
                    return StepOutcome.LineSearchFailed;
                }

                double feasible = MaxStepUnbounded;
                for (int i = 0; i < _d.Length; i++)
                {
                    double di = _d[i];
                    if (di > 0 && double.IsFinite(_upper[i])) feasible = Math.Min(feasible, (_upper[i] - X[i]) / di);
                    else if (di < 0 && double.IsFinite(_lower[i])) feasible = Math.Min(feasible, (_lower[i] - X[i]) / di);
                }
                double maxStep = fresh || !_bounded ? Math.Max(feasible, 1) : 1;
                double initial = fresh && !_allBoxed ? Math.Min(1 / Math.Sqrt(dNorm2), maxStep) : 1;

                _phi.Reset(X, F, _g, _d);
                var ls = _search.Search(_phi, initial, maxStep);
                if (ls.Succeeded && Accept(ls.Step)) return StepOutcome.Continue;
                if (!fresh) { _matrix.Reset(); continue; }
                StepNorm = 0;
                Message = ls.Succeeded
                    ? _acceptFailure
                    : $"The {_search.Name} line search failed ({ls.Status}) after {_phi.Evaluations} evaluations, also with the memory reset.";
                return StepOutcome.LineSearchFailed;
            }
        }

        /// <summary>Moves to the accepted trial point; false when that is impossible (non-finite after projection).</summary>
        private bool Accept(double step)
        {
            _phi.EnsureGradientAt(step);
            _phi.TrialX.CopyTo(_xNew);
            double fNew = _phi.TrialValue;
            if (_bounded && Bounds!.Project(_xNew) > 0)
            {
                // A step beyond α = 1 (first iteration) can round past a bound: evaluate at the projected point.
                fNew = Evaluator.ValueAndGradient(_xNew, _gNew);
                if (!double.IsFinite(fNew) || !Blas1.AllFinite<double>(_gNew))
                {
                    _acceptFailure = "The accepted step rounded past a bound, and f or ∇f is not finite at its projection onto the box, also with the memory reset.";
                    return false;
                }
            }
            else
            {
                _phi.TrialGradient.CopyTo(_gNew);
                if (!Blas1.AllFinite<double>(_gNew))
                {
                    _acceptFailure = "∇f is not finite at the step the line search accepted, also with the memory reset.";
                    return false;
                }
            }
            for (int i = 0; i < _s.Length; i++)
            {
                _s[i] = _xNew[i] - X[i];
                _y[i] = _gNew[i] - _g[i];
            }
            _matrix.TryAdd(_s, _y, _epsilon);
            StepNorm = InfinityNorm(_s);
            _xNew.CopyTo(X);
            _gNew.CopyTo(_g);
            F = fNew;
            GradientNorm = StationarityNorm(_g);
            return true;
        }
    }
}
