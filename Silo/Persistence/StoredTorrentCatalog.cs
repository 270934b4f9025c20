using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Orleans.Configuration;
using OrleansTracker.Grains.Interfaces;
using OrleansTracker.Grains.Partitions;

namespace OrleansTracker.Silo.Persistence;

/// <summary>
/// Reads the stored completed counts from Orleans' <c>OrleansStorage</c> table: a torrent grain's
/// key (the hex info hash) is its <c>GrainIdExtensionString</c> and its state the JSON
/// <c>{"Completed": n}</c>. One scan serves all 16 partitions (they activate together at start);
/// a later activation (failover) scans again. A row keeps its order per partition: newest first.
/// </summary>
internal sealed class StoredTorrentCatalog(DatabaseSettings settings, IOptions<ClusterOptions> cluster) : IStoredTorrentCatalog
{
    private static readonly TimeSpan ReuseScanFor = TimeSpan.FromMinutes(1);
    // Hash scans asked for within this share one pass (a starting silo's partitions ask together).
    private static readonly TimeSpan GatherScansFor = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private Task<ILookup<int, (InfoHash, long)>>? _scan;
    private DateTime _scannedAt;
    private HashScan? _nextHashScan;

    public async Task<IReadOnlyList<(InfoHash Hash, long Completed)>> ReadPartition(int partition, int limit, CancellationToken cancellationToken)
    {
        Task<ILookup<int, (InfoHash, long)>> scan;
        lock (_lock)
        {
            if (_scan is null || _scan.IsFaulted || DateTime.UtcNow - _scannedAt > ReuseScanFor)
            {
                _scan = ScanAsync((long)limit * SweepPartitions.Count);
                _scannedAt = DateTime.UtcNow;
            }
            scan = _scan;
        }
        return (await scan.WaitAsync(cancellationToken))[partition].ToArray();
    }

    /// <summary>
    /// Every stored hash of the partition, streamed. Calls within <see cref="GatherScansFor"/> of
    /// each other share one scan, which starts after all of them (never an older result).
    /// </summary>
    public Task ForEachStored(int partition, Action<InfoHash> add, CancellationToken cancellationToken)
    {
        HashScan scan;
        lock (_lock)
        {
            if (_nextHashScan is null)
            {
                _nextHashScan = new HashScan();
                _ = RunHashScan(_nextHashScan);
            }
            scan = _nextHashScan;
            scan.Add(partition, add);
        }
        return scan.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task RunHashScan(HashScan scan)
    {
        await Task.Delay(GatherScansFor);
        lock (_lock)
            _nextHashScan = null;   // later calls get a scan of their own
        try
        {
            // Its own connection on its own thread, not through the SQLite gate: a scan of a large
            // table must not hold the read slot that torrent activations need (WAL readers do not
            // block each other or the writer).
            await Task.Factory.StartNew(() => ScanHashes(scan.Deliver), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            scan.Done.SetResult();
        }
        catch (Exception e)
        {
            scan.Done.SetException(e);
        }
    }

    private async Task ScanHashes(Action<InfoHash> each)
    {
        await using DbConnection connection = settings.ParsedDriver == DatabaseDriver.Sqlite
            ? new SqliteConnection(settings.ToConnectionString())
            : new MySqlConnection(settings.ToConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT GrainIdExtensionString FROM OrleansStorage WHERE ServiceId = @service";
        Parameter(command, "@service", cluster.Value.ServiceId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (!reader.IsDBNull(0) && InfoHash.TryParseHex(reader.GetString(0), out var hash))
                each(hash);
        }
    }

    /// <summary>One pass over the stored hashes, handing each to the partitions that asked for its bucket.</summary>
    private sealed class HashScan
    {
        private readonly List<Action<InfoHash>>[] _byPartition = new List<Action<InfoHash>>[SweepPartitions.Count];

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(int partition, Action<InfoHash> add) => (_byPartition[partition] ??= []).Add(add);

        public void Deliver(InfoHash hash)
        {
            if (_byPartition[SweepPartitionsFor(hash)] is { } subscribers)
            {
                foreach (var add in subscribers)
                    add(hash);
            }
        }
    }

    private async Task<ILookup<int, (InfoHash, long)>> ScanAsync(long limit)
    {
        var rows = new List<(InfoHash, long)>();
        var connectionString = settings.ToConnectionString();
        if (settings.ParsedDriver == DatabaseDriver.Sqlite)
        {
            // Through the gate's read slot and thread, like every other SQLite read of this process.
            await SqliteGate.For(connectionString).ReadAsync(async () =>
            {
                await using var connection = new SqliteConnection(connectionString);
                await Read(connection, limit, rows);
            });
        }
        else
        {
            await using var connection = new MySqlConnection(connectionString);
            await Read(connection, limit, rows);
        }
        return rows.ToLookup(r => SweepPartitionsFor(r.Item1));
    }

    /// <summary>
    /// The newest <paramref name="limit"/> rows only: the list keeps at most that many idle torrents
    /// (max_idle_torrents_listed), so a database grown by a flood never fills memory at start.
    /// </summary>
    private async Task Read(DbConnection connection, long limit, List<(InfoHash, long)> rows)
    {
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT GrainIdExtensionString, PayloadBinary FROM OrleansStorage WHERE ServiceId = @service AND PayloadBinary IS NOT NULL ORDER BY ModifiedOn DESC LIMIT @limit";
        Parameter(command, "@service", cluster.Value.ServiceId);
        Parameter(command, "@limit", limit);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (reader.IsDBNull(0) || !InfoHash.TryParseHex(reader.GetString(0), out var hash))
                continue;   // another grain type's row
            var completed = Completed((byte[])reader.GetValue(1));
            if (completed > 0)
                rows.Add((hash, completed));
        }
    }

    private static void Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static long Completed(byte[] payload)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            foreach (var property in json.RootElement.EnumerateObject())
            {
                if (property.NameEquals("Completed") || property.Name.Equals("completed", StringComparison.OrdinalIgnoreCase))
                    return property.Value.TryGetInt64(out var value) ? value : 0;
            }
        }
        catch (JsonException)
        {
            // not a torrent's state
        }
        return 0;
    }

    private static int SweepPartitionsFor(InfoHash hash) => (int)SweepPartitions.For(hash);
}
