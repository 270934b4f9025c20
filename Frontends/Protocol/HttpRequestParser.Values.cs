using System.Globalization;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol;

public static partial class HttpRequestParser
{
    // Long enough for any int64 with a sign and a few leading zeros; longer values are refused.
    private const int ScalarBufferLength = 32;

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
}
