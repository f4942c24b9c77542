using System.Numerics;

namespace Ordo.Integration;

/// <summary>
/// The result of an ODE solve: why it stopped, where it got to, what was saved on the way, and what it cost.
/// </summary>
/// <typeparam name="T">Number type of the state.</typeparam>
public sealed class OdeSolution<T> where T : IFloatingPointIeee754<T>
{
    private readonly double[] _times;
    private readonly T[] _states;

    internal OdeSolution(string method, OdeStatus status, double t, T[] y, double[] times, T[] states, int count,
        IReadOnlyList<OdeEventOccurrence<T>> events, OdeStats stats, DenseOutput<T>? dense,
        IReadOnlyList<OdeMethodSegment> methodSegments)
    {
        MethodSegments = methodSegments;
        Method = method;
        Status = status;
        Time = t;
        Y = y;
        _times = times;
        _states = states;
        Count = count;
        Events = events;
        Stats = stats;
        Dense = dense;
    }

    /// <summary>Which method ran when, for a switching method such as <c>auto</c> (in time order; empty when one method
    /// ran throughout).</summary>
    public IReadOnlyList<OdeMethodSegment> MethodSegments { get; }

    /// <summary>Short name of the method that produced the solution.</summary>
    public string Method { get; }

    /// <summary>Why the solve stopped.</summary>
    public OdeStatus Status { get; }

    /// <summary>What the status means, and what to try.</summary>
    public string Message => Status.Describe();

    /// <summary>True when the solve reached t1 or stopped at a terminal event.</summary>
    public bool IsSuccess => Status is OdeStatus.Success or OdeStatus.TerminatedByEvent;

    /// <summary>Time the solve stopped at (t1 on success).</summary>
    public double Time { get; }

    /// <summary>State at <see cref="Time"/>: the last finite state whatever the status.</summary>
    public T[] Y { get; }

    /// <summary>Number of saved points (see <see cref="OdeOptions.Save"/>).</summary>
    public int Count { get; }

    /// <summary>Saved times.</summary>
    public ReadOnlySpan<double> Times => _times.AsSpan(0, Count);

    /// <summary>Saved state number <paramref name="index"/> (at <c>Times[index]</c>).</summary>
    public ReadOnlySpan<T> State(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _states.AsSpan(index * Y.Length, Y.Length);
    }

    /// <summary>All saved states, row by row (Count × n).</summary>
    public ReadOnlySpan<T> States => _states.AsSpan(0, Count * Y.Length);

    /// <summary>Events that occurred, in time order.</summary>
    public IReadOnlyList<OdeEventOccurrence<T>> Events { get; }

    /// <summary>Work counters.</summary>
    public OdeStats Stats { get; }

    /// <summary>The continuous solution when <see cref="SaveAt.Dense"/> was set; otherwise null.</summary>
    public DenseOutput<T>? Dense { get; }

    /// <summary>Throws <see cref="InvalidOperationException"/> with the status description unless the solve succeeded.</summary>
    public OdeSolution<T> EnsureSuccess() =>
        IsSuccess ? this : throw new InvalidOperationException($"ODE solve with {Method} stopped at t = {Time}: {Message}");
}
