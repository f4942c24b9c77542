using Ordo.LinearAlgebra;

namespace Ordo.Core.Tests;

public class DenseSolverTests
{
    private static double[] RandomMatrix(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = 2 * rng.NextDouble() - 1;
        return a;
    }

    private static double[] SolveManaged(double[] a, double[] b, int n)
    {
        var lu = (double[])a.Clone();
        var x = (double[])b.Clone();
        Assert.True(DenseLU.FactorAndSolve(lu, n, new int[n], x));
        return x;
    }

    /// <summary>The LAPACK path where the library loads, and the managed fallback where it does not: either way the
    /// solver must say which it took and agree with <see cref="DenseLU"/>.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(120)]
    public void LapackBackendAgreesWithDenseLuOrReportsTheFallback(int n)
    {
        var solver = new DenseSolver(n, DenseSolverBackend.Lapack);
        // Where no library loads (CI installs none), the fallback must have been taken, and the results below are then
        // the managed LU's; where Debian's library is installed, it must have loaded.
        Assert.Equal(Lapack.IsAvailable, solver.UsesLapack);
        if (File.Exists("/usr/lib/x86_64-linux-gnu/libopenblas.so.0") || File.Exists("/usr/lib/x86_64-linux-gnu/liblapack.so.3"))
            Assert.True(solver.UsesLapack, "a LAPACK library is installed but did not load");

        var a = RandomMatrix(n, 40 + n);
        var b = Enumerable.Range(0, n).Select(i => Math.Cos(i)).ToArray();
        a.CopyTo(solver.Matrix);
        Assert.True(solver.Factor());
        Assert.Equal(-1, solver.ZeroPivot);
        var x = (double[])b.Clone();
        solver.Solve(x);
        var expected = SolveManaged(a, b, n);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(x[i] - expected[i]) <= 1e-10 * scale, $"x[{i}] = {x[i]}, DenseLU {expected[i]}");
        // A second right-hand side reuses the factors.
        var x2 = Enumerable.Repeat(1.0, n).ToArray();
        solver.Solve(x2);
        var expected2 = SolveManaged(a, Enumerable.Repeat(1.0, n).ToArray(), n);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(x2[i] - expected2[i]) <= 1e-10 * expected2.Max(Math.Abs));
    }

    [Fact]
    public void MissingLibraryFallsBackToTheManagedLu()
    {
        Assert.Null(LapackLibrary.Load(["libordo-no-such-lapack.so.9"]));
        var solver = new DenseSolver(5, lapack: null);
        Assert.False(solver.UsesLapack);
        var a = RandomMatrix(5, 3);
        a.CopyTo(solver.Matrix);
        Assert.True(solver.Factor());
        var x = new double[] { 1, 2, 3, 4, 5 };
        solver.Solve(x);
        var expected = SolveManaged(a, [1, 2, 3, 4, 5], 5);
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], x[i], 1e-14);
    }

    [Fact]
    public void AutoChoosesByTheThreshold()
    {
        Assert.False(new DenseSolver(DenseSolver.LapackThreshold - 1).UsesLapack);
        Assert.Equal(Lapack.IsAvailable, new DenseSolver(DenseSolver.LapackThreshold).UsesLapack);
        Assert.False(new DenseSolver(500, DenseSolverBackend.Managed).UsesLapack);
    }

    [Theory]
    [InlineData(DenseSolverBackend.Managed)]
    [InlineData(DenseSolverBackend.Lapack)]
    public void SingularAndNonFiniteMatricesAreReportedNotThrown(DenseSolverBackend backend)
    {
        // Row 1 and column 1 zero: step 1 finds no pivot in A or in Aᵀ (which LAPACK factors), whatever the rounding.
        var solver = new DenseSolver(3, backend);
        new double[] { 1, 0, 2, 0, 0, 0, 3, 0, 4 }.CopyTo(solver.Matrix);
        Assert.False(solver.Factor());
        Assert.Equal(1, solver.ZeroPivot);

        new double[] { 1, 0, 0, 0, double.NaN, 0, 0, 0, 1 }.CopyTo(solver.Matrix);
        Assert.False(solver.Factor());
        Assert.True(solver.ZeroPivot >= 0);
    }

    [Theory]
    [InlineData(DenseSolverBackend.Managed)]
    [InlineData(DenseSolverBackend.Lapack)]
    public void FactorAndSolveAllocateNothing(DenseSolverBackend backend)
    {
        int n = 60;
        var solver = new DenseSolver(n, backend);
        var a = RandomMatrix(n, 9);
        var x = new double[n];
        a.CopyTo(solver.Matrix);
        solver.Factor();
        solver.Solve(x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int rep = 0; rep < 10; rep++)
        {
            a.CopyTo(solver.Matrix);
            solver.Factor();
            x.AsSpan().Fill(1);
            solver.Solve(x);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
