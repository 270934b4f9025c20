using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Logic;

/// <summary>What <see cref="ITrackerLogic.Announce"/> made of one announce: refused, or started.</summary>
public readonly struct AnnounceCall
{
    private AnnounceCall(Refusal refusal, PeerEndpoint peer, ValueTask<AnnounceResult> result) =>
        (Refusal, Peer, Result) = (refusal, peer, result);

    /// <summary>Why it was refused; <see cref="Refusal.None"/> when it was started.</summary>
    public Refusal Refusal { get; }

    /// <summary>The peer as the swarm stores it: the client's address (after the proxy and external_ip rules) and the announced port.</summary>
    public PeerEndpoint Peer { get; }

    /// <summary>The swarm's result, pending; default when refused.</summary>
    public ValueTask<AnnounceResult> Result { get; }

    public static AnnounceCall Started(PeerEndpoint peer, ValueTask<AnnounceResult> result) => new(Refusal.None, peer, result);

    public static AnnounceCall Refused(Refusal refusal) => new(refusal, default, default);
}

/// <summary>What <see cref="ITrackerLogic.Scrape"/> made of one scrape: refused, or started.</summary>
public readonly struct ScrapeCall
{
    private ScrapeCall(Refusal refusal, PeerEndpoint client, ValueTask completion) =>
        (Refusal, Client, Completion) = (refusal, client, completion);

    /// <summary>Why it was refused (only when the client's address is unknown); <see cref="Refusal.None"/> when it was started.</summary>
    public Refusal Refusal { get; }

    /// <summary>The client's address, after the proxy and external_ip rules.</summary>
    public PeerEndpoint Client { get; }

    /// <summary>Completes when every count has been written; default when refused.</summary>
    public ValueTask Completion { get; }

    public static ScrapeCall Started(PeerEndpoint client, ValueTask completion) => new(Refusal.None, client, completion);

    public static ScrapeCall Refused(Refusal refusal) => new(refusal, default, default);
}
