using System.Runtime.InteropServices;

namespace Ordo.Benchmarking.Sde;

/// <summary>
/// CPU time of the calling thread (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): what a single-threaded run
/// costs whatever else the machine is doing, where wall time grows with the load. NaN where it is not available.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int ClockGetTime(int clock, out TimeSpec time);

    /// <summary>The calling thread's CPU time in seconds, or NaN.</summary>
    public static double Seconds()
    {
        if (!OperatingSystem.IsLinux()) return double.NaN;
        try
        {
            return ClockGetTime(ClockThreadCpuTimeId, out TimeSpec t) == 0 ? t.Seconds + 1e-9 * t.Nanoseconds : double.NaN;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return double.NaN;
        }
    }
}
