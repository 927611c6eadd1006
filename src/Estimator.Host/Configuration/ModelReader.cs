using Estimator.Calculators;
using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.Estimation.Multiclass;
using Estimator.Estimation.Shift;
using Estimator.Learning;
using Estimator.Metrics;
using YamlDotNet.Core;

namespace Estimator.Host.Configuration;

/// <summary>
/// Reads <c>models</c>: each model's name, inputs and schedules, and its sections through their readers (columns,
/// metrics and thresholds, chunking, SLOs and alerting, notification channels).
/// </summary>
internal sealed class ModelReader(ConfigNodes nodes, ConfigPaths paths, NotifySectionReader notify, string? storeDirectory)
{
    private static readonly string[] ModelKeys =
    [
        "name", "reference", "analysis", "targets", "id_column", "columns", "chunking", "metrics", "thresholds",
        "calibration", "schedule", "normalize_confusion_matrix", "business_value_matrix", "normalize_business_value",
        "slos", "alerting", "notify", "reconcile_schedule", "problem", "features", "seed", "tune_hyperparameters",
        "drift", "quality", "remediation", "online", "estimator", "domain_classifier",
    ];

    private readonly ColumnsSectionReader columnsReader = new(nodes);
    private readonly MetricsSectionReader metricsReader = new(nodes);
    private readonly ChunkingSectionReader chunkingReader = new(nodes);
    private readonly SloSectionReader sloReader = new(nodes);
    private readonly InputSectionsReader inputsReader = new(nodes);
    private readonly OnlineSectionReader onlineReader = new(nodes);
    private readonly RegressionSectionReader regressionReader = new(nodes, new MetricsSectionReader(nodes));
    private readonly RemediationSectionReader remediationReader = new(nodes);
    private readonly ShiftSectionReader shiftReader = new(nodes, new RegressionSectionReader(nodes, new MetricsSectionReader(nodes)));
    private readonly Dictionary<string, Mark> seenNames = new(StringComparer.Ordinal);

    /// <summary>The models that read without problems, in file order.</summary>
    /// <param name="node">The <c>models</c> value.</param>
    /// <param name="globalNotify">The top-level channels, which every model's notifications also go to.</param>
    public List<ModelConfig> ReadModels(YamlNode node, List<ChannelSpec> globalNotify)
    {
        var models = new List<ModelConfig>();
        if (nodes.Sequence(node, "models", "expected a list of models") is not { } sequence)
        {
            return models;
        }

        if (sequence.Children.Count == 0)
        {
            nodes.Problem("models", node.Start, "the list is empty: configure at least one model");
        }

        foreach (var (item, path) in ConfigNodes.Items(sequence, "models"))
        {
            var model = ReadModel(item, path, globalNotify);
            var remediation = item is YamlMappingNode map && ConfigNodes.Get(map, "remediation") is { } remediationNode
                ? remediationReader.Read(remediationNode, path + ".remediation", model is null ? null : MetricNames(model.Definition))
                : [];
            if (model is not null && remediation is not null)
            {
                models.Add(model with { Remediation = remediation });
            }
        }

        return models;
    }

    private ModelConfig? ReadModel(YamlNode node, string path, List<ChannelSpec> globalNotify)
    {
        var map = nodes.Mapping(node, path, ModelKeys);
        if (map is null)
        {
            return null;
        }

        var before = nodes.ProblemCount;
        var name = nodes.Required(map, "name", path) is { } nameNode ? ModelName(nameNode, path + ".name") : null;
        var reference = nodes.Required(map, "reference", path) is { } referenceNode ? paths.File(referenceNode, path + ".reference") : null;
        // A model posted to over HTTP (online) may have no analysis files.
        var onlineNode = ConfigNodes.Get(map, "online");
        var online = onlineNode is null ? null : onlineReader.Read(onlineNode, path + ".online");
        var analysisNode = onlineNode is null ? nodes.Required(map, "analysis", path) : ConfigNodes.Get(map, "analysis");
        var analysis = analysisNode is null ? null : paths.Source(analysisNode, path + ".analysis");
        var targets = ConfigNodes.Get(map, "targets") is { } targetsNode ? paths.Source(targetsNode, path + ".targets") : null;
        var problem = nodes.OptionalChoice(map, "problem", path, ProblemKind.Classification, "expected classification or regression", ("CLASSIFICATION", ProblemKind.Classification), ("REGRESSION", ProblemKind.Regression));
        var columns = columnsReader.Read(map, path, problem ?? ProblemKind.Classification);
        var inputs = inputsReader.Read(map, path);
        var chunking = chunkingReader.Read(ConfigNodes.Get(map, "chunking"), path + ".chunking", columns);
        if (onlineNode is not null)
        {
            chunking = onlineReader.Check(map, onlineNode, path, online, problem, columns, chunking);
        }

        if (problem == ProblemKind.Regression)
        {
            return ReadRegressionModel(map, path, before, (name, reference, analysis, targets, columns, chunking, inputs), globalNotify);
        }

        regressionReader.CheckClassifier(map, path);
        var (estimator, features, learner) = shiftReader.Read(map, path, multiclass: columns?.ClassScores is not null);
        var metrics = columns?.ClassScores is null
            ? metricsReader.ReadMetrics(ConfigNodes.Get(map, "metrics"), path + ".metrics")
            : MulticlassMetrics(map, path);
        var thresholds = metricsReader.ReadThresholds(ConfigNodes.Get(map, "thresholds"), path + ".thresholds", metrics);
        var calibration = nodes.OptionalChoice(map, "calibration", path, CalibrationMode.Auto, "expected auto, always or never", ("AUTO", CalibrationMode.Auto), ("ALWAYS", CalibrationMode.Always), ("NEVER", CalibrationMode.Never));
        var normalization = nodes.OptionalChoice(
            map,
            "normalize_confusion_matrix",
            path,
            ConfusionMatrixNormalization.None,
            "expected none, all, true or pred",
            ("NONE", ConfusionMatrixNormalization.None),
            ("ALL", ConfusionMatrixNormalization.All),
            ("TRUE", ConfusionMatrixNormalization.True),
            ("PRED", ConfusionMatrixNormalization.Pred));
        var matrix = ConfigNodes.Get(map, "business_value_matrix") is { } matrixNode ? metricsReader.ReadBusinessValueMatrix(matrixNode, path + ".business_value_matrix") : null;
        if (metrics is not null && metrics.Contains(Metric.BusinessValue) && ConfigNodes.Get(map, "business_value_matrix") is null)
        {
            nodes.Problem(path + ".business_value_matrix", map.Start, "missing: the business_value metric needs [[TN, FP], [FN, TP]]");
        }

        var perPrediction = ConfigNodes.Get(map, "normalize_business_value") is { } bvNode && PerPrediction(bvNode, path + ".normalize_business_value");
        var (schedule, reconcileSchedule, slos, alerting, channels) = ReadCommon(map, path, metrics is null ? null : SloSectionReader.ObjectiveNames(metrics), globalNotify);
        if (nodes.ProblemCount > before || name is null || reference is null || (analysis is null && online is null) || columns is null || metrics is null
            || chunking is null || thresholds is null || calibration is null || normalization is null
            || schedule is null || slos is null || alerting is null || channels is null || inputs is null
            || estimator is null || features is null || learner is null)
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
        if (onlineNode is not null)
        {
            onlineReader.CheckEstimator(map, onlineNode, path, estimator.Value != ShiftEstimator.Cbpe, columns, columns.Id, features);
            if (nodes.ProblemCount > before)
            {
                return null;
            }
        }

        var definition = new ModelDefinition(name, reference, analysis ?? "", targets, columns.Id, columns, options)
        {
            Slos = slos,
            Alerting = alerting,
            Inputs = inputs,
            Estimator = estimator.Value,
            Features = features,
            DomainClassifier = learner.Value,
        };
        if (online is not null && storeDirectory is not null)
        {
            definition = WithOnline(definition, storeDirectory);
        }

        return new ModelConfig(definition, schedule)
        {
            ReconcileSchedule = definition.Targets is null ? null : reconcileSchedule ?? schedule,
            Notify = channels,
            Online = online,
        };
    }

    /// <summary>
    /// The model with its online folders in the store: the closed chunks are an analysis source (the only one without
    /// <c>analysis</c>), the posted labels a targets source (the only one without <c>targets</c>).
    /// </summary>
    private static ModelDefinition WithOnline(ModelDefinition definition, string store)
    {
        var inbox = Monitoring.Online.OnlineLog.InboxOf(store, definition.Name);
        var labels = Monitoring.Online.OnlineLog.LabelsOf(store, definition.Name);
        return definition with
        {
            Analysis = definition.Analysis.Length == 0 ? inbox : definition.Analysis,
            Targets = definition.Targets ?? labels,
            OnlineInbox = inbox,
            OnlineLabels = labels,
        };
    }

    /// <summary>What every model has after its estimator's sections: schedules, objectives, alerting and channels.</summary>
    private (CronSchedule? Schedule, CronSchedule? ReconcileSchedule, List<SloObjective>? Slos, AlertPolicy? Alerting, IReadOnlyList<NotifyChannel>? Channels) ReadCommon(
        YamlMappingNode map, string path, IReadOnlyList<string>? objectiveNames, List<ChannelSpec> globalNotify)
    {
        var schedule = nodes.Required(map, "schedule", path) is { } scheduleNode ? nodes.Schedule(scheduleNode, path + ".schedule") : null;
        var reconcileSchedule = ConfigNodes.Get(map, "reconcile_schedule") is { } reconcileNode ? ReconcileSchedule(reconcileNode, path + ".reconcile_schedule", targets: ConfigNodes.Get(map, "targets") ?? ConfigNodes.Get(map, "online")) : null;
        var slos = ConfigNodes.Get(map, "slos") is { } slosNode ? sloReader.ReadSlos(slosNode, path + ".slos", objectiveNames) : [];
        var alerting = ConfigNodes.Get(map, "alerting") is { } alertingNode ? sloReader.ReadAlerting(alertingNode, path + ".alerting") : new AlertPolicy();
        var ownNotify = ConfigNodes.Get(map, "notify") is { } notifyNode ? notify.ReadNotify(notifyNode, path + ".notify") : [];
        var channels = notify.MergeChannels(ownNotify, globalNotify, path);
        return (schedule, reconcileSchedule, slos, alerting, channels);
    }

    /// <summary>
    /// A regression model (<c>problem: regression</c>): its features and DLE options, with the parts every model has.
    /// Chunking goes to the definition's <c>Options.Chunking</c>, as for classifiers.
    /// </summary>
    private ModelConfig? ReadRegressionModel(
        YamlMappingNode map,
        string path,
        int before,
        (string? Name, string? Reference, string? Analysis, string? Targets, ColumnMapping? Columns, Chunking? Chunking, InputMonitoring? Inputs) read,
        List<ChannelSpec> globalNotify)
    {
        var (features, options) = regressionReader.Read(map, path);
        var (schedule, reconcileSchedule, slos, alerting, channels) = ReadCommon(map, path, options?.Metrics.Select(m => m.Name()).ToList(), globalNotify);
        if (nodes.ProblemCount > before || read.Name is null || read.Reference is null || read.Analysis is null || read.Columns is null || read.Chunking is null
            || features is null || options is null || schedule is null || slos is null || alerting is null || channels is null || read.Inputs is null)
        {
            return null;
        }

        var definition = new ModelDefinition(read.Name, read.Reference, read.Analysis, read.Targets, read.Columns.Id, read.Columns, new CbpeOptions { Chunking = read.Chunking })
        {
            Problem = ProblemKind.Regression,
            Features = features,
            Regression = options,
            Slos = slos,
            Alerting = alerting,
            Inputs = read.Inputs,
        };
        return new ModelConfig(definition, schedule)
        {
            ReconcileSchedule = read.Targets is null ? null : reconcileSchedule ?? schedule,
            Notify = channels,
        };
    }

    /// <summary>
    /// A multiclass model's metrics: multiclass CBPE's defaults when none are listed, and only the ones it estimates;
    /// business value, which has no multiclass form, is a problem where it is configured.
    /// </summary>
    private List<Metric>? MulticlassMetrics(YamlMappingNode map, string path)
    {
        foreach (var key in (string[])["business_value_matrix", "normalize_business_value"])
        {
            if (ConfigNodes.Get(map, key) is { } node)
            {
                nodes.Problem($"{path}.{key}", node.Start, "applies to binary models only; this model is multiclass (columns.y_pred_proba maps classes)");
            }
        }

        if (ConfigNodes.Get(map, "metrics") is not { } metricsNode)
        {
            return [.. new MulticlassCbpeOptions().Metrics];
        }

        var metrics = metricsReader.ReadMetrics(metricsNode, path + ".metrics");
        if (metrics is null || metricsNode is not YamlSequenceNode sequence)
        {
            return metrics;
        }

        // The list read without problems, so it holds one metric per item, in order.
        var ok = true;
        var index = 0;
        foreach (var (item, itemPath) in ConfigNodes.Items(sequence, path + ".metrics"))
        {
            var metric = metrics[index++];
            if (!MulticlassCbpeOptions.SupportedMetrics.Contains(metric))
            {
                nodes.Problem(itemPath, item.Start, $"multiclass CBPE does not estimate '{metric.ToName()}'; it estimates {string.Join(", ", MulticlassCbpeOptions.SupportedMetrics.Select(m => m.ToName()))}");
                ok = false;
            }
        }

        return ok ? metrics : null;
    }

    /// <summary>The names a model's alerts carry as their metric: its metrics (and confusion-matrix components).</summary>
    private static List<string> MetricNames(ModelDefinition model) =>
        model.IsRegression() ? [.. model.Regression.Metrics.Select(m => m.Name())] : SloSectionReader.ObjectiveNames([.. model.Options.Metrics]);

    /// <summary>A model name by Core's rule (<see cref="ModelNames"/>), unique in the file.</summary>
    private string? ModelName(YamlNode node, string path)
    {
        var name = nodes.NonEmptyString(node, path);
        if (name is null)
        {
            return null;
        }

        if (!ModelNames.IsValid(name, out var error))
        {
            nodes.Problem(path, node.Start, error!);
            return null;
        }

        if (seenNames.TryGetValue(name, out var first))
        {
            nodes.Problem(path, node.Start, FormattableString.Invariant($"duplicate model name '{name}' (first used on line {first.Line})"));
            return null;
        }

        seenNames[name] = node.Start;
        return name;
    }

    /// <summary><c>normalize_business_value</c>: <c>none</c> (false) or <c>per_prediction</c> (true).</summary>
    private bool PerPrediction(YamlNode node, string path)
    {
        switch (nodes.NonEmptyString(node, path)?.ToUpperInvariant())
        {
            case "PER_PREDICTION":
                return true;
            case null or "NONE":
                return false;
            default:
                nodes.Problem(path, node.Start, "expected none or per_prediction");
                return false;
        }
    }

    /// <summary><c>reconcile_schedule</c>, which only a model with targets may have.</summary>
    private CronSchedule? ReconcileSchedule(YamlNode node, string path, YamlNode? targets)
    {
        if (targets is not null)
        {
            return nodes.Schedule(node, path);
        }

        if (nodes.NonEmptyString(node, path) is not null)
        {
            nodes.Problem(path, node.Start, "the model has no targets to reconcile; add targets and id_column, or remove reconcile_schedule");
        }

        return null;
    }
}
