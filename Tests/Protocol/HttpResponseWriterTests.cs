using OrleansTracker.Tests.Support;
using System.Net;
using System.Text;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;
using Xunit;

namespace OrleansTracker.Tests.Protocol;

public sealed class HttpResponseWriterTests
{
    private static readonly InfoHash HashH = InfoHash.Read("hhhhhhhhhhhhhhhhhhhh"u8);
    private static readonly InfoHash HashS = InfoHash.Read("ssssssssssssssssssss"u8);

    private static string Latin1(ReadOnlySpan<byte> bytes) => Encoding.Latin1.GetString(bytes);

    [Fact]
    public void compact_announce_with_one_ipv4_and_one_ipv6_peer_is_exact()
    {
        var buffer = new byte[HttpResponseWriter.MaxAnnounceCompactLength(1, 1)];
        var n = HttpResponseWriter.WriteAnnounceCompact(buffer, 1800, 900, 3, 5, 10, "iiiipp"u8, "iiiiiiiiiiiiiiiipp"u8);
        Assert.Equal(
            "d8:completei3e10:downloadedi10e10:incompletei5e8:intervali1800e12:min intervali900e"
            + "5:peers6:iiiipp6:peers618:iiiiiiiiiiiiiiiippe",
            Latin1(buffer.AsSpan(0, n)));
    }

    [Fact]
    public void compact_announce_without_peers_keeps_an_empty_peers_string_and_no_peers6()
    {
        var buffer = new byte[HttpResponseWriter.MaxAnnounceCompactLength(0, 0)];
        var n = HttpResponseWriter.WriteAnnounceCompact(buffer, 1800, 900, 0, 1, 0, default, default);
        Assert.Equal("d8:completei0e10:downloadedi0e10:incompletei1e8:intervali1800e12:min intervali900e5:peers0:e", Latin1(buffer.AsSpan(0, n)));
    }

    [Fact]
    public void non_compact_announce_lists_peer_dicts_with_ids()
    {
        var buffer = new byte[HttpResponseWriter.MaxAnnounceNonCompactLength(1, 1)];
        var n = HttpResponseWriter.WriteAnnounceNonCompact(buffer, 1800, 900, 1, 1, 0, "iiiipp"u8, "iiiiiiiiiiiiiiiipp"u8,
            "-qB4650-pppppppppppp-TR3000-pppppppppppp"u8, noPeerId: false);
        Assert.Equal(
            "d8:completei1e10:downloadedi0e10:incompletei1e8:intervali1800e12:min intervali900e5:peersl"
            + "d2:ip15:105.105.105.1057:peer id20:-qB4650-pppppppppppp4:porti28784ee"
            + "d2:ip39:6969:6969:6969:6969:6969:6969:6969:69697:peer id20:-TR3000-pppppppppppp4:porti28784ee"
            + "ee",
            Latin1(buffer.AsSpan(0, n)));
    }

    [Fact]
    public void non_compact_announce_omits_ids_when_no_peer_id_is_asked()
    {
        var buffer = new byte[HttpResponseWriter.MaxAnnounceNonCompactLength(1, 0)];
        var n = HttpResponseWriter.WriteAnnounceNonCompact(buffer, 1, 1, 1, 0, 0, "iiiipp"u8, default, "-qB4650-pppppppppppp"u8, noPeerId: true);
        Assert.Equal("d8:completei1e10:downloadedi0e10:incompletei0e8:intervali1e12:min intervali1e5:peersld2:ip15:105.105.105.1054:porti28784eeee",
            Latin1(buffer.AsSpan(0, n)));
    }

    [Fact]
    public void scrape_of_two_hashes_given_unsorted_is_written_sorted()
    {
        var buffer = new byte[HttpResponseWriter.MaxScrapeLength(2)];
        var n = HttpResponseWriter.WriteScrape(buffer, [HashS, HashH], [new SwarmCounts(1, 2, 3), new SwarmCounts(4, 5, 6)]);
        Assert.Equal(
            "d5:filesd"
            + "20:hhhhhhhhhhhhhhhhhhhhd8:completei4e10:downloadedi6e10:incompletei5ee"
            + "20:ssssssssssssssssssssd8:completei1e10:downloadedi3e10:incompletei2ee"
            + "ee",
            Latin1(buffer.AsSpan(0, n)));
    }

    [Fact]
    public void scrape_writes_a_repeated_hash_once()
    {
        var buffer = new byte[HttpResponseWriter.MaxScrapeLength(3)];
        var n = HttpResponseWriter.WriteScrape(buffer, [HashS, HashH, HashS], [new(1, 0, 0), new(2, 0, 0), new(9, 0, 0)]);
        var files = (Dictionary<string, object>)BencodeDecoder.DecodeDict(buffer.AsSpan(0, n))["files"];
        Assert.Equal(2, files.Count);
        Assert.Equal(1L, ((Dictionary<string, object>)files[Latin1("ssssssssssssssssssss"u8)])["complete"]);
    }

    [Fact]
    public void failure_is_exact()
    {
        var buffer = new byte[HttpResponseWriter.MaxFailureLength("invalid info_hash")];
        var n = HttpResponseWriter.WriteFailure(buffer, "invalid info_hash");
        Assert.Equal("d14:failure reason17:invalid info_hashe", Latin1(buffer.AsSpan(0, n)));
    }

    [Fact]
    public void failure_text_is_utf8()
    {
        var buffer = new byte[HttpResponseWriter.MaxFailureLength("clé")];
        var n = HttpResponseWriter.WriteFailure(buffer, "clé");
        Assert.Equal("clé", Encoding.UTF8.GetString((byte[])BencodeDecoder.DecodeDict(buffer.AsSpan(0, n))["failure reason"]));
    }

    [Fact]
    public void random_announces_decode_to_their_inputs_and_fit_the_max_length()
    {
        var random = new Random(23);
        for (var i = 0; i < 2000; i++)
        {
            var (p4, p6) = (random.Next(0, 60), random.Next(0, 60));
            var peers4 = new byte[p4 * 6];
            var peers6 = new byte[p6 * 18];
            var ids = new byte[(p4 + p6) * 20];
            random.NextBytes(peers4);
            random.NextBytes(peers6);
            random.NextBytes(ids);
            int[] ints = [Extreme(random), Extreme(random), Extreme(random), Extreme(random)];
            var downloaded = random.Next(3) == 0 ? long.MinValue : random.NextInt64(long.MinValue, long.MaxValue);

            var compact = new byte[HttpResponseWriter.MaxAnnounceCompactLength(p4, p6)];
            var n = HttpResponseWriter.WriteAnnounceCompact(compact, ints[0], ints[1], ints[2], ints[3], downloaded, peers4, peers6);
            var d = BencodeDecoder.DecodeDict(compact.AsSpan(0, n));
            AssertHead(d, ints, downloaded);
            Assert.Equal(peers4, d["peers"]);
            Assert.Equal(p6 > 0, d.ContainsKey("peers6"));
            if (p6 > 0)
                Assert.Equal(peers6, d["peers6"]);

            var noPeerId = random.Next(2) == 0;
            var full = new byte[HttpResponseWriter.MaxAnnounceNonCompactLength(p4, p6)];
            n = HttpResponseWriter.WriteAnnounceNonCompact(full, ints[0], ints[1], ints[2], ints[3], downloaded, peers4, peers6, ids, noPeerId);
            d = BencodeDecoder.DecodeDict(full.AsSpan(0, n));
            AssertHead(d, ints, downloaded);
            var list = (List<object>)d["peers"];
            Assert.Equal(p4 + p6, list.Count);
            for (var k = 0; k < list.Count; k++)
            {
                var peer = (Dictionary<string, object>)list[k];
                var compactPeer = k < p4 ? peers4.AsSpan(k * 6, 6) : peers6.AsSpan((k - p4) * 18, 18);
                var expected = PeerEndpoint.ReadCompact(compactPeer);
                var ip = IPAddress.Parse(Encoding.ASCII.GetString((byte[])peer["ip"]));
                // IPv4-mapped addresses in peers6 are folded to IPv4 by PeerEndpoint: compare raw bytes.
                Assert.Equal(compactPeer[..^2].ToArray(), ip.GetAddressBytes());
                Assert.Equal((long)expected.Port, peer["port"]);
                Assert.Equal(!noPeerId, peer.ContainsKey("peer id"));
                if (!noPeerId)
                    Assert.Equal(ids.AsSpan(k * 20, 20).ToArray(), peer["peer id"]);
            }
        }
    }

    [Fact]
    public void random_scrapes_decode_to_their_inputs_and_fit_the_max_length()
    {
        var random = new Random(48);
        for (var i = 0; i < 500; i++)
        {
            // Up to 300 hashes, past the stack-sorted size, with repeats from a small alphabet.
            var count = random.Next(1, 300);
            var pool = Enumerable.Range(0, random.Next(1, 400)).Select(_ => UdpRequestEncoder.RandomHash(random)).ToArray();
            var hashes = Enumerable.Range(0, count).Select(_ => pool[random.Next(pool.Length)]).ToArray();
            var counts = hashes.Select(_ => new SwarmCounts(Extreme(random), Extreme(random), random.NextInt64(long.MinValue, long.MaxValue))).ToArray();
            var buffer = new byte[HttpResponseWriter.MaxScrapeLength(count)];
            var n = HttpResponseWriter.WriteScrape(buffer, hashes, counts);
            var files = (Dictionary<string, object>)BencodeDecoder.DecodeDict(buffer.AsSpan(0, n))["files"];
            Assert.Equal(hashes.Distinct().Count(), files.Count);
            for (var h = 0; h < hashes.Length; h++)
            {
                if (Array.IndexOf(hashes, hashes[h]) != h)
                    continue; // the first occurrence is the one written
                var entry = (Dictionary<string, object>)files[Latin1(hashes[h].ToArray())];
                Assert.Equal((long)counts[h].Seeders, entry["complete"]);
                Assert.Equal(counts[h].Completed, entry["downloaded"]);
                Assert.Equal((long)counts[h].Leechers, entry["incomplete"]);
            }
        }
    }

    [Fact]
    public void writers_do_not_allocate()
    {
        var buffer = new byte[HttpResponseWriter.MaxAnnounceNonCompactLength(2, 2)];
        var peers4 = new byte[12];
        var peers6 = new byte[36];
        var ids = new byte[80];
        InfoHash[] hashes = [HashS, HashH, HashS];
        SwarmCounts[] counts = [new(1, 2, 3), new(4, 5, 6), new(7, 8, 9)];
        void Run()
        {
            HttpResponseWriter.WriteAnnounceCompact(buffer, 1, 2, 3, 4, 5, peers4, peers6);
            HttpResponseWriter.WriteAnnounceNonCompact(buffer, 1, 2, 3, 4, 5, peers4, peers6, ids, false);
            HttpResponseWriter.WriteScrape(buffer, hashes, counts);
            HttpResponseWriter.WriteFailure(buffer, "invalid port");
        }
        Run();
        ThreadAllocations.AssertNothingPerCall(100, Run);
    }

    private static int Extreme(Random random) => random.Next(4) switch
    {
        0 => int.MinValue,
        1 => int.MaxValue,
        2 => 0,
        _ => random.Next(int.MinValue, int.MaxValue),
    };

    private static void AssertHead(Dictionary<string, object> d, int[] ints, long downloaded)
    {
        Assert.Equal((long)ints[0], d["interval"]);
        Assert.Equal((long)ints[1], d["min interval"]);
        Assert.Equal((long)ints[2], d["complete"]);
        Assert.Equal((long)ints[3], d["incomplete"]);
        Assert.Equal(downloaded, d["downloaded"]);
    }
}
