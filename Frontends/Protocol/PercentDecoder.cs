namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// Decodes one raw query-string value to bytes. "%XX" (either hex case) is the byte XX; every other
/// char up to 0xFF, '+' included, is its own byte. '+' is not turned into a space: that rule belongs
/// to HTML forms, binary hashes never need it, and a client that sends a literal '+' byte in a hash
/// (some do, since RFC 3986 allows it in a query) means 0x2B.
/// </summary>
internal static class PercentDecoder
{
    /// <summary>False on a broken escape, a char above 0xFF or when the value does not fit.</summary>
    public static bool TryDecode(ReadOnlySpan<char> value, Span<byte> destination, out int written)
    {
        written = 0;
        for (var i = 0; i < value.Length; i++)
        {
            int b = value[i];
            if (b == '%')
            {
                if (i + 2 >= value.Length)
                    return false;
                var hi = HexValue(value[i + 1]);
                var lo = HexValue(value[i + 2]);
                if ((hi | lo) < 0)
                    return false;
                b = (hi << 4) | lo;
                i += 2;
            }
            else if (b > 0xFF)
            {
                return false;
            }
            if (written == destination.Length)
                return false;
            destination[written++] = (byte)b;
        }
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
