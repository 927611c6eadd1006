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

    /// <summary>
    /// Runs <paramref name="body"/> for each model in order; a failing model is reported as <c>error: NAME: ...</c> and
    /// does not stop the others.
    /// </summary>
    /// <returns>0 when every model ran, 2 when one had bad input (data, files), else 1 when one failed otherwise.</returns>
    public static int ForEachModel(IReadOnlyList<ModelConfig> models, TextWriter stderr, Action<ModelConfig> body, CancellationToken cancellationToken)
    {
        var exit = 0;
        foreach (var m in models)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                body(m);
            }
            catch (Exception e) when (e is EstimatorDataException or IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {m.Name}: {e.Message}");
                exit = Math.Max(exit, EstimatorCli.BadInput);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                stderr.WriteLine($"error: {m.Name}: {e.GetType().Name}: {e.Message}");
                exit = exit == 0 ? 1 : exit;
            }
        }

        return exit;
    }
}
