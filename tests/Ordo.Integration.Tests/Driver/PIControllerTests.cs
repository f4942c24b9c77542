
namespace Ordo.Integration.Tests.Driver;

/// <summary>The step-size controller's arithmetic, decision by decision (Hairer's DOPRI5 form).</summary>
public class PIControllerTests
{
    private static readonly PIController Dopri5 = new(0.17, 0.04);

    [Fact]
    public void Accept_GrowsByTheFormula()
    {
        ControllerMemory memory = ControllerMemory.Initial;
        StepSizeDecision d = Dopri5.Decide(0.1, 0.5, ref memory);
        Assert.True(d.Accept);
        Assert.Equal(0.1 * 0.9 * Math.Pow(0.5, -0.17) * Math.Pow(1.0, 0.04), d.NextStepSize, 1e-15);
        Assert.Equal(0.5, memory.PreviousErrorNorm);
    }

    [Fact]
    public void Accept_TinyError_IsCappedAtMaxFactor()
    {
        ControllerMemory memory = ControllerMemory.Initial;
        Assert.Equal(1.0, Dopri5.Decide(0.1, 0, ref memory).NextStepSize, 1e-15);
        Assert.Equal(1e-4, memory.PreviousErrorNorm);
    }

    [Fact]
    public void Reject_ShrinksAndTheNextAcceptedStepDoesNotGrow()
    {
        ControllerMemory memory = ControllerMemory.Initial;
        StepSizeDecision rejected = Dopri5.Decide(0.1, 4, ref memory);
        Assert.False(rejected.Accept);
        Assert.Equal(0.1 * 0.9 * Math.Pow(4, -0.17), rejected.NextStepSize, 1e-15);
        StepSizeDecision accepted = Dopri5.Decide(rejected.NextStepSize, 0.01, ref memory);
        Assert.True(accepted.Accept);
        Assert.Equal(rejected.NextStepSize, accepted.NextStepSize);
    }

    [Fact]
    public void Reject_HugeOrInfiniteError_ShrinksByMinFactor()
    {
        ControllerMemory memory = ControllerMemory.Initial;
        Assert.Equal(-0.02, Dopri5.Decide(-0.1, 1e30, ref memory).NextStepSize, 1e-15);
        Assert.Equal(-0.02, Dopri5.Decide(-0.1, double.PositiveInfinity, ref memory).NextStepSize, 1e-15);
    }

    [Fact]
    public void ProportionalPart_RemembersThePreviousError()
    {
        ControllerMemory memory = ControllerMemory.Initial;
        Dopri5.Decide(0.1, 0.25, ref memory);
        StepSizeDecision d = Dopri5.Decide(0.1, 0.5, ref memory);
        Assert.Equal(0.1 * 0.9 * Math.Pow(0.5, -0.17) * Math.Pow(0.25, 0.04), d.NextStepSize, 1e-15);
    }

    [Fact]
    public void Presets_HaveTheDocumentedExponents()
    {
        Assert.Equal(0.2, PIController.Integral(4).IntegralExponent, 1e-15);
        Assert.Equal(0, PIController.Integral(4).ProportionalExponent);
        Assert.Equal(0.14, PIController.ForOrder(5).IntegralExponent, 1e-15);
        Assert.Equal(0.08, PIController.ForOrder(5).ProportionalExponent, 1e-15);
    }
}
