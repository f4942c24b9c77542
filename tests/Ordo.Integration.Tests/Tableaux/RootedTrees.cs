using System.Text;

namespace Ordo.Integration.Tests.Tableaux;

/// <summary>
/// An unlabelled rooted tree (Butcher; HNW I, §II.2), represented by the multiset of the subtrees hanging from its
/// root. Trees are created only by <see cref="RootedTrees"/>, which makes each isomorphism class appear exactly once,
/// so reference equality is tree equality.
/// </summary>
public sealed class RootedTree
{
    internal RootedTree(int index, RootedTree[] children)
    {
        Index = index;
        Children = children;
        int order = 1;
        long density = 1;
        long symmetry = 1;
        foreach (RootedTree child in children)
        {
            order += child.Order;
            density *= child.Density;
            symmetry *= child.Symmetry;
        }
        // σ(t) also gets a factor m! for every subtree that occurs m times (children are sorted, so equal ones are adjacent).
        for (int i = 0, run = 1; i < children.Length; i++)
        {
            run = i > 0 && ReferenceEquals(children[i], children[i - 1]) ? run + 1 : 1;
            symmetry *= run;
        }
        Order = order;
        Density = order * density;
        Symmetry = symmetry;
    }

    /// <summary>Position in <see cref="RootedTrees.All"/>; every child has a smaller index than its parent.</summary>
    public int Index { get; }

    /// <summary>The subtrees of the root, sorted by <see cref="Index"/> (so equal subtrees are adjacent).</summary>
    public IReadOnlyList<RootedTree> Children { get; }

    /// <summary>Order |t|: the number of vertices.</summary>
    public int Order { get; }

    /// <summary>Density γ(t) = |t| · Π γ(tₖ) over the subtrees tₖ.</summary>
    public long Density { get; }

    /// <summary>Symmetry σ(t): the order of the tree's automorphism group.</summary>
    public long Symmetry { get; }

    /// <summary>True for the single-vertex tree τ.</summary>
    public bool IsLeaf => Children.Count == 0;

    /// <summary>Butcher's bracket notation: τ for a vertex, [t₁,…,tₘ] for a root with subtrees t₁…tₘ.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    private void Write(StringBuilder sb)
    {
        if (IsLeaf)
        {
            sb.Append('τ');
            return;
        }
        sb.Append('[');
        for (int i = 0; i < Children.Count; i++)
        {
            if (i > 0) sb.Append(',');
            Children[i].Write(sb);
        }
        sb.Append(']');
    }
}

/// <summary>
/// All rooted trees up to order <see cref="MaxOrder"/>, each once. The trees of order n are the roots whose subtrees
/// form a multiset of trees of total order n − 1; choosing the subtrees as a non-decreasing sequence of indices of
/// already enumerated (hence pairwise non-isomorphic) trees gives every multiset exactly once, so by induction every
/// isomorphism class of order n appears exactly once.
/// </summary>
public static class RootedTrees
{
    /// <summary>The largest order enumerated (enough for an 8th-order method and its order-9 counterexample).</summary>
    public const int MaxOrder = 9;

    private static readonly RootedTree[][] ByOrder = Enumerate(MaxOrder);

    /// <summary>All trees of orders 1..<see cref="MaxOrder"/>, by increasing order.</summary>
    public static IReadOnlyList<RootedTree> All { get; } = ByOrder.Skip(1).SelectMany(t => t).ToArray();

    /// <summary>The trees of order <paramref name="order"/> (1 ≤ order ≤ <see cref="MaxOrder"/>).</summary>
    public static IReadOnlyList<RootedTree> OfOrder(int order)
    {
        if (order < 1 || order > MaxOrder)
            throw new ArgumentOutOfRangeException(nameof(order), order, $"rooted trees are enumerated for orders 1..{MaxOrder}; raise RootedTrees.MaxOrder");
        return ByOrder[order];
    }

    /// <summary>The trees of orders 1..<paramref name="order"/>.</summary>
    public static IEnumerable<RootedTree> UpToOrder(int order) => Enumerable.Range(1, order).SelectMany(OfOrder);

    /// <summary>
    /// The elementary weight Φ(t) = Σᵢ bᵢ Φᵢ(t) of the method (b, A, c); A and c may describe any number of stages
    /// (for a continuous extension: the regular stages followed by the extra ones).
    /// </summary>
    public static double ElementaryWeight(RootedTree tree, ReadOnlySpan<double> b, IReadOnlyList<double[]> a, IReadOnlyList<double> c) =>
        new ElementaryWeights(a, c, tree.Order).Phi(tree, b);

    private static RootedTree[][] Enumerate(int maxOrder)
    {
        var byOrder = new RootedTree[maxOrder + 1][];
        var all = new List<RootedTree>();
        byOrder[0] = [];
        for (int n = 1; n <= maxOrder; n++)
        {
            var found = new List<RootedTree>();
            var children = new List<RootedTree>();

            // Children in non-decreasing index order with orders summing to `remaining`.
            void Choose(int remaining, int minIndex)
            {
                if (remaining == 0)
                {
                    found.Add(new RootedTree(all.Count + found.Count, [.. children]));
                    return;
                }
                for (int k = minIndex; k < all.Count && all[k].Order <= remaining; k++)
                {
                    children.Add(all[k]);
                    Choose(remaining - all[k].Order, k);
                    children.RemoveAt(children.Count - 1);
                }
            }

            Choose(n - 1, 0);
            byOrder[n] = [.. found];
            all.AddRange(found);
        }
        return byOrder;
    }
}

/// <summary>
/// Elementary weights of the explicit Runge–Kutta method with coefficients (A, c) over any number of stages:
/// the stage weights Φᵢ(τ) = 1 and Φᵢ([t₁,…,tₘ]) = Πₖ Σⱼ aᵢⱼ Φⱼ(tₖ), where a leaf subtree contributes
/// Σⱼ aᵢⱼ = cᵢ; then Φ(t) = Σᵢ bᵢ Φᵢ(t) for any weights b. The order conditions are Φ(t) = 1/γ(t) (HNW I, Thm. II.2.13).
/// </summary>
/// <remarks>
/// Row i of A may be shorter than i (missing entries are zero), so a tableau's rows (length i) and a continuous
/// extension's extra rows (length s + e) can be used as given. Alongside Φ the class computes the magnitude
/// |Φ|(t) = Σᵢ |bᵢ| |Φ|ᵢ(t), the same sum over |A|, |c| and |b|, which bounds the effect of rounding the coefficients.
/// </remarks>
public sealed class ElementaryWeights
{
    private readonly int _stages;
    private readonly double[][] _phi;
    private readonly double[][] _magnitude;

    /// <summary>Computes the stage weights for every tree up to <paramref name="maxOrder"/>.</summary>
    /// <param name="a">Row i holds aᵢⱼ for j &lt; i (at most i entries).</param>
    /// <param name="c">Nodes, one per stage.</param>
    /// <param name="maxOrder">Largest tree order needed.</param>
    public ElementaryWeights(IReadOnlyList<double[]> a, IReadOnlyList<double> c, int maxOrder = RootedTrees.MaxOrder)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(c);
        _stages = c.Count;
        if (a.Count != _stages) throw new ArgumentException($"A has {a.Count} rows but there are {_stages} nodes", nameof(a));
        for (int i = 0; i < _stages; i++)
            if (a[i].Length > i) throw new ArgumentException($"row {i} of A has {a[i].Length} entries; an explicit method allows at most {i}", nameof(a));

        var absA = a.Select(row => row.Select(Math.Abs).ToArray()).ToArray();
        var absC = c.Select(Math.Abs).ToArray();
        int count = RootedTrees.UpToOrder(maxOrder).Count();
        _phi = new double[count][];
        _magnitude = new double[count][];
        foreach (RootedTree t in RootedTrees.UpToOrder(maxOrder)) // by increasing order: children come first
        {
            _phi[t.Index] = StageWeights(t, a, [.. c], _phi);
            _magnitude[t.Index] = StageWeights(t, absA, absC, _magnitude);
        }
    }

    /// <summary>Number of stages.</summary>
    public int Stages => _stages;

    /// <summary>Φᵢ(t) for stage i.</summary>
    public ReadOnlySpan<double> StageWeights(RootedTree tree) => _phi[tree.Index];

    /// <summary>Φ(t) = Σᵢ bᵢ Φᵢ(t).</summary>
    public double Phi(RootedTree tree, ReadOnlySpan<double> b) => Dot(b, _phi[tree.Index], absolute: false);

    /// <summary>|Φ|(t) = Σᵢ |bᵢ| |Φ|ᵢ(t): Φ evaluated with the absolute values of all coefficients.</summary>
    public double Magnitude(RootedTree tree, ReadOnlySpan<double> b) => Dot(b, _magnitude[tree.Index], absolute: true);

    private double Dot(ReadOnlySpan<double> b, double[] stageWeights, bool absolute)
    {
        if (b.Length != _stages) throw new ArgumentException($"b has {b.Length} entries but there are {_stages} stages", nameof(b));
        double sum = 0;
        for (int i = 0; i < _stages; i++) sum += (absolute ? Math.Abs(b[i]) : b[i]) * stageWeights[i];
        return sum;
    }

    private double[] StageWeights(RootedTree tree, IReadOnlyList<double[]> a, double[] c, double[][] known)
    {
        var u = new double[_stages];
        Array.Fill(u, 1.0);
        foreach (RootedTree child in tree.Children)
        {
            double[] v = known[child.Index];
            for (int i = 0; i < _stages; i++)
            {
                double sum;
                if (child.IsLeaf)
                {
                    sum = c[i];
                }
                else
                {
                    sum = 0;
                    double[] row = a[i];
                    for (int j = 0; j < row.Length; j++) sum += row[j] * v[j];
                }
                u[i] *= sum;
            }
        }
        return u;
    }
}
