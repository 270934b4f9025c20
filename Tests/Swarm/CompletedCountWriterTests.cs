using Microsoft.Extensions.Logging.Abstractions;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Swarm;
using OrleansTracker.Tests.Support;
using Xunit;
using static OrleansTracker.Tests.Swarm.SwarmTestKit;
using TrackerSwarm = OrleansTracker.Grains.Swarm.Swarm;

namespace OrleansTracker.Tests.Swarm;

public sealed class CompletedCountWriterTests
{
    private readonly ManualClock _clock = new();

    [Fact]
    public async Task a_completed_event_is_reported_once_and_written_by_the_flush()
    {
        var (swarm, store, writer) = Start(stored: 4);
        Assert.False(writer.IsDirty);
        Assert.False(writer.TakeReport());

        Complete(swarm, 1);
        Assert.True(writer.IsDirty);
        Assert.True(writer.TakeReport());
        Complete(swarm, 2);
        Assert.False(writer.TakeReport());   // the partition already knows a flush is due

        Assert.True(await writer.FlushAsync());
        Assert.Equal([6L], store.Writes);
        Assert.False(writer.IsDirty);
        Complete(swarm, 3);
        Assert.True(writer.TakeReport());    // a new change after the flush is reported again
    }

    [Fact]
    public async Task a_flush_with_nothing_changed_writes_nothing()
    {
        var (_, store, writer) = Start(stored: 4);

        Assert.True(await writer.FlushAsync());

        Assert.Empty(store.Writes);
    }

    [Fact]
    public async Task a_failed_write_keeps_the_count_dirty_for_the_next_flush()
    {
        var (swarm, store, writer) = Start();
        Complete(swarm, 1);
        Assert.True(writer.TakeReport());
        store.Failing = true;

        Assert.False(await writer.FlushAsync());
        Assert.True(writer.IsDirty);
        Assert.Equal(0, store.Stored);
        // The partition keeps the failed swarm dirty itself: no second report is needed.
        Assert.False(writer.TakeReport());

        store.Failing = false;
        Assert.True(await writer.FlushAsync());
        Assert.Equal([1L], store.Writes);
        Assert.False(writer.IsDirty);
    }

    [Fact]
    public async Task writes_never_overlap_and_the_last_flush_stores_the_latest_count()
    {
        var (swarm, store, writer) = Start();
        Complete(swarm, 1);
        store.Hold();
        var first = writer.FlushAsync();
        Assert.False(first.IsCompleted);

        // A change during the write is reported: the running write does not store it.
        Complete(swarm, 2);
        Assert.True(writer.TakeReport());
        var second = writer.FlushAsync();
        store.Release();

        Assert.True(await first);
        Assert.True(await second);
        Assert.Equal([1L, 2L], store.Writes);
        Assert.Equal(1, store.MostRunningAtOnce);
    }

    [Fact]
    public async Task a_count_a_running_write_already_stores_is_not_reported_again()
    {
        var (swarm, store, writer) = Start();
        Complete(swarm, 1);
        store.Hold();
        var flush = writer.FlushAsync();

        Assert.False(writer.TakeReport());
        store.Release();
        Assert.True(await flush);
    }

    [Fact]
    public async Task an_activation_that_could_not_read_merges_the_stored_count_before_its_first_write()
    {
        var (swarm, store, writer) = Start(stored: 0, wasRead: false);
        store.InDatabase = 10;
        Complete(swarm, 1);
        Complete(swarm, 2);
        Assert.Equal(2, swarm.Completed);

        Assert.True(await writer.FlushAsync());

        Assert.Equal(12, swarm.Completed);
        Assert.Equal([12L], store.Writes);
    }

    [Fact]
    public async Task an_unread_store_that_is_still_away_loses_nothing()
    {
        var (swarm, store, writer) = Start(stored: 0, wasRead: false);
        store.InDatabase = 10;
        store.Failing = true;
        Complete(swarm, 1);

        Assert.False(await writer.FlushAsync());
        Assert.Equal(1, swarm.Completed);

        store.Failing = false;
        Assert.True(await writer.FlushAsync());
        Assert.Equal([11L], store.Writes);
    }

    [Fact]
    public void a_dirty_count_is_reported_again_to_a_new_partition_activation()
    {
        var (swarm, _, writer) = Start();
        Assert.False(writer.TakeReportAgain());
        Complete(swarm, 1);
        Assert.True(writer.TakeReport());

        Assert.True(writer.TakeReportAgain());
    }

    private (TrackerSwarm Swarm, CompletedCountStoreDouble Store, CompletedCountWriter Writer) Start(long stored = 0, bool wasRead = true)
    {
        var store = new CompletedCountStoreDouble(stored, wasRead);
        var swarm = NewSwarm(_clock, completed: store.Stored);
        return (swarm, store, new CompletedCountWriter(swarm, store, default, NullLogger.Instance));
    }

    /// <summary>Peer <paramref name="peer"/> starts and completes: one more completed.</summary>
    private static void Complete(TrackerSwarm swarm, int peer)
    {
        swarm.Announce(peer, announceEvent: AnnounceEvent.Started);
        swarm.Announce(peer, left: 0, announceEvent: AnnounceEvent.Completed);
    }
}
