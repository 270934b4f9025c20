using System.Net;
using System.Text;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Client;

/// <summary>Reads a BEP 3 tracker's bencoded answers: compact (BEP 23, BEP 7 <c>peers6</c>) or dictionary peer lists.</summary>
public static class HttpTrackerAnswers
{
    public static AnnounceAnswer Announce(ReadOnlySpan<byte> body)
    {
        var answer = Decode(body);
        var interval = Number(answer, "interval") ?? throw new TrackerProtocolException("the announce answer has no interval");
        var peers = new List<IPEndPoint>();
        switch (answer.GetValueOrDefault("peers"))
        {
            case byte[] compact:
                peers.AddRange(CompactPeers.Read(compact, PeerEndpoint.CompactIPv4Length));
                break;
            case List<object> list:
                peers.AddRange(list.OfType<Dictionary<string, object>>().Select(DictionaryPeer).OfType<IPEndPoint>());
                break;
        }
        if (answer.GetValueOrDefault("peers6") is byte[] compact6)
            peers.AddRange(CompactPeers.Read(compact6, PeerEndpoint.CompactIPv6Length));
        return new AnnounceAnswer(interval, Number(answer, "min interval"), Number(answer, "complete"), Number(answer, "incomplete"), peers, Text(answer, "warning message"));
    }

    public static ScrapeAnswer Scrape(ReadOnlySpan<byte> body)
    {
        var answer = Decode(body);
        if (answer.GetValueOrDefault("files") is not Dictionary<string, object> files)
            throw new TrackerProtocolException("the scrape answer has no files dictionary");
        var entries = new List<ScrapeEntry>(files.Count);
        foreach (var (key, value) in files)
        {
            var hash = Encoding.Latin1.GetBytes(key);
            if (hash.Length != InfoHash.Length || value is not Dictionary<string, object> counts)
                throw new TrackerProtocolException("a scrape answer's files entry is not a 20-byte hash with a dictionary");
            entries.Add(new ScrapeEntry(InfoHash.Read(hash),
                new SwarmCounts(Number(counts, "complete") ?? 0, Number(counts, "incomplete") ?? 0, Number(counts, "downloaded") ?? 0)));
        }
        return new ScrapeAnswer(entries);
    }

    /// <summary>The failure reason of a bencoded answer; null when there is none or the body is not bencode.</summary>
    public static string? FailureReason(ReadOnlySpan<byte> body)
    {
        try
        {
            return Text(BencodeDecoder.DecodeDict(body, strict: false), "failure reason");
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The answer's dictionary; a <c>failure reason</c> in it is thrown as <see cref="TrackerFailureException"/>.</summary>
    private static Dictionary<string, object> Decode(ReadOnlySpan<byte> body)
    {
        Dictionary<string, object> answer;
        try
        {
            answer = BencodeDecoder.DecodeDict(body, strict: false);
        }
        catch (FormatException e)
        {
            throw new TrackerProtocolException($"the answer is not bencoded ({e.Message}): {Preview(body)}", e);
        }
        if (Text(answer, "failure reason") is { } reason)
            throw new TrackerFailureException(reason);
        return answer;
    }

    private static IPEndPoint? DictionaryPeer(Dictionary<string, object> peer) =>
        Text(peer, "ip") is { } ip && IPAddress.TryParse(ip, out var address) && Number(peer, "port") is { } port and >= 0 and <= ushort.MaxValue
            ? new IPEndPoint(address, port)
            : null;

    private static int? Number(Dictionary<string, object> dict, string key) =>
        dict.GetValueOrDefault(key) is long value ? (int)Math.Clamp(value, int.MinValue, int.MaxValue) : null;

    private static string? Text(Dictionary<string, object> dict, string key) =>
        dict.GetValueOrDefault(key) is byte[] bytes ? Encoding.UTF8.GetString(bytes) : null;

    private static string Preview(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 80)]);
        return new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }
}
