using System.CommandLine;
using System.Globalization;
using Ordo.Integration;

namespace Ordo.Cli;

/// <summary><c>ordo methods</c>: every ODE method with its orders and a one-line description.</summary>
internal static class MethodsCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("methods", "List the ODE methods: name, order, error-estimator order, dense-output order, and when to use them.");
        command.SetAction(_ =>
        {
            console.WriteTable(
                ["name", "order", "error estimator", "dense output", "description"],
                OdeMethods.All.Select(m => (IReadOnlyList<string>)
                [
                    m.Name,
                    m.Order.ToString(CultureInfo.InvariantCulture),
                    m.ErrorEstimatorOrder is int e ? e.ToString(CultureInfo.InvariantCulture) : "fixed step",
                    m is ExplicitRungeKutta rk ? rk.InterpolantOrder.ToString(CultureInfo.InvariantCulture) : "—",
                    m.Description,
                ]),
                new HashSet<int> { 1, 2, 3 });
            return Cli.ExitOk;
        });
        return command;
    }
}
