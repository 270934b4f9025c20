using System.Buffers;
using System.Runtime.InteropServices;

namespace OrleansTracker.Frontends.Protocol;

/// <summary>
/// Blanks, in place, the value of a Host header that is not a well-formed host (RFC 9110 §7.2) in
/// HTTP/1.x request heads as they stream in, so that the server behind it reads an empty Host
/// (valid: RFC 9112 §3.2) instead of answering 400. libtorrent 2.0.8 writes the Host of an
/// IPv6-literal tracker URL without brackets (<c>Host: ::1:7070</c>); opentracker never reads Host,
/// and the tracker routes do not either, so a malformed one must not decide whether an announce is
/// served. Blanking keeps every byte where it was: no copy, and the reader's positions stay valid.
/// </summary>
/// <remarks>
/// Feed it every buffer a reader returns (<see cref="Scan"/>), with the stream offset of the
/// buffer's first byte. It looks at each complete line once; a line still arriving is looked at
/// when its line feed has come. Only request heads are touched: after a head that announces a body
/// (Content-Length other than 0, Transfer-Encoding) or an upgrade, and on an HTTP/2 connection
/// (its preface), it stops for the rest of the connection, so body, WebSocket and HTTP/2 frame bytes
/// are never altered. Tracker requests are bodiless GETs, so that stop never costs them the repair.
/// </remarks>
public struct HostHeaderScrubber
{
    /// <summary>Longer values are blanked without being checked (a host name has at most 253 bytes).</summary>
    private const int MaxCheckedValue = 300;

    private long _scanned;
    private bool _passThrough;
    private bool _headHasBody;
    private bool _seenFirstLine;

    /// <summary>True once the connection carries more than bodiless HTTP/1 requests: nothing more is touched.</summary>
    public readonly bool Stopped => _passThrough;

    /// <summary>Looks at the complete lines of <paramref name="buffer"/> not looked at before.</summary>
    /// <param name="buffer">The unconsumed bytes a reader returned; blanked values are written into it.</param>
    /// <param name="offset">The stream offset of <paramref name="buffer"/>'s first byte.</param>
    public void Scan(in ReadOnlySequence<byte> buffer, long offset)
    {
        if (_passThrough)
            return;
        // A reader consumes whole lines of a head; anything else starts over at a line start.
        var start = Math.Max(0, _scanned - offset);
        if (start > buffer.Length)
            start = buffer.Length;
        var reader = new SequenceReader<byte>(buffer.Slice(start));
        while (!_passThrough && reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            Line(line);
            _scanned = offset + start + reader.Consumed;
        }
    }

    private void Line(ReadOnlySequence<byte> line)
    {
        if (!_seenFirstLine)
        {
            _seenFirstLine = true;
            // RFC 9113 §3.4: an HTTP/2 connection (prior knowledge, or h2 over TLS) opens with this.
            if (StartsWith(line, "pri * http/2"u8))
                _passThrough = true;
            return;
        }
        if (line.Length == 0 || (line.Length == 1 && line.FirstSpan[0] == (byte)'\r'))
        {
            // The end of a head: a body or an upgraded protocol follows, or the next request.
            _passThrough = _headHasBody;
            return;
        }
        if (StartsWith(line, "host:"u8))
            CheckHost(Value(line, "host:"u8.Length));
        else if (StartsWith(line, "content-length:"u8))
            _headHasBody |= !IsZero(Value(line, "content-length:"u8.Length));
        else if (StartsWith(line, "transfer-encoding:"u8) || StartsWith(line, "upgrade:"u8))
            _headHasBody = true;
    }

    private static void CheckHost(ReadOnlySequence<byte> value)
    {
        if (value.Length <= MaxCheckedValue)
        {
            Span<byte> copy = stackalloc byte[MaxCheckedValue];
            value.CopyTo(copy);
            if (HostSyntax.IsValid(copy[..(int)value.Length]))
                return;
        }
        // The pipe's memory is ours until the reader advances past it; it was written once by the
        // transport and is only read after this.
        foreach (var segment in value)
            MemoryMarshal.AsMemory(segment).Span.Fill((byte)' ');
    }

    /// <summary>A header line's value: after the name and colon, without surrounding spaces, tabs and the carriage return.</summary>
    private static ReadOnlySequence<byte> Value(ReadOnlySequence<byte> line, int nameLength)
    {
        var reader = new SequenceReader<byte>(line);
        reader.Advance(nameLength);
        reader.AdvancePastAny((byte)' ', (byte)'\t');
        var value = line.Slice(reader.Position);
        var length = value.Length;
        while (length > 0 && value.Slice(length - 1, 1).FirstSpan[0] is (byte)' ' or (byte)'\t' or (byte)'\r')
            length--;
        return value.Slice(0, length);
    }

    private static bool IsZero(ReadOnlySequence<byte> value) => value.Length == 1 && value.FirstSpan[0] == (byte)'0';

    /// <summary>ASCII case-insensitive prefix test (header names are case-insensitive).</summary>
    private static bool StartsWith(ReadOnlySequence<byte> line, ReadOnlySpan<byte> lowerPrefix)
    {
        if (line.Length < lowerPrefix.Length)
            return false;
        Span<byte> head = stackalloc byte[lowerPrefix.Length];
        line.Slice(0, lowerPrefix.Length).CopyTo(head);
        for (var i = 0; i < head.Length; i++)
        {
            var c = head[i];
            if (c is >= (byte)'A' and <= (byte)'Z')
                c |= 0x20;
            if (c != lowerPrefix[i])
                return false;
        }
        return true;
    }
}
