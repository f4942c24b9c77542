// Cost of forward-mode derivatives relative to one evaluation on doubles (docs/optimization/derivatives.md).
// Run from the repository root: dotnet run -c Release bench/forward-mode-cost/forward-mode-cost.cs
#:project ../../src/Ordo.Optimization/Ordo.Optimization.csproj
#:property Configuration=Release
#:property TreatWarningsAsErrors=false
using System.Diagnostics;
using System.Numerics;
using Ordo.Optimization.Differentiation;

// Extended Rosenbrock, n = 20, and a transcendental-heavy function.
foreach (IGenericScalarFunction f in new IGenericScalarFunction[] { new ExtRosen(20), new Trig(20) })
{
    var ad = new ForwardModeObjective(f);
    int n = f.Dimension;
    var x = Enumerable.Range(0, n).Select(i => 0.1 * i - 0.7).ToArray();
    var v = Enumerable.Range(0, n).Select(i => 1.0 / (i + 1)).ToArray();
    var g = new double[n]; var hv = new double[n]; var h = new double[n * n];
    var d1 = new Dual<double>[n]; var d2 = new Dual<Dual<double>>[n];
    for (int i = 0; i < n; i++) { d1[i] = new(x[i], v[i]); d2[i] = new(new(x[i], v[i]), new(v[i], 0)); }
    double Time(Action a, int reps) { double best = double.MaxValue; for (int k = 0; k < reps; k++) a(); for (int round = 0; round < 7; round++) { var sw = Stopwatch.StartNew(); for (int k = 0; k < reps; k++) a(); best = Math.Min(best, sw.Elapsed.TotalNanoseconds / reps); } return best; }
    double sink = 0;
    double tf = Time(() => sink += f.Evaluate<double>(x), 50000);
    double t1 = Time(() => sink += f.Evaluate<Dual<double>>(d1).Tangent, 50000);
    double t2 = Time(() => sink += f.Evaluate<Dual<Dual<double>>>(d2).Tangent.Tangent, 30000);
    double tg = Time(() => sink += ad.ValueAndGradient(x, g), 3000);
    double thv = Time(() => ad.HessianVectorProduct(x, v, hv), 2000);
    double th = Time(() => ad.Hessian(x, h), 200);
    Console.WriteLine($"{f.GetType().Name} n={n}: f {tf:F0} ns; one Dual pass {t1:F0} ns ({t1 / tf:F1}x); one nested pass {t2:F0} ns ({t2 / tf:F1}x); gradient {tg / 1000:F1} us ({tg / tf:F0}x f); HVP {thv / 1000:F1} us ({thv / tf:F0}x f); Hessian {th / 1000:F1} us ({th / tf:F0}x f) {sink > 0}");
}

sealed class ExtRosen(int n) : IGenericScalarFunction
{
    public int Dimension => n;
    public T Evaluate<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        T s = T.Zero, c = T.CreateTruncating(100);
        for (int i = 0; i + 1 < x.Length; i++) { T a = x[i + 1] - x[i] * x[i], b = T.One - x[i]; s += c * a * a + b * b; }
        return s;
    }
}
sealed class Trig(int n) : IGenericScalarFunction
{
    public int Dimension => n;
    public T Evaluate<T>(ReadOnlySpan<T> x) where T : IFloatingPointIeee754<T>
    {
        T s = T.Zero;
        for (int i = 0; i < x.Length; i++) s += T.Exp(T.Sin(x[i]) * x[(i + 1) % x.Length]) + T.Log(T.One + x[i] * x[i]);
        return s;
    }
}
