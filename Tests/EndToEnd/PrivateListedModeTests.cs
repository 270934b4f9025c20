using System.Net;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.EndToEnd.AccessSeeds;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>mode = "private_listed": a valid key and a whitelisted torrent, the key checked first.</summary>
public sealed class PrivateListedModeTests(PrivateListedTrackerFixture fixture) : IClassFixture<PrivateListedTrackerFixture>, IDisposable
{
    private readonly TrackerHttpClient _http = new($"http://127.0.0.1:{fixture.Tracker.Ports.Http}");

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task a_valid_key_and_a_whitelisted_torrent_announce_over_http_and_udp()
    {
        Assert.Null(TrackerHttpClient.Failure(await _http.AnnounceAsync($"/announce/{PermanentKey}", Listed, TestPeers.NewPeerId(), 6201, left: 0)));
        using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp));
        await udp.ConnectAsync();
        var answer = await udp.AnnounceAsync(Listed, TestPeers.NewPeerId(), 6202, left: 3, options: PrivateModeTests.UrlData($"/announce/{PermanentKey}"));
        Assert.True(answer.Seeders >= 1);
    }

    [Theory]
    [InlineData("/announce", true, "missing authentication key: announce to /announce/{key}")]
    [InlineData("/announce", false, "missing authentication key: announce to /announce/{key}")]
    [InlineData("/announce/" + ExpiredKey, true, "expired authentication key")]
    [InlineData("/announce/" + PermanentKey, false, "torrent not whitelisted")]
    public async Task the_key_is_checked_before_the_whitelist(string path, bool listed, string failure)
    {
        var hash = listed ? Listed : TestPeers.NewInfoHash();
        Assert.Equal(failure, TrackerHttpClient.Failure(await _http.AnnounceAsync(path, hash, TestPeers.NewPeerId(), 6203, left: 0)));

        using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp));
        await udp.ConnectAsync();
        var error = await Assert.ThrowsAsync<UdpTrackerErrorException>(() =>
            udp.AnnounceAsync(hash, TestPeers.NewPeerId(), 6204, left: 0, options: PrivateModeTests.UrlData(path)));
        Assert.Equal(failure, error.Message);
    }

    [Fact]
    public async Task scrape_with_a_valid_key_answers_zeros_for_a_torrent_that_is_not_whitelisted()
    {
        var other = TestPeers.NewInfoHash();
        await _http.AnnounceAsync($"/announce/{PermanentKey}", Listed, TestPeers.NewPeerId(), 6205, left: 0);
        var scrape = await _http.ScrapeAsync($"/scrape/{PermanentKey}", Listed, other);
        Assert.True(TrackerHttpClient.Counts(scrape, Listed).Complete >= 1);
        Assert.Equal((0, 0, 0), TrackerHttpClient.Counts(scrape, other));
    }
}
