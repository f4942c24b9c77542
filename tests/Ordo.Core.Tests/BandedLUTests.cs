using Ordo.LinearAlgebra;

namespace Ordo.Core.Tests;

public class BandedLUTests
{
    /// <summary>A random n×n band matrix (kl, ku), dense row-major and in band storage; weak diagonal so that pivoting happens.</summary>
    private static (double[] Dense, double[] Band) RandomBand(int n, int kl, int ku, int seed)
    {
        var rng = new Random(seed);
        var dense = new double[n * n];
        var band = new double[BandedLU.StorageLength(n, kl, ku)];
        for (int i = 0; i < n; i++)
            for (int j = Math.Max(0, i - kl); j <= Math.Min(n - 1, i + ku); j++)
            {
                double v = 2 * rng.NextDouble() - 1;
                dense[i * n + j] = v;
                band[BandedLU.Index(i, j, kl, ku)] = v;
            }
        // Garbage in the fill-in rows must not matter: Factor clears them.
        int ld = BandedLU.LeadingDimension(kl, ku);
        for (int j = 0; j < n; j++)
            for (int r = 0; r < kl; r++) band[j * ld + r] = 1e30;
        return (dense, band);
    }

    private static double[] Multiply(double[] a, double[] x, int n)
    {
        var y = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) y[i] += a[i * n + j] * x[j];
        return y;
    }

    [Theory]
    [InlineData(1, 0, 0, 1)]
    [InlineData(5, 1, 1, 2)]
    [InlineData(20, 2, 3, 3)]
    [InlineData(40, 5, 1, 4)]
    [InlineData(60, 0, 4, 5)]
    [InlineData(60, 4, 0, 6)]
    [InlineData(30, 29, 29, 7)]
    [InlineData(100, 7, 7, 8)]
    public void BandedSolveMatchesDenseLuOnRandomBandMatrices(int n, int kl, int ku, int seed)
    {
        var (dense, band) = RandomBand(n, kl, ku, seed);
        var rng = new Random(seed + 100);
        var b = Enumerable.Range(0, n).Select(_ => rng.NextDouble() - 0.5).ToArray();

        // The band product agrees with the dense one before factoring.
        var yBand = new double[n];
        var x0 = Enumerable.Range(0, n).Select(i => Math.Sin(i + 1.0)).ToArray();
        BandedLU.Multiply(band, n, kl, ku, x0, yBand);
        var yDense = Multiply(dense, x0, n);
        for (int i = 0; i < n; i++) Assert.Equal(yDense[i], yBand[i], 1e-13);

        var lu = (double[])dense.Clone();
        var pd = new int[n];
        Assert.True(DenseLU.Factor(lu, n, pd));
        var xd = (double[])b.Clone();
        DenseLU.Solve(lu, n, pd, xd);

        var pb = new int[n];
        Assert.True(BandedLU.Factor(band, n, kl, ku, pb, out int zero));
        Assert.Equal(-1, zero);
        // Same elimination, same pivot choice: LAPACK's band pivots equal the dense ones.
        Assert.Equal(pd, pb);
        var xb = (double[])b.Clone();
        BandedLU.Solve(band, n, kl, ku, pb, xb);

        double scale = xd.Max(Math.Abs);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(xd[i] - xb[i]) <= 1e-11 * scale, $"x[{i}]: dense {xd[i]}, banded {xb[i]}");
        // Backward error of the banded solve against the original matrix.
        var r = Multiply(dense, xb, n);
        double normA = 0;
        for (int i = 0; i < n; i++) normA = Math.Max(normA, Enumerable.Range(0, n).Sum(j => Math.Abs(dense[i * n + j])));
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(r[i] - b[i]) <= 50 * n * 1.1e-16 * normA * scale);

        // Transposed solve against the dense one.
        var xt = (double[])b.Clone();
        DenseLU.SolveTranspose(lu, n, pd, xt);
        var xbt = (double[])b.Clone();
        BandedLU.SolveTranspose(band, n, kl, ku, pb, xbt);
        double scaleT = xt.Max(Math.Abs);
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(xt[i] - xbt[i]) <= 1e-11 * scaleT);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(200)]
    public void TridiagonalSecondDifferenceHasItsClosedFormInverse(int n)
    {
        // A = tridiag(−1, 2, −1): (A⁻¹)ᵢⱼ = min(i, j)·(n + 1 − max(i, j))/(n + 1) with one-based i, j, so A⁻¹e_k is known.
        int kl = 1, ku = 1;
        var ab = new double[BandedLU.StorageLength(n, kl, ku)];
        for (int i = 0; i < n; i++)
        {
            ab[BandedLU.Index(i, i, kl, ku)] = 2;
            if (i > 0) ab[BandedLU.Index(i, i - 1, kl, ku)] = -1;
            if (i < n - 1) ab[BandedLU.Index(i, i + 1, kl, ku)] = -1;
        }
        var piv = new int[n];
        Assert.True(BandedLU.Factor(ab, n, kl, ku, piv));
        foreach (int k in new[] { 0, n / 3, n - 1 })
        {
            var x = new double[n];
            x[k] = 1;
            BandedLU.Solve(ab, n, kl, ku, piv, x);
            for (int i = 0; i < n; i++)
            {
                int ii = i + 1, kk = k + 1;
                double exact = (double)Math.Min(ii, kk) * (n + 1 - Math.Max(ii, kk)) / (n + 1);
                Assert.True(Math.Abs(x[i] - exact) <= 1e-13 * n * n, $"n={n} k={k} i={i}: {x[i]} vs {exact}");
            }
        }
    }

    [Fact]
    public void ExactlySingularBandMatrixReportsTheZeroPivot()
    {
        // Lower bidiagonal with a zero on the diagonal at row 3 and nothing below it in that column: column 3 is zero
        // from the diagonal down, so step 3 has no pivot.
        int n = 6, kl = 1, ku = 1;
        var ab = new double[BandedLU.StorageLength(n, kl, ku)];
        for (int i = 0; i < n; i++) ab[BandedLU.Index(i, i, kl, ku)] = i == 3 ? 0 : 1 + i;
        for (int i = 1; i < n; i++) if (i != 4) ab[BandedLU.Index(i, i - 1, kl, ku)] = 0.5;
        var piv = new int[n];
        Assert.False(BandedLU.Factor(ab, n, kl, ku, piv, out int zero));
        Assert.Equal(3, zero);

        var zeros = new double[BandedLU.StorageLength(4, 2, 1)];
        Assert.False(BandedLU.Factor(zeros, 4, 2, 1, new int[4], out zero));
        Assert.Equal(0, zero);

        var nan = new double[BandedLU.StorageLength(3, 1, 1)];
        for (int i = 0; i < 3; i++) nan[BandedLU.Index(i, i, 1, 1)] = 1;
        nan[BandedLU.Index(2, 2, 1, 1)] = double.NaN;
        Assert.False(BandedLU.Factor(nan, 3, 1, 1, new int[3], out zero));
        Assert.Equal(2, zero);
    }

    [Fact]
    public void WrongLengthsThrow()
    {
        Assert.Throws<ArgumentException>(() => BandedLU.Factor(new double[10], 3, 1, 1, new int[3]));
        Assert.Throws<ArgumentException>(() => BandedLU.Factor(new double[12], 3, 1, 1, new int[2]));
        Assert.Throws<ArgumentException>(() => BandedLU.Solve(new double[12], 3, 1, 1, new int[3], new double[2]));
    }

    [Fact]
    public void FactorAndSolveAllocateNothing()
    {
        var (_, band) = RandomBand(50, 3, 2, 11);
        var work = new double[band.Length];
        var piv = new int[50];
        var x = new double[50];
        band.CopyTo(work, 0);
        BandedLU.Factor(work, 50, 3, 2, piv);
        BandedLU.Solve(work, 50, 3, 2, piv, x);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int rep = 0; rep < 20; rep++)
        {
            band.CopyTo(work, 0);
            BandedLU.Factor(work, 50, 3, 2, piv);
            x.AsSpan().Fill(1);
            BandedLU.Solve(work, 50, 3, 2, piv, x);
            BandedLU.SolveTranspose(work, 50, 3, 2, piv, x);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
