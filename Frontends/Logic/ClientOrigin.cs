using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Logic;

/// <summary>
/// Where a request came from, as its transport saw it. Which address counts is the seam's rule
/// (<see cref="ClientAddress"/>), not the frontend's.
/// </summary>
public readonly ref struct ClientOrigin
{
    private ClientOrigin(PeerEndpoint? source, ReadOnlySpan<char> forwardedFor, bool overHttp, long connectionId)
    {
        Source = source;
        ForwardedFor = forwardedFor;
        OverHttp = overHttp;
        ConnectionId = connectionId;
    }

    /// <summary>The connection's or datagram's source address (its port is not used); null when the transport reported none.</summary>
    public PeerEndpoint? Source { get; }

    /// <summary>The last <c>X-Forwarded-For</c> field of an HTTP request; empty when none.</summary>
    public ReadOnlySpan<char> ForwardedFor { get; }

    /// <summary>HTTP (and anything upgraded from it): on_reverse_proxy applies.</summary>
    public bool OverHttp { get; }

    /// <summary>
    /// The BEP 15 connection id the datagram carried, which the frontend has verified for
    /// <see cref="Source"/>: with the address it names one sender for its two-minute lifetime
    /// (a private tracker's UDP scrape is answered for senders that announced with a valid key).
    /// 0 when there is none (HTTP, or a test).
    /// </summary>
    public long ConnectionId { get; }

    /// <summary>A UDP datagram: its source is the client, whatever on_reverse_proxy says.</summary>
    public static ClientOrigin Datagram(PeerEndpoint source, long verifiedConnectionId = 0) => new(source, default, overHttp: false, verifiedConnectionId);

    /// <summary>An HTTP request: behind a reverse proxy, the address the proxy forwarded counts.</summary>
    public static ClientOrigin Http(PeerEndpoint? connection, ReadOnlySpan<char> forwardedFor) => new(connection, forwardedFor, overHttp: true, connectionId: 0);
}
