using System.Runtime.InteropServices;

namespace OrleansTracker.Frontends.Udp.Batched;

/// <summary>
/// The Linux batch calls .NET's Socket does not expose: one recvmmsg reads up to a vector's worth
/// of datagrams and one sendmmsg sends a vector of responses, each for one syscall instead of one per
/// datagram. The arguments are blittable (the vectors are pinned once by <see cref="MessageVector"/>),
/// so the only marshalling is the socket handle's reference count, which keeps the descriptor open
/// while a call uses it.
/// </summary>
internal static class LinuxDatagramCalls
{
    /// <summary>recvmmsg: block for the first datagram only, then take what is already queued.</summary>
    public const int MsgWaitForOne = 0x10000;

    /// <summary>recvmmsg: do not block at all.</summary>
    public const int MsgDontWait = 0x40;

    /// <summary>msg_flags: the datagram was longer than the buffer (and was cut).</summary>
    public const int MsgTrunc = 0x20;

    public const int EIntr = 4;
    public const int EAgain = 11;

    /// <summary>Linux's AF_INET and AF_INET6 in a sockaddr (host byte order).</summary>
    public const ushort AfInet = 2;
    public const ushort AfInet6 = 10;

    private const string Libc = "libc";

    [DllImport(Libc, EntryPoint = "recvmmsg", SetLastError = true)]
    public static extern int ReceiveMessages(SafeHandle socket, nint vector, uint length, int flags, nint timeout);

    [DllImport(Libc, EntryPoint = "sendmmsg", SetLastError = true)]
    public static extern int SendMessages(SafeHandle socket, nint vector, uint length, int flags);
}
