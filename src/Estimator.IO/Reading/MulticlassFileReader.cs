namespace Estimator.IO;

/// <summary>
/// Reads a multiclass model's prediction data (one score column per class, predicted and actual class labels,
/// timestamps, ids) from Parquet or CSV files and from <see cref="DataFrame"/>s into the <see cref="ModelData"/>
/// multiclass calculators take, validating every value.
/// </summary>
/// <remarks>
/// <para>Which column scores which class comes from <see cref="ColumnMapping.ClassScores"/>, never from the column
/// names. Scores are numbers in [0, 1] as for binary models (<see cref="PredictionFileReader"/>). Labels are strings or
/// integers (integral floating-point values such as <c>2.0</c>, as pandas writes an integer column holding nulls, are
/// the integer); every present label must be one of the mapped classes. Missing values are as for binary data.</para>
/// <para>Every problem raises <see cref="EstimatorDataException"/> naming the file, the column and, where it applies,
/// the 0-based data row. Scores that do not sum to 1 are counted (<see cref="MulticlassPredictionData.RowsScoreSumOff"/>),
/// not rejected.</para>
/// </remarks>
public static class MulticlassFileReader
{
    /// <summary>How far a row's scores may sum from 1 before the row counts in <see cref="MulticlassPredictionData.RowsScoreSumOff"/>.</summary>
    /// <remarks>Loose enough for scores rounded to a few decimals or stored as float32; a model that outputs scores
    /// that are not probabilities is off by far more.</remarks>
    public const double ScoreSumTolerance = 1e-3;

    /// <summary>Reads a Parquet or CSV prediction file of a multiclass model.</summary>
    /// <param name="path">The file; its extension selects the format.</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.ClassScores"/> must be set.</param>
    /// <param name="requireTargets">Whether the target column must be mapped and present; when false it is read if present.</param>
    /// <param name="requirePredictions">Whether the predicted label column must be mapped and present; when false it is read if present.</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable or holds bad data.</exception>
    /// <exception cref="ArgumentException">No class score columns, or a required column is not mapped.</exception>
    public static MulticlassPredictionData Read(string path, ColumnMapping mapping, bool requireTargets, bool requirePredictions) =>
        ReadAsync(path, mapping, requireTargets, requirePredictions).GetAwaiter().GetResult();

    /// <summary>Reads a Parquet or CSV prediction file of a multiclass model asynchronously.</summary>
    /// <param name="path">The file; its extension selects the format.</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.ClassScores"/> must be set.</param>
    /// <param name="requireTargets">Whether the target column must be mapped and present; when false it is read if present.</param>
    /// <param name="requirePredictions">Whether the predicted label column must be mapped and present; when false it is read if present.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EstimatorDataException">The file is missing, unreadable or holds bad data.</exception>
    /// <exception cref="ArgumentException">No class score columns, or a required column is not mapped.</exception>
    public static async Task<MulticlassPredictionData> ReadAsync(string path, ColumnMapping mapping, bool requireTargets, bool requirePredictions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        var requests = Requests(mapping, requireTargets, requirePredictions);
        var table = await PredictionFileReader.ReadTableAsync(path, requests, cancellationToken).ConfigureAwait(false);
        return Assemble(table, mapping);
    }

    /// <summary>Reads a multiclass model's prediction data from a data frame (for notebooks).</summary>
    /// <param name="frame">The data frame.</param>
    /// <param name="mapping">Which columns hold what; <see cref="ColumnMapping.ClassScores"/> must be set.</param>
    /// <param name="requireTargets">Whether the target column must be mapped and present; when false it is read if present.</param>
    /// <param name="requirePredictions">Whether the predicted label column must be mapped and present; when false it is read if present.</param>
    /// <param name="name">A name for the data in error messages.</param>
    /// <exception cref="EstimatorDataException">The frame holds bad data.</exception>
    /// <exception cref="ArgumentException">No class score columns, or a required column is not mapped.</exception>
    public static MulticlassPredictionData Read(DataFrame frame, ColumnMapping mapping, bool requireTargets, bool requirePredictions, string name = "DataFrame")
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(name);
        return Assemble(DataFrameTableReader.Read(frame, name, Requests(mapping, requireTargets, requirePredictions)), mapping);
    }

    private static List<ColumnRequest> Requests(ColumnMapping mapping, bool requireTargets, bool requirePredictions)
    {
        var classes = mapping.ClassScores
            ?? throw new ArgumentException("A multiclass model needs its class score columns (ClassScores) mapped.", nameof(mapping));
        return PredictionFileReader.Requests(classes.Columns, mapping, requireTargets, requirePredictions, numericLabels: false);
    }

    private static MulticlassPredictionData Assemble(SourceTable table, ColumnMapping mapping)
    {
        var source = table.Source;
        var classes = mapping.ClassScores!;
        var scores = new double[classes.Count][];
        for (var k = 0; k < scores.Length; k++)
        {
            scores[k] = ColumnConverter.ToScores(table.Find(classes.Columns[k])!, source, out _);
        }

        var (missingScore, sumOff) = CountScoreProblems(scores, table.RowCount);
        double[]? predictions = null;
        long missingPrediction = 0;
        if (table.Find(mapping.YPred) is { } pred)
        {
            predictions = Encode(classes.Classes, ColumnConverter.ToClassLabels(pred, source, out missingPrediction), pred.Name, source);
        }

        double[]? targets = null;
        long missingTarget = 0;
        if (table.Find(mapping.YTrue) is { } target)
        {
            targets = Encode(classes.Classes, ColumnConverter.ToClassLabels(target, source, out missingTarget), target.Name, source);
        }

        var timestamps = table.Timestamps(mapping);
        var ids = table.Ids(mapping);
        var data = new ModelData(table.RowCount, timestamps)
        {
            Classes = classes.Classes,
            ClassScores = scores,
            Predictions = predictions,
            Targets = targets,
        };
        return new MulticlassPredictionData(source, data, ids, missingScore, missingPrediction, missingTarget, sumOff);
    }

    /// <summary>Labels as indices into <paramref name="classes"/>; a label not among them is an error naming file, column and row.</summary>
    internal static double[] Encode(IReadOnlyList<string> classes, string?[] labels, string column, string source)
    {
        var index = new Dictionary<string, int>(classes.Count, StringComparer.Ordinal);
        for (var k = 0; k < classes.Count; k++)
        {
            index[classes[k]] = k;
        }

        var encoded = new double[labels.Length];
        for (var r = 0; r < labels.Length; r++)
        {
            var label = labels[r];
            if (label is null)
            {
                encoded[r] = double.NaN;
            }
            else if (index.TryGetValue(label, out var k) || (IntegerForm(label) is { } integer && index.TryGetValue(integer, out k)))
            {
                encoded[r] = k;
            }
            else
            {
                throw new EstimatorDataException(
                    $"label '{label}' is not among the mapped classes ({string.Join(", ", classes)})", source, column, r);
            }
        }

        return encoded;
    }

    /// <summary>
    /// Text such as <c>2.0</c> (pandas writes an integer label column that holds nulls as floats) as the integer
    /// <c>2</c>; null when the text is not an integral number.
    /// </summary>
    private static string? IntegerForm(string label) =>
        double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && Math.Floor(v) == v && Math.Abs(v) < 9.2e18
            ? ((long)v).ToString(CultureInfo.InvariantCulture)
            : null;

    private static (long MissingScore, long SumOff) CountScoreProblems(double[][] scores, int rows)
    {
        long missing = 0, sumOff = 0;
        for (var r = 0; r < rows; r++)
        {
            var sum = 0.0;
            foreach (var column in scores)
            {
                sum += column[r];
            }

            if (double.IsNaN(sum))
            {
                missing++;
            }
            else if (Math.Abs(sum - 1) > ScoreSumTolerance)
            {
                sumOff++;
            }
        }

        return (missing, sumOff);
    }
}
