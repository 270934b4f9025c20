using System.Text;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// A bencode decoder (BEP 3) for the operator's tracker client (reading any tracker's HTTP answers)
/// and for the tests that check our writers. It allocates freely: never on a tracker's hot path.
/// Always refused: integers with leading zeros or "-0", string lengths with leading zeros, repeated
/// dictionary keys, nesting deeper than 32, anything after the value. Strict (the default, the
/// writers' check) also refuses keys out of sorted byte order; lenient accepts them, because
/// other trackers' answers are read as they are. Values: long, byte[], List&lt;object&gt;, and
/// Dictionary&lt;string, object&gt; whose keys are the raw key bytes as Latin-1 text.
/// </summary>
public static class BencodeDecoder
{
    public static object Decode(ReadOnlySpan<byte> data, bool strict = true)
    {
        var position = 0;
        var value = Read(data, ref position, depth: 0, strict);
        if (position != data.Length)
            throw new FormatException($"trailing bytes at {position}");
        return value;
    }

    public static Dictionary<string, object> DecodeDict(ReadOnlySpan<byte> data, bool strict = true) =>
        Decode(data, strict) as Dictionary<string, object> ?? throw new FormatException("not a dictionary");

    private static object Read(ReadOnlySpan<byte> data, ref int position, int depth, bool strict)
    {
        if (depth > 32)
            throw new FormatException("too deep");
        if (position >= data.Length)
            throw new FormatException("unexpected end");
        switch (data[position])
        {
            case (byte)'i':
                position++;
                var end = data[position..].IndexOf((byte)'e');
                if (end < 0)
                    throw new FormatException("unterminated integer");
                var digits = Encoding.ASCII.GetString(data.Slice(position, end));
                if (digits.Length == 0 || digits == "-0" || digits.StartsWith("-0", StringComparison.Ordinal)
                    || (digits.Length > 1 && digits[0] == '0') || digits.Skip(digits[0] == '-' ? 1 : 0).Any(c => c is < '0' or > '9'))
                    throw new FormatException($"bad integer '{digits}'");
                position += end + 1;
                return long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
            case (byte)'l':
                position++;
                var list = new List<object>();
                while (position < data.Length && data[position] != 'e')
                    list.Add(Read(data, ref position, depth + 1, strict));
                Expect(data, ref position, (byte)'e');
                return list;
            case (byte)'d':
                position++;
                var dict = new Dictionary<string, object>(StringComparer.Ordinal);
                byte[]? previous = null;
                while (position < data.Length && data[position] != 'e')
                {
                    var key = ReadString(data, ref position);
                    if (strict && previous is not null && previous.AsSpan().SequenceCompareTo(key) >= 0)
                        throw new FormatException($"key '{Encoding.Latin1.GetString(key)}' not sorted or repeated");
                    previous = key;
                    if (!dict.TryAdd(Encoding.Latin1.GetString(key), Read(data, ref position, depth + 1, strict)))
                        throw new FormatException($"key '{Encoding.Latin1.GetString(key)}' repeated");
                }
                Expect(data, ref position, (byte)'e');
                return dict;
            default:
                return ReadString(data, ref position);
        }
    }

    private static byte[] ReadString(ReadOnlySpan<byte> data, ref int position)
    {
        var colon = data[position..].IndexOf((byte)':');
        if (colon <= 0 || colon > 10)
            throw new FormatException($"bad string length at {position}");
        var digits = Encoding.ASCII.GetString(data.Slice(position, colon));
        if ((digits.Length > 1 && digits[0] == '0') || digits.Any(c => c is < '0' or > '9'))
            throw new FormatException($"bad string length '{digits}'");
        var length = int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        position += colon + 1;
        if (position + length > data.Length)
            throw new FormatException("string runs past the end");
        var bytes = data.Slice(position, length).ToArray();
        position += length;
        return bytes;
    }

    private static void Expect(ReadOnlySpan<byte> data, ref int position, byte token)
    {
        if (position >= data.Length || data[position] != token)
            throw new FormatException($"expected '{(char)token}' at {position}");
        position++;
    }
}
