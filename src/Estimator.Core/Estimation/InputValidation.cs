namespace Estimator.Estimation;

/// <summary>Checks a prediction set before fitting or estimating; errors name the column and the 0-based row.</summary>
internal static class InputValidation
{
    /// <summary>Checks the set and returns how many scores and how many predictions are missing (found in the same pass).</summary>
    public static (long MissingScores, long MissingPredictions) Validate(PredictionSet set, string period, bool requireTargets, bool requirePredictions, long rowOffset = 0)
    {
        RequireInput(set.Count, set.Targets is not null, set.Predictions is not null, period, requireTargets, requirePredictions);
        var scores = set.Scores;
        var i = SpanScan.CountMissingAndCheck(scores, scores: true, out var missingScores);
        if (i >= 0)
        {
            throw new EstimatorDataException($"score {Format(scores[i])} in the {period} data is outside [0, 1]", column: "y_pred_proba", row: rowOffset + i);
        }

        var missingPredictions = CheckLabels(set.Predictions, "y_pred", period, rowOffset);
        CheckLabels(set.Targets, "y_true", period, rowOffset);
        return (missingScores, missingPredictions);
    }

    /// <summary>Checks that a period has rows, and targets and predicted labels where they are required (binary and multiclass).</summary>
    /// <param name="count">The period's rows.</param>
    /// <param name="hasTargets">Whether it carries targets.</param>
    /// <param name="hasPredictions">Whether it carries predicted labels.</param>
    /// <param name="period">"reference" or "analysis", for messages.</param>
    /// <param name="requireTargets">Whether targets must be given.</param>
    /// <param name="requirePredictions">Whether predicted labels must be given.</param>
    /// <exception cref="EstimatorDataException">No rows, or a required column missing.</exception>
    public static void RequireInput(int count, bool hasTargets, bool hasPredictions, string period, bool requireTargets, bool requirePredictions)
    {
        if (count == 0)
        {
            throw new EstimatorDataException($"the {period} data has no rows");
        }

        if (requireTargets && !hasTargets)
        {
            throw new EstimatorDataException($"the {period} data needs targets (y_true), and none are given");
        }

        if (requirePredictions && !hasPredictions)
        {
            throw new EstimatorDataException($"the requested metrics need predicted labels (y_pred), and the {period} data has none");
        }
    }

    /// <summary>The reference must hold both classes among its known targets.</summary>
    public static void RequireBothClasses(double[] targets)
    {
        bool zero = false, one = false;
        foreach (var y in targets)
        {
            zero |= y == 0;
            one |= y == 1;
        }

        if (!(zero && one))
        {
            var which = zero ? "0" : one ? "1" : "missing";
            throw new EstimatorDataException($"the reference targets are all {which}: CBPE needs both classes in the reference to fit", column: "y_true");
        }
    }

    /// <summary>Checks that every label is 0, 1 or missing; returns how many are missing.</summary>
    private static long CheckLabels(double[]? labels, string column, string period, long rowOffset)
    {
        if (labels is null)
        {
            return 0;
        }

        var i = SpanScan.CountMissingAndCheck(labels, scores: false, out var missing);
        if (i >= 0)
        {
            throw new EstimatorDataException($"label {Format(labels[i])} in the {period} data is not 0 or 1", column: column, row: rowOffset + i);
        }

        return missing;
    }

    private static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
