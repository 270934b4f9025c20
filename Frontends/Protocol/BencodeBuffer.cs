using System.Globalization;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// Appends bencode tokens (BEP 3 "bencoding") to a caller-owned span. Keys are written as
/// pre-encoded literals by the callers, in sorted byte order, because BEP 3 requires sorted keys.
/// Running out of room is a caller bug (buffers are sized with the Max…Length functions) and throws.
/// </summary>
internal ref struct BencodeBuffer(Span<byte> destination)
{
    /// <summary>"i" + "-9223372036854775808" + "e".</summary>
    public const int MaxInt64Length = 22;
    /// <summary>"i" + "-2147483648" + "e".</summary>
    public const int MaxInt32Length = 13;
    /// <summary>The longest "&lt;length&gt;:" prefix of a byte string: ten digits and a colon.</summary>
    public const int MaxLengthPrefix = 11;

    private readonly Span<byte> _destination = destination;
    private int _position;

    public readonly int Length => _position;

    /// <summary>Copies pre-encoded bencode (keys, "d", "l", "e").</summary>
    public void Raw(scoped ReadOnlySpan<byte> token)
    {
        token.CopyTo(_destination[_position..]);
        _position += token.Length;
    }

    public void Raw(byte token) => _destination[_position++] = token;

    public void Integer(long value)
    {
        Raw((byte)'i');
        Digits(value);
        Raw((byte)'e');
    }

    /// <summary>A byte string: decimal length, ':', the bytes.</summary>
    public void String(scoped ReadOnlySpan<byte> value)
    {
        Digits(value.Length);
        Raw((byte)':');
        Raw(value);
    }

    /// <summary>Reserves room for a string of <paramref name="length"/> bytes and returns it to fill.</summary>
    public Span<byte> StringSlot(int length)
    {
        Digits(length);
        Raw((byte)':');
        var slot = _destination.Slice(_position, length);
        _position += length;
        return slot;
    }

    private void Digits(long value)
    {
        if (!value.TryFormat(_destination[_position..], out var written, default, CultureInfo.InvariantCulture))
            throw new ArgumentException("destination too small; size it with the Max…Length functions");
        _position += written;
    }
}
