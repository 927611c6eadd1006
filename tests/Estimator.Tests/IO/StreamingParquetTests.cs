using Estimator.Estimation;
using Estimator.IO;
using Estimator.Metrics;
using Parquet;
using Parquet.Schema;

namespace Estimator.Tests.IO;

/// <summary>The streamed estimate of Parquet files with plain DOUBLE/INT64 columns (its lean path): same result and errors as reading the file whole.</summary>
public sealed class StreamingParquetTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static readonly CbpeOptions Options = new()
    {
        Metrics = [Metric.RocAuc, Metric.AveragePrecision, Metric.Precision, Metric.Recall, Metric.F1],
        Chunking = Chunking.BySize(700, IncompleteChunk.Append),
    };

    private static FittedCbpe Fitted()
    {
        var random = new Random(5);
        const int n = 8_000;
        var s = new double[n];
        var yHat = new double[n];
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            s[i] = Math.Round(random.NextDouble(), 2);
            yHat[i] = s[i] >= 0.5 ? 1 : 0;
            y[i] = random.NextDouble() < s[i] ? 1 : 0;
        }

        return Cbpe.Fit(new PredictionSet(s, yHat, y), Options);
    }

    /// <summary>Writes row groups of the given sizes: nullable or required double scores, nullable or required int64 labels.</summary>
    private async Task<string> WriteAsync(string name, bool nullable, int[] groups, long? badLabelAt = null)
    {
        var path = _files.PathOf(name);
        var score = nullable ? (DataField)new DataField<double?>("y_pred_proba") : new DataField<double>("y_pred_proba");
        var prediction = nullable ? (DataField)new DataField<long?>("y_pred") : new DataField<long>("y_pred");
        var target = new DataField<long?>("y_true");
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(score, prediction, target), stream);
        var random = new Random(9);
        long row = 0;
        foreach (var count in groups)
        {
            var s = new double?[count];
            var yHat = new long?[count];
            var y = new long?[count];
            for (var i = 0; i < count; i++, row++)
            {
                s[i] = nullable && row % 97 == 0 ? null : Math.Round(random.NextDouble(), 2);
                yHat[i] = nullable && row % 89 == 0 ? null : (s[i] ?? 0.5) >= 0.5 ? 1 : 0;
                yHat[i] = row == badLabelAt ? 2 : yHat[i];
                y[i] = row % 5 == 0 ? null : random.NextDouble() < (s[i] ?? 0.5) ? 1 : 0;
            }

            using var group = writer.CreateRowGroup();
            if (nullable)
            {
                await group.WriteAsync<double>(score, s);
                await group.WriteAsync<long>(prediction, yHat);
            }
            else
            {
                await group.WriteAsync<double>(score, s.Select(v => v!.Value).ToArray());
                await group.WriteAsync<long>(prediction, yHat.Select(v => v!.Value).ToArray());
            }

            await group.WriteAsync<long>(target, y);
        }

        return path;
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(true, 2)]
    public async Task Streamed_EqualsWholeFileEstimate(bool nullable, int threads)
    {
        var path = await WriteAsync("a.parquet", nullable, [3_000, 250, 4_100, 1, 2_222]);
        var mapping = new ColumnMapping { YTrue = "y_true" };
        var fitted = Fitted();
        var compute = new ComputeOptions { MaxDegreeOfParallelism = threads };

        var whole = await PredictionFileReader.ReadAsync(path, mapping, requireTargets: false, requirePredictions: true);
        var expected = fitted.Estimate(whole.Set, "m", compute);
        var actual = await StreamingFileEstimator.EstimateFileAsync(path, mapping, fitted, "m", compute);

        Assert.Equal(expected.RowsMissingScore, actual.RowsMissingScore);
        Assert.Equal(expected.RowsMissingPrediction, actual.RowsMissingPrediction);
        Assert.Equal(nullable ? 99 : 0, actual.RowsMissingScore);
        Assert.Equal(expected.Rows, actual.Rows);
        Assert.Contains(actual.Rows, r => r.Period == Period.Analysis && r.Realized is double v && !double.IsNaN(v));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Streamed_NamesTheFileRow_OfABadLabel(bool nullable)
    {
        var path = await WriteAsync("bad.parquet", nullable, [3_000, 3_000], badLabelAt: 4_321);
        var e = await Assert.ThrowsAsync<EstimatorDataException>(() => StreamingFileEstimator.EstimateFileAsync(path, new ColumnMapping(), Fitted(), "m"));

        Assert.Equal(path, e.File);
        Assert.Equal("y_pred", e.Column);
        Assert.Equal(4_321, e.Row);
        Assert.Contains("value 2 is not a label (expected 0 or 1)", e.Message, StringComparison.Ordinal);
    }
}
