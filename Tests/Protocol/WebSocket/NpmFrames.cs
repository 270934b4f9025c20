using System.Text;
using System.Text.Json;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Protocol.WebSocket;

/// <summary>
/// Frames npm bittorrent-tracker 11.2.3's client sent and its server answered, recorded by
/// Tests/WebTorrent/js/capture-frames.mjs: connection 1 is one client's started (with five real
/// WebRTC offers), scrape, completed and stopped; connection 2 is two clients of one process sharing
/// a socket, one's offer relayed to the other and the answer relayed back.
/// </summary>
internal static class NpmFrames
{
    public static IReadOnlyList<Frame> All { get; } = Load();

    public static Frame Client(int connection, Func<JsonElement, bool> match) =>
        All.First(f => f.Connection == connection && f.FromClient && match(f.Json.RootElement));

    public static Frame Server(int connection, Func<JsonElement, bool> match) =>
        All.First(f => f.Connection == connection && !f.FromClient && match(f.Json.RootElement));

    /// <summary>A binary string as JavaScript holds it (one char a byte), decoded by System.Text.Json, as bytes.</summary>
    public static byte[] Binary(JsonElement value) => value.GetString()!.Select(c => checked((byte)c)).ToArray();

    public static bool Has(this JsonElement element, string name) => element.TryGetProperty(name, out _);

    public static string? Text(this JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<Frame> Load()
    {
        var path = Path.Combine(RepoPaths.Root, "Tests", "WebTorrent", "Fixtures", "npm-frames.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray()
            .Select(f => new Frame(f.GetProperty("connection").GetInt32(), f.GetProperty("from").GetString() == "client", f.GetProperty("text").GetString()!))
            .ToList();
    }

    public sealed record Frame(int Connection, bool FromClient, string Text)
    {
        public byte[] Bytes { get; } = Encoding.UTF8.GetBytes(Text);
        public JsonDocument Json { get; } = JsonDocument.Parse(Text);
    }
}
