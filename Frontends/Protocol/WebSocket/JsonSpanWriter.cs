using System.Globalization;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Protocol.WebSocket;

/// <summary>
/// Appends JSON pieces to a span the caller sized (the writers' Max…Length). The messages have a
/// fixed shape, so they are written by hand: byte for byte what JSON.stringify would give for the
/// binary strings, and no intermediate objects.
/// </summary>
internal ref struct JsonSpanWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;

    public int Length { get; private set; }

    public void Literal(ReadOnlySpan<byte> utf8)
    {
        utf8.CopyTo(_destination[Length..]);
        Length += utf8.Length;
    }

    public void Number(long value)
    {
        value.TryFormat(_destination[Length..], out var written, default, CultureInfo.InvariantCulture);
        Length += written;
    }

    public void Binary(Bytes20 value)
    {
        Span<byte> bytes = stackalloc byte[Bytes20.Length];
        value.WriteTo(bytes);
        Length += BinaryString.Write(bytes, _destination[Length..]);
    }

    public void Binary(InfoHash value)
    {
        Span<byte> bytes = stackalloc byte[InfoHash.Length];
        value.WriteTo(bytes);
        Length += BinaryString.Write(bytes, _destination[Length..]);
    }

    public void Binary(PeerId value)
    {
        Span<byte> bytes = stackalloc byte[PeerId.Length];
        value.WriteTo(bytes);
        Length += BinaryString.Write(bytes, _destination[Length..]);
    }

    /// <summary>A text the tracker wrote itself (ASCII, nothing JSON must escape), quoted.</summary>
    public void AsciiString(string text)
    {
        _destination[Length++] = (byte)'"';
        foreach (var c in text)
            _destination[Length++] = c is >= ' ' and < (char)0x7F and not '"' and not '\\' ? (byte)c : (byte)'?';
        _destination[Length++] = (byte)'"';
    }
}
