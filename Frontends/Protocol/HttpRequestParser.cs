using System.Globalization;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// Parses the raw HTTP announce and scrape query strings (BEP 3 "Trackers", BEP 23, BEP 48).
/// It works on the raw text Kestrel keeps in <c>Request.QueryString</c> (without the '?') because
/// <c>Request.Query</c> decodes values as UTF-8 and corrupts binary info hashes and peer ids.
/// Parameter names are matched literally; unknown parameters are ignored; for announce the first
/// occurrence of a repeated parameter wins. Failure reasons are short texts for <c>failure reason</c>.
/// </summary>
public static partial class HttpRequestParser
{
    private enum Field { InfoHash, PeerId, Port, Uploaded, Downloaded, Left, Event, Compact, NumWant, NoPeerId, Count }

    public static bool TryParseAnnounce(ReadOnlySpan<char> rawQuery, out HttpAnnounceRequest query, out string failureReason)
    {
        query = default;
        // Locate the first value of each known parameter, then read them in a fixed order so the
        // failure reported does not depend on the parameter order the client chose.
        Span<Range> values = stackalloc Range[(int)Field.Count];
        var found = 0;
        var rest = rawQuery;
        var offset = 0;
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pairLength = amp < 0 ? rest.Length : amp;
            var pair = rest[..pairLength];
            var eq = pair.IndexOf('=');
            var field = FieldOf(eq < 0 ? pair : pair[..eq]);
            if (field != Field.Count && !Has(found, field))
            {
                found |= 1 << (int)field;
                var valueStart = eq < 0 ? offset + pairLength : offset + eq + 1;
                values[(int)field] = new Range(valueStart, offset + pairLength);
            }
            offset += pairLength + 1;
            rest = amp < 0 ? default : rest[(amp + 1)..];
        }

        Span<byte> hash = stackalloc byte[InfoHash.Length];
        if (!Has(found, Field.InfoHash))
            return Fail("missing info_hash", out failureReason);
        if (!TryDecodeExact(rawQuery[values[(int)Field.InfoHash]], hash))
            return Fail("invalid info_hash", out failureReason);
        var infoHash = InfoHash.Read(hash);
        if (!Has(found, Field.PeerId))
            return Fail("missing peer_id", out failureReason);
        if (!TryDecodeExact(rawQuery[values[(int)Field.PeerId]], hash))
            return Fail("invalid peer_id", out failureReason);
        var peerId = PeerId.Read(hash);
        if (!Has(found, Field.Port))
            return Fail("missing port", out failureReason);
        if (!TryParseNumber(rawQuery[values[(int)Field.Port]], NumberStyles.None, out var port) || port > ushort.MaxValue)
            return Fail("invalid port", out failureReason);

        long uploaded = 0, downloaded = 0, left = 0, numWant = -1;
        if (Has(found, Field.Uploaded) && !TryParseNumber(rawQuery[values[(int)Field.Uploaded]], NumberStyles.None, out uploaded))
            return Fail("invalid uploaded", out failureReason);
        if (Has(found, Field.Downloaded) && !TryParseNumber(rawQuery[values[(int)Field.Downloaded]], NumberStyles.None, out downloaded))
            return Fail("invalid downloaded", out failureReason);
        if (Has(found, Field.Left) && !TryParseNumber(rawQuery[values[(int)Field.Left]], NumberStyles.None, out left))
            return Fail("invalid left", out failureReason);
        var announceEvent = Has(found, Field.Event) ? ParseEvent(rawQuery[values[(int)Field.Event]]) : AnnounceEvent.None;
        var compact = true;
        if (Has(found, Field.Compact) && !TryParseFlag(rawQuery[values[(int)Field.Compact]], out compact))
            return Fail("invalid compact", out failureReason);
        if (Has(found, Field.NumWant) && !TryParseNumber(rawQuery[values[(int)Field.NumWant]], NumberStyles.AllowLeadingSign, out numWant))
            return Fail("invalid numwant", out failureReason);

        // no_peer_id: clients send "no_peer_id=1"; presence is what they mean, so only "0" turns it off.
        var noPeerId = Has(found, Field.NoPeerId) && !rawQuery[values[(int)Field.NoPeerId]].SequenceEqual("0");
        query = new HttpAnnounceRequest
        {
            InfoHash = infoHash,
            PeerId = peerId,
            Port = (ushort)port,
            Uploaded = uploaded,
            Downloaded = downloaded,
            Left = left,
            Event = announceEvent,
            Compact = compact,
            NumWant = numWant < 0 ? -1 : (int)Math.Min(numWant, int.MaxValue),
            NoPeerId = noPeerId,
        };
        failureReason = string.Empty;
        return true;
    }

    private static Field FieldOf(ReadOnlySpan<char> name) => name switch
    {
        "info_hash" => Field.InfoHash,
        "peer_id" => Field.PeerId,
        "port" => Field.Port,
        "uploaded" => Field.Uploaded,
        "downloaded" => Field.Downloaded,
        "left" => Field.Left,
        "event" => Field.Event,
        "compact" => Field.Compact,
        "numwant" => Field.NumWant,
        "no_peer_id" => Field.NoPeerId,
        _ => Field.Count,
    };

    private static bool Has(int found, Field field) => (found & (1 << (int)field)) != 0;

    private static bool Fail(string reason, out string failureReason)
    {
        failureReason = reason;
        return false;
    }
}
