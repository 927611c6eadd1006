using System.Globalization;
using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.Metrics;
using Estimator.Monitoring;
using Estimator.Slo;
using Estimator.Thresholds;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Estimator.Host.Configuration;

/// <summary>
/// Walks the YAML node tree of a configuration file and collects every problem (with its key path and line) instead of
/// stopping at the first, then builds an <see cref="EstimatorConfig"/> if there were none.
/// </summary>
internal sealed class ConfigReader
{
    private static readonly string[] TopKeys = ["store", "storage", "dashboard", "notify", "delivery", "metrics", "work_item_rows", "work_item_grace_seconds", "worker_threads", "progress_log_seconds", "models"];
    private static readonly string[] DeliveryKeys = ["schedule", "retries", "backoff_seconds", "timeout_seconds"];
    private static readonly string[] MetricsKeys = ["allow_remote"];
    private static readonly string[] SloKeys = ["metric", "objective"];
    private static readonly string[] AlertingKeys = ["for", "keep_firing_for", "consecutive_crossings", "budget_window", "error_budget"];
    private static readonly string[] NotifyKeys = ["kind", "url", "routing_key", "routing_key_env", "severities", "name"];
    private static readonly string[] StorageKeys = ["kind", "connection", "connection_env", "invisibility_timeout_seconds"];
    private static readonly string[] DashboardKeys = ["title", "allow_local", "authorization"];
    private static readonly string[] AuthorizationKeys = ["basic", "token", "token_env"];
    private static readonly string[] BasicKeys = ["username", "password", "password_env"];
    private static readonly string[] ModelKeys =
    [
        "name", "reference", "analysis", "targets", "id_column", "columns", "chunking", "metrics", "thresholds",
        "calibration", "schedule", "normalize_confusion_matrix", "business_value_matrix", "normalize_business_value",
        "slos", "alerting", "notify", "reconcile_schedule",
    ];

    private static readonly string[] ColumnKeys = ["y_pred_proba", "y_pred", "y_true", "timestamp"];
    private static readonly string[] ChunkingKeys = ["size", "number", "period", "incomplete"];
    private static readonly string[] StdThresholdKeys = ["type", "std_lower_multiplier", "std_upper_multiplier"];
    private static readonly string[] ConstantThresholdKeys = ["type", "lower", "upper"];

    private readonly string file;
    private readonly string baseDirectory;
    private readonly List<ConfigProblem> problems = [];

    public ConfigReader(string configFile)
    {
        file = configFile;
        var full = Path.GetFullPath(configFile);
        baseDirectory = Path.GetDirectoryName(full) ?? Directory.GetCurrentDirectory();
        FullPath = full;
    }

    private string FullPath { get; }

    public EstimatorConfig Read(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            Problem("", e.Start, $"not valid YAML: {Innermost(e).Message}");
            throw new EstimatorConfigException(problems);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser throws this, with no position, for some unclosed flow collections (e.g. "a: {" then a
            // dedent); it fails at the end of the input, so that is where the problem is reported.
            var lines = yaml.Split('\n');
            Problem("", new Mark(yaml.Length, lines.Length, lines[^1].Length + 1), "not valid YAML: a '{' or '[' is not closed");
            throw new EstimatorConfigException(problems);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            Problem("", Mark.Empty, "the file is empty; it needs at least a 'models' list");
            throw new EstimatorConfigException(problems);
        }

        if (stream.Documents.Count > 1)
        {
            Problem("", stream.Documents[1].RootNode.Start, "the file holds more than one YAML document; use one");
        }

        var root = Mapping(stream.Documents[0].RootNode, "", TopKeys);
        var store = root is null ? null : Get(root, "store");
        var storeDirectory = store is null ? Resolve("./store") : ReadStore(store);
        var storage = root is null ? null : Get(root, "storage");
        var storageConfig = storage is null ? HangfireStorageConfig.InMemory : ReadStorage(storage);
        var dashboard = root is null ? null : Get(root, "dashboard");
        var dashboardConfig = dashboard is null ? new DashboardConfig() : ReadDashboard(dashboard);
        var globalNotify = root is not null && Get(root, "notify") is { } notifyNode ? ReadNotify(notifyNode, "notify") : [];
        var delivery = root is not null && Get(root, "delivery") is { } deliveryNode ? ReadDelivery(deliveryNode) : new DeliveryConfig();
        var metricsConfig = root is not null && Get(root, "metrics") is { } metricsNode ? ReadMetricsEndpoint(metricsNode) : new MetricsConfig();
        var workItemRows = root is not null && Get(root, "work_item_rows") is { } workItemNode ? NonNegativeInt(workItemNode, "work_item_rows") : EstimatorConfig.DefaultWorkItemRows;
        var workItemGrace = root is not null && Get(root, "work_item_grace_seconds") is { } graceNode ? NonNegativeInt(graceNode, "work_item_grace_seconds") : 0;
        var workerThreads = root is not null && Get(root, "worker_threads") is { } threadsNode ? PositiveInt(threadsNode, "worker_threads") : null;
        var progressLog = root is not null && Get(root, "progress_log_seconds") is { } progressNode ? NonNegativeInt(progressNode, "progress_log_seconds") : null;
        var modelsNode = root is null ? null : Get(root, "models");
        var models = new List<ModelConfig>();
        if (root is not null && modelsNode is null)
        {
            Problem("models", root.Start, "missing: list the models to monitor");
        }
        else if (modelsNode is not null)
        {
            ReadModels(modelsNode, models, globalNotify);
        }

        if (problems.Count > 0)
        {
            // File order (the walk visits some keys out of order); OrderBy is stable for problems on the same spot.
            throw new EstimatorConfigException([.. problems.OrderBy(p => p.Line).ThenBy(p => p.Column)]);
        }

        return new EstimatorConfig
        {
            ConfigFile = FullPath,
            StoreDirectory = storeDirectory!,
            Storage = storageConfig!,
            Dashboard = dashboardConfig!,
            Notify = globalNotify.Select(c => c.ToChannel(c.Name ?? DefaultChannelName(c, globalNotify))).ToList(),
            Delivery = delivery!,
            Metrics = metricsConfig!,
            WorkItemRows = workItemRows ?? EstimatorConfig.DefaultWorkItemRows,
            WorkItemGrace = TimeSpan.FromSeconds(workItemGrace ?? 0),
            WorkerThreads = workerThreads,
            ProgressLogInterval = progressLog is int seconds ? TimeSpan.FromSeconds(seconds) : EstimatorConfig.DefaultProgressLogInterval,
            Models = models,
        };
    }

    private string? ReadStore(YamlNode node)
    {
        var text = NonEmptyString(node, "store");
        return text is null ? null : Resolve(text);
    }

    private HangfireStorageConfig? ReadStorage(YamlNode node)
    {
        var map = Mapping(node, "storage", StorageKeys);
        if (map is null)
        {
            return null;
        }

        var kindNode = Get(map, "kind");
        if (kindNode is null)
        {
            Problem("storage.kind", map.Start, "missing: inmemory or postgres");
            return null;
        }

        var kind = NonEmptyString(kindNode, "storage.kind")?.ToUpperInvariant() switch
        {
            null => (HangfireStorageKind?)null,
            "INMEMORY" or "MEMORY" => HangfireStorageKind.InMemory,
            "POSTGRES" or "POSTGRESQL" => HangfireStorageKind.Postgres,
            _ => Invalid<HangfireStorageKind>(kindNode, "storage.kind", "expected inmemory or postgres"),
        };
        var connection = Secret(map, "connection", "connection_env", "storage");
        if (kind == HangfireStorageKind.Postgres && connection is null && Get(map, "connection") is null && Get(map, "connection_env") is null)
        {
            Problem("storage.connection", map.Start, "missing: postgres storage needs a connection string (connection, or connection_env naming an environment variable)");
        }

        if (kind == HangfireStorageKind.InMemory && (Get(map, "connection") is not null || Get(map, "connection_env") is not null))
        {
            Problem("storage.connection", map.Start, "only postgres storage takes a connection string");
        }

        var invisibility = Get(map, "invisibility_timeout_seconds") is { } seconds ? PositiveInt(seconds, "storage.invisibility_timeout_seconds") : null;
        if (kind == HangfireStorageKind.InMemory && Get(map, "invisibility_timeout_seconds") is not null)
        {
            Problem("storage.invisibility_timeout_seconds", map.Start, "only postgres storage takes an invisibility timeout");
        }

        return kind switch
        {
            HangfireStorageKind.InMemory => HangfireStorageConfig.InMemory,
            HangfireStorageKind.Postgres when connection is not null => new HangfireStorageConfig(HangfireStorageKind.Postgres, connection)
            {
                InvisibilityTimeout = invisibility is int s ? TimeSpan.FromSeconds(s) : HangfireStorageConfig.DefaultInvisibilityTimeout,
            },
            _ => null,
        };
    }

    private DashboardConfig? ReadDashboard(YamlNode node)
    {
        var map = Mapping(node, "dashboard", DashboardKeys);
        if (map is null)
        {
            return null;
        }

        var config = new DashboardConfig();
        if (Get(map, "title") is { } title && NonEmptyString(title, "dashboard.title") is { } t)
        {
            config = new DashboardConfig { Title = t };
        }

        var allowLocal = Get(map, "allow_local") is { } local ? Bool(local, "dashboard.allow_local") ?? true : true;
        BasicCredentials? basic = null;
        string? token = null;
        if (Get(map, "authorization") is { } authNode && Mapping(authNode, "dashboard.authorization", AuthorizationKeys) is { } auth)
        {
            if (Get(auth, "basic") is { } basicNode && Mapping(basicNode, "dashboard.authorization.basic", BasicKeys) is { } basicMap)
            {
                var user = Get(basicMap, "username") is { } u ? NonEmptyString(u, "dashboard.authorization.basic.username") : null;
                if (Get(basicMap, "username") is null)
                {
                    Problem("dashboard.authorization.basic.username", basicMap.Start, "missing");
                }

                var password = Secret(basicMap, "password", "password_env", "dashboard.authorization.basic");
                if (Get(basicMap, "password") is null && Get(basicMap, "password_env") is null)
                {
                    Problem("dashboard.authorization.basic.password", basicMap.Start, "missing (password, or password_env naming an environment variable)");
                }

                if (user is not null && password is not null)
                {
                    if (user.Contains(':', StringComparison.Ordinal))
                    {
                        Problem("dashboard.authorization.basic.username", basicMap.Start, "must not contain ':'");
                    }
                    else
                    {
                        basic = new BasicCredentials(user, password);
                    }
                }
            }

            token = Secret(auth, "token", "token_env", "dashboard.authorization");
            if (token is { Length: < 16 })
            {
                Problem("dashboard.authorization.token", auth.Start, "too short: use at least 16 characters");
                token = null;
            }
        }

        return new DashboardConfig { Title = config.Title, AllowLocal = allowLocal, Basic = basic, Token = token };
    }

    private void ReadModels(YamlNode node, List<ModelConfig> models, List<ChannelSpec> globalNotify)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Problem("models", node.Start, "expected a list of models");
            return;
        }

        if (sequence.Children.Count == 0)
        {
            Problem("models", node.Start, "the list is empty: configure at least one model");
        }

        var seen = new Dictionary<string, Mark>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = FormattableString.Invariant($"models[{i}]");
            var model = ReadModel(sequence.Children[i], path, seen, globalNotify);
            if (model is not null)
            {
                models.Add(model);
            }
        }
    }

    private ModelConfig? ReadModel(YamlNode node, string path, Dictionary<string, Mark> seen, List<ChannelSpec> globalNotify)
    {
        var map = Mapping(node, path, ModelKeys);
        if (map is null)
        {
            return null;
        }

        var before = problems.Count;
        var name = Required(map, "name", path) is { } nameNode ? ModelName(nameNode, path + ".name", seen) : null;
        var reference = Required(map, "reference", path) is { } referenceNode ? ExistingFile(referenceNode, path + ".reference") : null;
        var analysis = Required(map, "analysis", path) is { } analysisNode ? Source(analysisNode, path + ".analysis") : null;
        var targets = Get(map, "targets") is { } targetsNode ? Source(targetsNode, path + ".targets") : null;
        var idColumn = Get(map, "id_column") is { } idNode ? NonEmptyString(idNode, path + ".id_column") : null;
        if (Get(map, "targets") is not null && Get(map, "id_column") is null)
        {
            Problem(path + ".id_column", map.Start, "missing: targets are joined to analysis rows by id_column");
        }

        var columns = ReadColumns(Get(map, "columns"), path + ".columns", idColumn);
        var metrics = ReadMetrics(Get(map, "metrics"), path + ".metrics");
        var chunking = ReadChunking(Get(map, "chunking"), path + ".chunking", columns);
        var thresholds = ReadThresholds(Get(map, "thresholds"), path + ".thresholds", metrics);
        var calibration = Get(map, "calibration") is { } calibrationNode
            ? NonEmptyString(calibrationNode, path + ".calibration")?.ToUpperInvariant() switch
            {
                null => (CalibrationMode?)null,
                "AUTO" => CalibrationMode.Auto,
                "ALWAYS" => CalibrationMode.Always,
                "NEVER" => CalibrationMode.Never,
                _ => Invalid<CalibrationMode>(calibrationNode, path + ".calibration", "expected auto, always or never"),
            }
            : CalibrationMode.Auto;
        var normalization = Get(map, "normalize_confusion_matrix") is { } normNode
            ? NonEmptyString(normNode, path + ".normalize_confusion_matrix")?.ToUpperInvariant() switch
            {
                null => (ConfusionMatrixNormalization?)null,
                "NONE" => ConfusionMatrixNormalization.None,
                "ALL" => ConfusionMatrixNormalization.All,
                "TRUE" => ConfusionMatrixNormalization.True,
                "PRED" => ConfusionMatrixNormalization.Pred,
                _ => Invalid<ConfusionMatrixNormalization>(normNode, path + ".normalize_confusion_matrix", "expected none, all, true or pred"),
            }
            : ConfusionMatrixNormalization.None;
        var matrix = Get(map, "business_value_matrix") is { } matrixNode ? ReadBusinessValueMatrix(matrixNode, path + ".business_value_matrix") : null;
        if (metrics is not null && metrics.Contains(Metric.BusinessValue) && Get(map, "business_value_matrix") is null)
        {
            Problem(path + ".business_value_matrix", map.Start, "missing: the business_value metric needs [[TN, FP], [FN, TP]]");
        }

        var perPrediction = false;
        if (Get(map, "normalize_business_value") is { } bvNode)
        {
            switch (NonEmptyString(bvNode, path + ".normalize_business_value")?.ToUpperInvariant())
            {
                case null: break;
                case "NONE": break;
                case "PER_PREDICTION": perPrediction = true; break;
                default: Problem(path + ".normalize_business_value", bvNode.Start, "expected none or per_prediction"); break;
            }
        }

        CronSchedule? schedule = null;
        if (Required(map, "schedule", path) is { } scheduleNode && NonEmptyString(scheduleNode, path + ".schedule") is { } cron)
        {
            if (CronSchedule.TryParse(cron, out var parsed, out var error))
            {
                schedule = parsed;
            }
            else
            {
                Problem(path + ".schedule", scheduleNode.Start, error);
            }
        }

        CronSchedule? reconcileSchedule = null;
        if (Get(map, "reconcile_schedule") is { } reconcileNode && NonEmptyString(reconcileNode, path + ".reconcile_schedule") is { } reconcileCron)
        {
            if (Get(map, "targets") is null)
            {
                Problem(path + ".reconcile_schedule", reconcileNode.Start, "the model has no targets to reconcile; add targets and id_column, or remove reconcile_schedule");
            }
            else if (CronSchedule.TryParse(reconcileCron, out var parsed, out var error))
            {
                reconcileSchedule = parsed;
            }
            else
            {
                Problem(path + ".reconcile_schedule", reconcileNode.Start, error);
            }
        }

        var slos = Get(map, "slos") is { } slosNode ? ReadSlos(slosNode, path + ".slos", metrics) : [];
        var alerting = Get(map, "alerting") is { } alertingNode ? ReadAlerting(alertingNode, path + ".alerting") : new AlertPolicy();
        var notify = Get(map, "notify") is { } modelNotifyNode ? ReadNotify(modelNotifyNode, path + ".notify") : [];
        var channels = MergeChannels(notify, globalNotify, path);

        if (problems.Count > before || name is null || reference is null || analysis is null || columns is null || metrics is null
            || chunking is null || thresholds is null || calibration is null || normalization is null || schedule is null
            || slos is null || alerting is null || channels is null)
        {
            return null;
        }

        var options = new CbpeOptions
        {
            Metrics = metrics,
            Chunking = chunking,
            Calibration = calibration.Value,
            Thresholds = thresholds,
            ConfusionMatrixNormalization = normalization.Value,
            BusinessValueMatrix = matrix,
            NormalizeBusinessValuePerPrediction = perPrediction,
        };
        var definition = new ModelDefinition(name, reference, analysis, targets, idColumn, columns, options) { Slos = slos, Alerting = alerting };
        return new ModelConfig(definition, schedule)
        {
            ReconcileSchedule = targets is null ? null : reconcileSchedule ?? schedule,
            Notify = channels,
        };
    }

    private List<SloObjective>? ReadSlos(YamlNode node, string path, List<Metric>? metrics)
    {
        if (node is not YamlSequenceNode sequence)
        {
            Problem(path, node.Start, "expected a list of objectives, e.g. [{ metric: roc_auc, objective: 0.9 }]");
            return null;
        }

        var slos = new List<SloObjective>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = FormattableString.Invariant($"{path}[{i}]");
            var map = Mapping(sequence.Children[i], itemPath, SloKeys);
            if (map is null)
            {
                ok = false;
                continue;
            }

            var before = problems.Count;
            var metric = Required(map, "metric", itemPath) is { } metricNode ? SloMetric(metricNode, itemPath + ".metric", metrics) : null;
            var objective = Required(map, "objective", itemPath) is { } objectiveNode ? Number(objectiveNode, itemPath + ".objective") : null;
            if (metric is not null && objective is double o && slos.Any(s => s.Metric == metric && s.Objective.Equals(o)))
            {
                Problem(itemPath, map.Start, $"the objective for '{metric}' is listed twice");
            }

            if (problems.Count > before || metric is null || objective is null)
            {
                ok = false;
                continue;
            }

            slos.Add(new SloObjective(metric, objective.Value));
        }

        return ok ? slos : null;
    }

    private string? SloMetric(YamlNode node, string path, List<Metric>? metrics)
    {
        var name = NonEmptyString(node, path);
        if (name is null || metrics is null)
        {
            return name;
        }

        var known = metrics.Where(m => m != Metric.ConfusionMatrix).Select(m => m.ToName()).ToList();
        if (metrics.Contains(Metric.ConfusionMatrix))
        {
            known.AddRange(MetricNames.ConfusionMatrixComponents);
        }

        if (!known.Contains(name, StringComparer.Ordinal))
        {
            Problem(path, node.Start, $"'{name}' is not among the model's metrics; objectives can be set on: {string.Join(", ", known)}");
            return null;
        }

        return name;
    }

    private AlertPolicy? ReadAlerting(YamlNode node, string path)
    {
        var map = Mapping(node, path, AlertingKeys);
        if (map is null)
        {
            return null;
        }

        var before = problems.Count;
        var defaults = new AlertPolicy();
        var forChunks = Get(map, "for") is { } f ? PositiveInt(f, path + ".for") : defaults.For;
        var keep = Get(map, "keep_firing_for") is { } k ? NonNegativeInt(k, path + ".keep_firing_for") : defaults.KeepFiringFor;
        var crossings = Get(map, "consecutive_crossings") is { } c ? PositiveInt(c, path + ".consecutive_crossings") : defaults.ConsecutiveCrossings;
        var window = Get(map, "budget_window") is { } w ? PositiveInt(w, path + ".budget_window") : defaults.BudgetWindow;
        var budget = defaults.ErrorBudget;
        if (Get(map, "error_budget") is { } b)
        {
            var value = Number(b, path + ".error_budget");
            if (value is double v && !(v > 0 && v <= 1))
            {
                Problem(path + ".error_budget", b.Start, FormattableString.Invariant($"must be a share in (0, 1], e.g. 0.1; got {v}"));
            }

            budget = value ?? budget;
        }

        if (problems.Count > before || forChunks is null || keep is null || crossings is null || window is null)
        {
            return null;
        }

        var policy = new AlertPolicy { For = forChunks.Value, KeepFiringFor = keep.Value, ConsecutiveCrossings = crossings.Value, BudgetWindow = window.Value, ErrorBudget = budget };
        try
        {
            policy.Validate();
            return policy;
        }
        catch (ArgumentException e)
        {
            Problem(path, map.Start, e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
            return null;
        }
    }

    private List<ChannelSpec> ReadNotify(YamlNode node, string path)
    {
        var channels = new List<ChannelSpec>();
        if (node is not YamlSequenceNode sequence)
        {
            Problem(path, node.Start, "expected a list of channels, e.g. [{ kind: webhook, url: \"http://...\", severities: [P1, P2] }]");
            return channels;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = FormattableString.Invariant($"{path}[{i}]");
            if (ReadChannel(sequence.Children[i], itemPath) is { } channel)
            {
                channels.Add(channel);
            }
        }

        return channels;
    }

    private ChannelSpec? ReadChannel(YamlNode node, string path)
    {
        var map = Mapping(node, path, NotifyKeys);
        if (map is null)
        {
            return null;
        }

        var before = problems.Count;
        var kind = Required(map, "kind", path) is { } kindNode
            ? NonEmptyString(kindNode, path + ".kind")?.ToUpperInvariant() switch
            {
                null => (NotifyKind?)null,
                "WEBHOOK" => NotifyKind.Webhook,
                "SLACK" => NotifyKind.Slack,
                "PAGERDUTY" => NotifyKind.PagerDuty,
                _ => Invalid<NotifyKind>(kindNode, path + ".kind", "expected webhook, slack or pagerduty"),
            }
            : null;
        Uri? url = null;
        if (Required(map, "url", path) is { } urlNode && NonEmptyString(urlNode, path + ".url") is { } text)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttp || parsed.Scheme == Uri.UriSchemeHttps))
            {
                url = parsed;
            }
            else
            {
                Problem(path + ".url", urlNode.Start, "expected an absolute http:// or https:// URL");
            }
        }

        var routingKey = Secret(map, "routing_key", "routing_key_env", path);
        if (kind == NotifyKind.PagerDuty && Get(map, "routing_key") is null && Get(map, "routing_key_env") is null)
        {
            Problem(path + ".routing_key", map.Start, "missing: PagerDuty needs the integration's routing key (routing_key, or routing_key_env naming an environment variable)");
        }
        else if (kind is NotifyKind.Webhook or NotifyKind.Slack && (Get(map, "routing_key") ?? Get(map, "routing_key_env")) is { } keyNode)
        {
            Problem(path + ".routing_key", keyNode.Start, "only pagerduty channels take a routing key");
        }

        var severities = new HashSet<Severity>();
        if (Required(map, "severities", path) is { } severitiesNode)
        {
            if (severitiesNode is not YamlSequenceNode list || list.Children.Count == 0)
            {
                Problem(path + ".severities", severitiesNode.Start, $"expected a non-empty list of P1, P2, P3; got {Describe(severitiesNode)}");
            }
            else
            {
                for (var i = 0; i < list.Children.Count; i++)
                {
                    var itemPath = FormattableString.Invariant($"{path}.severities[{i}]");
                    var severity = NonEmptyString(list.Children[i], itemPath)?.ToUpperInvariant() switch
                    {
                        null => (Severity?)null,
                        "P1" => Severity.P1,
                        "P2" => Severity.P2,
                        "P3" => Severity.P3,
                        _ => Invalid<Severity>(list.Children[i], itemPath, "expected P1, P2 or P3"),
                    };
                    if (severity is { } s && !severities.Add(s))
                    {
                        Problem(itemPath, list.Children[i].Start, $"'{s}' is listed twice");
                    }
                }
            }
        }

        string? name = null;
        if (Get(map, "name") is { } nameNode && NonEmptyString(nameNode, path + ".name") is { } n)
        {
            if (n.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
            {
                Problem(path + ".name", nameNode.Start, $"'{n}': use letters, digits, '_', '-' and '.' only");
            }

            name = n;
        }

        return problems.Count > before || kind is null || url is null
            ? null
            : new ChannelSpec(name, kind.Value, url, kind == NotifyKind.PagerDuty ? routingKey : null, severities, map.Start);
    }

    /// <summary>A model's channels: its own, then the global ones; default names made unique, explicit duplicates reported.</summary>
    private List<NotifyChannel>? MergeChannels(List<ChannelSpec> own, List<ChannelSpec> global, string path)
    {
        var all = own.Concat(global).ToList();
        var names = new Dictionary<string, ChannelSpec>(StringComparer.Ordinal);
        var result = new List<NotifyChannel>();
        var ok = true;
        foreach (var spec in all)
        {
            var name = spec.Name ?? DefaultChannelName(spec, all);
            if (names.TryGetValue(name, out var first))
            {
                Problem(path + ".notify", spec.Start, FormattableString.Invariant($"two channels are named '{name}' (first on line {first.Start.Line}); give each a distinct name"));
                ok = false;
                continue;
            }

            names[name] = spec;
            result.Add(spec.ToChannel(name));
        }

        return ok ? result : null;
    }

    /// <summary>The kind (<c>webhook</c>), or <c>webhook-2</c>, ... for the second and later unnamed channel of a kind.</summary>
    private static string DefaultChannelName(ChannelSpec spec, List<ChannelSpec> all)
    {
        var kind = spec.Kind.ToString().ToLowerInvariant();
        var ordinal = all.Where(c => c.Name is null && c.Kind == spec.Kind).ToList().IndexOf(spec) + 1;
        return ordinal <= 1 ? kind : FormattableString.Invariant($"{kind}-{ordinal}");
    }

    private DeliveryConfig? ReadDelivery(YamlNode node)
    {
        var map = Mapping(node, "delivery", DeliveryKeys);
        if (map is null)
        {
            return null;
        }

        var before = problems.Count;
        var defaults = new DeliveryConfig();
        var schedule = defaults.Schedule;
        if (Get(map, "schedule") is { } scheduleNode && NonEmptyString(scheduleNode, "delivery.schedule") is { } cron)
        {
            if (CronSchedule.TryParse(cron, out var parsed, out var error))
            {
                schedule = parsed;
            }
            else
            {
                Problem("delivery.schedule", scheduleNode.Start, error);
            }
        }

        var retries = Get(map, "retries") is { } r ? NonNegativeInt(r, "delivery.retries") : defaults.Retries;
        var backoff = Get(map, "backoff_seconds") is { } b ? PositiveSeconds(b, "delivery.backoff_seconds") : defaults.Backoff;
        var timeout = Get(map, "timeout_seconds") is { } t ? PositiveSeconds(t, "delivery.timeout_seconds") : defaults.Timeout;
        if (retries > 20)
        {
            Problem("delivery.retries", map.Start, "at most 20 retries per run (the next run retries again)");
        }

        return problems.Count > before || retries is null || backoff is null || timeout is null
            ? null
            : new DeliveryConfig { Schedule = schedule, Retries = retries.Value, Backoff = backoff.Value, Timeout = timeout.Value };
    }

    private MetricsConfig? ReadMetricsEndpoint(YamlNode node)
    {
        var map = Mapping(node, "metrics", MetricsKeys);
        if (map is null)
        {
            return null;
        }

        return Get(map, "allow_remote") is { } remote
            ? Bool(remote, "metrics.allow_remote") is bool allow ? new MetricsConfig { AllowRemote = allow } : null
            : new MetricsConfig();
    }

    private TimeSpan? PositiveSeconds(YamlNode node, string path)
    {
        var value = Number(node, path);
        if (value is double v && (v <= 0 || v > 3600))
        {
            Problem(path, node.Start, FormattableString.Invariant($"expected seconds in (0, 3600]; got {v}"));
            return null;
        }

        return value is double s ? TimeSpan.FromSeconds(s) : null;
    }

    private int? NonNegativeInt(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0)
        {
            return value;
        }

        Problem(path, node.Start, $"expected a whole number, 0 or more, got {Describe(node)}");
        return null;
    }

    /// <summary>A channel as read, before its default name is settled.</summary>
    private sealed record ChannelSpec(string? Name, NotifyKind Kind, Uri Url, string? RoutingKey, HashSet<Severity> Severities, Mark Start)
    {
        public NotifyChannel ToChannel(string name) => new(name, Kind, Url, RoutingKey, Severities);
    }

    private string? ModelName(YamlNode node, string path, Dictionary<string, Mark> seen)
    {
        var name = NonEmptyString(node, path);
        if (name is null)
        {
            return null;
        }

        if (!ModelNames.IsValid(name, out var error))
        {
            Problem(path, node.Start, error!);
            return null;
        }

        if (seen.TryGetValue(name, out var first))
        {
            Problem(path, node.Start, FormattableString.Invariant($"duplicate model name '{name}' (first used on line {first.Line})"));
            return null;
        }

        seen[name] = node.Start;
        return name;
    }

    private ColumnMapping? ReadColumns(YamlNode? node, string path, string? idColumn)
    {
        var columns = new ColumnMapping { YTrue = "y_true", Id = idColumn };
        if (node is null)
        {
            return columns;
        }

        var map = Mapping(node, path, ColumnKeys);
        if (map is null)
        {
            return null;
        }

        var ok = true;
        string? Column(string key, string? fallback, bool nullable)
        {
            if (Get(map, key) is not { } valueNode)
            {
                return fallback;
            }

            if (IsNull(valueNode))
            {
                if (!nullable)
                {
                    Problem($"{path}.{key}", valueNode.Start, "must name a column");
                    ok = false;
                }

                return null;
            }

            var value = NonEmptyString(valueNode, $"{path}.{key}");
            ok &= value is not null;
            return value;
        }

        columns = columns with
        {
            YPredProba = Column("y_pred_proba", "y_pred_proba", nullable: false) ?? "y_pred_proba",
            YPred = Column("y_pred", "y_pred", nullable: true),
            YTrue = Column("y_true", "y_true", nullable: false),
            Timestamp = Column("timestamp", null, nullable: true),
        };
        return ok ? columns : null;
    }

    private List<Metric>? ReadMetrics(YamlNode? node, string path)
    {
        if (node is null)
        {
            return [.. new CbpeOptions().Metrics];
        }

        if (node is not YamlSequenceNode sequence)
        {
            Problem(path, node.Start, "expected a list of metric names, e.g. [roc_auc, f1]");
            return null;
        }

        var metrics = new List<Metric>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var itemPath = FormattableString.Invariant($"{path}[{i}]");
            var name = NonEmptyString(sequence.Children[i], itemPath);
            if (name is null)
            {
                ok = false;
            }
            else if (!MetricNames.TryParse(name, out var metric))
            {
                Problem(itemPath, sequence.Children[i].Start, $"unknown metric '{name}'; known metrics: {string.Join(", ", MetricNames.All)}");
                ok = false;
            }
            else if (metrics.Contains(metric))
            {
                Problem(itemPath, sequence.Children[i].Start, $"'{name}' is listed twice");
                ok = false;
            }
            else
            {
                metrics.Add(metric);
            }
        }

        if (ok && metrics.Count == 0)
        {
            Problem(path, node.Start, "the list is empty: name at least one metric");
            ok = false;
        }

        return ok ? metrics : null;
    }

    private Chunking? ReadChunking(YamlNode? node, string path, ColumnMapping? columns)
    {
        if (node is null)
        {
            return Chunking.Default;
        }

        var map = Mapping(node, path, ChunkingKeys);
        if (map is null)
        {
            return null;
        }

        var size = Get(map, "size");
        var number = Get(map, "number");
        var period = Get(map, "period");
        var incompleteNode = Get(map, "incomplete");
        var chosen = (size is null ? 0 : 1) + (number is null ? 0 : 1) + (period is null ? 0 : 1);
        if (chosen != 1)
        {
            Problem(path, map.Start, chosen == 0 ? "give one of size, number or period" : "give only one of size, number and period");
            return null;
        }

        IncompleteChunk? incomplete = IncompleteChunk.Keep;
        if (incompleteNode is not null)
        {
            incomplete = NonEmptyString(incompleteNode, path + ".incomplete") is not { } text ? null
                : ChunkingSyntax.TryParseIncomplete(text, out var rule, out var error) ? rule
                : Invalid<IncompleteChunk>(incompleteNode, path + ".incomplete", error!);
            if (period is not null)
            {
                Problem(path + ".incomplete", incompleteNode.Start, "period chunks take no 'incomplete' rule");
                return null;
            }
        }

        if (size is not null)
        {
            return PositiveInt(size, path + ".size") is int s && incomplete is { } rule ? Chunking.BySize(s, rule) : null;
        }

        if (number is not null)
        {
            return PositiveInt(number, path + ".number") is int n && incomplete is { } rule ? Chunking.ByNumber(n, rule) : null;
        }

        ChunkPeriod? chunkPeriod = NonEmptyString(period!, path + ".period") is not { } periodText ? null
            : ChunkingSyntax.TryParsePeriod(periodText, out var parsed, out var periodError) ? parsed
            : Invalid<ChunkPeriod>(period!, path + ".period", periodError!);
        if (chunkPeriod is not null && columns is not null && columns.Timestamp is null)
        {
            Problem(path + ".period", period!.Start, "period chunks need a timestamp column (columns.timestamp)");
            return null;
        }

        return chunkPeriod is { } cp ? Chunking.ByPeriod(cp) : null;
    }

    private Dictionary<Metric, Threshold>? ReadThresholds(YamlNode? node, string path, List<Metric>? metrics)
    {
        var thresholds = new Dictionary<Metric, Threshold>();
        if (node is null)
        {
            return thresholds;
        }

        if (node is not YamlMappingNode map)
        {
            Problem(path, node.Start, "expected a mapping of metric to threshold, e.g. {roc_auc: {type: constant, lower: 0.8}}");
            return null;
        }

        var ok = true;
        foreach (var (keyNode, valueNode) in map.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? "";
            var itemPath = $"{path}.{key}";
            if (!MetricNames.TryParse(key, out var metric))
            {
                Problem(itemPath, keyNode.Start, $"unknown metric '{key}'; known metrics: {string.Join(", ", MetricNames.All)}");
                ok = false;
                continue;
            }

            if (metrics is not null && !metrics.Contains(metric))
            {
                Problem(itemPath, keyNode.Start, $"a threshold for '{key}', which is not among the model's metrics");
                ok = false;
                continue;
            }

            var threshold = ReadThreshold(valueNode, itemPath);
            if (threshold is null)
            {
                ok = false;
            }
            else
            {
                thresholds[metric] = threshold;
            }
        }

        return ok ? thresholds : null;
    }

    private Threshold? ReadThreshold(YamlNode node, string path)
    {
        if (node is not YamlMappingNode map)
        {
            Problem(path, node.Start, "expected {type: standard_deviation, std_lower_multiplier: 3, std_upper_multiplier: 3} or {type: constant, lower: L, upper: U}");
            return null;
        }

        var typeNode = Get(map, "type");
        if (typeNode is null)
        {
            Problem(path + ".type", map.Start, "missing: standard_deviation or constant");
            return null;
        }

        var type = NonEmptyString(typeNode, path + ".type");
        var before = problems.Count;
        try
        {
            switch (type)
            {
                case null:
                    return null;
                case "standard_deviation":
                    {
                        CheckKeys(map, path, StdThresholdKeys);
                        var lower = OptionalNumber(map, "std_lower_multiplier", path, 3);
                        var upper = OptionalNumber(map, "std_upper_multiplier", path, 3);
                        if (lower is < 0 || upper is < 0)
                        {
                            Problem(path, map.Start, "standard-deviation multipliers must not be negative");
                        }

                        return problems.Count > before ? null : Threshold.StandardDeviation(lower, upper);
                    }

                case "constant":
                    {
                        CheckKeys(map, path, ConstantThresholdKeys);
                        var lower = OptionalNumber(map, "lower", path, null);
                        var upper = OptionalNumber(map, "upper", path, null);
                        return problems.Count > before ? null : Threshold.Constant(lower, upper);
                    }

                default:
                    Problem(path + ".type", typeNode.Start, $"unknown threshold type '{type}': expected standard_deviation or constant");
                    return null;
            }
        }
        catch (ArgumentException e)
        {
            Problem(path, map.Start, e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal));
            return null;
        }
    }

    private BusinessValueMatrix? ReadBusinessValueMatrix(YamlNode node, string path)
    {
        const string Expected = "expected [[TN, FP], [FN, TP]] (rows: actual 0, 1; columns: predicted 0, 1)";
        if (node is not YamlSequenceNode { Children.Count: 2 } rows
            || rows.Children[0] is not YamlSequenceNode { Children.Count: 2 } row0
            || rows.Children[1] is not YamlSequenceNode { Children.Count: 2 } row1)
        {
            Problem(path, node.Start, Expected);
            return null;
        }

        var cells = new[] { row0.Children[0], row0.Children[1], row1.Children[0], row1.Children[1] };
        var values = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (Number(cells[i], path) is not double v)
            {
                return null;
            }

            values[i] = v;
        }

        return new BusinessValueMatrix(values[0], values[1], values[2], values[3]);
    }

    private string? Source(YamlNode node, string path)
    {
        var text = NonEmptyString(node, path);
        if (text is null)
        {
            return null;
        }

        var full = Resolve(text);
        var wildcard = full.IndexOfAny(['*', '?', '[', '{']);
        if (wildcard < 0)
        {
            if (!Directory.Exists(full) && !File.Exists(full))
            {
                Problem(path, node.Start, $"not found: '{full}' is neither a directory nor a file");
                return null;
            }

            return full;
        }

        var baseDirectory = Path.GetDirectoryName(full[..wildcard]) ?? "";
        if (!Directory.Exists(baseDirectory))
        {
            Problem(path, node.Start, $"directory not found: '{baseDirectory}' (the folder the pattern '{text}' looks in)");
            return null;
        }

        return full;
    }

    private string? ExistingFile(YamlNode node, string path)
    {
        var text = NonEmptyString(node, path);
        if (text is null)
        {
            return null;
        }

        var full = Resolve(text);
        if (!File.Exists(full))
        {
            Problem(path, node.Start, $"file not found: '{full}'");
            return null;
        }

        return full;
    }

    private string Resolve(string path) => Path.GetFullPath(Path.Combine(baseDirectory, path));

    private string? Secret(YamlMappingNode map, string key, string envKey, string path)
    {
        var direct = Get(map, key);
        var env = Get(map, envKey);
        if (direct is not null && env is not null)
        {
            Problem($"{path}.{key}", direct.Start, $"give {key} or {envKey}, not both");
            return null;
        }

        if (direct is not null)
        {
            return NonEmptyString(direct, $"{path}.{key}");
        }

        if (env is not null && NonEmptyString(env, $"{path}.{envKey}") is { } variable)
        {
            var value = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(value))
            {
                Problem($"{path}.{envKey}", env.Start, $"the environment variable '{variable}' is not set");
                return null;
            }

            return value;
        }

        return null;
    }

    private double? OptionalNumber(YamlMappingNode map, string key, string path, double? fallback)
    {
        if (Get(map, key) is not { } node)
        {
            return fallback;
        }

        return IsNull(node) ? null : Number(node, $"{path}.{key}");
    }

    private double? Number(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        Problem(path, node.Start, $"expected a number, got {Describe(node)}");
        return null;
    }

    private int? PositiveInt(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        Problem(path, node.Start, $"expected a positive whole number, got {Describe(node)}");
        return null;
    }

    private bool? Bool(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var value))
        {
            return value;
        }

        Problem(path, node.Start, $"expected true or false, got {Describe(node)}");
        return null;
    }

    private string? NonEmptyString(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text } && !IsNull(node) && text.Trim().Length > 0)
        {
            return text.Trim();
        }

        Problem(path, node.Start, $"expected a non-empty value, got {Describe(node)}");
        return null;
    }

    private YamlMappingNode? Mapping(YamlNode node, string path, string[] allowedKeys)
    {
        if (node is not YamlMappingNode map)
        {
            Problem(path, node.Start, $"expected a mapping with keys {string.Join(", ", allowedKeys)}; got {Describe(node)}");
            return null;
        }

        CheckKeys(map, path, allowedKeys);
        return map;
    }

    private void CheckKeys(YamlMappingNode map, string path, string[] allowedKeys)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = key is YamlScalarNode scalar ? scalar.Value : null;
            if (name is null || Array.IndexOf(allowedKeys, name) < 0)
            {
                var where = path.Length == 0 ? name ?? "?" : $"{path}.{name}";
                Problem(where, key.Start, $"unknown key '{name}'; expected one of: {string.Join(", ", allowedKeys)}");
            }
        }
    }

    private YamlNode? Required(YamlMappingNode map, string key, string path)
    {
        var node = Get(map, key);
        if (node is null)
        {
            Problem($"{path}.{key}", map.Start, "missing");
        }

        return node;
    }

    private static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s when IsNull(s) => "nothing (null)",
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };

    private T? Invalid<T>(YamlNode node, string path, string expected)
        where T : struct
    {
        Problem(path, node.Start, $"{expected}; got {Describe(node)}");
        return null;
    }

    private void Problem(string path, Mark mark, string message) =>
        problems.Add(new ConfigProblem(file, path, (int)mark.Line, (int)mark.Column, message));

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
