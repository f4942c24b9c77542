using System.Globalization;
using ScottPlot;

namespace Ordo.Benchmarking;

/// <summary>
/// The report's PNG figures (ScottPlot 5). Log axes are drawn the ScottPlot 5 way: the data are plotted as log₁₀ values
/// and the axes get integer ticks labelled "1e{k}" with log-spaced minor ticks.
/// </summary>
internal static class BenchmarkPlots
{
    private const int Width = 900, Height = 600;

    private static readonly Color[] s_palette =
    [
        new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189),
        new(140, 86, 75), new(227, 119, 194), new(127, 127, 127), new(188, 189, 34), new(23, 190, 207),
    ];

    /// <summary>The report's line colours (also used by the stiff report's figures).</summary>
    internal static IReadOnlyList<Color> Palette => s_palette;

    static BenchmarkPlots()
    {
        // ScottPlot's default font resolves to "DejaVu Serif" on this machine kind (../research/dotnet-stack.md §3).
        Fonts.Default = "DejaVu Sans";
    }

    /// <summary>Colour of a method: Ordo methods in order; a scipy method takes the colour of its Ordo partner (drawn
    /// dashed), so a pair is easy to compare.</summary>
    private static Color ColorOf(OdeBenchmarkResult result, BenchmarkSide side, string method)
    {
        var ordo = result.Options.Methods.Select(m => m.Name).ToList();
        string key = method;
        if (side == BenchmarkSide.Scipy)
        {
            MethodPair? pair = result.Options.Pairs.FirstOrDefault(p => string.Equals(p.ScipyMethod, method, StringComparison.OrdinalIgnoreCase));
            if (pair is not null && ordo.Contains(pair.OrdoMethod, StringComparer.OrdinalIgnoreCase)) key = pair.OrdoMethod;
            else return s_palette[(ordo.Count + result.Options.ScipyMethods.ToList().IndexOf(method)) % s_palette.Length];
        }
        int i = ordo.FindIndex(m => string.Equals(m, key, StringComparison.OrdinalIgnoreCase));
        return s_palette[Math.Max(i, 0) % s_palette.Length];
    }

    private static string Legend(BenchmarkSide side, string method) => side == BenchmarkSide.Ordo ? $"{method} (Ordo)" : $"{method} (scipy)";

    /// <summary>Work-precision diagram of one problem: x = error, y = time per solve (<paramref name="timeAxis"/>) or RHS calls, one line per method.</summary>
    public static void WorkPrecision(OdeBenchmarkResult result, string problem, string path, bool timeAxis)
    {
        var plot = new Plot();
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (IGrouping<(BenchmarkSide Side, string Method), BenchmarkRun> g in result.Runs
                     .Where(r => r.Problem == problem && r.IsUsable)
                     .GroupBy(r => (r.Side, r.Method)))
        {
            BenchmarkRun[] pts = g.OrderByDescending(r => r.RelativeTolerance).ToArray();
            double[] x = pts.Select(r => Math.Log10(r.Error)).ToArray();
            double[] y = pts.Select(r => Math.Log10(timeAxis ? r.TimeSeconds : r.RhsEvaluations)).ToArray();
            var s = plot.Add.Scatter(x, y, ColorOf(result, g.Key.Side, g.Key.Method));
            s.LegendText = Legend(g.Key.Side, g.Key.Method);
            s.LineWidth = 2;
            s.MarkerSize = 7;
            if (g.Key.Side == BenchmarkSide.Scipy)
            {
                s.LinePattern = LinePattern.Dashed;
                s.MarkerShape = MarkerShape.OpenCircle;
            }
            xs.AddRange(x);
            ys.AddRange(y);
        }
        string what = timeAxis ? "time per solve" : "right-hand-side calls";
        plot.Title($"{problem}: {what} vs error");
        plot.XLabel("error at t1: max |y - ref| / (atol/rtol + |ref|)  (dimensionless)");
        plot.YLabel(timeAxis ? "time per solve (s)" : "RHS calls per solve");
        Finish(plot, xs, ys, path, Alignment.UpperRight);
    }

    /// <summary>Ordo/scipy ratios at equal error against the error, one marker series per pair; a line at 1.</summary>
    public static void ComparisonSummary(OdeBenchmarkResult result, string path, bool speedUp)
    {
        var plot = new Plot();
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (PairSummary ps in result.Comparison.Pairs)
        {
            EqualErrorPoint[] pts = result.Comparison.EqualError.Where(p => p.Pair == ps.Pair).ToArray();
            if (pts.Length == 0) continue;
            double[] x = pts.Select(p => Math.Log10(p.Error)).ToArray();
            double[] y = pts.Select(p => Math.Log10(speedUp ? p.SpeedUp : p.RhsRatio)).ToArray();
            var m = plot.Add.Markers(x, y, MarkerShape.FilledCircle, 7, ColorOf(result, BenchmarkSide.Ordo, ps.Pair.OrdoMethod));
            double median = speedUp ? ps.SpeedUp.Median : ps.RhsRatio.Median;
            string formatted = median.ToString(speedUp ? "0" : "0.00", CultureInfo.InvariantCulture);
            m.LegendText = $"{ps.Pair} (median {formatted})";
            xs.AddRange(x);
            ys.AddRange(y);
        }
        plot.Add.HorizontalLine(0, 1.5f, Colors.Black.WithOpacity(0.6), LinePattern.Dashed);
        ys.Add(0);
        plot.Title(speedUp
            ? "Speed-up of Ordo over scipy at equal error (all problems)"
            : "RHS calls Ordo / scipy at equal error (all problems)");
        plot.XLabel("error at t1 (mixed, dimensionless)");
        plot.YLabel(speedUp ? "speed-up: scipy time / Ordo time (x)" : "RHS calls: Ordo / scipy (ratio)");
        if (xs.Count == 0) xs.AddRange([-10, -4]);
        Finish(plot, xs, ys, path, Alignment.UpperLeft);
    }

    /// <summary>Convergence with fixed steps: x = number of steps, y = error at t1, one line per method.</summary>
    public static void Convergence(ConvergenceStudy study, string path)
    {
        var plot = new Plot();
        var xs = new List<double>();
        var ys = new List<double>();
        int k = 0;
        foreach (ConvergenceFit fit in study.Fits)
        {
            ConvergencePoint[] pts = study.Points.Where(p => p.Method == fit.Method && double.IsFinite(p.Error) && p.Error > 0 && p.Error < 1e3).ToArray();
            if (pts.Length == 0) continue;
            double[] x = pts.Select(p => Math.Log10(p.Steps)).ToArray();
            double[] y = pts.Select(p => Math.Log10(p.Error)).ToArray();
            var s = plot.Add.Scatter(x, y, s_palette[k++ % s_palette.Length]);
            s.LegendText = string.Create(CultureInfo.InvariantCulture, $"{fit.Method} (order {fit.Order}, slope {fit.Slope:0.00})");
            s.LineWidth = 2;
            s.MarkerSize = 6;
            xs.AddRange(x);
            ys.AddRange(y);
        }
        plot.Title($"{study.Problem}: global error with fixed steps");
        plot.XLabel("number of steps N (h = (t1 − t0)/N)");
        plot.YLabel("max-norm error over the trajectory");
        Finish(plot, xs, ys, path, Alignment.LowerLeft);
    }

    private static void Finish(Plot plot, List<double> xs, List<double> ys, string path, Alignment legend)
    {
        LogLogAxes(plot, xs, ys);
        plot.ShowLegend(legend);
        Save(plot, path, Width, Height);
    }

    /// <summary>Log axes on both sides (the data are log₁₀ values), limits on whole decades around the data.</summary>
    internal static void LogLogAxes(Plot plot, List<double> xs, List<double> ys)
    {
        LogAxis(plot.Axes.Bottom);
        LogAxis(plot.Axes.Left);
        if (xs.Count > 0 && ys.Count > 0)
        {
            // Whole decades, so every axis has at least two labelled ticks.
            double x0 = Math.Floor(xs.Min()), x1 = Math.Ceiling(xs.Max());
            double y0 = Math.Floor(ys.Min()), y1 = Math.Ceiling(ys.Max());
            if (x1 - x0 < 1) x1 = x0 + 1;
            if (y1 - y0 < 1) y1 = y0 + 1;
            plot.Axes.SetLimits(x0 - 0.05, x1 + 0.05, y0 - 0.05, y1 + 0.05);
        }
    }

    /// <summary>The report's grid style, then the PNG (in the report's font, "DejaVu Sans").</summary>
    internal static void Save(Plot plot, string path, int width, int height)
    {
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Grid.MinorLineWidth = 1;
        plot.SavePng(path, width, height);
    }

    private static void LogAxis(IAxis axis) =>
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => string.Create(CultureInfo.InvariantCulture, $"1e{Math.Round(v):0}"),
        };

    /// <summary>A file-name-safe version of a problem name.</summary>
    public static string Slug(string name) =>
        new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray());
}
