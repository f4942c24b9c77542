using Ordo.Optimization;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Problems.Optimization;

/// <summary>
/// One of the 35 Moré–Garbow–Hillstrom test problems, F(x) = Σᵢ rᵢ(x)² (the plain sum, no ½), at the standard size
/// and start point, with its known optimum and the local minima methods are known to stop at.
/// </summary>
/// <remarks>
/// Source: J. J. Moré, B. S. Garbow, K. E. Hillstrom, "Testing Unconstrained Optimization Software", ACM TOMS 7(1):17–41
/// (1981). The residuals are least-squares problem files (Data/mgh/NN-*.json, the grammar of docs/problem-files.md),
/// so every derivative is the expression engine's exact one; the constants, optima and the errata of public copies
/// are those of Data/mgh/mgh.json (see docs/optimization/mgh.md). Bounded variants are D. M. Gay's boxes (1984).
/// </remarks>
public sealed class MghProblem
{
    private readonly double[] _x0;
    private readonly double[]? _xStar;
    private readonly double[] _gradientAtX0;
    private readonly Lazy<LeastSquaresProblemFile> _file;
    private readonly Lazy<LeastSquaresFunctions> _functions;

    internal MghProblem(int id, string name, int n, int m, double[] x0, double fStar, double fAtX0, double[]? xStar,
        double fAtXStar, double[] localMinima, double[] gradientAtX0, MghBoundedVariant? bounded, Func<LeastSquaresProblemFile> load)
    {
        Id = id;
        Name = name;
        N = n;
        M = m;
        _x0 = x0;
        FStar = fStar;
        FAtX0 = fAtX0;
        _xStar = xStar;
        FAtXStar = fAtXStar;
        LocalMinima = localMinima;
        _gradientAtX0 = gradientAtX0;
        Bounded = bounded;
        _file = new Lazy<LeastSquaresProblemFile>(() =>
        {
            LeastSquaresProblemFile file = load();
            if (file.Dimension != n || file.ResidualCount != m)
                throw new InvalidOperationException($"MGH {id}: the problem file has n = {file.Dimension}, m = {file.ResidualCount}; mgh.json says n = {n}, m = {m}.");
            return file;
        });
        _functions = new Lazy<LeastSquaresFunctions>(() => LeastSquaresFunctions.For(_file.Value));
    }

    /// <summary>The problem's number in the paper (1–35).</summary>
    public int Id { get; }

    /// <summary>The problem's name (e.g. "Rosenbrock").</summary>
    public string Name { get; }

    /// <summary>Number of variables n.</summary>
    public int N { get; }

    /// <summary>Number of residuals m.</summary>
    public int M { get; }

    /// <summary>The standard start point (a copy).</summary>
    public double[] X0 => (double[])_x0.Clone();

    /// <summary>The global minimum F* (published, or reproduced to 1e-15 where the paper gives fewer digits).</summary>
    public double FStar { get; }

    /// <summary>F(x0).</summary>
    public double FAtX0 { get; }

    /// <summary>A global minimizer (a copy), or null where none is known in closed form or recorded.</summary>
    public double[]? XStar => (double[]?)_xStar?.Clone();

    /// <summary>F(<see cref="XStar"/>) as recorded in mgh.json (equal to <see cref="FStar"/> to the digits of x*).</summary>
    public double FAtXStar { get; }

    /// <summary>Values of the known non-global local minima (some at infinity) that methods stop at from x0; empty for
    /// most problems.</summary>
    public IReadOnlyList<double> LocalMinima { get; }

    /// <summary>The exact ∇F(x0) by complex step (a copy; a unit-test value).</summary>
    public double[] GradientAtX0 => (double[])_gradientAtX0.Clone();

    /// <summary>Gay's box-constrained variant, for nine of the problems; null otherwise.</summary>
    public MghBoundedVariant? Bounded { get; }

    /// <summary>The problem as a loaded least-squares problem file (compiled on first use; shared).</summary>
    public LeastSquaresProblemFile ProblemFile => _file.Value;

    /// <summary>A new objective (value, exact gradient, Hessian–vector product, dense Hessian, residuals, Jacobian).
    /// Each call returns a new instance, which is not thread safe; the compiled code is shared.</summary>
    public MghObjective CreateObjective() => new(_functions.Value);

    /// <summary>The MGH "solved" test: f − F* ≤ τ·(F(x0) − F*).</summary>
    public bool IsSolved(double f, double tau = 1e-6) => f - FStar <= tau * (FAtX0 - FStar);

    /// <summary>True when <paramref name="f"/> lies within τ·(F(x0) − F*) of one of the <see cref="LocalMinima"/>.</summary>
    public bool IsAtLocalMinimum(double f, double tau = 1e-4)
    {
        foreach (double local in LocalMinima)
            if (Math.Abs(f - local) <= tau * (FAtX0 - FStar)) return true;
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => $"MGH {Id} {Name} (n = {N}, m = {M})";
}

/// <summary>A box-constrained variant of an MGH problem (D. M. Gay, "A trust-region approach to linearly constrained
/// optimization", Numerical Analysis, LNM 1066, 1984; the boxes as transcribed in mgh.json).</summary>
/// <param name="Lower">Lower bounds.</param>
/// <param name="Upper">Upper bounds.</param>
/// <param name="FStar">The bounded minimum, recomputed with these residuals (for Box 3-D with m = 10 it differs from
/// the published m = 3 value).</param>
/// <param name="XStar">The bounded minimizer.</param>
/// <param name="X0">The start point projected onto the box.</param>
public sealed record MghBoundedVariant(double[] Lower, double[] Upper, double FStar, double[] XStar, double[] X0)
{
    /// <summary>The box as <see cref="Ordo.Optimization.Bounds"/>.</summary>
    public Bounds CreateBounds() => new(Lower, Upper);
}

/// <summary>The objective of an <see cref="MghProblem"/>: F = Σᵢ rᵢ² with exact derivatives (see
/// <see cref="LeastSquaresFileObjective"/>). Not thread safe; create one per thread with
/// <see cref="MghProblem.CreateObjective"/>.</summary>
public sealed class MghObjective : LeastSquaresFileObjective
{
    internal MghObjective(LeastSquaresFunctions functions) : base(functions)
    {
    }
}
