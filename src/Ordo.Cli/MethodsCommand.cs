using System.CommandLine;
using System.Globalization;
using Ordo.Integration;
using Ordo.Optimization;
using Ordo.Sampling;

namespace Ordo.Cli;

/// <summary><c>ordo methods</c>: every ODE method with its orders and a one-line description, every SDE method with its
/// calculus, weak order and stepping, every minimization
/// method with what it needs and its source, then every flow sampler with its order and cost.</summary>
internal static class MethodsCommand
{
    /// <summary>The step count at which the flow samplers' cost is shown.</summary>
    private const int ShownSteps = 8;

    public static Command Create(CliConsole console)
    {
        var command = new Command("methods", "List the ODE methods (name, order, error-estimator order, dense-output order, when to use them), the SDE methods, the minimization methods (what they need, bounds, source) and the flow samplers of 'ordo flow'.");
        command.SetAction(_ =>
        {
            console.Out.WriteLine("ODE methods (ordo solve --method NAME; default auto):");
            console.WriteTable(
                ["name", "order", "error estimator", "dense output", "description"],
                OdeMethods.All.Concat(OdeMethods.Stiff).Append(OdeMethods.Auto).Select(m => (IReadOnlyList<string>)
                [
                    m.Name,
                    m.Order.ToString(CultureInfo.InvariantCulture),
                    m.ErrorEstimatorOrder is int e ? e.ToString(CultureInfo.InvariantCulture) : "fixed step",
                    m is ExplicitRungeKutta rk ? rk.InterpolantOrder.ToString(CultureInfo.InvariantCulture) : "—",
                    m.Description,
                ]),
                new HashSet<int> { 1, 2, 3 });
            console.Out.WriteLine();
            console.Out.WriteLine("SDE methods (ordo solve --method NAME on sde files; default auto: shark for additive noise, sriw1 for diagonal or scalar noise, stochastic-heun otherwise):");
            console.WriteTable(
                ["name", "calculus", "weak order", "steps", "description"],
                SdeMethods.All.Select(m => (IReadOnlyList<string>)
                [
                    m.Name,
                    m.HandlesBothCalculi ? "Itô or Stratonovich" : m.Calculus == SdeCalculus.Ito ? "Itô" : "Stratonovich",
                    m.WeakOrder.ToString(CultureInfo.InvariantCulture),
                    m.HasErrorEstimate ? "adaptive or --dt" : "--dt only",
                    m.Description,
                ]),
                new HashSet<int> { 2 });
            console.Out.WriteLine();
            console.Out.WriteLine("Minimization methods (ordo solve --method NAME on minimize and least-squares files; default auto):");
            console.WriteTable(
                ["name", "method", "family", "needs", "bounds", "source"],
                Minimizers.All.Select(m => (IReadOnlyList<string>)
                [
                    m.Name,
                    m.DisplayName,
                    m.Family,
                    Capabilities.Describe(m.Requires),
                    m.SupportsBounds ? "yes" : "no",
                    m.Source,
                ]));
            console.Out.WriteLine();
            console.Out.WriteLine($"Flow samplers (ordo flow reconstruct|edit --sampler NAME); evaluations of one pass of N = {ShownSteps} uniform steps:");
            double[] levels = FlowTimeGrid.Uniform(ShownSteps).NoiseLevels.ToArray();
            console.WriteTable(
                ["name", "sampler", "order", $"evals (N = {ShownSteps})", "description"],
                FlowSamplers.All.Select(s => (IReadOnlyList<string>)
                [
                    s.Name,
                    s.DisplayName,
                    s.Order.ToString(CultureInfo.InvariantCulture),
                    s.EvaluationsPerPass(levels, RectifiedFlowSchedule.Instance).ToString(CultureInfo.InvariantCulture),
                    s.Description,
                ]),
                new HashSet<int> { 2, 3 });
            return Cli.ExitOk;
        });
        return command;
    }
}
