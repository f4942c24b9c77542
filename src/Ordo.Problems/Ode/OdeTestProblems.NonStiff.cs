using System.Text.Json;

namespace Ordo.Problems;

public static partial class OdeTestProblems
{
    private static partial IEnumerable<OdeTestProblem> NonStiffRest(Dictionary<string, JsonElement> data)
    {
        yield break;
    }
}
