using Estimator.Scenarios;

namespace Estimator.IO;

/// <summary>Writes a generated <see cref="RegressionScenarioData"/> as Parquet files, in the layout of the regression scenario folders.</summary>
/// <remarks>
/// <para>Files (Snappy, one row group each):</para>
/// <list type="bullet">
/// <item><c>reference.parquet</c>: <c>id</c> (int64), <c>timestamp</c> (UTC), <c>x1</c>, <c>x2</c>, <c>x3</c> (double),
/// <c>g</c> (string), <c>y_pred</c>, <c>y_true</c> (double).</item>
/// <item><c>analysis.parquet</c>: the same columns without <c>y_true</c>.</item>
/// <item><c>analysis_targets.parquet</c>: <c>id</c>, <c>y_true</c>, <c>exp_abs_err</c>, <c>exp_sq_err</c> for every
/// analysis row: the actual value and the row's true expected absolute and squared error of <c>y_pred</c>.</item>
/// </list>
/// </remarks>
public static class RegressionScenarioFileWriter
{
    /// <summary>Writes the files into <paramref name="directory"/> (created if missing; existing files are replaced).</summary>
    /// <param name="data">The world.</param>
    /// <param name="directory">The output directory.</param>
    /// <returns>The paths written: reference, analysis, analysis targets.</returns>
    public static IReadOnlyList<string> Write(RegressionScenarioData data, string directory) =>
        WriteAsync(data, directory).GetAwaiter().GetResult();

    /// <summary>Writes the files into <paramref name="directory"/> (created if missing; existing files are replaced).</summary>
    /// <param name="data">The world.</param>
    /// <param name="directory">The output directory.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The paths written: reference, analysis, analysis targets.</returns>
    public static async Task<IReadOnlyList<string>> WriteAsync(RegressionScenarioData data, string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);

        var reference = Path.Combine(directory, "reference.parquet");
        await WritePeriodAsync(data.Reference, reference, withTargets: true, cancellationToken).ConfigureAwait(false);
        var analysis = Path.Combine(directory, "analysis.parquet");
        await WritePeriodAsync(data.Analysis, analysis, withTargets: false, cancellationToken).ConfigureAwait(false);

        var targets = Path.Combine(directory, "analysis_targets.parquet");
        var id = new DataField<long>("id");
        var yTrue = new DataField<double>("y_true");
        var absolute = new DataField<double>("exp_abs_err");
        var squared = new DataField<double>("exp_sq_err");
        var period = data.Analysis;
        await ScenarioFileWriter.WriteAsync(targets, new ParquetSchema(id, yTrue, absolute, squared), async group =>
        {
            await group.WriteAsync<long>(id, period.Ids, cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(yTrue, period.Targets, cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(absolute, period.ExpectedAbsoluteErrors, cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<double>(squared, period.ExpectedSquaredErrors, cancellationToken: cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        return [reference, analysis, targets];
    }

    private static async Task WritePeriodAsync(RegressionScenarioPeriod period, string path, bool withTargets, CancellationToken cancellationToken)
    {
        var rows = new ScenarioRowFields();
        var group = new DataField<string>(RegressionScenarioPeriod.GroupName);
        var prediction = new DataField<double>("y_pred");
        var target = withTargets ? new DataField<double>("y_true") : null;
        await ScenarioFileWriter.WriteAsync(path, rows.Schema(group, prediction, target), async rowGroup =>
        {
            await rows.WriteAsync(rowGroup, period, cancellationToken).ConfigureAwait(false);
            await rowGroup.WriteAsync(group, period.Groups).ConfigureAwait(false);
            await rowGroup.WriteAsync<double>(prediction, period.Predictions, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (target is not null)
            {
                await rowGroup.WriteAsync<double>(target, period.Targets, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }
}
