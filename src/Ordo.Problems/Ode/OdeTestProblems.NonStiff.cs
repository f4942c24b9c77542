using System.Text.Json;

namespace Ordo.Problems;

// The non-stiff problems after DETEST_A1, in the order of problems.json. Each right-hand side is a transcription of
// ../shared/research/ode-data/odeproblems.py. They are hot code: static, loops over spans, no allocation per call.
//
// Sources: DETEST — T.E. Hull, W.H. Enright, B.M. Fellen, A.E. Sedgwick, "Comparing numerical methods for ordinary
// differential equations", SIAM J. Numer. Anal. 9 (1972) 603–637, and W.H. Enright, J.D. Pryce, "Two FORTRAN packages
// for assessing initial value methods", ACM TOMS 13 (1987) 1–27. Arenstorf, Pleiades, Brusselator — E. Hairer,
// S.P. Nørsett, G. Wanner, Solving Ordinary Differential Equations I, §II.0 and §II.10. Lotka–Volterra — the parameters
// of SciML's DiffEqProblemLibrary / SciMLBenchmarks.
public static partial class OdeTestProblems
{
    private static partial IEnumerable<OdeTestProblem> NonStiffRest(Dictionary<string, JsonElement> data)
    {
        // DETEST class A: single equations.
        yield return FromData(data["DETEST_A2"], DetestA2, static t => [1.0 / Math.Sqrt(1.0 + t)]);
        yield return FromData(data["DETEST_A3"], DetestA3, static t => [Math.Exp(Math.Sin(t))]);
        yield return FromData(data["DETEST_A4"], DetestA4, static t => [20.0 / (1.0 + 19.0 * Math.Exp(-t / 4.0))]);
        yield return FromData(data["DETEST_A5"], DetestA5);

        // DETEST class B: small systems.
        yield return FromData(data["DETEST_B1"], DetestB1);
        yield return FromData(data["DETEST_B2"], DetestB2);
        yield return FromData(data["DETEST_B3"], DetestB3);
        yield return FromData(data["DETEST_B4"], DetestB4);
        yield return FromData(data["DETEST_B5"], DetestB5);

        // DETEST class C: moderate systems.
        yield return FromData(data["DETEST_C1"], DetestC1);
        yield return FromData(data["DETEST_C2"], DetestC2);
        yield return FromData(data["DETEST_C3"], DetestC3);
        yield return FromData(data["DETEST_C4"], DetestC4);
        yield return FromData(data["DETEST_C5"], DetestC5);

        // DETEST class D: Kepler orbits with eccentricities 0.1, 0.3, 0.5, 0.7, 0.9 (all share one right-hand side).
        for (int k = 1; k <= 5; k++)
        {
            double e = DetestDEccentricities[k - 1];
            yield return FromData(data[$"DETEST_D{k}"], Kepler, t => KeplerOrbit(e, t));
        }

        // DETEST class E: second-order equations written as systems.
        yield return FromData(data["DETEST_E1"], DetestE1, BesselHalf);
        yield return FromData(data["DETEST_E2"], DetestE2);
        yield return FromData(data["DETEST_E3"], DetestE3);
        yield return FromData(data["DETEST_E4"], DetestE4);
        yield return FromData(data["DETEST_E5"], DetestE5);

        // Other non-stiff problems.
        yield return FromData(data["LotkaVolterra"], LotkaVolterra);
        yield return FromData(data["Arenstorf"], Arenstorf);
        yield return FromData(data["Pleiades"], Pleiades);
        yield return FromData(data["Brusselator1D"], Brusselator1D);
    }

    // ------------------------------------------------------------------------------------------------ DETEST class A

    /// <summary>DETEST A2 (Hull et al. 1972): y' = −y³/2, a special Riccati equation; y = 1/√(1 + t).</summary>
    private static void DetestA2(double t, ReadOnlySpan<double> y, Span<double> dy) => dy[0] = -0.5 * y[0] * y[0] * y[0];

    /// <summary>DETEST A3 (Hull et al. 1972): y' = y cos t, oscillatory; y = exp(sin t).</summary>
    private static void DetestA3(double t, ReadOnlySpan<double> y, Span<double> dy) => dy[0] = y[0] * Math.Cos(t);

    /// <summary>DETEST A4 (Hull et al. 1972): logistic curve y' = (y/4)(1 − y/20); y = 20/(1 + 19 e^(−t/4)).</summary>
    private static void DetestA4(double t, ReadOnlySpan<double> y, Span<double> dy) => dy[0] = 0.25 * y[0] * (1.0 - y[0] / 20.0);

    /// <summary>DETEST A5 (Hull et al. 1972): spiral curve y' = (y − t)/(y + t).</summary>
    private static void DetestA5(double t, ReadOnlySpan<double> y, Span<double> dy) => dy[0] = (y[0] - t) / (y[0] + t);

    // ------------------------------------------------------------------------------------------------ DETEST class B

    /// <summary>DETEST B1 (Hull et al. 1972): Lotka–Volterra growth, y1' = 2(y1 − y1y2), y2' = −(y2 − y1y2).</summary>
    private static void DetestB1(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        dy[0] = 2.0 * (y[0] - y[0] * y[1]);
        dy[1] = -(y[1] - y[0] * y[1]);
    }

    /// <summary>DETEST B2 (Hull et al. 1972): linear chemical reaction.</summary>
    private static void DetestB2(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        dy[0] = -y[0] + y[1];
        dy[1] = y[0] - 2.0 * y[1] + y[2];
        dy[2] = y[1] - y[2];
    }

    /// <summary>DETEST B3 (Hull et al. 1972): nonlinear chemical reaction.</summary>
    private static void DetestB3(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        dy[0] = -y[0];
        dy[1] = y[0] - y[1] * y[1];
        dy[2] = y[1] * y[1];
    }

    /// <summary>DETEST B4 (Hull et al. 1972): integral surface of a torus, r = √(y1² + y2²).</summary>
    private static void DetestB4(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        double r = Math.Sqrt(y[0] * y[0] + y[1] * y[1]);
        dy[0] = -y[1] - y[0] * y[2] / r;
        dy[1] = y[0] - y[1] * y[2] / r;
        dy[2] = y[0] / r;
    }

    /// <summary>DETEST B5 (Hull et al. 1972): Euler's equations of a rigid body without external forces.</summary>
    private static void DetestB5(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        dy[0] = y[1] * y[2];
        dy[1] = -y[0] * y[2];
        dy[2] = -0.51 * y[0] * y[1];
    }

    // ------------------------------------------------------------------------------------------------ DETEST class C

    /// <summary>DETEST C1 (Hull et al. 1972): radioactive decay chain, y1' = −y1, yᵢ' = yᵢ₋₁ − yᵢ, y_n' = y_{n−1}.</summary>
    private static void DetestC1(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        int n = y.Length;
        dy[0] = -y[0];
        for (int i = 1; i < n - 1; i++) dy[i] = y[i - 1] - y[i];
        dy[n - 1] = y[n - 2];
    }

    /// <summary>DETEST C2 (Hull et al. 1972): decay chain with distinct rates, y1' = −y1,
    /// yᵢ' = (i−1)yᵢ₋₁ − i·yᵢ (1-based), y_n' = (n−1)y_{n−1}.</summary>
    private static void DetestC2(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        int n = y.Length;
        dy[0] = -y[0];
        for (int i = 1; i < n - 1; i++) dy[i] = i * y[i - 1] - (i + 1) * y[i];  // 0-based i is y_{i+1}
        dy[n - 1] = (n - 1) * y[n - 2];
    }

    /// <summary>DETEST C3 (10 equations) and C4 (51 equations) (Hull et al. 1972): the tridiagonal matrix
    /// tridiag(1, −2, 1) with zero boundary values.</summary>
    private static void Tridiagonal(ReadOnlySpan<double> y, Span<double> dy)
    {
        int n = y.Length;
        dy[0] = -2.0 * y[0] + y[1];
        for (int i = 1; i < n - 1; i++) dy[i] = y[i - 1] - 2.0 * y[i] + y[i + 1];
        dy[n - 1] = y[n - 2] - 2.0 * y[n - 1];
    }

    /// <summary>DETEST C3 (Hull et al. 1972): y' = tridiag(1, −2, 1)·y, 10 equations.</summary>
    private static void DetestC3(double t, ReadOnlySpan<double> y, Span<double> dy) => Tridiagonal(y, dy);

    /// <summary>DETEST C4 (Hull et al. 1972): y' = tridiag(1, −2, 1)·y, 51 equations.</summary>
    private static void DetestC4(double t, ReadOnlySpan<double> y, Span<double> dy) => Tridiagonal(y, dy);

    /// <summary>DETEST C5: the gravitational constant k² (solar masses, AU, days).</summary>
    internal const double DetestC5K2 = 2.95912208286;

    /// <summary>DETEST C5: the mass of the sun plus the inner planets.</summary>
    internal const double DetestC5M0 = 1.00000597682;

    /// <summary>DETEST C5: the masses of Jupiter, Saturn, Uranus, Neptune and Pluto.</summary>
    internal static ReadOnlySpan<double> DetestC5Masses => s_detestC5Masses;

    // A static readonly array, not a collection-expression ReadOnlySpan<double> property: with this toolchain the latter
    // allocated 72 bytes per access (measured), and this is read in the right-hand side.
    private static readonly double[] s_detestC5Masses = [0.954786104043e-3, 0.285583733151e-3, 0.437273164546e-4, 0.517759138449e-4, 0.277777777778e-5];

    /// <summary>DETEST C5 (Hull et al. 1972): the five outer planets around the sun. State: positions pᵢ (3 each), then
    /// velocities; pᵢ'' = k²(−(m0 + mᵢ)pᵢ/|pᵢ|³ + Σ_{j≠i} mⱼ((pⱼ − pᵢ)/|pⱼ − pᵢ|³ − pⱼ/|pⱼ|³)).</summary>
    private static void DetestC5(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        const int Bodies = 5;
        ReadOnlySpan<double> m = DetestC5Masses;
        ReadOnlySpan<double> p = y[..(3 * Bodies)];
        y[(3 * Bodies)..].CopyTo(dy);                  // positions' = velocities
        Span<double> acc = dy[(3 * Bodies)..];

        Span<double> r3 = stackalloc double[Bodies];   // |pⱼ|³
        for (int j = 0; j < Bodies; j++)
        {
            double r2 = p[3 * j] * p[3 * j] + p[3 * j + 1] * p[3 * j + 1] + p[3 * j + 2] * p[3 * j + 2];
            r3[j] = r2 * Math.Sqrt(r2);
        }
        for (int i = 0; i < Bodies; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                double a = -(DetestC5M0 + m[i]) * p[3 * i + c] / r3[i];
                for (int j = 0; j < Bodies; j++)
                {
                    if (j == i) continue;
                    double dx = p[3 * j] - p[3 * i], dyy = p[3 * j + 1] - p[3 * i + 1], dz = p[3 * j + 2] - p[3 * i + 2];
                    double d2 = dx * dx + dyy * dyy + dz * dz;
                    a += m[j] * ((p[3 * j + c] - p[3 * i + c]) / (d2 * Math.Sqrt(d2)) - p[3 * j + c] / r3[j]);
                }
                acc[3 * i + c] = DetestC5K2 * a;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ DETEST class D

    /// <summary>DETEST D1–D5: the eccentricities of the five orbits.</summary>
    internal static ReadOnlySpan<double> DetestDEccentricities => s_detestDEccentricities;

    private static readonly double[] s_detestDEccentricities = [0.1, 0.3, 0.5, 0.7, 0.9];

    /// <summary>DETEST D1–D5 (Hull et al. 1972): the two-body (Kepler) problem, y1'' = −y1/r³, y2'' = −y2/r³;
    /// state (y1, y2, y1', y2').</summary>
    internal static void Kepler(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        double r2 = y[0] * y[0] + y[1] * y[1];
        double r3 = r2 * Math.Sqrt(r2);
        dy[0] = y[2];
        dy[1] = y[3];
        dy[2] = -y[0] / r3;
        dy[3] = -y[1] / r3;
    }

    /// <summary>
    /// The exact DETEST D orbit: starting at perihelion (1 − e, 0) with speed √((1 + e)/(1 − e)) the orbit has semi-major
    /// axis 1 and period 2π, so the mean anomaly is t. Solves Kepler's equation E − e sin E = t by Newton's method; then
    /// y = (cos E − e, √(1 − e²) sin E) and y' = (−sin E, √(1 − e²) cos E)/(1 − e cos E).
    /// </summary>
    internal static double[] KeplerOrbit(double e, double t)
    {
        double mean = Math.IEEERemainder(t, 2 * Math.PI);     // in [−π, π]; E only enters through sin and cos
        // Danby's starting value; Newton's method converges from it for every e < 1 (f' = 1 − e cos E ≥ 1 − e > 0).
        double big = mean + 0.85 * e * Math.Sign(Math.Sin(mean));
        for (int iteration = 0; iteration < 50; iteration++)
        {
            double step = (big - e * Math.Sin(big) - mean) / (1.0 - e * Math.Cos(big));
            big -= step;
            if (Math.Abs(step) <= 1e-15) break;
        }
        double sinE = Math.Sin(big), cosE = Math.Cos(big);
        double root = Math.Sqrt(1.0 - e * e);
        double den = 1.0 - e * cosE;
        return [cosE - e, root * sinE, -sinE / den, root * cosE / den];
    }

    // ------------------------------------------------------------------------------------------------ DETEST class E

    /// <summary>DETEST E1 (Hull et al. 1972): Bessel's equation of order ½,
    /// y1' = y2, y2' = −(y2/(t + 1) + (1 − 0.25/(t + 1)²)·y1).</summary>
    private static void DetestE1(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        double s = t + 1.0;
        dy[0] = y[1];
        dy[1] = -(y[1] / s + (1.0 - 0.25 / (s * s)) * y[0]);
    }

    /// <summary>The exact solution of DETEST E1: y1 = √(2/(π(t + 1)))·sin(t + 1) (√(π/2)·J_{1/2}) and y2 = y1'.</summary>
    internal static double[] BesselHalf(double t)
    {
        double s = t + 1.0;
        double c = Math.Sqrt(2.0 / (Math.PI * s));
        double sin = Math.Sin(s), cos = Math.Cos(s);
        return [c * sin, c * (cos - 0.5 * sin / s)];
    }

    /// <summary>DETEST E2 (Hull et al. 1972): van der Pol's equation with μ = 1.</summary>
    private static void DetestE2(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        dy[0] = y[1];
        dy[1] = (1.0 - y[0] * y[0]) * y[1] - y[0];
    }

    /// <summary>DETEST E3 (Hull et al. 1972): Duffing's equation, y'' = y³/6 − y + 2 sin(2.78535 t).</summary>
    private static void DetestE3(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        dy[0] = y[1];
        dy[1] = y[0] * y[0] * y[0] / 6.0 - y[0] + 2.0 * Math.Sin(2.78535 * t);
    }

    /// <summary>DETEST E4 (Hull et al. 1972): a falling body with drag, y'' = 0.032 − 0.4 y'².</summary>
    private static void DetestE4(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        dy[0] = y[1];
        dy[1] = 0.032 - 0.4 * y[1] * y[1];
    }

    /// <summary>DETEST E5 (Hull et al. 1972): a pursuit curve, y'' = √(1 + y'²)/(25 − t).</summary>
    private static void DetestE5(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        dy[0] = y[1];
        dy[1] = Math.Sqrt(1.0 + y[1] * y[1]) / (25.0 - t);
    }

    // ------------------------------------------------------------------------------------------------ others

    /// <summary>Lotka–Volterra parameters (a, b, c, d) of SciML's DiffEqProblemLibrary / SciMLBenchmarks.</summary>
    internal const double LotkaA = 1.5, LotkaB = 1.0, LotkaC = 3.0, LotkaD = 1.0;

    /// <summary>Lotka–Volterra predator–prey (as in SciMLBenchmarks): x' = a x − b x y, y' = −c y + d x y.</summary>
    private static void LotkaVolterra(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        dy[0] = LotkaA * y[0] - LotkaB * y[0] * y[1];
        dy[1] = -LotkaC * y[1] + LotkaD * y[0] * y[1];
    }

    /// <summary>Arenstorf orbit: the mass ratio μ of the moon (HNW I §II.0).</summary>
    internal const double ArenstorfMu = 0.012277471;

    /// <summary>
    /// Arenstorf orbit (HNW I §II.0, eq. (0.1)): the restricted three-body problem in a rotating frame; state
    /// (y1, y2, y1', y2'), y1'' = y1 + 2y2' − μ'(y1 + μ)/D1 − μ(y1 − μ')/D2, y2'' = y2 − 2y1' − μ'y2/D1 − μy2/D2,
    /// D1 = ((y1 + μ)² + y2²)^(3/2), D2 = ((y1 − μ')² + y2²)^(3/2), μ' = 1 − μ.
    /// </summary>
    private static void Arenstorf(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        const double mu = ArenstorfMu, mup = 1.0 - ArenstorfMu;
        double a = y[0] + mu, b = y[0] - mup;
        double r1 = a * a + y[1] * y[1], r2 = b * b + y[1] * y[1];
        double d1 = r1 * Math.Sqrt(r1), d2 = r2 * Math.Sqrt(r2);
        dy[0] = y[2];
        dy[1] = y[3];
        dy[2] = y[0] + 2.0 * y[3] - mup * a / d1 - mu * b / d2;
        dy[3] = y[1] - 2.0 * y[2] - mup * y[1] / d1 - mu * y[1] / d2;
    }

    /// <summary>
    /// Pleiades (HNW I §II.10; Bari test set PLEI): seven bodies in the plane with masses mⱼ = j; state
    /// (x1..x7, y1..y7, x1'..x7', y1'..y7'), xᵢ'' = Σ_{j≠i} mⱼ(xⱼ − xᵢ)/rᵢⱼ³, yᵢ'' = Σ_{j≠i} mⱼ(yⱼ − yᵢ)/rᵢⱼ³.
    /// </summary>
    private static void Pleiades(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        const int Bodies = 7;
        ReadOnlySpan<double> x = y[..Bodies], yy = y.Slice(Bodies, Bodies);
        y[(2 * Bodies)..].CopyTo(dy);                 // positions' = velocities
        Span<double> ax = dy.Slice(2 * Bodies, Bodies), ay = dy.Slice(3 * Bodies, Bodies);
        for (int i = 0; i < Bodies; i++)
        {
            double sx = 0, sy = 0;
            for (int j = 0; j < Bodies; j++)
            {
                if (j == i) continue;
                double dx = x[j] - x[i], dyy = yy[j] - yy[i];
                double r2 = dx * dx + dyy * dyy;
                double w = (j + 1) / (r2 * Math.Sqrt(r2));   // m_j / r_ij³ with m_j = j (1-based)
                sx += w * dx;
                sy += w * dyy;
            }
            ax[i] = sx;
            ay[i] = sy;
        }
    }

    /// <summary>1-D Brusselator: the number of grid points N.</summary>
    internal const int BrusselatorN = 40;

    /// <summary>1-D Brusselator: the diffusion coefficient α.</summary>
    internal const double BrusselatorAlpha = 1.0 / 50.0;

    /// <summary>
    /// 1-D Brusselator by the method of lines (HNW I §II.10, HNW II §IV.1), N = 40, α = 1/50, A = 1, B = 3; state
    /// interleaved (u1, v1, u2, v2, …), boundary values u = 1, v = 3:
    /// uᵢ' = 1 + uᵢ²vᵢ − 4uᵢ + α(N + 1)²(uᵢ₋₁ − 2uᵢ + uᵢ₊₁), vᵢ' = 3uᵢ − uᵢ²vᵢ + α(N + 1)²(vᵢ₋₁ − 2vᵢ + vᵢ₊₁).
    /// </summary>
    private static void Brusselator1D(double t, ReadOnlySpan<double> y, Span<double> dy)
    {
        const int n = BrusselatorN;
        const double k = BrusselatorAlpha * ((n + 1) * (n + 1));
        for (int i = 0; i < n; i++)
        {
            double u = y[2 * i], v = y[2 * i + 1];
            double uLeft = i > 0 ? y[2 * i - 2] : 1.0, vLeft = i > 0 ? y[2 * i - 1] : 3.0;
            double uRight = i < n - 1 ? y[2 * i + 2] : 1.0, vRight = i < n - 1 ? y[2 * i + 3] : 3.0;
            double uuv = u * u * v;
            dy[2 * i] = 1.0 + uuv - 4.0 * u + k * (uLeft - 2.0 * u + uRight);
            dy[2 * i + 1] = 3.0 * u - uuv + k * (vLeft - 2.0 * v + vRight);
        }
    }
}
