using System.Numerics.Tensors;
using Ordo.LinearAlgebra;

namespace Ordo.Integration.Jacobians;

/// <summary>
/// The linear algebra of one implicit stepper (Rosenbrock, BDF, Radau): holds the Jacobian J = ∂f/∂y (exact, or by
/// forward differences with Curtis–Powell–Reid column grouping), forms the iteration matrix M = α·I − β·J
/// (α = 1/(hγ), β = 1 for Rosenbrock; α = 1, β = hγ for Newton on BDF/Radau stages), factors it with the solver that
/// fits its structure, and solves with it. Allocation-free after construction.
/// </summary>
/// <remarks>
/// <para>Structure and solver: with a <see cref="JacobianSparsity"/> whose band is narrow (2kl + ku + 1 ≤ n/2) J is kept in
/// LAPACK band storage and M is factored by <see cref="BandedLU"/> (O(n·kl·(kl + ku)) instead of O(n³)); otherwise J is
/// dense row-major and M is factored by <see cref="DenseSolver"/> (managed <see cref="DenseLU"/> below
/// <see cref="DenseSolver.LapackThreshold"/>, LAPACK above it when the library is installed).</para>
/// <para>Counting: <see cref="JacobianEvaluations"/>, <see cref="RhsEvaluations"/> (the calls of f made for finite
/// differences) and <see cref="LuDecompositions"/>. A stepper that counts f through its own <c>Evaluate</c> passes that
/// method as the right-hand side so its counter includes the difference quotients, and adds the other two to its own.</para>
/// <para>Sources: G. H. Golub and C. F. Van Loan, <i>Matrix Computations</i>, 4th ed., §3.4 and §4.3 (dense and band LU);
/// A. R. Curtis, M. J. D. Powell and J. K. Reid, J. Inst. Maths Applics 13 (1974) 117–119 (column grouping);
/// E. Hairer and G. Wanner, <i>Solving ODEs II</i>, 2nd ed., §IV.8 (the iteration matrix and its reuse).</para>
/// </remarks>
public sealed class IterationMatrix
{
    private readonly OdeFunction<double> _rhs;
    private readonly OdeJacobian<double>? _jacobian;
    private readonly FiniteDifferenceJacobian? _differences;
    private readonly double[] _j;          // J: row-major n·n, or band storage n·(2kl + ku + 1).
    private readonly double[]? _denseScratch; // exact Jacobian of a banded problem arrives dense.
    private readonly double[]? _band;      // M and its band factors.
    private readonly int[]? _bandPivots;
    private readonly DenseSolver? _dense;
    private bool _jacobianFinite;
    private bool _factored;

    /// <summary>The iteration matrix of <paramref name="problem"/>: its exact <see cref="OdeProblem{T}.Jacobian"/> when
    /// given, else differences of its right-hand side; its <see cref="OdeProblem{T}.JacobianStructure"/> chooses the storage.</summary>
    /// <param name="problem">The problem.</param>
    /// <param name="rhs">The f used for differences, e.g. the stepper's counting <c>Evaluate</c>; null: the problem's own.</param>
    public IterationMatrix(OdeProblem<double> problem, OdeFunction<double>? rhs = null)
        : this(problem?.Dimension ?? throw new ArgumentNullException(nameof(problem)), rhs ?? problem.Rhs, problem.Jacobian, problem.JacobianStructure)
    {
    }

    /// <summary>An iteration matrix for an n-dimensional f.</summary>
    /// <param name="dimension">n.</param>
    /// <param name="rhs">f, differenced when <paramref name="jacobian"/> is null.</param>
    /// <param name="jacobian">The exact Jacobian (row-major), or null.</param>
    /// <param name="structure">The Jacobian's pattern, or null for dense.</param>
    /// <param name="backend">The dense solver's backend (ignored for a band).</param>
    /// <exception cref="ArgumentException">The pattern's dimension is not n.</exception>
    public IterationMatrix(int dimension, OdeFunction<double> rhs, OdeJacobian<double>? jacobian = null, JacobianSparsity? structure = null,
        DenseSolverBackend backend = DenseSolverBackend.Auto)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentNullException.ThrowIfNull(rhs);
        if (structure is not null && structure.Dimension != dimension)
            throw new ArgumentException($"The Jacobian structure is {structure.Dimension}×{structure.Dimension} but the dimension is {dimension}.", nameof(structure));
        int n = dimension;
        Dimension = n;
        _rhs = rhs;
        _jacobian = jacobian;
        Structure = structure;
        if (jacobian is null) _differences = new FiniteDifferenceJacobian(n, structure);

        if (structure is not null && 2 * (BandedLU.LeadingDimension(structure.Lower, structure.Upper)) <= n)
        {
            IsBanded = true;
            Lower = structure.Lower;
            Upper = structure.Upper;
            int length = BandedLU.StorageLength(n, Lower, Upper);
            _j = new double[length];
            _band = new double[length];
            _bandPivots = new int[n];
            if (jacobian is not null) _denseScratch = new double[n * n];
        }
        else
        {
            Lower = Upper = n - 1;
            _j = new double[n * n];
            _dense = new DenseSolver(n, backend);
        }
    }

    /// <summary>n.</summary>
    public int Dimension { get; }

    /// <summary>The Jacobian's pattern, or null (dense).</summary>
    public JacobianSparsity? Structure { get; }

    /// <summary>True when J and M are in band storage and M is factored by <see cref="BandedLU"/>.</summary>
    public bool IsBanded { get; }

    /// <summary>The lower bandwidth of the storage (n − 1 when dense).</summary>
    public int Lower { get; }

    /// <summary>The upper bandwidth of the storage (n − 1 when dense).</summary>
    public int Upper { get; }

    /// <summary>True when the dense factorization goes to LAPACK.</summary>
    public bool UsesLapack => _dense?.UsesLapack ?? false;

    /// <summary>True when J comes from the exact Jacobian rather than differences.</summary>
    public bool HasExactJacobian => _jacobian is not null;

    /// <summary>Evaluations of f per finite-difference Jacobian (0 with an exact Jacobian).</summary>
    public int EvaluationsPerJacobian => _differences?.EvaluationsPerJacobian ?? 0;

    /// <summary>Jacobians evaluated so far.</summary>
    public long JacobianEvaluations { get; private set; }

    /// <summary>Evaluations of f made for difference quotients so far.</summary>
    public long RhsEvaluations { get; private set; }

    /// <summary>Factorizations of M so far.</summary>
    public long LuDecompositions { get; private set; }

    /// <summary>The difference increments' floor per component (see <see cref="FiniteDifferenceJacobian.SetTypicalMagnitudes"/>);
    /// ignored with an exact Jacobian.</summary>
    public void SetTypicalMagnitudes(ReadOnlySpan<double> typical) => _differences?.SetTypicalMagnitudes(typical);

    /// <summary>Evaluates J at (t, y). <paramref name="fy"/> = f(t, y) is needed for differences (ignored with an exact Jacobian).</summary>
    public void EvaluateJacobian(double t, ReadOnlySpan<double> y, ReadOnlySpan<double> fy)
    {
        if (_jacobian is not null)
        {
            if (_denseScratch is null)
            {
                _jacobian(t, y, _j);
            }
            else
            {
                _denseScratch.AsSpan().Clear();
                _jacobian(t, y, _denseScratch);
                CopyBand(_denseScratch);
            }
        }
        else if (IsBanded)
        {
            _differences!.ComputeBanded(_rhs, t, y, fy, _j, Lower, Upper);
            RhsEvaluations += _differences.EvaluationsPerJacobian;
        }
        else
        {
            _differences!.ComputeDense(_rhs, t, y, fy, _j);
            RhsEvaluations += _differences.EvaluationsPerJacobian;
        }
        _jacobianFinite = Blas1.AllFinite<double>(_j);
        JacobianEvaluations++;
    }

    /// <summary>The entry Jᵢⱼ of the last evaluated Jacobian (0 outside the band).</summary>
    public double Jacobian(int i, int j)
    {
        int n = Dimension;
        if ((uint)i >= (uint)n || (uint)j >= (uint)n) throw new ArgumentOutOfRangeException(nameof(i), $"({i}, {j}) is outside the {n}×{n} matrix.");
        if (!IsBanded) return _j[i * n + j];
        return i - j > Lower || j - i > Upper ? 0 : _j[BandedLU.Index(i, j, Lower, Upper)];
    }

    /// <summary>y = J·x with the last evaluated Jacobian (W-methods and residual checks).</summary>
    public void MultiplyJacobian(ReadOnlySpan<double> x, Span<double> y)
    {
        int n = Dimension;
        Guard.Length(x.Length, n, nameof(x));
        Guard.Length(y.Length, n, nameof(y));
        if (IsBanded)
        {
            BandedLU.Multiply(_j, n, Lower, Upper, x, y);
            return;
        }
        for (int i = 0; i < n; i++) y[i] = TensorPrimitives.Dot(_j.AsSpan(i * n, n), x);
    }

    /// <summary>
    /// Forms M = α·I − β·J from the last evaluated Jacobian and factors it. Returns false when M is singular or J holds a
    /// non-finite value: the stepper then reports the step as failed (never throws).
    /// </summary>
    /// <param name="alpha">The diagonal shift α (1/(hγ) for Rosenbrock, 1 for Newton on stages).</param>
    /// <param name="beta">The Jacobian's factor β (1 for Rosenbrock, hγ for Newton).</param>
    public bool Factor(double alpha, double beta)
    {
        LuDecompositions++;
        _factored = false;
        if (!_jacobianFinite || !double.IsFinite(alpha) || !double.IsFinite(beta)) return false;
        int n = Dimension;
        if (IsBanded)
        {
            var m = _band.AsSpan();
            TensorPrimitives.Multiply(_j, -beta, m);
            for (int i = 0; i < n; i++) m[BandedLU.Index(i, i, Lower, Upper)] += alpha;
            _factored = BandedLU.Factor(m, n, Lower, Upper, _bandPivots);
        }
        else
        {
            var m = _dense!.Matrix;
            TensorPrimitives.Multiply(_j, -beta, m);
            for (int i = 0; i < n; i++) m[i * n + i] += alpha;
            _factored = _dense.Factor();
        }
        return _factored;
    }

    /// <summary>Solves M·x = b in place with the factors of the last successful <see cref="Factor"/>.</summary>
    /// <exception cref="InvalidOperationException">No successful factorization.</exception>
    public void Solve(Span<double> b)
    {
        if (!_factored) throw new InvalidOperationException("Solve needs a successful Factor first.");
        Guard.Length(b.Length, Dimension, nameof(b));
        if (IsBanded) BandedLU.Solve(_band, Dimension, Lower, Upper, _bandPivots, b);
        else _dense!.Solve(b);
    }

    private void CopyBand(ReadOnlySpan<double> dense)
    {
        int n = Dimension;
        _j.AsSpan().Clear();
        for (int i = 0; i < n; i++)
            for (int j = Math.Max(0, i - Lower); j <= Math.Min(n - 1, i + Upper); j++)
                _j[BandedLU.Index(i, j, Lower, Upper)] = dense[i * n + j];
    }
}
