using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// <c>auto</c>: an explicit Runge–Kutta method that hands over to a stiff method when it detects stiffness, and takes
/// over again when the problem is no longer stiff; <see cref="OdeSolution{T}.MethodSegments"/> says which ran when.
/// </summary>
/// <remarks>
/// <para>Detection on the explicit side is Hairer's (HNW I §IV.2, code DOPRI5): after each accepted step,
/// h·ρ ≈ |h|·‖k₇ − k₆‖/‖y₁ − z₆‖ from the last two stages (both at t + h); when it exceeds
/// <see cref="StiffnessThreshold"/> on <see cref="StiffSteps"/> accepted steps, with fewer than
/// <see cref="NonStiffResetSteps"/> non-stiff steps in a row in between, the problem is declared stiff. Because an
/// explicit method's step can be held down by stiff components well inside its stability region (order reduction: on
/// ROBER at rtol 1e-8 tsit5 runs thousands of steps at h·ρ ≈ 0.3–3), a run of <see cref="PlateauSteps"/> steps with
/// h·ρ &gt; <see cref="PlateauThreshold"/> switches too (measured: no non-stiff test problem has a run longer than 84).
/// Hairer's estimate looks along y₁ − z₆, which at tight tolerances lies mostly in the smooth components (on ROBER at
/// rtol 1e-10 it stays below 0.2 while tsit5's step is near its stability limit), so every <see cref="ProbeInterval"/>
/// accepted explicit steps ρ is also estimated by the power iteration below, and <see cref="ProbeRuns"/> estimates in a
/// row with <see cref="ProbeThreshold"/> ≤ h·ρ ≤ 4 switch (above about 3.5, tsit5's real stability boundary, a stable
/// step means the dominant eigenvalue is not a stiff one: close encounters of bodies, unstable modes).</para>
/// <para>On the stiff side, every <see cref="CheckInterval"/> accepted steps, ρ(∂f/∂y) is estimated by a warm-started power iteration on
/// finite-difference products Jv ≈ (f(y + εv) − f(y))/ε (<see cref="PowerIterations"/> evaluations of f, plus one);
/// when the stiff member's step satisfies |h|·ρ ≤ <see cref="SwitchBackThreshold"/>, an explicit step of the same size
/// would be well inside its stability region, or when the explicit member at h = min(h, 2/ρ) would cost
/// <see cref="CostMargin"/> times fewer f evaluations per unit time than the stiff member has (LSODA's comparison of
/// the two methods), the explicit member takes over with h = min(h, 2/ρ). Detecting stiffness again needs
/// <see cref="StiffSteps"/> steps and explicit steps costlier than the stiff member was: the hysteresis.</para>
/// <para>Each member keeps its own controller (<see cref="IOdeMethod.DefaultController"/>) and controller memory;
/// the switched-to member is restarted with Start(t, y, f(t, y)). The stiff member is double precision only: for any
/// other number type <c>auto</c> runs the explicit member alone.</para>
/// <para>Sources: E. Hairer, S. P. Nørsett and G. Wanner, <i>Solving Ordinary Differential Equations I</i>, 2nd ed.,
/// §IV.2 ("Automatic stiffness detection"); L. Petzold, SIAM J. Sci. Stat. Comput. 4:136–148 (1983) (LSODA);
/// C. Rackauckas and Q. Nie, J. Open Res. Softw. 5:15 (2017) (DifferentialEquations.jl's composite algorithms,
/// AutoTsit5(Rodas5P)). See docs/integration/auto.md.</para>
/// </remarks>
public sealed class AutoSwitchingMethod : IOdeMethod
{
    /// <summary>Creates the method.</summary>
    /// <param name="name">Short name (lower case).</param>
    /// <param name="nonStiff">The explicit member; stiffness detection needs an FSAL tableau whose last two stages are
    /// at t + h (tsit5, dp5), otherwise the method never switches.</param>
    /// <param name="stiff">The stiff member (double precision).</param>
    public AutoSwitchingMethod(string name, ExplicitRungeKutta nonStiff, IOdeMethod stiff)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(nonStiff);
        ArgumentNullException.ThrowIfNull(stiff);
        Name = name;
        NonStiff = nonStiff;
        Stiff = stiff;
    }

    /// <summary><c>auto</c>: tsit5 switching to and from rodas5p. With it <c>auto</c> was within 1.5× of the best single
    /// stiff method's time at equal accuracy on ROBER (both), VDPOL, HIRES, OREGO and RINGMOD and 1.7× on POLLU; with
    /// radau5 as the stiff member on the same six, 3.3× on POLLU and 4.9× on E5 (docs/integration/auto.md).</summary>
    public static AutoSwitchingMethod Default { get; } = new("auto", OdeMethods.Tsitouras54, OdeMethods.Rodas5p);

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public string DisplayName => $"automatic switching {NonStiff.Name} ⇄ {Stiff.Name}";

    /// <inheritdoc/>
    public string Description =>
        $"{NonStiff.Name} while the problem is non-stiff, {Stiff.Name} while it is stiff (Hairer's stiffness detection, LSODA-like switching back): the default when you do not know.";

    /// <summary>The explicit member.</summary>
    public ExplicitRungeKutta NonStiff { get; }

    /// <summary>The stiff member.</summary>
    public IOdeMethod Stiff { get; }

    /// <inheritdoc/>
    public int Order => NonStiff.Order;

    /// <inheritdoc/>
    public int? ErrorEstimatorOrder => NonStiff.ErrorEstimatorOrder;

    /// <summary>The explicit member's controller (the integrator asks the stepper, which uses each member's own).</summary>
    public IStepSizeController DefaultController => NonStiff.DefaultController;

    /// <summary>h·ρ above which an explicit step counts as stiff (3.25, DOPRI5's constant, about the real stability
    /// boundary of dp5 and a little inside tsit5's).</summary>
    public double StiffnessThreshold { get; init; } = 3.25;

    /// <summary>Stiff steps needed to switch to the stiff member (15, as DOPRI5).</summary>
    public int StiffSteps { get; init; } = 15;

    /// <summary>Non-stiff steps in a row that reset the stiff-step count (6, as DOPRI5).</summary>
    public int NonStiffResetSteps { get; init; } = 6;

    /// <summary>h·ρ above which an explicit step counts towards a plateau (0.2): a long run of such steps means the
    /// explicit step size is held down by the stiff components even inside the stability region (order reduction).</summary>
    public double PlateauThreshold { get; init; } = 0.2;

    /// <summary>Accepted explicit steps in a row with h·ρ &gt; <see cref="PlateauThreshold"/> that switch to the stiff
    /// member (200; doubled for the rest of the solve each time the stiff member hands back at its first estimate).</summary>
    public int PlateauSteps { get; init; } = 200;

    /// <summary>Accepted explicit steps between two power-iteration estimates of ρ on the explicit side (50, about 2 % more
    /// f evaluations; 0: none; doubled for the rest of the solve each time the stiff member hands back at its first check).</summary>
    public int ProbeInterval { get; init; } = 50;

    /// <summary>|h|·ρ, with ρ from the power iteration, at or above which (and at or below 4, past the stability boundary) an estimate on the explicit side counts (1.25).</summary>
    public double ProbeThreshold { get; init; } = 1.25;

    /// <summary>Estimates in a row with |h|·ρ ≥ <see cref="ProbeThreshold"/> that switch to the stiff member (2).</summary>
    public int ProbeRuns { get; init; } = 2;

    /// <summary>|h|·ρ of an accepted stiff step at or below which the explicit member takes over (1).</summary>
    public double SwitchBackThreshold { get; init; } = 1.0;

    /// <summary>How much cheaper, in f evaluations per unit time, the other member must be for a switch on cost (1.5):
    /// the stiff member hands back when the explicit one at h = min(h, 2/ρ) would be cheaper than the stiff member has
    /// been since the last estimate, and the stability rule switches to the stiff member only when the explicit steps
    /// cost more than the stiff member did when it last ran.</summary>
    public double CostMargin { get; init; } = 1.5;

    /// <summary>Accepted stiff steps between two estimates of ρ (10).</summary>
    public int CheckInterval { get; init; } = 10;

    /// <summary>Power iterations (f evaluations) per estimate of ρ on the stiff side (4).</summary>
    public int PowerIterations { get; init; } = 4;

    /// <inheritdoc/>
    public OdeStepper<T> CreateStepper<T>(OdeFunction<T> rhs, int dimension) where T : IFloatingPointIeee754<T>
        => CreateStepper(new OdeProblem<T>(rhs, new T[dimension], 0, 1));

    /// <inheritdoc/>
    public OdeStepper<T> CreateStepper<T>(OdeProblem<T> problem) where T : IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (typeof(T) != typeof(double)) return ((IOdeMethod)NonStiff).CreateStepper(problem);
        var p = (OdeProblem<double>)(object)problem;
        return (OdeStepper<T>)(object)new AutoSwitchingStepper(this, p, ((IOdeMethod)NonStiff).CreateStepper(p), Stiff.CreateStepper(p));
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
