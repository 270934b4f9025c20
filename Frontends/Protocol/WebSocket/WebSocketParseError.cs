namespace OrleansTracker.Frontends.Protocol.WebSocket;

/// <summary>
/// Why a WebTorrent message was refused. Each has a short text the tracker sends back as
/// <c>failure reason</c>; the connection stays open (as npm bittorrent-tracker keeps it), except
/// for the limits, after which the frontend closes it.
/// </summary>
public enum WebSocketParseError
{
    None = 0,
    MalformedJson,
    NotAnObject,
    MissingAction,
    UnknownAction,
    BadInfoHash,
    BadPeerId,
    BadNumber,
    BadEvent,
    BadOffers,
    TooManyOffers,
    BadAnswer,
    TooManyInfoHashes,
}

public static class WebSocketParseErrors
{
    /// <summary>The <c>failure reason</c> text for an error (ASCII, no character that JSON must escape).</summary>
    public static string Reason(this WebSocketParseError error) => error switch
    {
        WebSocketParseError.MalformedJson => "malformed JSON",
        WebSocketParseError.NotAnObject => "a message must be a JSON object",
        WebSocketParseError.MissingAction => "missing action",
        WebSocketParseError.UnknownAction => "invalid action",
        WebSocketParseError.BadInfoHash => "invalid info_hash",
        WebSocketParseError.BadPeerId => "invalid peer_id",
        WebSocketParseError.BadNumber => "invalid numwant, uploaded, downloaded or left",
        WebSocketParseError.BadEvent => "invalid event",
        WebSocketParseError.BadOffers => "invalid offers",
        WebSocketParseError.TooManyOffers => "too many offers",
        WebSocketParseError.BadAnswer => "invalid answer (needs answer, to_peer_id and offer_id)",
        WebSocketParseError.TooManyInfoHashes => "too many info hashes",
        _ => "invalid request",
    };
}
