using Ordo.Integration.Tests.Support;

namespace Ordo.Integration.Tests.Convergence;

/// <summary>Empirical orders of every method with fixed steps on problems with exact solutions (slope within ±0.3).</summary>
public class ConvergenceOrderTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> MethodsAndProblems()
    {
        var data = new TheoryData<string, string>();
        foreach (IOdeMethod m in OdeMethods.All)
            foreach (ExactProblem p in ExactProblems.ForOrders)
                data.Add(m.Name, p.Name);
        return data;
    }

    public static TheoryData<string, string> EmbeddedMethodsAndProblems()
    {
        // DOP853's two error estimators are checked by the order-condition tests; fixed-step methods have none.
        var data = new TheoryData<string, string>();
        foreach (IOdeMethod m in OdeMethods.All.Where(m => m is ExplicitRungeKutta { Tableau.ErrorEstimator: EmbeddedErrorEstimator }))
            foreach (ExactProblem p in ExactProblems.ForOrders)
                data.Add(m.Name, p.Name);
        return data;
    }

    public static TheoryData<string, string> MethodsAndLocalProblems()
    {
        var data = new TheoryData<string, string>();
        foreach (IOdeMethod m in OdeMethods.All)
            foreach (ExactProblem p in ExactProblems.ForLocalOrders)
                data.Add(m.Name, p.Name);
        return data;
    }

    private static ExactProblem Problem(string name) => ExactProblems.All.Single(p => p.Name == name);

    [Theory, MemberData(nameof(MethodsAndProblems))]
    public void Method_FixedSteps_ConvergesAtItsOrder(string methodName, string problemName)
    {
        IOdeMethod method = OdeMethods.Get(methodName);
        ExactProblem problem = Problem(problemName);
        ConvergenceOrder.Fit fit = ConvergenceOrder.Estimate(n => ConvergenceOrder.GlobalError(method, problem, n));
        output.WriteLine($"{methodName} on {problemName}: slope {fit.Slope:F3} from {fit.Points} points; {fit.Table}");
        Assert.True(fit.Points >= 3, $"too few points in the asymptotic range: {fit.Table}");
        Assert.InRange(fit.Slope, method.Order - 0.3, method.Order + 0.3);
    }

    [Theory, MemberData(nameof(EmbeddedMethodsAndProblems))]
    public void EmbeddedSolution_FixedSteps_ConvergesAtEmbeddedOrder(string methodName, string problemName)
    {
        var method = (ExplicitRungeKutta)OdeMethods.Get(methodName);
        var embedded = (EmbeddedErrorEstimator)method.Tableau.ErrorEstimator!;
        ButcherTableau t = method.Tableau;
        var lower = new ExplicitRungeKutta(methodName + "-embedded",
            new ButcherTableau(t.Name + " (embedded)", embedded.Order, t.C.ToArray(),
                Enumerable.Range(0, t.Stages).Select(i => t.A(i).ToArray()).ToArray(), embedded.EmbeddedWeights.ToArray()), "");
        ExactProblem problem = Problem(problemName);
        ConvergenceOrder.Fit fit = ConvergenceOrder.Estimate(n => ConvergenceOrder.GlobalError(lower, problem, n));
        output.WriteLine($"{methodName} embedded on {problemName}: slope {fit.Slope:F3}; {fit.Table}");
        Assert.InRange(fit.Slope, embedded.Order - 0.3, embedded.Order + 0.3);
    }

    [Theory, MemberData(nameof(MethodsAndLocalProblems))]
    public void DenseOutput_OneStep_LocalErrorHasOrderOfInterpolantPlusOne(string methodName, string problemName)
    {
        var method = (ExplicitRungeKutta)OdeMethods.Get(methodName);
        int expected = Math.Min(method.Order, method.InterpolantOrder) + 1;
        ExactProblem problem = Problem(problemName);
        ConvergenceOrder.Fit fit = ConvergenceOrder.Estimate(n => ConvergenceOrder.LocalDenseError(method, problem, n), minError: 1e-14);
        output.WriteLine($"{methodName} dense (local, θ = 0.5) on {problemName}: expected {expected}, slope {fit.Slope:F3}; {fit.Table}");
        Assert.True(fit.Points >= 3, $"too few points in the asymptotic range: {fit.Table}");
        Assert.InRange(fit.Slope, expected - 0.3, expected + 0.3);
    }

    [Theory, MemberData(nameof(MethodsAndProblems))]
    public void DenseOutput_FixedSteps_GlobalErrorConvergesAtMethodOrder(string methodName, string problemName)
    {
        // Off-grid global error = global error of the steps + local interpolation error: order min(p, q + 1).
        var method = (ExplicitRungeKutta)OdeMethods.Get(methodName);
        int expected = Math.Min(method.Order, method.InterpolantOrder + 1);
        ExactProblem problem = Problem(problemName);
        ConvergenceOrder.Fit fit = ConvergenceOrder.Estimate(n => ConvergenceOrder.DenseError(method, problem, n));
        output.WriteLine($"{methodName} dense on {problemName}: expected {expected}, slope {fit.Slope:F3}; {fit.Table}");
        Assert.True(fit.Points >= 3, $"too few points in the asymptotic range: {fit.Table}");
        Assert.InRange(fit.Slope, expected - 0.3, expected + 0.3);
    }

    [Theory, MemberData(nameof(MethodRegistry.AllMethods), MemberType = typeof(MethodRegistry))]
    public void NonAutonomousProblem_FixedSteps_MatchesAutonomizedSystem(string methodName)
    {
        // y' = y cos t + sin(3t) solved directly, and as the autonomous system (y, τ)' = (y cos τ + sin 3τ, 1):
        // the stepper evaluates f at t + cᵢh, the autonomized system at τ = t + h Σⱼ aᵢⱼ, and Σⱼ aᵢⱼ = cᵢ, so a
        // correct method produces the same numbers up to rounding at every step (a wrong node or time would not).
        IOdeMethod method = OdeMethods.Get(methodName);
        var options = new OdeOptions { FixedStep = 0.05 };
        OdeSolution<double> direct = Ode.Solve(new OdeProblem<double>(static (t, y, dy) => dy[0] = y[0] * Math.Cos(t) + Math.Sin(3 * t), [1.0], 0.5, 3.5), method, options);
        OdeSolution<double> autonomized = Ode.Solve(new OdeProblem<double>(static (t, y, dy) =>
        {
            dy[0] = y[0] * Math.Cos(y[1]) + Math.Sin(3 * y[1]);
            dy[1] = 1;
        }, [1.0, 0.5], 0.5, 3.5), method, options);
        Assert.Equal(direct.Count, autonomized.Count);
        for (int k = 0; k < direct.Count; k++)
        {
            Assert.Equal(direct.Times[k], autonomized.State(k)[1], 1e-13);
            Assert.Equal(direct.State(k)[0], autonomized.State(k)[0], 1e-12);
        }
    }
}
