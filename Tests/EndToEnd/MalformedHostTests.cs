using OrleansTracker.Frontends.Protocol;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using OrleansTracker.Tests.Admin;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// libtorrent 2.0.8 sends <c>Host: ::1:PORT</c> (no brackets) to <c>http://[::1]:PORT/announce</c>.
/// On the tracker's ports the Host header must not decide whether an announce or scrape is served;
/// the requests here are written byte for byte, as HttpClient would bracket the address itself.
/// </summary>
public sealed class MalformedHostTests(PublicTrackerFixture fixture) : IClassFixture<PublicTrackerFixture>
{
    [Fact]
    public async Task an_announce_with_libtorrents_unbracketed_ipv6_host_gets_a_bencoded_answer()
    {
        var port = fixture.Tracker.Ports.Http;
        var hash = TestPeers.PercentEncode(TestPeers.NewInfoHash());
        var (status, body) = await RawHttp.GetAsync(new IPEndPoint(IPAddress.IPv6Loopback, port), null,
            $"/announce?info_hash={hash}&peer_id={hash}&port=6881&left=1&compact=1", $"::1:{port}");

        Assert.Equal(200, status);
        Assert.Equal(1L, BencodeDecoder.DecodeDict(body)["incomplete"]);
    }

    [Fact]
    public async Task a_scrape_over_https_with_hosts_kestrel_refuses_gets_a_bencoded_answer()
    {
        var port = fixture.Tracker.Ports.Https;
        var hash = TestPeers.PercentEncode(TestPeers.NewInfoHash());
        foreach (var host in new[] { $"::1:{port}", "tr acker", "" })
        {
            var (status, body) = await RawHttp.GetAsync(new IPEndPoint(IPAddress.IPv6Loopback, port), Thumbprint(), $"/scrape?info_hash={hash}", host);
            Assert.True(status == 200, $"HTTP {status} for Host '{host}'");
            Assert.True(BencodeDecoder.DecodeDict(body).ContainsKey("files"), $"no files dict for Host '{host}'");
        }
    }

    /// <summary>The self-signed certificate the fixture's tracker serves: trusted by its thumbprint, nothing else.</summary>
    private string Thumbprint()
    {
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
            File.ReadAllText(Path.Combine(fixture.Tracker.Directory, "tracker.crt")));
        return certificate.Thumbprint;
    }

    /// <summary>The repair is the tracker listeners' alone: the admin API keeps Kestrel's own checks.</summary>
    [Fact]
    public async Task the_admin_api_still_refuses_a_malformed_host()
    {
        await using var tracker = await TrackerProcess.StartAsync(AdminTrackerFixture.Config);
        var api = new IPEndPoint(IPAddress.Loopback, tracker.Ports.Api);
        var (status, _) = await RawHttp.GetAsync(api, null, "/api/health_check", $"::1:{tracker.Ports.Api}");
        Assert.Equal(400, status);
        var (ok, _) = await RawHttp.GetAsync(api, null, "/api/health_check", $"127.0.0.1:{tracker.Ports.Api}");
        Assert.Equal(200, ok);
    }
}

/// <summary>One HTTP/1.1 request written byte for byte (over TLS when a certificate thumbprint is given); Connection: close ends the answer.</summary>
internal static class RawHttp
{
    public static async Task<(int Status, byte[] Body)> GetAsync(IPEndPoint server, string? tlsThumbprint, string target, string host)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var tcp = new TcpClient(server.AddressFamily);
        await tcp.ConnectAsync(server, timeout.Token);
        Stream stream = tcp.GetStream();
        if (tlsThumbprint is not null)
        {
            var tls = new SslStream(stream, false, (_, certificate, _, _) => certificate?.GetCertHashString() == tlsThumbprint);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
            stream = tls;
        }
        await using (stream)
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes($"GET {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: raw\r\nConnection: close\r\n\r\n"), timeout.Token);
            using var all = new MemoryStream();
            await stream.CopyToAsync(all, timeout.Token);
            var raw = all.ToArray();
            var headerEnd = raw.AsSpan().IndexOf("\r\n\r\n"u8);
            Assert.True(headerEnd > 12, $"no HTTP response for Host '{host}'");
            return (int.Parse(Encoding.ASCII.GetString(raw, 9, 3), System.Globalization.CultureInfo.InvariantCulture), raw[(headerEnd + 4)..]);
        }
    }
}
