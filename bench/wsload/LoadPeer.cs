using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;

namespace OrleansTracker.Bench.WsLoad;

/// <summary>One simulated WebTorrent peer on its own connection: one request in flight at a time.</summary>
internal sealed class LoadPeer : IDisposable
{
    // A small, realistic-looking offer (a browser's is 0.5-1.5 KB).
    private static readonly string Sdp = "v=0\\r\\no=- 4231855635403185677 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\na=group:BUNDLE 0\\r\\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\\r\\nc=IN IP4 0.0.0.0\\r\\na=ice-ufrag:E+1W\\r\\na=ice-pwd:/4bb6GRaNTohAgTbd/x4HPs+\\r\\n" +
        "a=fingerprint:sha-256 2C:6F:2B:0B:97:35:E1:63:F2:85:10:72:DF:82:0D:91:C5:66:00:7E:34:DA:14:1A:98:87:66:3C:D6:67:39:F0\\r\\n" +
        "a=setup:actpass\\r\\na=mid:0\\r\\na=sctp-port:5000\\r\\na=max-message-size:262144\\r\\n";

    private readonly ClientWebSocket _socket = new();
    private readonly string _infoHash;
    private readonly string _peerId;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private byte[] _announce = [];

    private LoadPeer(int index, int torrent)
    {
        // Printable ASCII ids keep the generator simple; the tracker decodes them like any other.
        _infoHash = $"T{torrent:D19}";
        _peerId = $"-WL0001-{index:D12}";
    }

    public long Announces { get; private set; }
    public long OffersReceived { get; private set; }
    public long Failures { get; private set; }

    public static async Task<LoadPeer> ConnectAsync(Uri url, int index, int torrent)
    {
        var peer = new LoadPeer(index, torrent);
        peer._socket.Options.KeepAliveInterval = TimeSpan.Zero;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await peer._socket.ConnectAsync(url, timeout.Token);
        return peer;
    }

    public async Task JoinAsync()
    {
        await SendAsync(Encoding.UTF8.GetBytes($"{{\"action\":\"announce\",\"info_hash\":\"{_infoHash}\",\"peer_id\":\"{_peerId}\",\"numwant\":0,\"uploaded\":0,\"downloaded\":0,\"left\":100,\"event\":\"started\",\"offers\":[]}}"));
        while (await ReceiveAsync() is { } kind && kind != Kind.Response)
        {
        }
    }

    /// <summary>Announces with offers, waits for the answer, again, until the deadline.</summary>
    public async Task RunAsync(int offers, Stopwatch clock, TimeSpan deadline)
    {
        var list = string.Join(',', Enumerable.Range(0, offers).Select(i =>
            $"{{\"offer\":{{\"type\":\"offer\",\"sdp\":\"{Sdp}\"}},\"offer_id\":\"{_peerId[..16]}{i:D4}\"}}"));
        _announce = Encoding.UTF8.GetBytes($"{{\"action\":\"announce\",\"info_hash\":\"{_infoHash}\",\"peer_id\":\"{_peerId}\",\"numwant\":{offers},\"uploaded\":0,\"downloaded\":0,\"left\":100,\"offers\":[{list}]}}");
        try
        {
            while (clock.Elapsed < deadline)
            {
                await SendAsync(_announce);
                Kind? kind;
                while ((kind = await ReceiveAsync()) is Kind.Offer)
                {
                }
                if (kind != Kind.Response)
                {
                    Failures++;
                    return;
                }
                Announces++;
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            Failures++;
        }
    }

    public async Task CloseAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
        }
        Dispose();
    }

    public void Dispose() => _socket.Dispose();

    private async Task SendAsync(byte[] message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(message, WebSocketMessageType.Text, true, timeout.Token);
    }

    private enum Kind { Response, Offer, Other }

    /// <summary>The next message's kind (offers received are counted), or null when the socket closed.</summary>
    private async Task<Kind?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(_buffer.AsMemory(length), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                return null;
            length += result.Count;
        }
        while (!result.EndOfMessage);
        var message = _buffer.AsSpan(0, length);
        if (message.IndexOf("\"offer\""u8) >= 0)
        {
            OffersReceived++;
            return Kind.Offer;
        }
        return message.IndexOf("\"complete\""u8) >= 0 ? Kind.Response : Kind.Other;
    }
}
