using System.CommandLine;
using System.CommandLine.Help;
using Ordo.Problems.ProblemFiles;

namespace Ordo.Cli;

/// <summary>
/// The <c>ordo</c> command (contract: ../shared/spec/problem-files-and-cli.md). This class only parses and prints; the
/// work is done by the libraries. Exit codes: 0 when the command ran, 2 for bad input (one line on stderr naming what
/// is wrong), 1 for an unexpected failure.
/// </summary>
public static class Cli
{
    /// <summary>The command ran.</summary>
    public const int ExitOk = 0;

    /// <summary>Something unexpected failed (a bug, or the output folder is not writable).</summary>
    public const int ExitFailure = 1;

    /// <summary>Bad input: unknown command, option, method, problem or suite; a number that does not parse; a problem
    /// file that cannot be read, is not valid JSON, or has a bad field or expression.</summary>
    public const int ExitBadInput = 2;

    /// <summary>Runs <c>ordo</c> with <paramref name="args"/>, writing output to <paramref name="stdout"/> and messages
    /// and progress to <paramref name="stderr"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var console = new CliConsole(stdout, stderr);
        RootCommand root = BuildRoot(console);
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is not HelpAction)
        {
            // All parse errors on one line, the most specific (an unrecognized token) first.
            IEnumerable<string> messages = parse.Errors.Select(e => e.Message.TrimEnd('.'))
                .OrderBy(m => m.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1);
            stderr.WriteLine($"ordo: {string.Join("; ", messages)} (see 'ordo --help')");
            return ExitBadInput;
        }
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (BadInputException ex)
        {
            stderr.WriteLine($"ordo: {OneLine(ex.Message)}");
            return ExitBadInput;
        }
        catch (ProblemFileException ex)
        {
            stderr.WriteLine($"ordo: {OneLine(ex.Message)}");
            return ExitBadInput;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("ordo: cancelled");
            return ExitFailure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"ordo: {ex.Message}");
            return ExitFailure;
        }
    }

    private static RootCommand BuildRoot(CliConsole console)
    {
        var root = new RootCommand("Ordo: numerical solvers for ODEs, SDEs, optimization and flow sampling, from the command line.");
        root.Subcommands.Add(SolveCommand.Create(console));
        root.Subcommands.Add(FlowCommand.Create(console));
        root.Subcommands.Add(CheckCommand.Create(console));
        root.Subcommands.Add(MethodsCommand.Create(console));
        root.Subcommands.Add(BenchCommand.Create(console));
        return root;
    }

    private static string OneLine(string message) =>
        message.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ').Replace('\r', ' ');
}

/// <summary>Bad input detected by a command: reported as one line on stderr with exit code 2.</summary>
internal sealed class BadInputException(string message) : Exception(message);
