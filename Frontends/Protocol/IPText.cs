namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// IP address bytes to text over ASCII spans, without <see cref="System.Net.IPAddress"/> (which
/// allocates per call), for non-compact announce responses. RFC 5952 for IPv6: lower-case hex,
/// the longest zero run of 2+ groups as "::".
/// </summary>
internal static class IPText
{
    public const int MaxIPv4Length = 15;
    public const int MaxIPv6Length = 39;

    public static int FormatIPv4(ReadOnlySpan<byte> address, Span<byte> destination)
    {
        var n = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i > 0)
                destination[n++] = (byte)'.';
            int v = address[i];
            if (v >= 100)
                destination[n++] = (byte)('0' + (v / 100));
            if (v >= 10)
                destination[n++] = (byte)('0' + (v / 10 % 10));
            destination[n++] = (byte)('0' + (v % 10));
        }
        return n;
    }

    public static int FormatIPv6(ReadOnlySpan<byte> address, Span<byte> destination)
    {
        // Find the longest run of zero groups (2 or more; the first one on a tie).
        int bestStart = -1, bestLength = 1, runStart = -1;
        for (var g = 0; g <= 8; g++)
        {
            var zero = g < 8 && address[2 * g] == 0 && address[(2 * g) + 1] == 0;
            if (zero && runStart < 0)
                runStart = g;
            else if (!zero && runStart >= 0)
            {
                if (g - runStart > bestLength)
                    (bestStart, bestLength) = (runStart, g - runStart);
                runStart = -1;
            }
        }
        var n = 0;
        for (var g = 0; g < 8; g++)
        {
            if (g == bestStart)
            {
                destination[n++] = (byte)':';
                destination[n++] = (byte)':';
                g += bestLength - 1;
                continue;
            }
            if (g > 0 && g != bestStart + bestLength)
                destination[n++] = (byte)':';
            var value = (address[2 * g] << 8) | address[(2 * g) + 1];
            var started = false;
            for (var shift = 12; shift >= 0; shift -= 4)
            {
                var digit = (value >> shift) & 0xF;
                if (digit == 0 && !started && shift > 0)
                    continue;
                started = true;
                destination[n++] = (byte)"0123456789abcdef"[digit];
            }
        }
        return n;
    }
}
