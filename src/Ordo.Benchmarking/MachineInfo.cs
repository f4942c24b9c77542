using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Ordo.Integration;

namespace Ordo.Benchmarking;

/// <summary>Where a benchmark ran: what a reader needs to judge its times.</summary>
/// <param name="OperatingSystem">OS description.</param>
/// <param name="Cpu">CPU model name (from /proc/cpuinfo where available).</param>
/// <param name="LogicalCores">Logical processors visible to the process.</param>
/// <param name="Runtime">.NET runtime description.</param>
/// <param name="OrdoBuild">"Release" or "Debug" (the JIT optimizer is disabled in Debug builds: times are meaningless).</param>
/// <param name="TieredCompilation">The tiered-compilation settings in force (from the runtime configuration).</param>
public sealed record MachineInfo(string OperatingSystem, string Cpu, int LogicalCores, string Runtime, string OrdoBuild, string TieredCompilation)
{
    /// <summary>Load average (1, 5, 15 min) when the benchmark started; other work on the machine makes times noisy.</summary>
    public string LoadBefore { get; init; } = "";

    /// <summary>Load average (1, 5, 15 min) when it ended.</summary>
    public string LoadAfter { get; init; } = LoadAverage();

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown".</summary>
    public static string LoadAverage()
    {
        try
        {
            if (File.Exists("/proc/loadavg"))
                return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3));
        }
        catch (IOException)
        {
            // fall through
        }
        return "unknown";
    }

    /// <summary>Describes the current machine and process.</summary>
    public static MachineInfo Current()
    {
        string cpu = RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null && line.Contains(':', StringComparison.Ordinal)) cpu = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
            }
        }
        catch (IOException)
        {
            // keep the architecture
        }
        bool debug = typeof(Ode).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false;
        string tiered = AppContext.GetData("System.Runtime.TieredCompilation") is object tc ? $"TieredCompilation={tc}" : "TieredCompilation=default (on)";
        if (AppContext.GetData("System.Runtime.TieredPGO") is object pgo) tiered += $", TieredPGO={pgo}";
        return new MachineInfo(RuntimeInformation.OSDescription, cpu, Environment.ProcessorCount, RuntimeInformation.FrameworkDescription,
            debug ? "Debug" : "Release", tiered);
    }
}
