namespace Estimator.Estimation;

/// <summary>Confidence-based performance estimation: fit on a labelled reference, then estimate unlabelled analysis data.</summary>
/// <example>
/// <code>
/// var fitted = Cbpe.Fit(reference, new CbpeOptions { Chunking = Chunking.BySize(5000) });
/// var result = fitted.Estimate(analysis, "car_loan");
/// </code>
/// </example>
public static class Cbpe
{
    /// <summary>
    /// Fits an estimator on <paramref name="reference"/> (which must carry targets, and predictions when the metrics
    /// need them): the calibration decision and calibrator, sampling-error models, and thresholds from the realized
    /// values on the reference chunks. The reference-period rows of every later result are computed here.
    /// </summary>
    /// <exception cref="EstimatorDataException">The reference is empty, has a single class, lacks a needed column, or holds values out of range.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent (no metric, a duplicate metric, business value without a matrix).</exception>
    public static FittedCbpe Fit(PredictionSet reference, CbpeOptions? options = null) => Fit(reference, options, ComputeOptions.Default);

    /// <summary>Fits an estimator as <see cref="Fit(PredictionSet, CbpeOptions?)"/>, using at most the threads <paramref name="compute"/> allows.</summary>
    /// <param name="reference">The labelled reference data.</param>
    /// <param name="options">The estimator's options; null for the defaults.</param>
    /// <param name="compute">Threads to use; the result does not depend on it.</param>
    /// <exception cref="EstimatorDataException">The reference is empty, has a single class, lacks a needed column, or holds values out of range.</exception>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public static FittedCbpe Fit(PredictionSet reference, CbpeOptions? options, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentNullException.ThrowIfNull(reference);
        options ??= new CbpeOptions();
        ValidateOptions(options);
        var needsPredictions = options.Metrics.Any(m => m.RequiresPredictions());
        InputValidation.Validate(reference, "reference", requireTargets: true, requirePredictions: needsPredictions);
        var targets = reference.Targets!;
        InputValidation.RequireBothClasses(targets);

        // Rows usable for score-based fits: target and score present, in the order given (the calibration check's
        // stratified splits depend on row order, as in NannyML).
        var (labelledTargets, labelledScores) = LabelledScores(targets, reference.Scores);

        // With a second thread, the score-based sampling-error models (numpy-argsort replays of the reference) need
        // nothing from calibration: fit them while the calibration check draws its splits.
        var threads = compute.Threads;
        var rocAucModel = threads > 1 && options.Metrics.Contains(Metric.RocAuc) ? Task.Run(() => SamplingError.ForRocAuc(labelledTargets, labelledScores)) : null;
        var averagePrecisionModel = threads > 1 && options.Metrics.Contains(Metric.AveragePrecision) ? Task.Run(() => SamplingError.ForAveragePrecision(labelledTargets, labelledScores)) : null;
        var (calibrator, report) = FitCalibration(labelledTargets, labelledScores, options.Calibration, threads);

        var data = PeriodData.Prepare(reference, calibrator);
        var chunks = Chunker.Split(data.Count, data.Timestamps, options.Chunking);
        var specs = ChunkComputation.Components(options.Metrics).ToList();
        var (values, missingRates) = ChunkComputation.Compute(data, chunks, specs, options, withRealized: true, compute.Threads);

        var counts = reference.Predictions is null ? default : LabelCounts.Compute(targets, reference.Predictions);
        var components = new MetricComponent[specs.Count];
        var realizedPerChunk = new double[chunks.Count];
        for (var k = 0; k < specs.Count; k++)
        {
            var (metric, component, name) = specs[k];
            var model = metric switch
            {
                Metric.RocAuc => rocAucModel?.GetAwaiter().GetResult() ?? SamplingError.ForRocAuc(labelledTargets, labelledScores),
                Metric.AveragePrecision => averagePrecisionModel?.GetAwaiter().GetResult() ?? SamplingError.ForAveragePrecision(labelledTargets, labelledScores),
                Metric.ConfusionMatrix => SamplingError.ForConfusionMatrix(counts, component, options.ConfusionMatrixNormalization),
                Metric.BusinessValue => SamplingError.ForBusinessValue(counts, options.BusinessValueMatrix!, options.NormalizeBusinessValuePerPrediction),
                _ => SamplingError.ForCounts(metric, counts),
            };
            var (lowerLimit, upperLimit) = Limits(metric, options);
            for (var c = 0; c < chunks.Count; c++)
            {
                realizedPerChunk[c] = values[c][k].Realized;
            }

            var (lower, upper) = options.ThresholdFor(metric).Compute(realizedPerChunk, lowerLimit, upperLimit);
            components[k] = new MetricComponent(metric, component, name, model, lowerLimit, upperLimit, lower, upper);
        }

        var referenceRows = FittedCbpe.BuildRows(chunks, values, missingRates, components, Period.Reference, hasTargets: true);
        return new FittedCbpe { Options = options, Calibration = report, Calibrator = calibrator, Components = components, ReferenceRows = referenceRows };
    }

    /// <summary>The value limits NannyML clips bounds and thresholds to.</summary>
    internal static (double? Lower, double? Upper) Limits(Metric metric, CbpeOptions options) => metric switch
    {
        Metric.BusinessValue => (null, null),
        Metric.ConfusionMatrix => (0, options.ConfusionMatrixNormalization == ConfusionMatrixNormalization.None ? null : 1),
        _ => (0, 1),
    };

    private static void ValidateOptions(CbpeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options.Metrics);
        ArgumentNullException.ThrowIfNull(options.Chunking);
        if (options.Metrics.Count == 0)
        {
            throw new ArgumentException("At least one metric is needed.", nameof(options));
        }

        if (options.Metrics.Distinct().Count() != options.Metrics.Count)
        {
            throw new ArgumentException("A metric is listed twice.", nameof(options));
        }

        if (options.Metrics.Contains(Metric.BusinessValue) && options.BusinessValueMatrix is null)
        {
            throw new ArgumentException("The business_value metric needs a business value matrix.", nameof(options));
        }
    }

    private static (double[] Targets, double[] Scores) LabelledScores(double[] targets, double[] scores)
    {
        var count = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            count += double.IsNaN(targets[i]) || double.IsNaN(scores[i]) ? 0 : 1;
        }

        var y = new double[count];
        var s = new double[count];
        var j = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            if (!(double.IsNaN(targets[i]) || double.IsNaN(scores[i])))
            {
                y[j] = targets[i];
                s[j] = scores[i];
                j++;
            }
        }

        return (y, s);
    }

    private static (IsotonicCalibrator? Calibrator, CalibrationReport Report) FitCalibration(double[] targets, double[] scores, CalibrationMode mode, int threads)
    {
        // Deviation: NannyML fails on a reference with missing targets or scores here; rows lacking either are left
        // out of the calibration check and the calibrator instead.
        switch (mode)
        {
            case CalibrationMode.Never:
                return (null, new CalibrationReport(mode, false, double.NaN, double.NaN, "calibration disabled (never)"));
            case CalibrationMode.Always:
                return (IsotonicCalibrator.Fit(scores, targets), new CalibrationReport(mode, true, double.NaN, double.NaN, "calibration forced (always)"));
            default:
                var (check, runs) = CalibrationCheck.Run(targets, scores, threads);

                // The check grouped the reference by score already: the calibrator is fitted from those runs, bit for
                // bit what fitting on the rows gives, without sorting them again.
                var calibrator = !check.NeedsCalibration ? null : runs is null ? IsotonicCalibrator.Fit(scores, targets) : IsotonicCalibrator.FitRuns(runs.Values, runs.Counts, runs.Positives);
                return (calibrator, new CalibrationReport(mode, check.NeedsCalibration, check.EceRaw, check.EceCalibrated, check.Reason));
        }
    }
}
