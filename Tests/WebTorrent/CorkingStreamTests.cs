using System.Net.WebSockets;
using System.Text;
using OrleansTracker.Frontends.WebSocket;
using Xunit;

namespace OrleansTracker.Tests.WebTorrent;

/// <summary>
/// <see cref="CorkingStream"/> under .NET's own WebSocket (the one Kestrel's upgrade uses): corked
/// frames leave with the next write, in order, and a client WebSocket reads every message back.
/// </summary>
public sealed class CorkingStreamTests
{
    /// <summary>The connection's bytes as they would reach the socket, and how many writes carried them.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }

    private static async Task<List<string>> ReadAll(byte[] wire)
    {
        using var client = System.Net.WebSockets.WebSocket.CreateFromStream(new MemoryStream(wire), new WebSocketCreationOptions { IsServer = false });
        var messages = new List<string>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await client.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                length += result.Count;
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close)
                return messages;
            messages.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }
    }

    private static async Task Send(System.Net.WebSockets.WebSocket server, CorkingStream corking, List<string> messages, bool cork)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            if (cork && i < messages.Count - 1)
                corking.CorkNextWrite();
            await server.SendAsync(Encoding.UTF8.GetBytes(messages[i]), WebSocketMessageType.Text, true, CancellationToken.None);
        }
    }

    [Theory]
    [InlineData(false, 3, 100, 4)]      // one write a frame, plus the close frame
    [InlineData(true, 3, 100, 2)]       // three frames in one write, then the close frame
    [InlineData(true, 40, 1500, 5)]     // 61 KB corked: ten frames (15 KB) a write, then the close frame
    public async Task corked_frames_leave_with_the_next_write_in_order(bool cork, int count, int size, int expectedWrites)
    {
        var wire = new RecordingStream();
        var corking = new CorkingStream(wire);
        using var server = System.Net.WebSockets.WebSocket.CreateFromStream(corking, new WebSocketCreationOptions { IsServer = true });
        var messages = Enumerable.Range(0, count).Select(i => $"{{\"n\":{i},\"pad\":\"{new string('x', size)}\"}}").ToList();

        await Send(server, corking, messages, cork);
        await server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);

        Assert.Equal(expectedWrites, wire.Writes);
        Assert.Equal(messages, await ReadAll(wire.ToArray()));
    }

    [Fact]
    public async Task a_frame_held_when_the_queue_emptied_leaves_with_the_close_frame()
    {
        var wire = new RecordingStream();
        var corking = new CorkingStream(wire);
        using var server = System.Net.WebSockets.WebSocket.CreateFromStream(corking, new WebSocketCreationOptions { IsServer = true });

        corking.CorkNextWrite();
        await server.SendAsync("{\"last\":1}"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Equal(0, wire.Writes);
        await server.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "limit", CancellationToken.None);

        Assert.Equal(1, wire.Writes);
        Assert.Equal(["{\"last\":1}"], await ReadAll(wire.ToArray()));
    }
}
