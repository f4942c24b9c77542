namespace Ordo.Sampling;

/// <summary>
/// What a velocity model is conditioned on for one evaluation: nothing, a class (a component set of an analytic model,
/// a label of a class-conditional network) or a vector (a text or image embedding fed to a network as an input).
/// </summary>
/// <remarks>Editing inverts under one condition and samples under another (<see cref="FlowSolver{T}.Edit"/>).</remarks>
public readonly record struct FlowCondition
{
    private FlowCondition(int? classIndex, ReadOnlyMemory<float> vector)
    {
        ClassIndex = classIndex;
        Vector = vector;
    }

    /// <summary>No condition: the unconditional field.</summary>
    public static FlowCondition None => default;

    /// <summary>Condition on class <paramref name="index"/> (0-based; what a class is depends on the model).</summary>
    public static FlowCondition Class(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new FlowCondition(index, default);
    }

    /// <summary>Condition on an embedding vector, passed to the model unchanged (one vector for the whole batch).</summary>
    public static FlowCondition Embedding(ReadOnlyMemory<float> vector)
    {
        if (vector.IsEmpty) throw new ArgumentException("A condition vector must not be empty.", nameof(vector));
        return new FlowCondition(null, vector);
    }

    /// <summary>The class index, or null.</summary>
    public int? ClassIndex { get; }

    /// <summary>The embedding vector; empty when there is none.</summary>
    public ReadOnlyMemory<float> Vector { get; }

    /// <summary>True when neither a class nor a vector is set.</summary>
    public bool IsNone => ClassIndex is null && Vector.IsEmpty;

    /// <inheritdoc/>
    public override string ToString() =>
        ClassIndex is int c ? $"class {c}" : Vector.IsEmpty ? "none" : $"vector[{Vector.Length}]";
}
