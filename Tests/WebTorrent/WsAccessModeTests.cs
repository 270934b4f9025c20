using System.Globalization;
using OrleansTracker.Tests.EndToEnd;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.EndToEnd.AccessSeeds;
using static OrleansTracker.Tests.WebTorrent.WsTrackerClient;

namespace OrleansTracker.Tests.WebTorrent;

/// <summary>
/// mode = "private_listed" over real WebSockets: the key is the last path segment of the WebSocket
/// URL (<c>/announce/{key}</c>), the whitelist is checked, and the refusals are the HTTP tracker's.
/// </summary>
public sealed class WsAccessModeTests(WsAccessModeTests.WsPrivateListedFixture fixture) : IClassFixture<WsAccessModeTests.WsPrivateListedFixture>
{
    public sealed class WsPrivateListedFixture() : AccessTrackerFixture("private_listed")
    {
        public int WsPort { get; } = FreePorts.Next();

        protected override string MoreConfig() => $"""


            [[ws_trackers]]
            enabled = true
            bind_address = "[::1]:{WsPort.ToString(CultureInfo.InvariantCulture)}"
            """;
    }

    private string Url(string path) => $"ws://[::1]:{fixture.WsPort}{path}";

    [Fact]
    public async Task a_valid_key_in_the_url_announces_a_whitelisted_torrent_and_scrapes_its_counts()
    {
        await using var client = await ConnectAsync(Url($"/announce/{PermanentKey}"));
        var peer = TestPeers.NewPeerId();
        await client.AnnounceAsync(Listed, peer, ",\"left\":0");
        var answer = await client.ReceiveAsync();
        Assert.False(answer.TryGetProperty("failure reason", out _), answer.ToString());
        Assert.True(answer.GetProperty("complete").GetInt32() >= 1);

        await client.SendAsync($$"""{"action":"scrape","info_hash":{{Binary(Listed)}}}""");
        var file = (await client.ReceiveAsync()).GetProperty("files").EnumerateObject().Single().Value;
        Assert.True(file.GetProperty("complete").GetInt32() >= 1);
        await client.AnnounceAsync(Listed, peer, ",\"left\":0,\"event\":\"stopped\"");
        await client.ReceiveAsync();
    }

    [Theory]
    [InlineData("", "missing authentication key: announce to /announce/{key}")]
    [InlineData("/announce", "missing authentication key: announce to /announce/{key}")]
    [InlineData("/announce/tooShort", "malformed authentication key: expected 32 letters and digits")]
    [InlineData("/announce/" + UnknownKey, "unknown authentication key")]
    [InlineData("/announce/" + ExpiredKey, "expired authentication key")]
    public async Task a_missing_malformed_unknown_or_expired_key_gets_a_failure_reason_naming_the_hash(string path, string failure)
    {
        await using var client = await ConnectAsync(Url(path));
        await client.AnnounceAsync(Listed, TestPeers.NewPeerId(), ",\"left\":0");
        var refused = await client.ReceiveAsync();
        Assert.Equal(failure, refused.GetProperty("failure reason").GetString());
        Assert.Equal(Listed, Bytes(refused.GetProperty("info_hash")));
        Assert.Equal("announce", refused.GetProperty("action").GetString());
    }

    [Fact]
    public async Task a_torrent_off_the_whitelist_is_refused_even_with_a_valid_key_and_the_connection_goes_on()
    {
        await using var client = await ConnectAsync(Url($"/announce/{PermanentKey}"));
        var unlisted = TestPeers.NewInfoHash();
        await client.AnnounceAsync(unlisted, TestPeers.NewPeerId(), ",\"left\":0");
        Assert.Equal("torrent not whitelisted", (await client.ReceiveAsync()).GetProperty("failure reason").GetString());

        // A scrape of it reads zeros, never an error (as over HTTP), and the listed torrent still announces.
        await client.SendAsync($$"""{"action":"scrape","info_hash":{{Binary(unlisted)}}}""");
        var file = (await client.ReceiveAsync()).GetProperty("files").EnumerateObject().Single().Value;
        Assert.Equal((0, 0), (file.GetProperty("complete").GetInt32(), file.GetProperty("incomplete").GetInt32()));
        var peer = TestPeers.NewPeerId();
        await client.AnnounceAsync(Listed, peer, ",\"left\":7");
        Assert.True((await client.ReceiveAsync()).GetProperty("incomplete").GetInt32() >= 1);
        await client.AnnounceAsync(Listed, peer, ",\"left\":7,\"event\":\"stopped\"");
        await client.ReceiveAsync();
    }

    [Fact]
    public async Task a_scrape_without_a_key_reads_zeros_for_a_torrent_with_peers()
    {
        await using var keyed = await ConnectAsync(Url($"/announce/{PermanentKey}"));
        var peer = TestPeers.NewPeerId();
        await keyed.AnnounceAsync(Listed, peer, ",\"left\":0");
        Assert.True((await keyed.ReceiveAsync()).GetProperty("complete").GetInt32() >= 1);

        await using var anonymous = await ConnectAsync(Url("/announce"));
        await anonymous.SendAsync($$"""{"action":"scrape","info_hash":{{Binary(Listed)}}}""");
        var file = (await anonymous.ReceiveAsync()).GetProperty("files").EnumerateObject().Single().Value;
        Assert.Equal((0, 0), (file.GetProperty("complete").GetInt32(), file.GetProperty("incomplete").GetInt32()));
        await keyed.AnnounceAsync(Listed, peer, ",\"left\":0,\"event\":\"stopped\"");
        await keyed.ReceiveAsync();
    }
}
