using System.Text.Json;
using Ordo.Integration;

using static Ordo.Cli.Tests.CliRunner;

namespace Ordo.Cli.Tests;

/// <summary><c>ordo solve</c>, <c>ordo check</c> and <c>ordo methods</c> on <c>sde</c> files, run in-process. Statistical
/// assertions compare with closed forms within 5 standard errors computed from exact moments (sde.md §5).</summary>
public sealed class SdeCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ordo-cli-sde-" + Guid.NewGuid().ToString("N"));

    public SdeCommandTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content.Replace('\'', '"'));
        return path;
    }

    private static double[] Numbers(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    /// <summary>E X^k of GBM at t = 1: X0^k exp(kμ + k(k−1)σ²/2).</summary>
    private static double GbmMoment(int k, double x0 = 0.5, double mu = 1.01, double sigma = 0.87) =>
        Math.Pow(x0, k) * Math.Exp(k * mu + k * (k - 1) * sigma * sigma / 2);

    /// <summary>Mean, variance, and the standard errors of the sample mean and sample variance of N draws, from the raw
    /// moments m1..m4.</summary>
    private static (double Mean, double Var, double SeMean, double SeVar) Sampling(double m1, double m2, double m3, double m4, int n)
    {
        double var = m2 - m1 * m1;
        double mu4 = m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * Math.Pow(m1, 4);
        return (m1, var, Math.Sqrt(var / n), Math.Sqrt((mu4 - var * var) / n));
    }

    [Fact]
    public void Solve_Gbm_GivesTheContractObjectAndTheClosedFormWithinFiveStandardErrors()
    {
        const int paths = 2000;
        JsonElement r = RunJson("solve", Example("gbm.json"), "--paths", paths.ToString(), "--json");
        Assert.Equal(["kind", "name", "method", "status", "paths", "t_final", "mean", "variance", "quantiles", "stats", "error", "time_ms",
            "successful_paths", "seed", "noise", "calculus", "noise_dim", "rtol", "atol", "brownian_leaf", "repeat"], Names(r));
        Assert.Equal("sde", r.GetProperty("kind").GetString());
        Assert.Equal("sriw1", r.GetProperty("method").GetString()); // the default for scalar noise
        Assert.Equal("success", r.GetProperty("status").GetString());
        Assert.Equal(paths, r.GetProperty("paths").GetInt32());
        Assert.Equal(paths, r.GetProperty("successful_paths").GetInt32());
        Assert.Equal(1.0, r.GetProperty("t_final").GetDouble());
        Assert.Equal(["0.05", "0.5", "0.95"], Names(r.GetProperty("quantiles")));
        Assert.Equal(["drift_evals", "diffusion_evals", "steps_accepted", "steps_rejected"], Names(r.GetProperty("stats")));
        Assert.Equal(["mean", "mean_se", "mean_z", "variance", "variance_se", "variance_z", "max_abs_z"], Names(r.GetProperty("error")));
        Assert.Equal(["median", "min"], Names(r.GetProperty("time_ms")));
        Assert.Equal(0.01, r.GetProperty("rtol").GetDouble());
        Assert.Equal(0.01, r.GetProperty("atol").GetDouble());
        // The adaptive solve's Brownian tree: default tolerance 2⁻²⁰ of the span, so its leaf is 2⁻²⁰ on [0, 1].
        Assert.Equal(Math.ScaleB(1.0, -20), r.GetProperty("brownian_leaf").GetDouble());

        var (mean, var, seMean, seVar) = Sampling(GbmMoment(1), GbmMoment(2), GbmMoment(3), GbmMoment(4), paths);
        double m = Numbers(r.GetProperty("mean"))[0], v = Numbers(r.GetProperty("variance"))[0];
        Assert.InRange(m, mean - 5 * seMean, mean + 5 * seMean);
        Assert.InRange(v, var - 5 * seVar, var + 5 * seVar);
        // Quantiles of the lognormal X0 exp((μ − σ²/2) + σZ): the median is X0 e^{μ − σ²/2}; its sample standard error is
        // √(q(1−q)/N)/pdf at the median, about 0.024 here.
        double median = 0.5 * Math.Exp(1.01 - 0.87 * 0.87 / 2);
        double pdf = 1 / (median * 0.87 * Math.Sqrt(2 * Math.PI));
        Assert.InRange(Numbers(r.GetProperty("quantiles").GetProperty("0.5"))[0], median - 5 * 0.5 / Math.Sqrt(paths) / pdf, median + 5 * 0.5 / Math.Sqrt(paths) / pdf);
        double q05 = Numbers(r.GetProperty("quantiles").GetProperty("0.05"))[0], q95 = Numbers(r.GetProperty("quantiles").GetProperty("0.95"))[0];
        Assert.True(q05 < median && median < q95);

        // The error object is the deviation from the file's reference and its Monte Carlo standard error.
        JsonElement e = r.GetProperty("error");
        Assert.Equal(m - 0.5 * Math.Exp(1.01), Numbers(e.GetProperty("mean"))[0], 1e-12);
        Assert.Equal(Math.Sqrt(v / paths), Numbers(e.GetProperty("mean_se"))[0], 1e-12);
        Assert.Equal(Numbers(e.GetProperty("mean"))[0] / Numbers(e.GetProperty("mean_se"))[0], Numbers(e.GetProperty("mean_z"))[0], 1e-12);
        // The sample standard error of the variance estimates the exact one within a factor (heavy lognormal tails).
        Assert.InRange(Numbers(e.GetProperty("variance_se"))[0], seVar / 3, seVar * 3);
        Assert.InRange(e.GetProperty("max_abs_z").GetDouble(), 0, 5);

        JsonElement stats = r.GetProperty("stats");
        long accepted = stats.GetProperty("steps_accepted").GetInt64(), rejected = stats.GetProperty("steps_rejected").GetInt64();
        Assert.True(accepted >= paths && rejected >= 0);
        Assert.True(stats.GetProperty("drift_evals").GetInt64() >= accepted + rejected);
    }

    /// <summary>Euler–Maruyama with a fixed step on GBM has exact discrete moments (sde.md §5.3):
    /// E X_N^k = X0^k (E (a + σ√h Z)^k)^N, a = 1 + μh.</summary>
    [Fact]
    public void Solve_EulerMaruyamaWithDt_MatchesItsExactDiscreteMoments()
    {
        const int paths = 20000, steps = 16;
        JsonElement r = RunJson("solve", Example("gbm.json"), "--method", "euler-maruyama", "--dt", "0.0625", "--paths", paths.ToString(), "--json");
        Assert.Equal("euler-maruyama", r.GetProperty("method").GetString());
        Assert.Equal(0.0625, r.GetProperty("dt").GetDouble());
        JsonElement stats = r.GetProperty("stats");
        Assert.Equal(paths * steps, stats.GetProperty("steps_accepted").GetInt64());
        Assert.Equal(0, stats.GetProperty("steps_rejected").GetInt64());
        Assert.Equal(paths * steps, stats.GetProperty("drift_evals").GetInt64());
        double h = 1.0 / steps, a = 1 + 1.01 * h, s2h = 0.87 * 0.87 * h;
        double[] perStep = [a, a * a + s2h, a * a * a + 3 * a * s2h, Math.Pow(a, 4) + 6 * a * a * s2h + 3 * s2h * s2h];
        double Moment(int k) => Math.Pow(0.5, k) * Math.Pow(perStep[k - 1], steps);
        Assert.Equal(1.331432947157, Moment(1), 1e-11); // sde.md §5.5
        var (mean, var, seMean, seVar) = Sampling(Moment(1), Moment(2), Moment(3), Moment(4), paths);
        Assert.InRange(Numbers(r.GetProperty("mean"))[0], mean - 5 * seMean, mean + 5 * seMean);
        Assert.InRange(Numbers(r.GetProperty("variance"))[0], var - 5 * seVar, var + 5 * seVar);
    }

    [Fact]
    public void Solve_SameSeedGivesTheSameNumbers_AnotherSeedOthers()
    {
        static string Statistics(JsonElement r) => r.GetProperty("mean").GetRawText() + r.GetProperty("variance").GetRawText()
            + r.GetProperty("quantiles").GetRawText() + r.GetProperty("stats").GetRawText();
        JsonElement a = RunJson("solve", Example("commuting-linear.json"), "--paths", "200", "--json");
        JsonElement b = RunJson("solve", Example("commuting-linear.json"), "--paths", "200", "--repeat", "2", "--json");
        JsonElement c = RunJson("solve", Example("commuting-linear.json"), "--paths", "200", "--seed", "1", "--json");
        Assert.Equal(Statistics(a), Statistics(b));
        Assert.Equal(0UL, a.GetProperty("seed").GetUInt64());
        Assert.Equal(1UL, c.GetProperty("seed").GetUInt64());
        Assert.NotEqual(Numbers(a.GetProperty("mean")), Numbers(c.GetProperty("mean")));
        Assert.Equal(2, b.GetProperty("repeat").GetInt32());
        Assert.True(b.GetProperty("time_ms").GetProperty("min").GetDouble() <= b.GetProperty("time_ms").GetProperty("median").GetDouble());
        // The seed of the file is used when --seed is not given.
        string seeded = Write("seeded.json", File.ReadAllText(Example("commuting-linear.json")).Replace("\"seed\": 0", "\"seed\": 1", StringComparison.Ordinal));
        Assert.Equal(Statistics(c), Statistics(RunJson("solve", seeded, "--paths", "200", "--json")));
    }

    /// <summary>Every SDE method on the OU file (additive noise: all apply) with fixed steps of 1/64 (the adaptive path is
    /// tested on the other files); the numerical solution of OU is Gaussian, so se(variance) = var·√(2/(N − 1)). The
    /// largest discretisation bias, Euler–Maruyama's (mean +0.0035, variance +0.0027, sde.md §5.3's recursion), is under
    /// half a standard error at 1000 paths.</summary>
    [Theory]
    [InlineData("euler-maruyama")]
    [InlineData("milstein")]
    [InlineData("stochastic-heun")]
    [InlineData("sriw1")]
    [InlineData("sra1")]
    [InlineData("sra3")]
    [InlineData("sosra")]
    [InlineData("shark")]
    [InlineData("sea")]
    [InlineData("sra2")]
    [InlineData("sosra2")]
    [InlineData("general-shark")]
    [InlineData("spark")]
    [InlineData("slowrk")]
    public void Solve_Ou_EveryMethodMatchesTheClosedForm(string method)
    {
        const int paths = 1000;
        JsonElement r = RunJson("solve", Example("ou.json"), "--method", method, "--paths", paths.ToString(), "--dt", "0.015625", "--json");
        Assert.Equal(method, r.GetProperty("method").GetString());
        Assert.Equal("success", r.GetProperty("status").GetString());
        Assert.Equal(64L * paths, r.GetProperty("stats").GetProperty("steps_accepted").GetInt64());
        double mean = 1 - Math.Exp(-2), var = 0.64 * (1 - Math.Exp(-4)) / 4;
        double seMean = Math.Sqrt(var / paths), seVar = var * Math.Sqrt(2.0 / (paths - 1));
        Assert.InRange(Numbers(r.GetProperty("mean"))[0], mean - 5 * seMean, mean + 5 * seMean);
        Assert.InRange(Numbers(r.GetProperty("variance"))[0], var - 5 * seVar, var + 5 * seVar);
        Assert.Equal("additive", r.GetProperty("noise").GetString());
    }

    /// <summary>The non-commutative example (X₂(1) = ∫W₁ dW₂): mean (0, 0) and variance (1, ½) in closed form; the
    /// standard error of the second variance is √(Var X₂²/N) with E X₂⁴ = 3 E(∫W₁²)² = 7/4, so Var X₂² = 3/2.</summary>
    [Theory]
    [InlineData(null, null)] // the default for general noise: adaptive stochastic Heun
    [InlineData("spark", null)]
    [InlineData("general-shark", "0.03125")]
    [InlineData("euler-maruyama", "0.03125")]
    public void Solve_LevyAreaExample_MatchesTheClosedForm(string? method, string? dt)
    {
        const int paths = 2000;
        var args = new List<string> { "solve", Example("levy-area.json"), "--paths", paths.ToString(), "--json" };
        if (method is not null) args.AddRange(["--method", method]);
        if (dt is not null) args.AddRange(["--dt", dt]);
        JsonElement r = RunJson([.. args]);
        Assert.Equal("general", r.GetProperty("noise").GetString());
        Assert.Equal(method ?? "stochastic-heun", r.GetProperty("method").GetString());
        double[] mean = Numbers(r.GetProperty("mean")), variance = Numbers(r.GetProperty("variance"));
        Assert.InRange(mean[0], -5 * Math.Sqrt(1.0 / paths), 5 * Math.Sqrt(1.0 / paths));
        Assert.InRange(mean[1], -5 * Math.Sqrt(0.5 / paths), 5 * Math.Sqrt(0.5 / paths));
        Assert.InRange(variance[0], 1 - 5 * Math.Sqrt(2.0 / paths), 1 + 5 * Math.Sqrt(2.0 / paths));
        Assert.InRange(variance[1], 0.5 - 5 * Math.Sqrt(1.5 / paths), 0.5 + 5 * Math.Sqrt(1.5 / paths));
    }

    /// <summary>The stiff example (λ = 200) at h = 0.05, five times the explicit stability limit: implicit-em (θ = ½) has
    /// the exact stationary variance σ²/(2λ) = 0.0025 at any step (the θ-recursion's variance, SdeDriftImplicitTests),
    /// and the drift Jacobian comes compiled from the file.</summary>
    [Fact]
    public void Solve_StiffExample_WithTheDriftImplicitMethodAtFiveTimesTheExplicitLimit()
    {
        const int paths = 4000;
        JsonElement r = RunJson("solve", Example("stiff-ou.json"), "--method", "implicit-em", "--dt", "0.05", "--paths", paths.ToString(), "--json");
        Assert.Equal("success", r.GetProperty("status").GetString());
        double var = 0.0025, se = var * Math.Sqrt(2.0 / (paths - 1));
        Assert.InRange(Numbers(r.GetProperty("variance"))[0], var - 5 * se, var + 5 * se);
        Assert.InRange(Numbers(r.GetProperty("mean"))[0], -5 * Math.Sqrt(var / paths), 5 * Math.Sqrt(var / paths));
        // Exact Jacobian: f(t, y), one Newton correction and its converged check per step, nothing for differencing.
        Assert.Equal(3L * 20 * paths, r.GetProperty("stats").GetProperty("drift_evals").GetInt64());
    }

    /// <summary>t1 &lt; t0 integrates backwards (the contract, as for ode): the Stratonovich GBM from X(1) = 1.3 back to
    /// t = 0 has X(0) = 1.3 e^{−μ − σW}, so E X(0) = 1.3 e^{−μ + σ²/2}; the default is then stochastic-heun, and an Itô
    /// scheme is refused with the reason.</summary>
    [Fact]
    public void Solve_BackwardFile_InvertsTheFlowAndRefusesItoSchemes()
    {
        const int paths = 2000;
        string file = Write("backward.json", "{'kind': 'sde', 'state': ['x'], 'parameters': {'mu': 1.01, 's': 0.87}, 'drift': ['mu*x'], 'noise': 'diagonal', 'diffusion': ['s*x'], 'calculus': 'stratonovich', 'y0': [1.3], 't0': 1, 't1': 0}");
        JsonElement r = RunJson("solve", file, "--paths", paths.ToString(), "--json");
        Assert.Equal("stochastic-heun", r.GetProperty("method").GetString());
        Assert.Equal(0.0, r.GetProperty("t_final").GetDouble());
        double mu = 1.01, s = 0.87, mean = 1.3 * Math.Exp(-mu + s * s / 2);
        double var = 1.3 * 1.3 * Math.Exp(-2 * mu) * (Math.Exp(2 * s * s) - Math.Exp(s * s)), se = Math.Sqrt(var / paths);
        Assert.InRange(Numbers(r.GetProperty("mean"))[0], mean - 5 * se, mean + 5 * se);
        (int code, _, string error) = Run("solve", file, "--method", "sriw1", "--json");
        Assert.Equal(2, code);
        Assert.Contains("backwards (t1 < t0)", error);
        Assert.Contains("√h", error);
    }

    [Fact]
    public void Solve_CommutingExample_MatchesTheClosedFormWithinFiveStandardErrors()
    {
        JsonElement r = RunJson("solve", Example("commuting-linear.json"), "--paths", "1000", "--json");
        Assert.Equal("stochastic-heun", r.GetProperty("method").GetString()); // the default for non-diagonal noise
        Assert.Equal("commutative", r.GetProperty("noise").GetString());
        Assert.Equal(2, r.GetProperty("noise_dim").GetInt32());
        Assert.Equal(2, r.GetProperty("mean").GetArrayLength());
        foreach (string field in new[] { "mean_z", "variance_z" })
            foreach (double z in Numbers(r.GetProperty("error").GetProperty(field)))
                Assert.InRange(z, -5, 5);
        // Milstein in its commutative form, fixed steps, same problem.
        JsonElement m = RunJson("solve", Example("commuting-linear.json"), "--paths", "1000", "--method", "milstein", "--dt", "0.02", "--json");
        Assert.InRange(m.GetProperty("error").GetProperty("max_abs_z").GetDouble(), 0, 5);
    }

    /// <summary>Stratonovich GBM dX = μX dt + σX∘dW is the Itô GBM with drift (μ + σ²/2)X: E X(1) = X0 e^{μ + σ²/2}. An
    /// Itô method (sriw1) converts with the exact diffusion derivative, a Stratonovich one (stochastic-heun) needs none.</summary>
    [Theory]
    [InlineData("sriw1")]
    [InlineData("stochastic-heun")]
    [InlineData("spark")]
    public void Solve_StratonovichFile_GivesTheStratonovichMean(string method)
    {
        const int paths = 1000;
        string file = Write("strat.json", "{'kind': 'sde', 'state': ['x'], 'parameters': {'mu': 0.5, 's': 0.5}, 'drift': ['mu*x'], 'noise': 'diagonal', 'diffusion': ['s*x'], 'calculus': 'stratonovich', 'y0': [1], 't0': 0, 't1': 1}");
        JsonElement r = RunJson("solve", file, "--method", method, "--paths", paths.ToString(), "--json");
        Assert.Equal("stratonovich", r.GetProperty("calculus").GetString());
        double mean = Math.Exp(0.625), var = Math.Exp(1.25) * (Math.Exp(0.25) - 1);
        double se = Math.Sqrt(var / paths);
        Assert.InRange(Numbers(r.GetProperty("mean"))[0], mean - 5 * se, mean + 5 * se);
        // The Itô reading of the same file has mean e^{0.5}, 7 standard errors away: the calculus is not ignored.
        Assert.True(Math.Abs(Math.Exp(0.5) - mean) > 6.9 * se);
    }

    [Fact]
    public void Solve_Human_PrintsTheTables()
    {
        (int code, string output, string error) = Run("solve", Example("ou.json"), "--paths", "200");
        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Contains("shark (default for this noise), adaptive, rtol 1.00e-02, atol 1.00e-02", output, StringComparison.Ordinal);
        Assert.Contains("additive noise, Itô, t = 0 → 1", output, StringComparison.Ordinal);
        Assert.Contains("200 (seed 0)", output, StringComparison.Ordinal);
        Assert.Contains("reference mean", output, StringComparison.Ordinal);
        Assert.Contains("q0.95", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CommutingExample_GivesTheHandComputedValues()
    {
        double[,] a = { { -5.0 / 6, -1.0 / 3 }, { -1.0 / 6, -2.0 / 3 } };
        double[][,] b = [new[,] { { 0.4, -0.2 }, { -0.1, 0.5 } }, new[,] { { 4.0 / 15, 7.0 / 15 }, { 7.0 / 30, 1.0 / 30 } }];
        double[] y = [0.3, -0.2];
        JsonElement r = RunJson("check", Example("commuting-linear.json"), "--at", "0.3,-0.2", "--t", "0.5", "--json");
        Assert.Equal(["kind", "name", "n", "m", "noise", "calculus", "paths", "seed", "t", "at", "drift", "drift_jacobian", "diffusion", "diffusion_derivative"], Names(r));
        Assert.Equal("sde", r.GetProperty("kind").GetString());
        Assert.Equal(0.5, r.GetProperty("t").GetDouble());
        double[] drift = Numbers(r.GetProperty("drift"));
        JsonElement g = r.GetProperty("diffusion"), dg = r.GetProperty("diffusion_derivative"), jac = r.GetProperty("drift_jacobian");
        for (int k = 0; k < 2; k++)
        {
            Assert.Equal(a[k, 0] * y[0] + a[k, 1] * y[1], drift[k], 1e-15);
            for (int l = 0; l < 2; l++) Assert.Equal(a[k, l], jac[k][l].GetDouble(), 1e-15);
            for (int j = 0; j < 2; j++)
            {
                Assert.Equal(b[j][k, 0] * y[0] + b[j][k, 1] * y[1], g[k][j].GetDouble(), 1e-15);
                for (int l = 0; l < 2; l++) Assert.Equal(b[j][k, l], dg[k][j][l].GetDouble(), 1e-15);
            }
        }
    }

    [Fact]
    public void Check_Gbm_DiagonalLayout()
    {
        JsonElement r = RunJson("check", Example("gbm.json"), "--json");
        Assert.Equal(0, r.GetProperty("t").GetDouble());
        Assert.Equal([0.5], Numbers(r.GetProperty("at")));
        Assert.Equal(1.01 * 0.5, Numbers(r.GetProperty("drift"))[0], 1e-15);
        Assert.Equal(0.87 * 0.5, Numbers(r.GetProperty("diffusion"))[0], 1e-15);
        Assert.Equal([0.87], Numbers(r.GetProperty("diffusion_derivative")));
        Assert.Equal("diagonal", r.GetProperty("noise").GetString());
        (int code, string output, _) = Run("check", Example("gbm.json"));
        Assert.Equal(0, code);
        Assert.Contains("d g_i / d y_i", output, StringComparison.Ordinal);
        Assert.Contains("all values are finite", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Methods_ListsEverySdeMethod()
    {
        (int code, string output, _) = Run("methods");
        Assert.Equal(0, code);
        Assert.Contains("SDE methods", output, StringComparison.Ordinal);
        foreach (SdeMethod m in SdeMethods.All) Assert.Contains(m.Description, output, StringComparison.Ordinal);
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["--method", "nosuch"], "--method: unknown SDE method 'nosuch'; known: auto, euler-maruyama, milstein, stochastic-heun, euler-heun, sriw1, sosri, sosri2, sra1, sra2, sra3, sosra, sosra2, shark, sea, general-shark, spark, slowrk, implicit-em, implicit-euler-maruyama, align" },
        { ["--method", "tsit5"], "--method: unknown SDE method 'tsit5'" },
        { ["--method", "sra1"], "--method: 'sra1' cannot solve" },
        { ["--method", "euler-maruyama"], "--method: 'euler-maruyama' takes fixed steps only (it has no error estimate); give the step size with --dt" },
        { ["--method", "milstein"], "give the step size with --dt" },
        { ["--max-iterations", "4"], "--max-iterations: applies to minimize and least-squares problems; an SDE solve is limited by --max-steps" },
        { ["--paths", "0"], "--paths: must be at least 1" },
        { ["--seed", "-3"], "--seed: cannot read '-3' as a whole number" },
        { ["--dt", "0"], "--dt: must be a step size > 0" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_ExitsTwoWithOneLine(string[] extra, string expected)
    {
        (int code, string output, string error) = Run(["solve", Example("gbm.json"), "--json", .. extra]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        // The unsupported-method message is the method's own.
        if (expected.Contains("cannot solve", StringComparison.Ordinal))
            Assert.Contains(SdeMethods.Get("sra1").Unsupported(new SdeProblem((_, _, _) => { }, (_, y, g) => y.CopyTo(g), [1.0], 0, 1))!, error, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInput_PathsOnAnOdeFile_AndAnAdditiveFileUsingTheState()
    {
        (int code, _, string error) = Run("solve", Example("pendulum.json"), "--paths", "10", "--json");
        Assert.Equal(2, code);
        Assert.Contains("--paths: applies to sde problems", error, StringComparison.Ordinal);
        string bad = Write("bad.json", "{'kind': 'sde', 'state': ['x'], 'drift': ['-x'], 'noise': 'additive', 'diffusion': ['1 + x'], 'y0': [1], 't0': 0, 't1': 1}");
        (code, string output, error) = Run("check", bad, "--json");
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("bad.json: diffusion[0]: additive noise may depend on t, parameters and data only, but this expression uses the state ('x') at column 5", error, StringComparison.Ordinal);
    }
}
