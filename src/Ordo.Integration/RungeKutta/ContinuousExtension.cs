namespace Ordo.Integration;

/// <summary>
/// Dense output of an explicit Runge–Kutta step as data: <c>y(t₀ + θh) = y₀ + h Σᵢ bᵢ(θ) kᵢ</c> with polynomial
/// weights <c>bᵢ(θ) = Σₘ Pᵢₘ θ^(m+1)</c>, where the sum may include extra stages evaluated only when dense output is
/// asked for (HNW I, §II.6). Shampine's DP5 interpolant, Tsitouras' Tsit5 interpolant, the cubic Hermite interpolant
/// and Hairer's 7th-order DOP853 interpolant (3 extra stages) are all of this form.
/// </summary>
public sealed class ContinuousExtension
{
    private readonly double[] _extraNodes;
    private readonly double[][] _extraRows;
    private readonly double[][] _weights;

    /// <summary>Creates a continuous extension.</summary>
    /// <param name="order">Order of the interpolant (uniform in θ ∈ [0, 1]).</param>
    /// <param name="extraNodes">Nodes of the extra stages (may be empty).</param>
    /// <param name="extraRows">Coefficient rows of the extra stages; extra stage e has s + e entries (it may use every
    /// regular stage and the extra stages before it).</param>
    /// <param name="weights">Pᵢₘ for every stage (regular, then extra): coefficient of θ^(m+1) in bᵢ(θ).</param>
    public ContinuousExtension(int order, double[] extraNodes, double[][] extraRows, double[][] weights)
    {
        ArgumentNullException.ThrowIfNull(extraNodes);
        ArgumentNullException.ThrowIfNull(extraRows);
        ArgumentNullException.ThrowIfNull(weights);
        Order = order;
        _extraNodes = (double[])extraNodes.Clone();
        _extraRows = extraRows.Select(r => (double[])r.Clone()).ToArray();
        _weights = weights.Select(r => (double[])r.Clone()).ToArray();
    }

    /// <summary>Order of the interpolant.</summary>
    public int Order { get; }

    /// <summary>Number of extra stages evaluated only for dense output.</summary>
    public int ExtraStages => _extraNodes.Length;

    /// <summary>Degree of the interpolating polynomial in θ.</summary>
    public int Degree => _weights.Length == 0 ? 0 : _weights[0].Length;

    /// <summary>Node of extra stage <paramref name="e"/>.</summary>
    public double ExtraNode(int e) => _extraNodes[e];

    /// <summary>Coefficient row of extra stage <paramref name="e"/> (length s + e).</summary>
    public ReadOnlySpan<double> ExtraRow(int e) => _extraRows[e];

    /// <summary>Polynomial weights of stage <paramref name="i"/>: entry m multiplies θ^(m+1).</summary>
    public ReadOnlySpan<double> Weights(int i) => _weights[i];

    /// <summary>
    /// The cubic Hermite interpolant through y₀, y₁, f(t₀, y₀) = k₀ and f(t₀ + h, y₁), written as polynomial weights.
    /// For an FSAL tableau f(t₀ + h, y₁) is the last stage; otherwise it is one extra stage with row b and node 1
    /// (which the next step reuses as its first stage, so it costs nothing unless the integration ends there).
    /// Order min(p, 3).
    /// </summary>
    public static ContinuousExtension Hermite(ButcherTableau tableau)
    {
        ArgumentNullException.ThrowIfNull(tableau);
        int s = tableau.Stages;
        // Hermite basis in powers θ¹..θ³: h01 = 3θ² − 2θ³ (multiplies y₁ − y₀), h10 = θ − 2θ² + θ³ (h·f₀), h11 = −θ² + θ³ (h·f₁).
        double[] h01 = [0, 3, -2], h10 = [1, -2, 1], h11 = [0, -1, 1];
        int end = tableau.IsFsal ? s - 1 : s;
        int total = tableau.IsFsal ? s : s + 1;
        var weights = new double[total][];
        for (int i = 0; i < total; i++)
        {
            double bi = i < s ? tableau.B[i] : 0;
            weights[i] = new double[3];
            for (int m = 0; m < 3; m++)
                weights[i][m] = h01[m] * bi + (i == 0 ? h10[m] : 0) + (i == end ? h11[m] : 0);
        }
        return tableau.IsFsal
            ? new ContinuousExtension(Math.Min(tableau.Order, 3), [], [], weights)
            : new ContinuousExtension(Math.Min(tableau.Order, 3), [1.0], [tableau.B.ToArray()], weights);
    }

    internal string? Validate(ButcherTableau tableau)
    {
        int s = tableau.Stages;
        if (_extraRows.Length != _extraNodes.Length) return "the continuous extension has a different number of extra nodes and rows";
        for (int e = 0; e < _extraRows.Length; e++)
        {
            if (_extraRows[e].Length != s + e) return $"extra stage {e} of the continuous extension must have {s + e} coefficients";
            double sum = _extraRows[e].Sum(), mag = _extraRows[e].Sum(Math.Abs);
            if (Math.Abs(sum - _extraNodes[e]) > 1e-13 * (1 + mag)) return $"extra stage {e} of the continuous extension sums to {sum}, not its node {_extraNodes[e]}";
        }
        if (_weights.Length != s + _extraNodes.Length) return $"the continuous extension has weights for {_weights.Length} stages, not {s + _extraNodes.Length}";
        int degree = Degree;
        if (degree < 1) return "the continuous extension has degree 0";
        for (int i = 0; i < _weights.Length; i++)
        {
            if (_weights[i].Length != degree) return "the continuous extension's weight rows differ in length";
            // At θ = 1 the interpolant must reproduce the step: Σₘ Pᵢₘ = bᵢ (0 for extra stages).
            double atOne = _weights[i].Sum(), mag = _weights[i].Sum(Math.Abs);
            double bi = i < s ? tableau.B[i] : 0;
            if (Math.Abs(atOne - bi) > 1e-12 * (1 + mag)) return $"the continuous extension's weights of stage {i} give {atOne} at θ = 1 instead of b = {bi}";
        }
        return null;
    }
}
