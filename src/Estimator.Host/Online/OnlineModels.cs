using Hangfire;

namespace Estimator.Host.Online;

/// <summary>
/// The online paths of the configured models with <c>online</c>, started with the host (each rebuilds its window from
/// the store in the background; its endpoints wait for it) and stopped with it (queued batches are written first).
/// </summary>
internal sealed class OnlineModels : IHostedService, IAsyncDisposable
{
    private readonly Dictionary<string, OnlineModel> _models = new(StringComparer.Ordinal);
    private Task _starting = Task.CompletedTask;

    public OnlineModels(EstimatorConfig config, IModelStore store, TimeProvider time, ILoggerFactory loggers, IServiceProvider services)
    {
        var logger = loggers.CreateLogger<OnlineModels>();
        foreach (var model in config.Models)
        {
            if (model.Online is not null)
            {
                _models[model.Name] = new OnlineModel(model, config.StoreDirectory, store, time, logger, name => QueueEstimate(services, name));
            }
        }
    }

    /// <summary>The online path of <paramref name="model"/>, or null when it has none (or is not configured).</summary>
    public OnlineModel? Find(string model) => _models.GetValueOrDefault(model);

    /// <summary>Queues the model's estimate job now (a chunk closed); the model scheduler queues it only on its cron.</summary>
    public static void QueueEstimate(IServiceProvider services, string model)
    {
        if (services.GetService<JobStorage>() is { } storage && services.GetService<IBackgroundJobClient>() is { } jobs)
        {
            Jobs.ModelJobQueue.EnqueueEstimate(storage, jobs, model);
        }
    }

    /// <summary>Asks Hangfire to run a model's recurring job now (reconcile after labels).</summary>
    public static void Trigger(IServiceProvider services, string jobId)
    {
        if (services.GetService<IRecurringJobManager>() is { } manager)
        {
            manager.Trigger(jobId);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Rebuilding a window reads the store and may fit the model: not on the start-up path of the host.
        _starting = Task.WhenAll(_models.Values.Select(m => Task.Run(m.StartAsync, CancellationToken.None)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var model in _models.Values)
        {
            model.RequestStop();
        }

        await _starting.ConfigureAwait(false);
        foreach (var model in _models.Values)
        {
            await model.DisposeAsync().ConfigureAwait(false);
        }

        _models.Clear();
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);
}
