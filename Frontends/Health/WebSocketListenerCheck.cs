using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace OrleansTracker.Frontends.Health;

/// <summary>
/// A WebSocket (WebTorrent) tracker listener accepts the upgrade on <c>/announce</c> and answers a
/// message with a <c>failure reason</c>: the connection, TLS, the upgrade and the tracker's message
/// handling all work, and no swarm is touched (the action is one no tracker knows).
/// </summary>
public sealed class WebSocketListenerCheck(IPEndPoint configured, bool tls) : IHealthCheck
{
    private static readonly byte[] Probe = """{"action":"health_check"}"""u8.ToArray();

    public string ServiceType => tls ? "wss_tracker" : "ws_tracker";

    public string Binding => ProbeAddress.Text(configured);

    public string ServiceBinding => $"{(tls ? "wss" : "ws")}://{Binding}";

    public async Task<string> CheckAsync(CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        // The listener's own certificate is for its public name, not 127.0.0.1: the check is about
        // the listener answering, so any certificate is accepted.
#pragma warning disable CA5359 // the server is this process's own listener, reached on loopback
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        var url = new Uri($"{(tls ? "wss" : "ws")}://{ProbeAddress.Text(ProbeAddress.Of(configured))}/announce");
        await socket.ConnectAsync(url, cancellationToken);
        await socket.SendAsync(Probe, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, cancellationToken);
        var text = Encoding.UTF8.GetString(buffer, 0, received.Count);
        if (received.MessageType != WebSocketMessageType.Text || !text.Contains("\"failure reason\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"a message with an unknown action was answered with {received.MessageType} '{text}', not a failure reason");
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "health check done", cancellationToken);
        return "Ok";
    }
}
