using System.Numerics;

namespace Ordo.Integration;

/// <summary>Outcome of one attempted step.</summary>
public enum StepOutcome
{
    /// <summary>The step produced a finite state (it may still be rejected for accuracy).</summary>
    Success = 0,
    /// <summary>The right-hand side returned NaN or ±∞ somewhere in the step; the step must be rejected.</summary>
    NonFiniteValue,
}

/// <summary>One stretch of a solve run by one method (see <see cref="OdeStepper{T}.MethodSegments"/>).</summary>
/// <param name="StartTime">Time at which this method took over.</param>
/// <param name="Method">Short name of the method (e.g. "tsit5", "rodas5p").</param>
/// <param name="Reason">Why it took over (e.g. "start", "stiffness detected", "no longer stiff").</param>
public readonly record struct OdeMethodSegment(double StartTime, string Method, string Reason);

/// <summary>Relative and per-component absolute tolerances, as the steppers see them.</summary>
public sealed class ErrorTolerances
{
    private readonly double[] _absolute;

    /// <summary>Creates tolerances; <paramref name="absolute"/> has one entry per state component.</summary>
    public ErrorTolerances(double relative, double[] absolute)
    {
        ArgumentNullException.ThrowIfNull(absolute);
        Relative = relative;
        _absolute = absolute;
    }

    /// <summary>rtol.</summary>
    public double Relative { get; }

    /// <summary>atol per component.</summary>
    public ReadOnlySpan<double> Absolute => _absolute;
}

/// <summary>
/// The workspace of one method for one solve (OrdinaryDiffEq's cache, diffrax's solver state): it owns every buffer
/// the method needs, allocated once in <see cref="IOdeMethod.CreateStepper{T}(OdeProblem{T})"/>, and performs single steps. The
/// integration loop, step-size control, output and events belong to <see cref="OdeIntegrator{T}"/>, written once.
/// </summary>
/// <remarks>
/// The protocol, per attempted step: <see cref="Step"/>; if the integrator accepts it, optionally
/// <see cref="Interpolant"/> (dense output, events, save points) and then <see cref="Accept"/>. A rejected step is
/// simply retried with another h (evaluations at the start of the step, such as f(t, y), are reused).
/// </remarks>
/// <typeparam name="T">Number type of the state.</typeparam>
public abstract class OdeStepper<T> where T : IFloatingPointIeee754<T>
{
    private readonly OdeFunction<T> _rhs;

    /// <summary>Creates the stepper for right-hand side <paramref name="rhs"/> and dimension <paramref name="dimension"/>.</summary>
    protected OdeStepper(OdeFunction<T> rhs, int dimension)
    {
        ArgumentNullException.ThrowIfNull(rhs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        _rhs = rhs;
        Dimension = dimension;
    }

    /// <summary>Number of state components.</summary>
    public int Dimension { get; }

    /// <summary>Right-hand-side evaluations made by this stepper so far.</summary>
    public long RhsEvaluations { get; private set; }

    /// <summary>Jacobian evaluations (exact, or one finite-difference Jacobian counted once) made so far.</summary>
    public long JacobianEvaluations { get; protected set; }

    /// <summary>LU (or other) factorizations of iteration matrices made so far.</summary>
    public long LuDecompositions { get; protected set; }

    /// <summary>Degree in θ of the interpolating polynomial written by <see cref="Interpolant"/>.</summary>
    public abstract int InterpolantDegree { get; }

    /// <summary>Evaluates the right-hand side and counts the call.</summary>
    protected void Evaluate(double t, ReadOnlySpan<T> y, Span<T> dydt)
    {
        _rhs(t, y, dydt);
        RhsEvaluations++;
    }

    /// <summary>Adds <paramref name="count"/> right-hand-side evaluations made on this stepper's behalf by other
    /// steppers it drives (a switching method reports the sum over its members).</summary>
    protected void CountRhsEvaluations(long count) => RhsEvaluations += count;

    /// <summary>(Re)starts at (t, y), whose derivative f(t, y) = <paramref name="dydt"/> the integrator has computed.</summary>
    public abstract void Start(double t, ReadOnlySpan<T> y, ReadOnlySpan<T> dydt);

    /// <summary>Attempts one step of size <paramref name="h"/> from (t, y), writing the proposed state into
    /// <paramref name="yNew"/>.</summary>
    /// <param name="t">Time at the start of the step.</param>
    /// <param name="h">Signed step size.</param>
    /// <param name="y">State at <paramref name="t"/>.</param>
    /// <param name="yNew">Receives the proposed state at t + h.</param>
    /// <param name="tolerances">Tolerances for the error estimate, or null to skip it (fixed steps).</param>
    /// <param name="errorNorm">The weighted error norm of the step (≤ 1: within tolerance); 0 when not estimated.</param>
    public abstract StepOutcome Step(double t, double h, ReadOnlySpan<T> y, Span<T> yNew, ErrorTolerances? tolerances, out double errorNorm);

    /// <summary>
    /// Writes the dense output of the step just attempted as polynomial coefficients in θ = (τ − t)/h:
    /// <c>y(τ) = Σₘ cₘ θ^m</c>, block m (length n) of <paramref name="coefficients"/> holding cₘ, m = 0 … degree.
    /// May evaluate extra stages (counted in <see cref="RhsEvaluations"/>).
    /// </summary>
    public abstract void Interpolant(double t, double h, ReadOnlySpan<T> y, ReadOnlySpan<T> yNew, Span<T> coefficients);

    /// <summary>
    /// True when the stepper chooses its own step size (a variable-order multistep method that picks order and step
    /// together, or a switching method whose active member has its own controller). The integrator then asks
    /// <see cref="DecideStep"/> instead of its <see cref="IStepSizeController"/>.
    /// </summary>
    public virtual bool ChoosesStepSize => false;

    /// <summary>
    /// Decides on the step just attempted when <see cref="ChoosesStepSize"/> is true: accept or reject, and the signed
    /// step size to try next. Called after a successful <see cref="Step"/> and before <see cref="Accept"/>.
    /// </summary>
    /// <param name="stepSize">The step size h that was attempted (signed).</param>
    /// <param name="errorNorm">The error norm <see cref="Step"/> reported.</param>
    /// <param name="memory">The integrator's controller memory, for steppers that delegate to a controller.</param>
    /// <exception cref="InvalidOperationException">The stepper does not choose its step size.</exception>
    public virtual StepSizeDecision DecideStep(double stepSize, double errorNorm, ref ControllerMemory memory) =>
        throw new InvalidOperationException($"{GetType().Name} does not choose its own step size; the integrator's controller does.");

    /// <summary>
    /// Which method ran over which part of the solve, for steppers that switch between methods (<c>auto</c>); empty
    /// for a single method. Each segment starts at its <see cref="OdeMethodSegment.StartTime"/> and lasts until the
    /// next one starts.
    /// </summary>
    public virtual IReadOnlyList<OdeMethodSegment> MethodSegments => [];

    /// <summary>Called when the integrator accepts the step from (t, y) to (t + h, yNew): advance internal state
    /// (for example make the FSAL stage the next first stage).</summary>
    public abstract void Accept(double t, double h, ReadOnlySpan<T> y, ReadOnlySpan<T> yNew);
}

/// <summary>
/// An ODE integration method: immutable configuration (a tableau, coefficients, defaults) that creates a
/// <see cref="OdeStepper{T}"/> workspace per solve.
/// </summary>
public interface IOdeMethod
{
    /// <summary>Short name used by the <c>ordo</c> command and problem files (e.g. "dp5").</summary>
    string Name { get; }

    /// <summary>Full name of the method (e.g. "Dormand–Prince 5(4)").</summary>
    string DisplayName { get; }

    /// <summary>One line on when to use it.</summary>
    string Description { get; }

    /// <summary>Classical order of the method.</summary>
    int Order { get; }

    /// <summary>Order of the error estimator, or null when the method has none (fixed steps only).</summary>
    int? ErrorEstimatorOrder { get; }

    /// <summary>The step-size controller used when <see cref="OdeOptions.Controller"/> is null.</summary>
    IStepSizeController DefaultController { get; }

    /// <summary>Allocates the workspace for one solve of a problem of dimension <paramref name="dimension"/>.</summary>
    OdeStepper<T> CreateStepper<T>(OdeFunction<T> rhs, int dimension) where T : IFloatingPointIeee754<T>;

    /// <summary>Allocates the workspace for one solve of <paramref name="problem"/>. The integrator calls this one;
    /// methods that need more than f (a stiff method's Jacobian) override it. The default uses f and n only.</summary>
    OdeStepper<T> CreateStepper<T>(OdeProblem<T> problem) where T : IFloatingPointIeee754<T>
        => CreateStepper(problem.Rhs, problem.Dimension);
}
