namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// Byte offsets and sizes of the BEP 15 messages (all integers big-endian), plus the BEP 41
/// option types. Named once here so the parser, the writers and the tests agree.
/// </summary>
public static class UdpLayout
{
    /// <summary>The magic a connect request carries in place of a connection id (BEP 15 "Connect").</summary>
    public const long ProtocolId = 0x41727101980;

    // Request header, common to every action.
    public const int ConnectionIdOffset = 0;
    public const int ActionOffset = 8;
    public const int TransactionIdOffset = 12;
    public const int RequestHeaderLength = 16;
    public const int ConnectRequestLength = RequestHeaderLength;

    // Announce request (BEP 15 "Announce"): 98 bytes, then BEP 41 options.
    public const int InfoHashOffset = 16;
    public const int PeerIdOffset = 36;
    public const int DownloadedOffset = 56;
    public const int LeftOffset = 64;
    public const int UploadedOffset = 72;
    public const int EventOffset = 80;
    public const int IPv4AddressOffset = 84;
    public const int KeyOffset = 88;
    public const int NumWantOffset = 92;
    public const int PortOffset = 96;
    public const int AnnounceRequestLength = 98;

    // Scrape request (BEP 15 "Scrape"): 20-byte hashes follow the header.
    public const int ScrapeHashesOffset = 16;
    /// <summary>BEP 15: "up to about 74 torrents can be scraped at once" (the response fits one datagram).</summary>
    public const int MaxScrapeHashes = 74;

    // Responses: action then transaction id, then the body.
    public const int ResponseActionOffset = 0;
    public const int ResponseTransactionIdOffset = 4;
    public const int ResponseHeaderLength = 8;
    public const int ConnectResponseConnectionIdOffset = 8;
    public const int ConnectResponseLength = 16;
    public const int AnnounceResponseIntervalOffset = 8;
    public const int AnnounceResponseLeechersOffset = 12;
    public const int AnnounceResponseSeedersOffset = 16;
    public const int AnnounceResponseHeaderLength = 20;
    /// <summary>Seeders, completed, leechers: three 32-bit words per scraped hash.</summary>
    public const int ScrapeResponseEntryLength = 12;

    // BEP 41 option types.
    public const byte OptionEndOfOptions = 0x0;
    public const byte OptionNop = 0x1;
    public const byte OptionUrlData = 0x2;
}
