using System.Net;
using System.Text.Json;
using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>The OpenAPI document at /api/openapi.json describes exactly the routes that answer.</summary>
public sealed class AdminOpenApiTests(AdminTrackerFixture fixture) : IClassFixture<AdminTrackerFixture>, IDisposable
{
    /// <summary>Every route the API maps (method and template), as in Frontends/Admin/AdminEndpoints.cs.</summary>
    private static readonly string[] Routes =
    [
        "GET /api/health_check", "GET /api/openapi.json",
        "GET /api/v1/stats", "GET /api/v1/metrics", "GET /api/v1/torrent/{info_hash}", "GET /api/v1/torrents",
        "POST /api/v1/whitelist/{info_hash}", "DELETE /api/v1/whitelist/{info_hash}", "GET /api/v1/whitelist/reload", "GET /api/v1/whitelist",
        "POST /api/v1/keys", "GET /api/v1/keys", "GET /api/v1/keys/reload", "POST /api/v1/key/{seconds_valid}", "DELETE /api/v1/key/{key}",
    ];

    private readonly HttpClient _http = AdminTrackerFixture.NewClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task the_document_is_served_without_a_token_and_lists_every_route_once()
    {
        var document = await Document();
        Assert.Equal("3.0.3", document.GetProperty("openapi").GetString());
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name}"))
            .ToList();
        Assert.Equal(Routes.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task every_documented_operation_answers_on_the_api_port_and_every_schema_reference_resolves()
    {
        var document = await Document();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            // Malformed path values: a mapped route answers 400 (or 200), an unmapped one 404/405.
            var url = path.Name.Replace("{info_hash}", "nothex", StringComparison.Ordinal)
                .Replace("{seconds_valid}", "x", StringComparison.Ordinal).Replace("{key}", "x", StringComparison.Ordinal);
            foreach (var method in path.Value.EnumerateObject())
            {
                using var request = new HttpRequestMessage(new HttpMethod(method.Name.ToUpperInvariant()), $"{fixture.Api}{url}?token={AdminTrackerFixture.Token}");
                using var response = await _http.SendAsync(request);
                Assert.True(response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed),
                    $"{method.Name} {path.Name}: {(int)response.StatusCode}");
            }
        }
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var text = document.GetRawText();
        foreach (var reference in System.Text.RegularExpressions.Regex.Matches(text, "#/components/schemas/(\\w+)").Select(m => m.Groups[1].Value).Distinct())
            Assert.True(schemas.TryGetProperty(reference, out _), $"schema {reference} is referenced but not defined");
    }

    private async Task<JsonElement> Document()
    {
        using var response = await _http.GetAsync($"{fixture.Api}/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
