using System.Net.WebSockets;
using System.Text.Json;
using OrleansTracker.Frontends.Protocol;
using OrleansTracker.Frontends.Protocol.WebSocket;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Client;

/// <summary>
/// Announce and scrape on a WebTorrent tracker over one WebSocket. Offers relayed from other peers
/// arrive on the same socket and are skipped while waiting for the answer. The peer an announce
/// adds lives as long as the socket (the tracker drops it on close).
/// </summary>
public sealed class WebSocketTrackerSession : ITrackerSession
{
    private readonly WebSocketTrackerConnection _connection;

    private WebSocketTrackerSession(WebSocketTrackerConnection connection) => _connection = connection;

    public static async Task<WebSocketTrackerSession> ConnectAsync(TrackerUrl url, TrackerClientOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        var uri = url.With(url.AnnouncePathAndQuery);
        try
        {
#pragma warning disable CA5359 // --insecure: the operator asked to accept a self-signed or mismatched certificate
            var connection = await WebSocketTrackerConnection.ConnectAsync(uri, options.AcceptAnyCertificate ? TrackerClientOptions.AcceptAny : null, timeout.Token);
#pragma warning restore CA5359
            return new WebSocketTrackerSession(connection);
        }
        catch (WebSocketException e)
        {
            throw new TrackerProtocolException($"cannot open a WebSocket to {uri}: {TrackerProtocolException.Cause(e)}", e);
        }
    }

    public async Task<AnnounceAnswer> AnnounceAsync(ClientAnnounce announce, CancellationToken cancellationToken)
    {
        var message = new byte[WebSocketClientMessages.MaxAnnounceLength];
        var length = WebSocketClientMessages.WriteAnnounce(message, announce);
        await _connection.SendAsync(message.AsMemory(0, length), WebSocketMessageType.Text, cancellationToken);
        var answer = await ReceiveAnswerAsync("announce", cancellationToken);
        var interval = Number(answer, "interval") ?? throw new TrackerProtocolException("the announce answer has no interval");
        return new AnnounceAnswer(interval, Number(answer, "min interval"), Number(answer, "complete"), Number(answer, "incomplete"), [],
            answer.TryGetProperty("warning message", out var warning) && warning.ValueKind == JsonValueKind.String ? warning.GetString() : null);
    }

    public async Task<ScrapeAnswer> ScrapeAsync(IReadOnlyList<InfoHash> hashes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var message = new byte[WebSocketClientMessages.MaxScrapeLength(hashes.Count)];
        var length = WebSocketClientMessages.WriteScrape(message, hashes.ToArray());
        await _connection.SendAsync(message.AsMemory(0, length), WebSocketMessageType.Text, cancellationToken);
        var answer = await ReceiveAnswerAsync("scrape", cancellationToken);
        if (!answer.TryGetProperty("files", out var files) || files.ValueKind != JsonValueKind.Object)
            throw new TrackerProtocolException("the scrape answer has no files object");
        var entries = new List<ScrapeEntry>();
        Span<byte> hash = stackalloc byte[InfoHash.Length];
        foreach (var file in files.EnumerateObject())
        {
            if (!BinaryString.TryDecodeChars(file.Name, hash) || file.Value.ValueKind != JsonValueKind.Object)
                throw new TrackerProtocolException("a scrape answer's files entry is not a 20-character binary string with an object");
            entries.Add(new ScrapeEntry(InfoHash.Read(hash),
                new SwarmCounts(Number(file.Value, "complete") ?? 0, Number(file.Value, "incomplete") ?? 0, Number(file.Value, "downloaded") ?? 0)));
        }
        return new ScrapeAnswer(entries);
    }

    /// <summary>The next message with this action or a failure reason; relayed offers and answers before it are skipped.</summary>
    private async Task<JsonElement> ReceiveAnswerAsync(string action, CancellationToken cancellationToken)
    {
        while (true)
        {
            JsonElement? received;
            try
            {
                received = await _connection.ReceiveOrCloseAsync(cancellationToken);
            }
            catch (JsonException e)
            {
                throw new TrackerProtocolException($"the tracker sent a message that is not JSON: {e.Message}", e);
            }
            if (received is not { ValueKind: JsonValueKind.Object } message)
                throw new TrackerProtocolException(received is null ? $"the tracker closed the connection ({_connection.CloseStatus} {_connection.CloseStatusDescription})" : "the tracker sent a message that is not an object");
            if (message.TryGetProperty("failure reason", out var reason))
                throw new TrackerFailureException(reason.ValueKind == JsonValueKind.String ? reason.GetString() ?? "" : reason.GetRawText());
            if (message.TryGetProperty("offer", out _) || message.TryGetProperty("answer", out _))
                continue; // another peer's WebRTC offer or answer, not our tracker's answer
            if (message.TryGetProperty("action", out var named) && named.ValueKind == JsonValueKind.String && named.GetString() == action)
                return message;
        }
    }

    private static int? Number(JsonElement message, string name) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
