namespace OrleansTracker.Frontends.Protocol.WebSocket;

/// <summary>
/// WebTorrent's 20-byte values (info hash, peer id, offer id) travel as JSON strings of exactly 20
/// characters, each character one byte (U+0000..U+00FF; JavaScript's "binary" string). On the wire
/// that is UTF-8: bytes below 0x80 are one byte (or a JSON escape), bytes from 0x80 two (C2/C3 xx).
/// </summary>
public static class BinaryString
{
    public const int Chars = 20;

    /// <summary>The longest raw JSON string of 20 such characters: every one escaped as \u00XX.</summary>
    public const int MaxRawLength = Chars * 6;

    /// <summary>The longest written form (<see cref="Write"/>): every byte escaped as \u00XX, plus quotes.</summary>
    public const int MaxWrittenLength = Chars * 6 + 2;

    /// <summary>
    /// Decodes the raw (still UTF-8, unescaped) content of a JSON string with no escapes in it into
    /// 20 bytes. False for any other length, a character above U+00FF, or malformed UTF-8.
    /// </summary>
    public static bool TryDecodeUnescaped(ReadOnlySpan<byte> utf8, Span<byte> destination)
    {
        var count = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            if (count == Chars)
                return false;
            var b = utf8[i];
            if (b < 0x80)
            {
                destination[count++] = b;
                continue;
            }
            // U+0080..U+00FF is C2 80..C3 BF; any other lead byte is a character above U+00FF or
            // not UTF-8 (overlong C0/C1 forms included).
            if ((b != 0xC2 && b != 0xC3) || i + 1 == utf8.Length || (utf8[i + 1] & 0xC0) != 0x80)
                return false;
            destination[count++] = (byte)(((b & 0x03) << 6) | (utf8[++i] & 0x3F));
        }
        return count == Chars;
    }

    /// <summary>Decodes characters already unescaped into 20 bytes; false unless 20 characters, each at most U+00FF.</summary>
    public static bool TryDecodeChars(ReadOnlySpan<char> chars, Span<byte> destination)
    {
        if (chars.Length != Chars)
            return false;
        for (var i = 0; i < Chars; i++)
        {
            if (chars[i] > 0xFF)
                return false;
            destination[i] = (byte)chars[i];
        }
        return true;
    }

    /// <summary>
    /// Writes the bytes as a quoted JSON string the way JavaScript's JSON.stringify writes the
    /// binary string: quote, backslash and control characters escaped (short forms where JSON has
    /// them, else lower-case \u00xx), 0x20..0x7F as is, 0x80..0xFF as two UTF-8 bytes.
    /// Returns the bytes written; <paramref name="destination"/> needs <see cref="MaxWrittenLength"/>.
    /// </summary>
    public static int Write(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        var at = 0;
        destination[at++] = (byte)'"';
        foreach (var b in bytes)
        {
            if (b >= 0x80)
            {
                destination[at++] = (byte)(0xC0 | (b >> 6));
                destination[at++] = (byte)(0x80 | (b & 0x3F));
            }
            else if (b >= 0x20 && b != '"' && b != '\\')
            {
                destination[at++] = b;
            }
            else
            {
                at += WriteEscape(b, destination[at..]);
            }
        }
        destination[at++] = (byte)'"';
        return at;
    }

    private static int WriteEscape(byte b, Span<byte> destination)
    {
        destination[0] = (byte)'\\';
        var shortForm = b switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'\b' => (byte)'b',
            (byte)'\f' => (byte)'f',
            (byte)'\n' => (byte)'n',
            (byte)'\r' => (byte)'r',
            (byte)'\t' => (byte)'t',
            _ => (byte)0,
        };
        if (shortForm != 0)
        {
            destination[1] = shortForm;
            return 2;
        }
        "u00"u8.CopyTo(destination[1..]);
        destination[4] = HexDigit(b >> 4);
        destination[5] = HexDigit(b & 0xF);
        return 6;
    }

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'a' + value - 10);
}
