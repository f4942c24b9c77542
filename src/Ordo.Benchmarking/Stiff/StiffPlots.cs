using ScottPlot;

namespace Ordo.Benchmarking.Stiff;

/// <summary>The stiff report's work-precision figures (ScottPlot 5, with <see cref="BenchmarkPlots"/>' colours, font
/// "DejaVu Sans" and log-log axes): Ordo's methods solid, CVODE dashed, scipy dotted.</summary>
internal static class StiffPlots
{
    /// <summary>Error (x) against time per solve (y) of every method on one problem.</summary>
    public static void WorkPrecision(StiffBenchmarkResult result, string problem, string path)
    {
        IReadOnlyList<Color> palette = BenchmarkPlots.Palette; // also sets the report font, "DejaVu Sans"
        var plot = new Plot();
        var xs = new List<double>();
        var ys = new List<double>();
        string[] labels = result.Runs.Select(r => r.Label).Distinct().ToArray();
        foreach (IGrouping<string, StiffRun> g in result.Runs.Where(r => r.Problem == problem && r.IsUsable).GroupBy(r => r.Label))
        {
            StiffRun[] pts = g.OrderByDescending(r => r.RelativeTolerance).ToArray();
            double[] x = pts.Select(r => Math.Log10(r.Error)).ToArray();
            double[] y = pts.Select(r => Math.Log10(r.TimeSeconds)).ToArray();
            string library = pts[0].Library;
            Color color = library == StiffRun.Cvode && pts[0].Method == StiffComparison.CvodeMethod
                ? Colors.Black
                : palette[Array.IndexOf(labels, g.Key) % palette.Count];
            var s = plot.Add.Scatter(x, y, color);
            s.LegendText = g.Key;
            s.LineWidth = library == StiffRun.Ordo ? 2.5f : 1.5f;
            s.MarkerSize = 7;
            if (library == StiffRun.Cvode)
            {
                s.LinePattern = LinePattern.Dashed;
                s.MarkerShape = MarkerShape.FilledSquare;
            }
            else if (library == StiffRun.Scipy)
            {
                s.LinePattern = LinePattern.Dotted;
                s.MarkerShape = MarkerShape.OpenCircle;
            }
            xs.AddRange(x);
            ys.AddRange(y);
        }
        plot.Title($"{problem}: time per solve vs error (Ordo solid, CVODE dashed, scipy dotted)");
        plot.XLabel("error at t1: max |y - ref| / (atol/rtol + |ref|)  (dimensionless)");
        plot.YLabel("time per solve (s)");
        BenchmarkPlots.LogLogAxes(plot, xs, ys);
        plot.ShowLegend(Alignment.UpperRight);
        BenchmarkPlots.Save(plot, path, 900, 600);
    }
}
