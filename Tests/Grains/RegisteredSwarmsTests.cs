using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Partitions;
using Xunit;
using static OrleansTracker.Tests.Grains.Announces;

namespace OrleansTracker.Tests.Grains;

/// <summary>The partition's swarm registry on its own (no Orleans): versions, tombstones, sums.</summary>
public sealed class RegisteredSwarmsTests
{
    private static readonly SwarmCounts One = new(0, 1, 0);
    private static readonly SwarmCounts Two = new(1, 1, 3);

    [Fact]
    public void reports_keep_running_sums_and_older_reports_are_ignored()
    {
        var swarms = new RegisteredSwarms();
        var (a, b) = (NewHash(), NewHash());

        Assert.True(swarms.Report(a, One, 5));
        Assert.True(swarms.Report(b, Two, 1));
        Assert.False(swarms.Report(a, Two, 4));
        Assert.False(swarms.Report(a, Two, 5));

        Assert.Equal(new SwarmTotals(2, 1, 2, 3), swarms.Totals);
        Assert.True(swarms.Report(a, Two, 6));
        Assert.Equal(new SwarmTotals(2, 2, 2, 6), swarms.Totals);
    }

    [Fact]
    public void an_unregister_older_than_the_registration_is_ignored()
    {
        var swarms = new RegisteredSwarms();
        var hash = NewHash();
        swarms.Report(hash, One, 10);

        Assert.False(swarms.Unregister(hash, 9, out _));
        Assert.True(swarms.Contains(hash));
        Assert.True(swarms.Unregister(hash, 11, out var removed));
        Assert.Equal(One, removed);
        Assert.Equal(default, swarms.Totals);
    }

    [Fact]
    public void a_removed_swarm_comes_back_only_with_a_newer_report()
    {
        var swarms = new RegisteredSwarms();
        var hash = NewHash();
        swarms.Report(hash, One, 10);
        Assert.True(swarms.RemoveSwept(hash, out _));

        Assert.False(swarms.Report(hash, One, 10));
        Assert.True(swarms.Report(hash, Two, 11));
        Assert.Equal(new SwarmTotals(1, 1, 1, 3), swarms.Totals);
    }

    [Fact]
    public void tombstones_are_bounded_and_the_oldest_go_first()
    {
        var swarms = new RegisteredSwarms(maxTombstones: 4);
        var hashes = Enumerable.Range(0, 6).Select(_ => NewHash()).ToArray();
        foreach (var hash in hashes)
            swarms.Unregister(hash, 10, out _);

        // The two oldest tombstones are gone: a late report brings those back (a ghost the next sweep removes).
        Assert.True(swarms.Report(hashes[0], One, 9));
        Assert.True(swarms.Report(hashes[1], One, 9));
        Assert.All(hashes[2..], h => Assert.False(swarms.Report(h, One, 9)));
    }

    [Fact]
    public void a_stale_tombstone_of_a_swarm_that_came_back_does_not_remove_its_live_version()
    {
        var swarms = new RegisteredSwarms(maxTombstones: 1);
        var (a, b) = (NewHash(), NewHash());
        swarms.Report(a, One, 1);
        swarms.Unregister(a, 2, out _);
        swarms.Report(a, One, 3);           // back, with the tombstone still queued

        swarms.Unregister(b, 2, out _);     // pushes a's stale tombstone out

        Assert.False(swarms.Report(a, Two, 2));
        Assert.Equal(One, swarms.TryGet(a, out var counts) ? counts : default);
    }
}
