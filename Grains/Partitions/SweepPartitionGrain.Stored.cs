using Microsoft.Extensions.Logging;
using OrleansTracker.Grains.Interfaces;

namespace OrleansTracker.Grains.Partitions;

/// <summary>
/// What the partition knows of the stored torrents of its bucket (with persistence on): the most
/// recently written ones for the torrent list, and a filter of every stored hash, so a torrent
/// that was never stored (a scrape of a random hash) activates without a database read.
/// </summary>
internal sealed partial class SweepPartitionGrain
{
    // Hashes that may be stored: every row of the bucket, and every hash a torrent is about to
    // store (WillStore). Trusted (answers "not stored") only once the scan has finished.
    private readonly StoredTorrentFilter? _stored;
    private bool _storedKnown;

    public Task<bool> MayBeStored(InfoHash hash) =>
        Task.FromResult(!_storedKnown || _stored!.MayContain(hash));

    public Task WillStore(InfoHash hash)
    {
        _stored?.Add(hash);
        return Task.CompletedTask;
    }

    /// <summary>Lists the stored torrents of this partition that are not in memory, the most recently written ones up to its share.</summary>
    private async Task LoadStoredTorrents()
    {
        try
        {
            var stored = await _catalog!.ReadPartition((int)this.GetPrimaryKeyLong(), _idle.Capacity, CancellationToken.None);
            // Newest first from the catalog; listed oldest first so the oldest leave first.
            for (var i = stored.Count - 1; i >= 0; i--)
            {
                var (hash, completed) = stored[i];
                if (completed <= 0 || _swarms.Contains(hash))
                    continue;
                AddIdle(hash, completed);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Could not read the stored torrents of partition {Partition}: the torrent list shows only torrents seen since start", this.GetPrimaryKeyLong());
        }
    }

    /// <summary>
    /// Fills the filter from the database after <see cref="TorrentOptions.StoredFilterDelay"/>
    /// (a first write that registered with this partition's previous activation has finished by
    /// then, so its row is in the scan; hashes registered since are added as they come), then
    /// trusts it. Retried after the same delay while the database cannot be read.
    /// </summary>
    private async Task LoadStoredFilter(CancellationToken stopping)
    {
        var partition = (int)this.GetPrimaryKeyLong();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.StoredFilterDelay, stopping);
                await _catalog!.ForEachStored(partition, _stored!.Add, stopping);
                _storedKnown = true;
                _logger.LogInformation("Partition {Partition} knows its {Stored} stored torrents: scrapes of others read no database", partition, _stored.Added);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Could not read which torrents of partition {Partition} are stored; every torrent activation reads the database until it can", partition);
            }
        }
    }
}
