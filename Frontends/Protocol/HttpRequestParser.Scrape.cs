using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

public static partial class HttpRequestParser
{
    /// <summary>
    /// Reads every <c>info_hash</c> of a scrape query (BEP 48), in request order, into
    /// <paramref name="destination"/>. When there are more than it holds, parsing stops there and
    /// <paramref name="truncated"/> is set: the caller answers the first N hashes (the per-request cap,
    /// documented with the server) instead of failing the whole scrape; hashes past the cap are not
    /// validated. A hash that is not exactly 20 bytes fails the request. No hash at all fails too:
    /// a full scrape (every torrent) is not supported, it is unbounded work for one request.
    /// </summary>
    public static bool TryParseScrape(ReadOnlySpan<char> rawQuery, Span<InfoHash> destination, out int count, out bool truncated, out string failureReason)
    {
        count = 0;
        truncated = false;
        var seen = false;
        Span<byte> hash = stackalloc byte[InfoHash.Length];
        var rest = rawQuery;
        while (!rest.IsEmpty)
        {
            var amp = rest.IndexOf('&');
            var pair = amp < 0 ? rest : rest[..amp];
            rest = amp < 0 ? default : rest[(amp + 1)..];
            var eq = pair.IndexOf('=');
            if (eq < 0 ? pair is not "info_hash" : pair[..eq] is not "info_hash")
                continue;
            seen = true;
            if (count == destination.Length)
            {
                truncated = true;
                break;
            }
            if (!TryDecodeExact(eq < 0 ? default : pair[(eq + 1)..], hash))
                return Fail("invalid info_hash", out failureReason);
            destination[count++] = InfoHash.Read(hash);
        }
        if (!seen)
            return Fail("missing info_hash", out failureReason);
        failureReason = string.Empty;
        return true;
    }
}
