namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// The reference SDEs of sde.md §5.1 (all on [0, 1]), with their exact solutions as functions of the Brownian path
/// where one exists.
/// </summary>
internal static class SdeReferenceProblems
{
    public const double GbmMu = 1.01, GbmSigma = 0.87, GbmX0 = 0.5;

    /// <summary>GBM dX = μX dt + σX dW (Itô), SciML's prob_sde_linear values; X = X0 exp((μ − σ²/2)t + σW).</summary>
    public static SdeProblem Gbm(bool exactDerivative = true, double mu = GbmMu, double sigma = GbmSigma, double x0 = GbmX0) =>
        new((t, y, f) => f[0] = mu * y[0], (t, y, g) => g[0] = sigma * y[0], [x0], 0, 1, SdeNoise.Diagonal, name: "GBM")
        {
            DiffusionDerivative = exactDerivative ? (t, y, dg) => dg[0] = sigma : null,
        };

    public static double GbmExact(double wT, double t = 1) => GbmX0 * Math.Exp((GbmMu - 0.5 * GbmSigma * GbmSigma) * t + GbmSigma * wT);

    /// <summary>SINH dX = (√(1+X²) + X/2) dt + √(1+X²) dW (Itô), X0 = 0; X = sinh(t + W).</summary>
    public static SdeProblem Sinh() =>
        new((t, y, f) => f[0] = Math.Sqrt(1 + y[0] * y[0]) + 0.5 * y[0], (t, y, g) => g[0] = Math.Sqrt(1 + y[0] * y[0]), [0.0], 0, 1, name: "SINH")
        {
            DiffusionDerivative = (t, y, dg) => dg[0] = y[0] / Math.Sqrt(1 + y[0] * y[0]),
        };

    public static double SinhExact(double wT) => Math.Sinh(1 + wT);

    /// <summary>ADD dX = (b/√(1+t) − X/(2(1+t))) dt + c/√(1+t) dW, b = 1, c = 0.5, X0 = 0.5; X = (X0 + bt + cW)/√(1+t).</summary>
    public static SdeProblem Add() =>
        new((t, y, f) => f[0] = 1 / Math.Sqrt(1 + t) - y[0] / (2 * (1 + t)), (t, y, g) => g[0] = 0.5 / Math.Sqrt(1 + t), [0.5], 0, 1, SdeNoise.Additive, name: "ADD");

    public static double AddExact(double wT) => (0.5 + 1 + 0.5 * wT) / Math.Sqrt(2);

    public const double OuTheta = 2, OuMu = 1, OuSigma = 0.8;

    /// <summary>OU dX = θ(μ − X) dt + σ dW, θ = 2, μ = 1, σ = 0.8, X0 = 0.</summary>
    public static SdeProblem Ou() =>
        new((t, y, f) => f[0] = OuTheta * (OuMu - y[0]), (t, y, g) => g[0] = OuSigma, [0.0], 0, 1, SdeNoise.Additive, name: "OU");

    /// <summary>NONCOMM dX₁ = dW₁, dX₂ = X₁ ∘ dW₂ (Stratonovich; Itô is the same here), X0 = 0: non-commutative noise,
    /// X₂(1) = ½W₁W₂ + A₁₂ with the space-space Lévy area A₁₂, so every method here has strong order ½ on it.</summary>
    public static SdeProblem NonCommutative() =>
        new((t, y, f) => f.Clear(), (t, y, g) => { g[0] = 1; g[1] = 0; g[2] = 0; g[3] = y[0]; },
            [0.0, 0.0], 0, 1, SdeNoise.General, noiseDimension: 2, calculus: SdeCalculus.Stratonovich, name: "NONCOMM");

    /// <summary>NLADD dX = (cos X − X/2) dt + 1.5 dW, X0 = 0.3: the problem whose nonlinear drift shows strong order 1.5.</summary>
    public static SdeProblem NonlinearAdditive() =>
        new((t, y, f) => f[0] = Math.Cos(y[0]) - 0.5 * y[0], (t, y, g) => g[0] = 1.5, [0.3], 0, 1, SdeNoise.Additive, name: "NLADD");

    // COMM2: A, B1, B2 = P diag(·) P⁻¹ with P = [[1, 1], [0.5, −1]].
    private static readonly double[] P = [1, 1, 0.5, -1];
    private static readonly double[] PInv = Inverse(P);
    private static readonly double[] DA = [-1, -0.5], D1 = [0.3, 0.6], D2 = [0.5, -0.2];
    private static readonly double[] A = Conjugate(DA), B1 = Conjugate(D1), B2 = Conjugate(D2);

    /// <summary>COMM2 dX = AX dt + B1X dW1 + B2X dW2 (Itô, commuting matrices, 2 Wiener processes), X0 = (1, 0.5).</summary>
    public static SdeProblem Commutative2(bool exactDerivative = true) =>
        new((t, y, f) =>
            {
                f[0] = A[0] * y[0] + A[1] * y[1];
                f[1] = A[2] * y[0] + A[3] * y[1];
            },
            (t, y, g) =>
            {
                // G = [B1 y, B2 y] (2 × 2, row-major: g[k·2 + j] = (B_j y)_k).
                g[0] = B1[0] * y[0] + B1[1] * y[1];
                g[2] = B1[2] * y[0] + B1[3] * y[1];
                g[1] = B2[0] * y[0] + B2[1] * y[1];
                g[3] = B2[2] * y[0] + B2[3] * y[1];
            }, [1.0, 0.5], 0, 1, SdeNoise.Commutative, noiseDimension: 2, name: "COMM2")
        {
            DiffusionDerivative = exactDerivative
                ? (t, y, dg) =>
                {
                    // ∂G_kj/∂y_l at (k·m + j)·d + l.
                    for (int k = 0; k < 2; k++)
                        for (int l = 0; l < 2; l++)
                        {
                            dg[(k * 2 + 0) * 2 + l] = B1[k * 2 + l];
                            dg[(k * 2 + 1) * 2 + l] = B2[k * 2 + l];
                        }
                }
                : null,
        };

    public static void Commutative2Exact(double w1, double w2, Span<double> x)
    {
        double e0 = Math.Exp(DA[0] - 0.5 * (D1[0] * D1[0] + D2[0] * D2[0]) + D1[0] * w1 + D2[0] * w2);
        double e1 = Math.Exp(DA[1] - 0.5 * (D1[1] * D1[1] + D2[1] * D2[1]) + D1[1] * w1 + D2[1] * w2);
        double z0 = PInv[0] * 1.0 + PInv[1] * 0.5, z1 = PInv[2] * 1.0 + PInv[3] * 0.5;
        x[0] = P[0] * e0 * z0 + P[1] * e1 * z1;
        x[1] = P[2] * e0 * z0 + P[3] * e1 * z1;
    }

    private static double[] Inverse(double[] m)
    {
        double det = m[0] * m[3] - m[1] * m[2];
        return [m[3] / det, -m[1] / det, -m[2] / det, m[0] / det];
    }

    private static double[] Conjugate(double[] diag) =>
    [
        P[0] * diag[0] * PInv[0] + P[1] * diag[1] * PInv[2], P[0] * diag[0] * PInv[1] + P[1] * diag[1] * PInv[3],
        P[2] * diag[0] * PInv[0] + P[3] * diag[1] * PInv[2], P[2] * diag[0] * PInv[1] + P[3] * diag[1] * PInv[3],
    ];

    /// <summary>Least-squares slope of log₂ e against log₂ h.</summary>
    public static double Slope(double[] h, double[] e)
    {
        int n = h.Length;
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < n; i++)
        {
            double x = Math.Log2(h[i]), yv = Math.Log2(e[i]);
            sx += x; sy += yv; sxx += x * x; sxy += x * yv;
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }
}
