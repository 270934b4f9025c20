using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol.WebSocket;

/// <summary>
/// A parsed WebTorrent tracker message. Offers and scrape hashes go into spans the caller passes to
/// the parser (<see cref="OfferCount"/>, <see cref="InfoHashCount"/> of them); the offer and answer
/// JSON stay in the frame (<see cref="WebSocketOffer"/>, <see cref="AnswerStart"/>), so parsing
/// copies no payload and allocates nothing.
/// </summary>
public readonly record struct WebSocketRequest
{
    /// <summary><c>left</c> absent or null: a client that has no metadata yet does not know it.</summary>
    public const long UnknownLeft = -1;

    public WebSocketAction Action { get; init; }

    /// <summary>The announce's torrent. A scrape's hashes are in the caller's span instead.</summary>
    public InfoHash InfoHash { get; init; }
    public PeerId PeerId { get; init; }
    public long Uploaded { get; init; }
    public long Downloaded { get; init; }
    /// <summary>Bytes left, or <see cref="UnknownLeft"/>.</summary>
    public long Left { get; init; }
    public AnnounceEvent Event { get; init; }
    /// <summary>Peers wanted; -1 when absent (the offers' count is what matters).</summary>
    public int NumWant { get; init; }
    public int OfferCount { get; init; }

    /// <summary>True for an announce that carries an answer to another peer's offer.</summary>
    public bool HasAnswer { get; init; }
    public PeerId ToPeerId { get; init; }
    public Bytes20 AnswerOfferId { get; init; }
    public int AnswerStart { get; init; }
    public int AnswerLength { get; init; }

    /// <summary>A scrape's hash count (1 for a single string).</summary>
    public int InfoHashCount { get; init; }

    public ReadOnlySpan<byte> AnswerJson(ReadOnlySpan<byte> frame) => frame.Slice(AnswerStart, AnswerLength);
}
