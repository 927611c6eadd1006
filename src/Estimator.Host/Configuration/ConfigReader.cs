using YamlDotNet.Core;

namespace Estimator.Host.Configuration;

/// <summary>
/// Reads a configuration file: parses the YAML, reads each section through its reader (every problem is collected,
/// with its key path and line, instead of stopping at the first), then runs <see cref="ConfigFileChecks"/> on the
/// paths it names, and builds an <see cref="EstimatorConfig"/> if there were no problems.
/// </summary>
internal sealed class ConfigReader
{
    private static readonly string[] TopKeys = ["store", "storage", "dashboard", "notify", "delivery", "metrics", "work_item_rows", "work_item_grace_seconds", "worker_threads", "progress_log_seconds", "models"];

    private readonly ConfigNodes nodes;
    private readonly ConfigPaths paths;
    private readonly string fullPath;

    public ConfigReader(string configFile)
    {
        nodes = new ConfigNodes(configFile);
        fullPath = Path.GetFullPath(configFile);
        paths = new ConfigPaths(nodes, Path.GetDirectoryName(fullPath) ?? Directory.GetCurrentDirectory());
    }

    /// <summary>Reads <paramref name="yaml"/>, or throws <see cref="EstimatorConfigException"/> listing every problem in file order.</summary>
    public EstimatorConfig Read(string yaml)
    {
        var root = nodes.Mapping(LoadRoot(yaml), "", TopKeys);
        var storeDirectory = Section(root, "store") is { } store ? paths.Directory(store, "store") : paths.Resolve("./store");
        var storage = Section(root, "storage") is { } storageNode ? new StorageSectionReader(nodes).Read(storageNode) : HangfireStorageConfig.InMemory;
        var endpoints = new EndpointSectionsReader(nodes);
        var dashboard = Section(root, "dashboard") is { } dashboardNode ? endpoints.ReadDashboard(dashboardNode) : new DashboardConfig();
        var metrics = Section(root, "metrics") is { } metricsNode ? endpoints.ReadMetricsEndpoint(metricsNode) : new MetricsConfig();
        var notify = new NotifySectionReader(nodes);
        var globalNotify = Section(root, "notify") is { } notifyNode ? notify.ReadNotify(notifyNode, "notify") : [];
        var delivery = Section(root, "delivery") is { } deliveryNode ? notify.ReadDelivery(deliveryNode) : new DeliveryConfig();
        var workItemRows = Section(root, "work_item_rows") is { } rowsNode ? nodes.NonNegativeInt(rowsNode, "work_item_rows") : EstimatorConfig.DefaultWorkItemRows;
        var workItemGrace = Section(root, "work_item_grace_seconds") is { } graceNode ? nodes.NonNegativeInt(graceNode, "work_item_grace_seconds") : 0;
        var workerThreads = Section(root, "worker_threads") is { } threadsNode ? nodes.PositiveInt(threadsNode, "worker_threads") : null;
        var progressLog = Section(root, "progress_log_seconds") is { } progressNode ? nodes.NonNegativeInt(progressNode, "progress_log_seconds") : null;
        var models = Section(root, "models") is { } modelsNode ? new ModelReader(nodes, paths, notify, storeDirectory).ReadModels(modelsNode, globalNotify) : [];
        if (root is not null && Section(root, "models") is null)
        {
            nodes.Problem("models", root.Start, "missing: list the models to monitor");
        }

        ConfigFileChecks.Check(paths.Referenced, nodes);
        if (storeDirectory is not null)
        {
            ConfigFileChecks.CheckStore(storeDirectory, Section(root, "store")?.Start ?? root?.Start ?? Mark.Empty, nodes);
        }

        if (nodes.ProblemCount > 0)
        {
            throw new EstimatorConfigException(nodes.ProblemsInFileOrder());
        }

        return new EstimatorConfig
        {
            ConfigFile = fullPath,
            StoreDirectory = storeDirectory!,
            Storage = storage!,
            Dashboard = dashboard!,
            Notify = NotifySectionReader.GlobalChannels(globalNotify),
            Delivery = delivery!,
            Metrics = metrics!,
            WorkItemRows = workItemRows ?? EstimatorConfig.DefaultWorkItemRows,
            WorkItemGrace = TimeSpan.FromSeconds(workItemGrace ?? 0),
            WorkerThreads = workerThreads,
            ProgressLogInterval = progressLog is int seconds ? TimeSpan.FromSeconds(seconds) : EstimatorConfig.DefaultProgressLogInterval,
            Models = models,
        };
    }

    private static YamlNode? Section(YamlMappingNode? root, string key) => root is null ? null : ConfigNodes.Get(root, key);

    /// <summary>The single document's root node; a file that is not YAML, or is empty, is reported and thrown at once.</summary>
    private YamlNode LoadRoot(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var inner = Innermost(e);
            var at = e.Start.Equals(Mark.Empty) && inner.Message.Contains("tab", StringComparison.Ordinal) ? TabIndentation(yaml) ?? e.Start : e.Start;
            Fail(at, $"not valid YAML: {inner.Message}");
        }
        catch (ArgumentException e)
        {
            // YamlDotNet's node loader throws this, with no position, for an event it does not expect (found by the
            // reader fuzz test on a damaged file).
            Fail(Mark.Empty, $"not valid YAML: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser throws this, with no position, for some unclosed flow collections (e.g. "a: {" then a
            // dedent); it fails at the end of the input, so that is where the problem is reported.
            var lines = yaml.Split('\n');
            Fail(new Mark(yaml.Length, lines.Length, lines[^1].Length + 1), "not valid YAML: a '{' or '[' is not closed");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            Fail(Mark.Empty, "the file is empty; it needs at least a 'models' list");
        }

        if (stream.Documents.Count > 1)
        {
            nodes.Problem("", stream.Documents[1].RootNode.Start, "the file holds more than one YAML document; use one");
        }

        return stream.Documents[0].RootNode;
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Fail(Mark mark, string message)
    {
        nodes.Problem("", mark, message);
        throw new EstimatorConfigException(nodes.ProblemsInFileOrder());
    }

    /// <summary>
    /// The first line indented with a tab: YamlDotNet's "found invalid tab as indentation" carries no position (it
    /// reads as line 1), so the problem is placed on the line that has it.
    /// </summary>
    private static Mark? TabIndentation(string yaml)
    {
        var lines = yaml.Split('\n');
        var index = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].AsSpan(0, indent).IndexOf('\t');
            if (tab >= 0)
            {
                return new Mark(index + tab, i + 1, tab + 1);
            }

            index += lines[i].Length + 1;
        }

        return null;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
