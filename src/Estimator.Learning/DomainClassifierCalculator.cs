namespace Estimator.Learning;

/// <summary>
/// Multivariate drift, NannyML 0.13.1's <c>DomainClassifierCalculator</c>: per chunk, a classifier learns to tell the
/// chunk's rows (label 1) from the whole reference's rows (label 0); the value is the AUROC of its out-of-fold
/// probabilities over a stratified 5-fold split (0.5: indistinguishable, towards 1: drifted). A reference chunk is its
/// rows labelled 1 within the whole reference (the rest labelled 0), as NannyML computes it. No sampling error (NannyML
/// reports none); alert outside the constant band [0.45, 0.65]. The learner is ML.NET FastTree, not LightGBM, with
/// LightGBM's default settings; values differ from NannyML's by the learner only (see the README for the car-loan data).
/// </summary>
public sealed class DomainClassifierCalculator : Calculator<DomainClassifierOptions>, ICalculator
{
    /// <summary>Creates the calculator.</summary>
    /// <exception cref="ArgumentException">No columns, a duplicate, fewer than two folds, or boosting settings out of range.</exception>
    public DomainClassifierCalculator(DomainClassifierOptions options)
        : base(CalculatorKind.DomainClassifier, options)
    {
        ColumnCalculatorOptions.CheckColumns(options, "The domain classifier");

        if (options.Folds < 2)
        {
            throw new ArgumentException($"The domain classifier needs at least two folds, got {options.Folds}.", nameof(options));
        }

        var b = options.Boosting ?? throw new ArgumentException("Boosting settings are required.", nameof(options));
        if (b.Trees < 1 || b.Leaves < 2 || b.MinimumRowsPerLeaf < 1 || !(b.LearningRate > 0))
        {
            throw new ArgumentException($"Boosting settings out of range: {b}.", nameof(options));
        }
    }

    /// <inheritdoc cref="ICalculator.Fit"/>
    /// <exception cref="EstimatorDataException">The reference lacks a column or has fewer rows than folds.</exception>
    public FittedDomainClassifier Fit(ModelData reference, ComputeOptions compute)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(compute);
        if (reference.Count < Options.Folds)
        {
            // scikit-learn's StratifiedKFold refuses a split where every class has fewer rows than folds.
            throw new EstimatorDataException($"the domain classifier needs at least {Options.Folds} reference rows (one per cross-validation fold), got {reference.Count}");
        }

        var data = reference.SortedByTimestamp();
        var frame = DomainFrame.Learn(data, Options.Columns);
        var chunks = Chunker.Split(data.Count, data.Timestamps, Options.Chunking);
        var unfitted = new FittedDomainClassifier(frame, null, null) { Options = Options, ReferenceRows = [] };
        var measured = unfitted.Measure([.. chunks.Select(unfitted.ReferenceProblem)], compute.Threads);
        var values = measured.Auroc;

        // NannyML clips thresholds to the AUROC's range [0, 1].
        var (lower, upper) = Options.Threshold.Compute(values, 0, 1);
        var fitted = new FittedDomainClassifier(frame, lower, upper) { Options = Options, ReferenceRows = [] };
        return new FittedDomainClassifier(frame, lower, upper)
        {
            Options = Options,
            ReferenceRows = [.. chunks.SelectMany((c, k) => fitted.Rows(c, Period.Reference, measured, k))],
        };
    }

    /// <inheritdoc />
    IFittedCalculator ICalculator.Fit(ModelData reference, ComputeOptions compute) => Fit(reference, compute);
}
