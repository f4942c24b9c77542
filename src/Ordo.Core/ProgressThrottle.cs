using System.Diagnostics;

namespace Ordo;

/// <summary>
/// Decides when a driver loop should report progress: at most once per <see cref="Interval"/>, and the clock is
/// read only every 16th call so that a cheap step does not pay for a timestamp.
/// </summary>
public struct ProgressThrottle
{
    private long _nextTimestamp;
    private int _calls;

    /// <summary>Minimum time between reports.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Creates a throttle that fires at most once per <paramref name="interval"/> (the first call fires).</summary>
    public ProgressThrottle(TimeSpan interval)
    {
        Interval = interval;
        _nextTimestamp = 0;
        _calls = 0;
    }

    /// <summary>True when a report is due; resets the timer when it returns true.</summary>
    public bool ShouldReport()
    {
        if ((_calls++ & 15) != 0) return false;
        long now = Stopwatch.GetTimestamp();
        if (now < _nextTimestamp) return false;
        _nextTimestamp = now + (long)(Interval.TotalSeconds * Stopwatch.Frequency);
        return true;
    }
}
