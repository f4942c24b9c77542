using System.Text;

namespace Ordo.Benchmarking;

/// <summary>Markdown rendering of a <see cref="ReportTable"/>.</summary>
public static class ReportTableMarkdown
{
    /// <summary>Appends the table under a "## title" heading (none when the title is empty) as a pipe table.</summary>
    public static StringBuilder AppendMarkdownTable(this StringBuilder sb, ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(table);
        if (table.Title.Length > 0) sb.AppendLine("## " + table.Title).AppendLine();
        return sb.AppendMarkdownRows(table);
    }

    /// <summary>Appends the pipe table alone (header, alignment row with <c>---:</c> for right-aligned columns, rows)
    /// and a blank line.</summary>
    public static StringBuilder AppendMarkdownRows(this StringBuilder sb, ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(table);
        sb.AppendLine("| " + string.Join(" | ", table.Headers) + " |");
        sb.AppendLine("|" + string.Concat(table.Headers.Select((_, i) => table.RightAligned.Contains(i) ? "---:|" : "---|")));
        foreach (IReadOnlyList<string> row in table.Rows) sb.AppendLine("| " + string.Join(" | ", row) + " |");
        return sb.AppendLine();
    }
}
