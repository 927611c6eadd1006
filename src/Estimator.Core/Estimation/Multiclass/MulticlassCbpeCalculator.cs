namespace Estimator.Estimation.Multiclass;

/// <summary>
/// Multiclass confidence-based performance estimation (M-CBPE) as NannyML 0.13.1's
/// <c>CBPE(problem_type='classification_multiclass')</c>: per class a one-vs-rest isotonic calibrator where NannyML's
/// needs-calibration check asks for one, rows renormalised to sum 1, and macro-averaged one-vs-rest estimates of
/// roc_auc, f1, precision, recall, specificity, plus accuracy and the K × K confusion matrix.
/// </summary>
/// <remarks>
/// <para>
/// Data: <see cref="ModelData.Classes"/> names the classes of <see cref="ModelData.ClassScores"/> (any order: columns
/// are matched to classes by name); predictions and targets are indices into <see cref="ModelData.Classes"/>
/// (<see cref="ClassLabels.Encode"/> makes them from labels). The classes are processed in ordinal sorted order,
/// as NannyML sorts them; that order is the fitted model's <see cref="FittedMulticlassCbpe.Classes"/>.
/// </para>
/// <para>
/// Deviations from NannyML, each where NannyML would fail or give meaningless numbers: reference rows lacking a target
/// or a class's score are left out of that class's calibration check and calibrator (NannyML raises); with exactly two
/// classes the one-vs-rest metrics are computed per class (NannyML's <c>label_binarize</c> then yields a single column:
/// its calibrator fit fails with an index error, and its metrics would pair that column with the wrong class); raw
/// scores that do not sum to 1 are counted (<see cref="MulticlassCbpeResult.RowsScoreSumOff"/>) and realized ROC AUC
/// is still computed (scikit-learn raises, and NannyML turns the chunk's roc_auc into NaN); a class that never occurs
/// among the reference targets is an error for every metric set (NannyML raises only when roc_auc is requested); rows
/// with equal timestamps keep their order (see <see cref="MulticlassColumns.SortedByTimestamp"/>).
/// </para>
/// <para>
/// Per-class rows (<see cref="MulticlassCbpeOptions.PerClassRows"/>) are Estimator's own: a class's one-vs-rest
/// value, with sampling error √(v_k / (n·f_k)) from that class's component alone and thresholds from its realized
/// values on the reference chunks.
/// </para>
/// </remarks>
/// <param name="options">The estimator's options; null for the defaults.</param>
public sealed class MulticlassCbpeCalculator(MulticlassCbpeOptions? options = null)
    : Calculator<MulticlassCbpeOptions>(CalculatorKind.MulticlassCbpe, options ?? new MulticlassCbpeOptions()), ICalculator
{
    private static readonly Metric[] PerClassMetrics = [Metric.RocAuc, Metric.F1, Metric.Precision, Metric.Recall, Metric.Specificity];

    /// <inheritdoc />
    IFittedCalculator ICalculator.Fit(ModelData reference, ComputeOptions compute) => Fit(reference, compute);

    /// <summary>
    /// Fits on a labelled reference: per-class calibration, sampling-error models, thresholds from the realized values
    /// on the reference chunks, and the reference-period rows of every later result.
    /// </summary>
    /// <param name="reference">The reference rows: per-class scores, targets, and predictions unless only roc_auc is requested.</param>
    /// <param name="compute">Threads to use; null for every core. The result does not depend on it.</param>
    /// <exception cref="EstimatorDataException">
    /// Fewer than two classes, a class missing from the reference targets, a label not among the classes, a missing
    /// column, or a score outside [0, 1].
    /// </exception>
    /// <exception cref="ArgumentException">Inconsistent options, or class names and score columns that differ in number.</exception>
    public FittedMulticlassCbpe Fit(ModelData reference, ComputeOptions? compute = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        compute ??= ComputeOptions.Default;
        Options.Validate();
        if (reference.Classes is not { } given)
        {
            throw new EstimatorDataException("the reference data has no per-class score columns (y_pred_proba per class): multiclass CBPE needs them");
        }

        var classes = given.Order(StringComparer.Ordinal).ToArray();
        if (classes.Length < 2)
        {
            throw new EstimatorDataException(string.Create(CultureInfo.InvariantCulture, $"multiclass CBPE needs at least two classes; the model maps {classes.Length}"));
        }

        var needsPredictions = Options.Metrics.Any(m => m.RequiresPredictions());
        var columns = MulticlassColumns.Map(reference, classes, "reference", requireTargets: true, requirePredictions: needsPredictions);
        RequireEveryClass(columns.Targets!, classes);

        var k = classes.Length;
        var reports = new CalibrationReport[k];
        var calibrators = new IsotonicCalibrator?[k];
        var rocAuc = new (double Variance, double Fraction)[k];
        var wantsRocAuc = Options.Metrics.Contains(Metric.RocAuc);
        var (aucTargets, aucScores) = wantsRocAuc ? ScoredRows(columns) : ([], []);

        // The classes' calibration checks and ROC AUC components are independent: spread them over the threads.
        Parallel.For(
            0,
            wantsRocAuc ? 2 * k : k,
            new ParallelOptions { MaxDegreeOfParallelism = compute.Threads },
            task =>
            {
                if (task < k)
                {
                    (calibrators[task], reports[task]) = Calibrate(columns, task, Options.Calibration);
                }
                else
                {
                    rocAuc[task - k] = MulticlassSamplingErrors.RocAuc(aucTargets, aucScores[task - k], task - k);
                }
            });

        var counts = needsPredictions ? ActualCounts(columns) : new long[k * k];
        var unfitted = Components(classes, rocAuc, counts);

        var data = columns.SortedByTimestamp().WithProbabilities(calibrators);
        var chunks = Chunker.Split(data.Count, data.Timestamps, Options.Chunking);
        var stats = MulticlassChunks.Gather(data, chunks, wantsRocAuc, compute.Threads);
        var components = new MulticlassComponent[unfitted.Count];
        for (var c = 0; c < components.Length; c++)
        {
            var component = unfitted[c];
            var realized = MulticlassChunks.Realized(stats, component, Options.ConfusionMatrixNormalization);
            var (lower, upper) = Options.ThresholdFor(component.Metric).Compute(realized, component.LowerLimit, component.UpperLimit);
            components[c] = component with { LowerThreshold = lower, UpperThreshold = upper };
        }

        var rows = MulticlassChunks.Rows(chunks, stats, components, Options.ConfusionMatrixNormalization, Period.Reference);
        return new FittedMulticlassCbpe { Options = Options, Classes = classes, Calibration = reports, Calibrators = calibrators, Components = components, ReferenceRows = rows };
    }

    private List<MulticlassComponent> Components(string[] classes, (double Variance, double Fraction)[] rocAuc, long[] counts)
    {
        var k = classes.Length;
        var list = new List<MulticlassComponent>();
        foreach (var metric in Options.Metrics)
        {
            if (metric == Metric.Accuracy)
            {
                list.Add(Unfitted(metric, metric.ToName(), null, -1, -1, new([MulticlassSamplingErrors.Accuracy(counts, k)], [1]), 1));
                continue;
            }

            if (metric == Metric.ConfusionMatrix)
            {
                var upper = Options.ConfusionMatrixNormalization == ConfusionMatrixNormalization.None ? (double?)null : 1;
                for (var cell = 0; cell < k * k; cell++)
                {
                    var name = $"true_{classes[cell / k]}_pred_{classes[cell % k]}";
                    list.Add(Unfitted(metric, name, null, -1, cell, MulticlassSamplingErrors.Cell(counts, k, cell, Options.ConfusionMatrixNormalization), upper));
                }

                continue;
            }

            var perClass = new (double Variance, double Fraction)[k];
            for (var c = 0; c < k; c++)
            {
                perClass[c] = metric == Metric.RocAuc ? rocAuc[c] : MulticlassSamplingErrors.Label(metric, counts, k, c);
            }

            var factor = metric == Metric.RocAuc ? MulticlassSamplingErrors.RocAucFactor : 1;
            list.Add(Unfitted(metric, metric.ToName(), null, -1, -1, new([.. perClass.Select(p => p.Variance)], [.. perClass.Select(p => p.Fraction)], factor), 1));
            if (Options.PerClassRows && PerClassMetrics.Contains(metric))
            {
                for (var c = 0; c < k; c++)
                {
                    list.Add(Unfitted(metric, metric.ToName(), classes[c], c, -1, new([perClass[c].Variance], [perClass[c].Fraction]), 1));
                }
            }
        }

        return list;
    }

    private static MulticlassComponent Unfitted(Metric metric, string name, string? @class, int classIndex, int cell, MulticlassSamplingError samplingError, double? upperLimit) =>
        new(metric, name, @class, classIndex, cell, samplingError, 0, upperLimit, null, null);

    /// <summary>Fewer than two classes among the targets, or a class that never occurs, cannot be fitted.</summary>
    private static void RequireEveryClass(int[] targets, string[] classes)
    {
        var seen = new bool[classes.Length];
        foreach (var t in targets)
        {
            if (t >= 0)
            {
                seen[t] = true;
            }
        }

        var present = seen.Count(s => s);
        if (present < 2)
        {
            throw new EstimatorDataException(
                string.Create(CultureInfo.InvariantCulture, $"the reference targets hold {present} class(es): multiclass CBPE needs at least two classes in the reference to fit"),
                column: "y_true");
        }

        for (var c = 0; c < classes.Length; c++)
        {
            if (!seen[c])
            {
                throw new EstimatorDataException(
                    $"class '{classes[c]}' never occurs in the reference targets: its calibration and one-vs-rest metrics cannot be fitted",
                    column: "y_true");
            }
        }
    }

    /// <summary>One class's calibrator: NannyML's <c>needs_calibration</c> on its one-vs-rest targets (binary CBPE's check and seeded splits).</summary>
    private static (IsotonicCalibrator? Calibrator, CalibrationReport Report) Calibrate(MulticlassColumns columns, int k, CalibrationMode mode)
    {
        if (mode == CalibrationMode.Never)
        {
            return (null, new CalibrationReport(mode, false, double.NaN, double.NaN, "calibration disabled (never)"));
        }

        // Rows with a target and this class's score, in the order given (the stratified splits depend on it).
        var targets = columns.Targets!;
        var raw = columns.Scores[k];
        var n = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            n += targets[i] >= 0 && !double.IsNaN(raw[i]) ? 1 : 0;
        }

        var y = new double[n];
        var s = new double[n];
        var j = 0;
        for (var i = 0; i < targets.Length; i++)
        {
            if (targets[i] >= 0 && !double.IsNaN(raw[i]))
            {
                y[j] = targets[i] == k ? 1 : 0;
                s[j++] = raw[i];
            }
        }

        if (mode == CalibrationMode.Always)
        {
            return (IsotonicCalibrator.Fit(s, y), new CalibrationReport(mode, true, double.NaN, double.NaN, "calibration forced (always)"));
        }

        var (check, runs) = CalibrationCheck.Run(y, s, threads: 1);
        var calibrator = !check.NeedsCalibration ? null : runs is null ? IsotonicCalibrator.Fit(s, y) : IsotonicCalibrator.FitRuns(runs.Values, runs.Counts, runs.Positives);
        return (calibrator, new CalibrationReport(mode, check.NeedsCalibration, check.EceRaw, check.EceCalibrated, check.Reason));
    }

    /// <summary>Rows with a target and every score (NannyML's NaN removal before the ROC AUC components), in reference order.</summary>
    private static (int[] Targets, double[][] Scores) ScoredRows(MulticlassColumns columns)
    {
        var targets = columns.Targets!;
        var keep = new List<int>(targets.Length);
        for (var i = 0; i < targets.Length; i++)
        {
            var complete = targets[i] >= 0;
            foreach (var column in columns.Scores)
            {
                complete &= !double.IsNaN(column[i]);
            }

            if (complete)
            {
                keep.Add(i);
            }
        }

        var scores = new double[columns.Classes][];
        for (var c = 0; c < scores.Length; c++)
        {
            scores[c] = new double[keep.Count];
            for (var t = 0; t < keep.Count; t++)
            {
                scores[c][t] = columns.Scores[c][keep[t]];
            }
        }

        return ([.. keep.Select(i => targets[i])], scores);
    }

    /// <summary>The reference's actual K × K counts over rows with a target and a prediction.</summary>
    private static long[] ActualCounts(MulticlassColumns columns)
    {
        var k = columns.Classes;
        var counts = new long[k * k];
        var targets = columns.Targets!;
        var predictions = columns.Predictions!;
        for (var i = 0; i < targets.Length; i++)
        {
            if (targets[i] >= 0 && predictions[i] >= 0)
            {
                counts[(targets[i] * k) + predictions[i]]++;
            }
        }

        return counts;
    }
}
