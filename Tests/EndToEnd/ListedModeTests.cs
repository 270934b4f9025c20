using System.Net;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.EndToEnd.AccessSeeds;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>mode = "listed" over real HTTP and UDP sockets: only whitelisted torrents are tracked.</summary>
public sealed class ListedModeTests(ListedTrackerFixture fixture) : IClassFixture<ListedTrackerFixture>, IDisposable
{
    private readonly TrackerHttpClient _http = new($"http://127.0.0.1:{fixture.Tracker.Ports.Http}");

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task a_whitelisted_torrent_is_tracked_over_http_and_udp()
    {
        var answer = await _http.AnnounceAsync("/announce", Listed, TestPeers.NewPeerId(), 6001, left: 0);
        Assert.Null(TrackerHttpClient.Failure(answer));

        using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp));
        await udp.ConnectAsync();
        var udpAnswer = await udp.AnnounceAsync(Listed, TestPeers.NewPeerId(), 6002, left: 5);
        Assert.True(udpAnswer.Seeders >= 1);
    }

    [Fact]
    public async Task another_torrent_is_refused_with_torrent_not_whitelisted_over_http_and_udp()
    {
        var other = TestPeers.NewInfoHash();
        var answer = await _http.AnnounceAsync("/announce", other, TestPeers.NewPeerId(), 6003, left: 0);
        Assert.Equal("torrent not whitelisted", TrackerHttpClient.Failure(answer));

        using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.IPv6Loopback, fixture.Tracker.Ports.Udp));
        await udp.ConnectAsync();
        var error = await Assert.ThrowsAsync<UdpTrackerErrorException>(() => udp.AnnounceAsync(other, TestPeers.NewPeerId(), 6004, left: 0));
        Assert.Equal("torrent not whitelisted", error.Message);
    }

    [Fact]
    public async Task scrape_answers_zeros_for_a_torrent_that_is_not_whitelisted()
    {
        var other = TestPeers.NewInfoHash();
        await _http.AnnounceAsync("/announce", Listed, TestPeers.NewPeerId(), 6005, left: 0);
        await _http.AnnounceAsync("/announce", other, TestPeers.NewPeerId(), 6006, left: 0);

        var scrape = await _http.ScrapeAsync("/scrape", Listed, other);
        Assert.True(TrackerHttpClient.Counts(scrape, Listed).Complete >= 1);
        Assert.Equal((0, 0, 0), TrackerHttpClient.Counts(scrape, other));

        using var udp = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, fixture.Tracker.Ports.Udp));
        await udp.ConnectAsync();
        var counts = await udp.ScrapeAsync(other, Listed);
        Assert.Equal((0, 0, 0), counts[0]);
        Assert.True(counts[1].Seeders >= 1);
    }
}
