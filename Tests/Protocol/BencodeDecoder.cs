using System.Text;

namespace OrleansTracker.Tests.Protocol;

/// <summary>
/// An independent, strict bencode decoder (BEP 3) used to check the writers: integers without
/// leading zeros or "-0", string lengths without leading zeros, dictionary keys unique and in
/// sorted byte order, and the whole input consumed. Values: long, byte[], List&lt;object&gt;, and
/// Dictionary&lt;string, object&gt; whose keys are the raw key bytes as Latin-1 text.
/// </summary>
internal static class BencodeDecoder
{
    public static object Decode(ReadOnlySpan<byte> data)
    {
        var position = 0;
        var value = Read(data, ref position, depth: 0);
        if (position != data.Length)
            throw new FormatException($"trailing bytes at {position}");
        return value;
    }

    public static Dictionary<string, object> DecodeDict(ReadOnlySpan<byte> data) =>
        Decode(data) as Dictionary<string, object> ?? throw new FormatException("not a dictionary");

    private static object Read(ReadOnlySpan<byte> data, ref int position, int depth)
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
                    list.Add(Read(data, ref position, depth + 1));
                Expect(data, ref position, (byte)'e');
                return list;
            case (byte)'d':
                position++;
                var dict = new Dictionary<string, object>(StringComparer.Ordinal);
                byte[]? previous = null;
                while (position < data.Length && data[position] != 'e')
                {
                    var key = ReadString(data, ref position);
                    if (previous is not null && previous.AsSpan().SequenceCompareTo(key) >= 0)
                        throw new FormatException($"key '{Encoding.Latin1.GetString(key)}' not sorted or repeated");
                    previous = key;
                    dict.Add(Encoding.Latin1.GetString(key), Read(data, ref position, depth + 1));
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
