using System.Security.Cryptography;
using Hangfire;
using Hangfire.Storage;

namespace Estimator.Host.Jobs;

/// <summary>
/// The input stamps recorded after each model's last complete calibrate and estimate runs, and the model scheduler's
/// last tick, kept in Hangfire's storage (so hosts sharing PostgreSQL storage share them). Each recorded line starts
/// with this host's epoch, a hash of the configuration file and of this build, so a changed configuration or a new
/// version runs every model once, as a restart did before.
/// </summary>
public sealed class RunStamps
{
    private const string Key = "estimator:stamps";
    private const string TickKey = "estimator:tick";
    private const string TickField = "at";

    private readonly JobStorage storage;
    private readonly string epoch;

    /// <summary>Creates the stamps over the host's storage.</summary>
    /// <param name="storage">Hangfire's storage.</param>
    /// <param name="config">The configuration (its file goes into the epoch).</param>
    public RunStamps(JobStorage storage, EstimatorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        this.storage = storage;
        epoch = Epoch(config.ConfigFile);
    }

    /// <summary>The line recorded for a calibrate run of a model whose reference had <paramref name="stamp"/>.</summary>
    /// <param name="stamp">The model's stamp before the run.</param>
    public string CalibrateLine(InputStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        return epoch + "|" + stamp.Reference;
    }

    /// <summary>The line recorded for an estimate run: the inputs before it, the state it committed.</summary>
    /// <param name="stamp">The stamp (inputs before the run, state after it).</param>
    public string EstimateLine(InputStamp stamp)
    {
        ArgumentNullException.ThrowIfNull(stamp);
        return epoch + "|" + stamp;
    }

    /// <summary>Every recorded line, by job id (<c>calibrate &lt;model&gt;</c>, <c>estimate &lt;model&gt;</c>).</summary>
    /// <param name="connection">A storage connection.</param>
    public static Dictionary<string, string> All(IStorageConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.GetAllEntriesFromHash(Key) ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>Records <paramref name="line"/> as the last complete run of <paramref name="jobId"/>.</summary>
    /// <param name="jobId">The job's id (<c>calibrate &lt;model&gt;</c>, <c>estimate &lt;model&gt;</c>).</param>
    /// <param name="line">The line.</param>
    public void Record(string jobId, string line)
    {
        using var connection = storage.GetConnection();
        using var transaction = connection.CreateWriteTransaction();
        transaction.SetRangeInHash(Key, [new KeyValuePair<string, string>(jobId, line)]);
        transaction.Commit();
    }

    /// <summary>When the model scheduler last ran (null before its first run on this storage).</summary>
    /// <param name="connection">A storage connection.</param>
    public static DateTime? LastTick(IStorageConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var at = connection.GetAllEntriesFromHash(TickKey)?.GetValueOrDefault(TickField);
        return long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? new DateTime(ticks, DateTimeKind.Utc) : null;
    }

    /// <summary>Records when the model scheduler ran.</summary>
    /// <param name="connection">A storage connection.</param>
    /// <param name="at">The time it checked the schedules against.</param>
    public static void SetLastTick(IStorageConnection connection, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var transaction = connection.CreateWriteTransaction();
        transaction.SetRangeInHash(TickKey, [new KeyValuePair<string, string>(TickField, at.Ticks.ToString(CultureInfo.InvariantCulture))]);
        transaction.Commit();
    }

    private static string Epoch(string configFile)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(typeof(ModelRunner).Assembly.ManifestModule.ModuleVersionId.ToByteArray());
        hash.AppendData(typeof(RunStamps).Assembly.ManifestModule.ModuleVersionId.ToByteArray());

        // A configuration given as text only (tests) has no file: the process's own epoch then never matches another's.
        hash.AppendData(File.Exists(configFile) ? File.ReadAllBytes(configFile) : Guid.NewGuid().ToByteArray());
        return Convert.ToHexString(hash.GetHashAndReset(), 0, 8);
    }
}
