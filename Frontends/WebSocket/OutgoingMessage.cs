using System.Buffers;

namespace OrleansTracker.Frontends.WebSocket;

/// <summary>
/// A message is written into pooled scratch of its largest possible size, then copied out at its
/// exact size: one allocation a message (it must outlive the call, in a socket's send queue or on
/// its way to another silo) instead of the worst-case array plus the copy.
/// </summary>
internal static class OutgoingMessage
{
    public static byte[] Rent(int maxLength) => ArrayPool<byte>.Shared.Rent(maxLength);

    /// <summary>The first <paramref name="length"/> bytes as their own array; the scratch goes back to the pool.</summary>
    public static byte[] Take(byte[] scratch, int length)
    {
        var message = scratch.AsSpan(0, length).ToArray();
        ArrayPool<byte>.Shared.Return(scratch);
        return message;
    }
}
