namespace Ordo.Integration.Jacobians;

/// <summary>
/// Which entries of the Jacobian ∂f/∂y may be non-zero: a band (<see cref="Banded"/>: kl sub- and ku super-diagonals)
/// or a general pattern (<see cref="FromRows"/>: for each row i the columns j with ∂fᵢ/∂yⱼ possibly ≠ 0). Set it on
/// <see cref="OdeProblem{T}.JacobianStructure"/>; stiff methods then difference f in column groups
/// (<see cref="FiniteDifferenceJacobian"/>) and factor with a banded LU when the band is narrow (<see cref="IterationMatrix"/>).
/// </summary>
/// <remarks>
/// The column groups are computed once, here, by the greedy method of A. R. Curtis, M. J. D. Powell and J. K. Reid,
/// "On the estimation of sparse Jacobian matrices", <i>J. Inst. Maths Applics</i> 13 (1974) 117–119: columns taken in
/// their natural order are added to the current group when they share no row with a column already in it; a new group
/// starts when no remaining column fits. Columns of one group are perturbed together, so one evaluation of f gives all of
/// them. For a band this yields the optimal kl + ku + 1 groups (column j in group j mod (kl + ku + 1)); in general the
/// number of groups is at least the largest number of non-zeros in a row.
/// </remarks>
public sealed class JacobianSparsity
{
    private readonly int[] _rowStart;
    private readonly int[] _rowColumns;
    private readonly int[] _columnStart;
    private readonly int[] _columnRows;
    private readonly int[] _groupOfColumn;
    private readonly int[] _groupStart;
    private readonly int[] _groupColumns;

    private JacobianSparsity(int n, int[] rowStart, int[] rowColumns, bool banded)
    {
        Dimension = n;
        IsBanded = banded;
        _rowStart = rowStart;
        _rowColumns = rowColumns;

        // Transpose into column lists (rows ascending) and read off the bandwidths.
        var count = new int[n + 1];
        foreach (int j in rowColumns) count[j + 1]++;
        for (int j = 0; j < n; j++) count[j + 1] += count[j];
        _columnStart = (int[])count.Clone();
        _columnRows = new int[rowColumns.Length];
        int lower = 0, upper = 0;
        for (int i = 0; i < n; i++)
        {
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++)
            {
                int j = rowColumns[k];
                _columnRows[count[j]++] = i;
                lower = Math.Max(lower, i - j);
                upper = Math.Max(upper, j - i);
            }
        }
        Lower = lower;
        Upper = upper;

        (_groupOfColumn, _groupStart, _groupColumns) = CurtisPowellReid();
    }

    /// <summary>A band pattern: ∂fᵢ/∂yⱼ may be non-zero only for i − <paramref name="lower"/> ≤ j ≤ i + <paramref name="upper"/>.</summary>
    /// <param name="dimension">n, the number of equations.</param>
    /// <param name="lower">kl, the number of sub-diagonals (≥ 0).</param>
    /// <param name="upper">ku, the number of super-diagonals (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">n ≤ 0, or kl or ku negative.</exception>
    public static JacobianSparsity Banded(int dimension, int lower, int upper)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentOutOfRangeException.ThrowIfNegative(lower);
        ArgumentOutOfRangeException.ThrowIfNegative(upper);
        int n = dimension;
        lower = Math.Min(lower, n - 1);
        upper = Math.Min(upper, n - 1);
        var rowStart = new int[n + 1];
        var columns = new List<int>(n * (lower + upper + 1));
        for (int i = 0; i < n; i++)
        {
            for (int j = Math.Max(0, i - lower); j <= Math.Min(n - 1, i + upper); j++) columns.Add(j);
            rowStart[i + 1] = columns.Count;
        }
        return new JacobianSparsity(n, rowStart, columns.ToArray(), banded: true);
    }

    /// <summary>A general pattern: <paramref name="rows"/>[i] lists the columns j with ∂fᵢ/∂yⱼ possibly non-zero (any
    /// order, duplicates allowed); n = rows.Count.</summary>
    /// <exception cref="ArgumentException">No rows, a null row, or a column index outside [0, n).</exception>
    public static JacobianSparsity FromRows(IReadOnlyList<IReadOnlyCollection<int>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int n = rows.Count;
        if (n == 0) throw new ArgumentException("The pattern has no rows.", nameof(rows));
        var rowStart = new int[n + 1];
        var columns = new List<int>();
        for (int i = 0; i < n; i++)
        {
            var row = rows[i] ?? throw new ArgumentException($"rows[{i}] is null.", nameof(rows));
            foreach (int j in row.Distinct().Order())
            {
                if (j < 0 || j >= n)
                    throw new ArgumentException($"rows[{i}] lists column {j}, outside [0, {n}).", nameof(rows));
                columns.Add(j);
            }
            rowStart[i + 1] = columns.Count;
        }
        return new JacobianSparsity(n, rowStart, columns.ToArray(), banded: false);
    }

    /// <summary>n, the number of equations and unknowns.</summary>
    public int Dimension { get; }

    /// <summary>True when made by <see cref="Banded"/>.</summary>
    public bool IsBanded { get; }

    /// <summary>The lower bandwidth kl: the largest i − j over the pattern's entries (for <see cref="FromRows"/>, computed).</summary>
    public int Lower { get; }

    /// <summary>The upper bandwidth ku: the largest j − i over the pattern's entries.</summary>
    public int Upper { get; }

    /// <summary>The number of entries of the pattern.</summary>
    public int NonZeros => _rowColumns.Length;

    /// <summary>The number of Curtis–Powell–Reid column groups: evaluations of f per finite-difference Jacobian.</summary>
    public int GroupCount => _groupStart.Length - 1;

    /// <summary>The columns of row i, ascending.</summary>
    public ReadOnlySpan<int> RowColumns(int i) => _rowColumns.AsSpan(_rowStart[i], _rowStart[i + 1] - _rowStart[i]);

    /// <summary>The rows of column j, ascending.</summary>
    public ReadOnlySpan<int> ColumnRows(int j) => _columnRows.AsSpan(_columnStart[j], _columnStart[j + 1] - _columnStart[j]);

    /// <summary>The group of column j.</summary>
    public int GroupOf(int j) => _groupOfColumn[j];

    /// <summary>The columns of group g, ascending; no two of them share a row.</summary>
    public ReadOnlySpan<int> GroupColumns(int g) => _groupColumns.AsSpan(_groupStart[g], _groupStart[g + 1] - _groupStart[g]);

    private (int[] GroupOf, int[] Start, int[] Columns) CurtisPowellReid()
    {
        int n = Dimension;
        var groupOf = new int[n];
        Array.Fill(groupOf, -1);
        var rowTakenBy = new int[n]; // the last group that used the row; −1 never.
        Array.Fill(rowTakenBy, -1);
        var start = new List<int> { 0 };
        var columns = new int[n];
        int assigned = 0, group = 0, firstFree = 0;
        while (assigned < n)
        {
            for (int j = firstFree; j < n; j++)
            {
                if (groupOf[j] >= 0) continue;
                bool fits = true;
                foreach (int i in ColumnRows(j))
                {
                    if (rowTakenBy[i] == group) { fits = false; break; }
                }
                if (!fits) continue;
                foreach (int i in ColumnRows(j)) rowTakenBy[i] = group;
                groupOf[j] = group;
                columns[assigned++] = j;
            }
            while (firstFree < n && groupOf[firstFree] >= 0) firstFree++;
            start.Add(assigned);
            group++;
        }
        return (groupOf, start.ToArray(), columns);
    }
}
