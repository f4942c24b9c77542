namespace Ordo.Integration;

/// <summary>
/// The Butcher tableau of an explicit Runge–Kutta method (Hairer, Nørsett &amp; Wanner, <i>Solving ODEs I</i>,
/// §II.1): nodes <c>c</c>, the strictly lower-triangular matrix <c>A</c> (given row by row, row <c>i</c> of length
/// <c>i</c>) and weights <c>b</c>, optionally with an error estimator and a continuous extension (dense output).
/// </summary>
/// <remarks>
/// A tableau checks itself when it is built: row sums <c>Σⱼ aᵢⱼ = cᵢ</c>, <c>Σ bᵢ = 1</c>, consistent embedded
/// weights, and an interpolant that reproduces <c>b</c> at θ = 1. A violated condition throws an
/// <see cref="ArgumentException"/> naming the tableau. FSAL ("first same as last": the last stage is
/// <c>f(t + h, y₁)</c> and serves as the first stage of the next step) is derived, not declared.
/// The algebraic order conditions over all rooted trees are checked by the test suite.
/// </remarks>
public sealed class ButcherTableau
{
    private readonly double[] _c;
    private readonly double[][] _a;
    private readonly double[] _b;

    /// <summary>Builds and validates a tableau.</summary>
    /// <param name="name">Human-readable name, e.g. "Dormand–Prince 5(4)".</param>
    /// <param name="order">Classical order of the propagated solution.</param>
    /// <param name="c">Nodes, length s; <c>c[0]</c> must be 0.</param>
    /// <param name="a">Rows of the strictly lower-triangular matrix; row i has length i.</param>
    /// <param name="b">Weights of the propagated solution, length s.</param>
    /// <param name="errorEstimator">How the local error is estimated; null for a method without one (fixed steps only).</param>
    /// <param name="continuousExtension">The method's own dense output; null to use a cubic Hermite interpolant.</param>
    /// <param name="source">Where the coefficients come from (paper, book).</param>
    public ButcherTableau(string name, int order, double[] c, double[][] a, double[] b,
        RungeKuttaErrorEstimator? errorEstimator = null, ContinuousExtension? continuousExtension = null, string source = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Name = name;
        Source = source;
        if (order < 1) Invalid($"order must be >= 1 but is {order}");
        Order = order;
        int s = c.Length;
        if (s < 1) Invalid("it has no stages");
        if (a.Length != s || b.Length != s) Invalid($"c has {s} entries, A has {a.Length} rows and b has {b.Length} entries");
        if (c[0] != 0) Invalid($"c[0] must be 0 for an explicit method but is {c[0]}");
        for (int i = 0; i < s; i++)
        {
            if (a[i] is null || a[i].Length != i) Invalid($"row {i} of A must have {i} entries (strictly lower triangular)");
            CheckSum(a[i], c[i], $"row {i} of A sums to {{0}} but c[{i}] = {c[i]}");
        }
        CheckSum(b, 1.0, "b sums to {0}, not 1");
        _c = (double[])c.Clone();
        _a = a.Select(r => (double[])r.Clone()).ToArray();
        _b = (double[])b.Clone();

        IsFsal = s > 1 && c[s - 1] == 1 && b[s - 1] == 0 && a[s - 1].AsSpan().SequenceEqual(b.AsSpan(0, s - 1));

        if (errorEstimator is not null)
        {
            string? problem = errorEstimator.Validate(s);
            if (problem is not null) Invalid(problem);
        }
        ErrorEstimator = errorEstimator;

        if (continuousExtension is not null)
        {
            string? problem = continuousExtension.Validate(this);
            if (problem is not null) Invalid(problem);
        }
        ContinuousExtension = continuousExtension;
    }

    /// <summary>Human-readable name.</summary>
    public string Name { get; }

    /// <summary>Classical order of the propagated solution.</summary>
    public int Order { get; }

    /// <summary>Number of stages s (including an FSAL stage).</summary>
    public int Stages => _c.Length;

    /// <summary>Number of right-hand-side evaluations per accepted step after the first (one less than s for FSAL).</summary>
    public int EvaluationsPerStep => IsFsal ? Stages - 1 : Stages;

    /// <summary>True when the last stage is f(t + h, y₁) and is reused as the first stage of the next step (derived).</summary>
    public bool IsFsal { get; }

    /// <summary>Nodes c.</summary>
    public ReadOnlySpan<double> C => _c;

    /// <summary>Weights b of the propagated solution.</summary>
    public ReadOnlySpan<double> B => _b;

    /// <summary>Row <paramref name="i"/> of A (length i).</summary>
    public ReadOnlySpan<double> A(int i) => _a[i];

    /// <summary>The error estimator, or null when the method has none (it can then only take fixed steps).</summary>
    public RungeKuttaErrorEstimator? ErrorEstimator { get; }

    /// <summary>The method's own continuous extension, or null (a cubic Hermite interpolant is used instead).</summary>
    public ContinuousExtension? ContinuousExtension { get; }

    /// <summary>Where the coefficients come from.</summary>
    public string Source { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private void CheckSum(ReadOnlySpan<double> values, double expected, string message)
    {
        double sum = 0, magnitude = 0;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) Invalid("it contains a non-finite coefficient");
            sum += v;
            magnitude += Math.Abs(v);
        }
        if (Math.Abs(sum - expected) > 1e-13 * (1 + magnitude)) Invalid(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, sum));
    }

    private void Invalid(string problem) =>
        throw new ArgumentException($"Butcher tableau '{Name}' is invalid: {problem}.");
}
