using Spectre.Console;

namespace Ordo.Cli;

/// <summary>The two output streams of a command, and whether they are an interactive terminal (then tables and
/// progress are drawn with Spectre.Console; otherwise plain text).</summary>
internal sealed class CliConsole(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>stdout is the process's own console and not redirected.</summary>
    public bool OutIsTerminal => ReferenceEquals(Out, Console.Out) && !Console.IsOutputRedirected;

    /// <summary>stderr is the process's own console and not redirected.</summary>
    public bool ErrorIsTerminal => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>Writes a table to stdout: a Spectre table on a terminal, aligned plain-text columns otherwise.</summary>
    public void WriteTable(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, ISet<int>? rightAligned = null)
    {
        List<IReadOnlyList<string>> data = rows.ToList();
        rightAligned ??= new HashSet<int>();
        if (OutIsTerminal)
        {
            IAnsiConsole ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Out) });
            var table = new Table { Border = TableBorder.Rounded };
            for (int i = 0; i < headers.Count; i++)
            {
                var column = new TableColumn(new Text(headers[i], new Style(decoration: Decoration.Bold)));
                if (rightAligned.Contains(i)) column.RightAligned();
                table.AddColumn(column);
            }
            foreach (IReadOnlyList<string> row in data) table.AddRow(row.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c)).ToArray());
            ansi.Write(table);
            return;
        }
        int[] width = new int[headers.Count];
        foreach (IReadOnlyList<string> row in data.Prepend(headers))
            for (int i = 0; i < width.Length && i < row.Count; i++) width[i] = Math.Max(width[i], row[i].Length);
        foreach (IReadOnlyList<string> row in data.Prepend(headers))
        {
            var cells = new List<string>();
            for (int i = 0; i < headers.Count; i++)
            {
                string c = i < row.Count ? row[i] : "";
                bool last = i == headers.Count - 1;
                cells.Add(rightAligned.Contains(i) ? c.PadLeft(width[i]) : last ? c : c.PadRight(width[i]));
            }
            Out.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }
}
