using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Client;

/// <summary>
/// One client's BEP 15 exchanges with one UDP tracker: connect, then announces and scrapes with the
/// connection id. Each request is sent up to <c>attempts</c> times, waiting <c>timeout</c> for the
/// answer with its transaction id (others are stray and skipped). For operators' tools and the
/// health check, not for load: it allocates freely.
/// </summary>
public sealed class UdpTrackerSession : IDisposable
{
    private readonly Socket _socket;
    private readonly IPEndPoint _tracker;
    private readonly TimeSpan _timeout;
    private readonly int _attempts;
    private readonly byte[] _send = new byte[UdpClientMessages.MaxRequestLength];
    private readonly byte[] _receive = new byte[65_536];
    private long _connectionId;

    private UdpTrackerSession(Socket socket, IPEndPoint tracker, TimeSpan timeout, int attempts) =>
        (_socket, _tracker, _timeout, _attempts) = (socket, tracker, timeout, Math.Max(1, attempts));

    /// <param name="local">The address to send from; any when null.</param>
    public static UdpTrackerSession Open(IPEndPoint tracker, TimeSpan timeout, int attempts = 2, IPEndPoint? local = null)
    {
        ArgumentNullException.ThrowIfNull(tracker);
        var socket = new Socket(tracker.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (local is not null)
                socket.Bind(local);
            socket.Connect(tracker);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new UdpTrackerSession(socket, tracker, timeout, attempts);
    }

    /// <summary>The address the tracker sees (this socket's local end).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Sends a connect and keeps the connection id for the requests after it.</summary>
    public async Task<long> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var transaction = NewTransactionId();
        var length = UdpClientMessages.WriteConnect(_send, transaction);
        var answer = await ExchangeAsync(length, transaction, UdpAction.Connect, cancellationToken);
        if (!UdpClientMessages.TryReadConnect(answer.Span, out _connectionId))
            throw new TrackerProtocolException($"connect answer of {answer.Length} bytes is too short");
        return _connectionId;
    }

    /// <param name="urlData">The announce URL's path and query (BEP 41), e.g. "/announce/KEY"; empty for none.</param>
    public async Task<AnnounceAnswer> AnnounceAsync(ClientAnnounce announce, string urlData, CancellationToken cancellationToken = default)
    {
        var transaction = NewTransactionId();
        var length = UdpClientMessages.WriteAnnounce(_send, _connectionId, transaction, announce, Encoding.UTF8.GetBytes(urlData));
        var answer = await ExchangeAsync(length, transaction, UdpAction.Announce, cancellationToken);
        if (answer.Length == UdpLayout.ResponseHeaderLength)
        {
            // An answer with no body says no without a reason: opentracker answers so for a hash off its whitelist.
            throw new TrackerFailureException("the tracker answered the announce with no interval and no counts (refused without a reason)");
        }
        if (!UdpClientMessages.TryReadAnnounce(answer.Span, out var interval, out var leechers, out var seeders))
            throw new TrackerProtocolException($"announce answer of {answer.Length} bytes is too short");
        var peers = CompactPeers.Read(answer.Span[UdpLayout.AnnounceResponseHeaderLength..],
            _socket.AddressFamily == AddressFamily.InterNetwork ? PeerEndpoint.CompactIPv4Length : PeerEndpoint.CompactIPv6Length);
        return new AnnounceAnswer(interval, null, seeders, leechers, peers);
    }

    public async Task<ScrapeAnswer> ScrapeAsync(IReadOnlyList<InfoHash> hashes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var transaction = NewTransactionId();
        var length = UdpClientMessages.WriteScrape(_send, _connectionId, transaction, hashes.ToArray());
        var answer = await ExchangeAsync(length, transaction, UdpAction.Scrape, cancellationToken);
        var files = new List<ScrapeEntry>(hashes.Count);
        for (var i = 0; i < hashes.Count; i++)
        {
            if (!UdpClientMessages.TryReadScrapeEntry(answer.Span, i, out var counts))
                throw new TrackerProtocolException($"scrape answer of {answer.Length} bytes holds fewer than {hashes.Count} entries");
            files.Add(new ScrapeEntry(hashes[i], counts));
        }
        return new ScrapeAnswer(files);
    }

    private async Task<ReadOnlyMemory<byte>> ExchangeAsync(int length, int transaction, UdpAction expected, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await _socket.SendAsync(_send.AsMemory(0, length), SocketFlags.None, cancellationToken);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(_timeout);
            try
            {
                while (true)
                {
                    var received = await _socket.ReceiveAsync(_receive, SocketFlags.None, wait.Token);
                    var answer = _receive.AsMemory(0, received);
                    if (!UdpClientMessages.TryReadHeader(answer.Span, out var action, out var id) || id != transaction)
                        continue; // a late answer to an earlier attempt, or not an answer at all
                    if (action == UdpAction.Error)
                        throw new TrackerFailureException(Encoding.UTF8.GetString(UdpClientMessages.ErrorMessage(answer.Span)));
                    if (action != expected)
                        throw new TrackerProtocolException($"answered action {(int)action} to a {expected}");
                    return answer;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (attempt >= _attempts)
                    throw new TrackerProtocolException($"no answer to the {expected.ToString().ToLowerInvariant()} within {_timeout.TotalSeconds:0.#} s ({attempt} attempts)");
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // ICMP port unreachable: nothing listens there.
                throw new TrackerProtocolException($"nothing listens on udp {_tracker} (connection refused)");
            }
        }
    }

    private static int NewTransactionId() => RandomNumberGenerator.GetInt32(int.MaxValue);

    public void Dispose() => _socket.Dispose();
}
