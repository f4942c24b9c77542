namespace Ordo.Integration;

/// <summary>
/// Every ODE method Ordo has, by its paper's name and by its short name (<see cref="Get"/>). The tests and the
/// <c>ordo methods</c> command enumerate <see cref="All"/>.
/// </summary>
public static class OdeMethods
{
    /// <summary>Forward Euler (order 1, fixed steps only). Source: Euler (1768); HNW I §II.1.</summary>
    public static ExplicitRungeKutta Euler { get; } = new("euler", Tableaus.Euler,
        "Forward Euler, order 1, fixed steps only (--dt): teaching and baselines.");

    /// <summary>Explicit midpoint 2(1) with an Euler error estimate. Source: Runge (1895).</summary>
    public static ExplicitRungeKutta Midpoint { get; } = new("midpoint", Tableaus.Midpoint,
        "Explicit midpoint 2(1): very loose tolerances on cheap problems; adaptive via an Euler estimate.");

    /// <summary>Heun 2(1), the explicit trapezoid rule with an Euler error estimate. Source: Heun (1900).</summary>
    public static ExplicitRungeKutta Heun { get; } = new("heun", Tableaus.Heun,
        "Heun 2(1) (explicit trapezoid): very loose tolerances (rtol >= 1e-3) on cheap problems.");

    /// <summary>Ralston's second-order method with an Euler error estimate. Source: Ralston (1962).</summary>
    public static ExplicitRungeKutta Ralston { get; } = new("ralston", Tableaus.Ralston,
        "Ralston 2(1): the 2-stage method with the smallest error bound; very loose tolerances.");

    /// <summary>Classical Runge–Kutta 4 (fixed steps only). Source: Kutta (1901).</summary>
    public static ExplicitRungeKutta RungeKutta4 { get; } = new("rk4", Tableaus.RungeKutta4,
        "Classical RK4, order 4, fixed steps only (--dt): when a fixed grid is wanted.");

    /// <summary>Kutta's 3/8-rule fourth-order method (fixed steps only). Source: Kutta (1901).</summary>
    public static ExplicitRungeKutta RungeKutta4ThreeEighths { get; } = new("rk4-38", Tableaus.RungeKutta4ThreeEighths,
        "Runge–Kutta 3/8 rule, order 4, fixed steps only (--dt); torchdiffeq's 'rk4'.");

    /// <summary>Bogacki–Shampine 3(2), FSAL, cubic Hermite dense output. Source: Bogacki &amp; Shampine (1989).</summary>
    public static ExplicitRungeKutta BogackiShampine32 { get; } = new("bs3", Tableaus.BogackiShampine32,
        "Bogacki–Shampine 3(2) (MATLAB ode23, scipy RK23): loose tolerances, 1e-3 to 1e-5.");

    /// <summary>Dormand–Prince 5(4) with Shampine's dense output and Hairer's PI controller (β₁ = 0.17, β₂ = 0.04).
    /// Source: Dormand &amp; Prince (1980); Hairer's DOPRI5.</summary>
    public static ExplicitRungeKutta DormandPrince54 { get; } = new("dp5", Tableaus.DormandPrince54,
        "Dormand–Prince 5(4) (MATLAB ode45, scipy RK45): the classic choice for 1e-4 to 1e-8.",
        new PIController(0.17, 0.04));

    /// <summary>Tsitouras 5(4) with its 4th-order interpolant. Source: Tsitouras (2011).</summary>
    public static ExplicitRungeKutta Tsitouras54 { get; } = new("tsit5", Tableaus.Tsitouras54,
        "Tsitouras 5(4): a little more efficient than dp5; the recommended default for non-stiff problems at 1e-4 to 1e-9.");

    /// <summary>Hairer's DOP853: Dormand–Prince 8(5,3) with its combined error estimator, I controller (exponent 1/8,
    /// factors in [1/3, 6]) and 7th-order dense output. Source: Prince &amp; Dormand (1981); HNW I §II.10.</summary>
    public static ExplicitRungeKutta DormandPrince853 { get; } = new("dop853", Tableaus.DormandPrince853,
        "Dormand–Prince 8(5,3) (Hairer's DOP853, scipy DOP853): tight tolerances, 1e-8 to 1e-13, smooth problems.",
        new PIController(1.0 / 8, 0.0) { MinFactor = 0.333, MaxFactor = 6.0 });

    /// <summary>Radau IIA of order 5 with RADAU5's simplified Newton, error estimate and predictive controller (double
    /// only). Source: Hairer &amp; Wanner, <i>Solving ODEs II</i>, §IV.8.</summary>
    public static Radau5Method Radau5 { get; } = new();

    /// <summary>ROS3P, a 3(2) Rosenbrock method for stiff problems at loose tolerances, cubic Hermite dense output.
    /// Source: Lang &amp; Verwer, BIT 41 (2001).</summary>
    public static RosenbrockMethod Ros3p { get; } = new("ros3p", RosenbrockTableaus.Ros3p,
        "ROS3P 3(2) Rosenbrock (stiff): parabolic PDEs at loose tolerances, 1e-2 to 1e-4. Its error estimate is blind to stiff linear modes: wrong answers on OREGO and RINGMOD (docs/integration/stiff.md).");

    /// <summary>RODAS4, the L-stable stiffly accurate 4(3) Rosenbrock method with its order-3 dense output.
    /// Source: HNW II §IV.7.</summary>
    public static RosenbrockMethod Rodas4 { get; } = new("rodas4", RosenbrockTableaus.Rodas4,
        "RODAS4 4(3) Rosenbrock (Hairer–Wanner; stiff, L-stable): small and medium stiff systems at 1e-3 to 1e-8.");

    /// <summary>RODAS5P, the stiffly accurate 5(4) Rosenbrock method with its order-4 dense output.
    /// Source: Steinebach, BIT 63:27 (2023).</summary>
    public static RosenbrockMethod Rodas5p { get; } = new("rodas5p", RosenbrockTableaus.Rodas5p,
        "RODAS5P 5(4) Rosenbrock (Steinebach 2023; stiff): tighter tolerances, 1e-6 to 1e-10, small and medium systems.");

    /// <summary>Variable-order (1–5) variable-step BDF with CVODE-style modified Newton and Jacobian/LU reuse (double
    /// only). Sources: Shampine &amp; Reichelt (1997); Byrne &amp; Hindmarsh (1975); Hindmarsh et al. (2005); HNW II §III.5.</summary>
    public static BdfMethod Bdf => BdfMethod.Default;

    /// <summary>"auto": tsit5 with Hairer's stiffness detection, switching to rodas5p on stiff stretches and back
    /// (<see cref="OdeSolution{T}.MethodSegments"/> says which ran when). Sources: HNW I §IV.2; Petzold (1983);
    /// Rackauckas &amp; Nie (2017). The default of <c>ordo solve</c> for ODE files.</summary>
    public static AutoSwitchingMethod Auto => AutoSwitchingMethod.Default;

    /// <summary>Every method, cheapest first.</summary>
    public static IReadOnlyList<IOdeMethod> All { get; } =
    [
        Euler, Midpoint, Heun, Ralston, RungeKutta4, RungeKutta4ThreeEighths,
        BogackiShampine32, DormandPrince54, Tsitouras54, DormandPrince853,
    ];

    /// <summary>The stiff methods (Rosenbrock and Radau IIA; double precision only), found by <see cref="Get"/> too. Kept
    /// out of <see cref="All"/> until the generic contract tests (which assume explicit Runge–Kutta methods, single
    /// precision and no finite-difference Jacobian) cover them; their own tests are RosenbrockTests and Radau5Tests.</summary>
    public static IReadOnlyList<IOdeMethod> Stiff { get; } = [Ros3p, Rodas4, Rodas5p, Radau5, Bdf, WMethods.Ros2, WMethods.Ros34pw2, WMethods.Ros34pw3];

    /// <summary>The default method for problems known to be non-stiff (<c>tsit5</c>); <see cref="Auto"/> is the default
    /// when stiffness is unknown.</summary>
    public static IOdeMethod Default => Tsitouras54;

    /// <summary>Finds a method by its short name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No method has that name; the message lists the known names.</exception>
    public static IOdeMethod Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryGet(name, out IOdeMethod? method)
            ? method
            : throw new ArgumentException($"unknown ODE method '{name}'; known methods: auto, {string.Join(", ", All.Concat(Stiff).Select(m => m.Name))}.", nameof(name));
    }

    /// <summary>Finds a method by its short name (case-insensitive).</summary>
    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IOdeMethod? method)
    {
        method = All.Concat(Stiff).Append(Auto).FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
        return method is not null;
    }
}
