using Estimator.Estimation;
using Estimator.Estimation.Multiclass;
using Estimator.IO;
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
/// <param name="Options">Metrics, chunking, calibration mode and thresholds.</param>
public sealed record ModelDefinition(
    string Name,
    string Reference,
    string Analysis,
    string? Targets,
    string? IdColumn,
    ColumnMapping Columns,
    CbpeOptions Options)
{
    /// <summary>Service-level objectives (floors on metrics) whose decay raises alerts.</summary>
    /// <value>Default: none (the reference-based thresholds still raise P3/P2 alerts).</value>
    public IReadOnlyList<SloObjective> Slos { get; init; } = [];

    /// <summary>How flags become alerts (for, keep_firing_for, consecutive crossings, error budget).</summary>
    /// <value>Default: <see cref="AlertPolicy"/>'s defaults.</value>
    public AlertPolicy Alerting { get; init; } = new();

    /// <summary>Whether the model is multiclass (<see cref="ColumnMapping.ClassScores"/> is set).</summary>
    public bool IsMulticlass() => Columns.ClassScores is not null;

    /// <summary>
    /// A multiclass model's estimator options, taken from <see cref="Options"/>: metrics, chunking, calibration,
    /// thresholds and confusion-matrix normalisation (business value has no multiclass form). The store writes the
    /// macro-averaged rows only, as NannyML does, so alerts and SLOs see one row per chunk × metric as for binary models.
    /// </summary>
    public MulticlassCbpeOptions ToMulticlassOptions() => Options.CopySharedTo(new MulticlassCbpeOptions { Metrics = Options.Metrics });
}
