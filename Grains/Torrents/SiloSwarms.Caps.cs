using OrleansTracker.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace OrleansTracker.Grains.Torrents;

/// <summary>
/// The memory caps on this silo's swarms: keeps the number of swarm activations at or under
/// <c>max_swarms_per_silo</c> and the peers they hold in all at or under <c>max_peers_per_silo</c>.
/// When a new activation or peer takes a count over its cap, one background pass asks the swarms
/// announced longest ago to leave (down to <see cref="TargetShare"/> of the cap, so a flood costs
/// one scan per tenth of the cap, not one per activation). A swarm saves its completed count before
/// it leaves and reloads it when it comes back; its peers re-enter on their next announce.
/// </summary>
public sealed partial class SiloSwarms
{
    /// <summary>A pass evicts down to this share of the cap.</summary>
    public const double TargetShare = 0.9;

    private long _leavingPeers;
    // Swarms asked to leave that have not deactivated yet: counted out so a pass does not evict
    // again while the previous pass's swarms are still saving and leaving.
    private int _leaving;
    private int _passRunning;
    private bool _warnedSwarms;
    private bool _warnedPeers;

    /// <summary>max_swarms_per_silo.</summary>
    public int Limit { get; }

    /// <summary>max_peers_per_silo.</summary>
    public long PeerLimit { get; }

    /// <summary>Swarms this silo evicted, this process's total (published as swarms_evicted).</summary>
    public long Evicted => _counters.SwarmsEvicted;

    /// <summary>Peers evicted by the per-swarm cap, this process's total (published as peers_evicted).</summary>
    public long PeersEvicted => _counters.PeersEvicted;

    /// <summary>Called by a grain that agreed to leave: counts the eviction.</summary>
    internal void Leaving(SiloSwarmEntry entry)
    {
        entry.Leaving = true;
        entry.LeavingPeers = entry.Peers;
        Interlocked.Increment(ref _leaving);
        Interlocked.Add(ref _leavingPeers, entry.LeavingPeers);
        _counters.AddSwarmEvicted();
    }

    private int StayingSwarms => Count - Volatile.Read(ref _leaving);

    private long StayingPeers => Peers - Volatile.Read(ref _leavingPeers);

    private bool OverSwarmLimit => StayingSwarms > Limit;

    private bool OverPeerLimit => StayingPeers > PeerLimit;

    private void StartPass()
    {
        if (Interlocked.CompareExchange(ref _passRunning, 1, 0) == 0)
            _ = Task.Run(EvictionPass);
    }

    private async Task EvictionPass()
    {
        try
        {
            while (OverSwarmLimit || OverPeerLimit)
            {
                var swarmExcess = OverSwarmLimit ? StayingSwarms - (int)(Limit * TargetShare) : 0;
                var peerExcess = OverPeerLimit ? StayingPeers - (long)(PeerLimit * TargetShare) : 0;
                WarnOnce(swarmExcess > 0, peerExcess > 0);
                var (victims, cutoff) = Oldest(swarmExcess, peerExcess);
                if (victims.Count == 0)
                    return;
                var asked = victims.Select(v => _grains.GetGrain<ITorrentGrain>(TorrentKeys.For(v.Key)).Evict(cutoff).AsTask());
                // A swarm that stopped answering must not stall the cap for good: the next pass
                // (triggered by the next activation or peer over the cap) tries again.
                await Task.WhenAll(asked).WaitAsync(TimeSpan.FromSeconds(30));
                // Swarms announced after the scan refused; if that left too many, go again.
                if (!victims.Any(v => v.Value.Leaving))
                    return;
            }
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "A swarm eviction pass failed; the next activation or peer over the cap starts another");
        }
        finally
        {
            Volatile.Write(ref _passRunning, 0);
        }
    }

    private void WarnOnce(bool swarms, bool peers)
    {
        if (swarms && !_warnedSwarms)
        {
            _warnedSwarms = true;
            _logger.LogWarning("More than max_swarms_per_silo = {Limit} swarms on this silo: evicting the ones announced longest ago (counted in swarms_evicted; this message is logged once)", Limit);
        }
        if (peers && !_warnedPeers)
        {
            _warnedPeers = true;
            _logger.LogWarning("More than max_peers_per_silo = {Limit} peers on this silo: evicting the swarms announced longest ago (counted in swarms_evicted; this message is logged once)", PeerLimit);
        }
    }

    /// <summary>
    /// The entries announced longest ago, as many as it takes to remove <paramref name="swarms"/>
    /// swarms and <paramref name="peers"/> peers (one snapshot, sorted: a pass runs once per tenth
    /// of a cap), and the newest stamp among them: a victim announced after that has become busy
    /// and stays.
    /// </summary>
    private (List<KeyValuePair<InfoHash, SiloSwarmEntry>> Victims, long Cutoff) Oldest(int swarms, long peers)
    {
        var entries = _entries.Where(e => !e.Value.Leaving).ToArray();
        var stamps = Array.ConvertAll(entries, e => e.Value.LastAnnounceTicks);
        Array.Sort(stamps, entries);
        var victims = new List<KeyValuePair<InfoHash, SiloSwarmEntry>>();
        long cutoff = 0, taken = 0;
        for (var i = 0; i < entries.Length && (victims.Count < swarms || taken < peers); i++)
        {
            victims.Add(entries[i]);
            taken += entries[i].Value.Peers;
            cutoff = stamps[i];
        }
        return (victims, cutoff);
    }
}
