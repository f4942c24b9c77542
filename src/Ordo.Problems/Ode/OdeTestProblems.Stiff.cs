using System.Text.Json;
using Ordo.Integration;

namespace Ordo.Problems;

// The stiff reference problems, each with its exact Jacobian (row-major ∂fᵢ/∂yⱼ). Definitions: Hairer & Wanner,
// Solving Ordinary Differential Equations II (2nd ed., 1996), §IV.1 and §IV.10; Mazzia & Magherini, Test Set for IVP
// Solvers (University of Bari, release 2.4, 2008): problems ROBER, VDPOL, HIRES, OREGO, E5, POLLU, RINGMOD. Data (y0, interval,
// reference solutions) come from the embedded problems.json like the non-stiff set.
public static partial class OdeTestProblems
{
    private static readonly Lazy<IReadOnlyList<OdeTestProblem>> s_stiff = new(BuildStiff);

    /// <summary>The stiff problems, each with an exact <see cref="OdeTestProblem.Jacobian"/>: ROBER on [0, 40] and on
    /// [0, 1e11] (Robertson 1966), VDPOL (van der Pol, ε = 1e-6), HIRES (Schäfer 1975), OREGO (Field &amp; Noyes 1974),
    /// E5 (Enright, Hull &amp; Lindberg 1975), POLLU (Verwer 1994) and RINGMOD (the ring modulator, Horneber 1976;
    /// Kampowsky, Rentrop &amp; Schmidt 1992; ODE variant with Cs = 2e-12), as defined by Hairer &amp; Wanner, <i>Solving
    /// ODEs II</i> §IV.1/§IV.10, and the Bari Test Set for IVP Solvers (Mazzia &amp; Magherini). They are not part of
    /// <see cref="All"/>, which keeps listing the non-stiff problems.</summary>
    public static IReadOnlyList<OdeTestProblem> Stiff => s_stiff.Value;

    private static IReadOnlyList<OdeTestProblem> BuildStiff()
    {
        Dictionary<string, JsonElement> data = LoadData();
        return
        [
            Autonomous(FromData(data["ROBER_40"], RoberRhs, jacobian: RoberJacobian)),
            Autonomous(FromData(data["ROBER_1e11"], RoberRhs, jacobian: RoberJacobian)),
            Autonomous(FromData(data["VDPOL"], VdpolRhs, jacobian: VdpolJacobian)),
            Autonomous(FromData(data["HIRES"], HiresRhs, jacobian: HiresJacobian)),
            Autonomous(FromData(data["OREGO"], OregoRhs, jacobian: OregoJacobian)),
            Autonomous(FromData(data["E5"], E5Rhs, jacobian: E5Jacobian)),
            Autonomous(FromData(data["POLLU"], PolluRhs, jacobian: PolluJacobian)),
            FromData(data["RINGMOD"], RingRhs, jacobian: RingJacobian),
        ];
    }

    private static OdeTestProblem Autonomous(OdeTestProblem problem)
    {
        problem.IsAutonomous = true;
        return problem;
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

    // -------------------------------------------------------------------------------------------------------- RINGMOD
    // Ring modulator (Horneber 1976; Kampowsky, Rentrop & Schmidt 1992; Bari RINGMOD, ODE variant Cs = 2e-12): 15 circuit
    // equations with four diodes q(U) = γ (exp(δU) − 1) at the voltages ud1 … ud4 (see the problem's Source text). The
    // exponentials overflow to +∞ far off the solution (no exception), so a solver sees a non-finite trial step.
    private const double RingC = 1.6e-8, RingCs = 2e-12, RingCp = 1e-8, RingR = 25e3, RingRp = 50.0, RingLh = 4.45,
        RingLs1 = 2e-3, RingLs2 = 5e-4, RingLs3 = 5e-4, RingRg1 = 36.3, RingRg2 = 17.3, RingRg3 = 17.3, RingRi = 50.0,
        RingRc = 600.0, RingGamma = 40.67286402e-9, RingDelta = 17.7493332;

    private static void RingVoltages(double t, ReadOnlySpan<double> y, out double ud1, out double ud2, out double ud3, out double ud4)
    {
        double uin2 = 2.0 * Math.Sin(2e4 * Math.PI * t);
        ud1 = y[2] - y[4] - y[6] - uin2;
        ud2 = -y[3] + y[5] - y[6] - uin2;
        ud3 = y[3] + y[4] + y[6] + uin2;
        ud4 = -y[2] - y[5] + y[6] + uin2;
    }

    private static void RingRhs(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        double uin1 = 0.5 * Math.Sin(2e3 * Math.PI * t);
        RingVoltages(t, y, out double ud1, out double ud2, out double ud3, out double ud4);
        double q1 = RingGamma * (Math.Exp(RingDelta * ud1) - 1.0);
        double q2 = RingGamma * (Math.Exp(RingDelta * ud2) - 1.0);
        double q3 = RingGamma * (Math.Exp(RingDelta * ud3) - 1.0);
        double q4 = RingGamma * (Math.Exp(RingDelta * ud4) - 1.0);
        dy[0] = (y[7] - 0.5 * y[9] + 0.5 * y[10] + y[13] - y[0] / RingR) / RingC;
        dy[1] = (y[8] - 0.5 * y[11] + 0.5 * y[12] + y[14] - y[1] / RingR) / RingC;
        dy[2] = (y[9] - q1 + q4) / RingCs;
        dy[3] = (-y[10] + q2 - q3) / RingCs;
        dy[4] = (y[11] + q1 - q3) / RingCs;
        dy[5] = (-y[12] - q2 + q4) / RingCs;
        dy[6] = (-y[6] / RingRp + q1 + q2 - q3 - q4) / RingCp;
        dy[7] = -y[0] / RingLh;
        dy[8] = -y[1] / RingLh;
        dy[9] = (0.5 * y[0] - y[2] - RingRg2 * y[9]) / RingLs2;
        dy[10] = (-0.5 * y[0] + y[3] - RingRg3 * y[10]) / RingLs3;
        dy[11] = (0.5 * y[1] - y[4] - RingRg2 * y[11]) / RingLs2;
        dy[12] = (-0.5 * y[1] + y[5] - RingRg3 * y[12]) / RingLs3;
        dy[13] = (-y[0] + uin1 - (RingRi + RingRg1) * y[13]) / RingLs1;
        dy[14] = (-y[1] - (RingRc + RingRg1) * y[14]) / RingLs1;
    }

    // ∂ud_m/∂y: diode m's voltage is Σ sign · y[col] over these three (column, sign) pairs (plus ±uin2).
    private static readonly (int Column, double Sign)[] s_ringVoltage =
    [
        (2, 1), (4, -1), (6, -1),    // ud1
        (3, -1), (5, 1), (6, -1),    // ud2
        (3, 1), (4, 1), (6, 1),      // ud3
        (2, -1), (5, -1), (6, 1),    // ud4
    ];

    // The diode currents' coefficients in rows 3 … 7 (before the division by Cs or Cp): row 3 = −q1 + q4, etc.
    private static readonly double[] s_ringDiodeRows =
    [
        -1, 0, 0, 1,     // y3'
        0, 1, -1, 0,     // y4'
        1, 0, -1, 0,     // y5'
        0, -1, 0, 1,     // y6'
        1, 1, -1, -1,    // y7'
    ];

    private static void RingJacobian(double t, ReadOnlySpan<double> y, Span<double> jac)
    {
        const int n = 15;
        jac[..(n * n)].Clear();
        jac[0 * n + 0] = -1 / (RingR * RingC); jac[0 * n + 7] = 1 / RingC; jac[0 * n + 9] = -0.5 / RingC; jac[0 * n + 10] = 0.5 / RingC; jac[0 * n + 13] = 1 / RingC;
        jac[1 * n + 1] = -1 / (RingR * RingC); jac[1 * n + 8] = 1 / RingC; jac[1 * n + 11] = -0.5 / RingC; jac[1 * n + 12] = 0.5 / RingC; jac[1 * n + 14] = 1 / RingC;
        jac[2 * n + 9] = 1 / RingCs;
        jac[3 * n + 10] = -1 / RingCs;
        jac[4 * n + 11] = 1 / RingCs;
        jac[5 * n + 12] = -1 / RingCs;
        jac[6 * n + 6] = -1 / (RingRp * RingCp);
        RingVoltages(t, y, out double ud1, out double ud2, out double ud3, out double ud4);
        for (int m = 0; m < 4; m++)
        {
            double ud = m switch { 0 => ud1, 1 => ud2, 2 => ud3, _ => ud4 };
            double dq = RingGamma * RingDelta * Math.Exp(RingDelta * ud);   // q'(ud)
            for (int row = 2; row <= 6; row++)
            {
                double c = s_ringDiodeRows[(row - 2) * 4 + m];
                if (c == 0) continue;
                double scaled = c * dq / (row == 6 ? RingCp : RingCs);
                for (int k = 0; k < 3; k++)
                {
                    (int column, double sign) = s_ringVoltage[m * 3 + k];
                    jac[row * n + column] += sign * scaled;
                }
            }
        }
        jac[7 * n + 0] = -1 / RingLh;
        jac[8 * n + 1] = -1 / RingLh;
        jac[9 * n + 0] = 0.5 / RingLs2; jac[9 * n + 2] = -1 / RingLs2; jac[9 * n + 9] = -RingRg2 / RingLs2;
        jac[10 * n + 0] = -0.5 / RingLs3; jac[10 * n + 3] = 1 / RingLs3; jac[10 * n + 10] = -RingRg3 / RingLs3;
        jac[11 * n + 1] = 0.5 / RingLs2; jac[11 * n + 4] = -1 / RingLs2; jac[11 * n + 11] = -RingRg2 / RingLs2;
        jac[12 * n + 1] = -0.5 / RingLs3; jac[12 * n + 5] = 1 / RingLs3; jac[12 * n + 12] = -RingRg3 / RingLs3;
        jac[13 * n + 0] = -1 / RingLs1; jac[13 * n + 13] = -(RingRi + RingRg1) / RingLs1;
        jac[14 * n + 1] = -1 / RingLs1; jac[14 * n + 14] = -(RingRc + RingRg1) / RingLs1;
    }
}
