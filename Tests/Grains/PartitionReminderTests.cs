using Orleans.Runtime;
using OrleansTracker.Grains.Interfaces;
using Xunit;

namespace OrleansTracker.Tests.Grains;

/// <summary>
/// A sweep partition restores its reminder when the reminder table lost it (Orleans' in-memory
/// table goes with the silo that held it), and leaves an existing one alone: registering it again
/// would push its next tick back.
/// </summary>
public sealed class PartitionReminderTests
{
    private const string ReminderName = "sweep";

    [Fact]
    public async Task a_partition_whose_reminder_was_lost_registers_it_again()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var partition = cluster.Client.GetGrain<ISweepPartitionGrain>(3);
        await partition.EnsureReminder();
        var table = cluster.SiloService<IReminderTable>();
        var id = partition.GetGrainId();
        var entry = await table.ReadRow(id, ReminderName);
        Assert.NotNull(entry);
        Assert.True(await table.RemoveRow(id, ReminderName, entry.ETag!));
        Assert.Null(await table.ReadRow(id, ReminderName));

        await partition.RestoreReminderIfLost();

        var restored = await table.ReadRow(id, ReminderName);
        Assert.NotNull(restored);
        Assert.Equal(cluster.Options.CleanupInterval, restored.Period);
    }

    [Fact]
    public async Task a_partition_whose_reminder_is_there_does_not_register_it_again()
    {
        await using var cluster = await GrainTestCluster.StartAsync();
        var partition = cluster.Client.GetGrain<ISweepPartitionGrain>(5);
        await partition.EnsureReminder();
        var table = cluster.SiloService<IReminderTable>();
        var before = await table.ReadRow(partition.GetGrainId(), ReminderName);
        Assert.NotNull(before);

        await partition.RestoreReminderIfLost();

        var after = await table.ReadRow(partition.GetGrainId(), ReminderName);
        Assert.NotNull(after);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Equal(before.StartAt, after.StartAt);
    }
}
