using System.Collections.Concurrent;
using Estimator.Host.Metrics;
using Estimator.Host.Notifications;

namespace Estimator.Host.Remediation;

/// <summary>
/// A model's remediation pass, run by the <c>notify</c> job before the model's notifications: decides the actions of
/// the incidents in the outbox (<see cref="IModelStore.PlanRemediation"/>), then posts each pending action to its target
/// with retries and backoff and records the outcome in the store.
/// </summary>
/// <remarks>
/// Guarantees: an action is posted until its target answers 2xx, then recorded as sent and never posted again, also
/// across restarts (the actions are files in the store). The window left is at-least-once: a crash after the
/// receiver's 2xx and before the record is written posts it again, with the same <c>Idempotency-Key</c>, which the
/// receiver uses to drop the repeat. Per target, when one action fails, later ones wait for the next pass.
/// </remarks>
internal sealed class RemediationDispatcher
{
    private readonly IModelStore store;
    private readonly IHttpClientFactory http;
    private readonly DeliveryConfig delivery;
    private readonly HostMetrics metrics;
    private readonly ILogger logger;
    private readonly ConcurrentDictionary<TimeSpan, JsonPoster> posters = new();

    public RemediationDispatcher(IModelStore store, IHttpClientFactory http, DeliveryConfig delivery, HostMetrics metrics, ILogger logger)
    {
        this.store = store;
        this.http = http;
        this.delivery = delivery;
        this.metrics = metrics;
        this.logger = logger;
    }

    /// <summary>Plans the actions of <paramref name="pending"/> (the notifications this pass delivers next) and delivers the model's actions; returns how many were accepted and how many failed.</summary>
    public async Task<(int Sent, int Failed)> DeliverAsync(ModelConfig model, IReadOnlyList<AlertNotification> pending, CancellationToken cancellationToken)
    {
        if (model.Remediation.Count == 0)
        {
            return (0, 0);
        }

        store.PlanRemediation(model.Name, [.. model.Remediation.Select(t => t.ToRule())], pending);
        var blocked = new HashSet<string>(StringComparer.Ordinal);
        int sent = 0, failed = 0;
        foreach (var action in store.RemediationActions(model.Name, "pending"))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (blocked.Contains(action.Target) || store.RemediationSent(action))
            {
                continue;
            }

            if (model.Remediation.FirstOrDefault(t => t.Name == action.Target) is not { } target)
            {
                // The target left the configuration: the action waits, visible on the Models page, until it comes back.
                logger.LogWarning("remediation {Model}: {Id} waits for target {Target}, which is not configured", model.Name, action.Id, action.Target);
                continue;
            }

            var error = await Poster(target).PostAsync(model.Name, target.Name, target.Url, RemediationPayload.Json(action), action.IdempotencyKey, Headers(target), cancellationToken).ConfigureAwait(false);
            store.RecordRemediation(action, error);
            metrics.RemediationAction(model.Name, action.Kind, error is null ? "sent" : "failed");
            if (error is null)
            {
                logger.LogWarning("remediation {Model}: {Action} for {Metric} ({Severity} at chunk {Chunk}) accepted by {Target}", model.Name, action.Action, action.Metric, action.Severity, action.ChunkKey, target.Name);
                sent++;
            }
            else
            {
                logger.LogError("remediation {Model}: {Action} for {Metric} not accepted by {Target} after retries ({Error}); retried by the next pass", model.Name, action.Action, action.Metric, target.Name, error);
                blocked.Add(target.Name);
                failed++;
            }
        }

        return (sent, failed);
    }

    private static List<KeyValuePair<string, string>> Headers(RemediationTarget target)
    {
        var headers = target.Headers.ToList();
        if (target.BearerToken is { } token)
        {
            headers.Add(new("Authorization", "Bearer " + token));
        }

        return headers;
    }

    /// <summary>One poster per time limit (a target may set its own).</summary>
    private JsonPoster Poster(RemediationTarget target) =>
        posters.GetOrAdd(target.Timeout ?? delivery.Timeout, timeout => new JsonPoster(http, delivery, timeout, r =>
            logger.LogInformation("remediation {Model}: {Target} attempt {Attempt} failed ({Error}); retrying in {Delay} ms", r.Model, r.Receiver, r.Attempt, r.Error, (int)r.Delay.TotalMilliseconds)));
}
