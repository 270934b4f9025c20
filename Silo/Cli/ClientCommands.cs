using System.Net.Sockets;
using System.Net.WebSockets;
using OrleansTracker.Frontends.Client;

namespace OrleansTracker.Silo.Cli;

/// <summary>
/// <c>client announce URL INFOHASH</c> and <c>client scrape URL INFOHASH...</c>: one request to any
/// tracker, its answer printed as JSON (<see cref="AnswerJson"/>). No config file and no silo: an
/// operator runs it from anywhere. Exit code 0: an answer; 1: the tracker refused (its failure
/// reason printed as JSON) or could not be reached in time (the reason on standard error).
/// </summary>
public static class ClientCommands
{
    public const string Client = "client";
    public const string Check = "check";

    public static async Task<int> RunAsync(CommandLine command, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (command.Command == Check)
            return await CheckCommand.RunAsync(ClientOptions.Parse(command.Arguments, ClientOptions.CheckOptions), output);
        var action = command.Arguments.Count > 0 ? command.Arguments[0] : "";
        var options = action switch
        {
            "announce" => ClientOptions.Parse(command.Arguments.Skip(1), ClientOptions.AnnounceOptions),
            "scrape" => ClientOptions.Parse(command.Arguments.Skip(1), ClientOptions.ScrapeOptions),
            _ => throw new UsageException("client: expected 'client announce URL INFOHASH [OPTIONS]' or 'client scrape URL INFOHASH... [OPTIONS]'"),
        };
        if (options.Words.Count < 2 || (action == "announce" && options.Words.Count > 2))
            throw new UsageException($"client {action}: expected the tracker's URL and {(action == "announce" ? "one info hash" : "one or more info hashes")}");
        var url = options.Url(options.Words[0]);
        var hashes = options.Words.Skip(1).Select(ClientOptions.Hash).ToList();
        var announce = options.Announce(hashes[0]);
        var client = options.Client;
        try
        {
            await using var session = await Bounded(client, token => TrackerSessions.OpenAsync(url, client, token));
            var json = action == "announce"
                ? AnswerJson.Announce(await Bounded(client, token => session.AnnounceAsync(announce, token)))
                : AnswerJson.Scrape(await Bounded(client, token => session.ScrapeAsync(hashes, token)));
            await output.WriteLineAsync(json);
            return 0;
        }
        catch (TrackerFailureException e)
        {
            await output.WriteLineAsync(AnswerJson.Failure(e.Message));
            return 1;
        }
        catch (Exception e) when (Unreachable(e, client) is { } reason)
        {
            await errors.WriteLineAsync($"{url}: {reason}");
            return 1;
        }
    }

    /// <summary>Runs one exchange within the timeout (the sessions bound their own waits too; this bounds the whole call).</summary>
    internal static async Task<T> Bounded<T>(TrackerClientOptions client, Func<CancellationToken, Task<T>> exchange)
    {
        using var timeout = new CancellationTokenSource(client.Timeout);
        return await exchange(timeout.Token);
    }

    /// <summary>Why a tracker could not be asked, for the failures that mean "not reachable or not understood"; null for the others (bugs).</summary>
    internal static string? Unreachable(Exception e, TrackerClientOptions client) => e switch
    {
        TrackerProtocolException => e.Message,
        OperationCanceledException => $"no answer within {client.Timeout.TotalSeconds:0.#} s",
        SocketException or WebSocketException or HttpRequestException or IOException => e.Message,
        System.Text.Json.JsonException => $"the answer is not JSON: {e.Message}",
        _ => null,
    };
}
