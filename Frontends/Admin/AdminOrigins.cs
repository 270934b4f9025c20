using System.Net;
using Microsoft.AspNetCore.Http;

namespace OrleansTracker.Frontends.Admin;

/// <summary>
/// Keeps web pages from driving the API through the operator's browser. Two rules:
/// <list type="bullet">
/// <item>The Host header must name the API itself: the address the client connected to,
/// <c>localhost</c> on a loopback connection, or a name in <c>allowed_hosts</c>. A page that
/// rebinds its own DNS name to 127.0.0.1 sends its own name, and is refused (DNS rebinding).</item>
/// <item>A write (POST, PUT, PATCH, DELETE) carrying an <c>Origin</c> must come from the API's own
/// origin. Browsers send Origin with every cross-origin write, including the "simple" ones a
/// form or <c>fetch</c> sends without a preflight (a bodiless POST, <c>text/plain</c>); scripts
/// and command-line clients send none and are not affected.</item>
/// </list>
/// Reads need no Origin rule: without CORS headers a page cannot read the response.
/// </summary>
internal sealed class AdminOrigins(IReadOnlyList<string> allowedHosts)
{
    private readonly HashSet<string> _allowed = new(allowedHosts, StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when the request may go on, else why not (403).</summary>
    public string? Refusal(HttpContext context)
    {
        var host = context.Request.Host;
        // No Host at all is HTTP/1.0 from a script: a browser always sends one.
        if (host.HasValue && !IsOwnName(context, host.Host))
            return $"Host '{Clip(host.Value)}' is not this API's address; add the name to http_api.allowed_hosts to use it";
        if (IsWrite(context.Request.Method) && context.Request.Headers.Origin is { Count: > 0 } origin && !IsOwnOrigin(context, origin[^1]))
            return $"cross-origin write refused (Origin '{Clip(origin[^1] ?? "")}')";
        return null;
    }

    private static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>Scheme, host and port of the API as this connection reached it; "null" (opaque origins) never matches.</summary>
    private bool IsOwnOrigin(HttpContext context, string? origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme == (context.Request.IsHttps ? Uri.UriSchemeHttps : Uri.UriSchemeHttp)
        && uri.Port == context.Connection.LocalPort
        && uri.AbsolutePath == "/"
        && IsOwnName(context, uri.Host);

    private bool IsOwnName(HttpContext context, string name)
    {
        var bare = name.StartsWith('[') && name.EndsWith(']') ? name[1..^1] : name;
        if (_allowed.Contains(bare))
            return true;
        var local = Normal(context.Connection.LocalIpAddress);
        if (local is null)
            return false;
        if (string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase))
            return IPAddress.IsLoopback(local);
        return IPAddress.TryParse(bare, out var address) && Normal(address)!.Equals(local);
    }

    private static IPAddress? Normal(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
