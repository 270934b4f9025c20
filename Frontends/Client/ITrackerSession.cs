using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Client;

/// <summary>
/// Announces and scrapes on one tracker, whatever its protocol. A tracker that answers with a
/// failure throws <see cref="TrackerFailureException"/>; one that cannot be reached or understood
/// throws <see cref="TrackerProtocolException"/>; past the caller's token, <see cref="OperationCanceledException"/>.
/// </summary>
public interface ITrackerSession : IAsyncDisposable
{
    Task<AnnounceAnswer> AnnounceAsync(ClientAnnounce announce, CancellationToken cancellationToken);

    Task<ScrapeAnswer> ScrapeAsync(IReadOnlyList<InfoHash> hashes, CancellationToken cancellationToken);
}

/// <param name="Timeout">The bound on each exchange (a UDP request's attempts, an HTTP request, a WebSocket connect or answer).</param>
/// <param name="AcceptAnyCertificate">https and wss: accept a certificate that does not validate (self-signed, expired, another name).</param>
public sealed record TrackerClientOptions(TimeSpan Timeout, bool AcceptAnyCertificate = false)
{
    /// <summary>The certificate check of <see cref="AcceptAnyCertificate"/>: only ever set when the operator asked (--insecure).</summary>
    internal static bool AcceptAny(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => true;
}
