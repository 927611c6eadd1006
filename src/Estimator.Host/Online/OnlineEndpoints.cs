using System.Net;
using Estimator.Host.Dashboard;

namespace Estimator.Host.Online;

/// <summary>
/// The online path's HTTP contract under <c>/v1/models/{model}</c>: <c>POST predictions</c> and <c>POST labels</c>
/// (202 once durable), <c>GET online</c> (the window's estimate) and <c>GET verdict</c> (the deployment gate).
/// Posting from another machine needs the model's bearer token; reading needs what the dashboard needs (local, or
/// its credentials) or that token. Unknown models (and models without <c>online</c>) get 404.
/// </summary>
internal static class OnlineEndpoints
{
    public const string Prefix = "/v1/models/{model}";

    /// <summary>425 Too Early (RFC 8470): the gate's answer while the verdict is inconclusive.</summary>
    private const int TooEarly = 425;

    public static void MapEstimatorOnline(this WebApplication app)
    {
        var group = app.MapGroup(Prefix);
        group.MapPost("/predictions", PostPredictionsAsync);
        group.MapPost("/labels", PostLabelsAsync);
        group.MapGet("/online", GetOnlineAsync);
        group.MapGet("/verdict", GetVerdictAsync);

        // Flagger's webhooks POST their metadata: the same verdict, the body ignored.
        group.MapPost("/verdict", GetVerdictAsync);
    }

    private static Task PostPredictionsAsync(HttpContext http, string model, OnlineModels models) =>
        PostAsync(http, model, models, static (online, body) => online.Predictions.Parse(body), async (online, rows) =>
        {
            var total = await online.AppendAsync(rows, http.RequestAborted).ConfigureAwait(false);
            await SendAsync(http, StatusCodes.Status202Accepted, OnlineJson.Accepted(rows.Count, total)).ConfigureAwait(false);
        });

    private static Task PostLabelsAsync(HttpContext http, string model, OnlineModels models, IServiceProvider services) =>
        PostAsync(http, model, models, static (online, body) => online.Labels.Parse(body), async (online, labels) =>
        {
            var (ids, targets) = labels;
            await online.WriteLabelsAsync(ids, targets, http.RequestAborted).ConfigureAwait(false);
            OnlineModels.Trigger(services, Jobs.ModelJobs.ReconcileJobId(model));
            await SendAsync(http, StatusCodes.Status202Accepted, OnlineJson.Labels(ids.Length)).ConfigureAwait(false);
        });

    /// <summary>
    /// What both posts do before their own work: admit the request, hold one of the model's in-flight slots (429
    /// when none is free), read the body within the size limit (413) and parse it (400); <paramref name="accept"/>
    /// then runs with the parsed rows while the slot is still held.
    /// </summary>
    private static async Task PostAsync<T>(HttpContext http, string model, OnlineModels models, Func<OnlineModel, ReadOnlySpan<byte>, T> parse, Func<OnlineModel, T, Task> accept)
    {
        if (await AdmitPostAsync(http, model, models).ConfigureAwait(false) is not { } online)
        {
            return;
        }

        using var lease = online.Limiter.AttemptAcquire();
        if (!lease.IsAcquired)
        {
            await TooManyAsync(http).ConfigureAwait(false);
            return;
        }

        using var body = await ReadBodyAsync(http, online).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        T parsed;
        try
        {
            parsed = parse(online, body.Span);
        }
        catch (OnlineRequestException e)
        {
            await SendAsync(http, StatusCodes.Status400BadRequest, OnlineJson.Error(e.Error)).ConfigureAwait(false);
            return;
        }

        await accept(online, parsed).ConfigureAwait(false);
    }

    private static async Task GetOnlineAsync(HttpContext http, string model, OnlineModels models, EstimatorConfig config)
    {
        if (await AdmitGetAsync(http, model, models, config).ConfigureAwait(false) is { } online)
        {
            await SendAsync(http, StatusCodes.Status200OK, OnlineJson.Snapshot(online.Snapshot())).ConfigureAwait(false);
        }
    }

    private static async Task GetVerdictAsync(HttpContext http, string model, OnlineModels models, EstimatorConfig config, IModelStore store, TimeProvider time)
    {
        if (await AdmitGetAsync(http, model, models, config).ConfigureAwait(false) is not { } online)
        {
            return;
        }

        var (verdict, reasons) = OnlineVerdict.Decide(online.Model.Definition, online.Snapshot(), store.ReadAlertStatus(model));
        await SendAsync(http, GateStatus(http.Request.Query["gate"].ToString(), verdict), OnlineJson.Verdict(model, verdict, reasons, time.GetUtcNow())).ConfigureAwait(false);
    }

    /// <summary>
    /// The verdict's status code for webhook gates that read only the status (Flagger): <c>?gate=pass</c> answers 2xx
    /// only for pass (412 fail, 425 inconclusive), <c>?gate=fail</c> answers 2xx unless fail (412); otherwise always 200.
    /// </summary>
    private static int GateStatus(string gate, string verdict) => (gate, verdict) switch
    {
        ("pass", OnlineVerdict.Inconclusive) => TooEarly,
        ("pass" or "fail", OnlineVerdict.Fail) => StatusCodes.Status412PreconditionFailed,
        _ => StatusCodes.Status200OK,
    };

    /// <summary>The model's online path for a post, or null once the refusal (404, 401, 503) is sent.</summary>
    private static async Task<OnlineModel?> AdmitPostAsync(HttpContext http, string model, OnlineModels models)
    {
        if (models.Find(model) is not { } online)
        {
            await NotFoundAsync(http, model).ConfigureAwait(false);
            return null;
        }

        var remote = http.Connection.RemoteIpAddress;
        if (!(remote is not null && IPAddress.IsLoopback(remote)) && !HasToken(http, online.Online.Token))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await SendAsync(http, StatusCodes.Status401Unauthorized, OnlineJson.Error("posting from another machine needs the model's bearer token (online.token)")).ConfigureAwait(false);
            return null;
        }

        return await ReadyAsync(http, online).ConfigureAwait(false);
    }

    private static async Task<OnlineModel?> AdmitGetAsync(HttpContext http, string model, OnlineModels models, EstimatorConfig config)
    {
        if (models.Find(model) is not { } online)
        {
            await NotFoundAsync(http, model).ConfigureAwait(false);
            return null;
        }

        if (!DashboardAuthorization.IsTrusted(http, config.Dashboard) && !HasToken(http, online.Online.Token))
        {
            await SendAsync(http, StatusCodes.Status401Unauthorized, OnlineJson.Error("reading needs a local request, the dashboard's credentials or the model's bearer token")).ConfigureAwait(false);
            return null;
        }

        return await ReadyAsync(http, online).ConfigureAwait(false);
    }

    private static async Task<OnlineModel?> ReadyAsync(HttpContext http, OnlineModel online)
    {
        try
        {
            await online.Ready.WaitAsync(TimeSpan.FromSeconds(30), http.RequestAborted).ConfigureAwait(false);
            return online;
        }
        catch (TimeoutException)
        {
            http.Response.Headers.RetryAfter = "5";
            var why = online.StartError ?? "its window is still being rebuilt from the store";
            await SendAsync(http, StatusCodes.Status503ServiceUnavailable, OnlineJson.Error($"the online path of '{online.Model.Name}' is not available yet: {why}")).ConfigureAwait(false);
            return null;
        }
    }

    private static async Task<RequestBody?> ReadBodyAsync(HttpContext http, OnlineModel online)
    {
        RequestBody? body;
        try
        {
            body = await RequestBody.ReadAsync(http.Request, online.Online.MaxBodyBytes, http.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body = null;
        }

        if (body is null)
        {
            await SendAsync(http, StatusCodes.Status413PayloadTooLarge, OnlineJson.Error(FormattableString.Invariant($"the body is larger than {online.Online.MaxBodyBytes} bytes (online.max_body_bytes); post smaller batches"))).ConfigureAwait(false);
        }

        return body;
    }

    private static bool HasToken(HttpContext http, string? token)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return token is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && DashboardAuthorization.SecretEquals(header["Bearer ".Length..].Trim(), token);
    }

    private static Task NotFoundAsync(HttpContext http, string model) =>
        SendAsync(http, StatusCodes.Status404NotFound, OnlineJson.Error($"no model '{model}' with an online section"));

    private static Task TooManyAsync(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return SendAsync(http, StatusCodes.Status429TooManyRequests, OnlineJson.Error("too many requests in flight for this model (online.max_in_flight); retry shortly"));
    }

    private static async Task SendAsync(HttpContext http, int status, byte[] body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = OnlineJson.ContentType;
        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted).ConfigureAwait(false);
    }
}
