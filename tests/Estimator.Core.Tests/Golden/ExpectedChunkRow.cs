using System.Globalization;
using System.Text.Json;
using Estimator.Estimation;
using Estimator.Metrics;

namespace Estimator.Tests.Golden;

/// <summary>
/// One chunk × metric row of a NannyML fixture (<c>chunks[].metrics.&lt;metric&gt;</c>) against the engine's row: the chunk's
/// key, index, bounds of rows and dates exactly; estimate, sampling error, bounds, thresholds and realized value within
/// the given tolerances; the alert flag identical.
/// </summary>
/// <param name="Exact">Tolerance on estimated, thresholds and realized.</param>
/// <param name="Relative">Relative tolerance on the sampling error.</param>
/// <param name="Bounds">Tolerance on the confidence bounds.</param>
internal sealed record ExpectedChunkRow(double Exact, double Relative, double Bounds)
{
    public void AssertMatches(JsonElement chunk, Metric metric, Period period, ChunkEstimate actual, string name)
    {
        var e = chunk.GetProperty("metrics").GetProperty(metric.ToName());
        var where = $"{name} {period} chunk {chunk.GetProperty("key").GetString()} {metric.ToName()}";

        Assert.Equal(metric.ToName(), actual.Metric);
        Assert.Equal(period, actual.Period);
        Assert.Equal(chunk.GetProperty("key").GetString(), actual.Chunk.Key);
        Assert.Equal(chunk.GetProperty("chunk_index").GetInt32(), actual.Chunk.Index);
        Assert.Equal(chunk.GetProperty("start_index").GetInt64(), actual.Chunk.StartIndex);
        Assert.Equal(chunk.GetProperty("end_index").GetInt64(), actual.Chunk.EndIndex);
        Assert.Equal(chunk.GetProperty("n_rows").GetInt64(), actual.Chunk.Rows);
        AssertDate(chunk.GetProperty("start_date"), actual.Chunk.StartDate, where);
        AssertDate(chunk.GetProperty("end_date"), actual.Chunk.EndDate, where);

        AssertClose(e, "estimated", actual.Estimated, Exact, where);
        AssertRelative(e, "sampling_error", actual.SamplingError, Relative, where);
        AssertClose(e, "upper_confidence_bound", actual.UpperConfidenceBound, Bounds, where);
        AssertClose(e, "lower_confidence_bound", actual.LowerConfidenceBound, Bounds, where);
        AssertClose(e, "upper_threshold", actual.UpperThreshold ?? double.NaN, Exact, where);
        AssertClose(e, "lower_threshold", actual.LowerThreshold ?? double.NaN, Exact, where);
        Assert.True(e.GetProperty("alert").GetBoolean() == actual.Alert, $"{where}: alert");

        // Reference chunks carry CBPE's own realized value; analysis chunks PerformanceCalculator's.
        var realizedField = period == Period.Reference ? "cbpe_realized" : "realized";
        Assert.NotNull(actual.Realized);
        AssertClose(e, realizedField, actual.Realized!.Value, Exact, where);
        Assert.Equal(0, actual.TargetsMissingRate);
    }

    public static void AssertClose(JsonElement e, string field, double actual, double tolerance, string where)
    {
        var p = e.GetProperty(field);
        if (p.ValueKind == JsonValueKind.Null)
        {
            Assert.True(double.IsNaN(actual), $"{where}: {field} expected NaN, got {actual}");
            return;
        }

        var expected = p.GetDouble();
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{where}: {field} expected {expected:R}, got {actual:R}");
    }

    public static void AssertRelative(JsonElement e, string field, double actual, double tolerance, string where)
    {
        var expected = e.GetProperty(field).GetDouble();
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Abs(expected), $"{where}: {field} expected {expected:R}, got {actual:R}");
    }

    public static void AssertDate(JsonElement e, DateTime? actual, string where)
    {
        // Python prints up to nanoseconds; .NET resolves 100 ns, so compare to a microsecond.
        var text = e.GetString()!;
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 && text.Length - dot - 1 > 7)
        {
            text = text[..(dot + 8)];
        }

        var expected = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        Assert.NotNull(actual);
        Assert.True(Math.Abs((expected - actual!.Value).Ticks) <= 10, $"{where}: date expected {text}, got {actual:O}");
    }
}
