namespace Ordo.Integration;

/// <summary>The Rosenbrock tableaux of Ordo, in Hairer–Wanner's transformed form (see <see cref="RosenbrockTableau"/>).</summary>
public static class RosenbrockTableaus
{
    private static readonly double Sqrt3 = Math.Sqrt(3.0);
    private static readonly double Ros3pGamma = 0.5 + Sqrt3 / 6;

    /// <summary>
    /// ROS3P: 3 stages, order 3 with an embedded order-2 solution, A-stable (|R(∞)| = 0.73, so not L-stable), and
    /// free of order reduction to 2 for parabolic problems (it satisfies the additional conditions of Ostermann and
    /// Roche). Its embedded weights (b̂ = (1/3, 1/3, 1/3) classically) share the stability function of the main
    /// solution, so the error estimate vanishes on linear constant-coefficient problems. γ = 1/2 + √3/6. Source: J. Lang and J. Verwer, "ROS3P — an accurate third-order Rosenbrock solver
    /// designed for parabolic problems", BIT 41 (2001) 731–738; coefficients converted to the transformed form of
    /// HW II (7.25). Dense output: cubic Hermite.
    /// </summary>
    public static RosenbrockTableau Ros3p { get; } = new("ROS3P (Lang–Verwer 2001) 3(2)", 3, 2, Ros3pGamma,
        a: [0, 0, 0,
            1 / Ros3pGamma, 0, 0,
            1 / Ros3pGamma, 0, 0],
        c: [0, 0, 0,
            -1 / (Ros3pGamma * Ros3pGamma), 0, 0,
            -2 * Sqrt3, -Sqrt3, 0],
        alpha: [0, 1, 1],
        gammaSums: [Ros3pGamma, Ros3pGamma - 1, -0.5 - 1 / Sqrt3],
        weights: [2, 1 / Sqrt3, 1 - 1 / Sqrt3],
        embeddedWeights: [2.113248654051871, 1, 1 - 1 / Sqrt3]);

    /// <summary>
    /// RODAS4: 6 stages, order 4 with an embedded order-3 solution, L-stable and stiffly accurate (y₁ and ŷ₁ are both
    /// stage values, so the error estimate is the last stage u₆), with a continuous extension of order 3.
    /// Source: E. Hairer and G. Wanner, <i>Solving Ordinary Differential Equations II</i>, 2nd ed., Springer (1996),
    /// §IV.7 (the method RODAS and its continuous extension), in the transformed form (7.25), γ = 0.25.
    /// </summary>
    public static RosenbrockTableau Rodas4 { get; } = new("RODAS4 (Hairer–Wanner) 4(3)", 4, 3, 0.25,
        a: [0, 0, 0, 0, 0, 0,
            1.544, 0, 0, 0, 0, 0,
            0.9466785280815826, 0.2557011698983284, 0, 0, 0, 0,
            3.314825187068521, 2.896124015972201, 0.9986419139977817, 0, 0, 0,
            1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950, 0, 0,
            1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950, 1, 0],
        c: [0, 0, 0, 0, 0, 0,
            -5.6688, 0, 0, 0, 0, 0,
            -2.430093356833875, -0.2063599157091915, 0, 0, 0, 0,
            -0.1073529058151375, -9.594562251023355, -20.47028614809616, 0, 0, 0,
            7.496443313967647, -10.24680431464352, -33.99990352819905, 11.70890893206160, 0, 0,
            8.083246795921522, -7.981132988064893, -31.52159432874371, 16.31930543123136, -6.058818238834054, 0],
        alpha: [0, 0.386, 0.21, 0.63, 1, 1],
        gammaSums: [0.25, -0.1043, 0.1035, -0.3620000000000023e-01, 0, 0],
        weights: [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950, 1, 1],
        embeddedWeights: [1.221224509226641, 6.019134481288629, 12.53708332932087, -0.6878860361058950, 1, 0],
        denseRows:
        [
            [10.12623508344586, -7.487995877610167, -34.80091861555747, -7.992771707568823, 1.025137723295662, 0],
            [-0.6762803392801253, 6.087714651680015, 16.43084320892478, 24.76722511418386, -6.594389125716872, 0],
        ]);
}
