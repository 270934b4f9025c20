using System.Net;
using Microsoft.AspNetCore.Http;

namespace OrleansTracker.Frontends.Http;

/// <summary>Where an HTTP announce came from: the connection, or the proxy's X-Forwarded-For.</summary>
internal static class ClientAddress
{
    /// <summary>
    /// Behind a reverse proxy the right-most X-Forwarded-For entry is the one the proxy itself
    /// added; entries to its left are whatever the client chose to send, so they are never trusted.
    /// </summary>
    public static bool TryResolve(HttpContext context, bool onReverseProxy, out IPAddress address)
    {
        if (!onReverseProxy)
        {
            address = context.Connection.RemoteIpAddress ?? IPAddress.None;
            return context.Connection.RemoteIpAddress is not null;
        }
        address = IPAddress.None;
        var header = context.Request.Headers["X-Forwarded-For"];
        if (header.Count == 0)
            return false;
        var last = header[^1].AsSpan();
        var comma = last.LastIndexOf(',');
        var candidate = (comma >= 0 ? last[(comma + 1)..] : last).Trim();
        return IPAddress.TryParse(candidate, out address!);
    }
}
