namespace Ordo.Integration.Tests.Tableaux;

public class RootedTreesTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 4)]
    [InlineData(5, 9)]
    [InlineData(6, 20)]
    [InlineData(7, 48)]
    [InlineData(8, 115)]
    [InlineData(9, 286)]
    public void OfOrder_EachOrder_HasTheNumberOfRootedTrees(int order, int count)
    {
        // OEIS A000081.
        IReadOnlyList<RootedTree> trees = RootedTrees.OfOrder(order);
        Assert.Equal(count, trees.Count);
        Assert.All(trees, t => Assert.Equal(order, t.Order));
    }

    [Fact]
    public void All_CanonicalForms_AreDistinct()
    {
        // A canonical form computed independently of the enumeration: the sorted multiset of the children's forms.
        static string Canonical(RootedTree t) => "(" + string.Concat(t.Children.Select(Canonical).Order(StringComparer.Ordinal)) + ")";

        var forms = RootedTrees.All.Select(Canonical).ToList();
        Assert.Equal(forms.Count, forms.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(486, forms.Count);
    }

    [Fact]
    public void All_Indices_MatchPositionsAndChildrenComeFirst()
    {
        for (int k = 0; k < RootedTrees.All.Count; k++)
        {
            RootedTree t = RootedTrees.All[k];
            Assert.Equal(k, t.Index);
            Assert.All(t.Children, child => Assert.True(child.Index < t.Index));
            Assert.Equal(t.Order, 1 + t.Children.Sum(child => child.Order));
        }
    }

    [Theory]
    [InlineData("τ", 1)]
    [InlineData("[τ]", 2)]
    [InlineData("[τ,τ]", 3)]
    [InlineData("[[τ]]", 6)]
    [InlineData("[τ,τ,τ]", 4)]     // bushy tree of order 4
    [InlineData("[τ,[τ]]", 8)]
    [InlineData("[[τ,τ]]", 12)]
    [InlineData("[[[τ]]]", 24)]    // tall tree of order 4
    [InlineData("[τ,τ,τ,τ]", 5)]
    [InlineData("[[[[τ]]]]", 120)]
    [InlineData("[[[[[[[[τ]]]]]]]]", 362880)] // tall tree of order 9: 9!
    [InlineData("[τ,τ,τ,τ,τ,τ,τ,τ]", 9)]      // bushy tree of order 9
    public void Density_KnownTrees_MatchesHairerNorsettWanner(string notation, long gamma)
    {
        RootedTree tree = Assert.Single(RootedTrees.All, t => t.ToString() == notation);
        Assert.Equal(gamma, tree.Density);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(9)]
    public void DensityAndSymmetry_SummedOverAnOrder_CountLabelledTrees(int n)
    {
        // α(t) = n!/(σ(t)γ(t)) counts the monotone labellings, and the recursive trees on n vertices number (n − 1)!;
        // n!/σ(t) counts all labellings, and the labelled rooted trees number n^(n−1) (Cayley).
        long factorial = Enumerable.Range(1, n).Aggregate(1L, (p, k) => p * k);
        IReadOnlyList<RootedTree> trees = RootedTrees.OfOrder(n);
        Assert.All(trees, t => Assert.Equal(0, factorial % (t.Symmetry * t.Density)));
        Assert.Equal(factorial / n, trees.Sum(t => factorial / (t.Symmetry * t.Density)));
        Assert.Equal((long)Math.Pow(n, n - 1), trees.Sum(t => factorial / t.Symmetry));
    }

    [Fact]
    public void OfOrder_BeyondMaxOrder_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RootedTrees.OfOrder(RootedTrees.MaxOrder + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => RootedTrees.OfOrder(0));
    }

    [Fact]
    public void ElementaryWeight_ClassicalRungeKutta4_SatisfiesTheConditionsUpToOrderFour()
    {
        double[][] a = [[], [0.5], [0, 0.5], [0, 0, 1]];
        double[] c = [0, 0.5, 0.5, 1];
        double[] b = [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6];
        foreach (RootedTree t in RootedTrees.UpToOrder(4))
            Assert.Equal(1.0 / t.Density, RootedTrees.ElementaryWeight(t, b, a, c), 1e-15);
        // Σ bᵢ cᵢ⁴ = 5/24 ≠ 1/5: RK4 is not of order 5.
        RootedTree bushy5 = Assert.Single(RootedTrees.OfOrder(5), t => t.ToString() == "[τ,τ,τ,τ]");
        Assert.Equal(5.0 / 24, RootedTrees.ElementaryWeight(bushy5, b, a, c), 1e-15);
    }

    [Fact]
    public void ElementaryWeights_ExtraStagesWithLongerRows_UseEveryEarlierStage()
    {
        // RK4 followed by an extra stage with row b (length 4, node 1) and one whose row picks the extra stage
        // (length 5, node 1). Then Φ_extra([t']) = Σⱼ bⱼ Φⱼ(t') = 1/γ(t') for |t'| ≤ 4, and the second extra stage
        // reproduces it one level up.
        double[] b = [1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6];
        double[][] a = [[], [0.5], [0, 0.5], [0, 0, 1], b, [0, 0, 0, 0, 1]];
        double[] c = [0, 0.5, 0.5, 1, 1, 1];
        var weights = new ElementaryWeights(a, c);
        foreach (RootedTree t in RootedTrees.UpToOrder(5).Where(t => t.Children.Count == 1))
        {
            RootedTree sub = t.Children[0];
            Assert.Equal(1.0 / sub.Density, weights.StageWeights(t)[4], 1e-15);
            Assert.Equal(sub.IsLeaf ? 1.0 : weights.StageWeights(sub)[4], weights.StageWeights(t)[5], 1e-15);
        }
        double[] onExtra = [0, 0, 0, 0, 1, 0];
        RootedTree tall3 = Assert.Single(RootedTrees.OfOrder(3), t => t.ToString() == "[[τ]]");
        Assert.Equal(0.5, weights.Phi(tall3, onExtra), 1e-15);
    }

    [Fact]
    public void ElementaryWeights_Magnitude_UsesAbsoluteValues()
    {
        double[][] a = [[], [-1.0]];
        double[] c = [0, -1.0];
        var weights = new ElementaryWeights(a, c);
        RootedTree t = Assert.Single(RootedTrees.OfOrder(2));
        Assert.Equal(-2.0, weights.Phi(t, [1, 2]), 0);
        Assert.Equal(2.0, weights.Magnitude(t, [1, 2]), 0);
    }
}
