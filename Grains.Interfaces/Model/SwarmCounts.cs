using Orleans;

namespace OrleansTracker.Grains.Interfaces;

/// <summary>A torrent's scrape figures: live seeders and leechers, historic completed count.</summary>
[GenerateSerializer, Immutable]
public readonly record struct SwarmCounts(
    [property: Id(0)] int Seeders,
    [property: Id(1)] int Leechers,
    [property: Id(2)] long Completed)
{
    public static SwarmCounts Empty => default;
}
