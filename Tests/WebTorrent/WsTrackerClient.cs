using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace OrleansTracker.Tests.WebTorrent;

/// <summary>
/// A WebTorrent tracker client over a real WebSocket, for the end-to-end tests. Binary strings are
/// made with System.Text.Json from JavaScript-style strings (one char a byte), independently of the
/// tracker's own writer.
/// </summary>
internal sealed class WsTrackerClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    private WsTrackerClient()
    {
    }

    public WebSocketState State => _socket.State;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseReason => _socket.CloseStatusDescription;

    public static async Task<WsTrackerClient> ConnectAsync(string url, string? trustedCertificatePem = null)
    {
        var client = new WsTrackerClient();
        if (trustedCertificatePem is not null)
        {
            using var expected = X509Certificate2.CreateFromPem(trustedCertificatePem);
            var thumbprint = expected.Thumbprint;
            client._socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client._socket.ConnectAsync(new Uri(url), timeout.Token);
        return client;
    }

    /// <summary>A 20-byte value as WebTorrent sends it: a string of 20 characters U+0000..U+00FF.</summary>
    public static string Binary(byte[] bytes) => JsonSerializer.Serialize(new string(bytes.Select(b => (char)b).ToArray()));

    public static byte[] Bytes(JsonElement binary) => binary.GetString()!.Select(c => checked((byte)c)).ToArray();

    public Task SendAsync(string json) => SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] data, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _socket.SendAsync(data, type, true, timeout.Token);
    }

    public Task AnnounceAsync(byte[] infoHash, byte[] peerId, string extra = "") =>
        SendAsync($$"""{"action":"announce","info_hash":{{Binary(infoHash)}},"peer_id":{{Binary(peerId)}},"uploaded":0,"downloaded":0{{extra}}}""");

    /// <summary>The next message, parsed; throws on a close or after the timeout.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveOrCloseAsync(timeout ?? TimeSpan.FromSeconds(10));
        return message ?? throw new InvalidOperationException($"closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
    }

    /// <summary>The next message, or null when the tracker closed the connection.</summary>
    public async Task<JsonElement?> ReceiveOrCloseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancel.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            length += result.Count;
        }
        while (!result.EndOfMessage);
        using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
        return document.RootElement.Clone();
    }

    /// <summary>Waits for the tracker's close frame (messages before it are skipped).</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await ReceiveOrCloseAsync(deadline - DateTime.UtcNow) is null)
                return _socket.CloseStatus;
        }
        throw new TimeoutException("the tracker did not close the connection");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        _socket.Dispose();
    }
}
