using System.Net;

namespace OrleansTracker.Frontends.Health;

/// <summary>
/// An HTTP(S) tracker listener answers <c>GET /announce</c> without parameters with a bencoded
/// dictionary (a failure reason): the connection, TLS and the tracker's request handling all work,
/// and no swarm is touched.
/// </summary>
public sealed class HttpListenerCheck(IPEndPoint configured, bool tls) : IHealthCheck
{
    // The listener's own certificate is for its public name, not 127.0.0.1: the check is about the
    // listener answering, so any certificate is accepted. One client for all checks (no socket churn).
    private static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        ConnectTimeout = HealthCheckRunner.CheckTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
#pragma warning disable CA5359 // the server is this process's own listener, reached on loopback: its identity is not in question
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
    })
    { Timeout = HealthCheckRunner.CheckTimeout };

    public string ServiceType => tls ? "https_tracker" : "http_tracker";

    public string Binding => ProbeAddress.Text(configured);

    public string ServiceBinding => $"{(tls ? "https" : "http")}://{Binding}";

    public async Task<string> CheckAsync(CancellationToken cancellationToken)
    {
        var url = $"{(tls ? "https" : "http")}://{ProbeAddress.Text(ProbeAddress.Of(configured))}/announce";
        using var response = await Client.GetAsync(url, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK || body.Length == 0 || body[0] != (byte)'d')
            throw new InvalidOperationException($"GET /announce answered {(int)response.StatusCode} without a bencoded dictionary");
        return "Ok";
    }
}
