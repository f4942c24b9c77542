using Ordo.Benchmarking;
using Spectre.Console;

namespace Ordo.Cli;

/// <summary>Shows benchmark progress on stderr: a Spectre progress display on a terminal, otherwise a plain line at
/// the start of each stage and at every 10 % of it.</summary>
internal static class BenchProgress
{
    public static T Run<T>(CliConsole console, Func<IProgress<BenchmarkProgress>, T> work)
    {
        if (!console.ErrorIsTerminal) return work(new LineProgress(console.Error));
        IAnsiConsole ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        return ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx => work(new SpectreProgress(ctx)));
    }

    private static string Title(string stage) => stage switch
    {
        "ordo" => "Ordo sweeps",
        "scipy" => "scipy sweeps",
        "report" => "report",
        "warm-up" => "warm-up",
        "flow" => "flow sweeps",
        _ => stage,
    };

    private sealed class SpectreProgress(ProgressContext context) : IProgress<BenchmarkProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = [];
        private readonly Lock _lock = new();

        public void Report(BenchmarkProgress value)
        {
            lock (_lock)
            {
                if (!_tasks.TryGetValue(value.Stage, out ProgressTask? task))
                {
                    foreach (ProgressTask other in _tasks.Values) other.Value = other.MaxValue;
                    task = context.AddTask(Title(value.Stage), maxValue: Math.Max(1, value.Total));
                    _tasks[value.Stage] = task;
                }
                task.MaxValue = Math.Max(1, value.Total);
                task.Value = value.Completed;
                task.Description = $"{Title(value.Stage)} {Markup.Escape(value.Current)}";
            }
        }
    }

    private sealed class LineProgress(TextWriter error) : IProgress<BenchmarkProgress>
    {
        private readonly Lock _lock = new();
        private string _stage = "";
        private int _lastDecile = -1;

        public void Report(BenchmarkProgress value)
        {
            lock (_lock)
            {
                if (value.Stage != _stage)
                {
                    _stage = value.Stage;
                    _lastDecile = -1;
                }
                int decile = value.Total > 0 ? 10 * value.Completed / value.Total : 10;
                if (decile == _lastDecile) return;
                _lastDecile = decile;
                error.WriteLine($"{Title(value.Stage)}: {value.Completed}/{value.Total} ({10 * decile}%) {value.Current}");
            }
        }
    }
}
