using System.Globalization;
using System.Reflection;
using System.Text;
using Xunit.Abstractions;

namespace Ordo.Integration.Tests.Tableaux;

/// <summary>
/// Checks every tableau in <see cref="Tableaus.All"/> against the Runge–Kutta order conditions over all rooted trees
/// (HNW I, Thm. II.2.13): Φ(t) = 1/γ(t) for |t| ≤ p, and for the continuous extension Φ_θ(t) = θ^|t|/γ(t)
/// (HNW I, §II.6). A new tableau is picked up automatically through <see cref="Tableaus.All"/>.
/// </summary>
/// <remarks>
/// <para>Tolerance. The conditions hold exactly for the exact coefficients; the tableaux hold the nearest doubles.
/// Φ(t) is a sum of products of |t| coefficients (one weight, |t| − 1 entries of A or c), each rounded with relative
/// error u = 2⁻⁵³ ≈ 1.1e-16, and it is evaluated here with at most |t|·(S + 1) further roundings (S ≤ 16 stages).
/// Its error is therefore at most about (|t| + |t|(S + 1))·u·|Φ|(t) ≲ 9·18·1.1e-16·|Φ|(t) ≈ 2e-14·|Φ|(t), where
/// |Φ|(t) is Φ evaluated with the absolute values of all coefficients (for DOP853, whose coefficients reach ~45,
/// |Φ|(t) reaches the thousands; for rational tableaux such as RK4 it is close to 1/γ). The tolerance
/// <see cref="RoundingTolerance"/>·|Φ|(t) = 1e-13·|Φ|(t) leaves a safety factor of about 5 over that bound.</para>
/// <para>The declared order is the true order: some tree of order p + 1 must miss its condition by more than
/// <see cref="ClearMiss"/> = 1e-6 and by more than 1000 times its rounding tolerance.</para>
/// </remarks>
public class TableauOrderConditionTests(ITestOutputHelper output)
{
    /// <summary>Relative rounding tolerance, applied to |Φ|(t) (see the class remarks).</summary>
    private const double RoundingTolerance = 1e-13;

    /// <summary>How far a condition of order p + 1 must be missed for the order to count as exactly p.</summary>
    private const double ClearMiss = 1e-6;

    private static readonly double[] Thetas = [0.2, 0.5, 0.7, 1.0];

    public static TheoryData<string> AllTableaus => Names(Tableaus.All);

    public static TheoryData<string> EmbeddedTableaus => Names(Tableaus.All.Where(t => t.ErrorEstimator is EmbeddedErrorEstimator));

    public static TheoryData<string> Dop853Tableaus => Names(Tableaus.All.Where(t => t.ErrorEstimator is Dop853ErrorEstimator));

    // ------------------------------------------------------------------ propagated and embedded weights

    [Theory]
    [MemberData(nameof(AllTableaus))]
    public void PropagatedWeights_TreesUpToDeclaredOrder_SatisfyOrderConditions(string name)
    {
        ButcherTableau tableau = Find(name);
        var weights = new ElementaryWeights(Rows(tableau), Nodes(tableau));
        AssertOrder(tableau, "b", weights, tableau.B.ToArray(), tableau.Order);
    }

    [Theory]
    [MemberData(nameof(EmbeddedTableaus))]
    public void EmbeddedWeights_TreesUpToEmbeddedOrder_SatisfyOrderConditions(string name)
    {
        ButcherTableau tableau = Find(name);
        var estimator = (EmbeddedErrorEstimator)tableau.ErrorEstimator!;
        var weights = new ElementaryWeights(Rows(tableau), Nodes(tableau));
        AssertOrder(tableau, "embedded weights b̂", weights, estimator.EmbeddedWeights.ToArray(), estimator.Order);
    }

    [Theory]
    [MemberData(nameof(Dop853Tableaus))]
    public void Dop853FifthOrderSolution_WeightsBMinusE5_HaveOrderFive(string name)
    {
        // dop853.f: y1 − h Σ E5ᵢ kᵢ is the 5th-order solution, so b − E5 must be a 5th-order formula
        // (check_tableaux.py: "b - E5 is a 5th-order formula").
        ButcherTableau tableau = Find(name);
        var estimator = (Dop853ErrorEstimator)tableau.ErrorEstimator!;
        double[] fifth = Difference(tableau.B, estimator.FifthOrderErrorWeights);
        var weights = new ElementaryWeights(Rows(tableau), Nodes(tableau));
        Assert.Equal(5, estimator.Order);
        AssertOrder(tableau, "b − E5", weights, fifth, estimator.Order, SumOfMagnitudes(tableau.B, estimator.FifthOrderErrorWeights));
    }

    [Theory]
    [MemberData(nameof(Dop853Tableaus))]
    public void Dop853ThirdOrderSolution_WeightsBMinusThirdOrderErrorWeights_HaveOrderThree(string name)
    {
        // The third-order error weights are b − bhh, where bhh (dop853.f: bhh1, bhh2, bhh3) is a 3rd-order formula
        // (check_tableaux.py: "bhh is a 3rd-order formula"); so b − (b − bhh) = bhh must have order 3.
        ButcherTableau tableau = Find(name);
        var estimator = (Dop853ErrorEstimator)tableau.ErrorEstimator!;
        double[] third = Difference(tableau.B, estimator.ThirdOrderErrorWeights);
        var weights = new ElementaryWeights(Rows(tableau), Nodes(tableau));
        AssertOrder(tableau, "b − (3rd-order error weights)", weights, third, 3, SumOfMagnitudes(tableau.B, estimator.ThirdOrderErrorWeights));
    }

    // ------------------------------------------------------------------ continuous extension

    [Theory]
    [MemberData(nameof(AllTableaus))]
    public void ContinuousExtension_TreesUpToItsOrder_SatisfyContinuousConditions(string name)
    {
        // The tableau's own extension, or the cubic Hermite one the stepper uses when it has none.
        // Tsit5's interpolant coefficients are published (SciML OrdinaryDiffEq, diffrax) with only ~17–20 significant
        // digits (e.g. 0.13169999999999998 for 0.1317), so they satisfy the conditions exactly only to ~2e-17
        // (check_tableaux.py, exact arithmetic: 1.9e-17). That is a relative error of at most ~1e-16 per coefficient,
        // the size of double rounding itself, so the rounding tolerance 1e-13·|Φ_θ|(t) covers it with a wide margin.
        ButcherTableau tableau = Find(name);
        ContinuousExtension extension = tableau.ContinuousExtension ?? ContinuousExtension.Hermite(tableau);
        var weights = new ElementaryWeights(ExtendedRows(tableau, extension), ExtendedNodes(tableau, extension));
        int stages = tableau.Stages + extension.ExtraStages;
        Assert.True(extension.Order >= 1 && extension.Order <= tableau.Order,
            $"{name}: continuous extension of order {extension.Order} for a method of order {tableau.Order}");

        var worstNext = (Residual: 0.0, Theta: 0.0, Tree: (RootedTree?)null);
        foreach (double theta in Thetas)
        {
            double[] b = new double[stages], magnitude = new double[stages];
            for (int i = 0; i < stages; i++)
            {
                ReadOnlySpan<double> p = extension.Weights(i);
                for (int m = 0; m < p.Length; m++)
                {
                    b[i] += p[m] * Math.Pow(theta, m + 1);
                    magnitude[i] += Math.Abs(p[m]) * Math.Pow(theta, m + 1);
                }
            }
            string what = string.Create(CultureInfo.InvariantCulture, $"continuous extension b(θ) at θ = {theta}");
            AssertConditions(tableau, what, weights, b, magnitude, extension.Order, theta);
            if (theta < 1 && extension.Order < RootedTrees.MaxOrder)
            {
                foreach (RootedTree t in RootedTrees.OfOrder(extension.Order + 1))
                {
                    double r = Math.Abs(weights.Phi(t, b) - Math.Pow(theta, t.Order) / t.Density);
                    if (r > worstNext.Residual) worstNext = (r, theta, t);
                }
            }
        }

        // At interior θ the interpolant is of order exactly its declared order (at θ = 1 it is b, of order p).
        if (extension.Order < RootedTrees.MaxOrder)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: continuous order {extension.Order}+1, largest interior residual {worstNext.Residual:E2} (tree {worstNext.Tree}, θ = {worstNext.Theta})"));
            Assert.True(worstNext.Residual > ClearMiss, string.Create(CultureInfo.InvariantCulture,
                $"{name}: the continuous extension declared of order {extension.Order} also satisfies every order-{extension.Order + 1} condition at θ ∈ {{0.2, 0.5, 0.7}} (largest residual {worstNext.Residual:E2}); is the declared order too low?"));
        }
    }

    // ------------------------------------------------------------------ structure

    [Theory]
    [MemberData(nameof(AllTableaus))]
    public void RowSums_EveryStageIncludingExtraStages_EqualTheNodes(string name)
    {
        ButcherTableau tableau = Find(name);
        ContinuousExtension extension = tableau.ContinuousExtension ?? ContinuousExtension.Hermite(tableau);
        IReadOnlyList<double[]> rows = ExtendedRows(tableau, extension);
        IReadOnlyList<double> nodes = ExtendedNodes(tableau, extension);
        Assert.Equal(0.0, nodes[0]);
        for (int i = 0; i < rows.Count; i++)
        {
            double sum = rows[i].Sum(), magnitude = Math.Abs(nodes[i]) + rows[i].Sum(Math.Abs);
            Assert.True(Math.Abs(sum - nodes[i]) <= RoundingTolerance * magnitude, string.Create(CultureInfo.InvariantCulture,
                $"{name}: row {i} of A sums to {sum:R} but its node is {nodes[i]:R} (residual {Math.Abs(sum - nodes[i]):E2})"));
        }
    }

    [Theory]
    [InlineData(nameof(Tableaus.Euler), false)]
    [InlineData(nameof(Tableaus.Heun), false)]
    [InlineData(nameof(Tableaus.Midpoint), false)]
    [InlineData(nameof(Tableaus.Ralston), false)]
    [InlineData(nameof(Tableaus.RungeKutta4), false)]
    [InlineData(nameof(Tableaus.RungeKutta4ThreeEighths), false)]
    [InlineData(nameof(Tableaus.BogackiShampine32), true)]
    [InlineData(nameof(Tableaus.DormandPrince54), true)]
    [InlineData(nameof(Tableaus.Tsitouras54), true)]
    [InlineData(nameof(Tableaus.DormandPrince853), true)]
    public void IsFsal_KnownMethod_MatchesTheLiterature(string property, bool fsal)
    {
        var tableau = (ButcherTableau)typeof(Tableaus).GetProperty(property, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        Assert.Equal(fsal, tableau.IsFsal);
        Assert.Equal(fsal ? tableau.Stages - 1 : tableau.Stages, tableau.EvaluationsPerStep);
    }

    [Theory]
    [MemberData(nameof(AllTableaus))]
    public void IsFsal_AnyTableau_IsDerivedFromTheStructure(string name)
    {
        // FSAL: the last stage is f(t₀ + h, y₁), i.e. c_last = 1, b_last = 0 and the last row of A equals b.
        ButcherTableau tableau = Find(name);
        int s = tableau.Stages;
        bool structural = s > 1 && tableau.C[s - 1] == 1 && tableau.B[s - 1] == 0 && tableau.A(s - 1).SequenceEqual(tableau.B[..(s - 1)]);
        Assert.Equal(structural, tableau.IsFsal);
        if (tableau.IsFsal)
        {
            // Then the last stage's elementary weights are those of y₁: Φ_last([t]) = Φ(t) for every t.
            var weights = new ElementaryWeights(Rows(tableau), Nodes(tableau), tableau.Order);
            foreach (RootedTree t in RootedTrees.UpToOrder(tableau.Order - 1))
            {
                RootedTree parent = RootedTrees.OfOrder(t.Order + 1).Single(p => p.Children.Count == 1 && ReferenceEquals(p.Children[0], t));
                Assert.Equal(weights.Phi(t, tableau.B), weights.StageWeights(parent)[s - 1], 1e-15);
            }
        }
    }

    [Fact]
    public void All_EveryPublicTableauProperty_IsListed()
    {
        PropertyInfo[] properties = typeof(Tableaus).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(ButcherTableau)).ToArray();
        Assert.NotEmpty(properties);
        foreach (PropertyInfo property in properties)
        {
            var tableau = (ButcherTableau)property.GetValue(null)!;
            Assert.True(Tableaus.All.Any(t => ReferenceEquals(t, tableau)),
                $"Tableaus.{property.Name} ('{tableau.Name}') is missing from Tableaus.All, so the order-condition tests do not see it");
        }
        Assert.Equal(properties.Length, Tableaus.All.Count);
        Assert.Equal(Tableaus.All.Count, Tableaus.All.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count());
    }

    // ------------------------------------------------------------------ helpers

    /// <param name="magnitude">|b| for rounding purposes; for a difference x − y of stored weights, |x| + |y|.</param>
    private void AssertOrder(ButcherTableau tableau, string what, ElementaryWeights weights, double[] b, int order, double[]? magnitude = null)
    {
        magnitude ??= b.Select(Math.Abs).ToArray();
        AssertConditions(tableau, what, weights, b, magnitude, order, theta: 1);

        Assert.True(order < RootedTrees.MaxOrder, $"{tableau.Name}: {what} of order {order} needs trees of order {order + 1}; raise RootedTrees.MaxOrder");
        RootedTree? worst = null;
        double worstResidual = 0, smallestResidual = double.PositiveInfinity, worstTolerance = 0;
        foreach (RootedTree t in RootedTrees.OfOrder(order + 1))
        {
            double r = Math.Abs(weights.Phi(t, b) - 1.0 / t.Density);
            smallestResidual = Math.Min(smallestResidual, r);
            if (r > worstResidual)
            {
                (worst, worstResidual) = (t, r);
                worstTolerance = RoundingTolerance * weights.Magnitude(t, magnitude);
            }
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{tableau.Name}: {what}, order {order}+1: largest residual {worstResidual:E2} (tree {worst?.ToString() ?? "—"}), smallest {smallestResidual:E2}"));
        Assert.True(worstResidual > ClearMiss && worstResidual > 1000 * worstTolerance, string.Create(CultureInfo.InvariantCulture,
            $"{tableau.Name}: {what} declared of order {order} also satisfies every order-{order + 1} condition (largest residual {worstResidual:E2}, tree {worst?.ToString() ?? "—"}); the declared order is too low"));
    }

    private void AssertConditions(ButcherTableau tableau, string what, ElementaryWeights weights, double[] b, double[] bMagnitude, int order, double theta)
    {
        var failures = new StringBuilder();
        int failed = 0;
        double worstRatio = 0, worstResidual = 0;
        RootedTree? worst = null;
        foreach (RootedTree t in RootedTrees.UpToOrder(order))
        {
            double phi = weights.Phi(t, b);
            double target = Math.Pow(theta, t.Order) / t.Density;
            double residual = Math.Abs(phi - target);
            double tolerance = RoundingTolerance * weights.Magnitude(t, bMagnitude);
            if (residual > worstResidual) (worstResidual, worst) = (residual, t);
            worstRatio = Math.Max(worstRatio, residual / tolerance);
            if (residual > tolerance)
            {
                failed++;
                failures.Append(CultureInfo.InvariantCulture,
                    $"\n  tree {t} (order {t.Order}, γ = {t.Density}): Φ = {phi:R}, θ^|t|/γ = {target:R}, residual {residual:E2} > tolerance {tolerance:E2}");
            }
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{tableau.Name}: {what}, orders ≤ {order}: largest residual {worstResidual:E2} (tree {worst?.ToString() ?? "—"}), at most {worstRatio:F3} of the tolerance"));
        Assert.True(failed == 0, $"{tableau.Name}: {what} violates {failed} order condition(s) of order ≤ {order}:{failures}");
    }

    private static ButcherTableau Find(string name) => Tableaus.All.Single(t => t.Name == name);

    private static TheoryData<string> Names(IEnumerable<ButcherTableau> tableaus)
    {
        var data = new TheoryData<string>();
        foreach (ButcherTableau t in tableaus) data.Add(t.Name);
        return data;
    }

    private static double[][] Rows(ButcherTableau tableau) =>
        Enumerable.Range(0, tableau.Stages).Select(i => tableau.A(i).ToArray()).ToArray();

    private static double[] Nodes(ButcherTableau tableau) => tableau.C.ToArray();

    private static double[][] ExtendedRows(ButcherTableau tableau, ContinuousExtension extension) =>
        [.. Rows(tableau), .. Enumerable.Range(0, extension.ExtraStages).Select(e => extension.ExtraRow(e).ToArray())];

    private static double[] ExtendedNodes(ButcherTableau tableau, ContinuousExtension extension) =>
        [.. Nodes(tableau), .. Enumerable.Range(0, extension.ExtraStages).Select(extension.ExtraNode)];

    private static double[] SumOfMagnitudes(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var d = new double[x.Length];
        for (int i = 0; i < d.Length; i++) d[i] = Math.Abs(x[i]) + Math.Abs(y[i]);
        return d;
    }

    private static double[] Difference(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        Assert.Equal(x.Length, y.Length);
        var d = new double[x.Length];
        for (int i = 0; i < d.Length; i++) d[i] = x[i] - y[i];
        return d;
    }
}
