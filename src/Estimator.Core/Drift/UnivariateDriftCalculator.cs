namespace Estimator.Drift;

/// <summary>
/// Univariate drift detection, NannyML 0.13.1's <c>UnivariateDriftCalculator</c>: each column compared with its
/// reference distribution per chunk by the chosen methods; thresholds from the methods' values on the reference
/// chunks, clipped to the method's range; chi-square alerts on p &lt; 0.05.
/// </summary>
/// <remarks>
/// Column kinds are inferred as NannyML infers them from pandas dtypes: numeric columns are continuous, text and
/// boolean columns categorical; <see cref="UnivariateDriftOptions.TreatAsCategorical"/> and
/// <see cref="UnivariateDriftOptions.TreatAsContinuous"/> override. Missing values are dropped before every
/// comparison; a chunk without values gets NaN (and no alert).
/// </remarks>
public sealed class UnivariateDriftCalculator : Calculator<UnivariateDriftOptions>, ICalculator
{
    /// <summary>Creates the calculator.</summary>
    /// <param name="options">The options (validated here).</param>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    public UnivariateDriftCalculator(UnivariateDriftOptions options)
        : base(CalculatorKind.UnivariateDrift, options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
    }

    /// <summary>Fits on the reference rows with every core.</summary>
    public FittedUnivariateDrift Fit(ModelData reference) => Fit(reference, ComputeOptions.Default);

    /// <inheritdoc cref="ICalculator.Fit"/>
    public FittedUnivariateDrift Fit(ModelData reference, ComputeOptions compute)
    {
        CalculatorLifecycle.CheckReference(reference, compute);

        var kinds = Options.Columns.Select(c => KindOf(reference.Feature(c))).ToArray();
        var data = Prepare(reference, Options.Columns, kinds).SortedByTimestamp();
        var chunks = Chunker.Split(data.Count, data.Timestamps, Options.Chunking);

        // One column's fit is independent of the others'.
        var columns = new DriftColumn[Options.Columns.Count];
        var referenceValues = new (double Value, double PValue)[Options.Columns.Count][][];
        Parallel.For(0, columns.Length, new ParallelOptions { MaxDegreeOfParallelism = compute.Threads }, c =>
            (columns[c], referenceValues[c]) = FitColumn(data.Feature(Options.Columns[c]), kinds[c], chunks));

        // The reference rows reuse the values the thresholds came from.
        var rows = new List<ChunkEstimate>();
        for (var k = 0; k < chunks.Count; k++)
        {
            for (var c = 0; c < columns.Length; c++)
            {
                rows.AddRange(columns[c].Rows(chunks[k], Period.Reference, referenceValues[c][k]));
            }
        }

        return new FittedUnivariateDrift(columns) { Options = Options, ReferenceRows = rows };
    }

    /// <inheritdoc />
    IFittedCalculator ICalculator.Fit(ModelData reference, ComputeOptions compute) => Fit(reference, compute);

    /// <summary>The column's kind: the override if any, else numeric → continuous, text and booleans → categorical.</summary>
    internal FeatureKind KindOf(FeatureColumn column)
    {
        if (Options.TreatAsCategorical.Contains(column.Name, StringComparer.Ordinal))
        {
            return FeatureKind.Categorical;
        }

        if (Options.TreatAsContinuous.Contains(column.Name, StringComparer.Ordinal))
        {
            return FeatureKind.Continuous;
        }

        return column is NumericFeature ? FeatureKind.Continuous : FeatureKind.Categorical;
    }

    /// <summary>The rows with the listed columns converted to their kinds (before sorting, so errors name the file's row).</summary>
    internal static ModelData Prepare(ModelData data, IReadOnlyList<string> names, IReadOnlyList<FeatureKind> kinds)
    {
        var features = new FeatureColumn[names.Count];
        for (var c = 0; c < names.Count; c++)
        {
            var column = data.Feature(names[c]);
            features[c] = kinds[c] == FeatureKind.Continuous
                ? new NumericFeature(column.Name, ColumnChunks.AsNumbers(column))
                : new CategoricalFeature(column.Name, ColumnChunks.AsCategories(column));
        }

        return new ModelData(data.Count, data.Timestamps) { Features = features };
    }

    private (DriftColumn Column, (double Value, double PValue)[][] ChunkValues) FitColumn(FeatureColumn column, FeatureKind kind, IReadOnlyList<Chunk> chunks)
    {
        var methods = (kind == FeatureKind.Continuous ? Options.ContinuousMethods : Options.CategoricalMethods).ToArray();
        var model = new DriftColumn(column.Name, kind, methods, []);
        if (kind == FeatureKind.Continuous)
        {
            var present = ((NumericFeature)column).Values.Where(v => !double.IsNaN(v)).ToArray();
            if (present.Length == 0)
            {
                throw new EstimatorDataException("has no values in the reference (all missing)", column: column.Name);
            }

            if (Array.Exists(present, double.IsInfinity))
            {
                throw new EstimatorDataException("holds an infinite value in the reference; drift needs finite numbers", column: column.Name);
            }

            var exact = Options.Binning == ReferenceBinning.Exact
                || (Options.Binning == ReferenceBinning.Auto && present.Length < UnivariateDriftOptions.BinnedReferenceSize);
            model = model with { Continuous = ContinuousReference.Fit(present, methods, exact, Options.Bins) };
        }
        else
        {
            var reference = CategoricalReference.Fit(((CategoricalFeature)column).Values);
            if (reference.Size == 0)
            {
                throw new EstimatorDataException("has no values in the reference (all missing)", column: column.Name);
            }

            model = model with { Categorical = reference };
        }

        // Thresholds from the methods' values on the reference chunks (NannyML's Method.fit).
        var chunkValues = new (double Value, double PValue)[chunks.Count][];
        for (var k = 0; k < chunks.Count; k++)
        {
            chunkValues[k] = model.Values(column, (int)chunks[k].StartIndex, (int)chunks[k].Rows);
        }

        var thresholds = new MethodThreshold[methods.Length];
        for (var m = 0; m < methods.Length; m++)
        {
            // chi2 alerts on its p-value; NannyML drops its thresholds.
            var (lower, upper) = methods[m] == DriftMethod.Chi2
                ? (null, null)
                : Options.ThresholdOf(methods[m]).Compute(chunkValues.Select(v => v[m].Value).ToArray(), methods[m].Limits().Lower, methods[m].Limits().Upper);
            thresholds[m] = new MethodThreshold(lower, upper);
        }

        return (model with { Thresholds = thresholds }, chunkValues);
    }
}
