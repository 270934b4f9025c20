using System.Net.Security;
using System.Net.WebSockets;
using System.Text.Json;

namespace OrleansTracker.Frontends.Client;

/// <summary>
/// A client's WebSocket to a WebTorrent tracker: whole messages out, whole JSON messages in. The
/// operator's client (<see cref="WebSocketTrackerSession"/>) and the tests' WebSocket client are
/// built on it.
/// </summary>
public sealed class WebSocketTrackerConnection : IAsyncDisposable
{
    /// <summary>Far above any tracker message (a relayed offer holds an SDP of a few KiB): a bound on what one message may grow to.</summary>
    private const int MaxMessageLength = 1 << 20;

    private readonly ClientWebSocket _socket = new();

    private WebSocketTrackerConnection()
    {
    }

    public WebSocketState State => _socket.State;
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;
    public string? CloseStatusDescription => _socket.CloseStatusDescription;

    /// <param name="certificateValidation">wss: the check of the tracker's certificate; null for the system's.</param>
    public static async Task<WebSocketTrackerConnection> ConnectAsync(Uri uri, RemoteCertificateValidationCallback? certificateValidation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var connection = new WebSocketTrackerConnection();
        try
        {
            if (certificateValidation is not null)
                connection._socket.Options.RemoteCertificateValidationCallback = certificateValidation;
            await connection._socket.ConnectAsync(uri, cancellationToken);
            return connection;
        }
        catch
        {
            connection._socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type, CancellationToken cancellationToken) =>
        await _socket.SendAsync(message, type, endOfMessage: true, cancellationToken);

    /// <summary>The next message parsed as JSON, or null when the tracker closed the connection.</summary>
    public async Task<JsonElement?> ReceiveOrCloseAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxMessageLength)
                    throw new TrackerProtocolException($"a message longer than {MaxMessageLength} bytes");
                Array.Resize(ref buffer, buffer.Length * 2);
            }
            result = await _socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            length += result.Count;
        }
        while (!result.EndOfMessage);
        using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
        return document.RootElement.Clone();
    }

    /// <summary>Closes politely when still open (bounded to 2 s: a silent tracker must not hold the caller).</summary>
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
            // the tracker went first, or stayed silent: the socket is disposed either way
        }
        _socket.Dispose();
    }
}
