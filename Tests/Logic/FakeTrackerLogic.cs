using OrleansTracker.Frontends.Logic;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Tests.Logic;

/// <summary>What a frontend handed to the seam for one announce, copied out of its spans.</summary>
internal sealed record SeenAnnounce(
    InfoHash InfoHash, PeerId PeerId, ushort Port, long Uploaded, long Downloaded, long Left, AnnounceEvent Event, int NumWant,
    PeerEndpoint? Source, string ForwardedFor, bool OverHttp, string Key, PeerFamilies Families, bool IncludePeerIds);

/// <summary>What a frontend handed to the seam for one scrape.</summary>
internal sealed record SeenScrape(InfoHash[] Hashes, PeerEndpoint? Source, string ForwardedFor, bool OverHttp, string Key);

/// <summary>
/// A seam whose answers the test sets, so the UDP and HTTP handlers are tested on their own
/// paths: what they hand over, and how they write a refusal, a result, a pending or a failed call.
/// </summary>
internal sealed class FakeTrackerLogic : ITrackerLogic
{
    public bool RequiresKey { get; set; }

    /// <summary>Every request is refused with this, unless it is <see cref="Refusal.None"/>.</summary>
    public Refusal Refuse { get; set; }

    public AnnounceResult Result { get; set; } = new(0, 0, 0, [], [], []);

    /// <summary>Counts a scrape writes for each hash.</summary>
    public Func<InfoHash, SwarmCounts> Counts { get; set; } = _ => default;

    /// <summary>When set, calls stay pending until it completes (a slow grain call).</summary>
    public Task? Gate { get; set; }

    /// <summary>When set, calls fail with it (a grain call that throws).</summary>
    public Exception? Failure { get; set; }

    public List<SeenAnnounce> Announces { get; } = [];
    public List<SeenScrape> Scrapes { get; } = [];

    public AnnounceCall Announce(in AnnounceInput input)
    {
        Announces.Add(new SeenAnnounce(input.InfoHash, input.PeerId, input.Port, input.Uploaded, input.Downloaded, input.Left, input.Event,
            input.NumWant, input.Client.Source, input.Client.ForwardedFor.ToString(), input.Client.OverHttp, input.Key.ToString(),
            input.Families, input.IncludePeerIds));
        if (Refuse != Refusal.None)
            return AnnounceCall.Refused(Refuse);
        var peer = (input.Client.Source ?? default).WithPort(input.Port);
        return AnnounceCall.Started(peer, Complete(Result));
    }

    public Refusal Admit(InfoHash hash, ReadOnlySpan<char> key, in ClientOrigin client, out PeerEndpoint address)
    {
        address = Refuse == Refusal.None ? client.Source ?? default : default;
        return Refuse;
    }

    public ScrapeCall Scrape(in ScrapeInput input, ReadOnlyMemory<InfoHash> hashes, Memory<SwarmCounts> counts)
    {
        Scrapes.Add(new SeenScrape(hashes.ToArray(), input.Client.Source, input.Client.ForwardedFor.ToString(), input.Client.OverHttp, input.Key.ToString()));
        if (Refuse != Refusal.None)
            return ScrapeCall.Refused(Refuse);
        for (var i = 0; i < hashes.Length; i++)
            counts.Span[i] = Counts(hashes.Span[i]);
        return ScrapeCall.Started(input.Client.Source ?? default, new ValueTask(Complete(true).AsTask()));
    }

    private ValueTask<T> Complete<T>(T value)
    {
        if (Failure is { } failure)
            return ValueTask.FromException<T>(failure);
        return Gate is { } gate ? new ValueTask<T>(gate.ContinueWith(_ => value, TaskScheduler.Default)) : ValueTask.FromResult(value);
    }
}
