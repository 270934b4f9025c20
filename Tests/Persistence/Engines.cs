using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;
using OrleansTracker.Silo.Persistence;
using Xunit;

namespace OrleansTracker.Tests.Persistence;

/// <summary>A database the conformance suite runs against.</summary>
public interface IDatabaseEngine
{
    DatabaseSettings NewDatabase();
}

/// <summary>A fresh SQLite file per test under one temp directory.</summary>
public sealed class SqliteEngine : IDatabaseEngine, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tracker-sqlite-").FullName;
    private int _next;

    public DatabaseSettings NewDatabase() =>
        new(true, "sqlite3", Path.Combine(_directory, $"db{Interlocked.Increment(ref _next)}.db"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>
/// A private mariadbd on a free loopback port with a temporary data directory, root without a
/// password; killed and deleted on dispose. A fresh database per test.
/// </summary>
public sealed class MariaDbEngine : IDatabaseEngine, IDisposable
{
    private const string Binary = "/usr/sbin/mariadbd";
    private readonly string _directory = "";
    private readonly Process? _server;
    private int _next;

    public MariaDbEngine()
    {
        if (!IsAvailable)
        {
            return;
        }

        _directory = Directory.CreateTempSubdirectory("tracker-mariadb-").FullName;
        var data = Path.Combine(_directory, "data");
        Run("mariadb-install-db", $"--no-defaults --datadir={data} --auth-root-authentication-method=normal --user=root --skip-test-db", TimeSpan.FromSeconds(60));
        Port = FreePort();
        _server = Process.Start(new ProcessStartInfo(Binary,
            $"--no-defaults --datadir={data} --socket={_directory}/mysqld.sock --port={Port} --bind-address=127.0.0.1 "
            + $"--user=root --pid-file={_directory}/mysqld.pid --log-error={_directory}/error.log "
            + "--innodb-buffer-pool-size=64M --skip-log-bin")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("mariadbd did not start.");
        WaitUntilAccepting(TimeSpan.FromSeconds(60));
    }

    /// <summary>True when a mariadbd binary exists on this machine.</summary>
    public static bool IsAvailable => File.Exists(Binary);

    /// <summary>CI=true turns a missing MariaDB into a failure instead of a skip.</summary>
    public static bool MustRun => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public int Port { get; }

    public DatabaseSettings NewDatabase() => IsAvailable
        ? new(true, "mysql", $"mysql://root@127.0.0.1:{Port}/tracker_test_{Interlocked.Increment(ref _next)}")
        : throw new InvalidOperationException($"CI=true but {Binary} is missing: install mariadb-server.");

    public void Dispose()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }

        _server?.Dispose();
        MySqlConnection.ClearAllPools();
        if (_directory.Length > 0)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WaitUntilAccepting(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        var connectionString = $"Server=127.0.0.1;Port={Port};User ID=root;Connection Timeout=2;Pooling=false";
        while (true)
        {
            try
            {
                using var connection = new MySqlConnection(connectionString);
                connection.Open();
                return;
            }
            catch (MySqlException) when (deadline.Elapsed < timeout && _server is { HasExited: false })
            {
                Thread.Sleep(200);
            }
        }
    }

    private static void Run(string file, string arguments, TimeSpan timeout)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {output.Result} {error.Result}");
        }
    }
}

/// <summary>[Fact] for MariaDB tests: skipped with a reason when mariadbd is missing, unless CI=true.</summary>
public sealed class MariaDbFactAttribute : FactAttribute
{
    public MariaDbFactAttribute()
    {
        if (!MariaDbEngine.IsAvailable && !MariaDbEngine.MustRun)
        {
            Skip = "mariadbd is not installed (apt-get install mariadb-server); set CI=true to make this a failure.";
        }
    }
}
