namespace Estimator.Learning;

/// <summary>The input checks of DLE: each problem is one line naming the period, column and row.</summary>
internal static class DleValidation
{
    public static void Validate(ModelData data, string period, DleOptions options, bool requireTargets)
    {
        if (data.Count == 0)
        {
            throw new EstimatorDataException($"{period}: no rows; DLE needs at least one row");
        }

        if (data.Predictions is null)
        {
            throw new EstimatorDataException($"{period}: no prediction column; DLE needs the regression model's predictions", column: "y_pred");
        }

        if (requireTargets && data.Targets is null)
        {
            throw new EstimatorDataException($"{period}: no target column; DLE is fitted on a reference with targets", column: "y_true");
        }

        foreach (var name in options.Features)
        {
            _ = data.Feature(name);
        }

        if (options.Metrics.Any(m => m.IsLogarithmic()))
        {
            var metric = options.Metrics.First(m => m.IsLogarithmic()).Name();
            CheckNonNegative(data.Predictions, period, "y_pred", metric);
            if (data.Targets is { } targets)
            {
                CheckNonNegative(targets, period, "y_true", metric);
            }
        }
    }

    private static void CheckNonNegative(double[] values, string period, string column, string metric)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] < 0)
            {
                throw new EstimatorDataException(
                    FormattableString.Invariant($"{period}: {column} holds the negative value {values[i]}; {metric} takes logarithms and needs values ≥ 0"),
                    column: column,
                    row: i);
            }
        }
    }
}
