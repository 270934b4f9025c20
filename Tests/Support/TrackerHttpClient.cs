using OrleansTracker.Frontends.Protocol;
using System.Net;
using System.Text;
using Xunit;

namespace OrleansTracker.Tests.Support;

/// <summary>BEP 3 announce and scrape over plain HTTP, answers decoded by the tests' strict bencode decoder.</summary>
internal sealed class TrackerHttpClient(string baseUrl) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Announces through <paramref name="path"/> (e.g. <c>/announce/KEY</c>); the answer may be a failure.</summary>
    public Task<Dictionary<string, object>> AnnounceAsync(string path, byte[] hash, byte[] peerId, int port, long left, string? announceEvent = null) =>
        GetAsync($"{path}?info_hash={TestPeers.PercentEncode(hash)}&peer_id={TestPeers.PercentEncode(peerId)}&port={port}&uploaded=0&downloaded=0&left={left}&compact=1"
                 + (announceEvent is null ? "" : "&event=" + announceEvent));

    public Task<Dictionary<string, object>> ScrapeAsync(string path, params byte[][] hashes) =>
        GetAsync(path + "?" + string.Join("&", hashes.Select(h => "info_hash=" + TestPeers.PercentEncode(h))));

    /// <summary>The failure reason of an answer, or null for a normal answer.</summary>
    public static string? Failure(Dictionary<string, object> answer) =>
        answer.TryGetValue("failure reason", out var reason) ? Encoding.UTF8.GetString((byte[])reason) : null;

    /// <summary>complete / downloaded / incomplete of one hash in a scrape answer.</summary>
    public static (long Complete, long Downloaded, long Incomplete) Counts(Dictionary<string, object> scrape, byte[] hash)
    {
        var files = (Dictionary<string, object>)scrape["files"];
        var entry = (Dictionary<string, object>)files[Encoding.Latin1.GetString(hash)];
        return ((long)entry["complete"], (long)entry["downloaded"], (long)entry["incomplete"]);
    }

    private async Task<Dictionary<string, object>> GetAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(baseUrl + pathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return BencodeDecoder.DecodeDict(await response.Content.ReadAsByteArrayAsync());
    }

    public void Dispose() => _http.Dispose();
}
