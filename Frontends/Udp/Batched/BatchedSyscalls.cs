using System.Net.Sockets;
using System.Runtime.CompilerServices;

namespace OrleansTracker.Frontends.Udp.Batched;

/// <summary>Decides at start whether a socket can use recvmmsg/sendmmsg.</summary>
internal static class BatchedSyscalls
{
    /// <summary>
    /// True on Linux when libc's recvmmsg and sendmmsg can be called on <paramref name="socket"/>
    /// and the structs have the C layout this process's pointer size implies. A zero-length call
    /// is a no-op for the kernel, so the probe sends and receives nothing.
    /// </summary>
    public static bool TryProbe(Socket socket, out string? reason)
    {
        reason = null;
        if (!OperatingSystem.IsLinux())
        {
            reason = "not Linux";
            return false;
        }
        var expected = IntPtr.Size == 8 ? 64 : 32;
        if (Unsafe.SizeOf<MMsgHdr>() != expected)
        {
            reason = $"struct mmsghdr is {Unsafe.SizeOf<MMsgHdr>()} bytes, expected {expected}";
            return false;
        }
        try
        {
            if (LinuxDatagramCalls.SendMessages(socket.SafeHandle, 0, 0, 0) != 0)
            {
                reason = $"sendmmsg probe failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})";
                return false;
            }
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            reason = e.Message;
            return false;
        }
    }
}
