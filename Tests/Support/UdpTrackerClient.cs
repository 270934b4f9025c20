using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace OrleansTracker.Tests.Support;

/// <summary>
/// A minimal BEP 15 client for end-to-end tests. It builds its packets by hand from the BEP's
/// field list rather than with the tracker's codec, so a codec bug cannot hide itself.
/// </summary>
internal sealed class UdpTrackerClient : IDisposable
{
    private const long ProtocolId = 0x41727101980;
    private readonly Socket _socket;
    private readonly EndPoint _tracker;
    private readonly TimeSpan _timeout;
    private int _transaction = Random.Shared.Next();

    /// <param name="local">The client's own address (default the loopback of the tracker's family).</param>
    public UdpTrackerClient(IPEndPoint tracker, TimeSpan? timeout = null, IPAddress? local = null)
    {
        _tracker = tracker;
        _timeout = timeout ?? TimeSpan.FromSeconds(5);
        _socket = new Socket(tracker.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(local ?? (tracker.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback), 0));
    }

    public long ConnectionId { get; private set; }

    /// <summary>Uses an id another tracker node issued (a cluster shares the connection-id key).</summary>
    public void UseConnectionId(long connectionId) => ConnectionId = connectionId;

    public async Task<long> ConnectAsync()
    {
        var packet = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(packet, ProtocolId);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 0);
        var tid = NextTransaction();
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), tid);
        var answer = await ExchangeAsync(packet);
        Expect(answer, 0, tid, 16);
        ConnectionId = BinaryPrimitives.ReadInt64BigEndian(answer.AsSpan(8));
        return ConnectionId;
    }

    public async Task<UdpAnnounceAnswer> AnnounceAsync(
        byte[] infoHash, byte[] peerId, ushort port, long left, int udpEvent = 0, int numWant = -1,
        long downloaded = 0, long uploaded = 0, byte[]? options = null)
    {
        var packet = new byte[98 + (options?.Length ?? 0)];
        var tid = NextTransaction();
        BinaryPrimitives.WriteInt64BigEndian(packet, ConnectionId);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 1);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), tid);
        infoHash.CopyTo(packet, 16);
        peerId.CopyTo(packet, 36);
        BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(56), downloaded);
        BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(64), left);
        BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(72), uploaded);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(80), udpEvent);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(84), 0); // ip: use the source
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(88), 0x12345678); // key
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(92), numWant);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(96), port);
        options?.CopyTo(packet, 98);
        var answer = await ExchangeAsync(packet);
        if (BinaryPrimitives.ReadInt32BigEndian(answer) == 3)
            throw new UdpTrackerErrorException(System.Text.Encoding.UTF8.GetString(answer.AsSpan(8)));
        Expect(answer, 1, tid, 20);
        var peerLength = _tracker.AddressFamily == AddressFamily.InterNetwork ? 6 : 18;
        var peers = new List<IPEndPoint>();
        for (var offset = 20; offset + peerLength <= answer.Length; offset += peerLength)
        {
            var address = new IPAddress(answer.AsSpan(offset, peerLength - 2));
            peers.Add(new IPEndPoint(address, BinaryPrimitives.ReadUInt16BigEndian(answer.AsSpan(offset + peerLength - 2))));
        }
        Assert.Equal(0, (answer.Length - 20) % peerLength);
        return new UdpAnnounceAnswer(
            BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(8)),
            BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(12)),
            BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(16)),
            peers);
    }

    public async Task<(int Seeders, int Completed, int Leechers)[]> ScrapeAsync(params byte[][] infoHashes)
    {
        var packet = new byte[16 + 20 * infoHashes.Length];
        var tid = NextTransaction();
        BinaryPrimitives.WriteInt64BigEndian(packet, ConnectionId);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 2);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), tid);
        for (var i = 0; i < infoHashes.Length; i++)
            infoHashes[i].CopyTo(packet, 16 + 20 * i);
        var answer = await ExchangeAsync(packet);
        if (BinaryPrimitives.ReadInt32BigEndian(answer) == 3)
            throw new UdpTrackerErrorException(System.Text.Encoding.UTF8.GetString(answer.AsSpan(8)));
        Expect(answer, 2, tid, 8 + 12 * infoHashes.Length);
        Assert.Equal(8 + 12 * infoHashes.Length, answer.Length);
        return Enumerable.Range(0, infoHashes.Length).Select(i => (
            BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(8 + 12 * i)),
            BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(12 + 12 * i)),
            BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(16 + 12 * i)))).ToArray();
    }

    /// <summary>Sends raw bytes and returns the answer, or null when none comes within the timeout.</summary>
    public async Task<byte[]?> SendRawAsync(byte[] packet, TimeSpan? wait = null)
    {
        await _socket.SendToAsync(packet, SocketFlags.None, _tracker);
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(wait ?? _timeout);
        try
        {
            var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            return buffer[..received];
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<byte[]> ExchangeAsync(byte[] packet) =>
        await SendRawAsync(packet) ?? throw new TimeoutException("no answer from the tracker");

    private int NextTransaction() => Interlocked.Increment(ref _transaction);

    private static void Expect(byte[] answer, int action, int tid, int minLength)
    {
        Assert.True(answer.Length >= 8, "answer shorter than a header");
        var actual = BinaryPrimitives.ReadInt32BigEndian(answer);
        if (actual == 3)
            throw new UdpTrackerErrorException(System.Text.Encoding.UTF8.GetString(answer.AsSpan(8)));
        Assert.Equal(action, actual);
        Assert.Equal(tid, BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(4)));
        Assert.True(answer.Length >= minLength, $"answer of {answer.Length} bytes, expected at least {minLength}");
    }
}

internal sealed record UdpAnnounceAnswer(int Interval, int Leechers, int Seeders, IReadOnlyList<IPEndPoint> Peers);

internal sealed class UdpTrackerErrorException(string message) : Exception(message);
