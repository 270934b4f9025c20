namespace OrleansTracker.Grains.Torrents;

/// <summary>What survives a restart of a torrent: its historic completed count (BEP 48 "downloaded").</summary>
[GenerateSerializer]
public sealed class TorrentState
{
    [Id(0)] public long Completed { get; set; }
}
