namespace Estimator.Monitoring;

/// <summary>
/// Analysis rows of a model's stream held by the store: id, timestamp, score and prediction, column by column. The
/// store keeps each chunk's rows so an open chunk can be completed later, late rows merged, and labels joined.
/// </summary>
/// <remarks>
/// A multiclass model's rows carry one score column per class (<see cref="ClassScores"/>, in the order of
/// <see cref="Classes"/>, which is the fitted model's sorted order) instead of <see cref="Scores"/>, and their
/// predictions are indices into <see cref="Classes"/>; the model's state records the classes (see
/// <see cref="ModelState.Classes"/>), so a rows file is read back with the same meaning. A regression model's rows carry
/// the predicted values and the model's input columns (<see cref="Features"/>), which direct loss estimation needs to
/// estimate the chunk again; the state records their shape (<see cref="ModelState.Features"/>).
/// </remarks>
internal sealed class RowBatch
{
    public RowBatch(string?[]? ids, DateTime[]? timestamps, double[] scores, double[]? predictions)
    {
        Ids = ids;
        Timestamps = timestamps;
        Scores = scores;
        Predictions = predictions;
        Count = scores.Length;
    }

    /// <summary>A multiclass model's rows: <paramref name="classScores"/> holds one column per class of <paramref name="classes"/>.</summary>
    public RowBatch(string?[]? ids, DateTime[]? timestamps, IReadOnlyList<string> classes, double[][] classScores, double[]? predictions)
        : this(ids, timestamps, Array.Empty<double>(), predictions)
    {
        Classes = classes;
        ClassScores = classScores;
        Count = classScores[0].Length;
    }

    /// <summary>A regression model's rows: the predicted values and the input columns (in the model's feature order).</summary>
    public RowBatch(string?[]? ids, DateTime[]? timestamps, IReadOnlyList<FeatureColumn> features, double[] predictions)
        : this(ids, timestamps, Array.Empty<double>(), predictions)
    {
        Features = features;
        Count = predictions.Length;
    }

    public string?[]? Ids { get; }

    public DateTime[]? Timestamps { get; }

    /// <summary>Binary models: the score of class 1; empty for a multiclass model.</summary>
    public double[] Scores { get; }

    /// <summary>Multiclass models: the classes, sorted ordinally; null for a binary model.</summary>
    public IReadOnlyList<string>? Classes { get; }

    /// <summary>Multiclass models: one score column per class of <see cref="Classes"/>; null for a binary model.</summary>
    public double[][]? ClassScores { get; }

    /// <summary>Regression models: the input columns; null for a classifier.</summary>
    public IReadOnlyList<FeatureColumn>? Features { get; }

    /// <summary>
    /// The input columns kept for drift and data quality (any kind of model), besides a regression model's
    /// <see cref="Features"/>; null when the model measures none.
    /// </summary>
    public IReadOnlyList<FeatureColumn>? Inputs { get; init; }

    /// <summary>The shape of <see cref="Inputs"/>; null without them.</summary>
    public IReadOnlyList<StoredFeature>? InputShapes => Inputs is null ? null : StoredFeatures.Shapes(Inputs);

    /// <summary>Regression models: the shape of <see cref="Features"/>; null for a classifier.</summary>
    public IReadOnlyList<StoredFeature>? FeatureShapes => Features is null ? null : StoredFeatures.Shapes(Features);

    /// <summary>Predicted labels: 0/1, or indices into <see cref="Classes"/>; a regression model's predicted values.</summary>
    public double[]? Predictions { get; }

    public int Count { get; }

    public static RowBatch Empty(bool ids, bool timestamps, bool predictions, IReadOnlyList<string>? classes = null, IReadOnlyList<StoredFeature>? features = null, IReadOnlyList<StoredFeature>? inputs = null) =>
        EmptyRows(ids, timestamps, predictions, classes, features).WithInputs(inputs is null ? null : StoredFeatures.Empty(inputs));

    private static RowBatch EmptyRows(bool ids, bool timestamps, bool predictions, IReadOnlyList<string>? classes, IReadOnlyList<StoredFeature>? features) =>
        features is not null ? new(ids ? [] : null, timestamps ? [] : null, StoredFeatures.Empty(features), Array.Empty<double>())
        : classes is null
            ? new(ids ? [] : null, timestamps ? [] : null, Array.Empty<double>(), predictions ? [] : null)
            : new(ids ? [] : null, timestamps ? [] : null, classes, [.. classes.Select(_ => Array.Empty<double>())], predictions ? [] : null);

    /// <summary>A regression file's rows: predicted values and input columns (the reader keeps the model's feature order).</summary>
    public static RowBatch FromRegressionData(RegressionPredictionData data) =>
        new(data.Ids?.ToArray(), data.Data.Timestamps, data.Data.Features, data.Data.Predictions!);

    public static RowBatch FromPredictionData(PredictionData data) =>
        new(data.Ids?.ToArray(), data.Set.Timestamps, data.Set.Scores, data.Set.Predictions);

    /// <summary>A multiclass file's rows with the classes in sorted order (the file's mapping may list them in any order).</summary>
    public static RowBatch FromMulticlassData(MulticlassPredictionData data)
    {
        var given = data.Classes;
        var classes = given.Order(StringComparer.Ordinal).ToArray();
        var position = new double[given.Count];
        var scores = new double[classes.Length][];
        for (var k = 0; k < given.Count; k++)
        {
            var sorted = Array.IndexOf(classes, given[k]);
            position[k] = sorted;
            scores[sorted] = data.Data.ClassScores![k];
        }

        var predictions = data.Data.Predictions?.ToArray();
        for (var i = 0; predictions is not null && i < predictions.Length; i++)
        {
            predictions[i] = double.IsNaN(predictions[i]) ? double.NaN : position[(int)predictions[i]];
        }

        return new RowBatch(data.Ids?.ToArray(), data.Data.Timestamps, classes, scores, predictions);
    }

    public PredictionSet ToPredictionSet() => new(Scores, Predictions, null, Timestamps);

    /// <summary>The same rows with <paramref name="inputs"/> as their drift and quality columns (arrays are shared, not copied).</summary>
    public RowBatch WithInputs(IReadOnlyList<FeatureColumn>? inputs)
    {
        var copy = Features is not null ? new RowBatch(Ids, Timestamps, Features, Predictions!)
            : ClassScores is null ? new RowBatch(Ids, Timestamps, Scores, Predictions)
            : new RowBatch(Ids, Timestamps, Classes!, ClassScores, Predictions);
        return new RowBatch(copy, inputs);
    }

    private RowBatch(RowBatch rows, IReadOnlyList<FeatureColumn>? inputs)
        : this(rows.Ids, rows.Timestamps, rows.Scores, rows.Predictions)
    {
        Classes = rows.Classes;
        ClassScores = rows.ClassScores;
        Features = rows.Features;
        Count = rows.Count;
        Inputs = inputs;
    }

    /// <summary>The rows' input columns (a regression model's features and the drift and quality columns) as the drift and quality calculators take them.</summary>
    public ModelData ToInputData() => new(Count, Timestamps) { Features = [.. Features ?? [], .. Inputs ?? []] };

    /// <summary>
    /// Estimates the rows as the chunk <paramref name="chunk"/> with the fitted model, with <paramref name="targets"/>
    /// (labels joined so far, NaN where none) filling the realized values.
    /// </summary>
    public IReadOnlyList<ChunkEstimate> Estimate(IFittedCalculator fitted, double[]? targets, Chunk chunk)
    {
        if (fitted is FittedCbpe cbpe)
        {
            return cbpe.EstimateChunk(new PredictionSet(Scores, Predictions, targets, Timestamps), chunk);
        }

        // A shift-aware estimator reads the binary rows' scores and the input columns kept with them.
        var shiftAware = fitted is FittedShiftAwareCbpe;
        var data = new ModelData(Count, Timestamps)
        {
            Scores = shiftAware ? Scores : null,
            Classes = Classes,
            ClassScores = ClassScores,
            Predictions = Predictions,
            Targets = targets,
            Features = (shiftAware ? Inputs : Features) ?? [],
        };
        return fitted.CalculateChunk(data, chunk);
    }

    /// <summary>Concatenates batches; a column present in one batch but not another is an error.</summary>
    public static RowBatch Concat(IReadOnlyList<RowBatch> batches, string model)
    {
        if (batches.Count == 1)
        {
            return batches[0];
        }

        var rows = ConcatRows(batches, model);
        var first = batches[0];
        if (first.Inputs is null && batches.All(b => b.Inputs is null))
        {
            return rows;
        }

        var shapes = first.InputShapes;
        if (batches.Any(b => !StoredFeatures.Same(b.InputShapes, shapes)))
        {
            throw new EstimatorDataException($"model '{model}': analysis rows disagree on the drift and quality columns ({StoredFeatures.Describe(shapes)} and {StoredFeatures.Describe(batches.First(b => !StoredFeatures.Same(b.InputShapes, shapes)).InputShapes)})");
        }

        var parts = batches.Select(b => b.Inputs!).ToList();
        return rows.WithInputs([.. Enumerable.Range(0, shapes!.Count).Select(k => StoredFeatures.Concat(parts, k, rows.Count))]);
    }

    private static RowBatch ConcatRows(IReadOnlyList<RowBatch> batches, string model)
    {
        var n = 0;
        foreach (var b in batches)
        {
            n += b.Count;
        }

        var first = batches[0];
        if (first.Features is not null)
        {
            return ConcatRegression(batches, n, model);
        }

        var ids = first.Ids is null ? null : new string?[n];
        var timestamps = first.Timestamps is null ? null : new DateTime[n];
        var scores = first.Classes is null ? new double[n] : [];
        var classScores = first.Classes?.Select(_ => new double[n]).ToArray();
        var predictions = first.Predictions is null ? null : new double[n];
        var at = 0;
        foreach (var b in batches)
        {
            if ((b.Ids is null) != (ids is null) || (b.Timestamps is null) != (timestamps is null) || (b.Predictions is null) != (predictions is null))
            {
                throw new EstimatorDataException($"model '{model}': analysis files disagree on which columns (id, timestamp, prediction) they carry");
            }

            if (!SameClasses(b.Classes, first.Classes) || b.Features is not null)
            {
                throw new EstimatorDataException($"model '{model}': analysis rows disagree on the model's classes ({Describe(first.Classes)} and {Describe(b.Classes)})");
            }

            if (classScores is null)
            {
                b.Scores.CopyTo(scores, at);
            }

            for (var k = 0; classScores is not null && k < classScores.Length; k++)
            {
                b.ClassScores![k].CopyTo(classScores[k], at);
            }

            b.Ids?.CopyTo(ids!, at);
            b.Timestamps?.CopyTo(timestamps!, at);
            b.Predictions?.CopyTo(predictions!, at);
            at += b.Count;
        }

        return classScores is null ? new RowBatch(ids, timestamps, scores, predictions) : new RowBatch(ids, timestamps, first.Classes!, classScores, predictions);
    }

    private static RowBatch ConcatRegression(IReadOnlyList<RowBatch> batches, int n, string model)
    {
        var first = batches[0];
        var ids = first.Ids is null ? null : new string?[n];
        var timestamps = first.Timestamps is null ? null : new DateTime[n];
        var predictions = new double[n];
        var at = 0;
        foreach (var b in batches)
        {
            if ((b.Ids is null) != (ids is null) || (b.Timestamps is null) != (timestamps is null))
            {
                throw new EstimatorDataException($"model '{model}': analysis files disagree on which columns (id, timestamp) they carry");
            }

            if (!StoredFeatures.Same(b.FeatureShapes, first.FeatureShapes))
            {
                throw new EstimatorDataException($"model '{model}': analysis rows disagree on the input columns ({StoredFeatures.Describe(first.FeatureShapes)} and {StoredFeatures.Describe(b.FeatureShapes)})");
            }

            b.Ids?.CopyTo(ids!, at);
            b.Timestamps?.CopyTo(timestamps!, at);
            b.Predictions!.CopyTo(predictions, at);
            at += b.Count;
        }

        var parts = batches.Select(b => b.Features!).ToList();
        var features = Enumerable.Range(0, first.Features!.Count).Select(k => StoredFeatures.Concat(parts, k, n)).ToList();
        return new RowBatch(ids, timestamps, features, predictions);
    }

    /// <summary>Whether two class lists are the same classes in the same order (both null for binary rows).</summary>
    public static bool SameClasses(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null || b is null ? a is null && b is null : a.SequenceEqual(b, StringComparer.Ordinal);

    /// <summary>A class list for messages: "binary" for none.</summary>
    public static string Describe(IReadOnlyList<string>? classes) => classes is null ? "binary" : string.Join(", ", classes);

    /// <summary>Rows [start, start + length).</summary>
    public RowBatch Slice(int start, int length) => Inputs is null
        ? SliceRows(start, length)
        : SliceRows(start, length).WithInputs([.. Inputs.Select(f => f.Slice(start, length))]);

    private RowBatch SliceRows(int start, int length) => Features is not null
        ? new(
            Ids?.AsSpan(start, length).ToArray(),
            Timestamps?.AsSpan(start, length).ToArray(),
            [.. Features.Select(f => f.Slice(start, length))],
            Predictions!.AsSpan(start, length).ToArray())
        : ClassScores is null
        ? new(
            Ids?.AsSpan(start, length).ToArray(),
            Timestamps?.AsSpan(start, length).ToArray(),
            Scores.AsSpan(start, length).ToArray(),
            Predictions?.AsSpan(start, length).ToArray())
        : new(
            Ids?.AsSpan(start, length).ToArray(),
            Timestamps?.AsSpan(start, length).ToArray(),
            Classes!,
            [.. ClassScores.Select(c => c.AsSpan(start, length).ToArray())],
            Predictions?.AsSpan(start, length).ToArray());

    /// <summary>Rows in timestamp order; equal timestamps keep their arrival order (a stable sort, as the core's).</summary>
    public RowBatch SortedByTimestamp()
    {
        if (Timestamps is null)
        {
            return this;
        }

        var sorted = true;
        for (var i = 1; i < Count && sorted; i++)
        {
            sorted = Timestamps[i - 1] <= Timestamps[i];
        }

        if (sorted)
        {
            return this;
        }

        var order = new int[Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var ts = Timestamps;
        Array.Sort(order, (a, b) => ts[a] != ts[b] ? ts[a].CompareTo(ts[b]) : a.CompareTo(b));
        return Permute(order);
    }

    /// <summary>The rows at the given positions, in that order.</summary>
    public RowBatch Permute(int[] order) => Inputs is null
        ? PermuteRows(order)
        : PermuteRows(order).WithInputs([.. Inputs.Select(f => StoredFeatures.Permute(f, order))]);

    private RowBatch PermuteRows(int[] order)
    {
        if (Features is not null)
        {
            return new RowBatch(
                Ids is null ? null : TimestampOrder.Permute(Ids, order),
                Timestamps is null ? null : TimestampOrder.Permute(Timestamps, order),
                [.. Features.Select(f => StoredFeatures.Permute(f, order))],
                TimestampOrder.Permute(Predictions!, order));
        }

        var ids = Ids is null ? null : new string?[order.Length];
        var timestamps = Timestamps is null ? null : new DateTime[order.Length];
        var scores = ClassScores is null ? new double[order.Length] : [];
        var classScores = ClassScores?.Select(_ => new double[order.Length]).ToArray();
        var predictions = Predictions is null ? null : new double[order.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var j = order[i];
            if (classScores is null)
            {
                scores[i] = Scores[j];
            }
            else
            {
                for (var k = 0; k < classScores.Length; k++)
                {
                    classScores[k][i] = ClassScores![k][j];
                }
            }

            if (ids is not null)
            {
                ids[i] = Ids![j];
            }

            if (timestamps is not null)
            {
                timestamps[i] = Timestamps![j];
            }

            if (predictions is not null)
            {
                predictions[i] = Predictions![j];
            }
        }

        return classScores is null ? new RowBatch(ids, timestamps, scores, predictions) : new RowBatch(ids, timestamps, Classes!, classScores, predictions);
    }

    /// <summary>Writes the rows to a Parquet file atomically (temporary name, then rename).</summary>
    public void Write(string path)
    {
        if (Features is null)
        {
            RowFile.Write(this, path);
        }
        else
        {
            RegressionRowFile.Write(this, path);
        }
    }

    /// <summary>Reads rows written by <see cref="Write"/>; the flags say which optional columns the stream carries, <paramref name="classes"/> a multiclass model's classes, <paramref name="features"/> a regression model's input columns.</summary>
    public static RowBatch Read(string path, bool ids, bool timestamps, bool predictions, IReadOnlyList<string>? classes = null, IReadOnlyList<StoredFeature>? features = null, IReadOnlyList<StoredFeature>? inputs = null) =>
        features is null ? RowFile.Read(path, ids, timestamps, predictions, classes, inputs) : RegressionRowFile.Read(path, ids, timestamps, features, inputs);
}
