using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Logic;

/// <summary>
/// The one seam between the wire and the swarms, shared by every frontend (chihaya's
/// <c>frontend.TrackerLogic</c> is the model). A frontend parses its protocol into an
/// <see cref="AnnounceInput"/> or <see cref="ScrapeInput"/>, calls this, and writes the response
/// its protocol needs; everything that does not depend on the protocol happens here: the access
/// policy of the listed and private modes, the client's address (reverse-proxy and external_ip
/// rules), building the grain request and making the call (<see cref="ITorrentCalls"/>).
/// </summary>
/// <remarks>
/// Both methods do their checks before they return and leave only the swarm's call in flight in
/// the result, so a hot path pays no allocation for the seam: the inputs are ref structs passed by
/// reference, the results plain structs holding the pending <see cref="ValueTask"/>.
/// </remarks>
public interface ITrackerLogic
{
    /// <summary>
    /// True in the private modes. Frontends read a key from the request only then (BEP 41 URL data
    /// costs a parse); a public tracker ignores any key it is sent.
    /// </summary>
    bool RequiresKey { get; }

    /// <summary>Checks one announce and, when it is admitted, starts it on its torrent's swarm.</summary>
    AnnounceCall Announce(in AnnounceInput input);

    /// <summary>
    /// The checks of <see cref="Announce"/> without its swarm call (access policy, then the
    /// client's address), for a frontend whose peers the swarm keeps as a kind of their own and
    /// which so makes that call itself (WebSocket peers: <c>IWebSocketSwarm</c>).
    /// </summary>
    /// <param name="address">The client's address after the proxy and external_ip rules (port 0); default when refused.</param>
    Refusal Admit(InfoHash hash, ReadOnlySpan<char> key, in ClientOrigin client, out PeerEndpoint address);

    /// <summary>
    /// Starts a scrape of <paramref name="hashes"/>, whose counts land in <paramref name="counts"/>
    /// in request order once <see cref="ScrapeCall.Completion"/> completes. Torrents the access
    /// policy hides (no valid key, not whitelisted) read as zeros without a grain call: BEP 48
    /// clients scrape many trackers and take a failure for a dead tracker.
    /// </summary>
    ScrapeCall Scrape(in ScrapeInput input, ReadOnlyMemory<InfoHash> hashes, Memory<SwarmCounts> counts);
}
