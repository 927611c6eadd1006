using System.CommandLine;
using Estimator.Host;
using Microsoft.Extensions.Hosting;

namespace Estimator.Cli;

/// <summary><c>estimator serve</c>: the job host with the Hangfire dashboard, until Ctrl+C.</summary>
internal static class ServeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var config = new Option<string>("--config") { Description = "The host configuration (YAML), e.g. datasets/demo/estimator.yaml.", Required = true };
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (semicolon-separated URLs). Only loopback by default; for remote access configure dashboard.authorization.",
            DefaultValueFactory = _ => EstimatorHost.DefaultUrl,
        };
        var command = new Command("serve", "Run the job host: per model, recurring calibrate and estimate jobs on its schedule, and the dashboard at /hangfire.")
        {
            config, urls,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var loaded = ConfigLoading.TryLoad(parse.GetValue(config)!, stderr);
            if (loaded is null)
            {
                return EstimatorCli.BadInput;
            }

            var app = EstimatorHost.Build(EstimatorHost.CreateBuilder(loaded, parse.GetValue(urls)));
            await using (app.ConfigureAwait(false))
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                foreach (var url in app.Urls)
                {
                    stdout.WriteLine($"Estimator dashboard: {url.TrimEnd('/')}{EstimatorServiceCollectionExtensions.DashboardPath}");
                }

                stdout.WriteLine($"Store: {loaded.StoreDirectory}; Hangfire storage: {loaded.Storage}");
                foreach (var model in loaded.Models)
                {
                    stdout.WriteLine($"Model {model.Name}: calibrate and estimate on '{model.Schedule}' (UTC)");
                }

                stdout.WriteLine("Press Ctrl+C to stop.");
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        });
        return command;
    }
}
