namespace Estimator.Learning;

/// <summary>Direct loss estimation (NannyML's DLE) behind the calculator seam: fits one error model per loss on the reference.</summary>
/// <param name="options">The options; null for the defaults.</param>
public sealed class DleCalculator(DleOptions? options = null)
    : Calculator<DleOptions>(CalculatorKind.DirectLossEstimation, options ?? new DleOptions()), ICalculator
{
    private static readonly BoostingSettings[] TuningGrid =
    [
        new(50, 15, 50, 0.1), new(100, 31, 20, 0.1), new(200, 31, 20, 0.05), new(200, 63, 50, 0.1), new(400, 15, 100, 0.05),
    ];

    /// <inheritdoc />
    public IFittedCalculator Fit(ModelData reference, ComputeOptions compute) => FitDle(reference, compute);

    /// <summary>Fits on the reference (targets required).</summary>
    /// <param name="reference">Reference rows with predictions, targets and the feature columns.</param>
    /// <param name="compute">Threads: error models of different losses train in parallel; each alone is single-threaded, so the result is the same whatever this is.</param>
    /// <returns>The fitted estimator.</returns>
    public FittedDle FitDle(ModelData reference, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(compute);
        if (Options.Metrics.Count == 0)
        {
            throw new EstimatorDataException("DLE: no metrics to estimate");
        }

        DleValidation.Validate(reference, "reference", Options, requireTargets: true);

        // As every calculator: rows are chunked in timestamp order (a stable sort; no copy when already sorted).
        reference = reference.SortedByTimestamp();
        var targets = reference.Targets!;
        var predictions = reference.Predictions!;
        var labelled = Enumerable.Range(0, reference.Count).Where(i => !double.IsNaN(targets[i]) && !double.IsNaN(predictions[i])).ToArray();
        if (labelled.Length == 0)
        {
            throw new EstimatorDataException("reference: no row has both a target and a prediction", column: "y_true");
        }

        var encoder = FeatureEncoder.Learn(reference, Options.Features);
        var matrix = encoder.Encode(reference, "reference");
        var losses = Options.Metrics.Select(m => m.Loss()).Distinct().Order().ToArray();
        var models = new LossModel[losses.Length];
        Parallel.For(0, losses.Length, new ParallelOptions { MaxDegreeOfParallelism = compute.Threads }, k =>
        {
            var loss = new double[reference.Count];
            foreach (var i in labelled)
            {
                loss[i] = DleMetrics.RowLoss(losses[k], targets[i], predictions[i]);
            }

            var settings = Options.TuneHyperparameters ? Tune(matrix, encoder.Width, loss, labelled) : Options.Boosting;
            models[k] = LossModel.Train(matrix, encoder.Width, loss, labelled, settings, Options.Seed);
        });

        var byLoss = new Dictionary<DleMetric, LossModel>();
        for (var k = 0; k < losses.Length; k++)
        {
            byLoss[losses[k]] = models[k];
        }

        var chunks = Chunker.Split(reference.Count, reference.Timestamps ?? [], Options.Chunking);
        var components = new List<DleComponent>();
        foreach (var metric in Options.Metrics.Distinct())
        {
            var realized = chunks.Select(c => FittedDle.Realized(metric, targets.AsSpan((int)c.StartIndex, (int)c.Rows), predictions.AsSpan((int)c.StartIndex, (int)c.Rows), out _)).ToArray();
            var (lower, upper) = Options.ThresholdFor(metric).Compute(realized, 0, null);
            components.Add(new DleComponent(metric, DleMetrics.SamplingErrorComponents(metric, targets, predictions), lower, upper));
        }

        var fitted = new FittedDle(Options, encoder, byLoss, components, null);
        fitted.ReferenceRows = fitted.BuildRows(reference, chunks, Period.Reference, compute.Threads);
        return fitted;
    }

    // A seeded 80/20 split of the labelled rows; the grid point with the lowest validation squared error wins.
    private BoostingSettings Tune(float[] matrix, int width, double[] loss, int[] labelled)
    {
        var shuffled = (int[])labelled.Clone();
        new Random(Options.Seed).Shuffle(shuffled);
        var cut = (int)(shuffled.Length * 0.8);
        var train = shuffled[..cut];
        var validation = shuffled[cut..];
        if (train.Length < 100 || validation.Length < 20)
        {
            return Options.Boosting;
        }

        Array.Sort(train);
        Array.Sort(validation);
        var best = Options.Boosting;
        var bestError = double.PositiveInfinity;
        foreach (var settings in TuningGrid.Prepend(Options.Boosting))
        {
            var model = LossModel.Train(matrix, width, loss, train, settings, Options.Seed);
            var predicted = model.Predict(matrix, validation);
            double error = 0;
            for (var j = 0; j < validation.Length; j++)
            {
                var d = predicted[j] - loss[validation[j]];
                error += d * d;
            }

            if (error < bestError)
            {
                bestError = error;
                best = settings;
            }
        }

        return best;
    }
}
