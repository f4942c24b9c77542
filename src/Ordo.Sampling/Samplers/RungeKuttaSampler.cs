using System.Numerics;
using System.Numerics.Tensors;
using Ordo.Integration;

namespace Ordo.Sampling;

/// <summary>
/// An explicit Runge–Kutta method run as a sampler on a fixed grid: the tableau is data from
/// <see cref="Tableaus"/> (Euler, Heun, explicit midpoint, classical RK4, ...), one stepper runs them all.
/// </summary>
/// <remarks>
/// Euler in τ is "ReFlow inversion" / vanilla rectified-flow sampling and, under α = 1 − τ, σ = τ, the same step as
/// DDIM, DPM-Solver-1 and DPM-Solver++(1) (flows.md §3, §4.4). Heun is the explicit trapezoidal rule. The explicit
/// midpoint rule is the step RF-Solver-2 takes (see <see cref="RfSolverSampler"/>). An s-stage method costs s model
/// evaluations per step. Source: Hairer, Nørsett &amp; Wanner, <i>Solving Ordinary Differential Equations I</i>, §II.1.
/// </remarks>
public sealed class RungeKuttaSampler : FlowSampler
{
    private readonly double[] _c;
    private readonly double[][] _a;
    private readonly double[] _b;

    /// <summary>Creates a sampler from a tableau.</summary>
    /// <param name="name">The command name, e.g. "heun".</param>
    /// <param name="tableau">The explicit Runge–Kutta tableau.</param>
    /// <param name="description">One line for <c>ordo methods</c>; null to use the tableau's name.</param>
    public RungeKuttaSampler(string name, ButcherTableau tableau, string? description = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(tableau);
        Name = name;
        Tableau = tableau;
        Description = description ?? $"{tableau.Name}: {tableau.Stages} evaluation(s) per step, order {tableau.Order}.";
        int s = tableau.Stages;
        _c = tableau.C.ToArray();
        _b = tableau.B.ToArray();
        _a = new double[s][];
        for (int i = 0; i < s; i++) _a[i] = tableau.A(i).ToArray();
    }

    /// <summary>The tableau.</summary>
    public ButcherTableau Tableau { get; }

    /// <inheritdoc/>
    public override string Name { get; }
    /// <inheritdoc/>
    public override string DisplayName => Tableau.Name;
    /// <inheritdoc/>
    public override string Description { get; }
    /// <inheritdoc/>
    public override string Source => Tableau.Source;
    /// <inheritdoc/>
    public override int Order => Tableau.Order;
    /// <inheritdoc/>
    public override int WorkBuffers => Tableau.Stages + 1;

    /// <inheritdoc/>
    public override int EvaluationsPerPass(ReadOnlySpan<double> noiseLevels, NoiseSchedule schedule) =>
        Tableau.Stages * (noiseLevels.Length - 1);

    /// <inheritdoc/>
    public override void Run<T>(FlowRunContext<T> context)
    {
        int s = _c.Length;
        Span<T> x = context.Points;
        Span<T> stageState = context.Buffer(s);
        ReadOnlySpan<double> levels = context.NoiseLevels;
        for (int step = 0; step < context.Steps; step++)
        {
            double t = levels[step], h = levels[step + 1] - t;
            for (int i = 0; i < s; i++)
            {
                ReadOnlySpan<T> at = x;
                if (i > 0)
                {
                    x.CopyTo(stageState);
                    double[] row = _a[i];
                    for (int j = 0; j < i; j++)
                    {
                        if (row[j] != 0) TensorPrimitives.MultiplyAdd(context.Buffer(j), T.CreateChecked(h * row[j]), stageState, stageState);
                    }
                    at = stageState;
                }
                double ti = i == 0 ? t : t + _c[i] * h;
                if (!context.Evaluate(at, step, ti, i > 0, context.Buffer(i))) return;
            }
            for (int i = 0; i < s; i++)
            {
                if (_b[i] != 0) TensorPrimitives.MultiplyAdd(context.Buffer(i), T.CreateChecked(h * _b[i]), x, x);
            }
            context.CompleteStep(step);
        }
    }
}
