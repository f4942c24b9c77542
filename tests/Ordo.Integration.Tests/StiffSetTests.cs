using Ordo.Integration;
using Ordo.Problems;
using Xunit.Abstractions;

namespace Ordo.Integration.Tests;

/// <summary>
/// Every stiff method on every stiff reference problem (Ordo.Problems, references from research/ode-data/problems.json)
/// over the tolerance range it is meant for: error at t1 in units of the tolerance, max over components of
/// |y − y_ref| / (rtol·|y_ref| + atol) with atol = rtol · the problem's suggested factor, must be at most 100.
/// The table is printed with
/// <c>dotnet test tests/Ordo.Integration.Tests -c Release --filter FullyQualifiedName~StiffSetTests --logger "console;verbosity=detailed"</c>.
/// </summary>
public class StiffSetTests(ITestOutputHelper output)
{
    /// <summary>Each method's tolerance range (docs/integration/stiff.md, "choosing a stiff method").</summary>
    private static readonly (string Method, double[] Rtols)[] s_ranges =
    [
        ("ros3p", [1e-3, 1e-4]),
        ("rodas4", [1e-4, 1e-6, 1e-8]),
        ("rodas5p", [1e-6, 1e-8, 1e-10]),
        ("radau5", [1e-4, 1e-6, 1e-8, 1e-10]),
        ("bdf", [1e-4, 1e-6, 1e-8]),
        ("auto", [1e-4, 1e-6, 1e-8]),
        ("ros2", [1e-3, 1e-4]),
        ("ros34pw2", [1e-4, 1e-6]),
        ("ros34pw3", [1e-4, 1e-6]),
    ];

    // E5 is tested separately (its end state ~1e-21 is not resolvable to a relative tolerance: see E5ConvergesAsTheTolerancesTighten).
    // RINGMOD is run at rtol ≥ 1e-6 only, to keep CI short (1e-8 takes 1–2.5 s per method; the bench suite covers it).
    private static readonly string[] s_problems = ["ROBER_40", "ROBER_1e11", "VDPOL", "HIRES", "OREGO", "POLLU", "RINGMOD"];

    // ROS3P's embedded solution has the same stability function as the main one (R̂ ≡ R), so its estimate does not
    // see the error of stiff linear modes: on OREGO (err/tol 1.4e3 at 1e-3) and RINGMOD (mescd stuck at 1.29 from
    // rtol 1e-5 to 1e-7) it returns wrong answers with status success. It is meant for parabolic PDEs (its design
    // target); docs/integration/stiff.md says so, and these two are left out of its rows here. ROS2 (order 2) on
    // RINGMOD at 1e-4 ends 518 tolerances off after 391,401 steps: a known failure, listed in the docs. BDF on RINGMOD:
    // its oscillatory modes lie where BDF 3–5 are unstable (CVODE has a stability-limit detector for this, Ordo's bdf
    // not yet; scipy's BDF gets 2.5 digits at rtol 1e-6): 665 tolerances at 1e-4, max steps at 1e-8. The W-methods on
    // RINGMOD, whose Jacobian changes within a step of the 20 kHz input, with J kept for up to 10 steps: ros34pw2 517
    // and 1040 tolerances at 1e-4 and 1e-6, ros34pw3 141 and 14.
    private static readonly HashSet<(string, string)> s_outOfRange =
        [("ros3p", "OREGO"), ("ros3p", "RINGMOD"), ("ros2", "RINGMOD"), ("bdf", "RINGMOD"), ("ros34pw2", "RINGMOD"), ("ros34pw3", "RINGMOD")];

    public static TheoryData<string, string, double> Cases()
    {
        var data = new TheoryData<string, string, double>();
        foreach ((string method, double[] rtols) in s_ranges)
            foreach (string problem in s_problems)
                foreach (double rtol in rtols)
                {
                    if (s_outOfRange.Contains((method, problem))) continue;
                    if (problem == "RINGMOD" && rtol < 1e-6) continue;
                    data.Add(method, problem, rtol);
                }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void StiffMethodIsWithinAHundredTolerancesOfTheReference(string method, string name, double rtol)
    {
        OdeTestProblem p = OdeTestProblems.Get(name);
        double atol = rtol * p.SuggestedAtolFactor;
        var s = Ode.Solve(p.ToProblem(), OdeMethods.Get(method), new OdeOptions { RelativeTolerance = rtol, AbsoluteTolerance = atol, MaxSteps = 500_000, Save = SaveAt.FinalOnly });
        Assert.Equal(OdeStatus.Success, s.Status);
        double err = ErrorInTolerances(p, s.Y, rtol, atol);
        output.WriteLine($"{method} {name} rtol {rtol:0e0}: error/tol {err:G3}, rhs {s.Stats.RhsEvaluations}, Jacobians {s.Stats.JacobianEvaluations}, LUs {s.Stats.LuDecompositions}, steps {s.Stats.AcceptedSteps}/{s.Stats.RejectedSteps}");
        Assert.True(err <= 100, $"{name}: error {err:G3} tolerances");
        Assert.True(s.Stats.JacobianEvaluations > 0 && s.Stats.LuDecompositions >= s.Stats.JacobianEvaluations);
    }

    /// <summary>
    /// E5 (Enright et al. 1975; HNW II §IV.10): the end state is ~1e-21 and the reference is accurate to ~1e-24
    /// absolute only, so with atol = 1e-24 no solver meets a relative tolerance (scipy's Radau/BDF/LSODA are off by
    /// 90–2000% at rtol 1e-6…1e-13; research/ode.md). What must hold is convergence: the number of correct digits
    /// (mescd, with the atol floor) grows as rtol tightens. Measured (rtol 1e-4, 1e-6, 1e-8, 1e-10):
    /// radau5 0.24, 2.16, 4.49, 7.47; rodas4 0.09, 1.90, 4.39, 6.85; rodas5p 1.05, 1.88, 4.97, 5.71.
    /// </summary>
    [Theory]
    [InlineData("radau5")]
    [InlineData("rodas4")]
    [InlineData("rodas5p")]
    public void E5ConvergesAsTheTolerancesTighten(string method)
    {
        OdeTestProblem p = OdeTestProblems.Get("E5");
        const double atol = 1e-24;
        double[] digits = new double[2];
        double[] rtols = [1e-4, 1e-8];
        for (int k = 0; k < rtols.Length; k++)
        {
            var s = Ode.Solve(p.ToProblem(), OdeMethods.Get(method), new OdeOptions { RelativeTolerance = rtols[k], AbsoluteTolerance = atol, MaxSteps = 500_000, Save = SaveAt.FinalOnly });
            Assert.Equal(OdeStatus.Success, s.Status);
            digits[k] = CorrectDigits(p, s.Y, atol / rtols[k]);
            output.WriteLine($"{method} E5 rtol {rtols[k]:0e0} atol 1e-24: mescd {digits[k]:F2}, rhs {s.Stats.RhsEvaluations}, steps {s.Stats.AcceptedSteps}/{s.Stats.RejectedSteps}");
        }
        Assert.True(digits[1] >= digits[0] + 2.5, $"{method}: mescd {digits[0]:F2} at 1e-4 and {digits[1]:F2} at 1e-8");
        Assert.True(digits[1] >= 4, $"{method}: only {digits[1]:F2} correct digits at rtol 1e-8");
    }

    private static double ErrorInTolerances(OdeTestProblem p, ReadOnlySpan<double> y, double rtol, double atol)
    {
        double err = 0;
        ReadOnlySpan<double> yRef = p.ReferenceFinal;
        for (int i = 0; i < yRef.Length; i++) err = Math.Max(err, Math.Abs(y[i] - yRef[i]) / (rtol * Math.Abs(yRef[i]) + atol));
        return err;
    }

    /// <summary>The Bari test set's mixed significant correct digits: −log10 max |y − y_ref| / (|y_ref| + floor).</summary>
    private static double CorrectDigits(OdeTestProblem p, ReadOnlySpan<double> y, double floor)
    {
        double worst = 0;
        ReadOnlySpan<double> yRef = p.ReferenceFinal;
        for (int i = 0; i < yRef.Length; i++) worst = Math.Max(worst, Math.Abs(y[i] - yRef[i]) / (Math.Abs(yRef[i]) + floor));
        return -Math.Log10(worst);
    }
}
