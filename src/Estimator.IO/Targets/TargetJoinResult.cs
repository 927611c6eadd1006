namespace Estimator.IO;

/// <summary>The outcome of joining late-arriving targets onto analysis rows.</summary>
/// <param name="Targets">One target per analysis row, in analysis order: 0 or 1 (binary), the class index (multiclass), or NaN when no target arrived (or it was null).</param>
/// <param name="RowsWithoutTarget">Analysis rows whose target is NaN after the join.</param>
/// <param name="UnmatchedTargetIds">Rows of the targets file whose id does not occur in the analysis data (ignored).</param>
public sealed record TargetJoinResult(double[] Targets, long RowsWithoutTarget, long UnmatchedTargetIds);
