using System.Globalization;
using System.Text;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// The client's half of a BEP 3 HTTP announce and scrape: the query strings a BitTorrent client
/// sends (binary values percent-encoded byte by byte, <c>compact=1</c>), appended to whatever
/// query the tracker's URL already has (a passkey, for example).
/// </summary>
public static class HttpClientQuery
{
    public static string Announce(string pathAndQuery, in ClientAnnounce announce)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        var query = new StringBuilder(pathAndQuery).Append(pathAndQuery.Contains('?', StringComparison.Ordinal) ? '&' : '?');
        query.Append("info_hash=");
        PercentEncode(query, announce.InfoHash.ToArray());
        query.Append("&peer_id=");
        PercentEncode(query, announce.PeerId.ToArray());
        query.Append(CultureInfo.InvariantCulture, $"&port={announce.Port}&uploaded={announce.Uploaded}&downloaded={announce.Downloaded}&left={announce.Left}&compact=1");
        if (announce.NumWant >= 0)
            query.Append(CultureInfo.InvariantCulture, $"&numwant={announce.NumWant}");
        query.Append(CultureInfo.InvariantCulture, $"&key={(uint)announce.Key:x8}");
        var eventName = EventName(announce.Event);
        if (eventName is not null)
            query.Append("&event=").Append(eventName);
        return query.ToString();
    }

    public static string Scrape(string pathAndQuery, IEnumerable<InfoHash> hashes)
    {
        ArgumentNullException.ThrowIfNull(pathAndQuery);
        ArgumentNullException.ThrowIfNull(hashes);
        var query = new StringBuilder(pathAndQuery);
        var separator = pathAndQuery.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        foreach (var hash in hashes)
        {
            query.Append(separator).Append("info_hash=");
            PercentEncode(query, hash.ToArray());
            separator = '&';
        }
        return query.ToString();
    }

    /// <summary>BEP 3's event names; null for a regular announce (no event parameter).</summary>
    public static string? EventName(AnnounceEvent announceEvent) => announceEvent switch
    {
        AnnounceEvent.Started => "started",
        AnnounceEvent.Stopped => "stopped",
        AnnounceEvent.Completed => "completed",
        _ => null,
    };

    private static void PercentEncode(StringBuilder query, byte[] bytes)
    {
        foreach (var b in bytes)
            query.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
    }
}
