using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansTracker.Tests.Cluster;

/// <summary>What became of one UDP announce: its live counts, a BEP 15 error, or no answer in time.</summary>
internal readonly record struct UdpOutcome(int Seeders, int Leechers, string? Error, bool Unanswered)
{
    public bool Answered => Error is null && !Unanswered;
}

/// <summary>
/// Many BEP 15 announces in flight at once from one socket (so one connection id serves every node
/// of a cluster), each matched to its answer by transaction id and bounded by its own timeout:
/// what a busy client population looks like to the tracker, without a socket per request.
/// </summary>
internal sealed class UdpBurstClient : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<byte[]>> _waiting = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private int _transaction;
    private long _connectionId;

    public UdpBurstClient()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _receiving = Task.Run(ReceiveLoop);
    }

    /// <summary>Connects through <paramref name="udpPort"/>; the id then serves every node (the cluster shares its key).</summary>
    public async Task ConnectAsync(int udpPort, TimeSpan timeout)
    {
        var packet = new byte[16];
        BinaryPrimitives.WriteInt64BigEndian(packet, 0x41727101980);
        var answer = await ExchangeAsync(udpPort, packet, timeout) ?? throw new TimeoutException("no answer to connect");
        _connectionId = BinaryPrimitives.ReadInt64BigEndian(answer.AsSpan(8));
    }

    public async Task<UdpOutcome> AnnounceAsync(int udpPort, byte[] infoHash, byte[] peerId, ushort peerPort, long left, int udpEvent, TimeSpan timeout)
    {
        var packet = new byte[98];
        BinaryPrimitives.WriteInt64BigEndian(packet, _connectionId);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 1);
        infoHash.CopyTo(packet, 16);
        peerId.CopyTo(packet, 36);
        BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(64), left);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(80), udpEvent);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(92), -1);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(96), peerPort);
        var answer = await ExchangeAsync(udpPort, packet, timeout);
        if (answer is null)
            return new UdpOutcome(0, 0, null, Unanswered: true);
        if (BinaryPrimitives.ReadInt32BigEndian(answer) == 3)
            return new UdpOutcome(0, 0, Encoding.UTF8.GetString(answer.AsSpan(8)), false);
        return new UdpOutcome(BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(12)), null, false);
    }

    private async Task<byte[]?> ExchangeAsync(int udpPort, byte[] packet, TimeSpan timeout)
    {
        var transaction = Interlocked.Increment(ref _transaction);
        BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), transaction);
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[transaction] = answer;
        try
        {
            await _socket.SendToAsync(packet, SocketFlags.None, new IPEndPoint(IPAddress.Loopback, udpPort));
            return await answer.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            _waiting.TryRemove(transaction, out _);
        }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[2048];
        while (!_stop.IsCancellationRequested)
        {
            int received;
            try
            {
                received = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                    return;
                continue;
            }
            if (received >= 8 && _waiting.TryGetValue(BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(4)), out var waiter))
                waiter.TrySetResult(buffer[..received]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _receiving.ConfigureAwait(false);
        _stop.Dispose();
    }
}
