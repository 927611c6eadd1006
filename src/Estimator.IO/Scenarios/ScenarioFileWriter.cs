using Estimator.Scenarios;

namespace Estimator.IO;

/// <summary>Writes a generated <see cref="ScenarioData"/> as Parquet files that <c>estimator estimate</c> reads.</summary>
/// <remarks>
/// <para>Files (Snappy, one row group each):</para>
/// <list type="bullet">
/// <item><c>reference.parquet</c>: <c>id</c> (int64), <c>timestamp</c> (UTC), <c>x1</c>, <c>x2</c>, <c>x3</c>,
/// <c>y_pred_proba</c> (double), <c>y_pred</c> (int32), <c>y_true</c> (int32).</item>
/// <item><c>analysis.parquet</c>: the same columns without <c>y_true</c>; or, when the analysis is written as a backlog
/// of several files, <c>analysis/part-NNNN.parquet</c>, consecutive slices in time order.</item>
/// <item><c>analysis_targets.parquet</c>: <c>id</c>, <c>y_true</c> for every analysis row; under
/// <see cref="Scenario.LabelDelay"/> instead <c>analysis_targets_1.parquet</c> … one file per arrival batch.</item>
/// </list>
/// </remarks>
public static class ScenarioFileWriter
{
    /// <summary>Writes the files into <paramref name="directory"/> (created if missing; existing files are replaced).</summary>
    /// <param name="data">The scenario.</param>
    /// <param name="directory">The output directory.</param>
    /// <returns>The paths written, reference first.</returns>
    public static IReadOnlyList<string> Write(ScenarioData data, string directory) =>
        WriteAsync(data, directory).GetAwaiter().GetResult();

    /// <summary>Writes the files into <paramref name="directory"/>, the analysis as <paramref name="analysisFiles"/> files when more than one.</summary>
    /// <param name="data">The scenario.</param>
    /// <param name="directory">The output directory.</param>
    /// <param name="analysisFiles">Files to cut the analysis period into (a backlog of arrivals), 1 for <c>analysis.parquet</c>.</param>
    /// <returns>The paths written, reference first.</returns>
    public static IReadOnlyList<string> Write(ScenarioData data, string directory, int analysisFiles) =>
        WriteAsync(data, directory, analysisFiles).GetAwaiter().GetResult();

    /// <summary>Writes the files into <paramref name="directory"/> (created if missing; existing files are replaced).</summary>
    /// <param name="data">The scenario.</param>
    /// <param name="directory">The output directory.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The paths written, reference first.</returns>
    public static Task<IReadOnlyList<string>> WriteAsync(ScenarioData data, string directory, CancellationToken cancellationToken = default) =>
        WriteAsync(data, directory, 1, cancellationToken);

    /// <summary>Writes the files into <paramref name="directory"/>, the analysis as <paramref name="analysisFiles"/> files when more than one.</summary>
    /// <param name="data">The scenario.</param>
    /// <param name="directory">The output directory.</param>
    /// <param name="analysisFiles">Files to cut the analysis period into (a backlog of arrivals), 1 for <c>analysis.parquet</c>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The paths written, reference first.</returns>
    public static async Task<IReadOnlyList<string>> WriteAsync(ScenarioData data, string directory, int analysisFiles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(analysisFiles, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(analysisFiles, data.Analysis.Count);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        var paths = new List<string>();

        var reference = Path.Combine(directory, "reference.parquet");
        await WritePeriodAsync(data.Reference, reference, withTargets: true, cancellationToken).ConfigureAwait(false);
        paths.Add(reference);

        if (analysisFiles == 1)
        {
            var analysis = Path.Combine(directory, "analysis.parquet");
            await WritePeriodAsync(data.Analysis, analysis, withTargets: false, cancellationToken).ConfigureAwait(false);
            paths.Add(analysis);
        }
        else
        {
            var backlog = Directory.CreateDirectory(Path.Combine(directory, "analysis")).FullName;
            var n = data.Analysis.Count;
            for (var f = 0; f < analysisFiles; f++)
            {
                var start = (int)((long)n * f / analysisFiles);
                var end = (int)((long)n * (f + 1) / analysisFiles);
                var part = Path.Combine(backlog, string.Create(CultureInfo.InvariantCulture, $"part-{f + 1:D4}.parquet"));
                await WritePeriodAsync(data.Analysis.Slice(start, end - start), part, withTargets: false, cancellationToken).ConfigureAwait(false);
                paths.Add(part);
            }
        }

        var batched = data.Scenario == Scenario.LabelDelay;
        foreach (var batch in data.TargetBatches)
        {
            var name = batched ? string.Create(CultureInfo.InvariantCulture, $"analysis_targets_{batch.Number}.parquet") : "analysis_targets.parquet";
            var path = Path.Combine(directory, name);
            var ids = new long[batch.Rows.Length];
            var targets = new int[batch.Rows.Length];
            for (var i = 0; i < batch.Rows.Length; i++)
            {
                ids[i] = data.Analysis.Ids[batch.Rows[i]];
                targets[i] = (int)data.Analysis.Targets[batch.Rows[i]];
            }

            var id = new DataField<long>("id");
            var yTrue = new DataField<int>("y_true");
            await WriteAsync(path, new ParquetSchema(id, yTrue), async group =>
            {
                await group.WriteAsync<long>(id, ids, cancellationToken: cancellationToken).ConfigureAwait(false);
                await group.WriteAsync<int>(yTrue, targets, cancellationToken: cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            paths.Add(path);
        }

        return paths;
    }

    private static async Task WritePeriodAsync(ScenarioPeriod period, string path, bool withTargets, CancellationToken cancellationToken)
    {
        var rows = new ScenarioRowFields();
        var score = new DataField<double>("y_pred_proba");
        var prediction = new DataField<int>("y_pred");
        var target = withTargets ? new DataField<int>("y_true") : null;
        await WriteAsync(path, rows.Schema(score, prediction, target), async group =>
        {
            await rows.WriteAsync(group, period, cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(score, period.Scores, cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(prediction, period.Predictions.Select(p => (int)p).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (target is not null)
            {
                await group.WriteAsync<int>(target, period.Targets.Select(t => (int)t).ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task WriteAsync(string path, ParquetSchema schema, Func<ParquetRowGroupWriter, Task> writeColumns, CancellationToken cancellationToken)
    {
        var stream = File.Create(path);
        await using (stream.ConfigureAwait(false))
        {
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
            var writer = await ParquetWriter.CreateAsync(schema, stream, options, false, cancellationToken).ConfigureAwait(false);
            await using (writer.ConfigureAwait(false))
            {
                using var group = writer.CreateRowGroup();
                await writeColumns(group).ConfigureAwait(false);
            }
        }
    }
}
