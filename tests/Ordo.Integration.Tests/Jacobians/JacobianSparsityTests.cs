using Ordo.Integration.Jacobians;

namespace Ordo.Integration.Tests.Jacobians;

/// <summary>Curtis–Powell–Reid column grouping: validity (no two columns of a group share a row), the optimal count for
/// bands, the row-count lower bound for general patterns, and argument checks.</summary>
public class JacobianSparsityTests
{
    private static void AssertGroupsAreValid(JacobianSparsity s)
    {
        int n = s.Dimension;
        var seen = new bool[n];
        for (int g = 0; g < s.GroupCount; g++)
        {
            var rowUsed = new HashSet<int>();
            foreach (int j in s.GroupColumns(g))
            {
                Assert.False(seen[j], $"column {j} in two groups");
                seen[j] = true;
                Assert.Equal(g, s.GroupOf(j));
                foreach (int i in s.ColumnRows(j)) Assert.True(rowUsed.Add(i), $"group {g}: row {i} hit by two columns");
            }
        }
        Assert.All(seen, Assert.True);
        // Lower bound: the columns of one row must all be in different groups.
        int maxRow = Enumerable.Range(0, n).Max(i => s.RowColumns(i).Length);
        Assert.True(s.GroupCount >= maxRow);
    }

    [Theory]
    [InlineData(1, 0, 0)]
    [InlineData(10, 1, 1)]
    [InlineData(1000, 2, 2)]
    [InlineData(100, 3, 0)]
    [InlineData(100, 0, 5)]
    [InlineData(30, 7, 2)]
    [InlineData(5, 9, 9)]
    public void BandNeedsKlPlusKuPlusOneGroups(int n, int kl, int ku)
    {
        var s = JacobianSparsity.Banded(n, kl, ku);
        int klEff = Math.Min(kl, n - 1), kuEff = Math.Min(ku, n - 1);
        Assert.Equal(Math.Min(n, klEff + kuEff + 1), s.GroupCount);
        Assert.Equal(klEff, s.Lower);
        Assert.Equal(kuEff, s.Upper);
        Assert.True(s.IsBanded);
        for (int j = 0; j < n; j++) Assert.Equal(j % (klEff + kuEff + 1), s.GroupOf(j));
        AssertGroupsAreValid(s);
    }

    [Fact]
    public void FivePointStencilNeedsFarFewerGroupsThanItsBandwidth()
    {
        // −Δ on an m×m grid, natural ordering: bandwidth m, but at most 5 entries per row.
        int m = 20, n = m * m;
        var rows = new List<int>[n];
        for (int a = 0; a < m; a++)
            for (int b = 0; b < m; b++)
            {
                var r = new List<int> { a * m + b };
                if (a > 0) r.Add((a - 1) * m + b);
                if (a < m - 1) r.Add((a + 1) * m + b);
                if (b > 0) r.Add(a * m + b - 1);
                if (b < m - 1) r.Add(a * m + b + 1);
                rows[a * m + b] = r;
            }
        var s = JacobianSparsity.FromRows(rows);
        Assert.False(s.IsBanded);
        Assert.Equal(m, s.Lower);
        Assert.Equal(m, s.Upper);
        Assert.Equal(5 * n - 4 * m, s.NonZeros);
        AssertGroupsAreValid(s);
        Assert.InRange(s.GroupCount, 5, 8); // the band alone would need 2m + 1 = 41
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomPatternsGetValidGroups(int seed)
    {
        var rng = new Random(seed);
        int n = 80;
        var rows = new int[n][];
        for (int i = 0; i < n; i++)
            rows[i] = Enumerable.Range(0, 1 + rng.Next(4)).Select(_ => rng.Next(n)).Append(i).Append(i).ToArray();
        var s = JacobianSparsity.FromRows(rows);
        AssertGroupsAreValid(s);
        Assert.True(s.GroupCount < n);
        // Duplicates are merged and rows come out sorted.
        for (int i = 0; i < n; i++)
        {
            var c = s.RowColumns(i).ToArray();
            Assert.Equal(rows[i].Distinct().Order().ToArray(), c);
        }
    }

    [Fact]
    public void BadPatternsThrow()
    {
        Assert.Throws<ArgumentException>(() => JacobianSparsity.FromRows(Array.Empty<int[]>()));
        Assert.Throws<ArgumentException>(() => JacobianSparsity.FromRows([[0], [2]]));
        Assert.Throws<ArgumentException>(() => JacobianSparsity.FromRows([[0], [-1]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => JacobianSparsity.Banded(0, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => JacobianSparsity.Banded(4, -1, 1));
        Assert.Throws<ArgumentException>(() => new OdeProblem<double>((t, y, dy) => dy.Clear(), [1.0, 2.0], 0, 1)
        {
            JacobianStructure = JacobianSparsity.Banded(3, 1, 1),
        });
        var ok = new OdeProblem<double>((t, y, dy) => dy.Clear(), [1.0, 2.0], 0, 1) { JacobianStructure = JacobianSparsity.Banded(2, 1, 1) };
        Assert.Equal(2, ok.JacobianStructure!.Dimension);
    }
}
