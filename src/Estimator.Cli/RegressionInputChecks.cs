namespace Estimator.Cli;

/// <summary>
/// The command line's checks of a regression model's rows before DLE sees them. DLE checks the same things, but names
/// its columns by role (<c>y_pred</c>) and counts rows after sorting; here the message names the file, the column as
/// the user mapped it and the file's own row.
/// </summary>
internal static class RegressionInputChecks
{
    /// <summary>The reference has rows, at least one with both values, and no negative value a logarithmic metric would take.</summary>
    public static void CheckReference(RegressionPredictionData reference, ColumnMapping columns, DleOptions options)
    {
        var data = reference.Data;
        if (data.Count == 0)
        {
            throw new EstimatorDataException("has no rows; DLE is fitted on a reference with labelled rows", reference.Source);
        }

        var targets = data.Targets!;
        var predictions = data.Predictions!;
        var labelled = false;
        for (var i = 0; i < data.Count && !labelled; i++)
        {
            labelled = !double.IsNaN(targets[i]) && !double.IsNaN(predictions[i]);
        }

        if (!labelled)
        {
            throw new EstimatorDataException(
                $"no row has both an actual value ('{columns.YTrue}') and a prediction ('{columns.YPred}'); DLE is fitted on labelled rows",
                reference.Source);
        }

        CheckNonNegative(predictions, reference.Source, columns.YPred!, options);
        CheckNonNegative(targets, reference.Source, columns.YTrue!, options);
    }

    /// <summary>The first of the prediction and target columns holding a negative value, or null.</summary>
    public static string? NegativeColumn(RegressionPredictionData data, ColumnMapping columns)
    {
        foreach (var (values, name) in new[] { (data.Data.Predictions, columns.YPred), (data.Data.Targets, columns.YTrue) })
        {
            foreach (var v in values ?? [])
            {
                if (v < 0)
                {
                    return name;
                }
            }
        }

        return null;
    }

    /// <summary>The analysis has rows and no negative value a logarithmic metric would take.</summary>
    public static void CheckAnalysis(RegressionPredictionData analysis, ColumnMapping columns, DleOptions options)
    {
        var data = analysis.Data;
        if (data.Count == 0)
        {
            throw new EstimatorDataException("has no rows", analysis.Source);
        }

        CheckValues(analysis, columns, options);
    }

    /// <summary>No negative value a logarithmic metric would take among the rows' predictions and actual values.</summary>
    public static void CheckValues(RegressionPredictionData analysis, ColumnMapping columns, DleOptions options)
    {
        var data = analysis.Data;
        CheckNonNegative(data.Predictions!, analysis.Source, columns.YPred!, options);
        if (data.Targets is { } targets)
        {
            CheckNonNegative(targets, analysis.Source, columns.YTrue!, options);
        }
    }

    /// <summary>Actual values joined from a targets file: none negative when a logarithmic metric is asked for.</summary>
    public static void CheckJoinedTargets(double[] targets, string targetsFile, string column, DleOptions options)
    {
        if (LogarithmicMetrics(options) is not { } metrics)
        {
            return;
        }

        if (DleMetrics.FirstNegative(targets) is var i and >= 0)
        {
            throw new EstimatorDataException(
                FormattableString.Invariant($"the actual value {targets[i]} joined to analysis row {i} is negative; {metrics}"),
                targetsFile,
                column);
        }
    }

    private static void CheckNonNegative(double[] values, string file, string column, DleOptions options)
    {
        if (LogarithmicMetrics(options) is not { } metrics)
        {
            return;
        }

        if (DleMetrics.FirstNegative(values) is var i and >= 0)
        {
            throw new EstimatorDataException(FormattableString.Invariant($"the value {values[i]} is negative; {metrics}"), file, column, i);
        }
    }

    /// <summary>Which of msle and rmsle were asked for and why they need non-negative values; null when neither was.</summary>
    private static string? LogarithmicMetrics(DleOptions options)
    {
        var names = options.Metrics.Where(m => m.IsLogarithmic()).Select(m => m.Name()).Distinct().ToList();
        return names.Count switch
        {
            0 => null,
            1 => $"{names[0]} takes logarithms and needs non-negative values (leave it out of --metrics to estimate the others)",
            _ => $"{string.Join(" and ", names)} take logarithms and need non-negative values (leave them out of --metrics to estimate the others)",
        };
    }
}
