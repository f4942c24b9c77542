using Ordo.Integration;
using Ordo.Problems;

namespace Ordo.Benchmarking.Stiff;

/// <summary>
/// What <see cref="StiffBenchmark"/> runs: stiff problems × Ordo's stiff methods × tolerances (atol = the problem's
/// suggested factor · rtol), against CVODE (BDF, dense direct solver) and scipy's Radau, BDF and LSODA, all with exact
/// Jacobians.
/// </summary>
public sealed record StiffBenchmarkOptions
{
    /// <summary>The default relative tolerances 1e-4, 1e-6, 1e-8, 1e-10.</summary>
    public static IReadOnlyList<double> DefaultRelativeTolerances { get; } = [1e-4, 1e-6, 1e-8, 1e-10];

    /// <summary>The default scipy methods: Radau, BDF, LSODA.</summary>
    public static IReadOnlyList<string> DefaultScipyMethods { get; } = ["Radau", "BDF", "LSODA"];

    /// <summary>The default Ordo methods: every stiff method of <see cref="OdeMethods.Stiff"/>, plus "auto" when
    /// <see cref="OdeMethods.TryGet"/> knows it.</summary>
    public static IReadOnlyList<IOdeMethod> DefaultMethods()
    {
        var list = OdeMethods.Stiff.ToList();
        if (OdeMethods.TryGet("auto", out IOdeMethod? auto) && !list.Contains(auto)) list.Add(auto);
        return list;
    }

    /// <summary>Problems (default <see cref="OdeTestProblems.Stiff"/>: ROBER_40, ROBER_1e11, VDPOL, HIRES, OREGO, E5,
    /// POLLU, RINGMOD). Each needs a reference solution.</summary>
    public IReadOnlyList<OdeTestProblem> Problems { get; init; } = OdeTestProblems.Stiff;

    /// <summary>Ordo methods (default <see cref="DefaultMethods"/>).</summary>
    public IReadOnlyList<IOdeMethod> Methods { get; init; } = DefaultMethods();

    /// <summary>Relative tolerances, loosest first (default <see cref="DefaultRelativeTolerances"/>).</summary>
    public IReadOnlyList<double> RelativeTolerances { get; init; } = DefaultRelativeTolerances;

    /// <summary>Run CVODE (<see cref="CvodeRunner"/>; default true).</summary>
    public bool RunCvode { get; init; } = true;

    /// <summary>Also run CVODE with its difference-quotient Jacobian ("bdf-dq"; default true).</summary>
    public bool RunCvodeDifferenceQuotient { get; init; } = true;

    /// <summary>Run scipy (<see cref="StiffScipyRunner"/>; default true).</summary>
    public bool RunScipy { get; init; } = true;

    /// <summary>scipy methods (default <see cref="DefaultScipyMethods"/>).</summary>
    public IReadOnlyList<string> ScipyMethods { get; init; } = DefaultScipyMethods;

    /// <summary>The Python interpreter that has scipy (default Debian's <c>/usr/bin/python3</c>).</summary>
    public string PythonPath { get; init; } = ScipyRunner.DefaultPythonPath;

    /// <summary>The C compiler for the CVODE program (default <c>gcc</c>, looked up on PATH).</summary>
    public string Compiler { get; init; } = "gcc";

    /// <summary>Where the CVODE program is built (default: a temporary folder; <c>ordo bench</c> passes its output
    /// folder).</summary>
    public string? BuildDirectory { get; init; }

    /// <summary>Step limit of every Ordo solve (default 1,000,000).</summary>
    public int MaxSteps { get; init; } = 1_000_000;

    /// <summary>Warm-up before anything is timed: every problem × method solved at the loosest tolerance, round after
    /// round, until this much time has passed (default 3 s; at least one round). Tier-0 JIT code is 10–20× slower.</summary>
    public TimeSpan WarmUpTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Timing of one point (every library): after a first solve (counters, error, warm-up), solves are timed
    /// one by one until they add up to this (at least 3 of them), and the median is reported; a point whose first solve
    /// took longer keeps that solve's time (default 0.2 s).</summary>
    public TimeSpan MinTimePerPoint { get; init; } = TimeSpan.FromSeconds(0.2);

    /// <summary>At most this many timed solves per point (default 200).</summary>
    public int MaxRepeats { get; init; } = 200;

    /// <summary>A single solve longer than this is aborted (time_exceeded), and a method whose time at the looser
    /// tolerance times <see cref="TimeGrowth"/> exceeds it is skipped at the tighter one (default 30 s).</summary>
    public TimeSpan MaxRunTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Predicted growth of a solve's time from one tolerance of the sweep to the next (default 3).</summary>
    public double TimeGrowth { get; init; } = 3;

    /// <summary>scipy's whole sweep stops starting runs after this long (default 150 s); its sweep goes tolerance by
    /// tolerance, loosest first, so the cap cuts the tightest points.</summary>
    public TimeSpan ScipyTotalTime { get; init; } = TimeSpan.FromSeconds(150);

    /// <summary>Validates the options; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public void Validate()
    {
        if (Problems is null || Problems.Count == 0) throw new ArgumentException("No problems to run.", nameof(Problems));
        foreach (OdeTestProblem p in Problems)
        {
            if (!p.HasReference) throw new ArgumentException($"problem '{p.Name}' has no reference solution.", nameof(Problems));
        }
        if (Methods is null || Methods.Count == 0) throw new ArgumentException("No methods to run.", nameof(Methods));
        if (RelativeTolerances is null || RelativeTolerances.Count == 0) throw new ArgumentException("No tolerances to run.", nameof(RelativeTolerances));
        foreach (double r in RelativeTolerances)
        {
            if (!double.IsFinite(r) || r <= 0 || r >= 1)
                throw new ArgumentException($"relative tolerance {r} is not in (0, 1).", nameof(RelativeTolerances));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxSteps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxRepeats);
        ArgumentOutOfRangeException.ThrowIfLessThan(TimeGrowth, 1.0);
    }
}
