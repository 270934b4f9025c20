using System.Globalization;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

public static partial class HttpRequestParser
{
    // Long enough for any int64 with a sign and a few leading zeros; longer values are refused.
    private const int ScalarBufferLength = 32;
    // "[ffff:…:255.255.255.255]:65535" fits; longer values are not addresses.
    private const int AddressBufferLength = 64;

    /// <summary>Decodes a value that must be exactly <paramref name="destination"/>.Length bytes long.</summary>
    private static bool TryDecodeExact(ReadOnlySpan<char> value, Span<byte> destination)
    {
        // One spare byte tells "too long" apart from "exactly right".
        Span<byte> buffer = stackalloc byte[InfoHash.Length + 1];
        if (!PercentDecoder.TryDecode(value, buffer, out var written) || written != destination.Length)
            return false;
        buffer[..written].CopyTo(destination);
        return true;
    }

    private static bool TryParseNumber(ReadOnlySpan<char> value, NumberStyles style, out long number)
    {
        number = 0;
        Span<byte> buffer = stackalloc byte[ScalarBufferLength];
        return PercentDecoder.TryDecode(value, buffer, out var written)
            && long.TryParse(buffer[..written], style, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>
    /// started, stopped and completed; anything else (empty, "empty", "paused", an unknown word, a
    /// broken escape) is a regular announce. libtorrent sends "paused" (BEP 21) on every announce
    /// of a torrent that is finished but not a full seed (some files unticked): refusing it would
    /// drop such peers from their swarms.
    /// </summary>
    private static AnnounceEvent ParseEvent(ReadOnlySpan<char> value)
    {
        Span<byte> buffer = stackalloc byte[ScalarBufferLength];
        if (!PercentDecoder.TryDecode(value, buffer, out var written))
            return AnnounceEvent.None;
        var text = buffer[..written];
        if (text.SequenceEqual("started"u8))
            return AnnounceEvent.Started;
        if (text.SequenceEqual("stopped"u8))
            return AnnounceEvent.Stopped;
        return text.SequenceEqual("completed"u8) ? AnnounceEvent.Completed : AnnounceEvent.None;
    }

    private static bool TryParseFlag(ReadOnlySpan<char> value, out bool flag)
    {
        flag = value is "1";
        return value is "0" or "1";
    }

    /// <summary>BEP 7 allows "a.b.c.d" and "a.b.c.d:port"; the port is ignored (the announced one counts).</summary>
    private static PeerEndpoint? ParseIPv4(ReadOnlySpan<char> value, ushort port)
    {
        Span<byte> text = stackalloc byte[AddressBufferLength];
        Span<byte> address = stackalloc byte[4];
        if (!PercentDecoder.TryDecode(value, text, out var written))
            return null;
        text = text[..written];
        var colon = text.IndexOf((byte)':');
        if (colon >= 0)
            text = text[..colon];
        return IPText.TryParseIPv4(text, address) ? PeerEndpoint.FromAddressBytes(address, port) : null;
    }

    /// <summary>
    /// "addr" or "[addr]" or "[addr]:port" (a port is only recognisable after brackets, since bare
    /// IPv6 text is full of colons). An IPv4-mapped address is not an IPv6 peer and is ignored.
    /// </summary>
    private static PeerEndpoint? ParseIPv6(ReadOnlySpan<char> value, ushort port)
    {
        Span<byte> text = stackalloc byte[AddressBufferLength];
        Span<byte> address = stackalloc byte[16];
        if (!PercentDecoder.TryDecode(value, text, out var written))
            return null;
        text = text[..written];
        if (text is [(byte)'[', ..])
        {
            var close = text.IndexOf((byte)']');
            if (close < 0 || !(close == text.Length - 1 || text[close + 1] == ':'))
                return null;
            text = text[1..close];
        }
        if (!IPText.TryParseIPv6(text, address))
            return null;
        var endpoint = PeerEndpoint.FromAddressBytes(address, port);
        return endpoint.IsIPv4 ? null : endpoint;
    }
}
