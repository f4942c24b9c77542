using System.Text.Json;
using Ordo.Problems.Flows;

namespace Ordo.Problems.ProblemFiles;

public static partial class ProblemFileReader
{
    private static readonly string[] s_flow = ["model", "condition", "points", "time_convention"];
    private static readonly string[] s_flowModel = ["type", "dim", "components"];
    private static readonly string[] s_flowComponent = ["weight", "mean", "std"];

    /// <summary>Largest dimension <c>model.dim</c> of a flow problem.</summary>
    public const int MaxFlowDimension = 10_000;

    /// <summary>Most mixture components of a flow problem.</summary>
    public const int MaxFlowComponents = 1_000;

    private sealed partial class Loader
    {
        private FlowProblemFile LoadFlow(Dictionary<string, JsonElement> fields, string? name)
        {
            Require(fields, ProblemKinds.Flow, ["model", "points", "time_convention"]);
            GaussianMixtureFlow model = ReadGaussianMixture(fields["model"], name ?? Path.GetFileNameWithoutExtension(file));
            int d = model.Dimension, k = model.Components.Count;
            int? condition = null;
            if (fields.TryGetValue("condition", out JsonElement c))
            {
                double v = ReadNumber(c, "condition");
                if (v != Math.Floor(v) || v < 1 || v > k)
                    throw Error("condition", $"is {Format(v)} but must be a component number from 1 to {k} (components are counted from 1)");
                condition = (int)v - 1;
            }
            double[] points = ReadPoints(fields["points"], d);
            string convention = ReadString(fields["time_convention"], "time_convention");
            if (convention != FlowProblemFile.TimeConventionText)
                throw Error("time_convention", $"is \"{Truncate(convention)}\" but version 1 of the format has only \"{FlowProblemFile.TimeConventionText}\" (x_t = (1-t)·x_noise + t·x_data; the points are data)");
            return new FlowProblemFile(file, name, model, condition, points);
        }

        private GaussianMixtureFlow ReadGaussianMixture(JsonElement e, string name)
        {
            Dictionary<string, JsonElement> mf = Fields(e, "model", s_flowModel, "a flow model");
            foreach (string r in s_flowModel)
            {
                if (!mf.ContainsKey(r))
                    throw Error($"model.{r}", "missing; a flow model needs type, dim, components, e.g. {\"type\": \"gmm\", \"dim\": 2, \"components\": [{\"weight\": 1, \"mean\": [0, 0], \"std\": 1}]}");
            }
            string type = ReadString(mf["type"], "model.type");
            if (type != "gmm") throw Error("model.type", $"unknown model type '{Truncate(type)}'; version 1 has \"gmm\" (a Gaussian mixture)");
            double dim = ReadNumber(mf["dim"], "model.dim");
            if (dim != Math.Floor(dim) || dim < 1) throw Error("model.dim", $"must be a positive integer (the dimension of a point), not {Format(dim)}");
            if (dim > MaxFlowDimension) throw Error("model.dim", $"is {Format(dim)}; at most {MaxFlowDimension:N0} dimensions are supported");
            int d = (int)dim;

            JsonElement list = mf["components"];
            if (list.ValueKind != JsonValueKind.Array)
                throw Error("model.components", $"must be an array of components {{\"weight\": w, \"mean\": [..], \"std\": s}}, not {Describe(list)}");
            int k = list.GetArrayLength();
            if (k == 0) throw Error("model.components", "is empty; a mixture needs at least one component");
            if (k > MaxFlowComponents) throw Error("model.components", $"has {k:N0} components; at most {MaxFlowComponents:N0} are supported");
            var components = new GaussianComponent[k];
            int i = 0;
            foreach (JsonElement item in list.EnumerateArray())
            {
                components[i] = ReadComponent(item, $"model.components[{i}]", d);
                i++;
            }
            try
            {
                return new GaussianMixtureFlow(components, name: name);
            }
            catch (ArgumentException ex)
            {
                // Not expected: every field was checked above.
                throw Error("model", CleanArgumentMessage(ex));
            }
        }

        private GaussianComponent ReadComponent(JsonElement e, string path, int d)
        {
            Dictionary<string, JsonElement> cf = Fields(e, path, s_flowComponent, "a gmm component");
            foreach (string r in s_flowComponent)
            {
                if (!cf.ContainsKey(r)) throw Error($"{path}.{r}", "missing; a gmm component needs weight, mean, std");
            }
            double weight = ReadNumber(cf["weight"], $"{path}.weight");
            if (!(weight > 0)) throw Error($"{path}.weight", $"is {Format(weight)} but must be > 0 (the weights are divided by their sum)");
            double[] mean = ReadNumbers(cf["mean"], $"{path}.mean");
            if (mean.Length != d) throw Error($"{path}.mean", $"has {Count(mean.Length, "number")} but model.dim is {d}");
            JsonElement s = cf["std"];
            double[] std;
            if (s.ValueKind == JsonValueKind.Array)
            {
                std = ReadNumbers(s, $"{path}.std");
                if (std.Length != d)
                    throw Error($"{path}.std", $"has {Count(std.Length, "number")} but model.dim is {d}; give one standard deviation (isotropic) or one per dimension");
                for (int j = 0; j < d; j++)
                {
                    if (!(std[j] > 0)) throw Error($"{path}.std[{j}]", $"is {Format(std[j])} but a standard deviation must be > 0");
                }
            }
            else
            {
                double v = ReadNumber(s, $"{path}.std", " (isotropic) or an array of one per dimension");
                if (!(v > 0)) throw Error($"{path}.std", $"is {Format(v)} but a standard deviation must be > 0");
                std = new double[d];
                Array.Fill(std, v);
            }
            return new GaussianComponent(weight, mean, std);
        }

        private double[] ReadPoints(JsonElement e, int d)
        {
            if (e.ValueKind != JsonValueKind.Array)
                throw Error("points", $"must be an array of data points (each an array of {Count(d, "number")}), not {Describe(e)}");
            int count = e.GetArrayLength();
            if (count == 0) throw Error("points", "is empty; give at least one data point");
            var points = new double[(long)count * d];
            int i = 0;
            foreach (JsonElement item in e.EnumerateArray())
            {
                string path = $"points[{i}]";
                double[] p = ReadNumbers(item, path);
                if (p.Length != d) throw Error(path, $"has {Count(p.Length, "number")} but model.dim is {d}");
                p.CopyTo(points, (long)i * d);
                i++;
            }
            return points;
        }
    }
}
