using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

// Micro-benchmarks of Ordo's hot paths (BenchmarkDotNet). Run all of them with
//   dotnet run -c Release --project bench/Ordo.Benchmarks -- --filter '*'
// or one class with --filter '*GenericVsHandWritten*'. Results go to BenchmarkDotNet.Artifacts/ (ignored by git);
// the figures quoted in docs/integration/explicit-rk.md come from this command.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, DefaultConfig.Instance.WithArtifactsPath(
    Path.Combine(Path.GetTempPath(), "ordo-benchmarkdotnet")));

internal partial class Program;
