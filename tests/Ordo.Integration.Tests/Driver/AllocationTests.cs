using Ordo.Integration.Tests.Support;

namespace Ordo.Integration.Tests.Driver;

/// <summary>The step loop allocates nothing (OrdinaryDiffEq's allocation tests, in C#).</summary>
public class AllocationTests
{
    private static OdeProblem<double> LongOscillator() =>
        new(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [1.0, 0.0], 0, 1e7);

    [Theory, MemberData(nameof(MethodRegistry.AllMethods), MemberType = typeof(MethodRegistry))]
    public void Step_ThousandsOfSteps_AllocateNothing(string methodName)
    {
        IOdeMethod method = OdeMethods.Get(methodName);
        var options = new OdeOptions
        {
            Save = SaveAt.At(5e6),                       // preallocated save point, reached after the measured steps
            FixedStep = method.ErrorEstimatorOrder is null ? 0.01 : null,
            MaxSteps = int.MaxValue,
        };
        var integrator = new OdeIntegrator<double>(LongOscillator(), method, options);
        for (int i = 0; i < 200; i++) integrator.Step();   // warm up (JIT tiers)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++) Assert.True(integrator.Step());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Step_WithEventsThatDoNotFire_AllocatesNothing()
    {
        var options = new OdeOptions
        {
            Save = SaveAt.FinalOnly,
            MaxSteps = int.MaxValue,
            Events = [new OdeEvent(static (t, y) => y[0] - 2) { InteriorSamples = 3 }],   // |cos t| never reaches 2
        };
        var integrator = new OdeIntegrator<double>(LongOscillator(), OdeMethods.DormandPrince853, options);
        for (int i = 0; i < 200; i++) integrator.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++) Assert.True(integrator.Step());
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Step_SinglePrecision_AllocatesNothing()
    {
        var problem = new OdeProblem<float>(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [1f, 0f], 0, 1e7);
        var integrator = new OdeIntegrator<float>(problem, OdeMethods.Tsitouras54, new OdeOptions { Save = SaveAt.FinalOnly, MaxSteps = int.MaxValue, RelativeTolerance = 1e-5, AbsoluteTolerance = 1e-6 });
        for (int i = 0; i < 200; i++) integrator.Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5000; i++) Assert.True(integrator.Step());
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Solve_AllocationDoesNotGrowWithTheNumberOfSteps()
    {
        // A whole solve allocates its workspace and result once: 10× more steps must not allocate more.
        static long Measure(double t1)
        {
            var problem = new OdeProblem<double>(static (t, y, dy) => { dy[0] = y[1]; dy[1] = -y[0]; }, [1.0, 0.0], 0, t1);
            var options = new OdeOptions { Save = SaveAt.FinalOnly, MaxSteps = int.MaxValue };
            Ode.Solve(problem, OdeMethods.Tsitouras54, options);
            long before = GC.GetAllocatedBytesForCurrentThread();
            OdeSolution<double> s = Ode.Solve(problem, OdeMethods.Tsitouras54, options);
            Assert.Equal(OdeStatus.Success, s.Status);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        long small = Measure(1000), large = Measure(10000);
        Assert.Equal(small, large);
    }
}
