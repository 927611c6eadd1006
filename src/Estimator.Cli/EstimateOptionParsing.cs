using Estimator.Calibration;
using Estimator.Estimation.Multiclass;
using Estimator.Thresholds;

namespace Estimator.Cli;

/// <summary>
/// Parsing of <c>estimator estimate</c>'s text options into the estimators' options (metrics, chunking, thresholds,
/// business value, class score columns); each bad value is an <see cref="OptionException"/> naming the option.
/// </summary>
internal static class EstimateOptionParsing
{
    internal static CbpeOptions BuildOptions(
        string metrics,
        Chunking chunking,
        string calibration,
        string normalization,
        string? businessValue,
        bool perPrediction,
        string[] thresholds)
    {
        var metricList = new List<Metric>();
        foreach (var name in metrics.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!MetricNames.TryParse(name, out var metric))
            {
                if (DleMetrics.TryParse(name, out _))
                {
                    throw new OptionException($"--metrics: '{name}' is a regression metric; estimate a regression model with --problem regression and --features");
                }

                throw new OptionException($"--metrics: unknown metric '{name}'; known metrics: {string.Join(", ", MetricNames.All)}");
            }

            if (metricList.Contains(metric))
            {
                throw new OptionException($"--metrics: '{name}' is listed twice");
            }

            metricList.Add(metric);
        }

        if (metricList.Count == 0)
        {
            throw new OptionException("--metrics: no metric given");
        }

        BusinessValueMatrix? matrix = null;
        if (businessValue is not null)
        {
            var parts = businessValue.Split(',', StringSplitOptions.TrimEntries);
            var values = new double[parts.Length];
            if (parts.Length != 4 || parts.Where((p, i) => !double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])).Any())
            {
                throw new OptionException($"--business-value-matrix: expected four numbers TN,FP,FN,TP, got '{businessValue}'");
            }

            matrix = new BusinessValueMatrix(values[0], values[1], values[2], values[3]);
        }
        else if (metricList.Contains(Metric.BusinessValue))
        {
            throw new OptionException("the business_value metric needs --business-value-matrix TN,FP,FN,TP");
        }

        var thresholdMap = new Dictionary<Metric, Threshold>();
        foreach (var spec in thresholds)
        {
            var (metric, threshold) = ParseThreshold(spec);
            thresholdMap[metric] = threshold;
        }

        return new CbpeOptions
        {
            Metrics = metricList,
            Chunking = chunking,
            Calibration = Enum.Parse<CalibrationMode>(calibration, ignoreCase: true),
            ConfusionMatrixNormalization = Enum.Parse<ConfusionMatrixNormalization>(normalization, ignoreCase: true),
            BusinessValueMatrix = matrix,
            NormalizeBusinessValuePerPrediction = perPrediction,
            Thresholds = thresholdMap,
        };
    }

    /// <summary>
    /// A multiclass model's class → score column pairs when <paramref name="text"/> is in the pair form
    /// (<c>CLASS=COLUMN,...</c>); null when it names one binary score column, as before multiclass support.
    /// </summary>
    internal static ClassScoreColumns? ParseClassScores(string text)
    {
        if (!ClassScoreColumns.IsPairSyntax(text))
        {
            return null;
        }

        return ClassScoreColumns.TryParse(text, out var columns, out var error) ? columns : throw new OptionException($"--y-pred-proba: {error}");
    }

    /// <summary>Parses <c>METRIC=std:LOWER,UPPER</c> or <c>METRIC=constant:LOWER,UPPER</c>; an empty side is disabled.</summary>
    internal static (Metric Metric, Threshold Threshold) ParseThreshold(string spec) =>
        ThresholdSyntax.TryParse(spec, out var metric, out var threshold, out var error)
            ? (metric, threshold)
            : throw new OptionException($"--threshold: {error}");

    /// <summary>The chunking from the four options, each parsed by Core's <see cref="ChunkingSyntax"/>.</summary>
    internal static Chunking ParseChunking(string? chunkSize, string? chunkNumber, string? chunkPeriod, string? incomplete)
    {
        int? size = chunkSize is null ? null
            : ChunkingSyntax.TryParseCount(chunkSize, out var s, out var sizeError) ? s : throw new OptionException($"--chunk-size: {sizeError}");
        int? number = chunkNumber is null ? null
            : ChunkingSyntax.TryParseCount(chunkNumber, out var n, out var numberError) ? n : throw new OptionException($"--chunk-number: {numberError}");
        ChunkPeriod? period = chunkPeriod is null ? null
            : ChunkingSyntax.TryParsePeriod(chunkPeriod, out var p, out var periodError) ? p : throw new OptionException($"--chunk-period: {periodError}");
        IncompleteChunk? rule = incomplete is null ? null
            : ChunkingSyntax.TryParseIncomplete(incomplete, out var r, out var ruleError) ? r : throw new OptionException($"--incomplete: {ruleError}");
        if (period is not null && rule is not null)
        {
            throw new OptionException("--incomplete applies to --chunk-size and --chunk-number, not to --chunk-period");
        }

        return ChunkingSyntax.TryCreate(size, number, period, rule, out var chunking, out var error)
            ? chunking
            : throw new OptionException($"chunking: {error}");
    }

    /// <summary>The regression metrics in <c>--metrics</c>; null (the option not given) means NannyML's default, all six.</summary>
    internal static IReadOnlyList<DleMetric> RegressionMetrics(string? text)
    {
        if (text is null)
        {
            return DleMetrics.Default;
        }

        var metrics = new List<DleMetric>();
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DleMetrics.TryParse(name, out var metric))
            {
                throw new OptionException(MetricNames.TryParse(name, out _)
                    ? $"--metrics: '{name}' is a classification metric; --problem regression estimates {RegressionMetricList}"
                    : $"--metrics: unknown regression metric '{name}'; regression metrics: {RegressionMetricList}");
            }

            if (metrics.Contains(metric))
            {
                throw new OptionException($"--metrics: '{name}' is listed twice");
            }

            metrics.Add(metric);
        }

        return metrics.Count > 0 ? metrics : throw new OptionException("--metrics: no metric given");
    }

    /// <summary>Parses a regression <c>--threshold</c>: <c>METRIC=std:LOWER,UPPER</c> or <c>METRIC=constant:LOWER,UPPER</c> with METRIC mae, rmse, ...</summary>
    internal static (DleMetric Metric, Threshold Threshold) ParseRegressionThreshold(string spec)
    {
        if (!ThresholdSyntax.TryParseNamed(spec, out var name, out var threshold, out var error))
        {
            throw new OptionException($"--threshold: {error}");
        }

        return DleMetrics.TryParse(name, out var metric)
            ? (metric, threshold)
            : throw new OptionException($"--threshold: unknown regression metric '{name}'; regression metrics: {RegressionMetricList}");
    }

    private static string RegressionMetricList => string.Join(", ", DleMetrics.All.Select(m => m.Name()));
}
