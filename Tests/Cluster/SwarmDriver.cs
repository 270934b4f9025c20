using OrleansTracker.Frontends.Protocol;
using System.Net;
using System.Text;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Cluster;

/// <summary>One test peer of one torrent; <see cref="Left"/> 0 makes it a seeder.</summary>
internal sealed record ClusterPeer(byte[] Hash, byte[] PeerId, ushort Port, long Left);

/// <summary>What a node answered to an announce: live counts of the swarm.</summary>
internal readonly record struct SwarmAnswer(int Seeders, int Leechers);

/// <summary>
/// Announces to cluster nodes over UDP or HTTP. UDP uses one connection id for every node, issued
/// by whichever node connected last: that only works because the cluster shares the key.
/// </summary>
internal sealed class SwarmDriver : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Dictionary<int, UdpTrackerClient> _udp = [];

    /// <summary>Connects on <paramref name="issuer"/> and uses that id on every node from now on.</summary>
    public async Task ShareConnectionIdFromAsync(TrackerProcess issuer)
    {
        var id = await Udp(issuer).ConnectAsync();
        foreach (var client in _udp.Values)
            client.UseConnectionId(id);
        SharedId = id;
    }

    public long SharedId { get; private set; }

    public async Task<SwarmAnswer> AnnounceAsync(TrackerProcess node, bool overUdp, ClusterPeer peer, int udpEvent = 0)
    {
        if (overUdp)
        {
            try
            {
                var answer = await Udp(node).AnnounceAsync(peer.Hash, peer.PeerId, peer.Port, peer.Left, udpEvent);
                return new SwarmAnswer(answer.Seeders, answer.Leechers);
            }
            catch
            {
                // A late answer would be read as the next request's: continue on a fresh socket.
                _udp.Remove(node.Ports.Udp, out var stale);
                stale?.Dispose();
                throw;
            }
        }
        var eventText = udpEvent switch { 1 => "&event=completed", 2 => "&event=started", 3 => "&event=stopped", _ => "" };
        var url = $"http://127.0.0.1:{node.Ports.Http}/announce?info_hash={TestPeers.PercentEncode(peer.Hash)}"
            + $"&peer_id={TestPeers.PercentEncode(peer.PeerId)}&port={peer.Port}&uploaded=0&downloaded=0&left={peer.Left}{eventText}";
        var body = BencodeDecoder.DecodeDict(await _http.GetByteArrayAsync(url));
        if (body.TryGetValue("failure reason", out var reason))
            throw new InvalidOperationException("HTTP failure reason: " + Encoding.UTF8.GetString((byte[])reason));
        return new SwarmAnswer((int)(long)body["complete"], (int)(long)body["incomplete"]);
    }

    /// <summary>
    /// <see cref="AnnounceAsync"/>, retried up to twice when no answer comes (a first call on a
    /// loaded 2-core machine can exceed the 2 s UDP wait). Safe for exact counts: a repeated
    /// started/completed announce of the same peer changes nothing.
    /// </summary>
    public async Task<SwarmAnswer> AnnounceSurelyAsync(TrackerProcess node, bool overUdp, ClusterPeer peer, int udpEvent = 0)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await AnnounceAsync(node, overUdp, peer, udpEvent);
            }
            catch (Exception e) when (attempt < 3 && e is TimeoutException or TaskCanceledException)
            {
                LostAnswers++;
            }
        }
    }

    /// <summary>Answers <see cref="AnnounceSurelyAsync"/> had to ask for again.</summary>
    public int LostAnswers { get; private set; }

    public Task<(int Seeders, int Completed, int Leechers)[]> ScrapeAsync(TrackerProcess node, byte[][] hashes) =>
        Udp(node).ScrapeAsync(hashes);

    /// <summary>
    /// <see cref="ScrapeAsync"/>, asked again (up to three times) when no answer comes within the
    /// 2 s wait, as a BEP 15 client retransmits: the first scrape after a silo stopped can wait for
    /// torrents that deactivate and reactivate elsewhere. A scrape changes nothing, so asking again is safe.
    /// </summary>
    public async Task<(int Seeders, int Completed, int Leechers)[]> ScrapeSurelyAsync(TrackerProcess node, byte[][] hashes)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ScrapeAsync(node, hashes);
            }
            catch (TimeoutException) when (attempt < 3)
            {
                // A late answer would be read as the next request's: continue on a fresh socket.
                _udp.Remove(node.Ports.Udp, out var stale);
                stale?.Dispose();
                LostAnswers++;
            }
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var client in _udp.Values)
            client.Dispose();
    }

    private UdpTrackerClient Udp(TrackerProcess node)
    {
        if (!_udp.TryGetValue(node.Ports.Udp, out var client))
        {
            client = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, node.Ports.Udp), TimeSpan.FromSeconds(2));
            client.UseConnectionId(SharedId);
            _udp.Add(node.Ports.Udp, client);
        }
        return client;
    }
}
