using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OrleansTracker.Silo.Config;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.Admin;

/// <summary>The admin API with one extra host name allowed.</summary>
public sealed class AdminBrowserFixture() : AdminTrackerFixture(Config.Replace(
    "bind_address = \"127.0.0.1:{api}\"", "bind_address = \"127.0.0.1:{api}\"\nallowed_hosts = [\"admin.example.test\"]", StringComparison.Ordinal));

/// <summary>
/// A web page the operator opens must not drive the admin API through the browser: the Host
/// header must name the API (DNS rebinding), writes from another origin are refused, and the key
/// body must be JSON. Against the real tracker process, and once with a real browser.
/// </summary>
public sealed class AdminBrowserTests(AdminBrowserFixture fixture) : IClassFixture<AdminBrowserFixture>, IDisposable
{
    private readonly HttpClient _http = AdminTrackerFixture.NewClient();

    private AdminApi Api => new(fixture, _http);

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData("127.0.0.1", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:{api}", HttpStatusCode.OK)]
    [InlineData("localhost:{api}", HttpStatusCode.OK)]
    [InlineData("ADMIN.example.test", HttpStatusCode.OK)]
    [InlineData("rebound.example:{api}", HttpStatusCode.Forbidden)]
    [InlineData("[::1]:{api}", HttpStatusCode.Forbidden)]   // an address, but not the one this connection reached
    [InlineData("127.0.0.2:{api}", HttpStatusCode.Forbidden)]
    public async Task the_host_header_must_name_the_api(string host, HttpStatusCode expected)
    {
        foreach (var path in new[] { "/api/health_check", $"/api/v1/stats?token={AdminTrackerFixture.Token}" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Api + path);
            request.Headers.Host = host.Replace("{api}", fixture.Tracker.Ports.Api.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            using var response = await _http.SendAsync(request);
            Assert.Equal(expected, response.StatusCode);
            if (expected == HttpStatusCode.Forbidden)
                Assert.Contains("allowed_hosts", await AdminAuthTests.ErrorOf(response), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task a_key_body_that_is_not_json_is_a_415_and_adds_nothing(string? contentType)
    {
        var before = await Keys();
        using var request = new HttpRequestMessage(HttpMethod.Post, Api.Url("/api/v1/keys"))
        {
            Content = new ByteArrayContent("""{"key": null, "seconds_valid": 60}"""u8.ToArray()),
        };
        request.Content.Headers.ContentType = contentType is null ? null : new MediaTypeHeaderValue(contentType);
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("application/json", await AdminAuthTests.ErrorOf(response), StringComparison.Ordinal);
        Assert.Equal(before, await Keys());

        using var json = new HttpRequestMessage(HttpMethod.Post, Api.Url("/api/v1/keys"))
        {
            Content = new StringContent("""{"key": null, "seconds_valid": 60}""", Encoding.UTF8, "application/json"),
        };
        using var accepted = await _http.SendAsync(json);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Theory]
    [InlineData("http://attacker.example")]
    [InlineData("null")]
    [InlineData("http://127.0.0.1:1")]            // another local service
    [InlineData("https://127.0.0.1:{api}")]       // another scheme
    public async Task a_write_from_another_origin_is_refused(string origin)
    {
        var hash = Convert.ToHexString(TestPeers.NewInfoHash()).ToLowerInvariant();
        origin = origin.Replace("{api}", fixture.Tracker.Ports.Api.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, Api.Url($"/api/v1/whitelist/{hash}"));
            request.Headers.Add("Origin", origin);
            using var response = await _http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("cross-origin", await AdminAuthTests.ErrorOf(response), StringComparison.Ordinal);
        }
        Assert.DoesNotContain(hash, await Whitelist());
        // Reads are not writes: a page cannot read the response anyway.
        using var read = new HttpRequestMessage(HttpMethod.Get, Api.Url("/api/v1/whitelist"));
        read.Headers.Add("Origin", origin);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(read)).StatusCode);
    }

    [Fact]
    public async Task a_write_from_the_apis_own_origin_or_without_one_is_served()
    {
        var own = Convert.ToHexString(TestPeers.NewInfoHash()).ToLowerInvariant();
        using var request = new HttpRequestMessage(HttpMethod.Post, Api.Url($"/api/v1/whitelist/{own}"));
        request.Headers.Add("Origin", fixture.Api);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(request)).StatusCode);
        var script = Convert.ToHexString(TestPeers.NewInfoHash()).ToLowerInvariant();
        await Api.Json(HttpMethod.Post, $"/api/v1/whitelist/{script}");
        Assert.Contains(own, await Whitelist());
        Assert.Contains(script, await Whitelist());
    }

    /// <summary>
    /// The attack itself: a page on another local origin, opened in headless chromium, sends the
    /// two requests a browser sends without asking first (a bodiless POST and a text/plain POST,
    /// with the token in the URL), then pings the test. Neither may change anything.
    /// </summary>
    [ChromiumFact]
    public async Task a_page_in_a_real_browser_cannot_whitelist_or_add_keys()
    {
        var hash = Convert.ToHexString(TestPeers.NewInfoHash()).ToLowerInvariant();
        var keysBefore = await Keys();
        var pagePort = FreePorts.Next();
        using var page = new HttpListener { Prefixes = { $"http://127.0.0.1:{pagePort}/" } };
        page.Start();
        var whitelistUrl = Api.Url($"/api/v1/whitelist/{hash}");
        var keysUrl = Api.Url("/api/v1/keys");
        var html = $$"""
            <html><body><script>
            const simple = { method: 'POST', mode: 'no-cors' };
            Promise.allSettled([
              fetch('{{whitelistUrl}}', simple),
              fetch('{{keysUrl}}', { ...simple, headers: { 'Content-Type': 'text/plain' }, body: '{"key": null, "seconds_valid": 60}' }),
            ]).then(() => fetch('/done')).then(() => document.body.append('sent'));
            </script></body></html>
            """;
        var reported = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serving = Serve(page, html, reported);
        var done = reported.Task;
        var browser = HeadlessChromium.DumpDom($"http://127.0.0.1:{pagePort}/");
        var finished = await Eventually.Holds(() => Task.FromResult(done.IsCompleted), TimeSpan.FromSeconds(60));
        Assert.True(finished, "the page never reported that its requests were answered");
        await browser;
        page.Stop();
        await serving;
        Assert.DoesNotContain(hash, await Whitelist());
        Assert.Equal(keysBefore, await Keys());
    }

    /// <summary>
    /// Serves the page and answers everything else the browser asks for (its favicon: 404) until
    /// the listener stops: a request left unanswered keeps headless chromium's virtual clock from
    /// running out, so it would never exit. Completes <paramref name="done"/> when the page asks for /done.
    /// </summary>
    private static async Task Serve(HttpListener listener, string html, TaskCompletionSource done)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var path = context.Request.Url?.AbsolutePath;
            var body = Encoding.UTF8.GetBytes(path == "/done" ? "ok" : path == "/" ? html : "");
            context.Response.StatusCode = path is "/" or "/done" ? 200 : 404;
            context.Response.ContentType = "text/html";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
            if (path == "/done")
                done.TrySetResult();
        }
    }

    private async Task<string[]> Whitelist() =>
        (await Api.Get("/api/v1/whitelist")).GetProperty("info_hashes").EnumerateArray().Select(e => e.GetString()!).ToArray();

    private async Task<string[]> Keys() =>
        (await Api.Get("/api/v1/keys")).GetProperty("keys").EnumerateArray().Select(e => e.GetProperty("key").GetString()!).Order().ToArray();

    /// <summary>allowed_hosts is read from the file and from its variable, lower-cased; a URL is refused naming the key.</summary>
    [Fact]
    public void allowed_hosts_takes_bare_names_and_addresses()
    {
        var read = ConfigLoader.LoadFromText("[http_api]\nallowed_hosts = [\"Admin.Example.org\", \"::1\", \"203.0.113.5\"]\n", "config.toml");
        Assert.Equal(["admin.example.org", "::1", "203.0.113.5"], read.HttpApi.AllowedHosts.ToArray());
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFromText("[http_api]\nallowed_hosts = [\"https://admin.example.org:443\"]\n", "config.toml"));
        Assert.Contains("http_api.allowed_hosts", error.Message, StringComparison.Ordinal);
    }
}
