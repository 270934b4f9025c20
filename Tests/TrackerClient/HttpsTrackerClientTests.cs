using System.Globalization;
using OrleansTracker.Tests.EndToEnd;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Support.TrackerClientCli;

namespace OrleansTracker.Tests.TrackerClient;

/// <summary>The client over HTTPS to our tracker's TLS listener, whose certificate is self-signed.</summary>
public sealed class HttpsTrackerClientTests(PublicTrackerFixture fixture) : IClassFixture<PublicTrackerFixture>
{
    private string Https => $"https://127.0.0.1:{fixture.Tracker.Ports.Https.ToString(CultureInfo.InvariantCulture)}/announce";

    private static string NewHash() => Convert.ToHexStringLower(TestPeers.NewInfoHash());

    [Fact]
    public async Task https_accepts_a_self_signed_certificate_only_with_insecure()
    {
        var hash = NewHash();
        var insecure = await RunAsync("client", "announce", Https, hash, "--insecure");
        Assert.True(insecure.ExitCode == 0, insecure.Stderr);
        Assert.Equal(1, Json(insecure).GetProperty("complete").GetInt32());

        var untrusted = await RunAsync("client", "scrape", Https, hash, "--timeout", "3");
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains("--insecure", untrusted.Stderr, StringComparison.Ordinal);
    }
}
