using System.Net;
using System.Net.Sockets;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Client;

/// <summary>Opens the session a tracker URL's scheme calls for.</summary>
public static class TrackerSessions
{
    public static async Task<ITrackerSession> OpenAsync(TrackerUrl url, TrackerClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        return url.Protocol switch
        {
            TrackerProtocol.Udp => new UdpUrlSession(
                UdpTrackerSession.Open(await ResolveAsync(url, options.Timeout, cancellationToken), options.Timeout / UdpUrlSession.Attempts, UdpUrlSession.Attempts),
                url.AnnouncePathAndQuery),
            TrackerProtocol.Http => new HttpTrackerSession(url, options),
            _ => await WebSocketTrackerSession.ConnectAsync(url, options, cancellationToken),
        };
    }

    /// <summary>The tracker's address: an IPv4 one when the name has both (most trackers listen on IPv4; [::1] or an IPv6-only name still works).</summary>
    private static async Task<IPEndPoint> ResolveAsync(TrackerUrl url, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(url.Host, out var literal))
            return new IPEndPoint(literal, url.Port);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(url.Host, bounded.Token);
        }
        catch (SocketException e)
        {
            throw new TrackerProtocolException($"cannot resolve {url.Host}: {e.Message}", e);
        }
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                      ?? throw new TrackerProtocolException($"{url.Host} has no address");
        return new IPEndPoint(address, url.Port);
    }

    /// <summary>
    /// A UDP tracker behind a URL: connects before the first request, and sends the URL's path and
    /// query (with the key) as BEP 41 URL data on each announce. The connection id is kept for the
    /// session; a client's session is seconds long, well inside the minute BEP 15 gives it.
    /// </summary>
    private sealed class UdpUrlSession(UdpTrackerSession session, string urlData) : ITrackerSession
    {
        /// <summary>Each request is sent this many times, each waiting its share of the timeout (a lost datagram is retried in time).</summary>
        public const int Attempts = 2;

        private bool _connected;

        public async Task<AnnounceAnswer> AnnounceAsync(ClientAnnounce announce, CancellationToken cancellationToken)
        {
            await EnsureConnectedAsync(cancellationToken);
            return await session.AnnounceAsync(announce, urlData, cancellationToken);
        }

        public async Task<ScrapeAnswer> ScrapeAsync(IReadOnlyList<InfoHash> hashes, CancellationToken cancellationToken)
        {
            await EnsureConnectedAsync(cancellationToken);
            return await session.ScrapeAsync(hashes, cancellationToken);
        }

        private async Task EnsureConnectedAsync(CancellationToken cancellationToken)
        {
            if (_connected)
                return;
            await session.ConnectAsync(cancellationToken);
            _connected = true;
        }

        public ValueTask DisposeAsync()
        {
            session.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
