using Ordo.Integration.Jacobians;
using Ordo.LinearAlgebra;

namespace Ordo.Integration.Tests.Jacobians;

/// <summary>Forward-difference Jacobians, dense and grouped, against exact Jacobians of nonlinear functions.</summary>
public class FiniteDifferenceJacobianTests
{
    // A nonlinear banded function (kl = 1, ku = 2): fᵢ = sin(yᵢ)·yᵢ₊₁ + exp(0.1·yᵢ₋₁) + yᵢ₊₂³.
    private static void Banded(double t, ReadOnlySpan<double> y, Span<double> f)
    {
        int n = y.Length;
        for (int i = 0; i < n; i++)
        {
            double s = Math.Sin(y[i]) * (i + 1 < n ? y[i + 1] : 1);
            if (i > 0) s += Math.Exp(0.1 * y[i - 1]);
            if (i + 2 < n) s += y[i + 2] * y[i + 2] * y[i + 2];
            f[i] = s + t;
        }
    }

    private static double ExactBanded(ReadOnlySpan<double> y, int i, int j)
    {
        int n = y.Length;
        if (j == i) return Math.Cos(y[i]) * (i + 1 < n ? y[i + 1] : 1);
        if (j == i + 1) return Math.Sin(y[i]);
        if (j == i - 1) return 0.1 * Math.Exp(0.1 * y[i - 1]);
        if (j == i + 2) return 3 * y[i + 2] * y[i + 2];
        return 0;
    }

    // |yᵢ| ∈ [0.5, 1.5] with both signs, so the increment √ε·|yᵢ| is the relative one.
    private static double[] State(int n) => Enumerable.Range(0, n).Select(i => (i % 3 == 0 ? -1 : 1) * (1 + 0.5 * Math.Sin(0.7 * i))).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DenseOutputMatchesTheExactJacobianWithOrWithoutGrouping(bool grouped)
    {
        int n = 40;
        var y = State(n);
        var fy = new double[n];
        Banded(0.3, y, fy);
        int calls = 0;
        OdeFunction<double> f = (t, yy, ff) => { calls++; Banded(t, yy, ff); };
        var fd = new FiniteDifferenceJacobian(n, grouped ? JacobianSparsity.Banded(n, 1, 2) : null);
        var jac = new double[n * n];
        Array.Fill(jac, 99.0); // stale values outside the pattern must be cleared
        fd.ComputeDense(f, 0.3, y, fy, jac);
        Assert.Equal(grouped ? 4 : n, calls);
        Assert.Equal(calls, fd.EvaluationsPerJacobian);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double exact = ExactBanded(y, i, j);
                Assert.True(Math.Abs(jac[i * n + j] - exact) <= 2e-7 * (1 + Math.Abs(exact)), $"J[{i},{j}] = {jac[i * n + j]}, exact {exact}");
            }
    }

    [Fact]
    public void BandStorageHoldsTheSameDifferencesAsTheDenseOutput()
    {
        int n = 25;
        var y = State(n);
        var fy = new double[n];
        Banded(0, y, fy);
        var fd = new FiniteDifferenceJacobian(n, JacobianSparsity.Banded(n, 1, 2));
        var dense = new double[n * n];
        fd.ComputeDense(Banded, 0, y, fy, dense);
        // Storage wider than the pattern: the extra diagonals are zero.
        int kl = 2, ku = 3;
        var band = new double[BandedLU.StorageLength(n, kl, ku)];
        Array.Fill(band, -7.0);
        fd.ComputeBanded(Banded, 0, y, fy, band, kl, ku);
        for (int i = 0; i < n; i++)
            for (int j = Math.Max(0, i - kl); j <= Math.Min(n - 1, i + ku); j++)
                Assert.Equal(dense[i * n + j], band[BandedLU.Index(i, j, kl, ku)]);
        int ld = BandedLU.LeadingDimension(kl, ku);
        for (int j = 0; j < n; j++)
            for (int r = 0; r < kl; r++) Assert.Equal(0, band[j * ld + r]);
        Assert.Throws<ArgumentException>(() => fd.ComputeBanded(Banded, 0, y, fy, new double[BandedLU.StorageLength(n, 1, 1)], 1, 1));
        Assert.Throws<InvalidOperationException>(() => new FiniteDifferenceJacobian(n).ComputeBanded(Banded, 0, y, fy, band, kl, ku));
    }

    [Fact]
    public void GeneralPatternGroupingReproducesTheExactJacobian()
    {
        // fᵢ = yᵢ² + yₚ₍ᵢ₎·y₍ᵢ₊₇₎ mod n with a permutation p: a scattered pattern of three entries per row.
        int n = 60;
        var p = Enumerable.Range(0, n).Select(i => (i * 13 + 5) % n).ToArray();
        void F(double t, ReadOnlySpan<double> y, Span<double> f)
        {
            for (int i = 0; i < n; i++) f[i] = y[i] * y[i] + y[p[i]] * y[(i + 7) % n];
        }
        var rows = Enumerable.Range(0, n).Select(i => new[] { i, p[i], (i + 7) % n }).ToArray();
        var s = JacobianSparsity.FromRows(rows);
        var y = State(n);
        var fy = new double[n];
        F(0, y, fy);
        var fd = new FiniteDifferenceJacobian(n, s, typicalMagnitude: 1.0);
        var jac = new double[n * n];
        fd.ComputeDense(F, 0, y, fy, jac);
        Assert.True(fd.EvaluationsPerJacobian < n / 4, $"{fd.EvaluationsPerJacobian} groups");
        for (int i = 0; i < n; i++)
        {
            var exact = new double[n];
            exact[i] += 2 * y[i];
            exact[p[i]] += y[(i + 7) % n];
            exact[(i + 7) % n] += y[p[i]];
            for (int j = 0; j < n; j++)
                Assert.True(Math.Abs(jac[i * n + j] - exact[j]) <= 1e-7 * (1 + Math.Abs(exact[j])), $"J[{i},{j}]");
        }
    }

    [Fact]
    public void ComputeAllocatesNothing()
    {
        int n = 200;
        var y = State(n);
        var fy = new double[n];
        Banded(0, y, fy);
        var fd = new FiniteDifferenceJacobian(n, JacobianSparsity.Banded(n, 1, 2));
        var band = new double[BandedLU.StorageLength(n, 1, 2)];
        var dense = new double[n * n];
        OdeFunction<double> f = Banded;
        fd.ComputeBanded(f, 0, y, fy, band, 1, 2);
        fd.ComputeDense(f, 0, y, fy, dense);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int rep = 0; rep < 5; rep++)
        {
            fd.ComputeBanded(f, 0, y, fy, band, 1, 2);
            fd.ComputeDense(f, 0, y, fy, dense);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
