using System.Globalization;
using MySqlConnector;
using OrleansTracker.Tests.Support;
using Xunit.Abstractions;

namespace OrleansTracker.Tests.Cluster;

/// <summary>
/// Real tracker processes joined by Orleans ADO.NET clustering on a private MariaDB: silos and
/// frontend-only processes on loopback ports, each in its own temp folder. Disposing kills every
/// process (also after a failed assertion) and writes their logs to the test output.
/// </summary>
internal sealed class ProcessCluster : IAsyncDisposable
{
    private readonly MariaDbServer _database;
    private readonly ITestOutputHelper _output;
    private readonly string _databaseName = "cluster_" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<TrackerProcess> _all = [];

    private readonly int _persistenceInterval;
    private readonly string _clusterToml;

    /// <param name="clusterToml">Extra [cluster] lines for every node (e.g. the TLS files).</param>
    public ProcessCluster(MariaDbServer database, ITestOutputHelper output, int persistenceInterval = 1, string clusterToml = "")
    {
        _database = database;
        _output = output;
        _persistenceInterval = persistenceInterval;
        _clusterToml = clusterToml;
    }

    /// <summary>Silos first, then frontends, in start order.</summary>
    public List<TrackerProcess> Nodes { get; } = [];

    public static string Config(string dbPath, string role, int persistenceInterval, string clusterToml = "") => $$"""
        log_level = "warn"
        mode = "public"
        db_driver = "mysql"
        db_path = "{{dbPath}}"
        persistence_interval = {{persistenceInterval.ToString(CultureInfo.InvariantCulture)}}
        announce_interval = 120
        announce_interval_min = 60
        peer_timeout = 900
        cleanup_interval = 600

        [[udp_trackers]]
        bind_address = "127.0.0.1:{udp}"

        [[http_trackers]]
        bind_address = "127.0.0.1:{http}"

        [http_api]
        enabled = false

        [cluster]
        mode = "adonet"
        cluster_id = "test-cluster"
        advertised_ip = "127.0.0.1"
        silo_port = {silo}
        gateway_port = {gateway}
        role = "{{role}}"
        {{clusterToml}}
        """;

    /// <summary>Starts <paramref name="silos"/> silo processes together, then <paramref name="frontends"/> frontends.</summary>
    public async Task StartAsync(int silos, int frontends)
    {
        var url = _database.DatabaseUrl(_databaseName);
        // The first silo installs the schema alone; the others then start together.
        Nodes.Add(await Track(TrackerProcess.StartAsync(Config(url, "silo", _persistenceInterval, _clusterToml))));
        Nodes.AddRange(await Task.WhenAll(Enumerable.Range(1, silos - 1).Select(_ => Track(TrackerProcess.StartAsync(Config(url, "silo", _persistenceInterval, _clusterToml))))));
        for (var i = 0; i < frontends; i++)
            Nodes.Add(await Track(TrackerProcess.StartAsync(Config(url, "frontend", _persistenceInterval, _clusterToml))));
    }

    /// <summary>Starts one more silo, joining the running cluster (for joins under load).</summary>
    public async Task<TrackerProcess> AddSiloAsync()
    {
        var silo = await Track(TrackerProcess.StartAsync(Config(_database.DatabaseUrl(_databaseName), "silo", _persistenceInterval, _clusterToml)));
        Nodes.Add(silo);
        return silo;
    }

    /// <summary>How many torrent grains have a stored completed count.</summary>
    public async Task<int> StoredTorrentCountAsync()
    {
        await using var connection = new MySqlConnection(_database.ConnectionString(_databaseName));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'torrent';";
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Rows of the membership table by status (3 = active, 6 = dead).</summary>
    public async Task<string> MembershipAsync()
    {
        await using var connection = new MySqlConnection(_database.ConnectionString(_databaseName));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Port, Status FROM OrleansMembershipTable ORDER BY Port;";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add($"{reader.GetInt32(0)}:{reader.GetInt32(1)}");
        return string.Join(" ", rows);
    }

    public async ValueTask DisposeAsync()
    {
        // Kill every process before anything else can throw, then report.
        foreach (var process in _all)
        {
            try
            {
                await process.DisposeAsync();
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                _output.WriteLine($"could not stop the tracker with UDP port {process.Ports.Udp}: {e.Message}");
            }
        }
        foreach (var process in _all)
        {
            _output.WriteLine($"---- tracker with UDP port {process.Ports.Udp} ----");
            _output.WriteLine(Tail(process.Output, 4000));
            process.DeleteDirectory();
        }
    }

    private async Task<TrackerProcess> Track(Task<TrackerProcess> starting)
    {
        var process = await starting;
        lock (_all)
            _all.Add(process);
        return process;
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : text[^length..];
}
