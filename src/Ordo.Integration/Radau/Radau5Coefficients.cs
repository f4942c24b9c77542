using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// Coefficients of the 3-stage Radau IIA method (HNW II §IV.5, Table 5.6) and the quantities RADAU5 derives from them
/// (§IV.8): the eigenvalues γ and α ± iβ of A⁻¹, the transformation T with T⁻¹A⁻¹T = [[γ,0,0],[0,α,β],[0,−β,α]],
/// the weights of the embedded error estimate, and the inverse Vandermonde matrix of the collocation polynomial.
/// Everything but A and the eigenvalues is computed here from its defining conditions.
/// </summary>
internal static class Radau5Coefficients
{
    private static readonly double S6 = Math.Sqrt(6.0);

    /// <summary>Nodes c₁, c₂, c₃ = 1.</summary>
    public static readonly double[] C = [(4 - S6) / 10, (4 + S6) / 10, 1.0];

    /// <summary>The Radau IIA matrix, row-major.</summary>
    public static readonly double[] A =
    [
        (88 - 7 * S6) / 360, (296 - 169 * S6) / 1800, (-2 + 3 * S6) / 225,
        (296 + 169 * S6) / 1800, (88 + 7 * S6) / 360, (-2 - 3 * S6) / 225,
        (16 - S6) / 36, (16 + S6) / 36, 1.0 / 9,
    ];

    /// <summary>Real eigenvalue γ of A⁻¹ (γ = 3 + 3^(2/3) − 3^(1/3)).</summary>
    public static readonly double Gamma = 3 + Math.Cbrt(9) - Math.Cbrt(3);

    /// <summary>Real part α of the complex eigenvalues of A⁻¹.</summary>
    public static readonly double Alpha = 3 + 0.5 * (Math.Cbrt(3) - Math.Cbrt(9));

    /// <summary>Imaginary part β of the complex eigenvalues of A⁻¹.</summary>
    public static readonly double Beta = 0.5 * (Math.Pow(3, 5.0 / 6) + Math.Pow(3, 7.0 / 6));

    /// <summary>T (row-major 3×3) and its inverse.</summary>
    public static readonly double[] T = new double[9], TI = new double[9];

    /// <summary>Weights e of the embedded estimate γ₀h f(t, y) + Σ eᵢ zᵢ (γ₀ = 1/γ), exact for solutions of degree ≤ 3.</summary>
    public static readonly double[] E = new double[3];

    /// <summary>Inverse of V = [cᵢ, cᵢ², cᵢ³]: the collocation polynomial y + Σₖ dₖθᵏ has d = V⁻¹z.</summary>
    public static readonly double[] VI = new double[9];

    static Radau5Coefficients()
    {
        double[] ai = Invert(A);
        double[] v1 = NullVector(ai, new Complex(Gamma, 0)).Select(z => z.Real).ToArray();
        Complex[] v = NullVector(ai, new Complex(Alpha, Beta));
        for (int i = 0; i < 3; i++)
        {
            T[3 * i] = v1[i];
            T[3 * i + 1] = v[i].Real;
            T[3 * i + 2] = v[i].Imaginary;
        }
        Invert(T).CopyTo(TI, 0);
        // γ₀ + Σ eᵢcᵢ = 0, Σ eᵢcᵢ² = 0, Σ eᵢcᵢ³ = 0.
        double[] m = new double[9];
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 3; k++) m[3 * k + i] = Math.Pow(C[i], k + 1);
        double[] mi = Invert(m);
        double g0 = 1 / Gamma;
        for (int i = 0; i < 3; i++) E[i] = -mi[3 * i] * g0;
        double[] vdm = new double[9];
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 3; k++) vdm[3 * i + k] = Math.Pow(C[i], k + 1);
        Invert(vdm).CopyTo(VI, 0);
    }

    /// <summary>Inverse of a 3×3 matrix by cofactors.</summary>
    internal static double[] Invert(double[] m)
    {
        double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
        return
        [
            (m[4] * m[8] - m[5] * m[7]) / det, (m[2] * m[7] - m[1] * m[8]) / det, (m[1] * m[5] - m[2] * m[4]) / det,
            (m[5] * m[6] - m[3] * m[8]) / det, (m[0] * m[8] - m[2] * m[6]) / det, (m[2] * m[3] - m[0] * m[5]) / det,
            (m[3] * m[7] - m[4] * m[6]) / det, (m[1] * m[6] - m[0] * m[7]) / det, (m[0] * m[4] - m[1] * m[3]) / det,
        ];
    }

    /// <summary>A null vector of M − λI (3×3): the cross product of its first two rows.</summary>
    private static Complex[] NullVector(double[] m, Complex lambda)
    {
        Complex[] r0 = [m[0] - lambda, m[1], m[2]];
        Complex[] r1 = [m[3], m[4] - lambda, m[5]];
        return [r0[1] * r1[2] - r0[2] * r1[1], r0[2] * r1[0] - r0[0] * r1[2], r0[0] * r1[1] - r0[1] * r1[0]];
    }
}
