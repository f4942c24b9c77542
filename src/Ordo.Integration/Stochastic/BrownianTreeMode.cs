namespace Ordo.Integration;

/// <summary>What a <see cref="VirtualBrownianTree"/> carries at every node (sde.md §1.5).</summary>
public enum BrownianTreeMode
{
    /// <summary>W and the space-time Lévy area H (the default; the path of <c>vbt_golden.json</c>).</summary>
    WH,

    /// <summary>
    /// W, H and the space-time-time Lévy area K (Jelinčič, Foster &amp; Kidger 2024): the W law is the same but the H
    /// path differs from <see cref="WH"/> for the same seed (the midpoint rule uses K).
    /// </summary>
    WHK,
}
