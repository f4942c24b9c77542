using Ordo.Integration;
using Ordo.Problems;

namespace Ordo.Benchmarking;

/// <summary>
/// What <see cref="OdeBenchmark"/> runs: problems × Ordo methods × tolerances (atol = problem.SuggestedAtolFactor · rtol),
/// optionally the same sweep with scipy, and how long it spends timing each point.
/// </summary>
public sealed record OdeBenchmarkOptions
{
    /// <summary>The default Ordo methods: bs3, dp5, tsit5, dop853.</summary>
    public static IReadOnlyList<IOdeMethod> DefaultMethods { get; } =
    [
        OdeMethods.BogackiShampine32, OdeMethods.DormandPrince54, OdeMethods.Tsitouras54, OdeMethods.DormandPrince853,
    ];

    /// <summary>The default relative tolerances 1e-4, 1e-5, …, 1e-10.</summary>
    public static IReadOnlyList<double> DefaultRelativeTolerances { get; } = [1e-4, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10];

    /// <summary>The Ordo ↔ scipy pairs compared at equal error: dp5 ↔ RK45 (same Dormand–Prince 5(4) pair),
    /// dop853 ↔ DOP853 (same method), and tsit5 ↔ RK45 (each library's recommended default for non-stiff problems).</summary>
    public static IReadOnlyList<MethodPair> DefaultPairs { get; } = [new("dp5", "RK45"), new("dop853", "DOP853"), new("tsit5", "RK45")];

    /// <summary>Problems to run (default: every non-stiff reference problem, <see cref="OdeTestProblems.NonStiff"/>).
    /// Problems without a reference solution are run but have no error.</summary>
    public IReadOnlyList<OdeTestProblem> Problems { get; init; } = OdeTestProblems.NonStiff;

    /// <summary>Ordo methods to run (default <see cref="DefaultMethods"/>). Each needs an error estimator.</summary>
    public IReadOnlyList<IOdeMethod> Methods { get; init; } = DefaultMethods;

    /// <summary>Relative tolerances of the sweep (default <see cref="DefaultRelativeTolerances"/>), loosest first.</summary>
    public IReadOnlyList<double> RelativeTolerances { get; init; } = DefaultRelativeTolerances;

    /// <summary>Also run scipy's solve_ivp (<see cref="ScipyMethods"/>) through <see cref="ScipyRunner"/> (default true).</summary>
    public bool RunScipy { get; init; } = true;

    /// <summary>scipy methods (default RK45 and DOP853).</summary>
    public IReadOnlyList<string> ScipyMethods { get; init; } = ["RK45", "DOP853"];

    /// <summary>Ordo ↔ scipy method pairs for the comparison at equal error (default <see cref="DefaultPairs"/>).</summary>
    public IReadOnlyList<MethodPair> Pairs { get; init; } = DefaultPairs;

    /// <summary>The Python interpreter that has scipy (default Debian's <c>/usr/bin/python3</c>).</summary>
    public string PythonPath { get; init; } = ScipyRunner.DefaultPythonPath;

    /// <summary>Step limit of every Ordo solve (default 2,000,000).</summary>
    public int MaxSteps { get; init; } = 2_000_000;

    /// <summary>A scipy run that needs more RHS calls than this is aborted and reported as budget_exceeded (default 200,000).</summary>
    public int ScipyRhsBudget { get; init; } = 200_000;

    /// <summary>Also measure every method's empirical order with fixed steps (<see cref="ConvergenceStudy"/>) on the first
    /// of <see cref="Problems"/> that has a closed-form solution, DETEST_D1 when it is there (default true).</summary>
    public bool RunConvergence { get; init; } = true;

    /// <summary>Methods of the convergence study (default every ODE method, fixed-step ones included).</summary>
    public IReadOnlyList<IOdeMethod> ConvergenceMethods { get; init; } = OdeMethods.All;

    /// <summary>Warm-up before anything is timed: every problem × method is solved at the loosest tolerance, round
    /// after round, until this much time has passed (default 3 s; at least one round).</summary>
    public TimeSpan WarmUpTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Timing of one Ordo point: keep timing batches until this much time has passed (default 50 ms) …</summary>
    public TimeSpan MinTimePerRun { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>… and at least this many batches have run (default 5).</summary>
    public int MinBatches { get; init; } = 5;

    /// <summary>Length of one timed batch of solves (default 2 ms; a batch holds at least one solve).</summary>
    public TimeSpan BatchTime { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Validates the options; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public void Validate()
    {
        if (Problems is null || Problems.Count == 0) throw new ArgumentException("No problems to run.", nameof(Problems));
        if (Methods is null || Methods.Count == 0) throw new ArgumentException("No methods to run.", nameof(Methods));
        foreach (IOdeMethod m in Methods)
        {
            if (m.ErrorEstimatorOrder is null)
                throw new ArgumentException($"method '{m.Name}' has no error estimator (fixed steps only) and cannot run a tolerance sweep.", nameof(Methods));
        }
        if (RelativeTolerances is null || RelativeTolerances.Count == 0) throw new ArgumentException("No tolerances to run.", nameof(RelativeTolerances));
        foreach (double r in RelativeTolerances)
        {
            if (!double.IsFinite(r) || r <= 0 || r >= 1)
                throw new ArgumentException($"relative tolerance {r} is not in (0, 1).", nameof(RelativeTolerances));
            if (r < 1e-14)
                throw new ArgumentException($"relative tolerance {r} is below 1e-14 and cannot be met in double precision.", nameof(RelativeTolerances));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ScipyRhsBudget);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MinBatches);
    }
}

/// <summary>An Ordo method and the scipy method it is compared with.</summary>
/// <param name="OrdoMethod">Short Ordo name, e.g. "dp5".</param>
/// <param name="ScipyMethod">scipy's name, e.g. "RK45".</param>
public sealed record MethodPair(string OrdoMethod, string ScipyMethod)
{
    /// <summary>"dp5 vs RK45".</summary>
    public override string ToString() => $"{OrdoMethod} vs {ScipyMethod}";
}
