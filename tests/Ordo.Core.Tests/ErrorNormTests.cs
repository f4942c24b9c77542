namespace Ordo.Core.Tests;

public class ErrorNormTests
{
    [Fact]
    public void WeightedRms_MatchesTheDefinition()
    {
        // sc = atol + rtol·max(|y|, |ŷ|): (1e-3 + 1e-2·2, 1e-3 + 1e-2·4) = (0.021, 0.041)
        double[] e = [0.0021, -0.0082], y = [2, -1], yNew = [1, 4], atol = [1e-3, 1e-3];
        double expected = Math.Sqrt((0.1 * 0.1 + 0.2 * 0.2) / 2);
        Assert.Equal(expected, ErrorNorm.WeightedRms<double>(e, y, yNew, atol, 1e-2), 1e-15);
    }

    [Fact]
    public void WeightedRms_ZeroErrorOnZeroScale_IsZero_NonzeroIsInfinite()
    {
        Assert.Equal(0, ErrorNorm.WeightedRms<double>([0.0], [0.0], [0.0], [0.0], 1e-6));
        Assert.Equal(double.PositiveInfinity, ErrorNorm.WeightedRms<double>([1e-300], [0.0], [0.0], [0.0], 1e-6));
    }

    [Fact]
    public void WeightedRms_LengthMismatch_Throws() =>
        Assert.Throws<ArgumentException>(() => ErrorNorm.WeightedRms<double>([1.0], [1.0, 2.0], [1.0], [1.0], 1e-6));

    [Fact]
    public void ScaledRms_UsesOnlyTheFirstState()
    {
        Assert.Equal(Math.Sqrt(0.5), ErrorNorm.ScaledRms<double>([1.0, 0.0], [0.0, 5.0], [1.0, 1.0], 1.0), 1e-15);
    }
}
