using Microsoft.Extensions.Logging.Abstractions;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Swarm;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;
using TrackerSwarm = OrleansTracker.Grains.Swarm.Swarm;

namespace OrleansTracker.Tests.Swarm;

public sealed class PartitionMembershipTests
{
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(10);
    private readonly ManualClock _clock = new();
    private readonly RecordingMailbox _partition = new();
    private readonly TrackerSwarm _swarm;
    private readonly CompletedCountWriter _count;
    private readonly PartitionMembership _membership;

    public PartitionMembershipTests()
    {
        _swarm = NewSwarm(_clock);
        _count = new CompletedCountWriter(_swarm, new CompletedCountStoreDouble(), default, NullLogger.Instance);
        _membership = new PartitionMembership(_partition, CleanupInterval);
    }

    [Fact]
    public void the_first_peer_registers_and_a_steady_reannounce_sends_nothing()
    {
        Announce(1);
        Announce(1);
        Announce(1);

        Assert.True(_membership.IsRegistered);
        Assert.Equal([new SwarmCounts(0, 1, 0)], _partition.Reports.Select(r => r.Counts));
    }

    [Fact]
    public void changed_counts_are_reported_with_growing_versions()
    {
        Announce(1);
        Announce(2);
        Announce(1, left: 0);
        Announce(2, announceEvent: AnnounceEvent.Stopped);

        Assert.Equal(
            [new SwarmCounts(0, 1, 0), new SwarmCounts(0, 2, 0), new SwarmCounts(1, 1, 0), new SwarmCounts(1, 0, 0)],
            _partition.Reports.Select(r => r.Counts));
        var versions = _partition.Reports.Select(r => r.Version).ToList();
        Assert.Equal(versions.Order(), versions);
        Assert.Equal(versions.Count, versions.Distinct().Count());
    }

    [Fact]
    public void an_announce_that_leaves_the_swarm_empty_does_not_register()
    {
        Announce(1, announceEvent: AnnounceEvent.Stopped);

        Assert.False(_membership.IsRegistered);
        Assert.Empty(_partition.Reports);
    }

    [Fact]
    public void without_a_sweep_for_two_cleanup_intervals_and_a_minute_the_swarm_registers_again()
    {
        Announce(1);
        _clock.Advance(CleanupInterval * 2 + TimeSpan.FromMinutes(1));
        Announce(1);
        Assert.Single(_partition.Reports);   // not yet: exactly the limit

        _clock.Advance(TimeSpan.FromSeconds(1));
        Announce(1);
        Assert.Equal(2, _partition.Reports.Count);
    }

    [Fact]
    public void a_sweep_keeps_the_registration_fresh()
    {
        Announce(1);
        for (var i = 0; i < 10; i++)
        {
            _clock.Advance(CleanupInterval);
            _membership.Swept(_clock.GetUtcNow(), _swarm.Counts);
            Announce(1);
        }

        Assert.Single(_partition.Reports);
    }

    [Fact]
    public void a_completed_count_is_marked_dirty_once_per_flush()
    {
        Announce(1, announceEvent: AnnounceEvent.Started);
        Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);
        Announce(2, announceEvent: AnnounceEvent.Started);
        Announce(2, left: 0, announceEvent: AnnounceEvent.Completed);

        Assert.Equal(1, _partition.Dirty);
    }

    [Fact]
    public void rejoin_reports_the_counts_and_a_dirty_count_again()
    {
        Announce(1, announceEvent: AnnounceEvent.Started);
        Announce(1, left: 0, announceEvent: AnnounceEvent.Completed);

        _membership.Rejoin(_swarm.Counts, _count, _clock.GetUtcNow());

        Assert.Equal(2, _partition.Dirty);
        Assert.Equal(new SwarmCounts(1, 0, 1), _partition.Reports[^1].Counts);
        Assert.True(_partition.Reports[^1].Version > _partition.Reports[^2].Version);
    }

    [Fact]
    public void rejoin_of_an_unregistered_clean_swarm_sends_nothing()
    {
        _membership.Rejoin(_swarm.Counts, _count, _clock.GetUtcNow());

        Assert.Empty(_partition.Reports);
        Assert.Equal(0, _partition.Dirty);
    }

    [Fact]
    public async Task leaving_unregisters_only_a_swarm_the_partition_still_holds()
    {
        Announce(1);
        await _membership.Leave();
        Assert.Equal(1, _partition.Unregistered);
        Assert.True(_partition.Reports[^1].Version > _partition.Reports[^2].Version, "Unregister is ordered after the swarm's reports");

        _membership.RemovedBySweep();
        await _membership.Leave();
        Assert.Equal(1, _partition.Unregistered);
    }

    private void Announce(int peer, long left = 1000, AnnounceEvent announceEvent = AnnounceEvent.None)
    {
        _swarm.Announce(peer, left: left, announceEvent: announceEvent);
        _membership.Announced(_swarm, _count, _clock.GetUtcNow());
    }

    private sealed class RecordingMailbox : IPartitionMailbox
    {
        public List<(SwarmCounts Counts, long Version)> Reports { get; } = [];

        public int Dirty { get; private set; }

        public int Unregistered { get; private set; }

        public void Register(SwarmCounts counts, long version) => Reports.Add((counts, version));

        public void MarkDirty() => Dirty++;

        public Task Unregister(long version)
        {
            Unregistered++;
            Reports.Add((default, version));
            return Task.CompletedTask;
        }
    }
}
