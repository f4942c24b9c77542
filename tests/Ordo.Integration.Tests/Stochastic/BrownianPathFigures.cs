using System.Diagnostics;

namespace Ordo.Integration.Tests.Stochastic;

/// <summary>
/// Speed figures for docs/integration/sde.md ("Brownian paths"): time per step of monotone stepping through a
/// virtual Brownian tree with and without its path cache, and of the fixed grid. Prints only; asserts that the cached
/// and uncached runs give the same sums (the cache may not change answers).
/// </summary>
public class BrownianPathFigures(ITestOutputHelper output)
{
    private double Run(string what, IBrownianPath path, int steps, int repeats, Action? beforeQuery = null)
    {
        Span<double> w = stackalloc double[path.Lanes], h = stackalloc double[path.Lanes];
        double step = (path.T1 - path.T0) / steps, sum = 0;
        var watch = Stopwatch.StartNew();
        for (int r = 0; r < repeats; r++)
        {
            for (int n = 0; n < steps; n++)
            {
                beforeQuery?.Invoke();
                path.Increment(path.T0 + n * step, n + 1 == steps ? path.T1 : path.T0 + (n + 1) * step, w, h);
                sum += w[0] + h[0];
            }
        }
        double ns = watch.Elapsed.TotalNanoseconds / ((double)steps * repeats);
        output.WriteLine($"{what,-58} {ns,8:F0} ns/step ({path.Lanes} lane(s))");
        return sum;
    }

    [Fact]
    public void Stepping_speed()
    {
        foreach ((int steps, double tol, string label) in new[] { (1024, 0.5 / 1024, "tol = h/2 (L = 11)"), (100, Math.ScaleB(1.0, -20), "h = T/100, L = 20") })
        {
            foreach (int lanes in new[] { 1, 8 })
            {
                var cached = new VirtualBrownianTree(0.0, 1.0, tol, lanes, 1);
                var uncached = new VirtualBrownianTree(0.0, 1.0, tol, lanes, 1);
                int repeats = Math.Max(1, 200_000 / (steps * lanes));
                Run("warm-up", cached, steps, 1);
                double a = Run($"tree, cached, {label}", cached, steps, repeats);
                double b = Run($"tree, no cache (from the root each query), {label}", uncached, steps, repeats, uncached.ResetCache);
                Assert.Equal(a, b);
            }
        }
        Run("fixed grid (BrownianIncrements), 1 lane", new BrownianIncrements(0.0, 1.0 / 1024, 1024, 1, 1), 1024, 200);
        Run("fixed grid (BrownianIncrements), 8 lanes", new BrownianIncrements(0.0, 1.0 / 1024, 1024, 8, 1), 1024, 50);
    }
}
