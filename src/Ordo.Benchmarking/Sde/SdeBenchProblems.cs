using Ordo.Integration;

namespace Ordo.Benchmarking.Sde;

/// <summary>Exact moments of the final state: mean and variance per component, and the fourth central moment (for
/// the standard error of a sample variance).</summary>
/// <param name="Mean">E X(t1).</param>
/// <param name="Variance">Var X(t1).</param>
/// <param name="FourthCentral">E (X − E X)⁴.</param>
public sealed record SdeMoments(double Mean, double Variance, double FourthCentral)
{
    /// <summary>The standard error of a sample mean over <paramref name="paths"/> paths.</summary>
    public double MeanStandardError(long paths) => Math.Sqrt(Variance / paths);

    /// <summary>The standard error of a sample variance over <paramref name="paths"/> paths, √((μ₄ − σ⁴)/M).</summary>
    public double VarianceStandardError(long paths) => Math.Sqrt(Math.Max(0, FourthCentral - Variance * Variance) / paths);
}

/// <summary>
/// One SDE of the <c>sde</c> suite, coded by hand in C# and, identically, in bench/numpy/sde_em_bench.py.
/// </summary>
/// <param name="Name">The name both sides use (GBM, OU, DW8).</param>
/// <param name="Description">The SDE in words.</param>
/// <param name="Create">Builds the problem.</param>
/// <param name="Exact">The exact moments of X(1) (component 0), or null when there is no closed form.</param>
/// <param name="EulerMaruyama">The exact moments of the Euler–Maruyama iterate after N equal steps (component 0), or
/// null when there is no closed form.</param>
public sealed record SdeBenchProblem(string Name, string Description, Func<SdeProblem> Create, SdeMoments? Exact,
    Func<int, SdeMoments>? EulerMaruyama)
{
    /// <summary>The state dimension d.</summary>
    public int Dimension => Create().Dimension;
}

/// <summary>The SDEs of the <c>sde</c> suite, all on [0, 1] (the values of research sde.md §5.1 for GBM and OU).</summary>
public static class SdeBenchProblems
{
    /// <summary>GBM: μ, σ, X0 (SciML's prob_sde_linear values).</summary>
    public const double GbmMu = 1.01, GbmSigma = 0.87, GbmX0 = 0.5;

    /// <summary>OU: θ, mean level, σ, X0.</summary>
    public const double OuTheta = 2, OuLevel = 1, OuSigma = 0.8, OuX0 = 0;

    /// <summary>DW8: dimension, coupling κ, σ.</summary>
    public const double DwKappa = 1, DwSigma = 0.5;

    /// <summary>DW8's dimension.</summary>
    public const int DwDimension = 8;

    /// <summary>GBM dX = μX dt + σX dW (Itô): scalar, multiplicative noise.</summary>
    public static SdeBenchProblem Gbm { get; } = new("GBM", "dX = μX dt + σX dW, μ = 1.01, σ = 0.87, X0 = 0.5 (scalar, multiplicative)",
        () => new SdeProblem((t, y, f) => f[0] = GbmMu * y[0], (t, y, g) => g[0] = GbmSigma * y[0], [GbmX0], 0, 1, SdeNoise.Diagonal, name: "GBM")
        {
            DiffusionDerivative = (t, y, dg) => dg[0] = GbmSigma,
        },
        GbmExact(), GbmEulerMaruyama);

    /// <summary>OU dX = θ(μ − X) dt + σ dW: scalar, additive noise.</summary>
    public static SdeBenchProblem Ou { get; } = new("OU", "dX = θ(μ − X) dt + σ dW, θ = 2, μ = 1, σ = 0.8, X0 = 0 (scalar, additive)",
        () => new SdeProblem((t, y, f) => f[0] = OuTheta * (OuLevel - y[0]), (t, y, g) => g[0] = OuSigma, [OuX0], 0, 1, SdeNoise.Additive, name: "OU"),
        OuExact(), OuEulerMaruyama);

    /// <summary>DW8: eight double-well (Ginzburg–Landau) components coupled on a ring,
    /// dXᵢ = (Xᵢ − Xᵢ³ + κ(Xᵢ₋₁ − 2Xᵢ + Xᵢ₊₁)) dt + σ dWᵢ, X0ᵢ = 0.5·(−1)ⁱ: nonlinear, additive diagonal noise, no closed form.</summary>
    public static SdeBenchProblem DoubleWell8 { get; } = new("DW8",
        "dXᵢ = (Xᵢ − Xᵢ³ + κ(Xᵢ₋₁ − 2Xᵢ + Xᵢ₊₁)) dt + σ dWᵢ on a ring of d = 8, κ = 1, σ = 0.5, X0ᵢ = 0.5·(−1)ⁱ (nonlinear, additive diagonal noise)",
        CreateDoubleWell, null, null);

    /// <summary>Every problem, in report order.</summary>
    public static IReadOnlyList<SdeBenchProblem> All { get; } = [Gbm, Ou, DoubleWell8];

    /// <summary>The problem with this name (case-insensitive), or null.</summary>
    public static SdeBenchProblem? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private static SdeProblem CreateDoubleWell()
    {
        var y0 = new double[DwDimension];
        for (int i = 0; i < DwDimension; i++) y0[i] = i % 2 == 0 ? 0.5 : -0.5;
        return new SdeProblem(
            (t, y, f) =>
            {
                int d = y.Length;
                for (int i = 0; i < d; i++)
                {
                    double x = y[i], left = y[i == 0 ? d - 1 : i - 1], right = y[i == d - 1 ? 0 : i + 1];
                    f[i] = x - x * x * x + DwKappa * (left - 2 * x + right);
                }
            },
            (t, y, g) => g.Fill(DwSigma), y0, 0, 1, SdeNoise.Additive, name: "DW8");
    }

    /// <summary>Mean, variance and fourth central moment from the raw moments E X, E X², E X³, E X⁴.</summary>
    private static SdeMoments FromRaw(double r1, double r2, double r3, double r4)
    {
        double variance = r2 - r1 * r1;
        double mu4 = r4 - 4 * r3 * r1 + 6 * r2 * r1 * r1 - 3 * r1 * r1 * r1 * r1;
        return new SdeMoments(r1, variance, mu4);
    }

    /// <summary>X(1) = X0 exp((μ − σ²/2) + σW(1)): E Xᵏ = X0ᵏ exp(k(μ − σ²/2) + k²σ²/2).</summary>
    private static SdeMoments GbmExact()
    {
        double Raw(int k) => Math.Pow(GbmX0, k) * Math.Exp(k * (GbmMu - 0.5 * GbmSigma * GbmSigma) + 0.5 * k * k * GbmSigma * GbmSigma);
        return FromRaw(Raw(1), Raw(2), Raw(3), Raw(4));
    }

    /// <summary>Euler–Maruyama multiplies X by the independent factors a + s·z, a = 1 + μh, s = σ√h, so
    /// E X_Nᵏ = X0ᵏ (E (a + s z)ᵏ)ᴺ.</summary>
    private static SdeMoments GbmEulerMaruyama(int steps)
    {
        double h = 1.0 / steps, a = 1 + GbmMu * h, s2 = GbmSigma * GbmSigma * h;
        double[] factor = [a, a * a + s2, a * a * a + 3 * a * s2, a * a * a * a + 6 * a * a * s2 + 3 * s2 * s2];
        double Raw(int k) => Math.Pow(GbmX0, k) * Math.Pow(factor[k - 1], steps);
        return FromRaw(Raw(1), Raw(2), Raw(3), Raw(4));
    }

    /// <summary>Gaussian: mean μ + (X0 − μ)e^{−θ}, variance σ²(1 − e^{−2θ})/(2θ).</summary>
    private static SdeMoments OuExact()
    {
        double mean = OuLevel + (OuX0 - OuLevel) * Math.Exp(-OuTheta);
        double variance = OuSigma * OuSigma * (1 - Math.Exp(-2 * OuTheta)) / (2 * OuTheta);
        return new SdeMoments(mean, variance, 3 * variance * variance);
    }

    /// <summary>Euler–Maruyama is the Gaussian AR(1) X ← aX + θμh + σ√h z, a = 1 − θh: mean μ + (X0 − μ)aᴺ, variance
    /// σ²h(1 − a²ᴺ)/(1 − a²).</summary>
    private static SdeMoments OuEulerMaruyama(int steps)
    {
        double h = 1.0 / steps, a = 1 - OuTheta * h;
        double mean = OuLevel + (OuX0 - OuLevel) * Math.Pow(a, steps);
        double variance = OuSigma * OuSigma * h * (1 - Math.Pow(a, 2 * steps)) / (1 - a * a);
        return new SdeMoments(mean, variance, 3 * variance * variance);
    }
}
