using System.Net;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Logic;

/// <summary>
/// Which address a request counts as coming from: the transport's source, or for HTTP behind a
/// reverse proxy (on_reverse_proxy) the address the proxy forwarded; then external_ip in place of
/// a loopback address. One rule for announces and scrapes of every protocol.
/// </summary>
internal sealed class ClientAddress
{
    private readonly bool _onReverseProxy;
    private readonly PeerEndpoint? _externalIp;

    public ClientAddress(FrontendOptions options)
    {
        _onReverseProxy = options.OnReverseProxy;
        if (options.ExternalIp is { } ip)
            _externalIp = PeerEndpoint.FromIPAddress(ip, 0);
    }

    /// <summary>False when the address cannot be known: no source, or behind a proxy no valid forwarded address.</summary>
    public bool TryResolve(in ClientOrigin origin, out PeerEndpoint client)
    {
        client = default;
        PeerEndpoint address;
        if (_onReverseProxy && origin.OverHttp)
        {
            if (!TryParseForwarded(origin.ForwardedFor, out address))
                return false;
        }
        else if (origin.Source is { } source)
        {
            address = source;
        }
        else
        {
            return false;
        }
        // Without external_ip loopback stays loopback; with it, peers on the tracker's own host
        // are handed out at an address others can reach.
        client = address.IsLoopback && _externalIp is { } external ? external : address.WithPort(0);
        return true;
    }

    /// <summary>
    /// The right-most entry of the last X-Forwarded-For field is the one the proxy itself added;
    /// entries to its left are whatever the client chose to send, so they are never trusted.
    /// </summary>
    private static bool TryParseForwarded(ReadOnlySpan<char> forwardedFor, out PeerEndpoint address)
    {
        address = default;
        var comma = forwardedFor.LastIndexOf(',');
        var candidate = (comma >= 0 ? forwardedFor[(comma + 1)..] : forwardedFor).Trim();
        if (candidate.IsEmpty || !IPAddress.TryParse(candidate, out var ip))
            return false;
        address = PeerEndpoint.FromIPAddress(ip, 0);
        return true;
    }
}
