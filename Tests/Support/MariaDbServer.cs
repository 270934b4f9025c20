using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MySqlConnector;
using Xunit;

namespace OrleansTracker.Tests.Support;

/// <summary>
/// A private mariadbd on a free loopback port with a temporary data directory, root without a
/// password; killed and its folder deleted on dispose. Shared by the persistence conformance suite
/// (Tests/Persistence) and the end-to-end persistence tests (Tests/EndToEnd). When mariadbd is
/// missing nothing starts and <see cref="DatabaseUrl"/> throws (a [MariaDbFact] skips first).
/// </summary>
public sealed class MariaDbServer : IDisposable
{
    private const string Binary = "/usr/sbin/mariadbd";
    private readonly string _directory = "";
    private readonly string _data = "";
    private Process? _server;

    public MariaDbServer()
    {
        if (!IsAvailable)
        {
            return;
        }

        _directory = Directory.CreateTempSubdirectory("tracker-mariadb-").FullName;
        var data = Path.Combine(_directory, "data");
        InstallSystemTables(data);
        Port = FreeTcpPort();
        _data = data;
        try
        {
            StartServer();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>True when a mariadbd binary exists on this machine.</summary>
    public static bool IsAvailable => File.Exists(Binary);

    /// <summary>CI=true turns a missing MariaDB into a failure instead of a skip.</summary>
    public static bool MustRun => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public int Port { get; }

    /// <summary>A tracker db_path URL for <paramref name="database"/> (created by the tracker's installer).</summary>
    public string DatabaseUrl(string database) => IsAvailable
        ? $"mysql://root@127.0.0.1:{Port}/{database}"
        : throw new InvalidOperationException($"CI=true but {Binary} is missing: install mariadb-server.");

    /// <summary>An ADO.NET connection string to <paramref name="database"/> (empty: the server only).</summary>
    public string ConnectionString(string database = "") =>
        $"Server=127.0.0.1;Port={Port};User ID=root;Database={database};Connection Timeout=5;Pooling=false";

    /// <summary>
    /// Kills mariadbd (SIGKILL, as a crash or a lost server would look to the tracker) and keeps its
    /// data directory, so that <see cref="Restart"/> brings the same databases back on the same port.
    /// </summary>
    public void Kill()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            if (!_server.WaitForExit(10_000))
            {
                throw new TimeoutException("mariadbd did not exit within 10 s of SIGKILL.");
            }
        }

        _server?.Dispose();
        _server = null;
        MySqlConnection.ClearAllPools();
    }

    /// <summary>Starts mariadbd again on the same port and data directory (after <see cref="Kill"/>).</summary>
    public void Restart()
    {
        if (_server is { HasExited: false })
        {
            throw new InvalidOperationException("mariadbd is still running.");
        }

        StartServer();
    }

    public void Dispose()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            _server.WaitForExit(10_000);
        }

        _server?.Dispose();
        _server = null;
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

    private void StartServer()
    {
        _server = Process.Start(new ProcessStartInfo(Binary,
            $"--no-defaults --datadir={_data} --socket={_directory}/mysqld.sock --port={Port} --bind-address=127.0.0.1 "
            + $"--user=root --pid-file={_directory}/mysqld.pid --log-error={_directory}/error.log "
            + "--innodb-buffer-pool-size=64M --skip-log-bin")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("mariadbd did not start.");
        try
        {
            WaitUntilAccepting(TimeSpan.FromSeconds(60));
        }
        catch
        {
            Kill();
            throw;
        }
    }

    /// <summary>A loopback TCP port nothing listens on (at the time of the call).</summary>
    public static int FreeTcpPort()
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

    /// <summary>
    /// mariadb-install-db, once more on a fresh directory if it fails: in a full parallel test run
    /// on a loaded 2-core machine it failed once without a message (its bootstrap server), and
    /// passed on every run of the MariaDB tests alone.
    /// </summary>
    private static void InstallSystemTables(string data)
    {
        var arguments = $"--no-defaults --datadir={data} --auth-root-authentication-method=normal --user=root --skip-test-db";
        try
        {
            Run("mariadb-install-db", arguments, TimeSpan.FromSeconds(60));
        }
        catch (InvalidOperationException)
        {
            if (Directory.Exists(data))
                Directory.Delete(data, recursive: true);
            Run("mariadb-install-db", arguments, TimeSpan.FromSeconds(60));
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
        if (!MariaDbServer.IsAvailable && !MariaDbServer.MustRun)
        {
            Skip = "mariadbd is not installed (apt-get install mariadb-server); set CI=true to make this a failure.";
        }
    }
}
