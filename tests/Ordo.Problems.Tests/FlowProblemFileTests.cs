using Ordo.Problems.Flows;
using Ordo.Problems.ProblemFiles;
using Ordo.Sampling;

namespace Ordo.Problems.Tests;

/// <summary>Problem files of kind flow: the examples are flows.md's GMM2 and GMM3 exactly; every bad field is named.</summary>
public sealed class FlowProblemFileTests
{
    private static string Example(string name) => Path.Combine(AppContext.BaseDirectory, "examples", name);

    private const string Good = """
        {"kind": "flow", "model": {"type": "gmm", "dim": 2, "components": [{"weight": 1, "mean": [0, 0], "std": 1}, {"weight": 3, "mean": [2, 1], "std": [0.5, 2]}]}, "points": [[1, 2], [3, 4]], "time_convention": "t=0 noise, t=1 data"}
        """;

    private static FlowProblemFile Parse(string json) => Assert.IsType<FlowProblemFile>(ProblemFileReader.Parse(json, "test.json"));

    /// <summary>The velocity of two models agrees at a spread of points and noise levels under a condition.</summary>
    private static void SameField(IVelocityModel<double> expected, IVelocityModel<double> actual, FlowCondition expectedCondition, FlowCondition actualCondition)
    {
        Assert.Equal(expected.Dimension, actual.Dimension);
        int d = expected.Dimension;
        var random = new Random(7);
        double[] x = new double[d], a = new double[d], b = new double[d];
        foreach (double tau in new[] { 0.0, 0.05, 0.3, 0.5, 0.77, 1.0 })
        {
            for (int trial = 0; trial < 5; trial++)
            {
                for (int j = 0; j < d; j++) x[j] = 4 * random.NextDouble() - 2;
                expected.Evaluate(x, 1, tau, expectedCondition, a);
                actual.Evaluate(x, 1, tau, actualCondition, b);
                Assert.Equal(a, b);
            }
        }
    }

    [Fact]
    public void Gmm2Example_IsFlowsMdGmm2Exactly()
    {
        FlowProblemFile p = Assert.IsType<FlowProblemFile>(ProblemFileReader.Load(Example("gmm2-flow.json")));
        Assert.Equal("flow", p.Kind);
        Assert.Equal("GMM2", p.DisplayName);
        Assert.Equal(2, p.Dimension);
        Assert.Equal(2, p.ComponentCount);
        Assert.Equal(2, p.Model.ClassCount);
        Assert.Null(p.Condition);
        Assert.True(p.FlowCondition.IsNone);
        Assert.Equal(FlowTimeConvention.NoiseAtZero, p.TimeConvention);
        Assert.Equal(3, p.PointCount);
        Assert.Equal([1.8, 1.2, -1.4, -0.2, 0.2, 0.3], p.Points.ToArray());
        Assert.Equal([-1.4, -0.2], p.Point(1).ToArray());
        Assert.Equal([0.3, 0.8], p.Model.Components[1].StandardDeviations);
        GaussianMixtureFlow gmm2 = GaussianMixtureFlow.Gmm2();
        SameField(gmm2, p.Model, FlowCondition.None, FlowCondition.None);
        // GMM2's classes A = {0}, B = {1} are the file's components 1 and 2.
        SameField(gmm2, p.Model, FlowCondition.Class(0), FlowCondition.Class(0));
        SameField(gmm2, p.Model, FlowCondition.Class(1), FlowCondition.Class(1));
    }

    [Fact]
    public void Gmm3Example_IsFlowsMdGmm3Exactly()
    {
        FlowProblemFile p = Assert.IsType<FlowProblemFile>(ProblemFileReader.Load(Example("gmm3-flow.json")));
        Assert.Equal(3, p.Dimension);
        Assert.Equal(3, p.ComponentCount);
        Assert.Equal(3, p.Model.ClassCount); // one class per component, unlike Gmm3()'s A = {0, 1}, B = {2}
        Assert.Equal([1.4, 0.3, -0.8, -0.2, -1.0, 0.9], p.Points.ToArray());
        Assert.Equal([0.4, 0.4, 0.4], p.Model.Components[0].StandardDeviations);
        GaussianMixtureFlow gmm3 = GaussianMixtureFlow.Gmm3();
        SameField(gmm3, p.Model, FlowCondition.None, FlowCondition.None);
        SameField(gmm3, p.Model, FlowCondition.Class(1), FlowCondition.Class(2));
    }

    [Fact]
    public void Gmm2Example_ExactEditIsFlowsMdClosedForm()
    {
        var p = (FlowProblemFile)ProblemFileReader.Load(Example("gmm2-flow.json"));
        double[] edited = p.ExactEdit(0, 1);
        double[] expected = [-1.62, -0.18, -3.54, -2.42, -2.58, -1.62]; // flows.md §8.4
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], edited[i], 1e-12);
    }

    [Fact]
    public void Condition_IsOneBasedInTheFile()
    {
        FlowProblemFile p = Parse(Good.Replace("\"kind\": \"flow\", ", "\"kind\": \"flow\", \"condition\": 2, \"name\": \"two\", ", StringComparison.Ordinal));
        Assert.Equal(1, p.Condition);
        Assert.Equal(1, p.FlowCondition.ClassIndex);
        Assert.Equal("two", p.DisplayName);
    }

    [Fact]
    public void ScalarStd_IsIsotropic_AndCommentsAreIgnored()
    {
        FlowProblemFile p = Parse(Good.Replace("\"std\": 1}", "\"std\": 1, \"_note\": \"isotropic\"}", StringComparison.Ordinal)
            .Replace("\"type\": \"gmm\"", "\"_why\": 1, \"type\": \"gmm\"", StringComparison.Ordinal));
        Assert.Equal([1.0, 1.0], p.Model.Components[0].StandardDeviations);
        Assert.Equal([0.5, 2.0], p.Model.Components[1].StandardDeviations);
        Assert.Equal("test", p.DisplayName);
        Assert.Equal("test", p.Model.Name);
    }

    [Theory]
    [InlineData("\"time_convention\": \"t=0 noise, t=1 data\"", "\"time_convention\": \"t=1 noise, t=0 data\"", "time_convention", "is \"t=1 noise, t=0 data\" but version 1 of the format has only \"t=0 noise, t=1 data\"")]
    [InlineData("\"time_convention\": \"t=0 noise, t=1 data\"", "\"time_convention\": \"t=0 noise,t=1 data\"", "time_convention", "but version 1 of the format has only")]
    [InlineData("\"time_convention\": \"t=0 noise, t=1 data\"", "\"time_convention\": 0", "time_convention", "must be a string, not a number (0)")]
    [InlineData(", \"time_convention\": \"t=0 noise, t=1 data\"", "", "time_convention", "missing; a flow problem needs model, points, time_convention")]
    [InlineData("\"points\": [[1, 2], [3, 4]], ", "", "points", "missing; a flow problem needs")]
    [InlineData("[[1, 2], [3, 4]]", "[[1, 2], [3, 4, 5]]", "points[1]", "has 3 numbers but model.dim is 2")]
    [InlineData("[[1, 2], [3, 4]]", "[[1, 2], [3]]", "points[1]", "has 1 number but model.dim is 2")]
    [InlineData("[[1, 2], [3, 4]]", "[]", "points", "is empty; give at least one data point")]
    [InlineData("[[1, 2], [3, 4]]", "[[1, 2], [3, \"x\"]]", "points[1][1]", "must be a number, not a string (\"x\")")]
    [InlineData("[[1, 2], [3, 4]]", "[[1, 2], 3]", "points[1]", "must be an array of numbers, not a number (3)")]
    [InlineData("[[1, 2], [3, 4]]", "{\"a\": 1}", "points", "must be an array of data points (each an array of 2 numbers), not an object")]
    [InlineData("[[1, 2], [3, 4]]", "[[1, 2], [3, 1e999]]", "points[1][1]", "outside the range of double precision")]
    [InlineData("\"kind\": \"flow\", ", "\"kind\": \"flow\", \"condition\": 3, ", "condition", "is 3 but must be a component number from 1 to 2")]
    [InlineData("\"kind\": \"flow\", ", "\"kind\": \"flow\", \"condition\": 0, ", "condition", "is 0 but must be a component number from 1 to 2")]
    [InlineData("\"kind\": \"flow\", ", "\"kind\": \"flow\", \"condition\": 1.5, ", "condition", "is 1.5 but must be a component number")]
    [InlineData("\"kind\": \"flow\", ", "\"kind\": \"flow\", \"condition\": \"A\", ", "condition", "must be a number, not a string")]
    [InlineData("\"kind\": \"flow\", ", "\"kind\": \"flow\", \"reference\": {}, ", "reference", "unknown field; a flow problem has kind, name, model, condition, points, time_convention")]
    [InlineData("\"kind\": \"flow\", ", "\"kind\": \"flow\", \"parameters\": {}, ", "parameters", "unknown field; a flow problem has")]
    [InlineData("\"type\": \"gmm\"", "\"type\": \"vae\"", "model.type", "unknown model type 'vae'; version 1 has \"gmm\"")]
    [InlineData("\"type\": \"gmm\", ", "", "model.type", "missing; a flow model needs type, dim, components")]
    [InlineData("\"type\": \"gmm\", ", "\"type\": \"gmm\", \"kind\": 1, ", "model.kind", "unknown field; a flow model has type, dim, components")]
    [InlineData("\"dim\": 2", "\"dim\": 0", "model.dim", "must be a positive integer (the dimension of a point), not 0")]
    [InlineData("\"dim\": 2", "\"dim\": 1.5", "model.dim", "must be a positive integer")]
    [InlineData("\"dim\": 2", "\"dim\": \"2\"", "model.dim", "must be a number, not a string")]
    [InlineData("\"dim\": 2", "\"dim\": 100000", "model.dim", "at most 10,000 dimensions")]
    [InlineData("\"dim\": 2", "\"dim\": 3", "model.components[0].mean", "has 2 numbers but model.dim is 3")]
    [InlineData("\"mean\": [0, 0]", "\"mean\": [0, 1e400]", "model.components[0].mean[1]", "outside the range of double precision")]
    [InlineData("\"mean\": [0, 0]", "\"mean\": 0", "model.components[0].mean", "must be an array of numbers, not a number (0)")]
    [InlineData("\"std\": 1}", "\"std\": 0}", "model.components[0].std", "is 0 but a standard deviation must be > 0")]
    [InlineData("\"std\": 1}", "\"std\": -1}", "model.components[0].std", "is -1 but a standard deviation must be > 0")]
    [InlineData("\"std\": 1}", "\"std\": \"1\"}", "model.components[0].std", "must be a number (isotropic) or an array of one per dimension, not a string")]
    [InlineData("\"std\": [0.5, 2]", "\"std\": [0.5, 0]", "model.components[1].std[1]", "is 0 but a standard deviation must be > 0")]
    [InlineData("\"std\": [0.5, 2]", "\"std\": [0.5, 2, 1]", "model.components[1].std", "has 3 numbers but model.dim is 2; give one standard deviation (isotropic) or one per dimension")]
    [InlineData("\"weight\": 3", "\"weight\": 0", "model.components[1].weight", "is 0 but must be > 0")]
    [InlineData("\"weight\": 3", "\"weight\": -2", "model.components[1].weight", "is -2 but must be > 0")]
    [InlineData("\"weight\": 1, ", "", "model.components[0].weight", "missing; a gmm component needs weight, mean, std")]
    [InlineData("\"weight\": 1, ", "\"weight\": 1, \"cov\": 2, ", "model.components[0].cov", "unknown field; a gmm component has weight, mean, std")]
    [InlineData("{\"weight\": 1, \"mean\": [0, 0], \"std\": 1}, ", "3, ", "model.components[0]", "must be an object, not a number (3)")]
    [InlineData("[{\"weight\": 1, \"mean\": [0, 0], \"std\": 1}, {\"weight\": 3, \"mean\": [2, 1], \"std\": [0.5, 2]}]", "[]", "model.components", "is empty; a mixture needs at least one component")]
    [InlineData("[{\"weight\": 1, \"mean\": [0, 0], \"std\": 1}, {\"weight\": 3, \"mean\": [2, 1], \"std\": [0.5, 2]}]", "{}", "model.components", "must be an array of components")]
    [InlineData("{\"type\": \"gmm\", \"dim\": 2, \"components\": [{\"weight\": 1, \"mean\": [0, 0], \"std\": 1}, {\"weight\": 3, \"mean\": [2, 1], \"std\": [0.5, 2]}]}", "[1]", "model", "must be an object, not an array")]
    public void BadInput_NamesTheFieldInOneLine(string find, string replace, string field, string expected)
    {
        Assert.Contains(find, Good, StringComparison.Ordinal);
        string json = Good.Replace(find, replace, StringComparison.Ordinal);
        ProblemFileException e = Assert.Throws<ProblemFileException>(() => ProblemFileReader.Parse(json, "test.json"));
        Assert.Equal(field, e.Field);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"test.json: {field}: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
