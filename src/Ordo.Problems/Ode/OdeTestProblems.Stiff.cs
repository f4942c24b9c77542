using System.Text.Json;
using Ordo.Integration;

namespace Ordo.Problems;

// The stiff reference problems, each with its exact Jacobian (row-major ∂fᵢ/∂yⱼ). Definitions: Hairer & Wanner,
// Solving Ordinary Differential Equations II (2nd ed., 1996), §IV.1 and §IV.10; Mazzia & Magherini, Test Set for IVP
// Solvers (University of Bari, release 2.4, 2008): problems ROBER, VDPOL, HIRES, OREGO, E5, POLLU. Data (y0, interval,
// reference solutions) come from the embedded problems.json like the non-stiff set.
public static partial class OdeTestProblems
{
    private static readonly Lazy<IReadOnlyList<OdeTestProblem>> s_stiff = new(BuildStiff);

    /// <summary>The stiff problems, each with an exact <see cref="OdeTestProblem.Jacobian"/>: ROBER on [0, 40] and on
    /// [0, 1e11] (Robertson 1966), VDPOL (van der Pol, ε = 1e-6), HIRES (Schäfer 1975), OREGO (Field &amp; Noyes 1974),
    /// E5 (Enright, Hull &amp; Lindberg 1975) and POLLU (Verwer 1994), as defined by Hairer &amp; Wanner, <i>Solving
    /// ODEs II</i> §IV.1/§IV.10, and the Bari Test Set for IVP Solvers (Mazzia &amp; Magherini). They are not part of
    /// <see cref="All"/>, which keeps listing the non-stiff problems.</summary>
    public static IReadOnlyList<OdeTestProblem> Stiff => s_stiff.Value;

    private static IReadOnlyList<OdeTestProblem> BuildStiff()
    {
        Dictionary<string, JsonElement> data = LoadData();
        return
        [
            FromData(data["ROBER_40"], RoberRhs, jacobian: RoberJacobian),
            FromData(data["ROBER_1e11"], RoberRhs, jacobian: RoberJacobian),
            FromData(data["VDPOL"], VdpolRhs, jacobian: VdpolJacobian),
            FromData(data["HIRES"], HiresRhs, jacobian: HiresJacobian),
            FromData(data["OREGO"], OregoRhs, jacobian: OregoJacobian),
            FromData(data["E5"], E5Rhs, jacobian: E5Jacobian),
            FromData(data["POLLU"], PolluRhs, jacobian: PolluJacobian),
        ];
    }

    // ---------------------------------------------------------------------------------------------------------- ROBER
    // Robertson's reactions (HNW II §IV.1 (1.3)): y1' = −k1 y1 + k3 y2 y3, y2' = k1 y1 − k3 y2 y3 − k2 y2²,
    // y3' = k2 y2², k1 = 0.04, k2 = 3e7, k3 = 1e4. y2' is computed as −(y1' + y3') so that the floating-point sum
    // (y1' + y3') + y2' is exactly 0: the RHS conserves the total mass y1 + y2 + y3 (other summation orders agree
    // to rounding only).
    private const double RoberK1 = 0.04, RoberK2 = 3e7, RoberK3 = 1e4;

    private static void RoberRhs(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        double dy1 = -RoberK1 * y[0] + RoberK3 * y[1] * y[2];
        double dy3 = RoberK2 * y[1] * y[1];
        dy[0] = dy1;
        dy[1] = -(dy1 + dy3);
        dy[2] = dy3;
    }

    private static void RoberJacobian(double t, ReadOnlySpan<double> y, Span<double> j)
    {
        j[0] = -RoberK1; j[1] = RoberK3 * y[2]; j[2] = RoberK3 * y[1];
        j[3] = RoberK1; j[4] = -RoberK3 * y[2] - 2 * RoberK2 * y[1]; j[5] = -RoberK3 * y[1];
        j[6] = 0; j[7] = 2 * RoberK2 * y[1]; j[8] = 0;
    }

    // ---------------------------------------------------------------------------------------------------------- VDPOL
    // Van der Pol in singular-perturbation form (HNW II §IV.1 (1.5')): y1' = y2, y2' = ((1 − y1²) y2 − y1)/ε, ε = 1e-6.
    private const double VdpolEpsilon = 1e-6;

    private static void VdpolRhs(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        dy[0] = y[1];
        dy[1] = ((1 - y[0] * y[0]) * y[1] - y[0]) / VdpolEpsilon;
    }

    private static void VdpolJacobian(double t, ReadOnlySpan<double> y, Span<double> j)
    {
        j[0] = 0; j[1] = 1;
        j[2] = (-2 * y[0] * y[1] - 1) / VdpolEpsilon; j[3] = (1 - y[0] * y[0]) / VdpolEpsilon;
    }

    // ---------------------------------------------------------------------------------------------------------- HIRES
    // High irradiance response of photomorphogenesis (Schäfer 1975; HNW II §IV.10, Bari HIRES). y8' = −y7' exactly.
    private static void HiresRhs(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        double r = 280.0 * y[5] * y[7];
        dy[0] = -1.71 * y[0] + 0.43 * y[1] + 8.32 * y[2] + 0.0007;
        dy[1] = 1.71 * y[0] - 8.75 * y[1];
        dy[2] = -10.03 * y[2] + 0.43 * y[3] + 0.035 * y[4];
        dy[3] = 8.32 * y[1] + 1.71 * y[2] - 1.12 * y[3];
        dy[4] = -1.745 * y[4] + 0.43 * y[5] + 0.43 * y[6];
        dy[5] = -r + 0.69 * y[3] + 1.71 * y[4] - 0.43 * y[5] + 0.69 * y[6];
        dy[6] = r - 1.81 * y[6];
        dy[7] = -dy[6];
    }

    private static void HiresJacobian(double t, ReadOnlySpan<double> y, Span<double> j)
    {
        const int n = 8;
        j[..(n * n)].Clear();
        j[0 * n + 0] = -1.71; j[0 * n + 1] = 0.43; j[0 * n + 2] = 8.32;
        j[1 * n + 0] = 1.71; j[1 * n + 1] = -8.75;
        j[2 * n + 2] = -10.03; j[2 * n + 3] = 0.43; j[2 * n + 4] = 0.035;
        j[3 * n + 1] = 8.32; j[3 * n + 2] = 1.71; j[3 * n + 3] = -1.12;
        j[4 * n + 4] = -1.745; j[4 * n + 5] = 0.43; j[4 * n + 6] = 0.43;
        j[5 * n + 3] = 0.69; j[5 * n + 4] = 1.71; j[5 * n + 5] = -0.43 - 280.0 * y[7]; j[5 * n + 6] = 0.69; j[5 * n + 7] = -280.0 * y[5];
        j[6 * n + 5] = 280.0 * y[7]; j[6 * n + 6] = -1.81; j[6 * n + 7] = 280.0 * y[5];
        j[7 * n + 5] = -280.0 * y[7]; j[7 * n + 6] = 1.81; j[7 * n + 7] = -280.0 * y[5];
    }

    // ---------------------------------------------------------------------------------------------------------- OREGO
    // Oregonator (Field & Noyes 1974; HNW II §IV.1, Bari OREGO): y1' = s (y2 + y1 (1 − q y1 − y2)),
    // y2' = (y3 − (1 + y1) y2)/s, y3' = w (y1 − y3); s = 77.27, w = 0.161, q = 8.375e-6.
    private const double OregoS = 77.27, OregoW = 0.161, OregoQ = 8.375e-6;

    private static void OregoRhs(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        dy[0] = OregoS * (y[1] + y[0] * (1 - OregoQ * y[0] - y[1]));
        dy[1] = (y[2] - (1 + y[0]) * y[1]) / OregoS;
        dy[2] = OregoW * (y[0] - y[2]);
    }

    private static void OregoJacobian(double t, ReadOnlySpan<double> y, Span<double> j)
    {
        j[0] = OregoS * (1 - 2 * OregoQ * y[0] - y[1]); j[1] = OregoS * (1 - y[0]); j[2] = 0;
        j[3] = -y[1] / OregoS; j[4] = -(1 + y[0]) / OregoS; j[5] = 1 / OregoS;
        j[6] = OregoW; j[7] = 0; j[8] = -OregoW;
    }

    // ------------------------------------------------------------------------------------------------------------- E5
    // Chemical pyrolysis (Enright, Hull & Lindberg 1975, stiff DETEST E5; Bari E5): rates r1 = A y1, r2 = B y1 y3,
    // r3 = M C y2 y3, r4 = C y4; y1' = −r1 − r2, y2' = r1 − r3, y3' = r1 − r2 − r3 + r4, y4' = r2 − r4.
    private const double E5A = 7.89e-10, E5B = 1.1e7, E5C = 1.13e3, E5M = 1e6;

    private static void E5Rhs(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        double r1 = E5A * y[0], r2 = E5B * y[0] * y[2], r3 = E5M * E5C * y[1] * y[2], r4 = E5C * y[3];
        dy[0] = -r1 - r2;
        dy[1] = r1 - r3;
        dy[2] = r1 - r2 - r3 + r4;
        dy[3] = r2 - r4;
    }

    private static void E5Jacobian(double t, ReadOnlySpan<double> y, Span<double> j)
    {
        const double mc = E5M * E5C;
        j[0] = -E5A - E5B * y[2]; j[1] = 0; j[2] = -E5B * y[0]; j[3] = 0;
        j[4] = E5A; j[5] = -mc * y[2]; j[6] = -mc * y[1]; j[7] = 0;
        j[8] = E5A - E5B * y[2]; j[9] = -mc * y[2]; j[10] = -E5B * y[0] - mc * y[1]; j[11] = E5C;
        j[12] = E5B * y[2]; j[13] = 0; j[14] = E5B * y[0]; j[15] = -E5C;
    }

    // ---------------------------------------------------------------------------------------------------------- POLLU
    // Air pollution model (Verwer 1994; Bari POLLU): 20 species, 25 reactions r_j = k_j y_a (· y_b). The model is kept
    // as data: each reaction's rate constant and reactants, and each species' equation as (reaction, coefficient)
    // pairs, transcribed from the Bari description (1-based there, 0-based here).
    private static readonly double[] s_polluK =
    [
        0.35, 26.6, 1.23e4, 8.6e-4, 8.2e-4, 1.5e4, 1.3e-4, 2.4e4, 1.65e4, 9e3, 2.2e-2, 1.2e4, 1.88,
        1.63e4, 4.8e6, 3.5e-4, 1.75e-2, 1e8, 4.44e11, 1.24e3, 2.1, 5.78, 4.74e-2, 1.78e3, 3.12,
    ];

    // Reactants (0-based species) of r1 … r25; −1: a first-order reaction.
    private static readonly int[] s_polluA = [0, 1, 4, 6, 6, 6, 8, 8, 10, 10, 12, 9, 13, 0, 2, 3, 3, 15, 15, 16, 18, 18, 0, 18, 19];
    private static readonly int[] s_polluB = [-1, 3, 1, -1, -1, 5, -1, 5, 1, 0, -1, 1, -1, 5, -1, -1, -1, -1, -1, 5, -1, -1, 3, 0, -1];

    // Species equations y_i' = Σ c · r_j as flattened (j, c) pairs (1-based reaction numbers as in the Bari text);
    // s_polluStart[i] … s_polluStart[i + 1] − 1 index species i's pairs.
    private static readonly (int Reaction, double Coefficient)[] s_polluTerms =
    [
        (1, -1), (10, -1), (14, -1), (23, -1), (24, -1), (2, 1), (3, 1), (9, 1), (11, 1), (12, 1), (22, 1), (25, 1), // y1
        (2, -1), (3, -1), (9, -1), (12, -1), (1, 1), (21, 1),            // y2
        (15, -1), (1, 1), (17, 1), (19, 1), (22, 1),                     // y3
        (2, -1), (16, -1), (17, -1), (23, -1), (15, 1),                  // y4
        (3, -1), (4, 2), (6, 1), (7, 1), (13, 1), (20, 1),               // y5
        (6, -1), (8, -1), (14, -1), (20, -1), (3, 1), (18, 2),           // y6
        (4, -1), (5, -1), (6, -1), (13, 1),                              // y7
        (4, 1), (5, 1), (6, 1), (7, 1),                                  // y8
        (7, -1), (8, -1),                                                // y9
        (12, -1), (7, 1), (9, 1),                                        // y10
        (9, -1), (10, -1), (8, 1), (11, 1),                              // y11
        (9, 1),                                                          // y12
        (11, -1), (10, 1),                                               // y13
        (13, -1), (12, 1),                                               // y14
        (14, 1),                                                         // y15
        (18, -1), (19, -1), (16, 1),                                     // y16
        (20, -1),                                                        // y17
        (20, 1),                                                         // y18
        (21, -1), (22, -1), (24, -1), (23, 1), (25, 1),                  // y19
        (25, -1), (24, 1),                                               // y20
    ];

    private static readonly int[] s_polluStart = [0, 12, 18, 23, 28, 34, 40, 44, 48, 50, 53, 57, 58, 60, 62, 63, 66, 67, 68, 73, 75];

    private const int PolluSpecies = 20, PolluReactions = 25;

    private static void PolluRhs(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        Span<double> r = stackalloc double[PolluReactions];
        for (int j = 0; j < PolluReactions; j++)
        {
            int b = s_polluB[j];
            r[j] = s_polluK[j] * y[s_polluA[j]] * (b >= 0 ? y[b] : 1.0);
        }
        for (int i = 0; i < PolluSpecies; i++)
        {
            double sum = 0;
            for (int p = s_polluStart[i]; p < s_polluStart[i + 1]; p++)
                sum += s_polluTerms[p].Coefficient * r[s_polluTerms[p].Reaction - 1];
            dy[i] = sum;
        }
    }

    private static void PolluJacobian(double t, ReadOnlySpan<double> y, Span<double> jac)
    {
        jac[..(PolluSpecies * PolluSpecies)].Clear();
        for (int i = 0; i < PolluSpecies; i++)
        {
            Span<double> row = jac.Slice(i * PolluSpecies, PolluSpecies);
            for (int p = s_polluStart[i]; p < s_polluStart[i + 1]; p++)
            {
                (int reaction, double c) = s_polluTerms[p];
                int j = reaction - 1, a = s_polluA[j], b = s_polluB[j];
                double k = c * s_polluK[j];
                if (b < 0)
                {
                    row[a] += k;
                }
                else
                {
                    row[a] += k * y[b];   // ∂(k y_a y_b)/∂y_a
                    row[b] += k * y[a];   // ∂(k y_a y_b)/∂y_b
                }
            }
        }
    }
}
