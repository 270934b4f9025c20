using System.Buffers;

namespace OrleansTracker.Frontends.WebSocket;

/// <summary>
/// The upgraded connection's stream as the WebSocket writes frames into it. A frame written after
/// <see cref="CorkNextWrite"/> is held back and goes out with the next frame in one write: when
/// several messages wait in a socket's queue, they leave in one flush and one send instead of one
/// each (each send is a system call and, on the receiving side, a wake-up). Reads pass through.
/// </summary>
/// <remarks>
/// The WebSocket serialises its writes (data, pongs and close frames alike), so the held bytes are
/// never touched by two writes at once. A held frame always leaves with the next write of any
/// kind: the sender corks a frame only when another message is already queued behind it.
/// Nothing is held on an idle connection: the scratch is pooled and returned once written.
/// </remarks>
internal sealed class CorkingStream(Stream inner) : Stream
{
    // Several relayed offers (an SDP is 1-4 KB); past it, the held bytes are written first.
    private const int MaxHeldBytes = 16 * 1024;

    private byte[]? _held;
    private int _heldLength;
    private int _corkNext;

    /// <summary>The next frame written is held until the frame after it.</summary>
    public void CorkNextWrite() => Volatile.Write(ref _corkNext, 1);

    /// <summary>Undoes <see cref="CorkNextWrite"/> when the send it was meant for did not happen.</summary>
    public void CancelCork() => Volatile.Write(ref _corkNext, 0);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var cork = Interlocked.Exchange(ref _corkNext, 0) == 1;
        if (!cork && _heldLength == 0)
            return inner.WriteAsync(buffer, cancellationToken);
        if (_heldLength + buffer.Length <= MaxHeldBytes)
        {
            Hold(buffer.Span);
            return cork ? ValueTask.CompletedTask : WriteHeld(cancellationToken);
        }
        return WriteHeldThen(buffer, cork, cancellationToken);
    }

    private void Hold(ReadOnlySpan<byte> frame)
    {
        _held ??= ArrayPool<byte>.Shared.Rent(MaxHeldBytes);
        frame.CopyTo(_held.AsSpan(_heldLength));
        _heldLength += frame.Length;
    }

    private async ValueTask WriteHeld(CancellationToken cancellationToken)
    {
        var held = _held!;
        var length = _heldLength;
        (_held, _heldLength) = (null, 0);
        try
        {
            await inner.WriteAsync(held.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(held);
        }
    }

    /// <summary>The frame does not fit next to the held bytes: those go first, then the frame is held (corked) or written.</summary>
    private async ValueTask WriteHeldThen(ReadOnlyMemory<byte> buffer, bool cork, CancellationToken cancellationToken)
    {
        if (_heldLength > 0)
            await WriteHeld(cancellationToken).ConfigureAwait(false);
        if (cork && buffer.Length <= MaxHeldBytes)
            Hold(buffer.Span);
        else
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReleaseHeld();
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private void ReleaseHeld()
    {
        if (_held is { } held)
            ArrayPool<byte>.Shared.Return(held);
        (_held, _heldLength) = (null, 0);
    }
}
