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

    /// <summary>
    /// RODAS5P: 8 stages, order 5 with an embedded order-4 solution (the error estimate is the last stage u₈), stiffly
    /// accurate, with an order-4 continuous extension; it repairs Rodas5's embedded method (not A-stable, and blind on
    /// y' = cos t). Source: G. Steinebach, "Construction of Rosenbrock–Wanner method Rodas5P and numerical benchmarks
    /// within the Julia Differential Equations package", BIT Numerical Mathematics 63:27 (2023); transformed form of
    /// HW II (7.25), γ = 0.21193756319429014.
    /// </summary>
    public static RosenbrockTableau Rodas5p { get; } = new("RODAS5P (Steinebach 2023) 5(4)", 5, 4, 0.21193756319429014,
        a: [0, 0, 0, 0, 0, 0, 0, 0,
            3.0, 0, 0, 0, 0, 0, 0, 0,
            2.849394379747939, 0.45842242204463923, 0, 0, 0, 0, 0, 0,
            -6.954028509809101, 2.489845061869568, -10.358996098473584, 0, 0, 0, 0, 0,
            2.8029986275628964, 0.5072464736228206, -0.3988312541770524, -0.04721187230404641, 0, 0, 0, 0,
            -7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256, 0.030198172008377946, 0, 0, 0,
            -7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256, 0.030198172008377946, 1, 0, 0,
            -7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256, 0.030198172008377946, 1, 1, 0],
        c: [0, 0, 0, 0, 0, 0, 0, 0,
            -14.155112264123755, 0, 0, 0, 0, 0, 0, 0,
            -17.97296035885952, -2.859693295451294, 0, 0, 0, 0, 0, 0,
            147.12150275711716, -1.41221402718213, 71.68940251302358, 0, 0, 0, 0, 0,
            165.43517024871676, -0.4592823456491126, 42.90938336958603, -5.961986721573306, 0, 0, 0, 0,
            24.854864614690072, -3.0009227002832186, 47.4931110020768, 5.5814197821558125, -0.6610691825249471, 0, 0, 0,
            30.91273214028599, -3.1208243349937974, 77.79954646070892, 34.28646028294783, -19.097331116725623, -28.087943162872662, 0, 0,
            37.80277123390563, -3.2571969029072276, 112.26918849496327, 66.9347231244047, -40.06618937091002, -54.66780262877968, -9.48861652309627, 0],
        alpha: [0, 0.6358126895828704, 0.4095798393397535, 0.9769306725060716, 0.4288403609558664, 1, 1, 1],
        gammaSums: [0.21193756319429014, -0.42387512638858027, -0.3384627126235924, 1.8046452872882734, 2.325825639765069, 0, 0, 0],
        weights: [-7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256, 0.030198172008377946, 1, 1, 1],
        embeddedWeights: [-7.502846399306121, 2.561846144803919, -11.627539656261098, -0.18268767659942256, 0.030198172008377946, 1, 1, 0],
        denseRows:
        [
            [25.948786856663858, -2.5579724845846235, 10.433815404888879, -2.3679251022685204, 0.524948541321073, 1.1241088310450404, 0.4272876194431874, -0.17202221070155493],
            [-9.91568850695171, -0.9689944594115154, 3.0438037242978453, -24.495224566215796, 20.176138334709044, 15.98066361424651, -6.789040303419874, -6.710236069923372],
            [11.419903575922262, 2.8879645146136994, 72.92137995996029, 80.12511834622643, -52.072871366152654, -59.78993625266729, -0.15582684282751913, 4.883087185713722],
        ],
        interpolantOrder: 4);

    // ---- W-methods (IsWMethod: the orders hold for any W in place of J) ------------------------------------------

    private static readonly double Ros2Gamma = 1 + 1 / Math.Sqrt(2.0);

    /// <summary>
    /// ROS2: the 2-stage W-method of order 2 of J. G. Verwer, E. J. Spee, J. G. Blom and W. Hundsdorfer, "A second-order
    /// Rosenbrock method applied to photochemical dispersion problems", SIAM J. Sci. Comput. 20 (1999) 1456–1480:
    /// γ = 1 + 1/√2 (L-stable), classically α₂₁ = 1, γ₂₁ = −2γ, b = (1/2, 1/2), i.e. y₁ = y₀ + (3/2)k₁ + (1/2)k₂ in their
    /// scaling. Order 2 holds for any W (Σbᵢ = 1, Σbᵢαᵢ = 1/2, Σbᵢγᵢ = 0). Embedded: the linearly implicit Euler step
    /// ŷ₁ = y₀ + k₁, of order 1 for any W. Dense output: cubic Hermite.
    /// </summary>
    public static RosenbrockTableau Ros2 { get; } = RosenbrockTableau.FromClassical("ROS2 (Verwer et al. 1999) W 2(1)", 2, 1, Ros2Gamma,
        alpha: [0, 0,
                1, 0],
        gammaMatrix: [0, 0,
                      -2 * Ros2Gamma, 0],
        b: [0.5, 0.5],
        bHat: [1, 0],
        isWMethod: true);

    /// <summary>
    /// ROS34PW2: 4 stages, a W-method of order 3 with an embedded W-method of order 2, L-stable and stiffly accurate,
    /// γ = 0.435866521508459. Source: J. Rang and L. Angermann, "New Rosenbrock W-methods of order 3 for partial
    /// differential algebraic equations of index 1", BIT Numerical Mathematics 45 (2005) 761–787 (classical
    /// coefficients αᵢⱼ, γᵢⱼ, b, b̂ as printed there, converted by <see cref="RosenbrockTableau.FromClassical"/>).
    /// </summary>
    public static RosenbrockTableau Ros34pw2 { get; } = RosenbrockTableau.FromClassical("ROS34PW2 (Rang–Angermann 2005) W 3(2)", 3, 2,
        0.435866521508459,
        alpha: [0, 0, 0, 0,
                0.87173304301691801, 0, 0, 0,
                0.84457060015369423, -0.11299064236484185, 0, 0,
                0, 0, 1, 0],
        gammaMatrix: [0, 0, 0, 0,
                      -0.87173304301691801, 0, 0, 0,
                      -0.90338057013044082, 0.054180672388095326, 0, 0,
                      0.24212380706095346, -1.2232505839045147, 0.54526025533510214, 0],
        b: [0.24212380706095346, -1.2232505839045147, 1.5452602553351020, 0.435866521508459],
        bHat: [0.37810903145819369, -0.096042292212423178, 0.5, 0.2179332607542295],
        isWMethod: true);

    /// <summary>
    /// ROS34PW3: 4 stages, a W-method of order 3 (order 4 when W = J) with an embedded W-method of order 2, A-stable
    /// (not L-stable), γ = 1.0685790213016289. Source: J. Rang and L. Angermann, BIT 45 (2005) 761–787, classical
    /// coefficients converted by <see cref="RosenbrockTableau.FromClassical"/>. Its <see cref="RosenbrockTableau.Order"/>
    /// is the W order 3, the order guaranteed with a reused Jacobian.
    /// </summary>
    public static RosenbrockTableau Ros34pw3 { get; } = RosenbrockTableau.FromClassical("ROS34PW3 (Rang–Angermann 2005) W 3(2)", 3, 2,
        1.0685790213016289,
        alpha: [0, 0, 0, 0,
                2.5155456020628817, 0, 0, 0,
                0.50777280103144085, 0.75, 0, 0,
                0.13959081404277204, -0.33111001065419338, 0.82040559712714178, 0],
        gammaMatrix: [0, 0, 0, 0,
                      -2.5155456020628817, 0, 0, 0,
                      -0.87991339217106512, -0.96014187766190695, 0, 0,
                      -0.41731389379448741, 0.41091047035857703, -1.3558873204765276, 0],
        b: [0.22047681286931747, 0.0027828278331185935, 0.0071844787635140066, 0.76955588053404989],
        bHat: [0.31300297285209688, -0.28946895245112692, 0.97646597959903003, 0],
        isWMethod: true);
}
