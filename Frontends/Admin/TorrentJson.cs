using System.Net;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Admin;

/// <summary>One row of GET /api/v1/torrents.</summary>
public sealed record TorrentListItemJson(string InfoHash, long Seeders, long Completed, long Leechers)
{
    public static TorrentListItemJson From(InfoHash hash, SwarmCounts counts) =>
        new(hash.ToHex(), counts.Seeders, counts.Completed, counts.Leechers);
}

/// <summary>GET /api/v1/torrent/{info_hash}.</summary>
public sealed record TorrentJson(string InfoHash, long Seeders, long Completed, long Leechers, IReadOnlyList<PeerJson> Peers)
{
    public static TorrentJson From(InfoHash hash, TorrentDetails details)
    {
        ArgumentNullException.ThrowIfNull(details);
        var counts = details.Counts;
        return new(hash.ToHex(), counts.Seeders, counts.Completed, counts.Leechers, details.Peers.Select(PeerJson.From).ToArray());
    }
}

/// <summary>A peer in Torrust's shape: id as 0x-hex with the client's name, address, last announce (Unix ms), event.</summary>
public sealed record PeerJson(PeerIdJson PeerId, string PeerAddr, long Updated, long Uploaded, long Downloaded, long Left, string Event)
{
    public static PeerJson From(PeerInfo peer)
    {
        var id = peer.PeerId.ToArray();
        Span<byte> address = stackalloc byte[16];
        var length = peer.Endpoint.WriteAddress(address);
        var endpoint = new IPEndPoint(new IPAddress(address[..length]), peer.Endpoint.Port);
        return new(
            new PeerIdJson("0x" + Convert.ToHexStringLower(id), PeerClientName.Of(id)),
            endpoint.ToString(),
            peer.UpdatedUnixMs, peer.Uploaded, peer.Downloaded, peer.Left,
            peer.LastEvent.ToString());
    }
}

public sealed record PeerIdJson(string Id, string? Client);
