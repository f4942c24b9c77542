namespace Ordo.Integration;

/// <summary>
/// An <c>m</c>-dimensional Brownian path on <c>[t0, t1]</c> that answers the increment <c>W_{s,t} = W_t − W_s</c>
/// and the space-time Lévy area <c>H_{s,t} = (1/h) ∫_s^t (W_r − W_s − ((r − s)/h) W_{s,t}) dr</c>, <c>h = t − s</c>,
/// of every lane for any interval (sde.md §1.1; Foster, Lyons &amp; Oberhauser 2020, "An optimal polynomial
/// approximation of Brownian motion"). Per lane <c>W_{s,t} ~ N(0, h)</c> and <c>H_{s,t} ~ N(0, h/12)</c>,
/// independent of each other. Implementations are deterministic functions of their seed and the query, so a
/// rejected step that asks again gets the same noise, and they allocate nothing per query.
/// </summary>
public interface IBrownianPath
{
    /// <summary>The number of independent Brownian components (lanes), <c>m</c>.</summary>
    int Lanes { get; }

    /// <summary>The start of the time interval on which the path is defined.</summary>
    double T0 { get; }

    /// <summary>The end of the time interval on which the path is defined.</summary>
    double T1 { get; }

    /// <summary>Writes the increments <c>W_{s,t}</c> of all lanes (sde.md §1.1).</summary>
    /// <param name="s">The start of the interval, in <c>[T0, T1]</c>.</param>
    /// <param name="t">The end of the interval, in <c>[s, T1]</c>.</param>
    /// <param name="dW">Receives <see cref="Lanes"/> values (at least that long).</param>
    /// <exception cref="ArgumentException">A time outside <c>[T0, T1]</c>, <c>s &gt; t</c>, or a span shorter than <see cref="Lanes"/>.</exception>
    void Increment(double s, double t, Span<double> dW);

    /// <summary>
    /// Writes the increments <c>W_{s,t}</c> and the space-time Lévy areas <c>H_{s,t}</c> of all lanes, the pair the
    /// additive-noise order-1.5 solvers need (sde.md §1.1; <c>∫_s^t (W_r − W_s) dr = h (W_{s,t}/2 + H_{s,t})</c>).
    /// </summary>
    /// <param name="s">The start of the interval, in <c>[T0, T1]</c>.</param>
    /// <param name="t">The end of the interval, in <c>(s, T1]</c>.</param>
    /// <param name="dW">Receives <see cref="Lanes"/> increments.</param>
    /// <param name="h">Receives <see cref="Lanes"/> space-time Lévy areas (0 for an empty interval).</param>
    /// <exception cref="ArgumentException">A time outside <c>[T0, T1]</c>, <c>s &gt; t</c>, or a span shorter than <see cref="Lanes"/>.</exception>
    void Increment(double s, double t, Span<double> dW, Span<double> h);
}
