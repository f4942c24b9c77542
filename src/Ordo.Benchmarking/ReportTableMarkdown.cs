using System.Text;

namespace Ordo.Benchmarking;

/// <summary>Markdown rendering of a <see cref="ReportTable"/>.</summary>
public static class ReportTableMarkdown
{
    /// <summary>Appends the table as a "## title" heading and a pipe table (right-aligned columns marked <c>---:</c>).</summary>
    public static StringBuilder AppendMarkdownTable(this StringBuilder sb, ReportTable table)
    {
        ArgumentNullException.ThrowIfNull(sb);
        ArgumentNullException.ThrowIfNull(table);
        sb.AppendLine("## " + table.Title);
        sb.AppendLine();
        sb.AppendLine("| " + string.Join(" | ", table.Headers) + " |");
        sb.AppendLine("|" + string.Concat(table.Headers.Select((_, i) => table.RightAligned.Contains(i) ? "---:|" : "---|")));
        foreach (IReadOnlyList<string> row in table.Rows) sb.AppendLine("| " + string.Join(" | ", row) + " |");
        sb.AppendLine();
        return sb;
    }
}
