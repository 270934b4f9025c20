using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using OrleansTracker.Tests.Support;
using Xunit;

namespace OrleansTracker.Tests.EndToEnd;

/// <summary>
/// Bursts of BEP 15 requests from several sockets at once against the real tracker process, so
/// the socket reads and writes many datagrams per system call: every answer reaches the socket
/// that asked, with its transaction id; junk is answered with an error or dropped, never mixed in.
/// </summary>
public sealed class UdpBurstEndToEndTests(PublicTrackerFixture fixture) : IClassFixture<PublicTrackerFixture>
{
    private const long ProtocolId = 0x41727101980;
    private const int Burst = 30;
    private const int Junk = 5;

    [Fact]
    public async Task bursts_from_ipv4_and_ipv6_sockets_are_each_answered_to_their_sender()
    {
        var port = fixture.Tracker.Ports.Udp;
        var hash = TestPeers.NewInfoHash();
        var clients = Enumerable.Range(0, 6)
            .Select(i => new BurstClient(i % 2 == 0 ? IPAddress.Loopback : IPAddress.IPv6Loopback, port, i << 16))
            .ToList();
        try
        {
            await Task.WhenAll(clients.Select(client => Task.Run(() => client.RunAsync(hash))));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private sealed class BurstClient : IDisposable
    {
        private readonly Socket _socket;
        private readonly IPEndPoint _tracker;
        private readonly byte[] _buffer = new byte[4096];
        private int _transaction;

        public BurstClient(IPAddress local, int port, int firstTransaction)
        {
            _socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
            _socket.Bind(new IPEndPoint(local, 0));
            _tracker = new IPEndPoint(local, port);
            _transaction = firstTransaction;
        }

        public async Task RunAsync(byte[] hash)
        {
            // A burst of connects, sent before any answer is read.
            var connects = new Dictionary<int, byte[]>();
            for (var i = 0; i < Burst; i++)
            {
                var tid = ++_transaction;
                var packet = new byte[16];
                BinaryPrimitives.WriteInt64BigEndian(packet, ProtocolId);
                BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), tid);
                connects[tid] = packet;
            }
            foreach (var packet in connects.Values)
                await _socket.SendToAsync(packet, _tracker);
            long connectionId = 0;
            for (var i = 0; i < Burst; i++)
            {
                var answer = await ReceiveAsync() ?? throw new TimeoutException($"{i} of {Burst} connect answers");
                Assert.Equal(16, answer.Length);
                Assert.Equal(0, BinaryPrimitives.ReadInt32BigEndian(answer));
                Assert.True(connects.Remove(BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(4))), "a connect answer for another socket's transaction");
                connectionId = BinaryPrimitives.ReadInt64BigEndian(answer.AsSpan(8));
            }

            // A burst of announces (one grain call each) mixed with forged connection ids (an error
            // answer no longer than the request) and packets too short to answer (dropped).
            var announces = new HashSet<int>();
            var forged = new HashSet<int>();
            for (var i = 0; i < Burst; i++)
            {
                var tid = ++_transaction;
                announces.Add(tid);
                await _socket.SendToAsync(Announce(connectionId, tid, hash, (ushort)(1000 + i)), _tracker);
                if (i % (Burst / Junk) == 0)
                {
                    var bad = ++_transaction;
                    forged.Add(bad);
                    await _socket.SendToAsync(Announce(connectionId ^ 0x5A5A, bad, hash, 1), _tracker);
                    await _socket.SendToAsync(new byte[] { 1, 2, 3 }, _tracker);
                }
            }
            for (var i = 0; i < Burst + Junk; i++)
            {
                var answer = await ReceiveAsync() ?? throw new TimeoutException($"{i} of {Burst + Junk} announce and error answers");
                var action = BinaryPrimitives.ReadInt32BigEndian(answer);
                var tid = BinaryPrimitives.ReadInt32BigEndian(answer.AsSpan(4));
                if (action == 1)
                {
                    Assert.True(announces.Remove(tid), "an announce answer for another socket's transaction");
                    Assert.Equal(0, (answer.Length - 20) % (_tracker.AddressFamily == AddressFamily.InterNetwork ? 6 : 18));
                }
                else
                {
                    Assert.Equal(3, action);
                    Assert.True(forged.Remove(tid), "an error answer for another socket's transaction");
                    Assert.True(answer.Length <= 98);
                }
            }
            Assert.Empty(announces);
            Assert.Empty(forged);
            Assert.Null(await ReceiveAsync(TimeSpan.FromMilliseconds(300))); // the short packets got nothing
        }

        private static byte[] Announce(long connectionId, int tid, byte[] hash, ushort port)
        {
            var packet = new byte[98];
            BinaryPrimitives.WriteInt64BigEndian(packet, connectionId);
            BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(8), 1);
            BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(12), tid);
            hash.CopyTo(packet, 16);
            TestPeers.NewPeerId().CopyTo(packet, 36);
            BinaryPrimitives.WriteInt64BigEndian(packet.AsSpan(64), 100); // left
            BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(92), -1); // numwant: default
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(96), port);
            return packet;
        }

        private Task<byte[]?> ReceiveAsync(TimeSpan? wait = null) =>
            DatagramReceive.OrNullAsync(_socket, _buffer, wait ?? TimeSpan.FromSeconds(10));

        public void Dispose() => _socket.Dispose();
    }
}
