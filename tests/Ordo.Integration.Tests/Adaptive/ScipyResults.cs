using System.Globalization;

namespace Ordo.Integration.Tests.Adaptive;

/// <summary>
/// scipy 1.10.1's solve_ivp results on the reference problems (copy of ../shared/research/ode-data/scipy_results.csv,
/// produced by run_scipy.py there): right-hand-side calls and mixed significant correct digits (mescd, the −log₁₀ of
/// the same mixed error that <see cref="Ordo.Problems.ErrorMetrics.Mixed"/> computes) per problem, method and rtol.
/// </summary>
public static class ScipyResults
{
    public readonly record struct Row(string Problem, string Method, double Rtol, string Status, long RhsCalls, double Mescd)
    {
        public double MixedError => Math.Pow(10, -Mescd);
    }

    private static readonly Lazy<IReadOnlyList<Row>> s_rows = new(Load);

    public static IReadOnlyList<Row> Rows => s_rows.Value;

    public static Row? Find(string problem, string method, double rtol) =>
        Rows.Where(r => r.Problem == problem && r.Method == method && Math.Abs(r.Rtol / rtol - 1) < 1e-9 && r.Status == "ok")
            .Select(r => (Row?)r).FirstOrDefault();

    private static IReadOnlyList<Row> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Adaptive", "scipy_results.csv");
        var rows = new List<Row>();
        string[]? header = null;
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            string[] f = line.Split(',');
            if (header is null)
            {
                header = f;
                continue;
            }
            int I(string name) => Array.IndexOf(header, name);
            string mescd = f[I("mescd")];
            rows.Add(new Row(f[I("problem")], f[I("method")], double.Parse(f[I("rtol")], CultureInfo.InvariantCulture), f[I("status")],
                long.TryParse(f[I("rhs_calls")], out long calls) ? calls : -1,
                double.TryParse(mescd, NumberStyles.Float, CultureInfo.InvariantCulture, out double m) ? m : double.NaN));
        }
        return rows;
    }
}
