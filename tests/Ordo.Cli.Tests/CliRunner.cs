using System.Text.Json;

namespace Ordo.Cli.Tests;

/// <summary>Runs the <c>ordo</c> command in-process for the tests (<c>using static</c>).</summary>
internal static class CliRunner
{
    /// <summary>Runs <c>ordo</c> with <paramref name="args"/>; returns the exit code, stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs a --json command that must succeed; returns the one JSON object of stdout.</summary>
    public static JsonElement RunJson(params string[] args)
    {
        (int code, string output, string error) = Run(args);
        Assert.True(code == 0, $"exit {code}; stderr: {error}");
        Assert.Single(output.TrimEnd('\n').Split('\n'));
        using JsonDocument doc = JsonDocument.Parse(output);
        return doc.RootElement.Clone();
    }

    /// <summary>The property names of a JSON object, in order.</summary>
    public static string[] Names(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

    /// <summary>An example problem file (examples/problems, copied next to the tests).</summary>
    public static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "examples", name);
}
