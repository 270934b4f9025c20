using System.Text;

namespace OrleansTracker.Fuzz;

/// <summary>
/// Independent, deliberately naive readings of the wire rules (string splitting, lists), used as
/// oracles for the span-based codecs. Slow is fine; sharing code with the codec under test is not.
/// </summary>
internal static class Reference
{
    /// <summary>Raw query pairs in order: name and value (null when the pair has no '=').</summary>
    public static List<(string Name, string? Value)> Pairs(string query)
    {
        var pairs = new List<(string, string?)>();
        if (query.Length == 0)
            return pairs;
        foreach (var pair in query.Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            pairs.Add(eq < 0 ? (pair, null) : (pair[..eq], pair[(eq + 1)..]));
        }
        return pairs;
    }

    /// <summary>"%XX" is byte XX, any other char up to U+00FF is itself; null on a broken escape or a wider char.</summary>
    public static byte[]? PercentDecode(string value)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '%')
            {
                if (i + 2 >= value.Length || !Uri.IsHexDigit(value[i + 1]) || !Uri.IsHexDigit(value[i + 2]))
                    return null;
                bytes.Add((byte)((Uri.FromHex(value[i + 1]) * 16) + Uri.FromHex(value[i + 2])));
                i += 2;
            }
            else if (c > 0xFF)
            {
                return null;
            }
            else
            {
                bytes.Add((byte)c);
            }
        }
        return [.. bytes];
    }

    /// <summary>Every byte as "%xx": the form a careful client sends for binary values.</summary>
    public static string PercentEncode(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
            text.Append('%').Append(Convert.ToHexString([b]));
        return text.ToString();
    }

    /// <summary>
    /// BEP 41 options after the 98-byte announce: 0x1 is one byte of padding, 0x2 is a length byte
    /// and that many bytes of URL data, anything else ends the list. Null when an option is cut.
    /// </summary>
    public static byte[]? UrlData(ReadOnlySpan<byte> packet)
    {
        var data = new List<byte>();
        var i = 98;
        while (i < packet.Length)
        {
            if (packet[i] == 1)
            {
                i += 1;
            }
            else if (packet[i] == 2)
            {
                if (i + 1 >= packet.Length || i + 2 + packet[i + 1] > packet.Length)
                    return null;
                data.AddRange(packet.Slice(i + 2, packet[i + 1]));
                i += 2 + packet[i + 1];
            }
            else
            {
                break;
            }
        }
        return [.. data];
    }

    /// <summary>The key of "/announce/KEY[/][?query]", by string operations; empty when there is none.</summary>
    public static byte[] PathKey(byte[] urlData)
    {
        var text = Encoding.Latin1.GetString(urlData);
        var path = text.Split('?')[0];
        if (!path.StartsWith("/announce/", StringComparison.Ordinal))
            return [];
        var key = path["/announce/".Length..];
        if (key.EndsWith('/'))
            key = key[..^1];
        return Encoding.Latin1.GetBytes(key);
    }
}
