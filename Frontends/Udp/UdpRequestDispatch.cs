using Microsoft.Extensions.Logging;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Frontends.Udp;

/// <summary>
/// Starts one received datagram's request and hands its response to the sender when it is ready:
/// at once for connects and errors, or when the grain call completes. Shared by the portable and
/// the batched receive loops.
/// </summary>
internal sealed class UdpRequestDispatch(IUdpRequestHandler handler, UdpScratchPool pool, IUdpResponseSender sender, ILogger logger)
{
    public UdpScratchPool Pool => pool;

    /// <summary>Takes ownership of <paramref name="scratch"/>: it goes back to the pool once answered or dropped.</summary>
    public void Dispatch(UdpScratch scratch, int received, PeerEndpoint source)
    {
        ValueTask<int> pending;
        try
        {
            pending = handler.Handle(received, source, scratch);
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "UDP request failed");
            pool.Return(scratch);
            return;
        }
        if (pending.IsCompletedSuccessfully)
        {
            sender.Send(scratch, pending.Result);
            return;
        }
        // No async method here: an `async Task` helper allocated a Task box per awaited announce.
        // The scratch keeps the pending response and a continuation made once.
        scratch.Pending = pending;
        scratch.Completion ??= Completion(scratch);
        pending.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(scratch.Completion);
    }

    // A separate method so that the closure is created only here, once per scratch, and not per
    // datagram (a lambda in the caller would allocate its captured variables every time).
    private Action Completion(UdpScratch scratch) => () => Complete(scratch);

    private void Complete(UdpScratch scratch)
    {
        var pending = scratch.Pending;
        scratch.Pending = default;
        int length;
        try
        {
            // GetResult also hands the handler's pooled state machine back to its pool.
            length = pending.GetAwaiter().GetResult();
        }
        catch (Exception e)
        {
            // A failed grain call (e.g. the silo shutting down) loses one response, never the loop.
            logger.LogDebug(e, "UDP request failed");
            length = 0;
        }
        sender.Send(scratch, length);
    }
}
