using Ordo.Integration;

namespace Ordo.Problems.Tests;

/// <summary>
/// Checks the C# transcriptions of the stiff reference problems (<see cref="OdeTestProblems.Stiff"/>) against the
/// independent Python transcription (../shared/research/ode-data/odeproblems.py), their Jacobians against central
/// differences, and their data against problems.json.
/// </summary>
public class StiffProblemsTests
{
    private sealed record Expected(double T0, double T1, double[] Y0, double[] Reference, double[] FAtY0, double[] FAtReference,
        double[] FAtMidTimeAndReference);

    // Printed by:  /usr/bin/python3 tests/Ordo.Problems.Tests/stiff_expected.py /work/shared/research/ode-data
    // (t0, tf, y0 from odeproblems.py; the reference end state from problems.json; f(t0, y0), f(tf, reference) and
    // f(t0 + 0.37 (tf − t0), reference) evaluated by odeproblems.py's own right-hand sides).
    private static readonly Dictionary<string, Expected> s_expected = new()
    {
        ["ROBER_40"] = new(0.0, 40.0,
            [1.0, 0.0, 0.0],
            [0.715827068719405, 9.185534764557764e-06, 0.28416374574583037],
            [-0.04, 0.04, 0.0],
            [-0.0025311230950234194, -9.837230355866713e-08, 0.002531221467326978],
            [-0.0025311230950234194, -9.837230355866713e-08, 0.002531221467326978]),
        ["ROBER_1e11"] = new(0.0, 100000000000.0,
            [1.0, 0.0, 0.0],
            [2.083340149701255e-08, 8.333360770334713e-14, 0.999999979166505],
            [-0.04, 0.04, 0.0],
            [-2.0833381247518212e-19, -8.927104785536039e-25, 2.0833470518566067e-19],
            [-2.0833381247518212e-19, -8.927104785536039e-25, 2.0833470518566067e-19]),
        ["VDPOL"] = new(0.0, 2.0,
            [2.0, 0.0],
            [1.706167732170469, -0.8928097010248125],
            [0.0, -2000000.0],
            [-0.8928097010248125, -0.9561396490109786],
            [-0.8928097010248125, -0.9561396490109786]),
        ["HIRES"] = new(0.0, 321.8122,
            [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0057],
            [0.0007371312573325668, 0.0001442485726316185, 5.888729740967575e-05, 0.001175651343283149, 0.002386356198831331, 0.006238968252742796, 0.002849998395185769, 0.002850001604814231],
            [-1.7093, 1.71, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            [-8.52524935859118e-06, -1.6805604879726547e-06, -1.5870484481970705e-06, -1.5884101611515506e-05, -0.0002559359083513892, -0.0008030883982908348, -0.00017979762612968, 0.00017979762612968],
            [-8.52524935859118e-06, -1.6805604879726547e-06, -1.5870484481970705e-06, -1.5884101611515506e-05, -0.0002559359083513892, -0.0008030883982908348, -0.00017979762612968, 0.00017979762612968]),
        ["OREGO"] = new(0.0, 360.0,
            [1.0, 2.0, 3.0],
            [1.000814870318523, 1228.178521549917, 132.0554942846706],
            [77.26935286375, -0.012941633234114146, -0.322],
            [1.9982446685844478e-05, -30.09321023732654, -21.099803385710686],
            [1.9982446685844478e-05, -30.09321023732654, -21.099803385710686]),
        ["E5"] = new(0.0, 10000000000000.0,
            [0.00176, 0.0, 0.0, 0.0],
            [1.152903278711829e-291, 8.86765551764212e-23, 8.854814626268838e-23, 0.0],
            [-1.38864e-12, 1.38864e-12, 1.38864e-12, 0.0],
            [-9.096418098655627e-301, -8.872923372951403e-36, -8.872923372951403e-36, 1.122961929651188e-306],
            [-9.096418098655627e-301, -8.872923372951403e-36, -8.872923372951403e-36, 1.122961929651188e-306]),
        ["POLLU"] = new(0.0, 60.0,
            [0.0, 0.2, 0.0, 0.04, 0.0, 0.0, 0.1, 0.3, 0.01, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.007, 0.0, 0.0, 0.0],
            [0.05646255480022769, 0.1342484130422339, 4.139734331099427e-09, 0.005523140207484359, 2.018977262302196e-07, 1.464541863493966e-07, 0.07784249118997964, 0.3245075353396018, 0.007494013383880406, 1.622293157301561e-08, 1.135863833257075e-08, 0.002230505975721359, 0.000208716288279863, 1.396921016840158e-05, 0.008964884856898295, 4.352846369330103e-18, 0.006899219696263405, 0.0001007803037365946, 1.772146513969984e-06, 5.682943292316392e-05],
            [0.21280000000000002, -0.21280000000000002, 0.0007000000000000001, -0.213514, 0.0001733, 0.0, -0.00016800000000000002, 0.00016930000000000002, -1.2999999999999998e-06, 1.2999999999999998e-06, 0.0, 0.0, 0.0, 0.0, 0.0, 1.4e-05, -0.0, 0.0, 0.0, 0.0],
            [0.0002046571630696941, -0.00034224106849491543, 1.5072147641694315e-11, 3.417832862268738e-05, -1.0042462818989367e-09, -1.008280596144146e-09, -0.00027551865074214896, 0.00030275498759864834, -2.731493292296909e-05, -1.0577020961077062e-10, -7.644128415561696e-11, 2.5160506312727096e-05, 1.1802813116216993e-06, -1.2728129375381045e-07, 0.00013478759361635167, 2.710505431213761e-20, -1.2529203127568653e-06, 1.2529203127568653e-06, 1.8377951528186732e-08, 7.988262728601521e-07],
            [0.0002046571630696941, -0.00034224106849491543, 1.5072147641694315e-11, 3.417832862268738e-05, -1.0042462818989367e-09, -1.008280596144146e-09, -0.00027551865074214896, 0.00030275498759864834, -2.731493292296909e-05, -1.0577020961077062e-10, -7.644128415561696e-11, 2.5160506312727096e-05, 1.1802813116216993e-06, -1.2728129375381045e-07, 0.00013478759361635167, 2.710505431213761e-20, -1.2529203127568653e-06, 1.2529203127568653e-06, 1.8377951528186732e-08, 7.988262728601521e-07]),
        ["RINGMOD"] = new(0.0, 0.001,
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            [-0.02339057358486745, -0.007367485485540825, 0.2582956709291169, -0.406446572128345, -0.4039455665149794, 0.2607966765422943, 0.1106761861269975, 2.939904342435596e-07, -2.840029933642329e-08, 0.0007267198267264553, 0.000792948719696084, -0.0007255283495698965, -0.0007941401968526521, 7.088495416976114e-05, 2.39005907523657e-05],
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.0, -0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.0],
            [6576.813377013359, -633.6896105579302, 299039.6684618469, 294113.44674314803, 296713.2828840609, 301639.50460736756, -69386.5028560848, 0.00525630867075673, 0.0016556147158518707, -565.1264214478366, -816.9385963733071, 825.6269284395364, 556.4380893812312, 8.636601020008472, -3.9202302050947346],
            [6576.813377013359, -633.6896105579302, -1.668394813648812e+23, 1.8232932403557994e+23, 1.668394813648812e+23, -1.8232932403557994e+23, 6.983376108009216e+19, 0.00525630867075673, 0.0016556147158518707, -565.1264214478366, -816.9385963733071, 825.6269284395364, 556.4380893812312, 190.8787578753615, -3.9202302050947346]),
    };

    public static TheoryData<string> Names() => [.. OdeTestProblems.Stiff.Select(p => p.Name)];

    [Fact]
    public void Stiff_IsTheEightProblems_EachWithAJacobian_AndAllIsUnchanged()
    {
        Assert.Equal(["ROBER_40", "ROBER_1e11", "VDPOL", "HIRES", "OREGO", "E5", "POLLU", "RINGMOD"], OdeTestProblems.Stiff.Select(p => p.Name));
        Assert.All(OdeTestProblems.Stiff, p => Assert.Equal("stiff", p.Category));
        Assert.All(OdeTestProblems.Stiff, p => Assert.NotNull(p.Jacobian));
        Assert.All(OdeTestProblems.Stiff, p => Assert.Same(p.Jacobian, p.ToProblem().Jacobian));
        Assert.Equal(OdeTestProblems.NonStiff, OdeTestProblems.All);
        Assert.All(OdeTestProblems.NonStiff, p => Assert.Null(p.ToProblem().Jacobian));
        Assert.Same(OdeTestProblems.Stiff[2], OdeTestProblems.Get("vdpol"));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Data_MatchesTheReferenceModule_AndProblemsJson(string name)
    {
        OdeTestProblem p = OdeTestProblems.Get(name);
        Expected e = s_expected[name];
        Assert.Equal(e.T0, p.T0);
        Assert.Equal(e.T1, p.T1);
        Assert.Equal(e.Y0, p.InitialState.ToArray());
        Assert.True(p.HasReference);
        Assert.Equal(e.Reference, p.ReferenceFinal.ToArray());
        Assert.NotEmpty(p.ReferenceSource);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Rhs_MatchesThePythonReference_AtY0_AndAtTheReferenceEndState(string name)
    {
        OdeTestProblem p = OdeTestProblems.Get(name);
        Expected e = s_expected[name];
        AssertClose(e.FAtY0, Rhs(p, p.T0, e.Y0), name + " at y0");
        AssertClose(e.FAtReference, Rhs(p, p.T1, e.Reference), name + " at the reference end state");
        AssertClose(e.FAtMidTimeAndReference, Rhs(p, p.T0 + 0.37 * (p.T1 - p.T0), e.Reference), name + " at t0 + 0.37 (tf − t0)");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Jacobian_MatchesCentralDifferences_AtY0_AndAtTheReferenceEndState(string name)
    {
        OdeTestProblem p = OdeTestProblems.Get(name);
        AssertJacobian(p, p.T0, p.InitialState.ToArray());
        AssertJacobian(p, p.T1, p.ReferenceFinal.ToArray());
        // A generic interior point (every component non-zero and of its own size): y0 + reference + 0.1·|reference|·k.
        double[] mid = new double[p.Dimension];
        for (int k = 0; k < mid.Length; k++)
            mid[k] = p.InitialState[k] + p.ReferenceFinal[k] * (1 + 0.1 * k) + 1e-3 * (k + 1) * Math.Abs(p.InitialState[k] + p.ReferenceFinal[k]);
        AssertJacobian(p, p.T0 + 0.37 * (p.T1 - p.T0), mid);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void IsAutonomous_IsTrueExactlyWhenFDoesNotDependOnT(string name)
    {
        OdeTestProblem p = OdeTestProblems.Get(name);
        double[] y = p.ReferenceFinal.ToArray();
        bool same = Rhs(p, p.T0, y).AsSpan().SequenceEqual(Rhs(p, p.T0 + 0.37 * (p.T1 - p.T0), y))
            && Rhs(p, p.T0, y).AsSpan().SequenceEqual(Rhs(p, p.T1, y));
        Assert.Equal(same, p.IsAutonomous);
        Assert.Equal(p.IsAutonomous, p.ToProblem().IsAutonomous);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void RhsAndJacobian_DoNotAllocate(string name)
    {
        OdeTestProblem p = OdeTestProblems.Get(name);
        double[] y = p.ReferenceFinal.ToArray(), dy = new double[p.Dimension], jac = new double[p.Dimension * p.Dimension];
        p.Rhs(p.T1, y, dy);
        p.Jacobian!(p.T1, y, jac);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            p.Rhs(p.T1, y, dy);
            p.Jacobian(p.T1, y, jac);
        }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Theory]
    [InlineData("ROBER_40")]
    [InlineData("ROBER_1e11")]
    public void Rober_ConservesMass_ExactlyInTheRhs(string name)
    {
        OdeTestProblem p = OdeTestProblems.Get(name);
        var random = new Random(6);
        double[] y = new double[3], dy = new double[3];
        for (int i = 0; i < 1000; i++)
        {
            y[0] = random.NextDouble();
            y[1] = Math.Pow(10, -12 + 11 * random.NextDouble());   // 1e-12 … 0.1, log-uniform
            y[2] = random.NextDouble();
            p.Rhs(0, y, dy);
            Assert.Equal(0.0, (dy[0] + dy[2]) + dy[1]);
        }
    }

    [Fact]
    public void Hires_Y8Prime_IsExactlyMinusY7Prime()
    {
        OdeTestProblem p = OdeTestProblems.Get("HIRES");
        double[] dy = new double[8];
        p.Rhs(0, s_expected["HIRES"].Reference, dy);
        Assert.Equal(0.0, dy[6] + dy[7]);
    }

    /// <summary>DP5 at rtol 1e-6 on ROBER over [0, 1e-3] (the initial transient, before stiffness makes an explicit
    /// method impractical) lands on scipy's Radau at rtol 1e-13 (stiff_expected.py):
    /// y(1e-3) = [0.9999600015632186, 2.916903494488159e-05, 1.082940183796469e-05].</summary>
    [Fact]
    public void Rober_ShortTransient_Dp5AgreesWithRadau()
    {
        OdeTestProblem rober = OdeTestProblems.Get("ROBER_40");
        var problem = new OdeProblem<double>(rober.Rhs, rober.InitialState, 0.0, 1e-3, "ROBER short");
        OdeSolution<double> s = Ode.Solve(problem, OdeMethods.DormandPrince54,
            new OdeOptions { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-12, Save = SaveAt.FinalOnly }).EnsureSuccess();
        double[] radau = [0.9999600015632186, 2.916903494488159e-05, 1.082940183796469e-05];
        for (int k = 0; k < 3; k++)
            Assert.True(Math.Abs(s.Y[k] - radau[k]) <= 1e-5 * Math.Abs(radau[k]) + 1e-12, $"y{k + 1}: {s.Y[k]} vs {radau[k]}");
        Assert.Equal(1.0, s.Y[0] + s.Y[1] + s.Y[2], 1e-13);
    }

    private static double[] Rhs(OdeTestProblem p, double t, double[] y)
    {
        double[] dy = new double[y.Length];
        p.Rhs(t, y, dy);
        return dy;
    }

    /// <summary>Agreement to 1e-12 relative per component, with an absolute floor of 1e-14 · max|f| for components
    /// that are a cancellation of larger terms.</summary>
    private static void AssertClose(double[] expected, double[] actual, string what)
    {
        double floor = 1e-14 * expected.Max(Math.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-12 * Math.Abs(expected[i]) + floor,
                $"{what}: f{i + 1} = {actual[i]:R}, Python {expected[i]:R}");
    }

    /// <summary>
    /// Compares the analytic Jacobian with central differences (fᵢ(y + hⱼeⱼ) − fᵢ(y − hⱼeⱼ))/(2hⱼ), hⱼ = 1e-5·sⱼ,
    /// sⱼ = max(|yⱼ|, 1e-6·max|y|) (1e-3 when y = 0). The right-hand sides are at most quadratic in each component, so
    /// the differences are exact up to rounding, except RINGMOD's diode exponentials exp(δU), δ = 17.7, where the
    /// truncation error is (δhⱼ)²/6 ≤ 1e-7 relative. Entries are compared by their effect Jᵢⱼsⱼ on fᵢ: the error must be below 1e-6 of the
    /// largest effect in row i (and of |Jᵢⱼsⱼ| itself when that is the largest).
    /// </summary>
    private static void AssertJacobian(OdeTestProblem p, double t, double[] y)
    {
        int n = p.Dimension;
        double[] jac = new double[n * n];
        jac.AsSpan().Fill(double.NaN);
        p.Jacobian!(t, y, jac);
        double yMax = y.Max(Math.Abs);
        double[] scale = [.. y.Select(v => Math.Max(Math.Abs(v), yMax > 0 ? 1e-6 * yMax : 1e-3))];
        double[] fd = new double[n * n], yp = new double[n], fPlus = new double[n], fMinus = new double[n];
        for (int j = 0; j < n; j++)
        {
            double h = 1e-5 * scale[j];
            y.CopyTo(yp, 0);
            yp[j] = y[j] + h;
            p.Rhs(t, yp, fPlus);
            yp[j] = y[j] - h;
            p.Rhs(t, yp, fMinus);
            for (int i = 0; i < n; i++) fd[i * n + j] = (fPlus[i] - fMinus[i]) / (2 * h);
        }
        for (int i = 0; i < n; i++)
        {
            double rowEffect = 0;
            for (int j = 0; j < n; j++) rowEffect = Math.Max(rowEffect, Math.Abs(jac[i * n + j] * scale[j]));
            for (int j = 0; j < n; j++)
            {
                double err = Math.Abs(jac[i * n + j] - fd[i * n + j]) * scale[j];
                Assert.True(err <= 1e-6 * rowEffect, $"{p.Name} at t = {t}: J[{i + 1},{j + 1}] = {jac[i * n + j]:R}, central difference {fd[i * n + j]:R}");
            }
        }
    }
}
