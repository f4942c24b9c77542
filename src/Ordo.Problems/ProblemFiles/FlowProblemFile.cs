using Ordo.Problems.Flows;
using Ordo.Sampling;

namespace Ordo.Problems.ProblemFiles;

/// <summary>
/// A problem file of kind <c>flow</c>: a rectified-flow model whose data distribution is a Gaussian mixture (noise is
/// N(0, I) and the velocity field is the exact one, <see cref="GaussianMixtureFlow"/>), and data points to invert,
/// reconstruct or edit. Each mixture component is one class: component k of the file (1-based) is class k − 1 of
/// <see cref="Model"/> (0-based).
/// </summary>
/// <remarks>
/// The file's time convention is <c>"t=0 noise, t=1 data"</c> (x_t = (1 − t)·x_noise + t·x_data); the model runs in
/// the samplers' noise-level time τ = 1 − t (<see cref="FlowTimeConvention.NoiseAtOne"/>). Only the direction matters
/// to a user: the points are data, inversion takes them to noise and sampling brings noise back to data.
/// </remarks>
public sealed class FlowProblemFile : ProblemFile
{
    /// <summary>The only <c>time_convention</c> of version 1 of the format.</summary>
    public const string TimeConventionText = "t=0 noise, t=1 data";

    private readonly double[] _points;

    internal FlowProblemFile(string file, string? name, GaussianMixtureFlow model, int? condition, double[] points)
        : base(file, name, new Dictionary<string, double>(), new Dictionary<string, IReadOnlyList<double>>())
    {
        Model = model;
        Condition = condition;
        _points = points;
    }

    /// <inheritdoc/>
    public override string Kind => ProblemKinds.Flow;

    /// <summary>The dimension d of a point.</summary>
    public override int Dimension => Model.Dimension;

    /// <summary>The exact flow from N(0, I) to the file's mixture; one class per component, in file order.</summary>
    public GaussianMixtureFlow Model { get; }

    /// <summary>Number of mixture components (= classes of <see cref="Model"/>).</summary>
    public int ComponentCount => Model.Components.Count;

    /// <summary>The <c>condition</c> field as a 0-based component (class) index, or null when the file has none.</summary>
    public int? Condition { get; }

    /// <summary><see cref="Condition"/> as the condition a <see cref="FlowSolver{T}"/> takes (none when absent).</summary>
    public FlowCondition FlowCondition => Condition is int c ? FlowCondition.Class(c) : FlowCondition.None;

    /// <summary>The file's time convention (noise at t = 0).</summary>
    public FlowTimeConvention TimeConvention => FlowTimeConvention.NoiseAtZero;

    /// <summary>Number of data points.</summary>
    public int PointCount => _points.Length / Dimension;

    /// <summary>The data points, row-major (<see cref="PointCount"/> × <see cref="Dimension"/>).</summary>
    public ReadOnlyMemory<double> Points => _points;

    /// <summary>Data point <paramref name="index"/> (0-based).</summary>
    public ReadOnlySpan<double> Point(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, PointCount);
        return _points.AsSpan(index * Dimension, Dimension);
    }

    /// <summary>
    /// The exact result of editing every point from component <paramref name="fromComponent"/> to
    /// <paramref name="toComponent"/> (0-based): invert under the first, sample under the second. Each component is
    /// one Gaussian, so the map is affine (<see cref="GaussianMixtureFlow.TryExactEdit"/>). Row-major like
    /// <see cref="Points"/>.
    /// </summary>
    public double[] ExactEdit(int fromComponent, int toComponent)
    {
        int d = Dimension;
        var edited = new double[_points.Length];
        for (int i = 0; i < PointCount; i++)
        {
            if (!Model.TryExactEdit(Point(i), fromComponent, toComponent, edited.AsSpan(i * d, d)))
                throw new InvalidOperationException("Every class of a flow problem file is a single component, so its edit map is closed-form.");
        }
        return edited;
    }
}
