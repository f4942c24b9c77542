namespace Ordo.Integration.Tests.Tableaux;

/// <summary>
/// A tableau validates itself when it is built; every violated condition must throw an <see cref="ArgumentException"/>
/// whose message names the tableau and the condition. Each case starts from a valid tableau (Heun's method with
/// Euler embedded) and breaks exactly one thing.
/// </summary>
public class ButcherTableauValidationTests
{
    private const string Name = "Broken test tableau";

    private static readonly double[] ValidC = [0, 1];
    private static readonly double[][] ValidA = [[], [1]];
    private static readonly double[] ValidB = [0.5, 0.5];

    [Fact]
    public void Constructor_ValidTableau_DoesNotThrow()
    {
        var tableau = new ButcherTableau(Name, 2, ValidC, ValidA, ValidB,
            new EmbeddedErrorEstimator(1, [1, 0]), ValidExtension());
        Assert.Equal(Name, tableau.ToString());
        Assert.Equal(2, tableau.Stages);
        Assert.False(tableau.IsFsal);
    }

    [Fact]
    public void Constructor_RowSumDiffersFromNode_ThrowsNamingTableauAndRow()
    {
        AssertInvalid(() => new ButcherTableau(Name, 2, [0, 0.5], ValidA, ValidB), "row 1 of A sums to 1 but c[1] = 0.5");
    }

    [Fact]
    public void Constructor_WeightsDoNotSumToOne_ThrowsNamingTableauAndWeights()
    {
        AssertInvalid(() => new ButcherTableau(Name, 2, ValidC, ValidA, [0.5, 0.6]), "b sums to 1.1, not 1");
    }

    [Fact]
    public void Constructor_RowOfWrongLength_ThrowsNamingTableauAndRow()
    {
        AssertInvalid(() => new ButcherTableau(Name, 2, ValidC, [[], [0.5, 0.5]], ValidB), "row 1 of A must have 1 entries (strictly lower triangular)");
    }

    [Fact]
    public void Constructor_FirstRowNotEmpty_ThrowsNamingTableauAndRow()
    {
        AssertInvalid(() => new ButcherTableau(Name, 2, ValidC, [[0], [1]], ValidB), "row 0 of A must have 0 entries");
    }

    [Fact]
    public void Constructor_FirstNodeNotZero_ThrowsNamingTableauAndNode()
    {
        AssertInvalid(() => new ButcherTableau(Name, 2, [0.1, 1], ValidA, ValidB), "c[0] must be 0 for an explicit method but is 0.1");
    }

    [Fact]
    public void Constructor_ContinuousExtensionMissesBAtThetaOne_ThrowsNamingTableauAndStage()
    {
        // b₀(θ) = θ − θ²/4 gives 3/4 at θ = 1 instead of b₀ = 1/2.
        var extension = new ContinuousExtension(1, [], [], [[1, -0.25], [0, 0.5]]);
        AssertInvalid(() => new ButcherTableau(Name, 2, ValidC, ValidA, ValidB, continuousExtension: extension),
            "the continuous extension's weights of stage 0 give 0.75 at θ = 1 instead of b = 0.5");
    }

    [Fact]
    public void Constructor_ContinuousExtensionExtraStageMissesBAtThetaOne_ThrowsNamingTableauAndStage()
    {
        // An extra stage's weight must vanish at θ = 1.
        var extension = new ContinuousExtension(1, [1], [[0.5, 0.5]], [[0.5, 0], [0.5, 0], [0, 0.1]]);
        AssertInvalid(() => new ButcherTableau(Name, 2, ValidC, ValidA, ValidB, continuousExtension: extension),
            "the continuous extension's weights of stage 2 give 0.1 at θ = 1 instead of b = 0");
    }

    [Fact]
    public void Constructor_ExtraStageRowSumDiffersFromNode_ThrowsNamingTableauAndStage()
    {
        var extension = new ContinuousExtension(1, [0.5], [[0.5, 0.5]], [[0.5, 0], [0.5, 0], [0, 0]]);
        AssertInvalid(() => new ButcherTableau(Name, 2, ValidC, ValidA, ValidB, continuousExtension: extension),
            "extra stage 0 of the continuous extension sums to 1, not its node 0.5");
    }

    [Fact]
    public void Constructor_EmbeddedWeightsDoNotSumToOne_ThrowsNamingTableauAndWeights()
    {
        AssertInvalid(() => new ButcherTableau(Name, 2, ValidC, ValidA, ValidB, new EmbeddedErrorEstimator(1, [1, 0.5])),
            "the embedded weights add up to 1.5, not 1");
    }

    [Fact]
    public void Constructor_NonFiniteCoefficient_ThrowsNamingTableau()
    {
        AssertInvalid(() => new ButcherTableau(Name, 2, ValidC, ValidA, [double.NaN, 0.5]), "non-finite coefficient");
    }

    private static ContinuousExtension ValidExtension() =>
        // Linear interpolation between y₀ and y₁: bᵢ(θ) = θ bᵢ.
        new(1, [], [], [[0.5], [0.5]]);

    private static void AssertInvalid(Func<ButcherTableau> build, string condition)
    {
        ArgumentException e = Assert.Throws<ArgumentException>(() => build());
        Assert.Contains($"'{Name}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(condition, e.Message, StringComparison.Ordinal);
    }
}
