using Ordo.Problems;
using Xunit.Abstractions;

namespace Ordo.Integration.Tests;

/// <summary>
/// The table of docs/integration/auto.md: <c>auto</c> (tsit5 ⇄ rodas5p), auto with radau5 as its stiff member, rodas5p and radau5 on the
/// stiff reference problems at rtol 1e-4, 1e-6, 1e-8 (atol = rtol × the problem's factor): error at t1 in tolerances,
/// f evaluations, Jacobians, LUs, accepted/rejected steps and segments (times: AutoSwitchingTests). Printed with
/// <c>dotnet test tests/Ordo.Integration.Tests -c Release --filter FullyQualifiedName~AutoSwitchingFigures --logger "console;verbosity=detailed"</c>.
/// </summary>
public class AutoSwitchingFigures(ITestOutputHelper output)
{
    [Theory]
    [InlineData("ROBER_40")]
    [InlineData("ROBER_1e11")]
    [InlineData("VDPOL")]
    [InlineData("HIRES")]
    [InlineData("OREGO")]
    public void AutoIsWithinAHundredTolerancesOfTheReferenceAtEveryTolerance(string name)
    {
        var methods = new (string Label, IOdeMethod Method)[]
        {
            ("auto", AutoSwitchingMethod.Default),
            ("auto(radau5)", new AutoSwitchingMethod("auto", OdeMethods.Tsitouras54, OdeMethods.Radau5)),
            ("rodas5p", OdeMethods.Rodas5p),
            ("radau5", OdeMethods.Radau5),
        };
        OdeTestProblem p = OdeTestProblems.Get(name);
        foreach (double rtol in new[] { 1e-4, 1e-6, 1e-8 })
        {
            double atol = rtol * p.SuggestedAtolFactor;
            var options = new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = atol, MaxSteps = 200_000 };
            foreach ((string label, IOdeMethod method) in methods)
            {
                OdeSolution<double> s = Ode.Solve(p.ToProblem(), method, options);
                double err = 0;
                for (int i = 0; i < p.Dimension; i++) err = Math.Max(err, Math.Abs(s.Y[i] - p.ReferenceFinal[i]) / (rtol * Math.Abs(p.ReferenceFinal[i]) + atol));
                output.WriteLine($"| {name} | {rtol:0e0} | {label} | {err:G3} | {s.Stats.RhsEvaluations} | {s.Stats.JacobianEvaluations} | {s.Stats.LuDecompositions} | " +
                    $"{s.Stats.AcceptedSteps}/{s.Stats.RejectedSteps} | {s.MethodSegments.Count} |");
                Assert.Equal(OdeStatus.Success, s.Status);
                if (label == "auto")
                {
                    Assert.True(err <= 100, $"{name} rtol {rtol}: error {err:G3} tolerances");
                    Assert.Contains(s.MethodSegments, m => m.Method == "rodas5p");
                }
            }
        }
    }
}
