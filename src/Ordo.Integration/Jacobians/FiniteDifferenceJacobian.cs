using Ordo.LinearAlgebra;

namespace Ordo.Integration.Jacobians;

/// <summary>
/// The Jacobian ∂f/∂y by forward differences, column group by column group: all columns of a Curtis–Powell–Reid group
/// (<see cref="JacobianSparsity"/>) are perturbed at once and one evaluation of f yields all of them, so a band with kl
/// sub- and ku super-diagonals costs kl + ku + 1 evaluations instead of n. Without a pattern every column is its own
/// group (n evaluations). Writes row-major dense (<see cref="ComputeDense"/>) or LAPACK band storage
/// (<see cref="ComputeBanded"/>). Allocation-free after construction.
/// </summary>
/// <remarks>
/// <para>Increment δⱼ = √ε·max(|yⱼ|, typicalⱼ)·sign(yⱼ), then δⱼ ← (yⱼ + δⱼ) − yⱼ so that the difference quotient divides by the
/// increment actually representable; the truncation and rounding errors are then both O(√ε) relative (J. E. Dennis and
/// R. B. Schnabel, <i>Numerical Methods for Unconstrained Optimization and Nonlinear Equations</i>, SIAM 1996, §5.4;
/// E. Hairer and G. Wanner, <i>Solving ODEs II</i>, 2nd ed., §IV.8, the increment of RODAS). typical is
/// <see cref="TypicalMagnitude"/> (default 1e-5, as RODAS) unless set per component.</para>
/// <para>Column grouping: A. R. Curtis, M. J. D. Powell and J. K. Reid, J. Inst. Maths Applics 13 (1974) 117–119.</para>
/// </remarks>
public sealed class FiniteDifferenceJacobian
{
    private static readonly double SqrtEpsilon = Math.Sqrt(Math.Pow(2, -52));

    private readonly double[] _yp;
    private readonly double[] _fp;
    private readonly double[] _delta;
    private readonly double[] _typical;

    /// <summary>Creates the differencer for n-dimensional f.</summary>
    /// <param name="dimension">n.</param>
    /// <param name="sparsity">The Jacobian's pattern, or null for dense (n evaluations).</param>
    /// <param name="typicalMagnitude">The floor of |yⱼ| in the increment (finite, &gt; 0).</param>
    /// <exception cref="ArgumentException">The pattern's dimension is not n, or the magnitude is not positive.</exception>
    public FiniteDifferenceJacobian(int dimension, JacobianSparsity? sparsity = null, double typicalMagnitude = 1e-5)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        Guard.Positive(typicalMagnitude, nameof(typicalMagnitude));
        if (sparsity is not null && sparsity.Dimension != dimension)
            throw new ArgumentException($"The sparsity pattern is {sparsity.Dimension}×{sparsity.Dimension} but the dimension is {dimension}.", nameof(sparsity));
        Dimension = dimension;
        Sparsity = sparsity;
        TypicalMagnitude = typicalMagnitude;
        _yp = new double[dimension];
        _fp = new double[dimension];
        _delta = new double[dimension];
        _typical = new double[dimension];
        Array.Fill(_typical, typicalMagnitude);
    }

    /// <summary>n.</summary>
    public int Dimension { get; }

    /// <summary>The pattern, or null (dense).</summary>
    public JacobianSparsity? Sparsity { get; }

    /// <summary>The default floor of |yⱼ| in the increment.</summary>
    public double TypicalMagnitude { get; }

    /// <summary>Evaluations of f per Jacobian: the number of column groups (n when dense).</summary>
    public int EvaluationsPerJacobian => Sparsity?.GroupCount ?? Dimension;

    /// <summary>Sets the floor of |yⱼ| per component (typical sizes of the state, e.g. the absolute tolerances' scale).</summary>
    /// <exception cref="ArgumentException">Wrong length or a value that is not finite and positive.</exception>
    public void SetTypicalMagnitudes(ReadOnlySpan<double> typical)
    {
        Guard.Length(typical.Length, Dimension, nameof(typical));
        foreach (double v in typical) Guard.Positive(v, nameof(typical));
        typical.CopyTo(_typical);
    }

    /// <summary>
    /// J ≈ ∂f/∂y at (t, y) into <paramref name="jacobian"/>, row-major n×n (jacobian[i·n + j]); entries outside the pattern
    /// are set to zero. Calls <paramref name="f"/> <see cref="EvaluationsPerJacobian"/> times.
    /// </summary>
    /// <param name="f">The right-hand side (pass a counting wrapper to count the calls).</param>
    /// <param name="t">Time.</param>
    /// <param name="y">State.</param>
    /// <param name="fy">f(t, y), already evaluated.</param>
    /// <param name="jacobian">Receives J, length n·n.</param>
    public void ComputeDense(OdeFunction<double> f, double t, ReadOnlySpan<double> y, ReadOnlySpan<double> fy, Span<double> jacobian)
    {
        int n = Dimension;
        CheckVectors(y, fy);
        Guard.Length(jacobian.Length, n * n, nameof(jacobian), "n·n");
        y.CopyTo(_yp);
        if (Sparsity is null)
        {
            for (int j = 0; j < n; j++)
            {
                double d = Perturb(j, y);
                f(t, _yp, _fp);
                _yp[j] = y[j];
                double inv = 1 / d;
                for (int i = 0; i < n; i++) jacobian[i * n + j] = (_fp[i] - fy[i]) * inv;
            }
            return;
        }
        jacobian.Clear();
        var sink = new DenseSink(jacobian, n);
        DifferenceGroups(Sparsity, f, t, y, fy, ref sink);
    }

    /// <summary>
    /// J ≈ ∂f/∂y at (t, y) into LAPACK band storage with <paramref name="lower"/> sub- and <paramref name="upper"/>
    /// super-diagonals (<see cref="BandedLU.Index"/>; the kl fill-in rows and everything outside the pattern set to zero).
    /// Needs a pattern whose bandwidths fit: <see cref="JacobianSparsity.Lower"/> ≤ kl and <see cref="JacobianSparsity.Upper"/> ≤ ku.
    /// </summary>
    /// <param name="f">The right-hand side.</param>
    /// <param name="t">Time.</param>
    /// <param name="y">State.</param>
    /// <param name="fy">f(t, y), already evaluated.</param>
    /// <param name="band">Receives J, length n·(2kl + ku + 1).</param>
    /// <param name="lower">kl of the storage.</param>
    /// <param name="upper">ku of the storage.</param>
    /// <exception cref="ArgumentException">No pattern, a pattern wider than the storage, or wrong lengths.</exception>
    public void ComputeBanded(OdeFunction<double> f, double t, ReadOnlySpan<double> y, ReadOnlySpan<double> fy, Span<double> band, int lower, int upper)
    {
        int n = Dimension;
        CheckVectors(y, fy);
        var s = Sparsity ?? throw new InvalidOperationException("Band storage needs a sparsity pattern (JacobianSparsity.Banded).");
        if (lower < s.Lower || upper < s.Upper)
            throw new ArgumentException($"The pattern has bandwidths ({s.Lower}, {s.Upper}) but the storage only ({lower}, {upper}).", nameof(lower));
        Guard.Length(band.Length, BandedLU.StorageLength(n, lower, upper), nameof(band), "n·(2kl + ku + 1)");
        band.Clear();
        y.CopyTo(_yp);
        var sink = new BandSink(band, lower, upper);
        DifferenceGroups(s, f, t, y, fy, ref sink);
    }

    /// <summary>One evaluation of f per column group; each quotient goes to the sink (a struct, so the write inlines).</summary>
    private void DifferenceGroups<TSink>(JacobianSparsity s, OdeFunction<double> f, double t, ReadOnlySpan<double> y,
        ReadOnlySpan<double> fy, ref TSink sink) where TSink : struct, ISink, allows ref struct
    {
        for (int g = 0; g < s.GroupCount; g++)
        {
            var columns = s.GroupColumns(g);
            foreach (int j in columns) _delta[j] = Perturb(j, y);
            f(t, _yp, _fp);
            foreach (int j in columns)
            {
                _yp[j] = y[j];
                double inv = 1 / _delta[j];
                foreach (int i in s.ColumnRows(j)) sink.Set(i, j, (_fp[i] - fy[i]) * inv);
            }
        }
    }

    private interface ISink
    {
        void Set(int i, int j, double value);
    }

    private ref struct DenseSink(Span<double> jacobian, int n) : ISink
    {
        private readonly Span<double> _jacobian = jacobian;

        public readonly void Set(int i, int j, double value) => _jacobian[i * n + j] = value;
    }

    private ref struct BandSink(Span<double> band, int lower, int upper) : ISink
    {
        private readonly Span<double> _band = band;

        public readonly void Set(int i, int j, double value) => _band[BandedLU.Index(i, j, lower, upper)] = value;
    }

    /// <summary>Perturbs _yp[j] and returns the representable increment.</summary>
    private double Perturb(int j, ReadOnlySpan<double> y)
    {
        double yj = y[j];
        double d = SqrtEpsilon * Math.Max(Math.Abs(yj), _typical[j]) * (yj < 0 ? -1 : 1);
        _yp[j] = yj + d;
        return _yp[j] - yj;
    }

    private void CheckVectors(ReadOnlySpan<double> y, ReadOnlySpan<double> fy)
    {
        Guard.Length(y.Length, Dimension, nameof(y));
        Guard.Length(fy.Length, Dimension, nameof(fy));
    }
}
