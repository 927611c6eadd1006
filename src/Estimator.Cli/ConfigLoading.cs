using System.CommandLine;
using Estimator.Host;
using Estimator.Host.Configuration;
using Estimator.Monitoring;

namespace Estimator.Cli;

/// <summary>Loads the host configuration for <c>serve</c> and <c>run</c>; problems are printed one per line.</summary>
internal static class ConfigLoading
{
    /// <summary>The configuration, or null after printing every problem to <paramref name="stderr"/>.</summary>
    public static EstimatorConfig? TryLoad(string path, TextWriter stderr)
    {
        try
        {
            return EstimatorConfig.Load(path);
        }
        catch (EstimatorConfigException e)
        {
            foreach (var problem in e.Problems)
            {
                stderr.WriteLine($"error: {problem}");
            }

            return null;
        }
    }

    /// <summary>
    /// A one-shot command over the configured models (<c>run</c>, <c>reconcile</c>): <c>--config FILE [--model NAME]</c>,
    /// the configuration loaded (problems listed, exit 2) and the store engine handed to <paramref name="run"/>.
    /// </summary>
    public static Command ModelsCommand(
        string name,
        string description,
        string modelDescription,
        TextWriter stdout,
        TextWriter stderr,
        Func<EstimatorConfig, IModelStore, string?, TextWriter, TextWriter, CancellationToken, int> run)
    {
        var config = new Option<string>("--config") { Description = "The host configuration (YAML), e.g. datasets/demo/estimator.yaml.", Required = true };
        var model = new Option<string?>("--model") { Description = modelDescription };
        var command = new Command(name, description) { config, model };
        command.SetAction((parse, cancellationToken) =>
        {
            var loaded = TryLoad(parse.GetValue(config)!, stderr);
            if (loaded is null)
            {
                return Task.FromResult(EstimatorCli.BadInput);
            }

            var store = new ModelRunnerStore(new ModelRunner(loaded.StoreDirectory));
            return Task.FromResult(run(loaded, store, parse.GetValue(model), stdout, stderr, cancellationToken));
        });
        return command;
    }
}
