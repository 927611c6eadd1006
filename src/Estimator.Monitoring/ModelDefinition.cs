using Estimator.Estimation.Multiclass;
using Estimator.Estimation.Shift;
using Estimator.Slo;

namespace Estimator.Monitoring;

/// <summary>
/// One monitored model as the job host and <c>estimator run</c> see it: where its data is, how its columns are named,
/// and how it is estimated. Paths are absolute (configuration resolves relative paths against the config file).
/// </summary>
/// <param name="Name">A safe identifier (letters, digits, <c>_</c>, <c>-</c>, <c>.</c>; no path separators, not <c>.</c> or <c>..</c>); the model's folder in the store.</param>
/// <param name="Reference">The reference file (Parquet or CSV) with targets.</param>
/// <param name="Analysis">Where analysis files land: a directory (every <c>.parquet</c>/<c>.csv</c> in it) or a glob such as <c>/data/in/*.parquet</c>.</param>
/// <param name="Targets">Where label files land (directory or glob), or null; used by reconciliation.</param>
/// <param name="IdColumn">The row id column joining analysis rows to targets, or null.</param>
/// <param name="Columns">Column mapping (score, prediction, target, timestamp; the id is <paramref name="IdColumn"/>). A
/// mapping with <see cref="ColumnMapping.ClassScores"/> set makes the model multiclass: it is estimated with multiclass
/// CBPE (see <see cref="ToMulticlassOptions"/>) and its label columns hold class labels.</param>
/// <param name="Options">Metrics, chunking, calibration mode and thresholds. A regression model takes only its chunking
/// from here; its metrics and thresholds are in <see cref="Regression"/>.</param>
public sealed record ModelDefinition(
    string Name,
    string Reference,
    string Analysis,
    string? Targets,
    string? IdColumn,
    ColumnMapping Columns,
    CbpeOptions Options)
{
    /// <summary>What the model predicts: a classifier (estimated with CBPE) or a regression model (estimated with DLE).</summary>
    /// <value>Default: <see cref="ProblemKind.Classification"/>.</value>
    public ProblemKind Problem { get; init; } = ProblemKind.Classification;

    /// <summary>
    /// The model's input columns: a regression model's, which direct loss estimation learns its error models from, or a
    /// binary classifier's, which the domain classifier of a shift-aware <see cref="Estimator"/> tells chunks apart on.
    /// </summary>
    /// <value>Default: none (plain CBPE does not need them).</value>
    public IReadOnlyList<string> Features { get; init; } = [];

    /// <summary>A binary classifier's estimator: plain CBPE, or the shift-aware ones (<see cref="ShiftAwareCbpeCalculator"/>).</summary>
    /// <value>Default: <see cref="ShiftEstimator.Cbpe"/> (NannyML's CBPE, bit for bit).</value>
    public ShiftEstimator Estimator { get; init; } = ShiftEstimator.Cbpe;

    /// <summary>The domain classifier behind a shift-aware estimator's importance weights.</summary>
    /// <value>Default: <see cref="DomainLearner.LogisticRegression"/>.</value>
    public DomainLearner DomainClassifier { get; init; } = DomainLearner.LogisticRegression;

    /// <summary>A regression model's estimator options: metrics, thresholds, seed and tuning (chunking and features are taken from <see cref="Options"/> and <see cref="Features"/>).</summary>
    /// <value>Default: DLE's defaults (all six metrics, seed 42, no tuning).</value>
    public DleOptions Regression { get; init; } = new();

    /// <summary>Drift and data quality of the model's inputs, measured per chunk beside its performance (the <c>drift</c> and <c>quality</c> sections).</summary>
    /// <value>Default: nothing measured.</value>
    public InputMonitoring Inputs { get; init; } = new();

    /// <summary>
    /// The input columns the store keeps with each chunk's rows for drift and data quality, besides a regression model's
    /// <see cref="Features"/> (which its rows hold already); null when there are none.
    /// </summary>
    /// <remarks>A shift-aware classifier's <see cref="Features"/> are kept here too (after the drift columns): its estimator reads them per chunk.</remarks>
    public IReadOnlyList<string>? StoredInputs()
    {
        var columns = Inputs.Columns.Where(c => !(IsRegression() && Features.Contains(c, StringComparer.Ordinal))).ToList();
        if (IsShiftAware())
        {
            columns.AddRange(Features.Where(f => !columns.Contains(f, StringComparer.Ordinal)));
        }

        return columns.Count == 0 ? null : columns;
    }

    /// <summary>Service-level objectives (floors or ceilings on metrics) whose decay raises alerts.</summary>
    /// <value>Default: none (the reference-based thresholds still raise P3/P2 alerts).</value>
    public IReadOnlyList<SloObjective> Slos { get; init; } = [];

    /// <summary>How flags become alerts (for, keep_firing_for, consecutive crossings, error budget).</summary>
    /// <value>Default: <see cref="AlertPolicy"/>'s defaults.</value>
    public AlertPolicy Alerting { get; init; } = new();

    /// <summary>
    /// The folder where the online path (<c>online:</c>) closes each chunk of posted rows as an analysis file, read as a
    /// second analysis source beside <see cref="Analysis"/> (or as the only one, when <see cref="Analysis"/> is the same
    /// folder). Its files are written atomically, so they are taken without the settle time.
    /// </summary>
    /// <value>Default: none (no online path).</value>
    public string? OnlineInbox { get; init; }

    /// <summary>The folder where the online path writes posted labels, read as a second targets source beside <see cref="Targets"/>.</summary>
    /// <value>Default: none.</value>
    public string? OnlineLabels { get; init; }

    /// <summary>The model's analysis files: <see cref="Analysis"/>'s and <see cref="OnlineInbox"/>'s, in ordinal order.</summary>
    public IReadOnlyList<string> AnalysisFiles() => Merge(Analysis, OnlineInbox);

    /// <summary>The model's label files: <see cref="Targets"/>'s and <see cref="OnlineLabels"/>'s, in ordinal order.</summary>
    public IReadOnlyList<string> TargetFiles() => Targets is null ? [] : Merge(Targets, OnlineLabels);

    /// <summary>Whether <paramref name="file"/> was written by the online path (atomically: no settle time needed).</summary>
    public bool IsOnlineFile(string file) =>
        (OnlineInbox is not null && file.StartsWith(OnlineInbox + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        || (OnlineLabels is not null && file.StartsWith(OnlineLabels + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    private static IReadOnlyList<string> Merge(string source, string? online)
    {
        var files = FileSource.List(source);
        if (online is null || string.Equals(Path.GetFullPath(online), Path.GetFullPath(source), StringComparison.Ordinal))
        {
            return files;
        }

        var merged = new List<string>(files);
        merged.AddRange(FileSource.List(online));
        merged.Sort(StringComparer.Ordinal);
        return merged;
    }

    /// <summary>Whether the model is multiclass (<see cref="ColumnMapping.ClassScores"/> is set).</summary>
    public bool IsMulticlass() => Problem == ProblemKind.Classification && Columns.ClassScores is not null;

    /// <summary>Whether the model is a binary classifier estimated by a shift-aware estimator (<see cref="Estimator"/> other than plain CBPE).</summary>
    public bool IsShiftAware() => Problem == ProblemKind.Classification && !IsMulticlass() && Estimator != ShiftEstimator.Cbpe;

    /// <summary>A shift-aware model's options: <see cref="Options"/> as CBPE's, with its estimator, features and domain classifier.</summary>
    public ShiftAwareCbpeOptions ToShiftOptions() => new() { Cbpe = Options, Estimator = Estimator, Features = Features, Learner = DomainClassifier };

    /// <summary>Whether the model is a regression model, estimated with direct loss estimation.</summary>
    public bool IsRegression() => Problem == ProblemKind.Regression;

    /// <summary>A regression model's DLE options: <see cref="Regression"/> with the model's chunking and features.</summary>
    public DleOptions ToDleOptions() => Regression with { Chunking = Options.Chunking, Features = Features };

    /// <summary>
    /// A multiclass model's estimator options, taken from <see cref="Options"/>: metrics, chunking, calibration,
    /// thresholds and confusion-matrix normalisation (business value has no multiclass form). The store writes the
    /// macro-averaged rows only, as NannyML does, so alerts and SLOs see one row per chunk × metric as for binary models.
    /// </summary>
    public MulticlassCbpeOptions ToMulticlassOptions() => Options.CopySharedTo(new MulticlassCbpeOptions { Metrics = Options.Metrics });
}
