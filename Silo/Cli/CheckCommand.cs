using System.Diagnostics;
using System.Globalization;
using OrleansTracker.Frontends.Client;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Silo.Cli;

/// <summary>
/// <c>check URL...</c>, for monitoring: on each tracker an announce (event started), a scrape, and
/// a stopped announce so the check leaves no peer behind. One line per URL, <c>ok</c> or
/// <c>failed</c> with the reason, and the time it took; exit code 0 only when every URL passed.
/// </summary>
public static class CheckCommand
{
    /// <summary>SHA-1 of "orleans-tracker check": a fixed hash, so a private tracker can whitelist it (or pass --info-hash).</summary>
    public const string DefaultInfoHash = "48a7b08f20231ace06de86cdc4055406b7210a73";

    public static async Task<int> RunAsync(ClientOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        if (options.Words.Count == 0)
            throw new UsageException("check: expected one or more tracker URLs");
        var urls = options.Words.Select(options.Url).ToList(); // all checked before any goes on the wire
        var hash = ClientOptions.Hash(options.CheckedInfoHash ?? DefaultInfoHash);
        var failed = 0;
        foreach (var url in urls)
        {
            var clock = Stopwatch.StartNew();
            var result = await RoundTripAsync(url, hash, options);
            var ms = clock.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture);
            if (result.Failure is null)
                await output.WriteLineAsync($"ok {url} {ms} ms {result.Detail}");
            else
            {
                failed++;
                await output.WriteLineAsync($"failed {url} {ms} ms: {result.Failure}");
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static async Task<(string? Failure, string Detail)> RoundTripAsync(TrackerUrl url, InfoHash hash, ClientOptions options)
    {
        var client = options.Client;
        var announce = options.Announce(hash, AnnounceEvent.Started);
        try
        {
            await using var session = await ClientCommands.Bounded(client, token => TrackerSessions.OpenAsync(url, client, token));
            var started = await ClientCommands.Bounded(client, token => session.AnnounceAsync(announce, token));
            var scrape = await ClientCommands.Bounded(client, token => session.ScrapeAsync([hash], token));
            await ClientCommands.Bounded(client, token => session.AnnounceAsync(announce with { Event = AnnounceEvent.Stopped }, token));
            var counts = scrape.Files.FirstOrDefault(f => f.InfoHash == hash)?.Counts;
            return (null, string.Create(CultureInfo.InvariantCulture,
                $"(announce: interval {started.Interval} s, {started.Seeders?.ToString(CultureInfo.InvariantCulture) ?? "?"} seeders, {started.Leechers?.ToString(CultureInfo.InvariantCulture) ?? "?"} leechers; scrape: {(counts is { } c ? $"{c.Seeders}/{c.Completed}/{c.Leechers} complete/downloaded/incomplete" : "hash not listed")})"));
        }
        catch (TrackerFailureException e)
        {
            return ($"the tracker refused: {e.Message}", "");
        }
        catch (Exception e) when (ClientCommands.Unreachable(e, client) is { } reason)
        {
            return (reason, "");
        }
    }
}
