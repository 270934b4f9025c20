using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OrleansTracker.Frontends.Udp.Batched;

/// <summary>
/// A recvmmsg/sendmmsg vector with one iovec per entry, allocated once on the pinned object heap so
/// the kernel can be handed its address on every call without pinning anything per datagram. Each
/// entry points at one <see cref="UdpScratch"/>'s pinned buffers (or at a shared drop buffer).
/// </summary>
internal sealed class MessageVector
{
    private readonly MMsgHdr[] _headers;
    private readonly IoVec[] _buffers;
    private readonly nint _headersAddress;
    private readonly nint _buffersAddress;

    public MessageVector(int capacity)
    {
        _headers = GC.AllocateArray<MMsgHdr>(capacity, pinned: true);
        _buffers = GC.AllocateArray<IoVec>(capacity, pinned: true);
        _headersAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_headers, 0);
        _buffersAddress = Marshal.UnsafeAddrOfPinnedArrayElement(_buffers, 0);
    }

    public int Capacity => _headers.Length;

    /// <summary>Points entry <paramref name="index"/> at a peer address and a buffer of <paramref name="length"/> bytes.</summary>
    public void Set(int index, nint address, int addressLength, nint buffer, int length)
    {
        _buffers[index] = new IoVec { Base = buffer, Length = (nuint)length };
        ref var header = ref _headers[index];
        header.Header = new MsgHdr
        {
            Name = address,
            NameLength = (uint)addressLength,
            Iov = _buffersAddress + index * Unsafe.SizeOf<IoVec>(),
            IovLength = 1,
        };
        header.Length = 0;
    }

    /// <summary>Bytes the kernel wrote into entry <paramref name="index"/> (recvmmsg) or sent from it (sendmmsg).</summary>
    public int Length(int index) => (int)_headers[index].Length;

    /// <summary>The address length the kernel wrote for entry <paramref name="index"/> (recvmmsg).</summary>
    public int AddressLength(int index) => (int)_headers[index].Header.NameLength;

    public bool Truncated(int index) => (_headers[index].Header.Flags & LinuxDatagramCalls.MsgTrunc) != 0;

    /// <summary>recvmmsg into the first <paramref name="count"/> entries.</summary>
    public int Receive(SafeHandle socket, int count, int flags) =>
        LinuxDatagramCalls.ReceiveMessages(socket, _headersAddress, (uint)count, flags, 0);

    /// <summary>sendmmsg of entries <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/>; returns how many went out.</summary>
    public int Send(SafeHandle socket, int start, int count) =>
        LinuxDatagramCalls.SendMessages(socket, _headersAddress + start * Unsafe.SizeOf<MMsgHdr>(), (uint)count, 0);
}
