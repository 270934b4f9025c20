using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using OrleansTracker.Frontends;
using OrleansTracker.Frontends.Access;
using OrleansTracker.Frontends.Logic;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Frontends.Statistics;
using OrleansTracker.Frontends.Udp;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Tests.Cluster;
using OrleansTracker.Tests.Protocol;
using OrleansTracker.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace OrleansTracker.Tests.Routing;

/// <summary>
/// The property batching must keep: over random rounds of BEP 15 packets (announces of torrents
/// owned by every silo, scrapes, malformed packets, packets with a bad connection id, torrents
/// not on the whitelist), the batched path answers byte for byte what one grain call per announce
/// answers. Two UDP handlers on the same silo of a three-silo cluster get mirrored packets: the
/// same requests, for two disjoint sets of torrents, so neither sees the other's swarms.
/// </summary>
public sealed class BatchedEqualsDirectTests(ITestOutputHelper output)
{
    private const int TorrentsPerSide = 24;
    private const int PeersPerTorrent = 5;
    private const int Rounds = 40;

    private static readonly FrontendOptions Options = new() { AnnounceIntervalSeconds = 1800, MaxNumWant = 50, RequireWhitelist = true };

    [Fact]
    public async Task batched_and_direct_paths_answer_mirrored_random_rounds_identically()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        await using var cluster = await ThreeSiloCluster.StartAsync();
        var endpoints = cluster.Silos.Select(RoutedFrontend.EndpointOf).ToArray();
        var batched = new RoutedFrontend(cluster.Silos[0], endpoints, batch: true);
        var direct = new RoutedFrontend(cluster.Silos[0], endpoints, batch: false);

        var a = Enumerable.Range(0, TorrentsPerSide).Select(_ => UdpRequestEncoder.RandomHash(random)).ToArray();
        var b = Enumerable.Range(0, TorrentsPerSide).Select(_ => UdpRequestEncoder.RandomHash(random)).ToArray();
        // The last four of each side are not on the whitelist: refused the same way on both paths.
        var whitelist = new WhitelistSnapshot(1, [.. a[..^4], .. b[..^4]]);
        var clock = new ManualClock();
        var ids = new ConnectionIdIssuer(new byte[16], clock);
        var batchedSide = Handler(batched, whitelist, ids, clock);
        var directSide = Handler(direct, whitelist, ids, clock);
        var peers = Enumerable.Range(0, TorrentsPerSide * PeersPerTorrent)
            .Select(i => (Id: UdpRequestEncoder.RandomPeerId(random), Source: PeerEndpoint.FromIPAddress(IPAddress.Parse($"10.{i / 250}.{i % 250}.1"), (ushort)(20000 + i))))
            .ToArray();

        var compared = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var packets = RoundOf(random, peers, ids);
            var answersA = Run(batchedSide, packets.Select(p => p(a)).ToArray());
            var answersB = Run(directSide, packets.Select(p => p(b)).ToArray());
            var (left, right) = (await Task.WhenAll(answersA), await Task.WhenAll(answersB));
            for (var i = 0; i < left.Length; i++)
                Assert.Equal(Normalised(right[i]), Normalised(left[i]));
            compared += left.Length;
        }

        var counts = batched.Counters.Snapshot();
        output.WriteLine($"{compared} answers compared; batched side: {counts}");
        Assert.True(counts.AnnouncesBatched > counts.RemoteBatches, "some batches carried several announces");
        Assert.True(counts.AnnouncesLocal > 0 && counts.AnnouncesRemote > 0, "owners were mixed");
    }

    private sealed record Side(UdpRequestHandler Handler);

    /// <summary>One round: each torrent at most once (so the order within a round cannot matter), plus junk.</summary>
    private static List<Func<InfoHash[], (byte[] Packet, PeerEndpoint Source)>> RoundOf(Random random, (PeerId Id, PeerEndpoint Source)[] peers, ConnectionIdIssuer ids)
    {
        var round = new List<Func<InfoHash[], (byte[], PeerEndpoint)>>();
        var torrents = Enumerable.Range(0, TorrentsPerSide).Where(_ => random.Next(3) > 0).ToArray();
        foreach (var t in torrents)
        {
            var (id, source) = peers[t * PeersPerTorrent + random.Next(PeersPerTorrent)];
            var request = new UdpRequest
            {
                ConnectionId = random.Next(12) == 0 ? random.NextInt64() : ids.Issue(source),
                TransactionId = random.Next(),
                PeerId = id,
                Left = random.Next(3) == 0 ? 0 : random.Next(1, 1000),
                Event = (AnnounceEvent)random.Next(4),
                NumWant = random.Next(2) == 0 ? -1 : 50,
                Port = source.Port,
            };
            var truncate = random.Next(15) == 0 ? random.Next(16, 98) : 98;
            round.Add(hashes => (UdpRequestEncoder.Announce(request with { InfoHash = hashes[t] })[..truncate], source));
        }
        for (var i = random.Next(3); i > 0; i--)
        {
            var (_, source) = peers[random.Next(peers.Length)];
            // Only torrents this round does not announce: a scrape racing an announce may see either state.
            var quiet = Enumerable.Range(0, TorrentsPerSide).Except(torrents).ToArray();
            if (quiet.Length == 0)
                break;
            var chosen = Enumerable.Range(0, random.Next(1, 6)).Select(_ => quiet[random.Next(quiet.Length)]).ToArray();
            var connectionId = ids.Issue(source);
            var transaction = random.Next();
            round.Add(hashes => (UdpRequestEncoder.Scrape(connectionId, transaction, chosen.Select(c => hashes[c]).ToArray()), source));
        }
        if (random.Next(4) == 0)
        {
            var junk = new byte[random.Next(1, 120)];
            random.NextBytes(junk);
            var (_, source) = peers[random.Next(peers.Length)];
            round.Add(_ => (junk, source));
        }
        return round;
    }

    private static Side Handler(RoutedFrontend frontend, WhitelistSnapshot whitelist, ConnectionIdIssuer ids, ManualClock clock)
    {
        var access = new AccessPolicy(Microsoft.Extensions.Options.Options.Create(Options), clock);
        access.Update(whitelist);
        var logic = new TrackerLogic(frontend.Calls, Microsoft.Extensions.Options.Options.Create(Options), access);
        return new Side(new UdpRequestHandler(logic, Options, new TrackerStatistics(), ids, new AbuseThrottle(1000, TimeSpan.FromMinutes(1), clock)));
    }

    /// <summary>Handles a round as one recvmmsg batch does; each answer is the bytes the handler would send (empty: dropped).</summary>
    private static Task<byte[]>[] Run(Side side, (byte[] Packet, PeerEndpoint Source)[] packets) =>
        RoutedFrontend.InOneReceiveBatch(packets.Length, i => Answer(side.Handler, packets[i].Packet, packets[i].Source));

    private static async ValueTask<byte[]> Answer(UdpRequestHandler handler, byte[] packet, PeerEndpoint source)
    {
        var scratch = new UdpScratch(AddressFamily.InterNetworkV6, handler.MaxResponseLength);
        packet.CopyTo(scratch.Receive, 0);
        var length = await handler.Handle(packet.Length, source, scratch);
        return scratch.Response[..length];
    }

    /// <summary>An announce answer's peers sorted (a swarm lists them in no fixed order); other answers as they are.</summary>
    private static string Normalised(byte[] answer)
    {
        if (answer.Length < 20 || answer[3] != 1)
            return Convert.ToHexString(answer);
        var peers = answer[20..].Chunk(PeerEndpoint.CompactIPv4Length).Select(Convert.ToHexString).Order(StringComparer.Ordinal);
        return Convert.ToHexString(answer[..20]) + "|" + string.Join(",", peers);
    }
}
