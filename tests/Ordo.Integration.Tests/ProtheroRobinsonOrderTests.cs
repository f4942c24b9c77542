using Ordo.Integration;
using Xunit.Abstractions;

namespace Ordo.Integration.Tests;

/// <summary>
/// Empirical orders of the stiff methods on the Prothero–Robinson problem y' = λ(y − φ(t)) + φ'(t), φ(t) = sin t,
/// y(0) = φ(0), whose exact solution is y = φ for every λ (Prothero &amp; Robinson, Math. Comp. 28 (1974); HNW II §IV.15).
/// With λ = −1 the classical order shows; with λ = −1e6 and hλ ≪ −1 the stage order limits what is left ("order
/// reduction"), unless the method satisfies extra Prothero–Robinson conditions.
/// The table is printed with
/// <c>dotnet test tests/Ordo.Integration.Tests -c Release --filter FullyQualifiedName~ProtheroRobinson --logger "console;verbosity=detailed"</c>.
/// </summary>
public class ProtheroRobinsonOrderTests(ITestOutputHelper output)
{
    private static OdeProblem<double> Problem(double lambda, bool exactTimeDerivative) => new(
        (t, y, dy) => dy[0] = lambda * (y[0] - Math.Sin(t)) + Math.Cos(t),
        [0.0], 0.0, 1.0, "prothero-robinson")
    {
        Jacobian = (t, y, j) => j[0] = lambda,
        TimeDerivative = exactTimeDerivative ? (t, y, d) => d[0] = -lambda * Math.Cos(t) - Math.Sin(t) : null,
    };

    /// <summary>Error at t = 1 with N fixed steps.</summary>
    private static double ErrorAtEnd(IOdeMethod method, double lambda, int steps, bool exactTimeDerivative)
    {
        var s = Ode.Solve(Problem(lambda, exactTimeDerivative), method, new OdeOptions { FixedStep = 1.0 / steps, Save = SaveAt.FinalOnly });
        Assert.Equal(OdeStatus.Success, s.Status);
        return Math.Abs(s.Y[0] - Math.Sin(1.0));
    }

    /// <summary>Least-squares slope of log error against log h over step counts 10, 20, 40, 80.</summary>
    private double MeasuredOrder(IOdeMethod method, double lambda, bool exactTimeDerivative = true)
    {
        int[] steps = [10, 20, 40, 80];
        double[] x = new double[steps.Length], yv = new double[steps.Length];
        for (int k = 0; k < steps.Length; k++)
        {
            x[k] = Math.Log(1.0 / steps[k]);
            yv[k] = Math.Log(ErrorAtEnd(method, lambda, steps[k], exactTimeDerivative));
        }
        double mx = x.Average(), my = yv.Average(), sxy = 0, sxx = 0;
        for (int k = 0; k < x.Length; k++) { sxy += (x[k] - mx) * (yv[k] - my); sxx += (x[k] - mx) * (x[k] - mx); }
        double slope = sxy / sxx;
        output.WriteLine($"{method.Name,-8} λ = {lambda,-6:G3} ∂f/∂t {(exactTimeDerivative ? "exact" : "diff.")}: errors {string.Join(", ", yv.Select(v => Math.Exp(v).ToString("0.00e0")))}; order {slope:F2}");
        return slope;
    }

    // λ = −1: the classical orders (ros3p 3, rodas4 4, rodas5p 5, radau5 5), with the exact and the differenced ∂f/∂t.
    [Theory]
    [InlineData("ros3p", -1.0, 3.0)]
    [InlineData("rodas4", -1.0, 4.0)]
    [InlineData("rodas5p", -1.0, 5.0)]
    [InlineData("radau5", -1.0, 5.0)]
    public void ClassicalOrderOnTheNonStiffProblem(string method, double lambda, double order)
    {
        Assert.InRange(MeasuredOrder(OdeMethods.Get(method), lambda, exactTimeDerivative: true), order - 0.3, order + 0.6);
        // Without the exact ∂f/∂t the Rosenbrock methods difference f in t; the order must survive that.
        Assert.InRange(MeasuredOrder(OdeMethods.Get(method), lambda, exactTimeDerivative: false), order - 0.3, order + 0.6);
    }

    // Stiff limit (λ = −1e6, 10…80 steps, so hλ from −1e5 to −1.25e4). Measured orders: radau5 2.99 (Radau IIA's
    // B-convergence order is its stage order s = 3: HNW II §IV.15), rodas5p 2.99 (RODAS5P satisfies extra
    // Prothero–Robinson conditions: Steinebach 2023), ros3p 1.97, rodas4 1.10 (RODAS4 satisfies none: its error in the
    // stiff limit is O(h/λ)-like). Differencing ∂f/∂t changes none of them. The bounds are the measured orders less 0.3.
    [Theory]
    [InlineData("ros3p", 1.7)]
    [InlineData("rodas4", 0.8)]
    [InlineData("rodas5p", 2.7)]
    [InlineData("radau5", 2.7)]
    public void StiffLimitOrder(string method, double atLeast)
    {
        double exact = MeasuredOrder(OdeMethods.Get(method), -1e6);
        double differenced = MeasuredOrder(OdeMethods.Get(method), -1e6, exactTimeDerivative: false);
        Assert.True(exact >= atLeast, $"{method}: order {exact:F2} in the stiff limit, expected at least {atLeast}");
        Assert.True(differenced >= atLeast, $"{method}: order {differenced:F2} in the stiff limit with a differenced ∂f/∂t");
    }
}
