using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>Every malformed value is a 400 with a JSON error naming it, never a 500.</summary>
public sealed class AdminBadInputTests(AdminTrackerFixture fixture) : IClassFixture<AdminTrackerFixture>, IDisposable
{
    private readonly HttpClient _http = AdminTrackerFixture.NewClient();
    private AdminApi Api => new(fixture, _http);

    public void Dispose() => _http.Dispose();

    public static TheoryData<string, string, string> BadPaths => new()
    {
        { "GET", "/api/v1/torrent/xyz", "info hash" },
        { "GET", "/api/v1/torrent/0123456789abcdef0123456789abcdef0123456", "info hash" },           // 39 digits
        { "GET", "/api/v1/torrent/0123456789abcdef0123456789abcdef0123456g", "info hash" },          // not hex
        { "POST", "/api/v1/whitelist/0123456789abcdef0123456789abcdef012345678", "info hash" },      // 41 digits
        { "DELETE", "/api/v1/whitelist/not-a-hash", "info hash" },
        { "DELETE", "/api/v1/key/tooShort", "key" },
        { "DELETE", "/api/v1/key/YZSl4lMZupRuOpSRC3krIKR5BPB14nr!", "key" },
        { "POST", "/api/v1/key/abc", "seconds_valid" },
        { "POST", "/api/v1/key/0", "seconds_valid" },
        { "POST", "/api/v1/key/-5", "seconds_valid" },
        { "POST", "/api/v1/key/99999999999999999999", "seconds_valid" },
        { "GET", "/api/v1/torrents?offset=-1", "offset" },
        { "GET", "/api/v1/torrents?offset=abc", "offset" },
        { "GET", "/api/v1/torrents?limit=4001", "limit" },
        { "GET", "/api/v1/torrents?limit=1e3", "limit" },
        { "GET", "/api/v1/torrents?info_hash=abc", "info hash" },
        { "GET", "/api/v1/stats?format=xml", "format" },
        { "GET", "/api/v1/metrics?format=", "format" },
    };

    [Theory]
    [MemberData(nameof(BadPaths))]
    public Task a_malformed_path_or_query_value_is_a_400_naming_it(string method, string path, string mentions) =>
        Api.ExpectBadRequest(new HttpMethod(method), path, mentions);

    public static TheoryData<string, string> BadKeyBodies => new()
    {
        { "", "body" },
        { "not json", "JSON" },
        { "[1, 2]", "JSON" },
        { """{"key": 5, "seconds_valid": 60}""", "JSON" },
        { """{"key": "short", "seconds_valid": 60}""", "key" },
        { """{"key": null, "seconds_valid": 0}""", "seconds_valid" },
        { """{"key": null, "seconds_valid": -60}""", "seconds_valid" },
        { """{"key": null, "seconds_valid": "sixty"}""", "JSON" },
    };

    [Theory]
    [MemberData(nameof(BadKeyBodies))]
    public Task a_malformed_key_request_body_is_a_400_naming_the_problem(string body, string mentions) =>
        Api.ExpectBadRequest(HttpMethod.Post, "/api/v1/keys", mentions, body);

    [Fact]
    public async Task a_key_request_body_over_4_kib_is_a_400()
    {
        var huge = "{\"key\": null, \"seconds_valid\": 60, \"padding\": \"" + new string('x', 5000) + "\"}";
        await Api.ExpectBadRequest(HttpMethod.Post, "/api/v1/keys", "larger than", huge);
    }
}
