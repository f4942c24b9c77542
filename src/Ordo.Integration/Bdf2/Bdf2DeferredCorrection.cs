namespace Ordo.Integration;

/// <summary>
/// Deferred correction of variable-step BDF2 on the caller's grid: each sweep raises the order by one (one sweep:
/// order 3, two sweeps: order 4), with the same backward-Euler first step as <see cref="VariableStepBdf2"/>.
/// </summary>
/// <remarks>
/// <para>A sweep takes the previous solution u on the whole grid, evaluates Fₖ = f(tₖ, uₖ), integrates a local
/// interpolant of F over each step, V₀ = y₀, Vₖ = Vₖ₋₁ + ∫ P[F] dt over [tₖ₋₁, tₖ] (P: the Lagrange polynomial through
/// m = sweep + 2 consecutive grid points around the step, m = 3 for order 3 and m = 4 for order 4, integrated exactly by
/// two-point Gauss–Legendre), and solves the base scheme again with the forcing
/// <code>D wₖ − f(tₖ, wₖ) = D Vₖ − f(tₖ, uₖ),</code>
/// D being the operator of the base scheme at k (backward Euler at k = 1, variable-step BDF2 after). V is the
/// Picard integral of the provisional derivative: if u were exact, D V − f(u) would be the BDF2 truncation error, so
/// w = u + (the BDF2 solution of the error equation) — the classical defect-correction idea (V. Pereyra; R. D. Skeel,
/// "A theoretical framework for proving accuracy results for deferred corrections", SIAM J. Numer. Anal. 19 (1982)
/// 171–196) in the integral form of spectral deferred correction (A. Dutt, L. Greengard and V. Rokhlin, BIT 40 (2000)
/// 241–266), which integrates f instead of differentiating the BDF2 solution. It is applied to the BDF2 base
/// scheme of J. Yue, H.-L. Liao and N. Liu, "Mesh-robust stability and convergence of variable-step deferred
/// correction methods based on the BDF2 formula", arXiv:2402.06129 (2024), and of Y. Bourgault and A. Garon, BIT 62
/// (2022) 1789–1822.</para>
/// <para>Not verified against those papers: their correction equations could not be read here (only the abstracts).
/// The differentiated form D wₖ − f(wₖ) = D uₖ − D_q uₖ (D_q: derivative of the degree-q interpolant of u) was tried
/// first and measured: it lost the extra orders on random grids and, with the backward-Euler start, on uniform grids
/// (the BDF2 error is not smooth there, and differentiating it three times amplifies that); the integral form keeps
/// them. See docs/integration/bdf2-deferred-correction.md for the measurements.</para>
/// <para>The first step stays backward Euler in every sweep; the sweeps correct it like every other step (for k = 1
/// this is exactly an implicit-Euler SDC correction), so the first-order start does not cap the DC order.
/// Buffers grow on the first solve of a longer grid; after that a solve allocates nothing.</para>
/// </remarks>
public sealed class Bdf2DeferredCorrection
{
    private static readonly double GaussLeft = 0.5 - Math.Sqrt(3) / 6, GaussRight = 0.5 + Math.Sqrt(3) / 6;

    private readonly VariableStepBdf2 _bdf2;
    private readonly OdeFunction<double> _rhs;
    private readonly int _n;
    private double[] _previous = [], _f = [], _dv = [], _forcing = [];
    private long _rhsEvaluations;

    /// <summary>Creates the workspace for <paramref name="problem"/>; <see cref="Bdf2Options.CorrectionSweeps"/> says how
    /// many sweeps follow the BDF2 solve.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public Bdf2DeferredCorrection(OdeProblem<double> problem, Bdf2Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        Options = options ?? Bdf2Options.Default;
        _bdf2 = new VariableStepBdf2(problem, Options);
        _rhs = problem.Rhs;
        _n = problem.Dimension;
    }

    /// <summary>The options.</summary>
    public Bdf2Options Options { get; }

    /// <summary>The problem.</summary>
    public OdeProblem<double> Problem => _bdf2.Problem;

    /// <summary>Work counters of all solves so far.</summary>
    public Bdf2Stats Stats => new(_bdf2.RhsEvaluations + _rhsEvaluations, _bdf2.JacobianEvaluations, _bdf2.LuDecompositions,
        _bdf2.NewtonIterations, SweepsRun);

    /// <summary>Implicit passes over the grid made by the last solve (1 + correction sweeps, fewer after a failure).</summary>
    public int SweepsRun { get; private set; }

    /// <summary>The grid point at which the last solve failed, or −1.</summary>
    public int FailedStep => _bdf2.FailedStep;

    /// <summary>Solves BDF2 and then <see cref="Bdf2Options.CorrectionSweeps"/> correction sweeps on
    /// <paramref name="grid"/>, writing the states row after row into <paramref name="states"/> (length grid.Length·n).
    /// With 1 sweep the grid needs at least 3 points, with 2 sweeps at least 4 (fewer points: fewer sweeps are run).</summary>
    /// <exception cref="ArgumentException">The grid is not strictly monotone from T0 to T1 with finite entries, or
    /// <paramref name="states"/> has the wrong length.</exception>
    public Bdf2Status Solve(ReadOnlySpan<double> grid, Span<double> states)
    {
        Bdf2Grid.Validate(Problem, grid);
        Guard.Length(states.Length, grid.Length * _n, nameof(states), "grid.Length · dimension");
        SweepsRun = 1;
        var status = _bdf2.Solve(grid, states, default, default);
        int sweeps = Math.Min(Options.CorrectionSweeps, grid.Length - 2);
        if (status != Bdf2Status.Success || sweeps <= 0) return status;
        EnsureCapacity(states.Length);
        for (int sweep = 1; sweep <= sweeps; sweep++)
        {
            var previous = _previous.AsSpan(0, states.Length);
            states.CopyTo(previous);
            status = Defect(grid, previous, sweep + 2);
            if (status == Bdf2Status.Success)
                status = _bdf2.Solve(grid, states, _forcing.AsSpan(0, states.Length), previous);
            SweepsRun++;
            if (status != Bdf2Status.Success) return status;
        }
        return status;
    }

    private void EnsureCapacity(int length)
    {
        if (_previous.Length >= length) return;
        _previous = new double[length];
        _f = new double[length];
        _dv = new double[length];
        _forcing = new double[length];
    }

    /// <summary>Forcing cₖ = D Vₖ − f(tₖ, uₖ) from the provisional solution u with an m-point quadrature.</summary>
    private Bdf2Status Defect(ReadOnlySpan<double> grid, ReadOnlySpan<double> u, int m)
    {
        int n = _n, points = grid.Length;
        var f = _f.AsSpan(0, u.Length);
        var dv = _dv.AsSpan(0, u.Length);
        var c = _forcing.AsSpan(0, u.Length);
        for (int k = 0; k < points; k++)
        {
            _rhs(grid[k], u.Slice(k * n, n), f.Slice(k * n, n));
            _rhsEvaluations++;
        }
        if (!Blas1.AllFinite<double>(f)) return Bdf2Status.NonFiniteValue;
        Span<double> weights = stackalloc double[4];
        for (int k = 1; k < points; k++)
        {
            // Stencil of m points around [tₖ₋₁, tₖ], shifted inside the grid at its ends.
            int first = Math.Clamp(k - 2, 0, points - m);
            QuadratureWeights(grid, first, m, grid[k - 1], grid[k], weights);
            var row = dv.Slice(k * n, n);
            row.Clear();
            for (int j = 0; j < m; j++) Blas1.Axpy(weights[j], f.Slice((first + j) * n, n), row);
        }
        // D V with weights summing to zero: a1(Vₖ₋₁ − Vₖ) + a2(Vₖ₋₂ − Vₖ) = −a1·ΔVₖ − a2·(ΔVₖ + ΔVₖ₋₁).
        c[..n].Clear();
        for (int k = 1; k < points; k++)
        {
            double tau = grid[k] - grid[k - 1];
            var ck = c.Slice(k * n, n);
            ReadOnlySpan<double> dvk = dv.Slice(k * n, n), fk = f.Slice(k * n, n);
            if (k == 1)
            {
                for (int i = 0; i < n; i++) ck[i] = dvk[i] / tau - fk[i];
            }
            else
            {
                double r = tau / (grid[k - 1] - grid[k - 2]);
                double a1 = -(1 + r) / tau, a2 = r * r / ((1 + r) * tau);
                ReadOnlySpan<double> dvPrevious = dv.Slice((k - 1) * n, n);
                for (int i = 0; i < n; i++) ck[i] = -a1 * dvk[i] - a2 * (dvk[i] + dvPrevious[i]) - fk[i];
            }
        }
        return Bdf2Status.Success;
    }

    /// <summary>wⱼ = ∫ₐᵇ ℓⱼ(t) dt for the Lagrange basis ℓⱼ on grid[first … first + m − 1] (m ≤ 4: two Gauss points
    /// integrate the cubic exactly). Times are taken relative to a.</summary>
    internal static void QuadratureWeights(ReadOnlySpan<double> grid, int first, int m, double a, double b, Span<double> weights)
    {
        double h = b - a, x1 = GaussLeft * h, x2 = GaussRight * h;
        for (int j = 0; j < m; j++)
        {
            double tj = grid[first + j] - a, l1 = 1, l2 = 1;
            for (int i = 0; i < m; i++)
            {
                if (i == j) continue;
                double ti = grid[first + i] - a, d = tj - ti;
                l1 *= (x1 - ti) / d;
                l2 *= (x2 - ti) / d;
            }
            weights[j] = 0.5 * h * (l1 + l2);
        }
    }
}
