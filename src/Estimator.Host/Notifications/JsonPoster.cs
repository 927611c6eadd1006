using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Estimator.Host.Notifications;

/// <summary>What a <see cref="JsonPoster"/> reports for each failed attempt that it retries.</summary>
/// <param name="Model">The model.</param>
/// <param name="Receiver">The channel's or remediation target's name.</param>
/// <param name="Attempt">The failed attempt (1 for the first).</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Delay">How long until the next attempt.</param>
internal readonly record struct RetryReport(string Model, string Receiver, int Attempt, string? Error, TimeSpan Delay);

/// <summary>
/// Posts a JSON body with an <c>Idempotency-Key</c> header, with retries and exponential backoff with jitter (Polly)
/// and a time limit per attempt: the one HTTP path of notification channels and remediation targets.
/// </summary>
internal sealed class JsonPoster
{
    private static readonly ResiliencePropertyKey<(string Model, string Receiver)> ReceiverKey = new("estimator.receiver");

    private readonly IHttpClientFactory http;
    private readonly ResiliencePipeline pipeline;

    /// <summary>Creates a poster.</summary>
    /// <param name="http">HTTP clients (the dispatcher's named client).</param>
    /// <param name="delivery">Retries and backoff.</param>
    /// <param name="timeout">Time limit of one attempt.</param>
    /// <param name="onRetry">Called for each failed attempt that is retried.</param>
    public JsonPoster(IHttpClientFactory http, DeliveryConfig delivery, TimeSpan timeout, Action<RetryReport> onRetry)
    {
        this.http = http;
        var builder = new ResiliencePipelineBuilder();
        if (delivery.Retries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<NotificationDeliveryException>().Handle<TimeoutRejectedException>(),
                MaxRetryAttempts = delivery.Retries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = delivery.Backoff,
                OnRetry = args =>
                {
                    var (model, receiver) = args.Context.Properties.GetValue(ReceiverKey, ("", ""));
                    onRetry(new RetryReport(model, receiver, args.AttemptNumber + 1, args.Outcome.Exception?.Message, args.RetryDelay));
                    return ValueTask.CompletedTask;
                },
            });
        }

        // Each attempt has its own time limit (inside the retry).
        builder.AddTimeout(timeout);
        pipeline = builder.Build();
    }

    /// <summary>Posts <paramref name="body"/>; null once the receiver answered 2xx, else why not (after the retries).</summary>
    /// <param name="model">The model (for the retry reports).</param>
    /// <param name="receiver">The receiver's name (for the retry reports).</param>
    /// <param name="url">Where to POST.</param>
    /// <param name="body">The JSON body.</param>
    /// <param name="idempotencyKey">The <c>Idempotency-Key</c> header: the same on every retry, so the receiver can drop repeats.</param>
    /// <param name="headers">Further headers, or null.</param>
    /// <param name="cancellationToken">Cancels the delivery.</param>
    public async Task<string?> PostAsync(
        string model, string receiver, Uri url, string body, string idempotencyKey, IEnumerable<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        var client = http.CreateClient(NotificationDispatcher.HttpClientName);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(ReceiverKey, (model, receiver));
            await pipeline.ExecuteAsync(
                async (ctx, state) =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, state.Url) { Content = new StringContent(state.Body, Encoding.UTF8) };
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                    request.Headers.TryAddWithoutValidation("Idempotency-Key", state.Key);
                    foreach (var (name, value) in state.Headers ?? [])
                    {
                        request.Headers.TryAddWithoutValidation(name, value);
                    }

                    using var response = await state.Client.SendAsync(request, ctx.CancellationToken).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new NotificationDeliveryException($"the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}");
                    }
                },
                context,
                (Client: client, Url: url, Body: body, Key: idempotencyKey, Headers: headers)).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or NotificationDeliveryException or TimeoutRejectedException)
        {
            return e.Message;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
