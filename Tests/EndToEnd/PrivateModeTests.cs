using System.Net;
using System.Text;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.EndToEnd.AccessSeeds;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// mode = "private" over real HTTP and UDP sockets: the key is the last path segment of the
/// announce URL, over UDP carried in BEP 41 URL data.
/// </summary>
public sealed class PrivateModeTests(PrivateTrackerFixture fixture) : IClassFixture<PrivateTrackerFixture>, IDisposable
{
    private readonly TrackerHttpClient _http = new($"http://127.0.0.1:{fixture.Tracker.Ports.Http}");

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task a_valid_key_in_the_path_announces_and_scrapes_over_http()
    {
        var hash = TestPeers.NewInfoHash();
        var answer = await _http.AnnounceAsync($"/announce/{PermanentKey}", hash, TestPeers.NewPeerId(), 6101, left: 0);
        Assert.Null(TrackerHttpClient.Failure(answer));
        Assert.Equal(1L, answer["complete"]);

        var scrape = await _http.ScrapeAsync($"/scrape/{PermanentKey}", hash);
        Assert.Equal((1, 0, 0), TrackerHttpClient.Counts(scrape, hash));
    }

    [Theory]
    [InlineData("/announce", "missing authentication key: announce to /announce/{key}")]
    [InlineData("/announce/tooShort", "malformed authentication key: expected 32 letters and digits")]
    [InlineData("/announce/" + UnknownKey, "unknown authentication key")]
    [InlineData("/announce/" + ExpiredKey, "expired authentication key")]
    public async Task a_missing_malformed_unknown_or_expired_key_gets_a_clear_failure_over_http(string path, string failure)
    {
        var answer = await _http.AnnounceAsync(path, TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 6102, left: 0);
        Assert.Equal(failure, TrackerHttpClient.Failure(answer));
    }

    [Theory]
    [InlineData("/scrape")]
    [InlineData("/scrape/" + UnknownKey)]
    [InlineData("/scrape/" + ExpiredKey)]
    public async Task scrape_without_a_valid_key_answers_zeros(string path)
    {
        var hash = TestPeers.NewInfoHash();
        await _http.AnnounceAsync($"/announce/{PermanentKey}", hash, TestPeers.NewPeerId(), 6103, left: 0);
        var scrape = await _http.ScrapeAsync(path, hash);
        Assert.Null(TrackerHttpClient.Failure(scrape));
        Assert.Equal((0, 0, 0), TrackerHttpClient.Counts(scrape, hash));
    }

    [Fact]
    public async Task a_valid_key_in_bep41_url_data_announces_over_udp_on_ipv4_and_ipv6()
    {
        var hash = TestPeers.NewInfoHash();
        foreach (var loopback in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
        {
            using var udp = new UdpTrackerClient(new IPEndPoint(loopback, fixture.Tracker.Ports.Udp));
            await udp.ConnectAsync();
            await udp.AnnounceAsync(hash, TestPeers.NewPeerId(), 6104, left: 0, options: UrlData($"/announce/{PermanentKey}"));
        }
        var scrape = await _http.ScrapeAsync($"/scrape/{PermanentKey}", hash);
        Assert.Equal((2, 0, 0), TrackerHttpClient.Counts(scrape, hash));
    }

    [Theory]
    [InlineData(null, "missing authentication key: announce to /announce/{key}")]
    [InlineData("/announce", "missing authentication key: announce to /announce/{key}")]
    [InlineData("/announce/" + UnknownKey + "?x=1", "unknown authentication key")]
    [InlineData("/announce/" + ExpiredKey, "expired authentication key")]
    [InlineData("/announce/bad-key", "malformed authentication key: expected 32 letters and digits")]
    public async Task a_missing_unknown_expired_or_malformed_key_gets_a_bep15_error_over_udp(string? urlData, string failure)
    {
        using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp));
        await udp.ConnectAsync();
        var error = await Assert.ThrowsAsync<UdpTrackerErrorException>(() =>
            udp.AnnounceAsync(TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 6105, left: 0, options: urlData is null ? null : UrlData(urlData)));
        Assert.Equal(failure, error.Message);
    }

    [Fact]
    public async Task url_data_split_over_several_options_is_joined_as_bep41_says()
    {
        var path = Encoding.ASCII.GetBytes($"/announce/{PermanentKey}");
        byte[] options = [0x1, 0x2, 10, .. path[..10], 0x1, 0x2, (byte)(path.Length - 10), .. path[10..], 0x0];
        using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp));
        await udp.ConnectAsync();
        var answer = await udp.AnnounceAsync(TestPeers.NewInfoHash(), TestPeers.NewPeerId(), 6106, left: 0, options: options);
        Assert.Equal(1, answer.Seeders);
    }

    /// <summary>
    /// A BEP 15 scrape has no room for a key: it gets real counts when its sender (address and
    /// still-valid connection id) announced with a valid key, zeros from anyone else.
    /// </summary>
    [Fact]
    public async Task a_udp_scrape_gets_counts_from_a_sender_that_announced_with_a_valid_key_and_zeros_from_others()
    {
        var hash = TestPeers.NewInfoHash();
        var other = TestPeers.NewInfoHash();
        await _http.AnnounceAsync($"/announce/{PermanentKey}", hash, TestPeers.NewPeerId(), 6107, left: 0);
        await _http.AnnounceAsync($"/announce/{PermanentKey}", other, TestPeers.NewPeerId(), 6107, left: 0);
        var tracker = new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp);

        using var keyed = new UdpTrackerClient(tracker);
        await keyed.ConnectAsync();
        Assert.Equal((0, 0, 0), (await keyed.ScrapeAsync(hash))[0]);
        await keyed.AnnounceAsync(hash, TestPeers.NewPeerId(), 6108, left: 5, options: UrlData($"/announce/{PermanentKey}"));
        // Any torrent, for as long as the connection id lives: the sender is recognised, not the torrent.
        Assert.Equal([(1, 0, 1), (1, 0, 0)], await keyed.ScrapeAsync(hash, other));

        // Another address that announced with an unknown key, and one that never announced.
        using var refused = new UdpTrackerClient(tracker, local: IPAddress.Parse("127.0.0.2"));
        await refused.ConnectAsync();
        await Assert.ThrowsAsync<UdpTrackerErrorException>(() =>
            refused.AnnounceAsync(hash, TestPeers.NewPeerId(), 6109, left: 5, options: UrlData($"/announce/{UnknownKey}")));
        Assert.Equal((0, 0, 0), (await refused.ScrapeAsync(hash))[0]);
        using var stranger = new UdpTrackerClient(new IPEndPoint(IPAddress.IPv6Loopback, fixture.Tracker.Ports.Udp));
        await stranger.ConnectAsync();
        Assert.Equal((0, 0, 0), (await stranger.ScrapeAsync(hash))[0]);

        // The keyed sender's connection id is bound to its address: from elsewhere it is refused.
        stranger.UseConnectionId(keyed.ConnectionId);
        await Assert.ThrowsAsync<UdpTrackerErrorException>(() => stranger.ScrapeAsync(hash));
    }

    /// <summary>BEP 41 options: URL data (type 0x2, length, bytes), then end of options.</summary>
    internal static byte[] UrlData(string pathAndQuery)
    {
        var bytes = Encoding.ASCII.GetBytes(pathAndQuery);
        return [0x2, (byte)bytes.Length, .. bytes, 0x0];
    }
}
