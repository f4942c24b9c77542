using System.Diagnostics;
using Spectre.Console;

namespace Ordo.Cli;

/// <summary>Shows the progress of a long solve on stderr: nothing for the first half second (short solves stay
/// quiet), then a Spectre progress bar on a terminal, or a plain line at every 10 % when stderr is redirected.</summary>
internal static class SolveProgress
{
    private static readonly TimeSpan s_delay = TimeSpan.FromSeconds(0.5);

    /// <summary>Runs <paramref name="work"/> with a fraction-done reporter (null when <paramref name="show"/> is false).</summary>
    public static T Run<T>(CliConsole console, bool show, string title, Func<IProgress<double>?, T> work)
    {
        if (!show) return work(null);
        if (!console.ErrorIsTerminal) return work(new LineProgress(console.Error, title));
        IAnsiConsole ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(console.Error) });
        return ansi.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx => work(new SpectreProgress(ctx, title)));
    }

    private sealed class SpectreProgress(ProgressContext context, string title) : IProgress<double>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private ProgressTask? _task;

        public void Report(double value)
        {
            if (_task is null)
            {
                if (_clock.Elapsed < s_delay) return;
                _task = context.AddTask(Markup.Escape(title), maxValue: 1000);
            }
            _task.Value = Math.Clamp(value, 0, 1) * 1000;
        }
    }

    private sealed class LineProgress(TextWriter error, string title) : IProgress<double>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private int _lastDecile = -1;

        public void Report(double value)
        {
            if (_lastDecile < 0 && _clock.Elapsed < s_delay) return;
            int decile = (int)Math.Floor(10 * Math.Clamp(value, 0, 1));
            if (decile <= _lastDecile) return;
            _lastDecile = decile;
            error.WriteLine($"{title}: {10 * decile}%");
        }
    }
}
