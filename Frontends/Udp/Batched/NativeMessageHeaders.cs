using System.Runtime.InteropServices;

namespace OrleansTracker.Frontends.Udp.Batched;

// The C structs recvmmsg/sendmmsg read and write, laid out as Linux's glibc/musl declare them
// (pointer-sized fields as nint/nuint so the layout also holds on 32-bit Linux). Sequential layout
// inserts the same padding a C compiler does: MsgHdr is 56 bytes and MMsgHdr 64 on 64-bit.

/// <summary><c>struct iovec</c>: one buffer of a message.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoVec
{
    public nint Base;
    public nuint Length;
}

/// <summary><c>struct msghdr</c>: the peer's address and the buffers of one datagram.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MsgHdr
{
    public nint Name;
    public uint NameLength;
    public nint Iov;
    public nuint IovLength;
    public nint Control;
    public nuint ControlLength;
    public int Flags;
}

/// <summary><c>struct mmsghdr</c>: one entry of a recvmmsg/sendmmsg vector; the kernel writes the byte count into <see cref="Length"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct MMsgHdr
{
    public MsgHdr Header;
    public uint Length;
}
