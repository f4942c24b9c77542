using Ordo.LinearAlgebra;

namespace Ordo.Core.Tests;

public class DenseLinearAlgebraTests
{
    private static double[] RandomMatrix(int n, int seed)
    {
        var rng = new Random(seed);
        var a = new double[n * n];
        for (int i = 0; i < a.Length; i++) a[i] = 2 * rng.NextDouble() - 1;
        return a;
    }

    private static double[] Multiply(double[] a, double[] x, int n)
    {
        var y = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) y[i] += a[i * n + j] * x[j];
        return y;
    }

    private static double NormInf(double[] v) => v.Max(Math.Abs);

    private static double MatrixNormInf(double[] a, int n)
    {
        double m = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++) s += Math.Abs(a[i * n + j]);
            m = Math.Max(m, s);
        }
        return m;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    [InlineData(10, 3)]
    [InlineData(30, 4)]
    [InlineData(100, 5)]
    public void LuReconstructsPaAndSolvesWithBackwardStableResidual(int n, int seed)
    {
        var a = RandomMatrix(n, seed);
        var lu = (double[])a.Clone();
        var piv = new int[n];
        Assert.True(DenseLU.Factor(lu, n, piv));

        // PA − LU, with P applied to the rows of A by the recorded swaps.
        var pa = (double[])a.Clone();
        for (int k = 0; k < n; k++)
            if (piv[k] != k)
                for (int j = 0; j < n; j++) (pa[k * n + j], pa[piv[k] * n + j]) = (pa[piv[k] * n + j], pa[k * n + j]);
        double maxErr = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int k = 0; k <= Math.Min(i, j); k++)
                    s += (k == i ? 1 : lu[i * n + k]) * (k <= j ? lu[k * n + j] : 0);
                maxErr = Math.Max(maxErr, Math.Abs(pa[i * n + j] - s));
            }
        Assert.True(maxErr <= 10 * n * 1e-16 * MatrixNormInf(a, n), $"‖PA − LU‖ = {maxErr}");
        Assert.All(lu.Where((_, idx) => idx / n > idx % n), l => Assert.True(Math.Abs(l) <= 1));

        // Backward error of the solve: ‖b − Ax‖ / (‖A‖‖x‖) at rounding level.
        var xTrue = Enumerable.Range(0, n).Select(i => Math.Sin(i + 1.0)).ToArray();
        var b = Multiply(a, xTrue, n);
        var x = (double[])b.Clone();
        DenseLU.Solve(lu, n, piv, x);
        var r = Multiply(a, x, n);
        for (int i = 0; i < n; i++) r[i] -= b[i];
        Assert.True(NormInf(r) <= 50 * n * 1e-16 * MatrixNormInf(a, n) * NormInf(x), $"residual {NormInf(r)}");

        // Forward error bounded by cond · backward error; the estimate must be a sensible κ (within a factor 10 of the
        // truth computed from the explicit inverse).
        var work = new double[2 * n];
        double anorm = DenseLU.OneNorm(a, n, work);
        double rcond = DenseLU.ReciprocalConditionEstimate(lu, n, piv, anorm, work);
        double invNorm = 0;
        var colSums = new double[n];
        for (int j = 0; j < n; j++)
        {
            var e = new double[n];
            e[j] = 1;
            DenseLU.Solve(lu, n, piv, e);
            colSums[j] = e.Sum(Math.Abs);
        }
        invNorm = colSums.Max();
        double trueRcond = 1 / (anorm * invNorm);
        Assert.InRange(rcond / trueRcond, 0.999, 10);
        double err = xTrue.Zip(x, (p, q) => Math.Abs(p - q)).Max();
        Assert.True(err <= 1000 * n * 1e-16 / rcond * NormInf(xTrue), $"forward error {err}, κ ≈ {1 / rcond}");

        // Aᵀ solve.
        var bt = new double[n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) bt[i] += a[j * n + i] * xTrue[j];
        DenseLU.SolveTranspose(lu, n, piv, bt);
        Assert.True(xTrue.Zip(bt, (p, q) => Math.Abs(p - q)).Max() <= 1000 * n * 1e-16 / rcond);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(12)]
    public void HilbertMatrixErrorGrowsWithItsConditionNumberAndTheEstimateTracksIt(int n)
    {
        var h = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) h[i * n + j] = 1.0 / (i + j + 1);
        var lu = (double[])h.Clone();
        var piv = new int[n];
        var work = new double[2 * n];
        double anorm = DenseLU.OneNorm(h, n, work);
        Assert.True(DenseLU.Factor(lu, n, piv));
        double rcond = DenseLU.ReciprocalConditionEstimate(lu, n, piv, anorm, work);
        // κ₁(H) from the exact inverse: n = 4: 28375, n = 8: 3.39e10; n = 12: about 4e16 (beyond 1/u, so only the decade).
        double kappa = 1 / rcond;
        double expectedLog = n switch { 4 => Math.Log10(28375), 8 => Math.Log10(3.387e10), _ => 16.6 };
        Assert.InRange(Math.Log10(kappa), expectedLog - 1, expectedLog + 1);
        var ones = Enumerable.Repeat(1.0, n).ToArray();
        var b = Multiply(h, ones, n);
        DenseLU.Solve(lu, n, piv, b);
        double err = b.Max(v => Math.Abs(v - 1));
        Assert.True(err <= Math.Max(1e-15 * kappa * 100, 1e-14), $"error {err} κ {kappa}");
        // The residual stays small even when the error does not (backward stability).
        var r = Multiply(h, b, n);
        double res = r.Zip(Multiply(h, ones, n), (p, q) => Math.Abs(p - q)).Max();
        Assert.True(res <= 1e-13, $"residual {res}");
    }

    [Fact]
    public void ExactlySingularMatricesAreDetected()
    {
        int n = 5;
        var a = RandomMatrix(n, 11);
        // Row 3 = row 0 + 2·row 1: rank 4, exactly singular in floating point only if built exactly; use integers.
        for (int i = 0; i < a.Length; i++) a[i] = Math.Round(8 * a[i]);
        for (int j = 0; j < n; j++) a[3 * n + j] = a[0 * n + j] + 2 * a[1 * n + j];
        var lu = (double[])a.Clone();
        var piv = new int[n];
        bool ok = DenseLU.Factor(lu, n, piv);
        var work = new double[2 * n];
        // Either the exact zero pivot is found, or the pivot ratio and the condition estimate are at rounding level.
        Assert.True(!ok || DenseLU.PivotRatio(lu, n) < 1e-14);
        Assert.True(DenseLU.ReciprocalConditionEstimate(lu, n, piv, DenseLU.OneNorm(a, n, work), work) < 1e-14);

        var zeroColumn = new double[] { 1, 0, 2, 3, 0, 4, 5, 0, 6 };
        Assert.False(DenseLU.Factor(zeroColumn, 3, new int[3]));
        Assert.Equal(0, DenseLU.PivotRatio(zeroColumn, 3));
        Assert.False(DenseLU.FactorAndSolve(new double[4], 2, new int[2], new double[2]));
        Assert.Throws<ArgumentException>(() => DenseLU.Factor(new double[5], 2, new int[2]));
    }

    [Theory]
    [InlineData(3, 21)]
    [InlineData(20, 22)]
    [InlineData(60, 23)]
    public void CholeskyOfAtAPlusIdentityReconstructsAndSolves(int n, int seed)
    {
        var m = RandomMatrix(n, seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = i == j ? 1 : 0;
                for (int k = 0; k < n; k++) s += m[k * n + i] * m[k * n + j];
                a[i * n + j] = s;
            }
        var l = (double[])a.Clone();
        Assert.True(DenseCholesky.Factor(l, n));
        double maxErr = 0;
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++)
            {
                double s = 0;
                for (int k = 0; k <= j; k++) s += l[i * n + k] * l[j * n + k];
                maxErr = Math.Max(maxErr, Math.Abs(s - a[i * n + j]));
            }
        Assert.True(maxErr <= 10 * n * 1e-16 * MatrixNormInf(a, n), $"‖A − LLᵀ‖ = {maxErr}");
        var xTrue = Enumerable.Range(0, n).Select(i => Math.Cos(i)).ToArray();
        var x = Multiply(a, xTrue, n);
        DenseCholesky.Solve(l, n, x);
        Assert.True(xTrue.Zip(x, (p, q) => Math.Abs(p - q)).Max() <= 1e-10, "solve");
        // ‖L⁻¹b‖² = bᵀA⁻¹b.
        var b = Multiply(a, xTrue, n);
        var y = (double[])b.Clone();
        DenseCholesky.SolveLower(l, n, y);
        Assert.Equal(b.Zip(xTrue, (p, q) => p * q).Sum(), y.Sum(v => v * v), 1e-9 * b.Zip(xTrue, (p, q) => p * q).Sum());
    }

    [Fact]
    public void CholeskyRejectsIndefiniteMatricesAndTheModifiedFactorShiftsJustEnough()
    {
        // Eigenvalues 3 and −1.
        var a = new double[] { 1, 2, 2, 1 };
        Assert.False(DenseCholesky.Factor((double[])a.Clone(), 2));
        var f = new double[4];
        double tau = DenseCholesky.FactorModified(a, f, 2);
        // Algorithm 3.3 doubles τ from β − min aᵢᵢ < 1 until A + τI is positive definite: τ ∈ (1, 2·(1 + β)].
        Assert.InRange(tau, 1.0, 2.01);
        Assert.Equal(1 + tau, f[0] * f[0], 12);
        Assert.Equal(0, DenseCholesky.FactorModified([4, 1, 1, 3], f, 2));
        Assert.True(double.IsNaN(DenseCholesky.FactorModified([double.NaN, 0, 0, 1], f, 2)));
    }

    [Theory]
    [InlineData(2, 31)]
    [InlineData(7, 32)]
    [InlineData(40, 33)]
    public void JacobiEigenDecompositionReconstructsTheMatrix(int n, int seed)
    {
        var m = RandomMatrix(n, seed);
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) a[i * n + j] = m[i * n + j] + m[j * n + i];
        var work = (double[])a.Clone();
        var lambda = new double[n];
        var q = new double[n * n];
        Assert.True(SymmetricEigen.Decompose(work, n, lambda, q));
        for (int i = 1; i < n; i++) Assert.True(lambda[i - 1] <= lambda[i]);
        double scale = MatrixNormInf(a, n);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0, o = 0;
                for (int k = 0; k < n; k++)
                {
                    s += q[i * n + k] * lambda[k] * q[j * n + k];
                    o += q[k * n + i] * q[k * n + j];
                }
                Assert.True(Math.Abs(s - a[i * n + j]) <= 100 * n * 1e-16 * scale, "QΛQᵀ = A");
                Assert.True(Math.Abs(o - (i == j ? 1 : 0)) <= 100 * n * 1e-16, "QᵀQ = I");
            }
        // Trace check, independent of Q.
        Assert.Equal(Enumerable.Range(0, n).Sum(i => a[i * n + i]), lambda.Sum(), 1e-10 * scale);
    }

    [Fact]
    public void FactorAndSolveAllocateNothing()
    {
        int n = 30;
        var a = RandomMatrix(n, 41);
        var lu = new double[n * n];
        var piv = new int[n];
        var b = new double[n];
        var work = new double[2 * n];
        var spd = new double[n * n];
        for (int i = 0; i < n; i++) spd[i * n + i] = 2 + i;
        var l = new double[n * n];
        a.CopyTo(lu, 0);
        DenseLU.FactorAndSolve(lu, n, piv, b);
        DenseCholesky.FactorModified(spd, l, n);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int rep = 0; rep < 10; rep++)
        {
            a.CopyTo(lu, 0);
            b.AsSpan().Fill(1);
            DenseLU.FactorAndSolve(lu, n, piv, b);
            DenseLU.ReciprocalConditionEstimate(lu, n, piv, 1, work);
            DenseCholesky.FactorModified(spd, l, n);
            DenseCholesky.Solve(l, n, b);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
