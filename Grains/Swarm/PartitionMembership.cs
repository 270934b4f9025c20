using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Swarm;

/// <summary>
/// A swarm's registration with its sweep partition, which sweeps it, sums its counts for the
/// statistics and flushes its completed count. Registers when the swarm gets its first peer,
/// reports the counts when they changed (a steady re-announce sends nothing), and reports a changed
/// completed count once per flush. If no sweep came for <c>2 × cleanup_interval + 1 min</c> it
/// registers again: a fallback, as the silo's PartitionWatch calls <see cref="Rejoin"/> soon after
/// a partition moved. Plain single-threaded class, owned by the torrent grain.
/// </summary>
public sealed class PartitionMembership(IPartitionMailbox partition, TimeSpan cleanupInterval)
{
    private readonly TimeSpan _rejoinAfter = cleanupInterval * 2 + TimeSpan.FromMinutes(1);
    private SwarmCounts _reported;
    private long _reportVersion;
    private DateTimeOffset _lastSweep;

    /// <summary>The partition knows the swarm (as far as the swarm can tell).</summary>
    public bool IsRegistered { get; private set; }

    /// <summary>After an announce: registers, reports changed counts, reports a changed completed count.</summary>
    public void Announced(Swarm swarm, CompletedCountWriter count, DateTimeOffset now)
    {
        var counts = swarm.Counts;
        if (!swarm.IsEmpty && (!IsRegistered || now - _lastSweep > _rejoinAfter))
        {
            IsRegistered = true;
            _lastSweep = now;
            Report(counts);
        }
        else if (IsRegistered && counts != _reported)
        {
            Report(counts);
        }
        if (count.TakeReport())
            partition.MarkDirty();
    }

    /// <summary>The partition swept the swarm; it takes <paramref name="counts"/> from the sweep's report.</summary>
    public void Swept(DateTimeOffset now, SwarmCounts counts)
    {
        _lastSweep = now;
        _reported = counts;
    }

    /// <summary>The sweep's report removed the swarm from the partition.</summary>
    public void RemovedBySweep() => IsRegistered = false;

    /// <summary>The partition has a new activation that does not know this swarm: tell it everything again.</summary>
    public void Rejoin(SwarmCounts counts, CompletedCountWriter count, DateTimeOffset now)
    {
        if (IsRegistered)
        {
            _lastSweep = now;
            Report(counts);
        }
        if (count.TakeReportAgain())
            partition.MarkDirty();
    }

    /// <summary>The swarm leaves memory: the partition forgets it (unless it never knew it).</summary>
    public Task Leave() => IsRegistered ? partition.Unregister(NextReportVersion()) : Task.CompletedTask;

    private void Report(SwarmCounts counts)
    {
        _reported = counts;
        partition.Register(counts, NextReportVersion());
    }

    /// <summary>
    /// Grows with every report (and the final Unregister), and across activations too: real time (not the injected clock,
    /// which tests freeze), so a swarm re-activated on another silo after a crash reports with a
    /// larger version than its lost activation did (silo clocks agree within far less than the
    /// seconds a crash takes to detect).
    /// </summary>
    private long NextReportVersion() => _reportVersion = Math.Max(_reportVersion + 1, DateTime.UtcNow.Ticks);
}
