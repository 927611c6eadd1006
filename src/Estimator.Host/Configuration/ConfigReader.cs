using System.Globalization;
using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.IO;
using Estimator.IO.Store;
using Estimator.Metrics;
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
    private static readonly string[] TopKeys = ["store", "storage", "dashboard", "models"];
    private static readonly string[] StorageKeys = ["kind", "connection", "connection_env", "invisibility_timeout_seconds"];
    private static readonly string[] DashboardKeys = ["title", "allow_local", "authorization"];
    private static readonly string[] AuthorizationKeys = ["basic", "token", "token_env"];
    private static readonly string[] BasicKeys = ["username", "password", "password_env"];
    private static readonly string[] ModelKeys =
    [
        "name", "reference", "analysis", "targets", "id_column", "columns", "chunking", "metrics", "thresholds",
        "calibration", "schedule", "normalize_confusion_matrix", "business_value_matrix", "normalize_business_value",
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
        var modelsNode = root is null ? null : Get(root, "models");
        var models = new List<ModelConfig>();
        if (root is not null && modelsNode is null)
        {
            Problem("models", root.Start, "missing: list the models to monitor");
        }
        else if (modelsNode is not null)
        {
            ReadModels(modelsNode, models);
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

    private void ReadModels(YamlNode node, List<ModelConfig> models)
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
            var model = ReadModel(sequence.Children[i], path, seen);
            if (model is not null)
            {
                models.Add(model);
            }
        }
    }

    private ModelConfig? ReadModel(YamlNode node, string path, Dictionary<string, Mark> seen)
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

        if (problems.Count > before || name is null || reference is null || analysis is null || columns is null || metrics is null
            || chunking is null || thresholds is null || calibration is null || normalization is null || schedule is null)
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
        return new ModelConfig(new ModelDefinition(name, reference, analysis, targets, idColumn, columns, options), schedule);
    }

    private string? ModelName(YamlNode node, string path, Dictionary<string, Mark> seen)
    {
        var name = NonEmptyString(node, path);
        if (name is null)
        {
            return null;
        }

        if (name is "." or ".." || name.Contains("..", StringComparison.Ordinal) || name.IndexOfAny(['/', '\\']) >= 0)
        {
            Problem(path, node.Start, $"unsafe model name '{name}': it names a folder in the store, so it may not contain path separators or '..'");
            return null;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                Problem(path, node.Start, $"unsafe model name '{name}': use letters, digits, '_', '-' and '.' only");
                return null;
            }
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
            incomplete = NonEmptyString(incompleteNode, path + ".incomplete")?.ToUpperInvariant() switch
            {
                null => null,
                "KEEP" => IncompleteChunk.Keep,
                "DROP" => IncompleteChunk.Drop,
                "APPEND" => IncompleteChunk.Append,
                _ => Invalid<IncompleteChunk>(incompleteNode, path + ".incomplete", "expected keep, drop or append"),
            };
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

        ChunkPeriod? chunkPeriod = NonEmptyString(period!, path + ".period") switch
        {
            null => null,
            "D" => ChunkPeriod.Day,
            "W" => ChunkPeriod.Week,
            "M" => ChunkPeriod.Month,
            "Q" => ChunkPeriod.Quarter,
            "Y" => ChunkPeriod.Year,
            var p => p.ToUpperInvariant() switch
            {
                "DAY" => ChunkPeriod.Day,
                "WEEK" => ChunkPeriod.Week,
                "MONTH" => ChunkPeriod.Month,
                "QUARTER" => ChunkPeriod.Quarter,
                "YEAR" => ChunkPeriod.Year,
                _ => Invalid<ChunkPeriod>(period!, path + ".period", "expected day, week, month, quarter or year (or D, W, M, Q, Y)"),
            },
        };
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
