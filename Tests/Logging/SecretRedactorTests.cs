using OrleansTracker.Silo.Logging;
using Xunit;

namespace OrleansTracker.Tests.Logging;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("GET http://127.0.0.1:1212/api/v1/stats?token=S3cret - -", "GET http://127.0.0.1:1212/api/v1/stats?token=*** - -")]
    [InlineData("/api/v1/torrents?offset=0&token=S3cret&limit=5", "/api/v1/torrents?offset=0&token=***&limit=5")]
    [InlineData("/api/v1/stats?TOKEN=S3cret", "/api/v1/stats?TOKEN=***")]
    [InlineData("/api/v1/stats?%74oken=S3cret", "/api/v1/stats?%74oken=***")]
    [InlineData("request path '/announce/AbCdEfGhIjKlMnOpQrStUvWxYz012345'", "request path '/announce/***'")]
    [InlineData("GET /ANNOUNCE/AbCdEfGh?info_hash=%01", "GET /ANNOUNCE/***?info_hash=%01")]
    [InlineData("/scrape/AbCdEfGh?info_hash=x", "/scrape/***?info_hash=x")]
    [InlineData("DELETE /api/v1/key/AbCdEfGh", "DELETE /api/v1/key/***")]
    [InlineData("Authorization: Bearer S3cret", "Authorization: Bearer ***")]
    [InlineData("Invalid request line: 'GET /announce/AbCd?token=S3cret HTTP/1.1 x'", "Invalid request line: 'GET /announce/***?token=*** HTTP/1.1 x'")]
    [InlineData("cannot reach mysql://tracker:s3cret@db:3306/tracker", "cannot reach mysql://tracker:***@db:3306/tracker")]
    [InlineData("Server=db;User ID=tracker;Password=s3cret;Database=t", "Server=db;User ID=tracker;Password=***;Database=t")]
    [InlineData("pwd=s3cret", "pwd=***")]
    public void secrets_are_masked(string line, string expected)
    {
        Assert.Equal(expected, SecretRedactor.Redact(line));
    }

    [Theory]
    [InlineData("Tracker ready: udp://[::]:6969/announce (mode public)")]
    [InlineData("Route pattern '/announce/{key}' matched")]
    [InlineData("/api/v1/torrents?offset=0&limit=5&tokens=3")]
    [InlineData("/announce?info_hash=%01%02&peer_id=-qB0000-&port=6881")]
    [InlineData("")]
    public void text_without_secrets_is_unchanged(string line)
    {
        Assert.Equal(line, SecretRedactor.Redact(line));
    }
}
