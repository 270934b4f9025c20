using System.Net;
using System.Security.Cryptography.X509Certificates;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>[http_api] ssl_enabled: the API over HTTPS with the PEM certificate, on its own port.</summary>
public sealed class AdminHttpsTests
{
    private const string Config = """
        persistence = false
        db_path = "{dir}/data.db"

        [[udp_trackers]]
        enabled = true
        bind_address = "127.0.0.1:{udp}"

        [[http_trackers]]
        enabled = false

        [http_api]
        enabled = true
        bind_address = "127.0.0.1:{api}"
        ssl_enabled = true
        ssl_cert_path = "{cert}"
        ssl_key_path = "{key}"

        [cluster]
        silo_port = {silo}
        gateway_port = {gateway}
        """;

    [Fact]
    public async Task the_api_answers_over_https_with_the_configured_certificate_and_not_over_plain_http()
    {
        await using var tracker = await TrackerProcess.StartAsync(Config);
        try
        {
            using var expected = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(tracker.Directory, "tracker.crt")));
            var thumbprint = expected.Thumbprint;
            using var https = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint },
            }) { Timeout = TimeSpan.FromSeconds(10) };
            var url = $"https://127.0.0.1:{tracker.Ports.Api}/api/v1/stats?token={AdminTrackerFixture.Token}";
            using (var response = await https.GetAsync(url))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains("\"udp4_connections_handled\":", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync($"http://127.0.0.1:{tracker.Ports.Api}/api/health_check"));
        }
        finally
        {
            tracker.DeleteDirectory();
        }
    }
}
