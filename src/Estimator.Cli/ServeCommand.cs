using Estimator.Host;
using Estimator.Host.Configuration;
using Estimator.Host.Health;
using Estimator.Host.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Estimator.Cli;

/// <summary><c>estimator serve</c>: the job host with the Hangfire dashboard, until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = new Option<string>("--config") { Description = "The host configuration (YAML), e.g. datasets/demo/estimator.yaml.", Required = true };
        var urls = Defaulted.Option<string>("--urls", EstimatorHost.DefaultUrl, "Where to listen (semicolon-separated URLs). Only loopback by default; for remote access configure dashboard.authorization.");
        var role = Defaulted.Option<string>("--role", "all", "all: jobs and dashboard; worker: jobs only (HTTP serves /health only); web: dashboard only. worker and web need postgres storage.");
        role.AcceptOnlyFromAmong("all", "worker", "web");
        var command = new Command("serve", "Run the job host: per model, recurring calibrate and estimate jobs on its schedule, and the dashboard at /hangfire.")
        {
            config, urls, role,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = ConfigLoading.TryLoad(parse.GetValue(config)!, stderr);
            if (loaded is null)
            {
                return EstimatorCli.BadInput;
            }

            if (ListenUrls.Problem(parse.GetValue(urls)!) is { } urlProblem)
            {
                stderr.WriteLine($"error: {urlProblem}");
                return EstimatorCli.BadInput;
            }

            var hostRole = Enum.Parse<HostRole>(parse.GetValue(role)!, ignoreCase: true);
            if (hostRole != HostRole.All && loaded.Storage.Kind != HangfireStorageKind.Postgres)
            {
                stderr.WriteLine($"error: --role {parse.GetValue(role)}: needs storage {{kind: postgres}} shared by the web and worker processes; {loaded.ConfigFile} has {loaded.Storage}");
                return EstimatorCli.BadInput;
            }

            try
            {
                return await ServeAsync(loaded, parse.GetValue(urls)!, hostRole, stdout, cancellationToken).ConfigureAwait(false);
            }
            catch (HangfireStorageException e)
            {
                // One line, no stack trace; the message names host, port, database and user, never the password.
                stderr.WriteLine($"error: {e.Message}");
                return 1;
            }
            catch (IOException e)
            {
                // Kestrel could not bind after all (the port was taken between the check and the start).
                stderr.WriteLine($"error: --urls '{parse.GetValue(urls)}': cannot listen: {e.Message}");
                return EstimatorCli.BadInput;
            }
        });
        return command;
    }

    private static async Task<int> ServeAsync(EstimatorConfig loaded, string urls, HostRole role, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (loaded.Storage.Kind == HangfireStorageKind.Postgres)
        {
            // Fails fast with a clear message when the database is unreachable; creates or upgrades Hangfire's schema
            // once, under a PostgreSQL advisory lock, before this process's Hangfire server starts.
            PostgresStorage.PrepareSchema(loaded.Storage.ConnectionString!);
        }

        var app = EstimatorHost.Build(EstimatorHost.CreateBuilder(loaded, urls, role));
        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var hostRole = app.Services.GetRequiredService<EstimatorHostRole>();
            stdout.WriteLine($"Role: {role.ToString().ToLowerInvariant()}{(hostRole.ServerName is null ? "" : $"; Hangfire server {hostRole.ServerName}")}");
            foreach (var url in app.Urls)
            {
                if (hostRole.ServesDashboard)
                {
                    stdout.WriteLine($"Estimator dashboard: {url.TrimEnd('/')}{EstimatorServiceCollectionExtensions.ModelsPagePath}");
                }

                stdout.WriteLine($"Health: {url.TrimEnd('/')}{HealthEndpoint.Path}");
            }

            stdout.WriteLine($"Store: {loaded.StoreDirectory}; Hangfire storage: {loaded.Storage}");
            foreach (var model in loaded.Models)
            {
                stdout.WriteLine($"Model {model.Name}: calibrate and estimate on '{model.Schedule}' (UTC)");
            }

            stdout.WriteLine("Press Ctrl+C to stop.");
            stdout.Flush();
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }
}
