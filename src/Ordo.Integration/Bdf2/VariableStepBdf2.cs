using Ordo.LinearAlgebra;

namespace Ordo.Integration;

/// <summary>
/// The variable-step two-step backward differentiation formula (BDF2) on a grid the caller gives (graded meshes,
/// random step ratios), for stiff systems: with τₖ = tₖ − tₖ₋₁ and rₖ = τₖ/τₖ₋₁,
/// <code>D₂yₖ = [(1 + 2rₖ)/(1 + rₖ)·yₖ − (1 + rₖ)·yₖ₋₁ + rₖ²/(1 + rₖ)·yₖ₋₂] / τₖ = f(tₖ, yₖ) + cₖ,</code>
/// the derivative at tₖ of the quadratic through the last three points. The first step is one backward-Euler step
/// (D₁y₁ = (y₁ − y₀)/τ₁), a first-order start: BDF2's global order stays 2 because the start error enters once.
/// cₖ is an optional forcing (zero for plain BDF2; <see cref="Bdf2DeferredCorrection"/> uses it).
/// Each grid point is a nonlinear system solved by simplified Newton with the iteration matrix (α₀/τₖ)·I − J
/// factored by <see cref="DenseLU"/>; J is the exact <see cref="OdeProblem{T}.Jacobian"/> or forward differences,
/// evaluated once per grid point and once more when Newton fails to converge. All buffers are allocated in the
/// constructor: a solve allocates nothing.
/// </summary>
/// <remarks>
/// Source: the variable-step BDF2 formula as in E. Hairer, S. P. Nørsett and G. Wanner, <i>Solving Ordinary
/// Differential Equations I</i>, 2nd ed., Springer 1993, §III.5 (variable step size multistep methods), with the
/// zero-stability of arbitrary grids in the DOC-kernel sense of H.-L. Liao and Z. Zhang, "Analysis of adaptive BDF2
/// scheme for diffusion equations", Math. Comp. 90 (2021) 1207–1226, and Z. Li and H.-L. Liao, "Stability of
/// variable-step BDF2 and BDF3 methods", SIAM J. Numer. Anal. 60 (2022) 2253–2272 (step ratios up to ≈ 4.86).
/// Double precision only. See docs/integration/bdf2-deferred-correction.md.
/// </remarks>
public sealed class VariableStepBdf2
{

    private readonly OdeFunction<double> _rhs;
    private readonly OdeJacobian<double>? _jacobian;
    private readonly Bdf2Options _options;
    private readonly int _n;
    private readonly double[] _j, _m, _f, _fBase, _delta, _known, _yTrial;
    private readonly int[] _pivots;
    private double _a0;   // α₀/τ of the current factorization

    /// <summary>Creates the workspace for <paramref name="problem"/> (its right-hand side, Jacobian and dimension).</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public VariableStepBdf2(OdeProblem<double> problem, Bdf2Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        _options = options ?? Bdf2Options.Default;
        _options.Validate();
        Problem = problem;
        _rhs = problem.Rhs;
        _jacobian = problem.Jacobian;
        int n = _n = problem.Dimension;
        _j = new double[n * n];
        _m = new double[n * n];
        _pivots = new int[n];
        _f = new double[n];
        _fBase = new double[n];
        _delta = new double[n];
        _known = new double[n];
        _yTrial = new double[n];
    }

    /// <summary>The problem this workspace solves.</summary>
    public OdeProblem<double> Problem { get; }

    /// <summary>Right-hand-side evaluations so far.</summary>
    public long RhsEvaluations { get; private set; }

    /// <summary>Jacobian evaluations so far (a finite-difference Jacobian counts once).</summary>
    public long JacobianEvaluations { get; private set; }

    /// <summary>LU factorizations so far.</summary>
    public long LuDecompositions { get; private set; }

    /// <summary>Newton iterations so far.</summary>
    public long NewtonIterations { get; private set; }

    /// <summary>The grid point at which the last solve failed, or −1.</summary>
    public int FailedStep { get; private set; } = -1;

    /// <summary>Solves plain BDF2 on <paramref name="grid"/>, writing the states row after row into
    /// <paramref name="states"/> (length grid.Length·n; row 0 becomes y₀).</summary>
    /// <exception cref="ArgumentException">The grid is not strictly monotone from T0 to T1 with finite entries, or
    /// <paramref name="states"/> has the wrong length.</exception>
    public Bdf2Status Solve(ReadOnlySpan<double> grid, Span<double> states)
    {
        Bdf2Grid.Validate(Problem, grid);
        Guard.Length(states.Length, grid.Length * _n, nameof(states), "grid.Length · dimension");
        return Solve(grid, states, default, default);
    }

    /// <summary>The scheme D yₖ = f(tₖ, yₖ) + cₖ with forcing rows cₖ (empty: none), Newton started from
    /// guess rows (empty: extrapolation). The grid is already validated.</summary>
    internal Bdf2Status Solve(ReadOnlySpan<double> grid, Span<double> states, ReadOnlySpan<double> forcing, ReadOnlySpan<double> guess)
    {
        int n = _n;
        FailedStep = -1;
        Problem.InitialState.CopyTo(states);
        for (int k = 1; k < grid.Length; k++)
        {
            double tau = grid[k] - grid[k - 1];
            var y = states.Slice(k * n, n);
            ReadOnlySpan<double> y1 = states.Slice((k - 1) * n, n);
            // Weights of D: a0·yₖ + a1·yₖ₋₁ + a2·yₖ₋₂ (backward Euler at k = 1).
            double a0, a1, a2;
            if (k == 1)
            {
                a0 = 1 / tau; a1 = -a0; a2 = 0;
            }
            else
            {
                double r = tau / (grid[k - 1] - grid[k - 2]);
                a0 = (1 + 2 * r) / ((1 + r) * tau);
                a1 = -(1 + r) / tau;
                a2 = r * r / ((1 + r) * tau);
            }
            // known = a1·yₖ₋₁ + a2·yₖ₋₂ − cₖ, so that the residual is a0·y + known − f(tₖ, y).
            for (int i = 0; i < n; i++) _known[i] = a1 * y1[i];
            if (k > 1) Blas1.Axpy(a2, states.Slice((k - 2) * n, n), _known);
            if (!forcing.IsEmpty) Blas1.Axpy(-1.0, forcing.Slice(k * n, n), _known);

            // Predictor.
            if (!guess.IsEmpty)
            {
                for (int i = 0; i < n; i++) y[i] = guess[k * n + i] + (y1[i] - guess[(k - 1) * n + i]);
            }
            else if (k == 1)
            {
                y1.CopyTo(y);
            }
            else
            {
                double r = tau / (grid[k - 1] - grid[k - 2]);
                ReadOnlySpan<double> y2 = states.Slice((k - 2) * n, n);
                for (int i = 0; i < n; i++) y[i] = y1[i] + r * (y1[i] - y2[i]);
            }
            if (!Blas1.AllFinite<double>(y)) y1.CopyTo(y);

            y.CopyTo(_yTrial);
            var status = Newton(grid[k], a0, y);
            if (status != Bdf2Status.Success)
            {
                // Second attempt from the predictor, with the Jacobian at the last iterate.
                if (status == Bdf2Status.NewtonFailed && Blas1.AllFinite<double>(y))
                {
                    status = Jacobian(grid[k], y, a0);
                    _yTrial.CopyTo(y);
                    if (status == Bdf2Status.Success) status = Iterate(grid[k], y);
                }
                if (status != Bdf2Status.Success)
                {
                    FailedStep = k;
                    states[(k * n)..].Fill(double.NaN);
                    return status;
                }
            }
        }
        return Bdf2Status.Success;
    }

    private Bdf2Status Newton(double t, double a0, Span<double> y)
    {
        var status = Jacobian(t, y, a0);
        return status == Bdf2Status.Success ? Iterate(t, y) : status;
    }

    /// <summary>Evaluates J at (t, y) and factors (a0·I − J).</summary>
    private Bdf2Status Jacobian(double t, ReadOnlySpan<double> y, double a0)
    {
        int n = _n;
        if (_jacobian is not null)
        {
            _jacobian(t, y, _j);
        }
        else
        {
            _rhs(t, y, _fBase);
            RhsEvaluations++;
            if (!Blas1.AllFinite<double>(_fBase)) return Bdf2Status.NonFiniteValue;
            Jacobians.Radau5Differences.Compute(_rhs, t, y, _fBase, _j, _delta, _f);
            RhsEvaluations += n;
        }
        JacobianEvaluations++;
        if (!Blas1.AllFinite<double>(_j)) return Bdf2Status.NonFiniteValue;
        for (int i = 0; i < n * n; i++) _m[i] = -_j[i];
        for (int i = 0; i < n; i++) _m[i * n + i] += a0;
        _a0 = a0;
        LuDecompositions++;
        return DenseLU.Factor(_m, n, _pivots) ? Bdf2Status.Success : Bdf2Status.SingularMatrix;
    }

    /// <summary>Simplified Newton on a0·y + known − f(t, y) = 0 with the current factorization.</summary>
    private Bdf2Status Iterate(double t, Span<double> y)
    {
        int n = _n;
        double previous = double.PositiveInfinity;
        for (int iteration = 0; iteration < _options.MaxNewtonIterations; iteration++)
        {
            _rhs(t, y, _f);
            RhsEvaluations++;
            NewtonIterations++;
            if (!Blas1.AllFinite<double>(_f)) return Bdf2Status.NonFiniteValue;
            for (int i = 0; i < n; i++) _delta[i] = _f[i] - _a0 * y[i] - _known[i];
            DenseLU.Solve(_m, n, _pivots, _delta);
            double size = 0, scale = 0;
            for (int i = 0; i < n; i++)
            {
                y[i] += _delta[i];
                size = Math.Max(size, Math.Abs(_delta[i]));
                scale = Math.Max(scale, Math.Abs(y[i]));
            }
            if (!double.IsFinite(size)) return Bdf2Status.NewtonFailed;
            if (size <= _options.NewtonTolerance * (1 + scale)) return Bdf2Status.Success;
            if (iteration >= 2 && size >= previous) return Bdf2Status.NewtonFailed;   // diverging
            previous = size;
        }
        return Bdf2Status.NewtonFailed;
    }
}
