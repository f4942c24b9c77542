namespace Ordo.Expressions;

/// <summary>
/// Which entries of a Jacobian can be nonzero, by structure (compressed rows): entry (i, j) is listed when output i uses
/// variable j. Found from the expressions themselves, conservatively: an index that runs over a range marks the whole
/// range. Stiff solvers use it for banded or sparse factorizations and column grouping.
/// </summary>
public sealed class SparsityPattern
{
    private readonly int[] _rowStarts;
    private readonly int[] _columns;

    internal SparsityPattern(int rows, int columns, IReadOnlyList<SortedSet<int>> perRow)
    {
        Rows = rows;
        Columns = columns;
        _rowStarts = new int[rows + 1];
        var list = new List<int>();
        for (int i = 0; i < rows; i++)
        {
            _rowStarts[i] = list.Count;
            list.AddRange(perRow[i]);
        }
        _rowStarts[rows] = list.Count;
        _columns = [.. list];
    }

    /// <summary>Number of outputs (rows).</summary>
    public int Rows { get; }

    /// <summary>Number of variables (columns).</summary>
    public int Columns { get; }

    /// <summary>Number of structurally nonzero entries.</summary>
    public int NonZeros => _columns.Length;

    /// <summary>The columns of row <paramref name="row"/>, ascending.</summary>
    public ReadOnlySpan<int> RowColumns(int row) => _columns.AsSpan(_rowStarts[row], _rowStarts[row + 1] - _rowStarts[row]);

    /// <summary>True when entry (row, column) can be nonzero.</summary>
    public bool Contains(int row, int column) => RowColumns(row).BinarySearch(column) >= 0;

    /// <summary>Lower and upper bandwidth: every nonzero (i, j) has −Lower ≤ j − i ≤ Upper.</summary>
    public (int Lower, int Upper) Bandwidth
    {
        get
        {
            int lower = 0, upper = 0;
            for (int i = 0; i < Rows; i++)
            {
                foreach (int j in RowColumns(i))
                {
                    lower = Math.Max(lower, i - j);
                    upper = Math.Max(upper, j - i);
                }
            }
            return (lower, upper);
        }
    }
}
