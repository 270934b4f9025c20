namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// IP address text ↔ bytes over ASCII spans, without <see cref="System.Net.IPAddress"/> (which
/// allocates per call). Parsing is strict: dotted-quad IPv4 without leading zeros (a leading zero
/// means octal to some parsers), RFC 4291 IPv6 with at most one "::" and an optional dotted tail,
/// no zone ids. Formatting follows RFC 5952 (lower-case hex, longest zero run of 2+ groups as "::").
/// </summary>
internal static partial class IPText
{
    public const int MaxIPv4Length = 15;
    public const int MaxIPv6Length = 39;

    public static bool TryParseIPv4(ReadOnlySpan<byte> text, Span<byte> address)
    {
        var part = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            var value = 0;
            while (i < text.Length && i - start < 3 && (uint)(text[i] - '0') <= 9)
                value = (value * 10) + (text[i++] - '0');
            var digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && text[start] == '0'))
                return false;
            address[part++] = (byte)value;
            if (part == 4)
                return i == text.Length;
            if (i >= text.Length || text[i] != '.')
                return false;
            i++;
        }
    }

    public static bool TryParseIPv6(ReadOnlySpan<byte> text, Span<byte> address)
    {
        Span<ushort> groups = stackalloc ushort[8];
        int count = 0, gap = -1, i = 0;
        if (text.StartsWith("::"u8))
        {
            gap = 0;
            i = 2;
        }
        while (i < text.Length)
        {
            var end = text[i..].IndexOf((byte)':');
            var token = end < 0 ? text[i..] : text.Slice(i, end);
            if (token.Contains((byte)'.'))
            {
                // An embedded IPv4 tail ("::ffff:1.2.3.4") is the last two groups.
                Span<byte> v4 = stackalloc byte[4];
                if (end >= 0 || count > 6 || !TryParseIPv4(token, v4))
                    return false;
                groups[count++] = (ushort)((v4[0] << 8) | v4[1]);
                groups[count++] = (ushort)((v4[2] << 8) | v4[3]);
                break;
            }
            if (token.Length is 0 or > 4 || count == 8)
                return false;
            var value = 0;
            foreach (var c in token)
            {
                var digit = HexValue(c);
                if (digit < 0)
                    return false;
                value = (value << 4) | digit;
            }
            groups[count++] = (ushort)value;
            i += token.Length;
            if (i == text.Length)
                break;
            i++; // the ':'
            if (i == text.Length)
                return false; // a single trailing ':'
            if (text[i] == ':')
            {
                if (gap >= 0)
                    return false;
                gap = count;
                i++;
            }
        }
        if (gap < 0 ? count != 8 : count > 7)
            return false;
        address[..16].Clear();
        var tail = count - Math.Max(gap, 0);
        for (var g = 0; g < count; g++)
        {
            // Groups after the gap are right-aligned; those before it stay at the front.
            var slot = gap >= 0 && g >= gap ? 8 - tail + (g - gap) : g;
            address[2 * slot] = (byte)(groups[g] >> 8);
            address[(2 * slot) + 1] = (byte)groups[g];
        }
        return true;
    }

    private static int HexValue(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };
}
