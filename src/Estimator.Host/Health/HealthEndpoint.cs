using System.Diagnostics;
using Estimator.Host.Storage;
using Hangfire;

namespace Estimator.Host.Health;

/// <summary>
/// <c>GET /health</c>: liveness plus two checks, Hangfire's storage answers a query and the store directory takes a
/// file. 200 with <c>"status": "healthy"</c> when both pass, 503 with <c>"unhealthy"</c> and the failing check's
/// reason otherwise; 200 with <c>"degraded"</c> when both pass but a model has analysis or label files set aside as unusable
/// (the <c>models</c> check names them). Served in every role, without credentials; it reveals no connection string. A client that is
/// neither local nor carrying the dashboard's credentials gets the status alone (no server name, role or check
/// details, which name paths and hosts), so a load balancer can probe it and a stranger learns nothing.
/// </summary>
public static class HealthEndpoint
{
    /// <summary>The endpoint's path.</summary>
    public const string Path = "/health";

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Maps <c>GET /health</c>.</summary>
    /// <param name="app">The application.</param>
    /// <returns>The application.</returns>
    public static IEndpointRouteBuilder MapEstimatorHealth(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Path, async (HttpContext http, JobStorage storage, EstimatorConfig config, EstimatorHostRole role, IModelStore store, CancellationToken cancellationToken) =>
        {
            var storageCheck = await CheckAsync(() => StorageReachable(storage), e => StorageError(config.Storage, e), cancellationToken).ConfigureAwait(false);
            var storeCheck = await CheckAsync(() => StoreWritable(config.StoreDirectory), null, cancellationToken).ConfigureAwait(false);
            var modelsCheck = await CheckAsync(() => NoRejectedFiles(config, store), e => e.Message, cancellationToken).ConfigureAwait(false);
            var healthy = storageCheck.Ok && storeCheck.Ok;
            var state = !healthy ? "unhealthy" : modelsCheck.Ok ? "healthy" : "degraded";
            var status = healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            if (!Dashboard.DashboardAuthorization.IsTrusted(http, config.Dashboard))
            {
                return Results.Json(new HealthStatus(state), statusCode: status);
            }

            var body = new HealthReport(
                state,
                role.Role.ToString().ToLowerInvariant(),
                role.ServerName,
                new Dictionary<string, HealthCheck>(StringComparer.Ordinal) { ["storage"] = storageCheck, ["store"] = storeCheck, ["models"] = modelsCheck });
            return Results.Json(body, statusCode: status);
        });
        return app;
    }

    private static async Task<HealthCheck> CheckAsync(Action check, Func<Exception, string>? describe, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await Task.Run(check, cancellationToken).WaitAsync(CheckTimeout, cancellationToken).ConfigureAwait(false);
            return new HealthCheck(true, null, watch.Elapsed.TotalMilliseconds);
        }
        catch (TimeoutException)
        {
            return new HealthCheck(false, $"no answer within {CheckTimeout.TotalSeconds:0} s", watch.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new HealthCheck(false, describe?.Invoke(e) ?? $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}", watch.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>
    /// PostgreSQL: the one-line description start-up errors use (where, and every cause, e.g. connection refused), with
    /// the password redacted; otherwise the exception's type and message.
    /// </summary>
    private static string StorageError(HangfireStorageConfig storage, Exception error) =>
        storage.Kind == HangfireStorageKind.Postgres && storage.ConnectionString is { } connection
            ? PostgresStorage.Describe(connection, error)
            : $"{error.GetType().Name}: {error.Message.ReplaceLineEndings(" ")}";

    private static void StorageReachable(JobStorage storage)
    {
        using var connection = storage.GetConnection();
        _ = connection.GetAllEntriesFromHash("estimator:health");
    }

    /// <summary>Fails, naming each model and file, when a model has analysis or label files set aside as unusable.</summary>
    private static void NoRejectedFiles(EstimatorConfig config, IModelStore store)
    {
        var rejected = config.Models.SelectMany(m => store.ReadRejected(m.Name).Select(r => $"{m.Name}: {r.Path}")).ToList();
        if (rejected.Count > 0)
        {
            throw new InvalidDataException($"{rejected.Count} file(s) set aside as unusable: {string.Join("; ", rejected)}");
        }
    }

    private static void StoreWritable(string store)
    {
        Directory.CreateDirectory(store);
        var probe = System.IO.Path.Combine(store, $".health-{Environment.ProcessId}-{Guid.NewGuid():N}");
        File.WriteAllText(probe, "ok");
        File.Delete(probe);
    }

    /// <summary>The JSON body of <c>/health</c>.</summary>
    /// <param name="Status"><c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>.</param>
    /// <param name="Role">The process's role: <c>all</c>, <c>worker</c> or <c>web</c>.</param>
    /// <param name="Server">The Hangfire server name of this process (null for a web process).</param>
    /// <param name="Checks">The checks by name: <c>storage</c>, <c>store</c>, <c>models</c>.</param>
    public sealed record HealthReport(string Status, string Role, string? Server, IReadOnlyDictionary<string, HealthCheck> Checks);

    /// <summary>The body of <c>/health</c> for an untrusted client: the status alone.</summary>
    /// <param name="Status"><c>healthy</c>, <c>degraded</c> or <c>unhealthy</c>.</param>
    public sealed record HealthStatus(string Status);

    /// <summary>One check's result.</summary>
    /// <param name="Ok">Whether it passed.</param>
    /// <param name="Error">Why it failed, or null.</param>
    /// <param name="Milliseconds">How long it took.</param>
    public sealed record HealthCheck(bool Ok, string? Error, double Milliseconds);
}
