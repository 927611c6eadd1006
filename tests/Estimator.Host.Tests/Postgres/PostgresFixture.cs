using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Estimator.Host.Tests.Postgres;

/// <summary>
/// A throwaway PostgreSQL cluster for the tests: its own data directory, socket directory and a free port on
/// 127.0.0.1, trust authentication, started with <c>initdb</c> + <c>pg_ctl</c> (as the <c>postgres</c> user when the
/// tests run as root, since initdb refuses root) and deleted after the collection. Never skips: a machine without
/// the server binaries fails the tests with a message saying what to install.
/// </summary>
public sealed class PostgresFixture : IDisposable
{
    private readonly string root;
    private readonly string bin;
    private int databases;

    /// <summary>Creates the cluster and starts it.</summary>
    public PostgresFixture()
    {
        // Hangfire.PostgreSql's installer takes Hangfire's process-wide log provider in its type initializer; earlier
        // tests' hosts set that provider to their own (now disposed) logger factory. Run the initializer on a clean
        // provider once, as a fresh `estimator serve` process does (it prepares the schema before building its host).
        Hangfire.Logging.LogProvider.SetCurrentLogProvider(null);
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(Hangfire.PostgreSql.PostgreSqlObjectsInstaller).TypeHandle);
        bin = FindBin();
        root = Path.Combine(Path.GetTempPath(), "estimator-pg-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        DataDirectory = Path.Combine(root, "data");
        SocketDirectory = Path.Combine(root, "sock");
        Directory.CreateDirectory(SocketDirectory);
        if (AsRoot)
        {
            Shell("chown", "-R", "postgres:postgres", root);
        }

        Port = FreePort();
        AsPostgres($"{bin}/initdb -D {DataDirectory} -U postgres --auth=trust -E UTF8 --no-sync");
        StartServer();
    }

    /// <summary>The port the server listens on (127.0.0.1 only).</summary>
    public int Port { get; }

    /// <summary>The cluster's data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The directory of the server's Unix socket (not /var/run/postgresql, so no clash with a system cluster).</summary>
    public string SocketDirectory { get; }

    private static bool AsRoot => Environment.UserName == "root";

    /// <summary>A connection string to <paramref name="database"/> (the user is <c>postgres</c>; trust authentication).</summary>
    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Timeout=5");

    /// <summary>Creates a fresh, empty database and returns its connection string.</summary>
    public string CreateDatabase()
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"estimator_{Interlocked.Increment(ref databases)}_{Guid.NewGuid().ToString("N")[..6]}");
        using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        connection.Open();
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        command.ExecuteNonQuery();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown: open sessions are closed) and starts it again on the same port.</summary>
    public void Restart()
    {
        Stop();
        Start();
    }

    /// <summary>Stops the server (fast shutdown: open sessions are closed); <see cref="Start"/> brings it back on the same port.</summary>
    public void Stop() => AsPostgres($"{bin}/pg_ctl -D {DataDirectory} -m fast -w stop");

    /// <summary>Starts the (stopped) server again on the same port and data directory.</summary>
    public void Start()
    {
        StartServer();
        NpgsqlConnection.ClearAllPools(); // this process's pooled sessions died with the server
    }

    /// <summary>Stops the server and deletes the cluster.</summary>
    public void Dispose()
    {
        try
        {
            AsPostgres($"{bin}/pg_ctl -D {DataDirectory} -m immediate -w stop");
        }
        catch (InvalidOperationException)
        {
            // already stopped
        }

        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void StartServer() =>
        AsPostgres($"{bin}/pg_ctl -D {DataDirectory} -l {root}/pg.log -w -t 60 -o '-c listen_addresses=127.0.0.1 -p {Port} -k {SocketDirectory} -c fsync=off -c max_connections=200' start");

    private static string FindBin()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order(StringComparer.Ordinal).ToList()
            : [];
        return candidates.Count > 0
            ? candidates[^1]
            : throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: apt-get install postgresql (.ci/run does)");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void AsPostgres(string command)
    {
        if (AsRoot)
        {
            Shell("su", "postgres", "-s", "/bin/sh", "-c", command);
        }
        else
        {
            Shell("/bin/sh", "-c", command);
        }
    }

    private static void Shell(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: timed out");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: exit {process.ExitCode}: {stdout.Result} {stderr.Result}");
        }
    }
}

/// <summary>The tests that share one PostgreSQL cluster.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresTests : ICollectionFixture<PostgresFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "postgres";
}
