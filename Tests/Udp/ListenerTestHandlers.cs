using System.Buffers.Binary;
using OrleansTracker.Frontends.Udp;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Tests.Udp;

/// <summary>
/// Answers every datagram with what the listener saw: the request's first 4 bytes (an id), then
/// 1 if the source was IPv4, its port and its 16 address bytes. Even ids are answered at once on
/// the receive thread, odd ids after an await on the thread pool, so both completion paths run.
/// </summary>
internal sealed class EchoSourceHandler : IUdpRequestHandler
{
    public const int ResponseLength = 4 + 1 + 2 + 16;

    public int MaxResponseLength => ResponseLength;

    public ValueTask<int> Handle(int packetLength, PeerEndpoint source, UdpScratch scratch)
    {
        if (packetLength < 4)
            return ValueTask.FromResult(0);
        var id = BinaryPrimitives.ReadInt32BigEndian(scratch.Receive);
        return id % 2 == 0 ? ValueTask.FromResult(Write(id, source, scratch)) : Later(id, source, scratch);
    }

    private static async ValueTask<int> Later(int id, PeerEndpoint source, UdpScratch scratch)
    {
        await Task.Yield();
        return Write(id, source, scratch);
    }

    private static int Write(int id, PeerEndpoint source, UdpScratch scratch)
    {
        var answer = scratch.Response.AsSpan(0, ResponseLength);
        answer.Clear();
        BinaryPrimitives.WriteInt32BigEndian(answer, id);
        answer[4] = source.IsIPv4 ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(answer[5..], source.Port);
        source.WriteAddress(answer[7..]);
        return ResponseLength;
    }
}

/// <summary>
/// Holds every request until <see cref="Release"/> (a grain call that does not return), then
/// answers later ones at once with their 4-byte id: the in-flight cap can be filled on purpose.
/// </summary>
internal sealed class GatedHandler : IUdpRequestHandler
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public int MaxResponseLength => 4;

    public void Release() => _gate.TrySetResult();

    public ValueTask<int> Handle(int packetLength, PeerEndpoint source, UdpScratch scratch)
    {
        Interlocked.Increment(ref _calls);
        scratch.Receive.AsSpan(0, 4).CopyTo(scratch.Response); // the response echoes the id
        return _gate.Task.IsCompleted ? ValueTask.FromResult(4) : Held();
    }

    private async ValueTask<int> Held()
    {
        await _gate.Task;
        return 4;
    }
}

/// <summary>
/// Answers at once on the receive thread and reads that thread's allocation counter at the start
/// of each of <paramref name="windows"/> windows of <paramref name="window"/> calls, after
/// <paramref name="warmup"/> calls: what the loop allocated for each window's datagrams.
/// </summary>
internal sealed class AllocationProbeHandler(int warmup, int window, int windows) : IUdpRequestHandler
{
    private readonly long[] _allocated = Enumerable.Repeat(-1L, windows).ToArray();
    private int _calls;
    private long _atWindowStart;

    /// <summary>Calls needed to fill every window.</summary>
    public int Needed => warmup + window * windows + 1;

    /// <summary>Bytes the receive thread allocated in each window; -1 for a window not yet complete.</summary>
    public IReadOnlyList<long> Allocated => _allocated;

    public int MaxResponseLength => 4;

    public ValueTask<int> Handle(int packetLength, PeerEndpoint source, UdpScratch scratch)
    {
        var call = _calls++; // one receive thread: no race
        if (call >= warmup && (call - warmup) % window == 0)
        {
            var now = GC.GetAllocatedBytesForCurrentThread();
            var finished = (call - warmup) / window - 1;
            if (finished >= 0 && finished < windows)
                _allocated[finished] = now - _atWindowStart;
            _atWindowStart = now;
        }
        scratch.Receive.AsSpan(0, 4).CopyTo(scratch.Response);
        return ValueTask.FromResult(4);
    }
}
