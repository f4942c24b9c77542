using Ordo.Integration;
using Ordo.Problems;

namespace Ordo.Benchmarking;

/// <summary>One fixed-step solve of a convergence study: N steps, max-norm error over the trajectory against the exact solution.</summary>
/// <param name="Method">Short method name.</param>
/// <param name="Steps">Number of fixed steps N.</param>
/// <param name="Error">max over step points and components of |y − exact|.</param>
public sealed record ConvergencePoint(string Method, int Steps, double Error);

/// <summary>The empirical order of one method: least-squares slope of log(error) against log(h) over the finest
/// <see cref="Points"/> step counts above the round-off floor.</summary>
/// <param name="Method">Short method name.</param>
/// <param name="Order">The method's classical order.</param>
/// <param name="Slope">Measured order (NaN with fewer than 3 usable points).</param>
/// <param name="Points">Number of points fitted.</param>
public sealed record ConvergenceFit(string Method, int Order, double Slope, int Points);

/// <summary>
/// Empirical convergence orders with fixed steps h = (t1 − t0)/N, N = 4, 8, …, on a problem with a closed-form
/// solution (by default DETEST D1, a Kepler orbit): the picture a person checks first that a method is what it claims.
/// </summary>
public sealed class ConvergenceStudy
{
    private const double Floor = 1e-12, Ceiling = 0.5;

    private ConvergenceStudy(string problem, IReadOnlyList<ConvergencePoint> points, IReadOnlyList<ConvergenceFit> fits)
    {
        Problem = problem;
        Points = points;
        Fits = fits;
    }

    /// <summary>The problem.</summary>
    public string Problem { get; }

    /// <summary>Every solve, in order of method and N.</summary>
    public IReadOnlyList<ConvergencePoint> Points { get; }

    /// <summary>The measured order of every method.</summary>
    public IReadOnlyList<ConvergenceFit> Fits { get; }

    /// <summary>Runs the study. N doubles until the error falls below 1e-12 (the rounding floor) or N exceeds 2¹⁷.</summary>
    /// <exception cref="ArgumentException">The problem has no closed-form solution.</exception>
    public static ConvergenceStudy Run(OdeTestProblem problem, IReadOnlyList<IOdeMethod> methods, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(methods);
        Func<double, double[]> exact = problem.Exact ?? throw new ArgumentException($"problem {problem.Name} has no closed-form solution.", nameof(problem));
        OdeProblem<double> ode = problem.ToProblem();
        var points = new List<ConvergencePoint>();
        var fits = new List<ConvergenceFit>();
        foreach (IOdeMethod method in methods)
        {
            var usable = new List<(double LogH, double LogError)>();
            double previous = double.PositiveInfinity;
            for (int n = 4; n <= 1 << 17; n *= 2)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double error = GlobalError(problem, ode, method, n, exact);
                points.Add(new ConvergencePoint(method.Name, n, error));
                // Stop at the rounding floor: below 1e-13, or where halving h no longer reduces a small error.
                if (error < Floor || (previous < 1e-8 && error > 0.8 * previous)) break;
                if (error <= Ceiling) usable.Add((-Math.Log(n), Math.Log(error)));
                previous = error;
            }
            var finest = usable.Skip(Math.Max(0, usable.Count - 3)).ToList();
            fits.Add(new ConvergenceFit(method.Name, method.Order, finest.Count >= 3 ? Slope(finest) : double.NaN, finest.Count));
        }
        return new ConvergenceStudy(problem.Name, points, fits);
    }

    /// <summary>Max-norm error over the step points (at most about 256 of them, evenly spread): the maximum over the
    /// trajectory does not dip where the end-point error happens to change sign, as the end-point error alone does.</summary>
    private static double GlobalError(OdeTestProblem problem, OdeProblem<double> ode, IOdeMethod method, int n, Func<double, double[]> exact)
    {
        var integrator = new OdeIntegrator<double>(ode, method, new OdeOptions { FixedStep = (problem.T1 - problem.T0) / n, Save = SaveAt.FinalOnly, MaxSteps = n + 10 });
        int every = Math.Max(1, n / 256), k = 0;
        double worst = 0;
        while (integrator.Step())
        {
            if (++k % every == 0) worst = Math.Max(worst, MaxError(integrator.Y, exact(integrator.Time)));
        }
        if (integrator.Status != OdeStatus.Success) return double.PositiveInfinity;
        return Math.Max(worst, MaxError(integrator.Y, exact(integrator.Time)));
    }

    private static double MaxError(ReadOnlySpan<double> y, double[] exact)
    {
        double worst = 0;
        for (int i = 0; i < y.Length; i++) worst = Math.Max(worst, Math.Abs(y[i] - exact[i]));
        return double.IsNaN(worst) ? double.PositiveInfinity : worst;
    }

    private static double Slope(List<(double X, double Y)> p)
    {
        double mx = p.Average(q => q.X), my = p.Average(q => q.Y);
        return p.Sum(q => (q.X - mx) * (q.Y - my)) / p.Sum(q => (q.X - mx) * (q.X - mx));
    }
}
