using Ordo.Rng;

namespace Ordo.Core.Tests.Rng;

/// <summary>
/// The Ordo mapping (sde.md §2.3) against Data/rng_golden.json, written by shared/research/sde-data/cbrng.py:
/// words and uniforms bitwise, normals to a relative 1e-14 (Math.Log/SinCos are not correctly rounded).
/// </summary>
public class RandomMappingGoldenTests
{
    private const double NormalRelativeTolerance = 1e-14;

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        int n = RandomTestData.Load("rng_golden.json").GetProperty("cases").GetArrayLength();
        for (int i = 0; i < n; i++)
            data.Add(i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void GoldenCase_WordsUniformsAndNormals(int index)
    {
        var c = RandomTestData.Load("rng_golden.json").GetProperty("cases")[index];
        ulong seed = RandomTestData.Hex(c.GetProperty("seed").GetString()!);
        uint[] ctr = RandomTestData.HexWords(c.GetProperty("ctr"));
        uint[] x = RandomTestData.HexWords(c.GetProperty("x"));

        var block = Philox4x32.Generate(new Words4x32(ctr[0], ctr[1], ctr[2], ctr[3]), PhiloxKey.FromSeed(seed));
        Assert.Equal(new Words4x32(x[0], x[1], x[2], x[3]), block);

        RandomMapping.Uniforms(block, out double u1, out double u2);
        Assert.Equal(BitConverter.DoubleToInt64Bits(RandomTestData.HexFloat(c.GetProperty("u1").GetString()!)), BitConverter.DoubleToInt64Bits(u1));
        Assert.Equal(BitConverter.DoubleToInt64Bits(RandomTestData.HexFloat(c.GetProperty("u2").GetString()!)), BitConverter.DoubleToInt64Bits(u2));
        Assert.Equal(double.Parse(c.GetProperty("u1_dec").GetString()!, System.Globalization.CultureInfo.InvariantCulture), u1);

        RandomMapping.Normals(block, out double z0, out double z1);
        AssertRelative(double.Parse(c.GetProperty("z0").GetString()!, System.Globalization.CultureInfo.InvariantCulture), z0);
        AssertRelative(double.Parse(c.GetProperty("z1").GetString()!, System.Globalization.CultureInfo.InvariantCulture), z1);
    }

    [Fact]
    public void OpenUniform_RangeIsFromTwoToTheMinus54ToOne()
    {
        Assert.Equal(Math.ScaleB(1.0, -54), RandomMapping.OpenUniform(0, 0));
        Assert.Equal(Math.ScaleB(1.0, -53) + Math.ScaleB(1.0, -54), RandomMapping.OpenUniform(0x800, 0));
        // Above ½ the half step is a tie that rounds to even (see the remarks of OpenUniform): the top value is 1.
        Assert.Equal(0.5, RandomMapping.OpenUniform(0, 0x80000000));
        Assert.Equal(0.5 + Math.ScaleB(1.0, -52), RandomMapping.OpenUniform(0x800, 0x80000000));
        Assert.Equal(1.0, RandomMapping.OpenUniform(uint.MaxValue, uint.MaxValue));
        Assert.True(RandomMapping.OpenUniform(uint.MaxValue - 0x800, uint.MaxValue) < 1);
        // Only the top 53 of the 64 bits count: the low 11 bits of the low word are dropped.
        Assert.Equal(RandomMapping.OpenUniform(0, 1), RandomMapping.OpenUniform(0x7FF, 1));
    }

    [Fact]
    public void Normals_AreFiniteAtTheExtremeUniforms()
    {
        RandomMapping.Normals(new Words4x32(0, 0, 0, 0), out double z0, out double z1);
        Assert.InRange(Math.Sqrt(z0 * z0 + z1 * z1), 8.6, 8.7); // √(−2 ln 2⁻⁵⁴) ≈ 8.65, the largest radius
        RandomMapping.Normals(new Words4x32(uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue), out z0, out z1);
        Assert.Equal(0.0, z0); // u₁ = 1: radius 0
        Assert.Equal(0.0, Math.Abs(z1));
    }

    internal static void AssertRelative(double expected, double actual)
        => Assert.True(Math.Abs(actual - expected) <= NormalRelativeTolerance * Math.Abs(expected),
            $"expected {expected:R}, got {actual:R} (relative {Math.Abs(actual - expected) / Math.Abs(expected):E2})");
}
