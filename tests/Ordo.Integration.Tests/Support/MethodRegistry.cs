namespace Ordo.Integration.Tests.Support;

/// <summary>Every ODE method under test (diffrax's all_ode_solvers): adding a method to OdeMethods.All turns on every contract test.</summary>
public static class MethodRegistry
{
    public static TheoryData<string> AllMethods => new(OdeMethods.All.Select(m => m.Name));

    public static TheoryData<string> AdaptiveMethods => new(OdeMethods.All.Where(m => m.ErrorEstimatorOrder is not null).Select(m => m.Name));

    public static IOdeMethod Get(string name) => OdeMethods.Get(name);
}
