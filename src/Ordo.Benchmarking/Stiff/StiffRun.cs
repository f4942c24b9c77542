namespace Ordo.Benchmarking.Stiff;

/// <summary>
/// One point of the stiff work-precision sweep: one problem, one method of one library, one tolerance pair.
/// </summary>
/// <param name="Library">"Ordo", "CVODE" or "scipy".</param>
/// <param name="Problem">Problem name, e.g. "ROBER_1e11".</param>
/// <param name="Method">Method name: Ordo's short name (e.g. "rodas5p"), "bdf" or "bdf-dq" for CVODE (exact or
/// difference-quotient Jacobian), scipy's name (Radau, BDF, LSODA).</param>
/// <param name="RelativeTolerance">rtol.</param>
/// <param name="AbsoluteTolerance">atol (= the problem's suggested factor · rtol).</param>
/// <param name="Status">"success", or why there is no usable result: Ordo max_steps, step_size_too_small,
/// nonfinite_rhs, time_exceeded, skipped, error; CVODE failed; scipy failed, time_exceeded, skipped, error.</param>
/// <param name="Message">Details when the run did not succeed; otherwise empty.</param>
/// <param name="Error">Mixed error max |yᵢ − refᵢ| / (atol/rtol + |refᵢ|) at the final time
/// (<see cref="Ordo.Problems.ErrorMetrics.Mixed"/>, the ode suite's measure); NaN when the run failed.</param>
/// <param name="TimeSeconds">Median time of one solve over the timed repetitions (in-process for every library);
/// NaN when not timed.</param>
/// <param name="TimedSolves">How many solves the median is over.</param>
/// <param name="RhsEvaluations">Right-hand-side calls of one solve (CVODE: nfe plus the difference-quotient Jacobian's
/// calls).</param>
/// <param name="JacobianEvaluations">Jacobian evaluations (exact or finite-difference) of one solve.</param>
/// <param name="LuDecompositions">LU factorizations of one solve (CVODE: linear-solver setups; scipy: nlu).</param>
/// <param name="Steps">Accepted steps.</param>
/// <param name="RejectedSteps">Rejected steps (CVODE: error-test failures); null for scipy, which does not report them.</param>
public sealed record StiffRun(
    string Library,
    string Problem,
    string Method,
    double RelativeTolerance,
    double AbsoluteTolerance,
    string Status,
    string Message,
    double Error,
    double TimeSeconds,
    int TimedSolves,
    long RhsEvaluations,
    long JacobianEvaluations,
    long LuDecompositions,
    int Steps,
    int? RejectedSteps)
{
    /// <summary>The library name of Ordo's runs.</summary>
    public const string Ordo = "Ordo";

    /// <summary>The library name of CVODE's runs.</summary>
    public const string Cvode = "CVODE";

    /// <summary>The library name of scipy's runs.</summary>
    public const string Scipy = "scipy";

    /// <summary>True when the solve reached the final time.</summary>
    public bool IsSuccess => Status == "success";

    /// <summary>True when the run can be placed on a work-precision diagram: it succeeded, was timed, and its error is
    /// a positive finite number.</summary>
    public bool IsUsable => IsSuccess && double.IsFinite(Error) && Error > 0 && double.IsFinite(TimeSeconds) && TimeSeconds > 0;

    /// <summary>"rodas5p (Ordo)", "bdf (CVODE)", "Radau (scipy)".</summary>
    public string Label => $"{Method} ({Library})";

    /// <summary>A run that produced nothing (skipped, unavailable, thrown), with its status and message.</summary>
    public static StiffRun Failed(string library, string problem, string method, double rtol, double atol, string status, string message) =>
        new(library, problem, method, rtol, atol, status, message, double.NaN, double.NaN, 0, 0, 0, 0, 0, null);
}

/// <summary>What one baseline library (CVODE or scipy) gave: its runs, or why it was skipped.</summary>
/// <param name="Available">False when the baseline did not run (no compiler, no SUNDIALS, no scipy, a failed check).</param>
/// <param name="Message">Why it was skipped, or a one-line summary of what ran.</param>
/// <param name="Runs">Its runs.</param>
/// <param name="Checks">The consistency check of its right-hand sides and Jacobians against the C# ones, per problem.</param>
public sealed record BaselineOutcome(bool Available, string Message, IReadOnlyList<StiffRun> Runs, IReadOnlyList<FunctionCheck> Checks)
{
    /// <summary>An outcome for a baseline that did not run.</summary>
    public static BaselineOutcome Skipped(string message) => new(false, message, [], []);
}

/// <summary>Whether a baseline's f and Jacobian of a problem are the same math as the C# ones.</summary>
/// <param name="Problem">Problem name.</param>
/// <param name="Matches">True when f and J agree to 1e-10 relative (to the largest entry) at every checked point.</param>
/// <param name="MaxRhsDifference">Largest max|f_C# − f| / max|f| over the points (NaN when the baseline lacks the problem).</param>
/// <param name="MaxJacobianDifference">The same for the Jacobian.</param>
public sealed record FunctionCheck(string Problem, bool Matches, double MaxRhsDifference, double MaxJacobianDifference);
