namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// Weak convergence by the recipes of sde.md §5.3: (a) Monte Carlo moments of ensembles against the exact discrete
/// moments of the schemes on linear problems (no discretisation bias in the expectation, bounds of 5 standard errors
/// from the exact moments); (a') the exact weak errors of the implementation on GBM, where one step multiplies the state
/// by a polynomial Z(W, H) whose moments a Gauss–Hermite rule gives exactly; (b) weak-order slopes on the nonlinear
/// additive problem by common random numbers against a fine reference on the same paths.
/// </summary>
public class SdeWeakOrderTests(ITestOutputHelper output)
{
    private const double Mu = SdeReferenceProblems.GbmMu, Sigma = SdeReferenceProblems.GbmSigma, X0 = SdeReferenceProblems.GbmX0;

    // ---------------------------------------------------------------- (a) exact discrete moments, Monte Carlo

    [Fact]
    public void Euler_maruyama_on_gbm_has_the_exact_discrete_moments()
    {
        const int m = 200_000, n = 16;
        double h = 1.0 / n, a = 1 + Mu * h;
        // E X_N = X0 aᴺ, E X_N² = X0²(a² + σ²h)ᴺ, E X_N⁴ = X0⁴(a⁴ + 6a²σ²h + 3σ⁴h²)ᴺ (sde.md §5.3a; values of §5.5).
        double e1 = X0 * Math.Pow(a, n), e2 = X0 * X0 * Math.Pow(a * a + Sigma * Sigma * h, n);
        double e4 = Math.Pow(X0, 4) * Math.Pow(Math.Pow(a, 4) + 6 * a * a * Sigma * Sigma * h + 3 * Math.Pow(Sigma, 4) * h * h, n);
        Assert.Equal(1.331432947157, e1, 1e-11);
        Assert.Equal(3.416305501837, e2, 1e-11);
        double tol1 = 5 * Math.Sqrt((e2 - e1 * e1) / m), tol2 = 5 * Math.Sqrt((e4 - e2 * e2) / m);
        Assert.Equal(0.0143, tol1, 1e-4); // the concrete bounds of sde.md §5.5
        Assert.Equal(0.117, tol2, 1e-3);

        var r = SdeEnsemble.Solve(SdeReferenceProblems.Gbm(), EulerMaruyama.Instance, new SdeOptions { FixedStep = h, Seed = 20261202 },
            new SdeEnsembleOptions { Paths = m, Quantiles = [] });
        Assert.Equal(SdeStatus.Success, r.Status);
        Assert.Equal(m, r.SuccessfulPaths);
        Assert.Equal(m * (long)n, r.Stats.AcceptedSteps);
        double m1 = r.Mean[0], m2 = r.Variance[0] * (m - 1) / m + m1 * m1;
        output.WriteLine($"EM GBM N=16: mean X {m1:F5} (exact {e1:F5}, ±{tol1:F4}), mean X² {m2:F4} (exact {e2:F4}, ±{tol2:F3})");
        Assert.InRange(m1 - e1, -tol1, tol1);
        Assert.InRange(m2 - e2, -tol2, tol2);
    }

    [Fact]
    public void Milstein_on_gbm_has_the_exact_discrete_second_moment()
    {
        const int m = 100_000, n = 16;
        double h = 1.0 / n;
        // One Itô Milstein step multiplies X by Z = 1 + μh + σW + ½σ²(W² − h), W = √h ξ; E X_Nᵏ = X0ᵏ (E Zᵏ)ᴺ with E Zᵏ
        // exact by Gauss–Hermite (Z⁴ has degree 8 ≤ 9).
        double Z(double xi) => 1 + Mu * h + Sigma * Math.Sqrt(h) * xi + 0.5 * Sigma * Sigma * h * (xi * xi - 1);
        double ez1 = GaussHermite5.Expect(Z), ez2 = GaussHermite5.Expect(x => Math.Pow(Z(x), 2)), ez4 = GaussHermite5.Expect(x => Math.Pow(Z(x), 4));
        double a = 1 + Mu * h;
        Assert.Equal(a, ez1, 1e-14);
        Assert.Equal(a * a + Sigma * Sigma * h + Math.Pow(Sigma, 4) * h * h / 2, ez2, 1e-14); // sde.md §5.3a
        double e1 = X0 * Math.Pow(ez1, n), e2 = X0 * X0 * Math.Pow(ez2, n), e4 = Math.Pow(X0, 4) * Math.Pow(ez4, n);
        Assert.Equal(3.468618004298, e2, 1e-11);
        double tol1 = 5 * Math.Sqrt((e2 - e1 * e1) / m), tol2 = 5 * Math.Sqrt((e4 - e2 * e2) / m);

        var r = SdeEnsemble.Solve(SdeReferenceProblems.Gbm(), Milstein.Instance, new SdeOptions { FixedStep = h, Seed = 7 },
            new SdeEnsembleOptions { Paths = m, Quantiles = [] });
        Assert.Equal(SdeStatus.Success, r.Status);
        double m1 = r.Mean[0], m2 = r.Variance[0] * (m - 1) / m + m1 * m1;
        output.WriteLine($"Milstein GBM N=16: mean X {m1:F5} (exact {e1:F5}, ±{tol1:F4}), mean X² {m2:F4} (exact {e2:F4}, ±{tol2:F3})");
        Assert.InRange(m1 - e1, -tol1, tol1);
        Assert.InRange(m2 - e2, -tol2, tol2);
    }

    public static TheoryData<string, double, double> OuSchemes => new()
    {
        // method, tabulated E X_N, Var X_N for N = 16 (sde.md §5.5, ou_discrete_moments.csv)
        { "euler-maruyama", 0.881932912979, 0.168287601146 },
        { "sra1", 0.863888261412, 0.156615854671 },
        { "shark", 0.863888261412, 0.156587799639 },
    };

    [Theory]
    [MemberData(nameof(OuSchemes))]
    public void Ou_mean_and_variance_follow_the_linear_recursion_of_the_scheme(string name, double tabulatedMean, double tabulatedVar)
    {
        const int m = 100_000, n = 16;
        const double theta = SdeReferenceProblems.OuTheta, mu = SdeReferenceProblems.OuMu, sigma = SdeReferenceProblems.OuSigma;
        double h = 1.0 / n, th = theta * h;
        // On OU these schemes are X⁺ = R X + (1 − R)μ + σ(c_W W + c_H H) (sde.md §5.3a), so
        // E X_N = μ + (X0 − μ)Rᴺ and Var X_N = q(1 − R²ᴺ)/(1 − R²), q = σ²h(c_W² + c_H²/12).
        (double r, double cw, double ch) = name switch
        {
            "euler-maruyama" => (1 - th, 1.0, 0.0),
            "sra1" => (1 - th + th * th / 2, 1 - th / 2, -th),
            _ => (1 - th + th * th / 2, 1 - th / 2, -th + th * th / 2),
        };
        double q = sigma * sigma * h * (cw * cw + ch * ch / 12);
        double mean = mu + (0 - mu) * Math.Pow(r, n), variance = q * (1 - Math.Pow(r, 2 * n)) / (1 - r * r);
        Assert.Equal(tabulatedMean, mean, 1e-11);
        Assert.Equal(tabulatedVar, variance, 1e-11);

        // The save times n = 4, 8, 12 are checked against the same recursion (the fixed-step save path of the ensemble).
        int[] saveSteps = [4, 8, 12, 16];
        var result = SdeEnsemble.Solve(SdeReferenceProblems.Ou(), SdeMethods.Get(name),
            new SdeOptions { FixedStep = h, Seed = 11, SaveTimes = [.. saveSteps.Select(k => k * h)] },
            new SdeEnsembleOptions { Paths = m, Quantiles = [] });
        Assert.Equal(SdeStatus.Success, result.Status);
        // The numerical solution is exactly Gaussian: se(mean) = √(var/M), se(var) = var·√(2/(M − 1)).
        double tolVar = 5 * Math.Sqrt(2.0 / (m - 1));
        for (int i = 0; i < saveSteps.Length; i++)
        {
            int k = saveSteps[i];
            double meanK = mu + (0 - mu) * Math.Pow(r, k), varK = q * (1 - Math.Pow(r, 2 * k)) / (1 - r * r);
            double tolMean = 5 * Math.Sqrt(varK / m);
            output.WriteLine($"OU {name} n={k}: mean {result.SaveMeans[i][0]:F5} (exact {meanK:F5}, ±{tolMean:F4}), var/var* − 1 = {result.SaveVariances[i][0] / varK - 1:+0.0000;-0.0000} (±{tolVar:F4})");
            Assert.InRange(result.SaveMeans[i][0] - meanK, -tolMean, tolMean);
            Assert.InRange(result.SaveVariances[i][0] / varK - 1, -tolVar, tolVar);
        }
        Assert.Equal(result.Mean[0], result.SaveMeans[^1][0]);
        Assert.Equal(result.Variance[0], result.SaveVariances[^1][0]);
    }

    [Fact]
    public void Euler_maruyama_on_the_commutative_2d_problem_has_the_exact_discrete_moments()
    {
        // EM on dX = AX dt + Σⱼ BⱼX dWⱼ is X⁺ = (I + Ah + Σⱼ BⱼWⱼ)X, so m⁺ = (I + Ah)m and
        // S⁺ = (I + Ah)S(I + Ah)ᵀ + h Σⱼ BⱼSBⱼᵀ for S = E XXᵀ. A and Bⱼ are read off the problem's own f and G at unit vectors.
        const int m = 40_000, n = 16;
        double h = 1.0 / n;
        var problem = SdeReferenceProblems.Commutative2();
        var a = new double[2, 2];
        var b = new double[2, 2, 2]; // b[j, k, l] = (Bⱼ)_kl
        Span<double> f = stackalloc double[2], g = stackalloc double[4];
        for (int l = 0; l < 2; l++)
        {
            double[] e = l == 0 ? [1.0, 0.0] : [0.0, 1.0];
            problem.Drift(0, e, f);
            problem.Diffusion(0, e, g);
            for (int k = 0; k < 2; k++)
            {
                a[k, l] = f[k];
                for (int j = 0; j < 2; j++) b[j, k, l] = g[k * 2 + j];
            }
        }
        double[] mean = [1.0, 0.5];
        var second = new double[2, 2] { { 1.0, 0.5 }, { 0.5, 0.25 } };
        for (int step = 0; step < n; step++)
        {
            var p = new double[2, 2]; // I + Ah
            for (int k = 0; k < 2; k++)
                for (int l = 0; l < 2; l++) p[k, l] = (k == l ? 1 : 0) + h * a[k, l];
            mean = [p[0, 0] * mean[0] + p[0, 1] * mean[1], p[1, 0] * mean[0] + p[1, 1] * mean[1]];
            var next = new double[2, 2];
            for (int k = 0; k < 2; k++)
                for (int l = 0; l < 2; l++)
                    for (int u = 0; u < 2; u++)
                        for (int v = 0; v < 2; v++)
                        {
                            next[k, l] += p[k, u] * second[u, v] * p[l, v];
                            for (int j = 0; j < 2; j++) next[k, l] += h * b[j, k, u] * second[u, v] * b[j, l, v];
                        }
            second = next;
        }
        var r = SdeEnsemble.Solve(problem, EulerMaruyama.Instance, new SdeOptions { FixedStep = h, Seed = 31 },
            new SdeEnsembleOptions { Paths = m, Quantiles = [] });
        Assert.Equal(SdeStatus.Success, r.Status);
        for (int k = 0; k < 2; k++)
        {
            double variance = second[k, k] - mean[k] * mean[k];
            double tol = 5 * Math.Sqrt(variance / m);
            output.WriteLine($"COMM2 EM N=16 component {k}: mean {r.Mean[k]:F5} (exact {mean[k]:F5} ±{tol:F5}), variance {r.Variance[k]:F5} (exact {variance:F5})");
            Assert.InRange(r.Mean[k] - mean[k], -tol, tol);
        }
    }

    [Fact]
    public void Stratonovich_gbm_by_euler_maruyama_uses_the_ito_drift()
    {
        // dX = μX dt + σX∘dW is the Itô SDE with drift (μ + σ²/2)X; EM on the converted drift has E X_N = X0(1 + (μ + σ²/2)h)ᴺ,
        // E X_N² = X0²((1 + (μ + σ²/2)h)² + σ²h)ᴺ; the unconverted drift would give X0(1 + μh)ᴺ = 1.33 instead of 1.89.
        const int m = 50_000, n = 16;
        double h = 1.0 / n, a = 1 + (Mu + Sigma * Sigma / 2) * h;
        var ito = SdeReferenceProblems.Gbm();
        var stratonovich = new SdeProblem(ito.Drift, ito.Diffusion, [X0], 0, 1, SdeNoise.Diagonal, calculus: SdeCalculus.Stratonovich)
        {
            DiffusionDerivative = ito.DiffusionDerivative,
        };
        double e1 = X0 * Math.Pow(a, n), e2 = X0 * X0 * Math.Pow(a * a + Sigma * Sigma * h, n);
        double tol = 5 * Math.Sqrt((e2 - e1 * e1) / m);
        var r = SdeEnsemble.Solve(stratonovich, EulerMaruyama.Instance, new SdeOptions { FixedStep = h, Seed = 17 },
            new SdeEnsembleOptions { Paths = m, Quantiles = [] });
        output.WriteLine($"Stratonovich GBM, EM N=16: mean {r.Mean[0]:F4} (exact {e1:F4} ±{tol:F4}; unconverted {X0 * Math.Pow(1 + Mu * h, n):F4})");
        Assert.InRange(r.Mean[0] - e1, -tol, tol);
    }

    // ---------------------------------------------------------------- (a') exact weak errors on GBM by quadrature

    /// <summary>
    /// E Z and E Z² of the method's one-step map on GBM (y0 = 1 over one step h): the step is linear in y, and Z is a
    /// polynomial of degree ≤ 3 in (W, H) for every method here, so the 5 × 5 Gauss–Hermite rule (exact to degree 9 in
    /// each variable) gives E Z² exactly. The map is evaluated by the library's own step through a prescribed path.
    /// </summary>
    private static (double Ez1, double Ez2) OneStepMoments(SdeMethod method, double h)
    {
        var problem = SdeReferenceProblems.Gbm(x0: 1.0);
        var oneStep = new SdeProblem(problem.Drift, problem.Diffusion, [1.0], 0, h, SdeNoise.Diagonal) { DiffusionDerivative = problem.DiffusionDerivative };
        var path = new PrescribedIncrementPath(1, 0, h);
        var options = new SdeOptions { FixedStep = h };
        double ez1 = 0, ez2 = 0;
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 5; j++)
            {
                path.W[0] = Math.Sqrt(h) * GaussHermite5.Nodes[i];
                path.H[0] = Math.Sqrt(h / 12) * GaussHermite5.Nodes[j];
                double z = Sde.Solve(oneStep, method, options, path).EnsureSuccess().Y[0];
                double w = GaussHermite5.Weights[i] * GaussHermite5.Weights[j];
                ez1 += w * z;
                ez2 += w * z * z;
            }
        return (ez1, ez2);
    }

    [Fact]
    public void Exact_weak_errors_on_gbm_show_the_weak_orders()
    {
        double exact1 = X0 * Math.Exp(Mu), exact2 = X0 * X0 * Math.Exp(2 * Mu + Sigma * Sigma);
        Assert.Equal(4.017282338753, exact2, 1e-11);
        int[] steps = [16, 32, 64, 128, 256, 512];
        double[] hs = [.. steps.Select(n => 1.0 / n)];
        // method, expected weak order (sde.md §3.7; SRIW1's 2 is SciML's claim, sde.md §8 item 7)
        (SdeMethod Method, double Order)[] cases =
            [(EulerMaruyama.Instance, 1), (Milstein.Instance, 1), (StochasticHeun.Instance, 1), (SriMethod.Sriw1, 2)];
        foreach (var (method, order) in cases)
        {
            var err1 = new double[steps.Length];
            var err2 = new double[steps.Length];
            for (int l = 0; l < steps.Length; l++)
            {
                double h = hs[l];
                var (ez1, ez2) = OneStepMoments(method, h);
                if (method == EulerMaruyama.Instance)
                {
                    Assert.Equal(1 + Mu * h, ez1, 1e-14);
                    Assert.Equal(Math.Pow(1 + Mu * h, 2) + Sigma * Sigma * h, ez2, 1e-14);
                }
                else if (method == Milstein.Instance)
                    Assert.Equal(Math.Pow(1 + Mu * h, 2) + Sigma * Sigma * h + Math.Pow(Sigma, 4) * h * h / 2, ez2, 1e-14);
                err1[l] = Math.Abs(X0 * Math.Pow(ez1, steps[l]) - exact1);
                err2[l] = Math.Abs(X0 * X0 * Math.Pow(ez2, steps[l]) - exact2);
            }
            double p1 = SdeReferenceProblems.Slope(hs, err1), p2 = SdeReferenceProblems.Slope(hs, err2);
            output.WriteLine($"GBM exact weak errors {method.Name,-16} E X: {string.Join(" ", err1.Select(e => e.ToString("E2")))} slope {p1:F3};  E X²: {string.Join(" ", err2.Select(e => e.ToString("E2")))} slope {p2:F3}");
            // No Monte Carlo error here, so the ±0.2 windows only absorb the pre-asymptotic curvature.
            Assert.InRange(p1, order - 0.2, order + 0.2);
            Assert.InRange(p2, order - 0.2, order + 0.2);
        }
    }

    // ---------------------------------------------------------------- (a'') exact one-step maps of the additive methods

    /// <summary>One step of <paramref name="method"/> on <paramref name="problem"/> (which spans exactly one step) with the
    /// prescribed increment (W, H).</summary>
    private static double OneStep(SdeProblem problem, SdeMethod method, double w, double hArea)
    {
        var path = new PrescribedIncrementPath(1, problem.T0, problem.T1);
        path.W[0] = w;
        path.H[0] = hArea;
        return Sde.Solve(problem, method, new SdeOptions { FixedStep = problem.T1 - problem.T0 }, path).EnsureSuccess().Y[0];
    }

    /// <summary>x = (I + zL)⁻¹ v for a strictly lower-triangular L stored by rows.</summary>
    private static double[] SolveUnitLower(double[][] l, double z, double[] v)
    {
        var x = new double[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            double s = v[i];
            for (int j = 0; j < l[i].Length; j++) s -= z * l[i][j] * x[j];
            x[i] = s;
        }
        return x;
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    [Fact]
    public void Additive_methods_on_ou_are_the_affine_maps_of_their_tableaux()
    {
        // With f(x) = −θ(x − μ) and constant g the stages solve (I + zA)v = u e + g(noise weights), z = θh, u = y − μ, so
        // the step is y⁺ − μ = R u + g(c_W W + c_H H) with (Rößler layout, ζ = W/2 + H)
        //   R = 1 − z α·(I + zA0)⁻¹e,  c_W = 1 − (z/2) α·(I + zA0)⁻¹B0e,  c_H = −z α·(I + zA0)⁻¹B0e,
        // and (W, H layout) R = 1 − z b·(I + zA)⁻¹e, c_W = 1 − z b·(I + zA)⁻¹aW, c_H = −z b·(I + zA)⁻¹aH.
        // (These give the R, c_W, c_H of sde.md §5.3a for SRA1 and ShARK.) Checked against the library's step exactly.
        const double theta = SdeReferenceProblems.OuTheta, mu = SdeReferenceProblems.OuMu, g = SdeReferenceProblems.OuSigma;
        var cases = new List<(SdeMethod Method, Func<double, (double R, double CW, double CH)> Map)>
        {
            (EulerMaruyama.Instance, z => (1 - z, 1, 0)),
            (StochasticHeun.Instance, z => (1 - z + z * z / 2, 1 - z / 2, 0)),
        };
        foreach (var sra in new[] { SraMethod.Sra1, SraMethod.Sra3, SraMethod.Sosra })
        {
            var t = sra.Tableau;
            var e = Enumerable.Repeat(1.0, t.Stages).ToArray();
            var b0e = t.B0.Select(row => row.Sum()).ToArray();
            cases.Add((sra, z => (1 - z * Dot(t.Alpha, SolveUnitLower(t.A0, z, e)),
                1 - z / 2 * Dot(t.Alpha, SolveUnitLower(t.A0, z, b0e)), -z * Dot(t.Alpha, SolveUnitLower(t.A0, z, b0e)))));
        }
        foreach (var srk in new[] { AdditiveSrkMethod.ShArk, AdditiveSrkMethod.Sea })
        {
            var t = srk.Tableau;
            var e = Enumerable.Repeat(1.0, t.Stages).ToArray();
            cases.Add((srk, z => (1 - z * Dot(t.B, SolveUnitLower(t.A, z, e)),
                1 - z * Dot(t.B, SolveUnitLower(t.A, z, t.AW)), -z * Dot(t.B, SolveUnitLower(t.A, z, t.AH)))));
        }
        foreach (double h in new[] { 0.3, 1.0 / 16 })
        {
            var ou = SdeReferenceProblems.Ou();
            var oneStep = new SdeProblem(ou.Drift, ou.Diffusion, [0.0], 0, h, SdeNoise.Additive);
            var shifted = new SdeProblem(ou.Drift, ou.Diffusion, [0.7], 0, h, SdeNoise.Additive);
            foreach (var (method, map) in cases)
            {
                var (r, cw, ch) = map(theta * h);
                foreach (var (w, hh) in new[] { (0.0, 0.0), (0.4, 0.0), (0.0, 0.1), (-0.3, 0.05) })
                {
                    double expected0 = mu + r * (0 - mu) + g * (cw * w + ch * hh);
                    double expected1 = mu + r * (0.7 - mu) + g * (cw * w + ch * hh);
                    Assert.Equal(expected0, OneStep(oneStep, method, w, hh), 1e-14);
                    Assert.Equal(expected1, OneStep(shifted, method, w, hh), 1e-14);
                }
                if (h == 1.0 / 16) output.WriteLine($"OU one-step map {method.Name,-16} h = 1/16: R = {r:F10}, c_W = {cw:F10}, c_H = {ch:+0.0000000000;-0.0000000000}");
            }
        }
    }

    [Fact]
    public void Additive_methods_integrate_a_linear_in_time_diffusion_exactly()
    {
        // dX = (1 + 2t) dW from t = 0.3: the exact step is g(t)W + (g(t + h) − g(t))(W/2 − H) (∫(r − t)dW_r = h(W/2 − H),
        // sde.md §1.1). The SRA conditions β1·c1 = 1, β2·c1 = −1 and ShARK/SEA's correction term make it exact; Euler–Maruyama
        // (g(t)W) is the negative control.
        const double t0 = 0.3, h = 0.25;
        var problem = new SdeProblem((t, y, f) => f[0] = 0, (t, y, gg) => gg[0] = 1 + 2 * t, [0.0], t0, t0 + h, SdeNoise.Additive);
        double g0 = 1 + 2 * t0, g1 = 1 + 2 * (t0 + h);
        foreach (var method in new SdeMethod[] { SraMethod.Sra1, SraMethod.Sra3, SraMethod.Sosra, AdditiveSrkMethod.ShArk, AdditiveSrkMethod.Sea })
            foreach (var (w, hh) in new[] { (0.5, 0.0), (0.0, 0.12), (-0.7, -0.04) })
                Assert.Equal(g0 * w + (g1 - g0) * (w / 2 - hh), OneStep(problem, method, w, hh), 1e-13);
        Assert.NotEqual(g0 * 0.5 + (g1 - g0) * 0.25, OneStep(problem, EulerMaruyama.Instance, 0.5, 0.0), 1e-3);
    }

    // ---------------------------------------------------------------- (b) common random numbers on NLADD

    [Fact]
    public void Weak_order_slopes_on_the_nonlinear_additive_problem_by_common_random_numbers()
    {
        // e(h) = E[φ(X_N) − φ(X_ref)] with the same Brownian path for both (sde.md §5.3b); the reference is ShARK at
        // h = 1/128 (its weak error there, ~2e-5 for φ = x², is under 7% of the smallest e(h) below). Levels h = 1/4 … 1/32
        // (h = 1/2 is pre-asymptotic: it lifts the order-2 slopes to ~2.2 in the reference python).
        const int paths = 10_000, fine = 128, blockSize = 250;
        int[] levels = [4, 8, 16, 32];
        SdeMethod[] methods = [EulerMaruyama.Instance, SraMethod.Sra1, AdditiveSrkMethod.ShArk, SraMethod.Sra3];
        var problem = SdeReferenceProblems.NonlinearAdditive();
        int cells = methods.Length * levels.Length * 2; // (φ = x, φ = x²)
        int blocks = paths / blockSize;
        var sums = new double[blocks, cells];
        var squares = new double[blocks, cells];
        Parallel.For(0, blocks, () => new CachedGridPath(fine, 99), (b, _, path) =>
        {
            var referenceOptions = new SdeOptions { FixedStep = 1.0 / fine };
            for (int p = b * blockSize; p < (b + 1) * blockSize; p++)
            {
                path.Load((ulong)p);
                double reference = Sde.Solve(problem, AdditiveSrkMethod.ShArk, referenceOptions, path).EnsureSuccess().Y[0];
                for (int k = 0; k < methods.Length; k++)
                    for (int l = 0; l < levels.Length; l++)
                    {
                        double x = Sde.Solve(problem, methods[k], new SdeOptions { FixedStep = 1.0 / levels[l] }, path).EnsureSuccess().Y[0];
                        int c = (k * levels.Length + l) * 2;
                        double d1 = x - reference, d2 = x * x - reference * reference;
                        sums[b, c] += d1;
                        squares[b, c] += d1 * d1;
                        sums[b, c + 1] += d2;
                        squares[b, c + 1] += d2 * d2;
                    }
            }
            return path;
        }, _ => { });

        double[] hs = [.. levels.Select(n => 1.0 / n)];
        for (int k = 0; k < methods.Length; k++)
            for (int phi = 0; phi < 2; phi++)
            {
                var e = new double[levels.Length];
                var ratio = new double[levels.Length];
                for (int l = 0; l < levels.Length; l++)
                {
                    int c = (k * levels.Length + l) * 2 + phi;
                    double s = 0, s2 = 0;
                    for (int b = 0; b < blocks; b++) { s += sums[b, c]; s2 += squares[b, c]; }
                    double mean = s / paths, sd = Math.Sqrt((s2 / paths - mean * mean) * paths / (paths - 1));
                    e[l] = mean;
                    ratio[l] = 5 * sd / Math.Sqrt(paths) / Math.Abs(mean);
                }
                double slope = SdeReferenceProblems.Slope(hs, [.. e.Select(Math.Abs)]);
                output.WriteLine($"NLADD weak {methods[k].Name,-16} φ = {(phi == 0 ? "x " : "x²")}: e(h) {string.Join(" ", e.Select(v => v.ToString("+0.00E+0;-0.00E+0")))}  5se/|e| {string.Join(" ", ratio.Select(v => v.ToString("F2")))}  slope {slope:F3}");
                // Asserted for φ = x², where the recipe's precision requirement (5 s.e. ≤ 0.2|e|, sde.md §5.3b) nearly holds
                // with these paths up to the finest level (≤ 0.3 required); φ = x is only reported (5 s.e. ≈ 0.3|e| at h = 1/32).
                if (phi == 0) continue;
                double expected = methods[k] == EulerMaruyama.Instance ? 1.0 : 2.0;
                if (methods[k] == SraMethod.Sra3)
                {
                    // SRA3 is documented as weak order 3 (SciML docstring, sde.md §8 item 7) but measures ≈ 2.0 here and in
                    // the reference python (5 s.e. ≈ 0.34|e| at h = 1/32): only order ≥ 1.8 is asserted, the slope is reported.
                    Assert.True(slope >= expected - 0.2, $"sra3 weak slope {slope:F3}");
                    continue;
                }
                Assert.All(ratio, v => Assert.True(v <= 0.3, $"{methods[k].Name}: Monte Carlo error too large for a slope ({v:F2})"));
                Assert.InRange(slope, expected - 0.2, expected + 0.2);
            }
    }
}
