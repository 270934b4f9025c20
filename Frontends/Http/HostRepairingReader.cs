using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using OrleansTracker.Frontends.Protocol;

namespace OrleansTracker.Frontends.Http;

/// <summary>
/// A connection's input as Kestrel reads it on a tracker listener: the transport's own buffers,
/// with malformed Host values blanked in place by <see cref="HostHeaderScrubber"/> before Kestrel's
/// parser sees them. Every buffer is the transport's, passed through, so Kestrel's positions and
/// its AdvanceTo work unchanged; the only work per read is the scan of the lines that arrived.
/// </summary>
internal sealed class HostRepairingReader(PipeReader inner) : PipeReader
{
    private HostHeaderScrubber _scrubber;
    private ReadOnlySequence<byte> _buffer;

    /// <summary>The stream offset of <see cref="_buffer"/>'s first byte: what the reader consumed so far.</summary>
    private long _offset;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var pending = inner.ReadAsync(cancellationToken);
        return pending.IsCompletedSuccessfully ? new ValueTask<ReadResult>(Scan(pending.Result)) : ScanWhenRead(pending);
    }

    // Pooled: a read that waits for the network allocates no state machine box per request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult> ScanWhenRead(ValueTask<ReadResult> pending) => Scan(await pending.ConfigureAwait(false));

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
            return false;
        result = Scan(result);
        return true;
    }

    private ReadResult Scan(ReadResult result)
    {
        _buffer = result.Buffer;
        _scrubber.Scan(_buffer, _offset);
        return result;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _offset += _buffer.Slice(0, consumed).Length;
        // The transport may reuse the consumed segments once told: hold no reference to them.
        _buffer = default;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);
}
