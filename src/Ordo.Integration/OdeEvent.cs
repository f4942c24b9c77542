namespace Ordo.Integration;

/// <summary>An event function g(t, y); an event happens where g changes sign. The state is given in double precision
/// whatever the number type of the solve.</summary>
public delegate double EventFunction(double t, ReadOnlySpan<double> y);

/// <summary>Which sign changes of an event function count.</summary>
public enum EventDirection
{
    /// <summary>Both directions.</summary>
    Both = 0,
    /// <summary>Only where g goes from negative to non-negative.</summary>
    Rising = 1,
    /// <summary>Only where g goes from positive to non-positive.</summary>
    Falling = -1,
}

/// <summary>
/// An event g(t, y) = 0 located during an ODE solve, as scipy's <c>solve_ivp(events=...)</c>: after every accepted
/// step the sign of g at the step end is compared with its sign at the start (and, with
/// <see cref="InteriorSamples"/>, at points inside the step, which catches two crossings within one step); a sign
/// change is located by Brent's method on the method's dense output, to a few ulps of t.
/// </summary>
/// <param name="Function">The event function g(t, y).</param>
public sealed record OdeEvent(EventFunction Function)
{
    /// <summary>Which crossings count (default both).</summary>
    public EventDirection Direction { get; init; } = EventDirection.Both;

    /// <summary>Stop the integration at the first occurrence (status <see cref="OdeStatus.TerminatedByEvent"/>).</summary>
    public bool Terminal { get; init; }

    /// <summary>Number of equally spaced interior points of each step where g is also evaluated (default 0, as scipy).
    /// Use a few (say 4–10) when g can change sign twice within one step.</summary>
    public int InteriorSamples { get; init; }

    /// <summary>Optional name, shown in output.</summary>
    public string? Name { get; init; }

    internal void Validate(int index)
    {
        if (Function is null) throw new ArgumentNullException(nameof(Function), $"Events[{index}].Function is null.");
        if (InteriorSamples < 0 || InteriorSamples > 1000)
            throw new ArgumentOutOfRangeException(nameof(InteriorSamples), InteriorSamples, $"Events[{index}].InteriorSamples must be between 0 and 1000.");
        if (!Enum.IsDefined(Direction))
            throw new ArgumentOutOfRangeException(nameof(Direction), Direction, $"Events[{index}].Direction is not a defined EventDirection.");
    }
}

/// <summary>One occurrence of an event.</summary>
/// <typeparam name="T">Number type of the state.</typeparam>
/// <param name="EventIndex">Index of the event in <see cref="OdeOptions.Events"/>.</param>
/// <param name="Time">Time of the occurrence.</param>
/// <param name="State">State at that time (from the dense output).</param>
public sealed record OdeEventOccurrence<T>(int EventIndex, double Time, T[] State);
