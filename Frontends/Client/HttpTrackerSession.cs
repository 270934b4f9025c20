using System.Net;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Client;

/// <summary>Announce and scrape over HTTP(S) (BEP 3; the scrape URL by BEP 48's convention).</summary>
public sealed class HttpTrackerSession : ITrackerSession
{
    /// <summary>Far above any tracker's answer (opentracker sends at most a few KiB): a bound, not a limit.</summary>
    private const int MaxAnswerLength = 1 << 20;

    private readonly TrackerUrl _url;
    private readonly HttpClient _http;

    public HttpTrackerSession(TrackerUrl url, TrackerClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        _url = url;
        var handler = new SocketsHttpHandler { ConnectTimeout = options.Timeout, AllowAutoRedirect = false };
        if (options.AcceptAnyCertificate)
#pragma warning disable CA5359 // --insecure: the operator asked to accept a self-signed or mismatched certificate
            handler.SslOptions.RemoteCertificateValidationCallback = TrackerClientOptions.AcceptAny;
#pragma warning restore CA5359
        _http = new HttpClient(handler) { Timeout = options.Timeout, MaxResponseContentBufferSize = MaxAnswerLength };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("orleans-tracker-client/1");
    }

    public async Task<AnnounceAnswer> AnnounceAsync(ClientAnnounce announce, CancellationToken cancellationToken) =>
        HttpTrackerAnswers.Announce(await GetAsync(HttpClientQuery.Announce(_url.AnnouncePathAndQuery, announce), cancellationToken));

    public async Task<ScrapeAnswer> ScrapeAsync(IReadOnlyList<InfoHash> hashes, CancellationToken cancellationToken)
    {
        var path = _url.ScrapePathAndQuery
                   ?? throw new TrackerProtocolException($"{_url} has no scrape URL: its path does not end in /announce (BEP 48)");
        return HttpTrackerAnswers.Scrape(await GetAsync(HttpClientQuery.Scrape(path, hashes), cancellationToken));
    }

    private async Task<byte[]> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        var uri = _url.With(pathAndQuery);
        try
        {
            using var response = await _http.GetAsync(uri, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK)
                return body;
            // Some trackers send their failure reason with a 4xx status: that is their answer.
            if (HttpTrackerAnswers.FailureReason(body) is { } reason)
                throw new TrackerFailureException(reason);
            throw new TrackerProtocolException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {uri.GetLeftPart(UriPartial.Path)}");
        }
        catch (HttpRequestException e)
        {
            throw new TrackerProtocolException($"cannot reach {uri.GetLeftPart(UriPartial.Authority)}: {TrackerProtocolException.Cause(e)}", e);
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }
}
