using System.Net;
using System.Text.Json;
using OrleansTracker.Tests.Grains;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>A private_listed tracker with the admin API, shared by the access tests.</summary>
public sealed class PrivateAdminTrackerFixture() : AdminTrackerFixture(Config
    .Replace("mode = \"public\"", "mode = \"private_listed\"", StringComparison.Ordinal));

/// <summary>Whitelist and key routes against the real whitelist and key grains, over real HTTP.</summary>
public sealed class AdminAccessTests(PrivateAdminTrackerFixture fixture) : IClassFixture<PrivateAdminTrackerFixture>, IDisposable
{
    private readonly HttpClient _http = AdminTrackerFixture.NewClient();

    private string Api => fixture.Api;

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task whitelist_add_list_and_remove_answer_status_ok_and_change_the_list()
    {
        var hash = Convert.ToHexStringLower(TestPeers.NewInfoHash());
        Assert.Equal("""{"status":"ok"}""", await Text(HttpMethod.Post, $"/api/v1/whitelist/{hash}"));
        Assert.Contains(hash, await Whitelist());
        Assert.Equal("""{"status":"ok"}""", await Text(HttpMethod.Get, "/api/v1/whitelist/reload"));
        Assert.Contains(hash, await Whitelist());
        Assert.Equal("""{"status":"ok"}""", await Text(HttpMethod.Delete, $"/api/v1/whitelist/{hash.ToUpperInvariant()}"));
        Assert.DoesNotContain(hash, await Whitelist());
    }

    [Fact]
    public async Task a_key_added_with_a_duration_has_torrusts_shape_and_can_be_deleted()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var key = Json(await Text(HttpMethod.Post, "/api/v1/keys", """{"key": null, "seconds_valid": 3600}"""));
        Assert.Equal(["key", "valid_until", "expiry_time"], key.EnumerateObject().Select(p => p.Name));
        var text = key.GetProperty("key").GetString()!;
        Assert.Matches("^[A-Za-z0-9]{32}$", text);
        var validUntil = key.GetProperty("valid_until").GetInt64();
        Assert.InRange(validUntil, before + 3600, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(validUntil).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
            key.GetProperty("expiry_time").GetString());
        Assert.Contains(text, await Keys());

        Assert.Equal("""{"status":"ok"}""", await Text(HttpMethod.Delete, $"/api/v1/key/{text}"));
        Assert.DoesNotContain(text, await Keys());
        Assert.Equal("""{"status":"ok"}""", await Text(HttpMethod.Get, "/api/v1/keys/reload"));
    }

    [Fact]
    public async Task a_chosen_permanent_key_and_a_generated_one_from_the_old_route()
    {
        const string chosen = "YZSl4lMZupRuOpSRC3krIKR5BPB14nrJ";
        var permanent = Json(await Text(HttpMethod.Post, "/api/v1/keys", $$"""{"key": "{{chosen}}", "seconds_valid": null}"""));
        Assert.Equal(chosen, permanent.GetProperty("key").GetString());
        Assert.Equal(JsonValueKind.Null, permanent.GetProperty("valid_until").ValueKind);
        Assert.Equal(JsonValueKind.Null, permanent.GetProperty("expiry_time").ValueKind);

        var generated = Json(await Text(HttpMethod.Post, "/api/v1/key/120"));
        Assert.Matches("^[A-Za-z0-9]{32}$", generated.GetProperty("key").GetString()!);
        Assert.Equal(JsonValueKind.Number, generated.GetProperty("valid_until").ValueKind);
    }

    /// <summary>
    /// Read your own writes: the silo that answered 200 has applied the change to its frontends, so
    /// the announce goes straight after the answer, with no wait and no retry (other silos follow
    /// within the refresh interval).
    /// </summary>
    [Fact]
    public async Task a_new_key_and_hash_work_at_once_and_stop_working_at_once_when_deleted()
    {
        var hash = TestPeers.NewInfoHash();
        var hex = Convert.ToHexStringLower(hash);
        await Text(HttpMethod.Post, $"/api/v1/whitelist/{hex}");
        var key = Json(await Text(HttpMethod.Post, "/api/v1/keys", """{"key": null, "seconds_valid": 3600}""")).GetProperty("key").GetString()!;
        Assert.Contains("8:intervali", await Announce(key, hash), StringComparison.Ordinal);

        await Text(HttpMethod.Delete, $"/api/v1/key/{key}");
        Assert.Contains("unknown authentication key", await Announce(key, hash), StringComparison.Ordinal);

        var second = Json(await Text(HttpMethod.Post, "/api/v1/key/3600")).GetProperty("key").GetString()!;
        Assert.Contains("8:intervali", await Announce(second, hash), StringComparison.Ordinal);
        await Text(HttpMethod.Delete, $"/api/v1/whitelist/{hex}");
        Assert.Contains("torrent not whitelisted", await Announce(second, hash), StringComparison.Ordinal);
        await Text(HttpMethod.Post, $"/api/v1/whitelist/{hex}");
        Assert.Contains("8:intervali", await Announce(second, hash), StringComparison.Ordinal);
    }

    /// <summary>A UDP sender that announced with a key reads real scrape counts, and zeros as soon as the key is deleted.</summary>
    [Fact]
    public async Task a_keyed_udp_sender_scrapes_counts_until_its_key_is_deleted()
    {
        var hash = TestPeers.NewInfoHash();
        await Text(HttpMethod.Post, $"/api/v1/whitelist/{Convert.ToHexStringLower(hash)}");
        var key = Json(await Text(HttpMethod.Post, "/api/v1/key/3600")).GetProperty("key").GetString()!;
        using var udp = new UdpTrackerClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, fixture.Tracker.Ports.Udp));
        await udp.ConnectAsync();
        await udp.AnnounceAsync(hash, TestPeers.NewPeerId(), 6881, left: 0, options: EndToEnd.PrivateModeTests.UrlData($"/announce/{key}"));
        Assert.Equal((1, 0, 0), (await udp.ScrapeAsync(hash))[0]);

        await Text(HttpMethod.Delete, $"/api/v1/key/{key}");
        Assert.Equal((0, 0, 0), (await udp.ScrapeAsync(hash))[0]);
    }

    private Task<string> Announce(string key, byte[] hash) => _http.GetStringAsync(
        $"http://127.0.0.1:{fixture.Tracker.Ports.Http}/announce/{key}?info_hash={TestPeers.PercentEncode(hash)}&peer_id={TestPeers.PercentEncode(TestPeers.NewPeerId())}&port=6881&left=0");

    private async Task<string[]> Whitelist() =>
        Json(await Text(HttpMethod.Get, "/api/v1/whitelist")).GetProperty("info_hashes").EnumerateArray().Select(e => e.GetString()!).ToArray();

    private async Task<string[]> Keys() =>
        Json(await Text(HttpMethod.Get, "/api/v1/keys")).GetProperty("keys").EnumerateArray().Select(e => e.GetProperty("key").GetString()!).ToArray();

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private async Task<string> Text(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, $"{Api}{path}?token={AdminTrackerFixture.Token}");
        if (body is not null)
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }
}
