using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Npgsql;

namespace Estimator.Host.Storage;

/// <summary>
/// Hangfire's PostgreSQL storage as the host uses it: the schema is created or upgraded once per start-up under a
/// PostgreSQL advisory lock (so several processes starting together never race on it), jobs taken by a process
/// that dies become visible again after <see cref="HangfireStorageConfig.InvisibilityTimeout"/> (sliding, so a
/// long job that is still running keeps its claim), and a model's runs are serialised by a session-level advisory
/// lock that PostgreSQL drops when the holder's connection dies (<see cref="AcquireModelLock"/>).
/// </summary>
public sealed partial class PostgresStorage : PostgreSqlStorage
{
    /// <summary>The PostgreSQL schema of Hangfire's tables.</summary>
    public const string SchemaName = "hangfire";

    // Advisory lock keys are bigints; one namespace for the schema step, and SHA-256 of the name for each model.
    private const long SchemaLockKey = 0x4573_7469_6d61_0001;

    private readonly string connectionString;

    private PostgresStorage(string connectionString, PostgreSqlStorageOptions options)
        : base(new NpgsqlConnectionFactory(connectionString, options), options)
    {
        this.connectionString = connectionString;
    }

    /// <summary>Prepares the schema (<see cref="PrepareSchema"/>) and creates the storage.</summary>
    /// <param name="config">The storage configuration (kind postgres).</param>
    /// <exception cref="HangfireStorageException">The database cannot be reached or the connection string is wrong; the message has no password.</exception>
    public static PostgresStorage Create(HangfireStorageConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var connection = config.ConnectionString ?? throw new ArgumentException("PostgreSQL storage needs a connection string.", nameof(config));
        PrepareSchema(connection);
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = SchemaName,
            PrepareSchemaIfNecessary = false,
            InvisibilityTimeout = config.InvisibilityTimeout,
            UseSlidingInvisibilityTimeout = true,
            QueuePollInterval = TimeSpan.FromSeconds(1),
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
        };
        return new PostgresStorage(connection, options);
    }

    /// <summary>
    /// Creates or upgrades Hangfire's schema in one step, holding a PostgreSQL advisory lock so that processes
    /// starting at the same time take turns (the installer is idempotent; the second one finds the schema current).
    /// </summary>
    /// <param name="connectionString">The PostgreSQL connection string.</param>
    /// <exception cref="HangfireStorageException">The database cannot be reached or the connection string is wrong; the message has no password.</exception>
    public static void PrepareSchema(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);
        try
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            Execute(connection, "SELECT pg_advisory_lock(@key)", SchemaLockKey);
            try
            {
                PostgreSqlObjectsInstaller.Install(connection, SchemaName);
            }
            finally
            {
                Execute(connection, "SELECT pg_advisory_unlock(@key)", SchemaLockKey);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new HangfireStorageException(Describe(connectionString, e), e);
        }
    }

    /// <summary>
    /// Takes the model's lock: a PostgreSQL session-level advisory lock on a connection of its own, released on
    /// dispose, or by PostgreSQL when the process dies (so a killed worker never blocks the model).
    /// </summary>
    /// <param name="model">The model's name.</param>
    /// <param name="timeout">How long to wait for another holder.</param>
    /// <param name="cancellationToken">Stops the wait (a stopping worker's job gives up the wait and is re-queued).</param>
    /// <exception cref="TimeoutException">The lock was not free within <paramref name="timeout"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled before the lock was free.</exception>
    public IDisposable AcquireModelLock(string model, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var key = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("estimator:model:" + model)), 0);
        var deadline = DateTime.UtcNow + timeout;
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            connection.Open();
            while (!(bool)Execute(connection, "SELECT pg_try_advisory_lock(@key)", key)!)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"model '{model}': another process held its lock for more than {timeout.TotalMinutes:0.#} min");
                }

                cancellationToken.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(250));
                cancellationToken.ThrowIfCancellationRequested();
            }

            return new ModelLock(connection, key);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A one-line description of a connection failure: where, and the causes, with any password redacted.</summary>
    internal static string Describe(string connectionString, Exception error)
    {
        string where;
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            where = $"PostgreSQL at {builder.Host}:{builder.Port}, database '{builder.Database}', user '{builder.Username}'";
        }
        catch (ArgumentException)
        {
            where = "PostgreSQL (the connection string does not parse)";
        }

        var causes = new List<string>();
        for (var e = error; e is not null; e = e.InnerException)
        {
            var message = e.Message.ReplaceLineEndings(" ").Trim();
            if (message.Length > 0 && !causes.Any(c => c.Contains(message, StringComparison.Ordinal)))
            {
                causes.Add(message);
            }
        }

        return Redact($"storage: cannot use {where}: {string.Join(": ", causes)}", connectionString);
    }

    /// <summary>Replaces every password value of <paramref name="connectionString"/> found in <paramref name="text"/> with <c>***</c>.</summary>
    internal static string Redact(string text, string connectionString)
    {
        foreach (Match match in PasswordPattern().Matches(connectionString))
        {
            var value = match.Groups["value"].Value.Trim().Trim('"', '\'');
            if (value.Length > 0)
            {
                text = text.Replace(value, "***", StringComparison.Ordinal);
            }
        }

        return PasswordInTextPattern().Replace(text, m => m.Groups[1].Value + "=***");
    }

    private static object? Execute(NpgsqlConnection connection, string sql, long key)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", key);
        return command.ExecuteScalar();
    }

    [GeneratedRegex("""(?i)\b(password|pwd)\s*=\s*(?<value>"[^"]*"|'[^']*'|[^;]*)""")]
    private static partial Regex PasswordPattern();

    [GeneratedRegex("""(?i)\b(password|pwd)\s*=\s*("[^"]*"|'[^']*'|[^;\s]*)""")]
    private static partial Regex PasswordInTextPattern();

    private sealed class ModelLock(NpgsqlConnection connection, long key) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                Execute(connection, "SELECT pg_advisory_unlock(@key)", key);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The session is gone (e.g. PostgreSQL restarted): PostgreSQL released the lock with it.
            }
            finally
            {
                connection.Dispose();
            }
        }
    }
}

/// <summary>Hangfire's storage cannot be used: the message says where and why in one line, without the password.</summary>
public sealed class HangfireStorageException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HangfireStorageException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public HangfireStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public HangfireStorageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
