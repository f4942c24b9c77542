using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Ordo.Core.Tests;

public class Blas1Tests
{
    private static double Naive(ReadOnlySpan<double> y, double h, double[] stages, int n, int[] idx, double[] coef, int m)
    {
        double acc = 0;
        for (int j = 0; j < idx.Length; j++) acc += coef[j] * stages[idx[j] * n + m];
        acc *= h;
        return y.IsEmpty ? acc : y[m] + acc;
    }

    /// <summary>The SIMD body and the scalar tail compute exactly the same sum, in the same order, as a naive loop:
    /// bitwise equality for every length (covering lengths below, at and above the vector width).</summary>
    [Property(MaxTest = 300, Replay = "(1234567,891011)")]
    public Property LinearCombination_EqualsNaiveLoopBitwise() =>
        Prop.ForAll(
            Gen.Choose(1, 70).SelectMany(n => Gen.Choose(1, 6).SelectMany(terms => Gen.Choose(0, int.MaxValue).Select(seed => (n, terms, seed)))).ToArbitrary(),
            c =>
            {
                (int n, int terms, int seed) = c;
                var rng = new Random(seed);
                int stagesCount = terms + 2;
                double[] stages = Enumerable.Range(0, stagesCount * n).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
                double[] y = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 10 - 5).ToArray();
                int[] idx = Enumerable.Range(0, stagesCount).OrderBy(_ => rng.Next()).Take(terms).ToArray();
                double[] coef = idx.Select(_ => rng.NextDouble() * 40 - 20).ToArray();
                double h = rng.NextDouble();
                var dst = new double[n];
                var dstNoY = new double[n];
                Blas1.LinearCombination<double>(dst, y, h, stages, n, idx, coef);
                Blas1.LinearCombination<double>(dstNoY, default, h, stages, n, idx, coef);
                for (int m = 0; m < n; m++)
                {
                    if (BitConverter.DoubleToInt64Bits(dst[m]) != BitConverter.DoubleToInt64Bits(Naive(y, h, stages, n, idx, coef, m))) return false;
                    if (BitConverter.DoubleToInt64Bits(dstNoY[m]) != BitConverter.DoubleToInt64Bits(Naive(default, h, stages, n, idx, coef, m))) return false;
                }
                return true;
            });

    [Fact]
    public void LinearCombination_InPlaceOnY_IsAllowed()
    {
        double[] y = [1, 2, 3, 4, 5];
        double[] stages = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2];
        Blas1.LinearCombination<double>(y, y, 0.5, stages, 5, [0, 1], [1.0, 3.0]);
        Assert.Equal([4.5, 5.5, 6.5, 7.5, 8.5], y);
    }

    [Fact]
    public void LinearCombination_IndexOutsideTheStages_Throws() =>
        Assert.Throws<ArgumentException>(() => Blas1.LinearCombination<double>(new double[3], default, 1.0, new double[6], 3, [2], [1.0]));

    [Fact]
    public void LinearCombination_Float_MatchesDouble()
    {
        float[] stages = Enumerable.Range(0, 40).Select(i => (float)Math.Sin(i)).ToArray();
        var dst = new float[20];
        Blas1.LinearCombination<float>(dst, default, 0.25f, stages, 20, [0, 1], [2f, -1f]);
        for (int m = 0; m < 20; m++) Assert.Equal(0.25f * (2 * stages[m] - stages[20 + m]), dst[m], 1e-6f);
    }

    [Fact]
    public void Axpy_Dot_Norm_Scale_AgreeWithDefinitions()
    {
        double[] x = [1, 2, 3], y = [4, 5, 6];
        Blas1.Axpy(2.0, x, y);
        Assert.Equal([6.0, 9, 12], y);
        Assert.Equal(1 * 6 + 2 * 9 + 3 * 12, Blas1.Dot<double>(x, y));
        Assert.Equal(Math.Sqrt(14), Blas1.Norm2<double>(x), 1e-15);
        Blas1.Scale(0.5, x);
        Assert.Equal([0.5, 1, 1.5], x);
        Assert.Throws<ArgumentException>(() => Blas1.Axpy(1.0, new double[2], new double[3]));
    }

    [Fact]
    public void AllFinite_DetectsNaNAndInfinity()
    {
        Assert.True(Blas1.AllFinite<double>([]));
        Assert.True(Blas1.AllFinite<double>([1, -2, 3e300]));
        Assert.False(Blas1.AllFinite<double>([1, double.NaN]));
        Assert.False(Blas1.AllFinite<double>([double.NegativeInfinity]));
    }
}
