namespace Ordo.Integration;

/// <summary>
/// The coefficients of an s-stage Rosenbrock method in the transformed form of Hairer and Wanner (<i>Solving Ordinary
/// Differential Equations II</i>, 2nd ed., §IV.7, eq. (7.25)), which needs no matrix–vector product with J:
/// <code>
/// (I/(hγ) − J) uᵢ = f(t + αᵢh, y₀ + Σⱼ₍ⱼ₋ᵢ₎ aᵢⱼ uⱼ) + Σⱼ₍ⱼ₋ᵢ₎ (cᵢⱼ/h) uⱼ + γᵢ h ∂f/∂t,
/// y₁ = y₀ + Σᵢ mᵢ uᵢ,   ŷ₁ = y₀ + Σᵢ m̂ᵢ uᵢ.
/// </code>
/// With Γ = (γᵢⱼ) (diagonal γ) and the classical coefficients αᵢⱼ, bᵢ: (aᵢⱼ) = (αᵢⱼ)Γ⁻¹, (cᵢⱼ) = diag(1/γ) − Γ⁻¹,
/// (mᵢ) = (bᵢ)Γ⁻¹ (HW II (7.26)); <see cref="ClassicalAlpha"/>, <see cref="ClassicalGamma"/> and
/// <see cref="ClassicalWeights"/> invert the transformation (the tests check the order conditions on them).
/// </summary>
public sealed class RosenbrockTableau
{
    /// <summary>Creates a tableau; the matrices are s×s row-major, strictly lower triangular.</summary>
    /// <param name="name">Display name.</param>
    /// <param name="order">Order p of y₁.</param>
    /// <param name="embeddedOrder">Order of the embedded ŷ₁.</param>
    /// <param name="gamma">Diagonal γ.</param>
    /// <param name="a">aᵢⱼ (transformed).</param>
    /// <param name="c">cᵢⱼ (transformed).</param>
    /// <param name="alpha">Stage times αᵢ = Σⱼ αᵢⱼ.</param>
    /// <param name="gammaSums">γᵢ = Σⱼ γᵢⱼ (diagonal included), the weights of ∂f/∂t.</param>
    /// <param name="weights">mᵢ.</param>
    /// <param name="embeddedWeights">m̂ᵢ.</param>
    /// <param name="denseRows">Rows of the continuous extension (each of length s), or null for cubic Hermite; see
    /// <see cref="DenseRows"/>.</param>
    /// <param name="interpolantOrder">Order of the dense output (3 for cubic Hermite).</param>
    /// <param name="isWMethod">True when <paramref name="order"/> and <paramref name="embeddedOrder"/> hold for an
    /// arbitrary matrix W in place of J (a W-method); see <see cref="IsWMethod"/>.</param>
    public RosenbrockTableau(string name, int order, int embeddedOrder, double gamma, double[] a, double[] c,
        double[] alpha, double[] gammaSums, double[] weights, double[] embeddedWeights, double[][]? denseRows = null,
        int interpolantOrder = 3, bool isWMethod = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(alpha);
        ArgumentNullException.ThrowIfNull(gammaSums);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(embeddedWeights);
        int s = weights.Length;
        if (a.Length != s * s || c.Length != s * s || alpha.Length != s || gammaSums.Length != s || embeddedWeights.Length != s)
            throw new ArgumentException("Rosenbrock tableau arrays do not match the number of stages.", nameof(a));
        if (denseRows is not null && denseRows.Any(r => r.Length != s))
            throw new ArgumentException("Every dense-output row needs one entry per stage.", nameof(denseRows));
        Name = name;
        Order = order;
        EmbeddedOrder = embeddedOrder;
        Gamma = gamma;
        Stages = s;
        A = a;
        C = c;
        Alpha = alpha;
        GammaSums = gammaSums;
        Weights = weights;
        EmbeddedWeights = embeddedWeights;
        DenseRows = denseRows;
        InterpolantOrder = interpolantOrder;
        IsWMethod = isWMethod;
    }

    /// <summary>
    /// Creates a tableau from the classical coefficients of HW II (7.4): kᵢ = h f(y₀ + Σⱼ αᵢⱼ kⱼ) + h J Σⱼ γᵢⱼ kⱼ
    /// (γᵢᵢ = γ), y₁ = y₀ + Σ bᵢ kᵢ, ŷ₁ = y₀ + Σ b̂ᵢ kᵢ, converted to the transformed form (7.25) by (7.26):
    /// (aᵢⱼ) = (αᵢⱼ)Γ⁻¹, (cᵢⱼ) = diag(1/γ) − Γ⁻¹, (mᵢ) = (bᵢ)Γ⁻¹. This is the form in which most papers print their
    /// coefficients; dense output is cubic Hermite.
    /// </summary>
    /// <param name="name">Display name.</param>
    /// <param name="order">Order p of y₁.</param>
    /// <param name="embeddedOrder">Order of ŷ₁.</param>
    /// <param name="gamma">Diagonal γ.</param>
    /// <param name="alpha">αᵢⱼ, s×s row-major, strictly lower triangular.</param>
    /// <param name="gammaMatrix">γᵢⱼ, s×s row-major, strictly lower triangular (the diagonal is <paramref name="gamma"/>).</param>
    /// <param name="b">bᵢ.</param>
    /// <param name="bHat">b̂ᵢ.</param>
    /// <param name="isWMethod">See <see cref="IsWMethod"/>.</param>
    public static RosenbrockTableau FromClassical(string name, int order, int embeddedOrder, double gamma, double[] alpha,
        double[] gammaMatrix, double[] b, double[] bHat, bool isWMethod = false)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        ArgumentNullException.ThrowIfNull(gammaMatrix);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(bHat);
        int s = b.Length;
        if (alpha.Length != s * s || gammaMatrix.Length != s * s || bHat.Length != s)
            throw new ArgumentException("Classical Rosenbrock arrays do not match the number of stages.", nameof(alpha));
        var g = new double[s * s];
        for (int i = 0; i < s; i++)
        {
            for (int j = 0; j < i; j++) g[i * s + j] = gammaMatrix[i * s + j];
            g[i * s + i] = gamma;
        }
        double[] inv = InvertLower(g, s);
        double[] a = Multiply(alpha, inv, s);
        var c = new double[s * s];
        for (int i = 0; i < s; i++)
            for (int j = 0; j < i; j++) c[i * s + j] = -inv[i * s + j];
        var stageTimes = new double[s];
        var gammaSums = new double[s];
        for (int i = 0; i < s; i++)
            for (int j = 0; j < s; j++) { stageTimes[i] += alpha[i * s + j]; gammaSums[i] += g[i * s + j]; }
        return new RosenbrockTableau(name, order, embeddedOrder, gamma, a, c, stageTimes, gammaSums,
            RowTimes(b, inv, s), RowTimes(bHat, inv, s), isWMethod: isWMethod);
    }

    /// <summary>
    /// True for a W-method (Steihaug and Wolfbrandt, Math. Comp. 33 (1979) 521–534; HW II §IV.7 "W-methods"): the
    /// orders hold with any matrix W in place of J, so the stepper may keep a stale Jacobian (and its LU) across steps.
    /// False for a Rosenbrock method proper, whose order needs the exact Jacobian at every step.
    /// </summary>
    public bool IsWMethod { get; }

    /// <summary>Order of the dense output.</summary>
    public int InterpolantOrder { get; }

    /// <summary>Display name.</summary>
    public string Name { get; }

    /// <summary>Order of the solution.</summary>
    public int Order { get; }

    /// <summary>Order of the embedded solution.</summary>
    public int EmbeddedOrder { get; }

    /// <summary>Number of stages s.</summary>
    public int Stages { get; }

    /// <summary>The diagonal coefficient γ.</summary>
    public double Gamma { get; }

    /// <summary>aᵢⱼ, s×s row-major.</summary>
    public double[] A { get; }

    /// <summary>cᵢⱼ, s×s row-major.</summary>
    public double[] C { get; }

    /// <summary>αᵢ (stage times).</summary>
    public double[] Alpha { get; }

    /// <summary>γᵢ = Σⱼ γᵢⱼ.</summary>
    public double[] GammaSums { get; }

    /// <summary>mᵢ.</summary>
    public double[] Weights { get; }

    /// <summary>m̂ᵢ.</summary>
    public double[] EmbeddedWeights { get; }

    /// <summary>
    /// The continuous extension of HW II §IV.7 (RODAS's form): with Dₖ = Σᵢ dₖᵢ uᵢ for row k,
    /// y(t₀ + θh) = (1 − θ)y₀ + θ(y₁ + (1 − θ)(D₁ + θD₂ + θ²D₃ + …)). Null: cubic Hermite on y₀, f₀, y₁, f₁.
    /// </summary>
    public double[][]? DenseRows { get; }

    /// <summary>Degree in θ of the dense output.</summary>
    public int InterpolantDegree => DenseRows is null ? 3 : DenseRows.Length + 1;

    /// <summary>Γ = (diag(1/γ) − C)⁻¹, the classical γᵢⱼ (lower triangular, diagonal γ), s×s row-major.</summary>
    public double[] ClassicalGamma()
    {
        int s = Stages;
        var inv = new double[s * s]; // Γ⁻¹
        for (int i = 0; i < s; i++)
        {
            for (int j = 0; j < i; j++) inv[i * s + j] = -C[i * s + j];
            inv[i * s + i] = 1 / Gamma;
        }
        return InvertLower(inv, s);
    }

    /// <summary>The inverse of a lower-triangular s×s matrix, by forward substitution column by column.</summary>
    private static double[] InvertLower(double[] l, int s)
    {
        var g = new double[s * s];
        for (int col = 0; col < s; col++)
        {
            for (int i = col; i < s; i++)
            {
                double sum = i == col ? 1 : 0;
                for (int k = col; k < i; k++) sum -= l[i * s + k] * g[k * s + col];
                g[i * s + col] = sum / l[i * s + i];
            }
        }
        return g;
    }

    /// <summary>The row vector v·M for an s×s row-major M.</summary>
    private static double[] RowTimes(double[] v, double[] m, int s)
    {
        var r = new double[s];
        for (int j = 0; j < s; j++)
            for (int i = 0; i < s; i++) r[j] += v[i] * m[i * s + j];
        return r;
    }

    /// <summary>The classical αᵢⱼ = (aΓ)ᵢⱼ, s×s row-major.</summary>
    public double[] ClassicalAlpha() => Multiply(A, ClassicalGamma(), Stages);

    /// <summary>The classical weights bⱼ = (mΓ)ⱼ of y₁ (<paramref name="embedded"/>: of ŷ₁).</summary>
    public double[] ClassicalWeights(bool embedded = false) => RowTimes(embedded ? EmbeddedWeights : Weights, ClassicalGamma(), Stages);

    private static double[] Multiply(double[] x, double[] y, int s)
    {
        var r = new double[s * s];
        for (int i = 0; i < s; i++)
            for (int k = 0; k < s; k++)
                for (int j = 0; j < s; j++) r[i * s + j] += x[i * s + k] * y[k * s + j];
        return r;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
