using System.ComponentModel;
using System.Globalization;
using Estimator.Host.Configuration;
using Estimator.Host.Storage;
using Estimator.IO.Store;
using Hangfire;

namespace Estimator.Host.Jobs;

/// <summary>
/// The two Hangfire jobs per model. Arguments are only the model's name; the definition is looked up in the
/// configuration. A model's runs are serialised by a distributed lock (so a calibrate and an estimate of the same
/// model never overlap, also across hosts sharing PostgreSQL storage); a failure fails only that model's job, with
/// a message naming the model, and Hangfire retries it.
/// </summary>
/// <param name="config">The configuration.</param>
/// <param name="store">The store.</param>
/// <param name="storage">Hangfire's storage (for the per-model lock).</param>
/// <param name="logger">The logger.</param>
public sealed class ModelJobs(EstimatorConfig config, IModelStore store, JobStorage storage, ILogger<ModelJobs> logger)
{
    /// <summary>How long a job waits for another run of the same model to finish.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The recurring job id of a model's calibrate job: <c>calibrate &lt;model&gt;</c>.</summary>
    /// <param name="model">The model's name.</param>
    public static string CalibrateJobId(string model) => "calibrate " + model;

    /// <summary>The recurring job id of a model's estimate job: <c>estimate &lt;model&gt;</c>.</summary>
    /// <param name="model">The model's name.</param>
    public static string EstimateJobId(string model) => "estimate " + model;

    /// <summary>Fits the model on its reference when it is new or its content changed.</summary>
    /// <param name="model">The model's name.</param>
    /// <param name="cancellationToken">Set by Hangfire on shutdown.</param>
    [DisplayName("calibrate {0}")]
    [AutomaticRetry(Attempts = 3)]
    public void Calibrate(string model, CancellationToken cancellationToken)
    {
        var outcome = Run(model, "calibrate", definition => store.Calibrate(definition, cancellationToken));
        logger.LogInformation(
            "calibrate {Model}: {What} (reference {Hash}, calibrated scores: {Calibrated})",
            model,
            outcome.Refitted ? "fitted" : "already fitted",
            outcome.Fingerprint.Length > 12 ? outcome.Fingerprint[..12] : outcome.Fingerprint,
            outcome.CalibrationApplied);
    }

    /// <summary>Estimates the analysis files that arrived since the last run (calibrating first if needed).</summary>
    /// <param name="model">The model's name.</param>
    /// <param name="cancellationToken">Set by Hangfire on shutdown.</param>
    [DisplayName("estimate {0}")]
    [AutomaticRetry(Attempts = 3)]
    public void Estimate(string model, CancellationToken cancellationToken)
    {
        var outcome = Run(model, "estimate", definition => store.Estimate(definition, cancellationToken));
        logger.LogInformation(
            "estimate {Model}: run {RunId}, {Files} new file(s), {Rows} row(s), {Final} chunk(s) final, {Provisional} provisional",
            model,
            outcome.RunId,
            outcome.FilesProcessed.Count,
            outcome.RowsProcessed,
            outcome.ChunksFinalized,
            outcome.ChunksProvisional);
    }

    private IDisposable AcquireModelLock(string model)
    {
        // PostgreSQL: an advisory lock that dies with its session (a killed worker never blocks the model); otherwise Hangfire's lock.
        if (storage is PostgresStorage postgres)
        {
            return postgres.AcquireModelLock(model, LockTimeout);
        }

        var connection = storage.GetConnection();
        try
        {
            return new HangfireLock(connection, connection.AcquireDistributedLock("estimator:model:" + model, LockTimeout));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private sealed class HangfireLock(IDisposable connection, IDisposable held) : IDisposable
    {
        public void Dispose()
        {
            held.Dispose();
            connection.Dispose();
        }
    }

    private T Run<T>(string model, string job, Func<ModelDefinition, T> action)
    {
        var definition = config.FindModel(model)?.Definition
            ?? throw new ModelJobException($"{job} {model}: the model is not in the configuration ({config.ConfigFile}); remove this job or add the model");
        try
        {
            using var modelLock = AcquireModelLock(model);
            return action(definition);
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (EstimatorDataException e)
        {
            throw new ModelJobException($"{job} {model}: bad input: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelJobException($"{job} {model}: file error: {e.Message}", e);
        }
        catch (Exception e) when (e is not ModelJobException)
        {
            throw new ModelJobException(string.Create(CultureInfo.InvariantCulture, $"{job} {model} failed: {e.GetType().Name}: {e.Message}"), e);
        }
    }
}

/// <summary>A model's job failed; the message names the job and the model and says why.</summary>
public sealed class ModelJobException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelJobException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public ModelJobException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelJobException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
