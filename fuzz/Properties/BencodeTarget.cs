using System.Buffers.Binary;
using System.Net;
using System.Text;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Fuzz;

/// <summary>
/// The bencode answer writers, with every input (counts, peers, ids, hashes, reasons) read from
/// the fuzz bytes. Each answer must fit its Max…Length buffer, pass the strict decoder and say
/// exactly what it was given.
/// </summary>
internal static class BencodeTarget
{
    public static void Check(ReadOnlySpan<byte> input)
    {
        var r = new FuzzReader(input);
        switch (r.Byte() % 4)
        {
            case 0: Compact(ref r); break;
            case 1: NonCompact(ref r); break;
            case 2: Scrape(ref r); break;
            default: HttpTarget.CheckFailureResponse(r.RestAsUtf16()); break;
        }
    }

    private static void Compact(ref FuzzReader r)
    {
        var (interval, minInterval, complete, incomplete, downloaded) = (r.Int32(), r.Int32(), r.Int32(), r.Int32(), r.Int64());
        var peers4 = r.Bytes(r.Byte() * PeerEndpoint.CompactIPv4Length);
        var peers6 = r.Bytes(r.Byte() % 80 * PeerEndpoint.CompactIPv6Length);
        var buffer = new byte[HttpResponseWriter.MaxAnnounceCompactLength(peers4.Length / 6, peers6.Length / 18)];
        var length = HttpResponseWriter.WriteAnnounceCompact(buffer, interval, minInterval, complete, incomplete, downloaded, peers4, peers6);
        var d = BencodeDecoder.DecodeDict(buffer.AsSpan(0, length));
        CheckHead(d, interval, minInterval, complete, incomplete, downloaded);
        Require.That(((byte[])d["peers"]).AsSpan().SequenceEqual(peers4), "peers are the compact IPv4 bytes");
        var has6 = d.TryGetValue("peers6", out var p6);
        Require.That(peers6.Length == 0 ? !has6 : has6 && ((byte[])p6!).AsSpan().SequenceEqual(peers6), "peers6 only when there are IPv6 peers");
        Require.That(d.Count == (peers6.Length == 0 ? 6 : 7), "no other keys");
    }

    private static void NonCompact(ref FuzzReader r)
    {
        var (interval, minInterval, complete, incomplete, downloaded) = (r.Int32(), r.Int32(), r.Int32(), r.Int32(), r.Int64());
        var count4 = r.Byte() % 40;
        var count6 = r.Byte() % 40;
        var peers4 = r.Bytes(count4 * PeerEndpoint.CompactIPv4Length);
        var peers6 = r.Bytes(count6 * PeerEndpoint.CompactIPv6Length);
        var flags = r.Byte();
        var ids = (flags & 1) != 0 ? r.Bytes((count4 + count6) * PeerId.Length) : [];
        var noPeerId = (flags & 2) != 0;
        var buffer = new byte[HttpResponseWriter.MaxAnnounceNonCompactLength(count4, count6)];
        var length = HttpResponseWriter.WriteAnnounceNonCompact(buffer, interval, minInterval, complete, incomplete, downloaded, peers4, peers6, ids, noPeerId);
        var d = BencodeDecoder.DecodeDict(buffer.AsSpan(0, length));
        CheckHead(d, interval, minInterval, complete, incomplete, downloaded);
        var list = (List<object>)d["peers"];
        Require.That(list.Count == count4 + count6, "one dict per peer");
        var withIds = ids.Length > 0 && !noPeerId;
        for (var i = 0; i < list.Count; i++)
        {
            var compact = i < count4 ? peers4.AsSpan(i * 6, 6) : peers6.AsSpan((i - count4) * 18, 18);
            var peer = (Dictionary<string, object>)list[i];
            // System.Net's parser is the independent reader of the address text.
            var ip = IPAddress.Parse(Encoding.ASCII.GetString((byte[])peer["ip"]));
            Require.That(ip.GetAddressBytes().AsSpan().SequenceEqual(compact[..^2]), "ip text names the compact address");
            Require.That((long)peer["port"] == BinaryPrimitives.ReadUInt16BigEndian(compact[^2..]), "port is the compact port");
            Require.That(withIds ? ((byte[])peer["peer id"]).AsSpan().SequenceEqual(ids.AsSpan(i * 20, 20)) : !peer.ContainsKey("peer id"), "peer id exactly when sent and wanted");
            Require.That(peer.Count == (withIds ? 3 : 2), "no other peer keys");
        }
    }

    private static void Scrape(ref FuzzReader r)
    {
        // Up to 255 hashes: past 128 the writer sorts in a pooled array instead of on the stack.
        var count = r.Byte();
        var hashes = new InfoHash[count];
        for (var i = 0; i < count; i++)
        {
            // A low first byte repeats an earlier hash: duplicates must be written once.
            var repeat = r.Byte();
            hashes[i] = i > 0 && repeat < 64 ? hashes[repeat % i] : InfoHash.Read(r.Bytes(20));
        }
        HttpTarget.CheckScrapeResponse(hashes);
    }

    private static void CheckHead(Dictionary<string, object> d, int interval, int minInterval, int complete, int incomplete, long downloaded) =>
        Require.That((long)d["interval"] == interval && (long)d["min interval"] == minInterval && (long)d["complete"] == complete
            && (long)d["incomplete"] == incomplete && (long)d["downloaded"] == downloaded, "announce head says what it was given");
}

/// <summary>Reads writer inputs from fuzz bytes; past the end it yields zeros, so every input is usable.</summary>
internal ref struct FuzzReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public byte Byte() => Bytes(1)[0];
    public int Int32() => BinaryPrimitives.ReadInt32BigEndian(Bytes(4));
    public long Int64() => BinaryPrimitives.ReadInt64BigEndian(Bytes(8));

    public byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        var take = Math.Min(count, _rest.Length);
        _rest[..take].CopyTo(bytes);
        _rest = _rest[take..];
        return bytes;
    }

    /// <summary>The rest as UTF-16 code units, lone surrogates included (a reason string may hold anything).</summary>
    public string RestAsUtf16()
    {
        var chars = new char[_rest.Length / 2];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = (char)BinaryPrimitives.ReadUInt16LittleEndian(_rest[(2 * i)..]);
        _rest = default;
        return new string(chars);
    }
}
