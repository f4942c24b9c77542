using System.Globalization;
using ScottPlot;

namespace Ordo.Benchmarking;

/// <summary>
/// The flow report's PNG figures (ScottPlot 5): error against evaluations for every sampler (log-log, drawn as in
/// <see cref="BenchmarkPlots"/>), and 2-D trajectory pictures on GMM2.
/// </summary>
internal static class FlowBenchmarkPlots
{
    private const int Width = 1100, Height = 650;

    /// <summary>The samplers of flows.md §10, drawn thicker than the others.</summary>
    private static readonly string[] s_highlighted = ["euler", "midpoint", "rf-solver", "fireflow"];

    private static readonly MarkerShape[] s_markers =
    [
        MarkerShape.FilledCircle, MarkerShape.FilledSquare, MarkerShape.FilledTriangleUp, MarkerShape.FilledDiamond,
        MarkerShape.OpenCircle, MarkerShape.OpenSquare, MarkerShape.OpenTriangleUp, MarkerShape.OpenDiamond,
    ];

    static FlowBenchmarkPlots()
    {
        // As in BenchmarkPlots: ScottPlot's default font resolves to "DejaVu Serif" on this machine kind.
        Fonts.Default = "DejaVu Sans";
    }

    /// <summary>Category20's strong colours for the samplers of flows.md §10 (blue, orange, green, red); the other
    /// strong ones, then the light ones, for the rest.</summary>
    private static readonly int[] s_others = [8, 10, 12, 14, 16, 18, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];

    private static Color ColorOf(string sampler, int otherIndex)
    {
        int i = Array.IndexOf(s_highlighted, sampler);
        return new ScottPlot.Palettes.Category20().GetColor(i >= 0 ? 2 * i : s_others[otherIndex % s_others.Length]);
    }

    private static Color PathColor(string sampler) => ColorOf(sampler, 0);

    /// <summary>Reconstruction error against round-trip NFE, or sampling error against NFE of one pass, on the uniform
    /// grid: one line per sampler.</summary>
    public static void ErrorVsEvaluations(FlowBenchmarkResult result, string model, bool reconstruction, string path)
    {
        var plot = new Plot();
        var xs = new List<double>();
        var ys = new List<double>();
        int k = 0, others = 0;
        foreach (Ordo.Sampling.FlowSampler sampler in result.Options.Samplers)
        {
            FlowMeasurement[] runs = result.Sweep
                .Where(m => m.Model == model && m.Schedule == "uniform" && m.Sampler == sampler.Name)
                .Where(m => reconstruction ? Usable(m.ReconstructionError) : Usable(m.SampleError))
                .OrderBy(m => m.Steps).ToArray();
            int index = k++;
            if (runs.Length == 0) continue;
            bool key = s_highlighted.Contains(sampler.Name);
            if (!key) others++;
            double[] x = runs.Select(m => Math.Log10(reconstruction ? m.RoundTripEvaluations : m.PassEvaluations)).ToArray();
            double[] y = runs.Select(m => Math.Log10(reconstruction ? m.ReconstructionError : m.SampleError)).ToArray();
            var s = plot.Add.Scatter(x, y, ColorOf(sampler.Name, others - 1));
            s.LegendText = sampler.Name == "midpoint" ? $"midpoint (order {sampler.Order}, = rf-solver)" : $"{sampler.Name} (order {sampler.Order})";
            // Midpoint and RF-Solver-2 are the same method: midpoint is drawn wide and pale under RF-Solver.
            s.LineWidth = sampler.Name == "midpoint" ? 7 : key ? 2.5f : 1.5f;
            if (sampler.Name == "midpoint") s.Color = s.Color.WithOpacity(0.45);
            s.MarkerSize = key ? 8 : 5;
            s.MarkerShape = s_markers[index % s_markers.Length];
            if (!key) s.LinePattern = LinePattern.Dashed;
            xs.AddRange(x);
            ys.AddRange(y);
        }
        plot.Title(reconstruction
            ? $"{model}: reconstruction error (invert, sample back) vs NFE, uniform grid"
            : $"{model}: sampling error vs NFE, uniform grid");
        plot.XLabel(reconstruction ? "NFE: model evaluations of inversion + sampling" : "NFE: model evaluations of one sampling pass");
        plot.YLabel(reconstruction ? "max over x_a, x_b of |output - input|" : "max over the noise points of |output - exact|");
        BenchmarkPlots.LogLogAxes(plot, xs, ys);
        plot.ShowLegend(Edge.Right);
        BenchmarkPlots.Save(plot, path, Width, Height);
    }

    /// <summary>Errors above 1e-15 (the rounding floor) and below 10 (a diverged run) are drawn.</summary>
    private static bool Usable(double error) => double.IsFinite(error) && error > 1e-15 && error < 10;

    /// <summary>2-D picture of the GMM2 trajectories of one kind ("inversion" or "edit"): each sampler's path with
    /// markers at the steps, the exact path in black, the components' 1σ and 2σ ellipses and the noise's 1σ circle.</summary>
    public static void Trajectories(FlowBenchmarkResult result, string kind, string path)
    {
        FlowBenchmarkCase gmm2 = result.Cases.First(c => c.Name == "GMM2");
        var plot = new Plot();
        foreach (Ordo.Problems.Flows.GaussianComponent g in gmm2.Model.Components)
        {
            foreach (double scale in new[] { 1.0, 2.0 })
            {
                var e = plot.Add.Ellipse(g.Mean[0], g.Mean[1], scale * g.StandardDeviations[0], scale * g.StandardDeviations[1]);
                e.LineColor = Colors.Gray.WithOpacity(scale == 1 ? 0.7 : 0.35);
                e.LineWidth = 1;
            }
        }
        var circle = plot.Add.Circle(0, 0, 1);
        circle.LineColor = Colors.Gray.WithOpacity(0.6);
        circle.LinePattern = LinePattern.Dashed;

        FlowTrajectory[] all = result.Trajectories.Where(t => t.Kind == kind).ToArray();
        string[] samplers = all.Select(t => t.Sampler).Where(s => s != "exact").Distinct().ToArray();
        // Samplers first, the exact path on top of them; paths that nearly coincide stay visible by their widths.
        for (int i = 0; i < samplers.Length; i++)
        {
            bool first = true;
            foreach (FlowTrajectory t in all.Where(t => t.Sampler == samplers[i]))
            {
                var s = plot.Add.Scatter(t.States.Select(p => p[0]).ToArray(), t.States.Select(p => p[1]).ToArray(), PathColor(samplers[i]));
                s.LineWidth = Math.Max(1.5f, 4.5f - 1.5f * i);
                s.MarkerSize = Math.Max(5, 10 - 2 * i);
                s.MarkerShape = s_markers[i % s_markers.Length];
                if (first) s.LegendText = samplers[i];
                first = false;
            }
        }
        FlowTrajectory[] exact = all.Where(t => t.Sampler == "exact").ToArray();
        for (int i = 0; i < exact.Length; i++)
        {
            FlowTrajectory t = exact[i];
            var s = plot.Add.Scatter(t.States.Select(p => p[0]).ToArray(), t.States.Select(p => p[1]).ToArray(), Colors.Black);
            s.MarkerSize = 0;
            s.LineWidth = 1.5f;
            if (i == 0) s.LegendText = "exact flow";
            plot.Add.Marker(t.States[0][0], t.States[0][1], MarkerShape.FilledCircle, 9, Colors.Black);
            var label = plot.Add.Text(t.Point, t.States[0][0], t.States[0][1]);
            label.LabelFontSize = 14;
            label.LabelOffsetX = 6;
            label.LabelOffsetY = -22;
            // The noise the data point inverts to: the end of an inversion, the middle of an edit.
            double[] z = kind == "edit" ? t.States[t.States.Count / 2] : t.States[^1];
            var noise = plot.Add.Marker(z[0], z[1], MarkerShape.OpenCircle, 12, Colors.Black);
            if (i == 0) noise.LegendText = kind == "edit" ? "exact noise (under A)" : "exact noise";
            if (kind == "edit")
            {
                var end = plot.Add.Marker(t.States[^1][0], t.States[^1][1], MarkerShape.FilledDiamond, 14, Colors.Black);
                if (i == 0) end.LegendText = "exact edit";
            }
        }
        int steps = result.Options.ComparisonSteps;
        plot.Title(kind == "edit"
            ? string.Create(CultureInfo.InvariantCulture, $"GMM2 edit A → B: invert under A, sample under B, N = {steps} (uniform)")
            : string.Create(CultureInfo.InvariantCulture, $"GMM2: inversion of data points to noise, N = {steps} (uniform)"));
        plot.XLabel("x1");
        plot.YLabel("x2");
        plot.Axes.SquareUnits();
        plot.ShowLegend(Alignment.UpperLeft);
        BenchmarkPlots.Save(plot, path, 900, 750);
    }
}
