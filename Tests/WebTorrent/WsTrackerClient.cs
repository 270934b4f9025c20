using System.Net.WebSockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using OrleansTracker.Frontends.Client;

namespace OrleansTracker.Tests.WebTorrent;

/// <summary>
/// A WebTorrent tracker client over a real WebSocket, for the end-to-end tests: the operator
/// client's <see cref="WebSocketTrackerConnection"/> carries the messages, and the tests write them
/// by hand (malformed ones too). Binary strings are made with System.Text.Json from JavaScript-style
/// strings (one char a byte), independently of the tracker's own writer.
/// </summary>
internal sealed class WsTrackerClient : IAsyncDisposable
{
    private readonly WebSocketTrackerConnection _connection;

    private WsTrackerClient(WebSocketTrackerConnection connection) => _connection = connection;

    public WebSocketState State => _connection.State;
    public WebSocketCloseStatus? CloseStatus => _connection.CloseStatus;
    public string? CloseReason => _connection.CloseStatusDescription;

    public static async Task<WsTrackerClient> ConnectAsync(string url, string? trustedCertificatePem = null)
    {
        System.Net.Security.RemoteCertificateValidationCallback? validation = null;
        if (trustedCertificatePem is not null)
        {
            using var expected = X509Certificate2.CreateFromPem(trustedCertificatePem);
            var thumbprint = expected.Thumbprint;
            validation = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return new WsTrackerClient(await WebSocketTrackerConnection.ConnectAsync(new Uri(url), validation, timeout.Token));
    }

    /// <summary>A 20-byte value as WebTorrent sends it: a string of 20 characters U+0000..U+00FF.</summary>
    public static string Binary(byte[] bytes) => JsonSerializer.Serialize(new string(bytes.Select(b => (char)b).ToArray()));

    public static byte[] Bytes(JsonElement binary) => binary.GetString()!.Select(c => checked((byte)c)).ToArray();

    public Task SendAsync(string json) => SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] data, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _connection.SendAsync(data, type, timeout.Token);
    }

    public Task AnnounceAsync(byte[] infoHash, byte[] peerId, string extra = "") =>
        SendAsync($$"""{"action":"announce","info_hash":{{Binary(infoHash)}},"peer_id":{{Binary(peerId)}},"uploaded":0,"downloaded":0{{extra}}}""");

    /// <summary>The next message, parsed; throws on a close or after the timeout.</summary>
    public async Task<JsonElement> ReceiveAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveOrCloseAsync(timeout ?? TimeSpan.FromSeconds(10));
        return message ?? throw new InvalidOperationException($"closed: {CloseStatus} {CloseReason}");
    }

    /// <summary>The next message, or null when the tracker closed the connection.</summary>
    public async Task<JsonElement?> ReceiveOrCloseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return await _connection.ReceiveOrCloseAsync(cancel.Token);
    }

    /// <summary>Waits for the tracker's close frame (messages before it are skipped).</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await ReceiveOrCloseAsync(deadline - DateTime.UtcNow) is null)
                return CloseStatus;
        }
        throw new TimeoutException("the tracker did not close the connection");
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
