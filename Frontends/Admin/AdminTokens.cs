using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace OrleansTracker.Frontends.Admin;

/// <summary>
/// Checks the API token of a request (<c>?token=</c> or <c>Authorization: Bearer</c>). Tokens are
/// compared as SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>: the
/// digests have one length, so the time taken reveals neither a matching prefix nor the length of
/// a configured token.
/// </summary>
public sealed class AdminTokens
{
    private readonly byte[][] _digests;

    public AdminTokens(IEnumerable<string> tokens) =>
        _digests = tokens.Select(t => SHA256.HashData(Encoding.UTF8.GetBytes(t))).ToArray();

    public TokenCheck Check(HttpRequest request)
    {
        var presented = Presented(request);
        if (string.IsNullOrEmpty(presented))
            return TokenCheck.Missing;
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        // Every configured token is compared, so the time does not depend on which one matched.
        foreach (var expected in _digests)
            match |= CryptographicOperations.FixedTimeEquals(digest, expected);
        return match ? TokenCheck.Accepted : TokenCheck.Wrong;
    }

    private static string? Presented(HttpRequest request)
    {
        var query = request.Query["token"];
        if (query.Count > 0)
            return query[0];
        foreach (var header in request.Headers.Authorization)
        {
            if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                return header["Bearer ".Length..].Trim();
        }
        return null;
    }
}

public enum TokenCheck
{
    Accepted,
    /// <summary>No token at all: 401.</summary>
    Missing,
    /// <summary>A token that is not configured: 403.</summary>
    Wrong,
}
