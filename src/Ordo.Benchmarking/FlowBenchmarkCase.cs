using Ordo.Problems.Flows;
using Ordo.Sampling;

namespace Ordo.Benchmarking;

/// <summary>A named test point of a flow benchmark, e.g. x_a = (1.8, 1.2).</summary>
/// <param name="Name">The name in flows.md, e.g. "x_a".</param>
/// <param name="X">The point.</param>
public sealed record FlowTestPoint(string Name, double[] X);

/// <summary>An editing task: invert the points under one class of the model and sample them under another.</summary>
/// <param name="FromClass">The class (0-based) to invert under ("A").</param>
/// <param name="ToClass">The class (0-based) to sample under ("B").</param>
/// <param name="Points">The data points to edit.</param>
public sealed record FlowEditTask(int FromClass, int ToClass, IReadOnlyList<FlowTestPoint> Points);

/// <summary>
/// One model of the flow benchmark with its test points (flows.md §8.3): noise points to sample, data points to invert
/// and reconstruct, and an editing task. The exact answers are computed once, on first use: the reference flow of
/// <see cref="GaussianMixtureFlow.ReferenceFlow"/> (DOP853 at 1e-13), and the closed-form edit map where both classes
/// are single Gaussians.
/// </summary>
public sealed class FlowBenchmarkCase
{
    private readonly Lazy<FlowReferences> _references;

    /// <summary>Creates a case.</summary>
    public FlowBenchmarkCase(string name, GaussianMixtureFlow model, IReadOnlyList<FlowTestPoint> noisePoints,
        IReadOnlyList<FlowTestPoint> dataPoints, FlowEditTask? edit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(noisePoints);
        ArgumentNullException.ThrowIfNull(dataPoints);
        if (noisePoints.Count == 0 || dataPoints.Count == 0) throw new ArgumentException("A case needs noise points and data points.");
        if (noisePoints.Concat(dataPoints).Concat(edit?.Points ?? []).Any(p => p.X.Length != model.Dimension))
            throw new ArgumentException($"Every point of case {name} must have the model's dimension {model.Dimension}.");
        Name = name;
        Model = model;
        NoisePoints = noisePoints;
        DataPoints = dataPoints;
        Edit = edit;
        _references = new Lazy<FlowReferences>(() => FlowReferences.Compute(this));
    }

    /// <summary>The model's name in tables, e.g. "GMM2".</summary>
    public string Name { get; }

    /// <summary>The exact Gaussian-mixture flow.</summary>
    public GaussianMixtureFlow Model { get; }

    /// <summary>Points at noise level τ = 1 that are sampled to data.</summary>
    public IReadOnlyList<FlowTestPoint> NoisePoints { get; }

    /// <summary>Data points (τ = 0) that are inverted to noise and reconstructed.</summary>
    public IReadOnlyList<FlowTestPoint> DataPoints { get; }

    /// <summary>The editing task, or null.</summary>
    public FlowEditTask? Edit { get; }

    /// <summary>The exact answers (computed on first use, then kept).</summary>
    internal FlowReferences References => _references.Value;

    /// <summary>
    /// GMM2 (d = 2) with z_a…z_d to sample, x_a and x_b to invert and reconstruct (x_c, the badly conditioned point
    /// between the modes, is left out as flows.md §8.3 advises), and the A → B edit of x_a, x_b and x_c, which has a
    /// closed form (§8.4).
    /// </summary>
    public static FlowBenchmarkCase Gmm2() => new("GMM2", GaussianMixtureFlow.Gmm2(),
        [new("z_a", [0.3, -0.7]), new("z_b", [-1.2, 0.4]), new("z_c", [0.05, 0.1]), new("z_d", [1.5, 1.5])],
        [new("x_a", [1.8, 1.2]), new("x_b", [-1.4, -0.2])],
        new FlowEditTask(0, 1, [new("x_a", [1.8, 1.2]), new("x_b", [-1.4, -0.2]), new("x_c", [0.2, 0.3])]));

    /// <summary>
    /// GMM3 (d = 3) with z_a, z_b to sample, x_a, x_b to invert and reconstruct, and the edit A = {0, 1} → B = {2} of
    /// x_a and x_b (no closed form: the reference inverts and samples with the reference flow).
    /// </summary>
    public static FlowBenchmarkCase Gmm3() => new("GMM3", GaussianMixtureFlow.Gmm3(),
        [new("z_a", [0.3, -0.7, 0.2]), new("z_b", [-0.5, 0.9, -1.1])],
        [new("x_a", [1.4, 0.3, -0.8]), new("x_b", [-0.2, -1.0, 0.9])],
        new FlowEditTask(0, 1, [new("x_a", [1.4, 0.3, -0.8]), new("x_b", [-0.2, -1.0, 0.9])]));

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>The exact answers of a <see cref="FlowBenchmarkCase"/>, each batch row-major like the points.</summary>
internal sealed class FlowReferences
{
    private FlowReferences(double[] noise, double[] data, double[] sampled, double[] inverted, double[]? editData, double[]? edited, bool editClosedForm)
    {
        Noise = noise;
        Data = data;
        Sampled = sampled;
        Inverted = inverted;
        EditData = editData;
        Edited = edited;
        EditIsClosedForm = editClosedForm;
    }

    /// <summary>The noise points.</summary>
    public double[] Noise { get; }
    /// <summary>The data points.</summary>
    public double[] Data { get; }
    /// <summary>The noise points sampled exactly (τ 1 → 0).</summary>
    public double[] Sampled { get; }
    /// <summary>The data points inverted exactly (τ 0 → 1).</summary>
    public double[] Inverted { get; }
    /// <summary>The points of the edit task, or null.</summary>
    public double[]? EditData { get; }
    /// <summary>The exact edits, or null.</summary>
    public double[]? Edited { get; }
    /// <summary>True when <see cref="Edited"/> is the closed-form map, false when it comes from the reference flow.</summary>
    public bool EditIsClosedForm { get; }

    public static FlowReferences Compute(FlowBenchmarkCase c)
    {
        GaussianMixtureFlow m = c.Model;
        double[] noise = Flatten(c.NoisePoints), data = Flatten(c.DataPoints);
        double[] sampled = Flatten(c.NoisePoints.Select(p => new FlowTestPoint(p.Name, m.ReferenceFlow(p.X, 1, 0))).ToList());
        double[] inverted = Flatten(c.DataPoints.Select(p => new FlowTestPoint(p.Name, m.ReferenceFlow(p.X, 0, 1))).ToList());
        if (c.Edit is not { } edit) return new FlowReferences(noise, data, sampled, inverted, null, null, false);
        double[] editData = Flatten(edit.Points);
        double[] edited = new double[editData.Length];
        bool closedForm = true;
        int d = m.Dimension;
        for (int i = 0; i < edit.Points.Count; i++)
        {
            Span<double> target = edited.AsSpan(i * d, d);
            if (m.TryExactEdit(edit.Points[i].X, edit.FromClass, edit.ToClass, target)) continue;
            closedForm = false;
            double[] z = m.ReferenceFlow(edit.Points[i].X, 0, 1, FlowCondition.Class(edit.FromClass));
            m.ReferenceFlow(z, 1, 0, FlowCondition.Class(edit.ToClass)).CopyTo(target);
        }
        return new FlowReferences(noise, data, sampled, inverted, editData, edited, closedForm);
    }

    public static double[] Flatten(IReadOnlyList<FlowTestPoint> points) => points.SelectMany(p => p.X).ToArray();
}
