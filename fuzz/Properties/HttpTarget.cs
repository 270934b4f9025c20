using System.Globalization;
using System.Text;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Fuzz;

/// <summary>
/// One raw query string through the HTTP announce and scrape parsers and the responses the handler
/// would write: a failure response for a refusal, a scrape response for a scrape.
/// </summary>
internal static class HttpTarget
{
    /// <summary>Bytes as Latin-1 (every byte one char, as Kestrel keeps the raw query), and once as UTF-8 so chars above U+00FF arrive too.</summary>
    public static void Check(ReadOnlySpan<byte> input)
    {
        CheckQuery(Encoding.Latin1.GetString(input));
        CheckQuery(Encoding.UTF8.GetString(input));
    }

    public static void CheckQuery(string query)
    {
        CheckAnnounce(query);
        CheckScrape(query, capacity: 74);
        // A capacity of 1..4 from the query itself exercises the truncation path.
        CheckScrape(query, capacity: 1 + (query.Length % 4));
    }

    private static void CheckAnnounce(string query)
    {
        var ok = HttpRequestParser.TryParseAnnounce(query, out var parsed, out var reason);
        if (!ok)
        {
            Require.That(reason.Length > 0, "a refusal has a reason");
            CheckFailureResponse(reason);
            return;
        }
        Require.That(reason.Length == 0, "success has no reason");
        var pairs = Reference.Pairs(query);
        var infoHash = Reference.PercentDecode(First(pairs, "info_hash"));
        var peerId = Reference.PercentDecode(First(pairs, "peer_id"));
        Require.That(infoHash is { Length: 20 } && InfoHash.Read(infoHash) == parsed.InfoHash, "info_hash is the first value, decoded");
        Require.That(peerId is { Length: 20 } && PeerId.Read(peerId) == parsed.PeerId, "peer_id is the first value, decoded");
        var port = Reference.PercentDecode(First(pairs, "port"));
        Require.That(port is not null && long.Parse(Encoding.Latin1.GetString(port), NumberStyles.None, CultureInfo.InvariantCulture) == parsed.Port, "port is the first value");
        // Only started, stopped and completed are events; anything else (BEP 21's paused, junk) is none.
        var wireEvent = pairs.Any(p => p.Name == "event") ? Reference.PercentDecode(First(pairs, "event")) : null;
        var expectedEvent = wireEvent is null ? "" : Encoding.Latin1.GetString(wireEvent);
        Require.That(parsed.Event == expectedEvent switch
        {
            "started" => AnnounceEvent.Started,
            "stopped" => AnnounceEvent.Stopped,
            "completed" => AnnounceEvent.Completed,
            _ => AnnounceEvent.None,
        }, "event is the first value's word, or none");
        Require.That(parsed.NumWant >= -1 && parsed.Uploaded >= 0 && parsed.Downloaded >= 0 && parsed.Left >= 0, "counters are never negative");

        // Round trip: the parsed query written as a careful client would must parse to the same value.
        var again = Canonical(parsed);
        Require.That(HttpRequestParser.TryParseAnnounce(again, out var reparsed, out _) && reparsed == parsed, "announce round-trips: " + again);
    }

    private static string First(List<(string Name, string? Value)> pairs, string name) =>
        pairs.First(p => p.Name == name).Value ?? "";

    private static string Canonical(HttpAnnounceRequest q)
    {
        Span<byte> raw = stackalloc byte[20];
        q.InfoHash.WriteTo(raw);
        var text = new StringBuilder("info_hash=").Append(Reference.PercentEncode(raw));
        q.PeerId.WriteTo(raw);
        text.Append("&peer_id=").Append(Reference.PercentEncode(raw));
        text.Append(CultureInfo.InvariantCulture, $"&port={q.Port}&uploaded={q.Uploaded}&downloaded={q.Downloaded}&left={q.Left}");
        if (q.Event != AnnounceEvent.None)
            text.Append("&event=").Append(q.Event.ToString().ToLowerInvariant());
        text.Append(q.Compact ? "&compact=1" : "&compact=0");
        if (q.NumWant != -1)
            text.Append(CultureInfo.InvariantCulture, $"&numwant={q.NumWant}");
        if (q.NoPeerId)
            text.Append("&no_peer_id=1");
        return text.ToString();
    }

    private static void CheckScrape(string query, int capacity)
    {
        var hashes = new InfoHash[capacity];
        var ok = HttpRequestParser.TryParseScrape(query, hashes, out var count, out var truncated, out var reason);

        // Reference: every info_hash pair in order; the first `capacity` must each decode to 20 bytes.
        var values = Reference.Pairs(query).Where(p => p.Name == "info_hash").Select(p => p.Value).ToList();
        var taken = values.Take(capacity).Select(v => v is null ? null : Reference.PercentDecode(v)).ToList();
        var expectOk = values.Count > 0 && taken.All(h => h is { Length: 20 });
        Require.That(ok == expectOk, $"scrape verdict (capacity {capacity})");
        if (!ok)
        {
            Require.That(reason.Length > 0, "a refusal has a reason");
            CheckFailureResponse(reason);
            return;
        }
        Require.That(count == taken.Count && truncated == values.Count > capacity, "count and truncation follow the cap");
        for (var i = 0; i < count; i++)
            Require.That(hashes[i] == InfoHash.Read(taken[i]), "scrape hashes in request order");
        CheckScrapeResponse(hashes.AsSpan(0, count));
    }

    /// <summary>The scrape response for these hashes, with counts made from the hash bytes, decoded strictly.</summary>
    public static void CheckScrapeResponse(ReadOnlySpan<InfoHash> hashes)
    {
        var counts = new SwarmCounts[hashes.Length];
        Span<byte> raw = stackalloc byte[20];
        for (var i = 0; i < hashes.Length; i++)
        {
            hashes[i].WriteTo(raw);
            counts[i] = new SwarmCounts(BitConverter.ToInt32(raw), BitConverter.ToInt32(raw[4..]), BitConverter.ToInt64(raw[8..]));
        }
        var buffer = new byte[HttpResponseWriter.MaxScrapeLength(hashes.Length)];
        var length = HttpResponseWriter.WriteScrape(buffer, hashes, counts);
        var files = (Dictionary<string, object>)BencodeDecoder.DecodeDict(buffer.AsSpan(0, length))["files"];
        var firsts = new Dictionary<string, SwarmCounts>(StringComparer.Ordinal);
        for (var i = 0; i < hashes.Length; i++)
            firsts.TryAdd(Encoding.Latin1.GetString(hashes[i].ToArray()), counts[i]);
        Require.That(files.Count == firsts.Count, "one entry per distinct hash");
        foreach (var (key, c) in firsts)
        {
            var entry = (Dictionary<string, object>)files[key];
            Require.That(entry.Count == 3 && (long)entry["complete"] == c.Seeders && (long)entry["downloaded"] == c.Completed
                && (long)entry["incomplete"] == c.Leechers, "entry is the first occurrence's counts");
        }
    }

    public static void CheckFailureResponse(string reason)
    {
        var buffer = new byte[HttpResponseWriter.MaxFailureLength(reason)];
        var length = HttpResponseWriter.WriteFailure(buffer, reason);
        var answer = BencodeDecoder.DecodeDict(buffer.AsSpan(0, length));
        Require.That(answer.Count == 1 && ((byte[])answer["failure reason"]).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(reason)), "failure response is one UTF-8 reason");
    }
}
