using System.Buffers.Binary;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

/// <summary>Parse(Write(x)) == x over seeded random inputs, requests and responses alike.</summary>
public sealed class UdpRoundTripTests
{
    private const int Cases = 3000;

    [Fact]
    public void announce_requests_round_trip()
    {
        var random = new Random(15);
        for (var i = 0; i < Cases; i++)
        {
            var expected = new UdpRequest
            {
                Action = UdpAction.Announce,
                ConnectionId = random.NextInt64(long.MinValue, long.MaxValue),
                TransactionId = random.Next(int.MinValue, int.MaxValue),
                InfoHash = UdpRequestEncoder.RandomHash(random),
                PeerId = UdpRequestEncoder.RandomPeerId(random),
                Downloaded = random.NextInt64(long.MinValue, long.MaxValue),
                Left = random.NextInt64(long.MinValue, long.MaxValue),
                Uploaded = random.NextInt64(long.MinValue, long.MaxValue),
                Event = (AnnounceEvent)random.Next(4),
                IPv4Address = (uint)random.NextInt64(0, 1L << 32),
                Key = (uint)random.NextInt64(0, 1L << 32),
                NumWant = random.Next(int.MinValue, int.MaxValue),
                Port = (ushort)random.Next(65536),
            };
            Assert.True(UdpRequestParser.TryParse(UdpRequestEncoder.Announce(expected), out var actual, out _));
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void connect_and_scrape_requests_round_trip()
    {
        var random = new Random(2);
        for (var i = 0; i < Cases; i++)
        {
            var tid = random.Next(int.MinValue, int.MaxValue);
            Assert.True(UdpRequestParser.TryParse(UdpRequestEncoder.Connect(tid), out var connect, out _));
            Assert.Equal(new UdpRequest { Action = UdpAction.Connect, ConnectionId = UdpLayout.ProtocolId, TransactionId = tid }, connect);

            var hashes = Enumerable.Range(0, random.Next(1, UdpLayout.MaxScrapeHashes + 1)).Select(_ => UdpRequestEncoder.RandomHash(random)).ToArray();
            var cid = random.NextInt64(long.MinValue, long.MaxValue);
            var packet = UdpRequestEncoder.Scrape(cid, tid, hashes);
            Assert.True(UdpRequestParser.TryParse(packet, out var scrape, out _));
            Assert.Equal((UdpAction.Scrape, cid, tid, hashes.Length), (scrape.Action, scrape.ConnectionId, scrape.TransactionId, scrape.HashCount));
            for (var h = 0; h < hashes.Length; h++)
                Assert.Equal(hashes[h], scrape.ScrapeHash(packet, h));
        }
    }

    [Fact]
    public void responses_round_trip()
    {
        var random = new Random(3);
        var buffer = new byte[UdpResponseWriter.MaxAnnounceLength(74 * 18)];
        for (var i = 0; i < Cases; i++)
        {
            var tid = random.Next(int.MinValue, int.MaxValue);
            var cid = random.NextInt64(long.MinValue, long.MaxValue);
            var n = UdpResponseWriter.WriteConnect(buffer, tid, cid);
            Assert.Equal((0, tid, cid), (I32(buffer, 0), I32(buffer, 4), BinaryPrimitives.ReadInt64BigEndian(buffer.AsSpan(8))));
            Assert.Equal(16, n);

            var peers = new byte[random.Next(75) * (random.Next(2) == 0 ? 6 : 18)];
            random.NextBytes(peers);
            var (interval, leechers, seeders) = (random.Next(), random.Next(), random.Next());
            n = UdpResponseWriter.WriteAnnounce(buffer, tid, interval, leechers, seeders, peers);
            Assert.Equal((1, tid, interval, leechers, seeders), (I32(buffer, 0), I32(buffer, 4), I32(buffer, 8), I32(buffer, 12), I32(buffer, 16)));
            Assert.Equal(peers, buffer[20..n]);

            var counts = Enumerable.Range(0, random.Next(1, 75)).Select(_ => new SwarmCounts(random.Next(), random.Next(), random.NextInt64(0, int.MaxValue))).ToArray();
            n = UdpResponseWriter.WriteScrape(buffer, tid, counts);
            Assert.Equal(UdpResponseWriter.MaxScrapeLength(counts.Length), n);
            for (var c = 0; c < counts.Length; c++)
            {
                var at = 8 + (12 * c);
                Assert.Equal(counts[c], new SwarmCounts(I32(buffer, at), I32(buffer, at + 8), I32(buffer, at + 4)));
            }
        }
    }

    private static int I32(byte[] buffer, int offset) => BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(offset));
}
