using System.Diagnostics;
using System.Net;
using OrleansTracker.Tests.Support;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// Measures from outside, over UDP, how long the surviving nodes leave each torrent unanswered
/// after a silo is killed: every torrent announces every <see cref="Cadence"/> through the survivors
/// in turn, and its window ends with the first answer after its last unanswered request. A torrent is
/// settled after <see cref="SettledAnswers"/> answers in a row. Bounded by the deadline passed in.
/// </summary>
internal sealed class FailoverWatch(IReadOnlyList<TrackerProcess> survivors, long connectionId)
{
    private static readonly TimeSpan Cadence = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan AnswerWait = TimeSpan.FromMilliseconds(700);
    private const int SettledAnswers = 5;

    /// <summary>Per peer (one per torrent): the window from <paramref name="killed"/> until it was answered for good; null if never within the deadline.</summary>
    public async Task<TimeSpan?[]> WindowsAsync(IReadOnlyList<ClusterPeer> peers, Stopwatch killed, TimeSpan deadline) =>
        await Task.WhenAll(peers.Select((peer, i) => WindowAsync(peer, i, killed, deadline)));

    private async Task<TimeSpan?> WindowAsync(ClusterPeer peer, int offset, Stopwatch killed, TimeSpan deadline)
    {
        TimeSpan? window = null;
        var inARow = 0;
        for (var turn = offset; inARow < SettledAnswers && killed.Elapsed < deadline; turn++)
        {
            var sent = killed.Elapsed;
            // A socket per request, each to the next survivor: a late answer is never read as the next one's.
            using (var client = Client(survivors[turn % survivors.Count]))
            {
                try
                {
                    await client.AnnounceAsync(peer.Hash, peer.PeerId, peer.Port, peer.Left);
                    window ??= killed.Elapsed;
                    inARow++;
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // Unanswered (or wrong): the window is open again.
                    window = null;
                    inARow = 0;
                }
            }
            var pause = Cadence - (killed.Elapsed - sent);
            if (pause > TimeSpan.Zero)
                await Task.Delay(pause);   // paces the probes at the cadence (load, not a wait)
        }
        return inARow >= SettledAnswers ? window : null;
    }

    private UdpTrackerClient Client(TrackerProcess node)
    {
        var client = new UdpTrackerClient(new IPEndPoint(IPAddress.Loopback, node.Ports.Udp), AnswerWait);
        client.UseConnectionId(connectionId);
        return client;
    }
}
