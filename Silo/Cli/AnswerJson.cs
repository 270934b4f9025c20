using System.Text;
using System.Text.Json;
using OrleansTracker.Frontends.Client;

namespace OrleansTracker.Silo.Cli;

/// <summary>
/// The client's answers as one JSON object, in BEP 3's field names whatever the protocol, so one
/// reader (jq, a monitoring script) handles UDP, HTTP and WebSocket trackers alike. Fields a
/// tracker did not send are left out rather than shown as 0.
/// </summary>
public static class AnswerJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static string Announce(AnnounceAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return Write(json =>
        {
            json.WriteNumber("interval", answer.Interval);
            if (answer.MinInterval is { } minInterval)
                json.WriteNumber("min interval", minInterval);
            if (answer.Seeders is { } seeders)
                json.WriteNumber("complete", seeders);
            if (answer.Leechers is { } leechers)
                json.WriteNumber("incomplete", leechers);
            json.WriteStartArray("peers");
            foreach (var peer in answer.Peers)
                json.WriteStringValue(peer.ToString()); // "1.2.3.4:6881", "[::1]:6881"
            json.WriteEndArray();
            if (answer.Warning is not null)
                json.WriteString("warning message", answer.Warning);
        });
    }

    public static string Scrape(ScrapeAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return Write(json =>
        {
            json.WriteStartObject("files");
            foreach (var file in answer.Files)
            {
                json.WriteStartObject(file.InfoHash.ToHex());
                json.WriteNumber("complete", file.Counts.Seeders);
                json.WriteNumber("downloaded", file.Counts.Completed);
                json.WriteNumber("incomplete", file.Counts.Leechers);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        });
    }

    public static string Failure(string reason) => Write(json => json.WriteString("failure reason", reason));

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
