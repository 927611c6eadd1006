using System.Globalization;
using Estimator.Calculators;
using Estimator.Drift;
using Estimator.Estimation;

namespace Estimator.Tests.Drift;

/// <summary>
/// The root-cause ranking: on NannyML's own drift output for the car-loan data (its alerts are the oracle), and on
/// hand-made rows whose order follows from the ranking's rule by inspection.
/// </summary>
public sealed class RootCauseTests
{
    private static readonly DateTime Start = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>NannyML's drift rows of the car-loan analysis chunks, as the store would hold them.</summary>
    private static List<ChunkEstimate> NannyMlRows()
    {
        using var expected = DriftGoldenTests.Expected("drift_chunk_size_5000");
        var categorical = expected.RootElement.GetProperty("categorical_columns").EnumerateArray().Select(c => c.GetString()!).ToHashSet();
        var rows = new List<ChunkEstimate>();
        foreach (var chunk in expected.RootElement.GetProperty("chunks").EnumerateArray().Where(c => c.GetProperty("period").GetString() == "analysis"))
        {
            var index = chunk.GetProperty("chunk_index").GetInt32();
            var c = new Chunk(chunk.GetProperty("key").GetString()!, index, chunk.GetProperty("start_index").GetInt64(), chunk.GetProperty("end_index").GetInt64(), null, null);
            foreach (var column in chunk.GetProperty("columns").EnumerateObject())
            {
                foreach (var method in column.Value.EnumerateObject())
                {
                    var m = method.Value;
                    double? Optional(string name) => m.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.Number ? v.GetDouble() : null;
                    rows.Add(new ChunkEstimate(c, Period.Analysis, method.Name, m.GetProperty("value").GetDouble(), double.NaN, double.NaN, double.NaN,
                        Optional("lower_threshold"), Optional("upper_threshold"), m.GetProperty("alert").GetBoolean(), null, null)
                    {
                        Calculator = CalculatorKind.UnivariateDrift,
                        Column = column.Name,
                        ColumnKind = categorical.Contains(column.Name) ? "categorical" : "continuous",
                        PValue = Optional("p_value"),
                    });
                }
            }
        }

        return rows;
    }

    [Fact]
    public void Rank_NamesEveryColumnNannyMlAlertedOn_InTheAlertingChunks()
    {
        var rows = NannyMlRows();
        int[] alerting = [5, 6, 7, 8, 9];

        var evidence = RootCause.Rank(rows, alerting, top: 100);

        // The oracle: per column, the chunks among 5..9 where any of NannyML's methods alerted.
        var expected = rows.Where(r => alerting.Contains(r.Chunk.Index) && r.Alert)
            .GroupBy(r => r.Column!).ToDictionary(g => g.Key, g => g.Select(r => r.Chunk.Index).Distinct().Count());
        Assert.Equal(expected.Keys.Order(), evidence.Where(e => e.AlertingChunks > 0).Select(e => e.Column).Order());
        Assert.All(evidence, e => Assert.Equal(expected.GetValueOrDefault(e.Column), e.AlertingChunks));
        Assert.Equal(rows.Select(r => r.Column).Distinct().Count(), evidence.Count);
        for (var i = 1; i < evidence.Count; i++)
        {
            Assert.True(evidence[i - 1].AlertingChunks >= evidence[i].AlertingChunks, $"{evidence[i - 1].Column} before {evidence[i].Column}");
        }

        // Each column is reported with its method's value in the latest alerting chunk (9), as NannyML computed it.
        foreach (var e in evidence)
        {
            var latest = rows.Single(r => r.Chunk.Index == 9 && r.Column == e.Column && r.Metric == e.Method);
            Assert.Equal(latest.Estimated, e.Value);
            Assert.Equal(latest.UpperThreshold, e.UpperThreshold);
            Assert.Equal(latest.Alert, e.Alert);
            Assert.Equal(5, e.Chunks);
        }

        // The default carries the five strongest, the same as the head of the full ranking.
        Assert.Equal(evidence.Take(RootCause.DefaultTop), RootCause.Rank(rows, alerting));
    }

    [Fact]
    public void Rank_FindsNoAlertingColumn_InChunksWithoutDrift()
    {
        var rows = NannyMlRows();
        int[] quiet = [0, 1, 2, 3, 4];
        var alerted = rows.Where(r => quiet.Contains(r.Chunk.Index) && r.Alert).Select(r => r.Column).Distinct().ToList();

        var evidence = RootCause.Rank(rows, quiet, top: 100);

        Assert.Equal(alerted.Order(), evidence.Where(e => e.AlertingChunks > 0).Select(e => e.Column).Order());
    }

    [Fact]
    public void Rank_OrdersByAlertingChunksThenExceedanceThenName()
    {
        List<ChunkEstimate> rows =
        [
            // a: alerts in both chunks, 2× and 4× its threshold → exceedance 3.
            Row("a", "jensen_shannon", 0, 0.2, upper: 0.1, alert: true),
            Row("a", "jensen_shannon", 1, 0.4, upper: 0.1, alert: true),

            // b: alerts in both chunks by chi2 (p = 0.05² and 0.05⁴ → 2 and 4) → exceedance 3 as well; quiet by l_infinity.
            Row("b", "chi2", 0, 10, p: 0.0025, alert: true),
            Row("b", "chi2", 1, 20, p: 0.00000625, alert: true),
            Row("b", "l_infinity", 0, 0.01, upper: 0.1, alert: false),
            Row("b", "l_infinity", 1, 0.01, upper: 0.1, alert: false),

            // c: alerts in one chunk only, but far past its threshold (10× and 30× → 20).
            Row("c", "wasserstein", 0, 1, upper: 0.1, alert: true),
            Row("c", "wasserstein", 1, 3, upper: 0.1, alert: false),

            // d: alerts in both by hellinger (1.5× → 1.5) — fewer standard deviations than a and b.
            Row("d", "hellinger", 0, 0.15, upper: 0.1, alert: true),
            Row("d", "hellinger", 1, 0.15, upper: 0.1, alert: true),

            // e: never alerts; not an alerting chunk's row either (chunk 2 is not in the set).
            Row("e", "jensen_shannon", 0, 0.05, upper: 0.1, alert: false),
            Row("e", "jensen_shannon", 2, 0.9, upper: 0.1, alert: true),

            // Rows that are not univariate drift are ignored.
            Row("a", "jensen_shannon", 0, 99, upper: 0.1, alert: true) with { Calculator = CalculatorKind.MissingValues },
        ];

        var evidence = RootCause.Rank(rows, [0, 1], top: 10);

        Assert.Equal(["a", "b", "d", "c", "e"], evidence.Select(e => e.Column));
        Assert.Equal([2, 2, 2, 1, 0], evidence.Select(e => e.AlertingChunks));
        Assert.Equal(3, evidence[0].Exceedance, 12);
        Assert.Equal(3, evidence[1].Exceedance, 12);
        Assert.Equal("chi2", evidence[1].Method);
        Assert.Equal(0.00000625, evidence[1].PValue);
        Assert.Equal(1, evidence[4].Chunks);
        Assert.Equal(["a", "b"], RootCause.Rank(rows, [0, 1], top: 2).Select(e => e.Column));
        Assert.Empty(RootCause.Rank(rows, [7]));
    }

    [Fact]
    public void Rank_PutsTheColumnTheDomainClassifierUsedMostFirst_AmongColumnsAlertingEqually()
    {
        List<ChunkEstimate> rows =
        [
            Row("a", "jensen_shannon", 0, 0.9, upper: 0.1, alert: true),
            Row("b", "jensen_shannon", 0, 0.2, upper: 0.1, alert: true),
            Row("c", "jensen_shannon", 0, 0.3, upper: 0.1, alert: true),
            Importance("a", 0, 0.1), Importance("b", 0, 0.7), Importance("c", 0, 0.2),
            Importance("a", 1, 0.9), // not an alerting chunk
        ];

        var evidence = RootCause.Rank(rows, [0]);

        // By exceedance alone a (9×) would lead; the classifier split on b most.
        Assert.Equal(["b", "c", "a"], evidence.Select(e => e.Column));
        Assert.Equal([0.7, 0.2, 0.1], evidence.Select(e => e.Importance!.Value));
        Assert.Null(RootCause.Rank(rows.Take(3), [0])[0].Importance);
        Assert.Equal("a", RootCause.Rank(rows.Take(3), [0])[0].Column);
    }

    private static ChunkEstimate Importance(string column, int chunk, double share) =>
        Row(column, RootCause.ImportanceMethod, chunk, share) with { Calculator = CalculatorKind.DomainClassifier };

    [Fact]
    public void Exceedance_IsOneAtTheThreshold_ForEveryKindOfRule()
    {
        Assert.Equal(1, RootCause.Exceedance(Row("x", "jensen_shannon", 0, 0.1, upper: 0.1, alert: false)), 12);
        Assert.Equal(1, RootCause.Exceedance(Row("x", "chi2", 0, 3.84, p: 0.05, alert: false)), 12);
        Assert.Equal(2, RootCause.Exceedance(Row("x", "reconstruction_error", 0, 0.5, upper: 2, alert: true) with { LowerThreshold = 1 }), 12);
        Assert.True(double.IsNaN(RootCause.Exceedance(Row("x", "jensen_shannon", 0, double.NaN, upper: 0.1, alert: false))));
        Assert.True(double.IsNaN(RootCause.Exceedance(Row("x", "jensen_shannon", 0, 0.3, alert: false))));
    }

    private static ChunkEstimate Row(string column, string method, int chunk, double value, double? upper = null, double? p = null, bool alert = false) =>
        new(new Chunk(string.Create(CultureInfo.InvariantCulture, $"[{chunk * 10}:{(chunk * 10) + 9}]"), chunk, chunk * 10, (chunk * 10) + 9, Start.AddDays(chunk), Start.AddDays(chunk + 1)),
            Period.Analysis, method, value, double.NaN, double.NaN, double.NaN, null, upper, alert, null, null)
        {
            Calculator = CalculatorKind.UnivariateDrift,
            Column = column,
            ColumnKind = method is "chi2" or "l_infinity" ? "categorical" : "continuous",
            PValue = p,
        };
}
