using System.Net;
using System.Text.Json;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>Tokens, the health check and the port separation, over real HTTP against the real process.</summary>
public sealed class AdminAuthTests(AdminTrackerFixture fixture) : IClassFixture<AdminTrackerFixture>, IDisposable
{
    private readonly HttpClient _http = AdminTrackerFixture.NewClient();

    public void Dispose() => _http.Dispose();

    /// <summary>Every route that needs a token (paths are well-formed, so only the token decides).</summary>
    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "GET", "/api/v1/stats" },
        { "GET", "/api/v1/metrics?format=prometheus" },
        { "GET", "/api/v1/torrents" },
        { "GET", "/api/v1/torrent/0123456789abcdef0123456789abcdef01234567" },
        { "POST", "/api/v1/whitelist/0123456789abcdef0123456789abcdef01234567" },
        { "DELETE", "/api/v1/whitelist/0123456789abcdef0123456789abcdef01234567" },
        { "GET", "/api/v1/whitelist/reload" },
        { "GET", "/api/v1/whitelist" },
        { "POST", "/api/v1/keys" },
        { "GET", "/api/v1/keys" },
        { "GET", "/api/v1/keys/reload" },
        { "POST", "/api/v1/key/3600" },
        { "DELETE", "/api/v1/key/YZSl4lMZupRuOpSRC3krIKR5BPB14nrJ" },
    };

    [Fact]
    public async Task health_check_answers_ok_without_a_token()
    {
        using var response = await _http.GetAsync($"{fixture.Api}/api/health_check");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"status":"Ok"}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task a_request_without_a_token_is_refused_with_401(string method, string path)
    {
        using var response = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), fixture.Api + path));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("token", await ErrorOf(response), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task a_request_with_a_wrong_token_is_refused_with_403(string method, string path)
    {
        using var byQuery = await _http.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"{fixture.Api}{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}token=MyAccessTokeN"));
        Assert.Equal(HttpStatusCode.Forbidden, byQuery.StatusCode);
        Assert.NotEmpty(await ErrorOf(byQuery));

        using var request = new HttpRequestMessage(new HttpMethod(method), fixture.Api + path);
        request.Headers.Authorization = AdminTrackerFixture.Bearer("MyAccessToken-and-more");
        using var byHeader = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, byHeader.StatusCode);
    }

    [Fact]
    public async Task every_configured_token_is_accepted_by_query_and_by_bearer_header()
    {
        using var byQuery = await _http.GetAsync($"{fixture.Api}/api/v1/stats?token={AdminTrackerFixture.OtherToken}");
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{fixture.Api}/api/v1/stats");
        request.Headers.Authorization = AdminTrackerFixture.Bearer(AdminTrackerFixture.Token);
        using var byHeader = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
    }

    [Fact]
    public async Task api_routes_do_not_answer_on_the_tracker_port_nor_tracker_routes_on_the_api_port()
    {
        using var apiOnTracker = await _http.GetAsync($"{fixture.Http4}/api/health_check");
        Assert.Equal(HttpStatusCode.NotFound, apiOnTracker.StatusCode);
        using var statsOnTracker = await _http.GetAsync($"{fixture.Http4}/api/v1/stats?token={AdminTrackerFixture.Token}");
        Assert.Equal(HttpStatusCode.NotFound, statsOnTracker.StatusCode);

        var hash = TestPeers.PercentEncode(TestPeers.NewInfoHash());
        var peer = TestPeers.PercentEncode(TestPeers.NewPeerId());
        using var announceOnApi = await _http.GetAsync($"{fixture.Api}/announce?info_hash={hash}&peer_id={peer}&port=6881&left=0");
        Assert.Equal(HttpStatusCode.NotFound, announceOnApi.StatusCode);
    }

    internal static async Task<string> ErrorOf(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var property = Assert.Single(json.RootElement.EnumerateObject());
        Assert.Equal("error", property.Name);
        return property.Value.GetString()!;
    }
}
