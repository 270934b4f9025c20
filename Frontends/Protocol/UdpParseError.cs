namespace OrleansTracker.Frontends.Protocol;

/// <summary>Why a BEP 15 packet was refused.</summary>
public enum UdpParseErrorKind
{
    None = 0,
    /// <summary>Fewer than 16 bytes: there is no transaction id to echo. Dropped.</summary>
    TooShort,
    /// <summary>An action other than connect, announce or scrape. Dropped.</summary>
    UnknownAction,
    /// <summary>A connect without the 0x41727101980 magic: not a BEP 15 client. Dropped.</summary>
    BadProtocolId,
    MalformedAnnounce,
    MalformedScrape,
    NoInfoHashes,
    TooManyInfoHashes,
}

/// <summary>
/// The outcome of a failed BEP 15 parse, split the way a UDP server needs it: errors that may be
/// answered with a BEP 15 error message (the packet had a transaction id and a known action) and
/// packets that must be dropped silently (answering unknown traffic only helps reflection attacks).
/// </summary>
public readonly record struct UdpParseError(UdpParseErrorKind Kind)
{
    /// <summary>True when a BEP 15 error (action 3) echoing the transaction id may be sent.</summary>
    public bool AllowsErrorResponse => Kind is UdpParseErrorKind.MalformedAnnounce
        or UdpParseErrorKind.MalformedScrape or UdpParseErrorKind.NoInfoHashes or UdpParseErrorKind.TooManyInfoHashes;

    /// <summary>A short ASCII text for the error message body (static data, no allocation).</summary>
    public ReadOnlySpan<byte> Message => Kind switch
    {
        UdpParseErrorKind.None => ""u8,
        UdpParseErrorKind.TooShort => "packet too short"u8,
        UdpParseErrorKind.UnknownAction => "unknown action"u8,
        UdpParseErrorKind.BadProtocolId => "bad protocol id"u8,
        UdpParseErrorKind.MalformedAnnounce => "malformed announce"u8,
        UdpParseErrorKind.MalformedScrape => "malformed scrape"u8,
        UdpParseErrorKind.NoInfoHashes => "no info hashes"u8,
        UdpParseErrorKind.TooManyInfoHashes => "too many info hashes"u8,
        _ => "error"u8,
    };
}
