using Estimator.Estimation;
using Estimator.Metrics;

namespace Estimator.Tests.Estimation;

public sealed class StreamingEstimateTests
{
    private static PredictionSet Generated(int n, int seed, bool withTimestamps)
    {
        var random = new Random(seed);
        var s = new double[n];
        var yHat = new double[n];
        var y = new double[n];
        var ts = new DateTime[n];
        var t = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < n; i++)
        {
            s[i] = i % 101 == 0 ? double.NaN : Math.Round(random.NextDouble(), 2);
            yHat[i] = s[i] >= 0.5 ? 1 : 0;
            y[i] = i % 7 == 0 ? double.NaN : random.NextDouble() < (double.IsNaN(s[i]) ? 0.5 : s[i]) ? 1 : 0;
            t = t.AddMinutes(random.Next(0, 30));
            ts[i] = t;
        }

        return new PredictionSet(s, yHat, y, withTimestamps ? ts : null);
    }

    private static PredictionSet Slice(PredictionSet set, int start, int count) => new(
        set.Scores.AsSpan(start, count).ToArray(),
        set.Predictions?.AsSpan(start, count).ToArray(),
        set.Targets?.AsSpan(start, count).ToArray(),
        set.Timestamps?.AsSpan(start, count).ToArray());

    private static CbpeResult Stream(FittedCbpe fitted, PredictionSet analysis, int seed, int threads)
    {
        var random = new Random(seed);
        var stream = fitted.BeginStreaming(analysis.Count, new ComputeOptions { MaxDegreeOfParallelism = threads });
        for (var start = 0; start < analysis.Count;)
        {
            var count = Math.Min(analysis.Count - start, random.Next(1, 9_000));
            stream.Append(Slice(analysis, start, count));
            start += count;
        }

        Assert.Equal(analysis.Count, stream.RowsRead);
        return stream.Complete("m");
    }

    private static void AssertSame(CbpeResult expected, CbpeResult actual)
    {
        Assert.Equal(expected.Rows.Count, actual.Rows.Count);
        Assert.Equal(expected.RowsMissingScore, actual.RowsMissingScore);
        Assert.Equal(expected.RowsMissingPrediction, actual.RowsMissingPrediction);
        for (var i = 0; i < expected.Rows.Count; i++)
        {
            // Records: every field, doubles by value (NaN equals NaN), so identical bits up to the sign of zero.
            Assert.Equal(expected.Rows[i], actual.Rows[i]);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Rows[i].Estimated), BitConverter.DoubleToInt64Bits(actual.Rows[i].Estimated));
        }
    }

    [Theory]
    [InlineData(IncompleteChunk.Keep, 1)]
    [InlineData(IncompleteChunk.Drop, 2)]
    [InlineData(IncompleteChunk.Append, 2)]
    public void Streaming_EqualsInMemoryEstimate_WhenChunkedBySize(IncompleteChunk incomplete, int threads)
    {
        var options = new CbpeOptions
        {
            Metrics = [Metric.RocAuc, Metric.AveragePrecision, Metric.Precision, Metric.Recall, Metric.ConfusionMatrix],
            Chunking = Chunking.BySize(4_000, incomplete),
        };
        var fitted = Cbpe.Fit(Generated(30_000, 1, true), options);
        var analysis = Generated(41_234, 2, true);

        AssertSame(fitted.Estimate(analysis, "m"), Stream(fitted, analysis, 3, threads));
    }

    [Theory]
    [InlineData(IncompleteChunk.Keep, 4_000, 1)]
    [InlineData(IncompleteChunk.Keep, 4_000, 2)]
    [InlineData(IncompleteChunk.Drop, 4_000, 2)]
    [InlineData(IncompleteChunk.Append, 4_000, 2)]
    [InlineData(IncompleteChunk.Append, 15_000, 2)]
    [InlineData(IncompleteChunk.Keep, 300, 2)]
    public void Streaming_EqualsInMemoryEstimate_WhenChunkedBySize_WithoutTimestamps(IncompleteChunk incomplete, int size, int threads)
    {
        // Without timestamps, whole chunks are estimated straight from each batch and only a chunk spanning batches is buffered.
        var options = new CbpeOptions
        {
            Metrics = [Metric.RocAuc, Metric.AveragePrecision, Metric.Precision, Metric.Recall, Metric.ConfusionMatrix],
            Chunking = Chunking.BySize(size, incomplete),
        };
        var fitted = Cbpe.Fit(Generated(30_000, 1, false), options);
        var analysis = Generated(41_234, 2, false);

        AssertSame(fitted.Estimate(analysis, "m"), Stream(fitted, analysis, 3, threads));
    }

    [Fact]
    public void Streaming_EqualsInMemoryEstimate_WhenChunkedByPeriodOrNumber()
    {
        var reference = Generated(30_000, 1, true);
        var analysis = Generated(20_000, 2, true);
        foreach (var chunking in new[] { Chunking.ByPeriod(ChunkPeriod.Week), Chunking.ByNumber(7), Chunking.Default })
        {
            var fitted = Cbpe.Fit(reference, new CbpeOptions { Chunking = chunking });
            AssertSame(fitted.Estimate(analysis, "m"), Stream(fitted, analysis, 4, 2));
        }
    }

    [Fact]
    public void Streaming_Fails_WhenTimestampsGoBackwards_WithPeriodChunking()
    {
        var fitted = Cbpe.Fit(Generated(20_000, 1, true), new CbpeOptions { Chunking = Chunking.ByPeriod(ChunkPeriod.Day) });
        var analysis = Generated(5_000, 2, true);
        var stream = fitted.BeginStreaming(0);
        stream.Append(Slice(analysis, 2_000, 1_000));

        var error = Assert.Throws<EstimatorDataException>(() => stream.Append(Slice(analysis, 0, 1_000)));

        Assert.Equal(1_000, error.Row); // the first row of the second batch, counted from the start
        Assert.Contains("ascending timestamp order", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Streaming_Fails_WhenFewerRowsArriveThanAnnounced()
    {
        var fitted = Cbpe.Fit(Generated(20_000, 1, false), new CbpeOptions { Chunking = Chunking.BySize(1_000) });
        var stream = fitted.BeginStreaming(5_000);
        stream.Append(Slice(Generated(4_000, 2, false), 0, 4_000));

        Assert.Throws<EstimatorDataException>(() => stream.Complete());
    }
}
