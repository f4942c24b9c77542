namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// The order conditions of the stochastic Runge–Kutta tableaux (sde.md §3.4–3.5, as checked by
/// sde-data/make_sde_tableaux.py): Rößler's additive (SRA) set, the 25 SRI conditions of strong order 1.5 (as coded in
/// SciML's <c>checkSRIOrder</c>) and the five (W, H) conditions of the additive layout. Each set has a negative control
/// (a tableau known to fail), so the checks can fail.
/// </summary>
public class SdeTableauOrderConditionTests
{
    private const double Tol = 1e-9;

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>M·v for a strictly lower-triangular matrix stored by rows (row i: entries 0..i−1, possibly shorter).</summary>
    private static double[] Mul(double[][] m, double[] v)
    {
        var r = new double[m.Length];
        for (int i = 0; i < m.Length; i++)
            for (int j = 0; j < m[i].Length; j++) r[i] += m[i][j] * v[j];
        return r;
    }

    private static double[] Ones(int n) => [.. Enumerable.Repeat(1.0, n)];

    private static double[] Sq(double[] v) => [.. v.Select(x => x * x)];

    /// <summary>Residuals of Rößler's additive conditions (SciML <c>checkSRAOrder</c>) and deterministic order 2.</summary>
    private static Dictionary<string, double> SraResiduals(SraTableau t)
    {
        double[] e = Ones(t.Stages), b0e = Mul(t.B0, e);
        return new()
        {
            ["α·e = 1"] = Dot(t.Alpha, e) - 1,
            ["β1·e = 1"] = Dot(t.Beta1, e) - 1,
            ["β2·e = 0"] = Dot(t.Beta2, e),
            ["α·B0e = 1"] = Dot(t.Alpha, b0e) - 1,
            ["α·A0e = 1/2"] = Dot(t.Alpha, Mul(t.A0, e)) - 0.5,
            ["α·(B0e)² = 3/2"] = Dot(t.Alpha, Sq(b0e)) - 1.5,
            ["β1·c1 = 1"] = Dot(t.Beta1, t.C1) - 1,
            ["β2·c1 = −1"] = Dot(t.Beta2, t.C1) + 1,
            ["α·c0 = 1/2"] = Dot(t.Alpha, t.C0) - 0.5,
        };
    }

    private static void AllZero(Dictionary<string, double> residuals, string name)
    {
        foreach (var (condition, r) in residuals)
            Assert.True(Math.Abs(r) <= Tol, $"{name}: {condition} has residual {r:E3}");
    }

    public static TheoryData<string> SraNames => ["SRA1", "SRA2", "SRA3", "SOSRA", "SOSRA2"];

    private static SraTableau Sra(string name) => name switch
    {
        "SRA1" => SraTableau.Sra1,
        "SRA2" => SraTableau.Sra2,
        "SRA3" => SraTableau.Sra3,
        "SOSRA2" => SraTableau.Sosra2,
        _ => SraTableau.Sosra,
    };

    [Theory]
    [MemberData(nameof(SraNames))]
    public void Sra_tableaux_satisfy_the_additive_order_conditions(string name)
    {
        var t = Sra(name);
        AllZero(SraResiduals(t), name);
        // Stage times are the row sums of A0 (the drift stages are consistent).
        var rowSums = Mul(t.A0, Ones(t.Stages));
        for (int i = 0; i < t.Stages; i++) Assert.Equal(t.C0[i], rowSums[i], Tol);
    }

    [Fact]
    public void Sra3_also_has_deterministic_order_three_and_sra1_does_not()
    {
        static (double, double) Third(SraTableau t) => (Dot(t.Alpha, Sq(t.C0)) - 1.0 / 3, Dot(t.Alpha, Mul(t.A0, t.C0)) - 1.0 / 6);
        var (a, b) = Third(SraTableau.Sra3);
        Assert.True(Math.Abs(a) <= Tol && Math.Abs(b) <= Tol, $"SRA3 third-order residuals {a:E2}, {b:E2}");
        var (c, d) = Third(SraTableau.Sra1);
        Assert.Equal(1.0 / 24, c, 1e-12); // make_sde_tableaux.py: 0.041667 and −0.166667
        Assert.Equal(-1.0 / 6, d, 1e-12);
    }

    [Fact]
    public void Torchsde_sra3_with_the_flipped_beta2_fails_the_conditions()
    {
        // Negative control (sde.md §3.4): torchsde's tableaus/sra3.py has β2 = (1, −1, 0).
        var flipped = SraTableau.Sra3 with { Beta2 = [1, -1, 0] };
        var residuals = SraResiduals(flipped);
        Assert.Equal(2, residuals["β2·c1 = −1"], 1e-12);
        Assert.Equal(0, residuals["β2·e = 0"], 1e-12);
    }

    /// <summary>The five conditions of sde.md §3.5 for the additive (W, H) layout, c = A e.</summary>
    private static double[] WhResiduals(AdditiveSrkTableau t)
    {
        var c = Mul(t.A, Ones(t.Stages));
        return
        [
            t.B.Sum() - 1,
            Dot(t.B, t.AW) - 0.5,
            Dot(t.B, t.AH) - 1,
            Dot(t.B, [.. t.AW.Select((w, j) => w * w + t.AH[j] * t.AH[j] / 12)]) - 0.5,
            Dot(t.B, c) - 0.5,
        ];
    }

    [Fact]
    public void Shark_satisfies_the_five_wh_conditions_and_sea_fails_the_last_two()
    {
        var shark = WhResiduals(AdditiveSrkTableau.ShArk);
        Assert.All(shark, r => Assert.True(Math.Abs(r) <= Tol, $"ShARK residual {r:E3}"));
        var rowSums = Mul(AdditiveSrkTableau.ShArk.A, Ones(2));
        Assert.Equal(AdditiveSrkTableau.ShArk.C, rowSums);
        // The embedded estimate is a difference of two consistent drift quadratures: its weights sum to 0.
        Assert.Equal(0, AdditiveSrkTableau.ShArk.E!.Sum(), 1e-15);

        var sea = WhResiduals(AdditiveSrkTableau.Sea);
        for (int i = 0; i < 3; i++) Assert.True(Math.Abs(sea[i]) <= Tol, $"SEA condition {i + 1} residual {sea[i]:E3}");
        Assert.Equal(-1.0 / 6, sea[3], 1e-12); // make_sde_tableaux.py: −0.166667
        Assert.Equal(-0.5, sea[4], 1e-12);
        Assert.Null(AdditiveSrkTableau.Sea.E);
    }

    /// <summary>
    /// The (W, H) tableaux for any noise (<see cref="StratonovichSrkTableau"/>) on additive noise: with G constant, stage
    /// j sees the noise <c>G(Σᵢ aW_ji W + Σᵢ aH_ji H)</c>, so the five additive conditions apply to the row sums, plus
    /// <c>Σ bW = 1</c>, <c>Σ bH = 0</c>, and for G depending on t the correction <c>G′h(W/2 − H)</c> of sde.md §3.5
    /// needs <c>Σ bW_j c_j = ½</c> and <c>Σ bH_j c_j = −1</c>. Also: stage times are the row sums of A, SPaRK's
    /// embedded weights sum to 0, and the stages skipped are diffrax's (<c>ignore_stage_f/g</c> in sde_tableaux.json).
    /// </summary>
    public static TheoryData<string> GeneralNames => ["GeneralShARK", "SPaRK", "SlowRK"];

    private static StratonovichSrkTableau General(string name) => name switch
    {
        "GeneralShARK" => StratonovichSrkTableau.GeneralShArk,
        "SPaRK" => StratonovichSrkTableau.Spark,
        _ => StratonovichSrkTableau.SlowRk,
    };

    private static double[] GeneralResiduals(StratonovichSrkTableau t)
    {
        int s = t.Stages;
        double[] e = Ones(s), aw = Mul(t.AW, e), ah = Mul(t.AH, e);
        double wh = 0;
        for (int j = 0; j < s; j++) wh += t.B[j] * (aw[j] * aw[j] + ah[j] * ah[j] / 12);
        return [Dot(t.B, e) - 1, Dot(t.B, aw) - 0.5, Dot(t.B, ah) - 1, wh - 0.5, Dot(t.B, t.C) - 0.5,
            Dot(t.BW, e) - 1, Dot(t.BH, e), Dot(t.BW, t.C) - 0.5, Dot(t.BH, t.C) + 1];
    }

    [Theory]
    [MemberData(nameof(GeneralNames))]
    public void General_wh_tableaux_satisfy_the_additive_conditions_and_the_time_correction(string name)
    {
        var t = General(name);
        double[] r = GeneralResiduals(t);
        for (int i = 0; i < r.Length; i++) Assert.True(Math.Abs(r[i]) <= Tol, $"{name}: condition {i + 1} has residual {r[i]:E3}");
        var rowSums = Mul(t.A, Ones(t.Stages));
        for (int j = 0; j < t.Stages; j++) Assert.Equal(t.C[j], rowSums[j], Tol);
        if (t.E is not null)
        {
            Assert.Equal(0, t.E.Sum(), 1e-15);
            Assert.Equal(0, t.EW!.Sum(), 1e-15);
            Assert.Equal(0, t.EH!.Sum(), 1e-15);
        }
        // diffrax's ignore_stage_f / ignore_stage_g (sde_tableaux.json): GeneralShARK skips f at stage 0, SlowRK f at
        // stages 1–4 and 6 and G at stages 0 and 5; SPaRK skips nothing.
        bool[] skipF = name switch { "GeneralShARK" => [true, false, false], "SPaRK" => [false, false, false], _ => [false, true, true, true, true, false, true] };
        bool[] skipG = name switch { "SlowRK" => [true, false, false, false, false, true, false], _ => new bool[t.Stages] };
        for (int j = 0; j < t.Stages; j++)
        {
            Assert.Equal(!skipF[j], t.UsesDrift(j));
            Assert.Equal(!skipG[j], t.UsesDiffusion(j));
        }
    }

    [Fact]
    public void General_shark_with_the_h_weights_flipped_fails_the_time_correction()
    {
        var g = StratonovichSrkTableau.GeneralShArk;
        var flipped = g with { BH = [.. g.BH.Select(v => -v)] };
        double[] r = GeneralResiduals(flipped);
        for (int i = 0; i < 8; i++) Assert.True(Math.Abs(r[i]) <= Tol);
        Assert.Equal(2.0, r[8], 1e-12); // Σ bH c = +1 instead of −1
    }

    [Fact]
    public void Sra1_in_the_wh_layout_satisfies_the_wh_conditions()
    {
        // Rößler's ζ = W/2 + H turns B0e into aW = B0e/2, aH = B0e (sde.md §3.5): the two condition sets are one.
        var sra1 = SraTableau.Sra1;
        var b0e = Mul(sra1.B0, Ones(2));
        var wh = new AdditiveSrkTableau(sra1.C0, sra1.A0, sra1.Alpha, [.. b0e.Select(v => v / 2)], b0e, null);
        Assert.All(WhResiduals(wh), r => Assert.True(Math.Abs(r) <= Tol, $"SRA1 (W,H) residual {r:E3}"));
    }

    /// <summary>The 25 SRI conditions (SciML <c>checkSRIOrder</c>; numbering of make_sde_tableaux.py) and α·c0 = ½.</summary>
    private static double[] SriResiduals(SriTableau t)
    {
        double[] e = Ones(t.Stages);
        double[] b1e = Mul(t.B1, e), a1e = Mul(t.A1, e), b1b1e = Mul(t.B1, b1e), a1b0e = Mul(t.A1, Mul(t.B0, e));
        double[] b0e = Mul(t.B0, e);
        return
        [
            Dot(t.Alpha, e) - 1, Dot(t.Beta1, e) - 1, Dot(t.Beta2, e), Dot(t.Beta3, e), Dot(t.Beta4, e),     // 1–5
            Dot(t.Beta1, b1e), Dot(t.Beta2, b1e) - 1, Dot(t.Beta3, b1e), Dot(t.Beta4, b1e),                    // 6–9
            Dot(t.Alpha, Mul(t.A0, e)) - 0.5, Dot(t.Alpha, b0e) - 1, Dot(t.Alpha, Sq(b0e)) - 1.5,              // 10–12
            Dot(t.Beta1, a1e) - 1, Dot(t.Beta2, a1e), Dot(t.Beta3, a1e) + 1, Dot(t.Beta4, a1e),                // 13–16
            Dot(t.Beta1, Sq(b1e)) - 1, Dot(t.Beta2, Sq(b1e)), Dot(t.Beta3, Sq(b1e)) + 1, Dot(t.Beta4, Sq(b1e)) - 2, // 17–20
            Dot(t.Beta1, b1b1e), Dot(t.Beta2, b1b1e), Dot(t.Beta3, b1b1e), Dot(t.Beta4, b1b1e) - 1,            // 21–24
            0.5 * Dot(t.Beta1, a1b0e) + Dot(t.Beta3, a1b0e) / 3,                                               // 25
            Dot(t.Alpha, t.C0) - 0.5,                                                                          // deterministic order 2
        ];
    }

    [Fact]
    public void Sriw1_satisfies_the_sri_conditions()
    {
        var t = SriTableau.Sriw1;
        var r = SriResiduals(t);
        for (int i = 0; i < r.Length; i++) Assert.True(Math.Abs(r[i]) <= Tol, $"SRIW1 condition {i + 1} residual {r[i]:E3}");
        var e = Ones(t.Stages);
        Assert.Equal(t.C0, Mul(t.A0, e));
        Assert.Equal(t.C1, Mul(t.A1, e));

        // Negative control: moving one B1 weight (−5 → −4) changes (B1e)₄ from −3/2 to −1/2, which only β4 weighs:
        // conditions 9 (β4·B1e = 0, now 1) and 20 (β4·(B1e)² = 2, now 1/4) fail.
        var broken = t with { B1 = [[], [0.5], [-1, 0], [-4, 3, 0.5]] };
        var rb = SriResiduals(broken);
        Assert.Equal(1, rb[8], 1e-12);
        Assert.Equal(-2, rb[19], 1e-12);
    }

    /// <summary>SOSRI and SOSRI2 (Rackauckas &amp; Nie 2018, the optimizer's output printed to 16 digits): the 25 SRI
    /// conditions hold to the precision of the printed coefficients, and the stage times are the row sums.</summary>
    [Theory]
    [InlineData("sosri")]
    [InlineData("sosri2")]
    public void Stability_optimized_sri_tableaux_satisfy_the_sri_conditions(string name)
    {
        var t = name == "sosri" ? SriTableau.Sosri : SriTableau.Sosri2;
        var r = SriResiduals(t);
        double worst = r.Max(Math.Abs);
        for (int i = 0; i < r.Length; i++) Assert.True(Math.Abs(r[i]) <= Tol, $"{name} condition {i + 1} residual {r[i]:E3}");
        var e = Ones(t.Stages);
        double[] c0 = Mul(t.A0, e), c1 = Mul(t.A1, e);
        for (int i = 0; i < t.Stages; i++)
        {
            Assert.Equal(t.C0[i], c0[i], 1e-12);
            Assert.Equal(t.C1[i], c1[i], 1e-12);
        }
        Assert.True(worst <= Tol);
    }
}
