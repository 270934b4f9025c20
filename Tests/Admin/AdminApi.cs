using System.Net;
using System.Text.Json;
using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>Small helpers for calling the admin API of a fixture's tracker with the token.</summary>
internal sealed class AdminApi(AdminTrackerFixture fixture, HttpClient http)
{
    public string Url(string pathAndQuery) =>
        $"{fixture.Api}{pathAndQuery}{(pathAndQuery.Contains('?', StringComparison.Ordinal) ? '&' : '?')}token={AdminTrackerFixture.Token}";

    public Task<HttpResponseMessage> Send(HttpMethod method, string pathAndQuery, string? jsonBody = null)
    {
        var request = new HttpRequestMessage(method, Url(pathAndQuery));
        if (jsonBody is not null)
            request.Content = new StringContent(jsonBody, System.Text.Encoding.UTF8, "application/json");
        return http.SendAsync(request);
    }

    /// <summary>A 200 answer's JSON.</summary>
    public async Task<JsonElement> Json(HttpMethod method, string pathAndQuery, string? jsonBody = null)
    {
        using var response = await Send(method, pathAndQuery, jsonBody);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {pathAndQuery}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> Get(string pathAndQuery) => Json(HttpMethod.Get, pathAndQuery);

    /// <summary>Status 400 and a JSON <c>{"error": "…"}</c> naming <paramref name="mentions"/>.</summary>
    public async Task ExpectBadRequest(HttpMethod method, string pathAndQuery, string mentions, string? jsonBody = null)
    {
        using var response = await Send(method, pathAndQuery, jsonBody);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest,
            $"{method} {pathAndQuery}: expected 400, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var error = await AdminAuthTests.ErrorOf(response);
        Assert.Contains(mentions, error, StringComparison.Ordinal);
    }
}
