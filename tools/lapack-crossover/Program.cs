// LAPACK (DenseSolverBackend.Lapack) against the managed DenseLU, factor and solve, in warmed-up code: three passes,
// the third printed, minimum over 7 rounds. Run: OPENBLAS_NUM_THREADS=1 dotnet run -c Release --project tools/lapack-crossover
// (docs/core/linear-algebra.md quotes its output; it chose DenseSolver.LapackThreshold).
using System.Diagnostics;
using Ordo.LinearAlgebra;
for (int pass = 0; pass < 3; pass++) foreach (int n in new[] { 20, 64, 100, 200, 300 })
{
    var rng = new Random(1);
    var a = new double[n * n];
    for (int i = 0; i < a.Length; i++) a[i] = rng.NextDouble() - 0.5;
    for (int i = 0; i < n; i++) a[i * n + i] += n;
    var b = new double[n];
    string line = $"n={n,4}";
    foreach (var be in new[] { DenseSolverBackend.Managed, DenseSolverBackend.Lapack })
    {
        var s = new DenseSolver(n, be);
        double best(Action act) { double m = double.MaxValue; for (int r = 0; r < 7; r++) { int reps = Math.Max(20, 200000 / (n * n)); act(); var sw = Stopwatch.StartNew(); for (int k = 0; k < reps; k++) act(); m = Math.Min(m, sw.Elapsed.TotalMicroseconds / reps); } return m; }
        double tf = best(() => { a.CopyTo(s.Matrix); s.Factor(); });
        double ts = best(() => { b.AsSpan().Fill(1); s.Solve(b); });
        line += $"  {be}: factor {tf,8:F2} µs solve {ts,6:F2} µs (lapack={s.UsesLapack})";
    }
    if (pass == 2) Console.WriteLine(line);
}
