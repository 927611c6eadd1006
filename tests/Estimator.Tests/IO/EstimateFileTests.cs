using Estimator.Calibration;
using Estimator.Estimation;
using Estimator.IO;
using Parquet;

namespace Estimator.Tests.IO;

/// <summary>Estimate files: round trips in all formats, exact Parquet schema, atomic writes.</summary>
public sealed class EstimateFileTests : IDisposable
{
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static readonly DateTime Jan1 = new(2018, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly DateTime At = new(2026, 11, 23, 10, 0, 0, 123, DateTimeKind.Utc);

    /// <summary>The hand-made result as records of a provisional job run.</summary>
    private static IReadOnlyList<EstimateRecord> Records() => EstimateRecord.FromResult(Result(), At, "run-1", provisional: true);

    /// <summary>Hand-made rows: thresholds null, NaN estimate, null dates, realized missing, one without labels.</summary>
    private static CbpeResult Result(string model = "car \"loan\", v2")
    {
        var c0 = new Chunk("[0:4999]", 0, 0, 4999, Jan1, new DateTime(2018, 2, 5, 17, 51, 16, 848, DateTimeKind.Utc));
        var c1 = new Chunk("[5000:9999]", 1, 5000, 9999, null, null);
        var c2 = new Chunk("2018-10", 0, 10000, 10499, new DateTime(2018, 10, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2018, 10, 31, 23, 59, 59, 999, DateTimeKind.Utc).AddTicks(9999));
        ChunkEstimate[] rows =
        [
            new(c0, Period.Reference, "roc_auc", 0.9712345678901234, 0.0017, 0.9661, 0.9763, 0.96, 0.98, false, 0.97, 0.0) { Estimator = "weighted", EffectiveSampleSize = 8123.25, DomainAuc = 0.5875, EstimatedPrior = double.NaN, PriorLikelihoodRatio = 0.25, EstimatorReason = "covariate shift, \"moving\" P(y|score): 4.2 SE, ESS 8123" },
            new(c1, Period.Reference, "f1", double.NaN, 0.01, double.NaN, double.NaN, null, null, true, null, null),
            new(c2, Period.Analysis, "true_positive", 1234.5, 1e-17, -0.1, 2e300, null, 0.5, true, double.NaN, 0.25),
        ];
        return new CbpeResult(model, rows, new CalibrationReport(CalibrationMode.Never, false, double.NaN, double.NaN, "never"), 0, 0);
    }

    private static readonly EstimateRecord[] Expected =
    [
        new(5, "car \"loan\", v2", "[0:4999]", 0, 0, 4999, Jan1, new DateTime(2018, 2, 5, 17, 51, 16, 848, DateTimeKind.Utc), "reference", 5000, "roc_auc",
            0.9712345678901234, 0.0017, 0.9661, 0.9763, 0.96, 0.98, false, 0.97, 0.0, false, At, "run-1", null, "weighted", 8123.25, 0.5875, null, 0.25, "covariate shift, \"moving\" P(y|score): 4.2 SE, ESS 8123"),
        new(5, "car \"loan\", v2", "[5000:9999]", 1, 5000, 9999, null, null, "reference", 5000, "f1",
            null, 0.01, null, null, null, null, true, null, null, false, At, "run-1"),
        new(5, "car \"loan\", v2", "2018-10", 0, 10000, 10499, new DateTime(2018, 10, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2018, 10, 31, 23, 59, 59, 999, DateTimeKind.Utc).AddTicks(9990),
            "analysis", 500, "true_positive", 1234.5, 1e-17, -0.1, 2e300, null, 0.5, true, null, 0.25, true, At, "run-1"),
    ];

    [Theory]
    [InlineData("estimates.parquet")]
    [InlineData("estimates.csv")]
    [InlineData("estimates.json")]
    public void Write_RoundTripsEveryColumn_WhenReadBack(string name)
    {
        var path = _files.PathOf(name);

        EstimateFileWriter.Write(Records(), path);
        var records = EstimateFileReader.Read(path);

        // Parquet stores microseconds: the last tick digit of c2's end date is lost there; text formats keep all 7 digits.
        var expected = name.EndsWith(".parquet", StringComparison.Ordinal)
            ? Expected
            : [Expected[0], Expected[1], Expected[2] with { ChunkEndDate = new DateTime(2018, 10, 31, 23, 59, 59, 999, DateTimeKind.Utc).AddTicks(9999) }];
        Assert.Equal(expected, records);
        Assert.All(records.Where(r => r.ChunkStartDate is not null), r => Assert.Equal(DateTimeKind.Utc, r.ChunkStartDate!.Value.Kind));
    }

    [Fact]
    public void Write_ProducesExactCsvText_WhenFormatIsCsv()
    {
        var path = _files.PathOf("estimates.csv");

        EstimateFileWriter.Write(Records(), path);
        var lines = File.ReadAllText(path).Split("\r\n");

        Assert.Equal(
            "schema_version,model,chunk_key,chunk_index,chunk_start_index,chunk_end_index,chunk_start_date,chunk_end_date,period,chunk_rows,metric,"
            + "estimated,sampling_error,lower_confidence_bound,upper_confidence_bound,lower_threshold,upper_threshold,alert,realized,targets_missing_rate,"
            + "provisional,estimated_at,run_id,class,estimator,effective_sample_size,domain_auc,estimated_prior,prior_likelihood_ratio,estimator_reason",
            lines[0]);
        Assert.Equal(
            "5,\"car \"\"loan\"\", v2\",[0:4999],0,0,4999,2018-01-01T00:00:00.0000000Z,2018-02-05T17:51:16.8480000Z,reference,5000,roc_auc,"
            + "0.9712345678901234,0.0017,0.9661,0.9763,0.96,0.98,false,0.97,0,false,2026-11-23T10:00:00.1230000Z,run-1,,weighted,8123.25,0.5875,,0.25,\"covariate shift, \"\"moving\"\" P(y|score): 4.2 SE, ESS 8123\"",
            lines[1]);
        Assert.Equal("5,\"car \"\"loan\"\", v2\",[5000:9999],1,5000,9999,,,reference,5000,f1,,0.01,,,,,true,,,false,2026-11-23T10:00:00.1230000Z,run-1,,,,,,,", lines[2]);
        Assert.Equal(5, lines.Length);
        Assert.Equal("", lines[4]);
    }

    [Fact]
    public void Write_ProducesNullsInJson_WhenValuesAreMissing()
    {
        var path = _files.PathOf("estimates.json");

        EstimateFileWriter.Write(Records(), path);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));

        var second = doc.RootElement[1];
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("estimated").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("chunk_start_date").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("lower_threshold").ValueKind);
        Assert.Equal("2018-01-01T00:00:00.0000000Z", doc.RootElement[0].GetProperty("chunk_start_date").GetString());
        Assert.Equal(3, doc.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Write_UsesExactParquetSchema_WhenFormatIsParquet()
    {
        var path = _files.PathOf("estimates.parquet");

        EstimateFileWriter.Write(Records(), path);
        await using var reader = await ParquetReader.CreateAsync(path);

        (string Name, Type Type, bool Nullable)[] expected =
        [
            ("schema_version", typeof(int), false), ("model", typeof(string), false), ("chunk_key", typeof(string), false),
            ("chunk_index", typeof(int), false), ("chunk_start_index", typeof(long), false), ("chunk_end_index", typeof(long), false),
            ("chunk_start_date", typeof(DateTime), true), ("chunk_end_date", typeof(DateTime), true), ("period", typeof(string), false),
            ("chunk_rows", typeof(long), false), ("metric", typeof(string), false), ("estimated", typeof(double), true),
            ("sampling_error", typeof(double), true), ("lower_confidence_bound", typeof(double), true), ("upper_confidence_bound", typeof(double), true),
            ("lower_threshold", typeof(double), true), ("upper_threshold", typeof(double), true), ("alert", typeof(bool), false),
            ("realized", typeof(double), true), ("targets_missing_rate", typeof(double), true),
            ("provisional", typeof(bool), false), ("estimated_at", typeof(DateTime), true), ("run_id", typeof(string), true),
            ("class", typeof(string), true), ("estimator", typeof(string), true), ("effective_sample_size", typeof(double), true),
            ("domain_auc", typeof(double), true), ("estimated_prior", typeof(double), true), ("prior_likelihood_ratio", typeof(double), true),
            ("estimator_reason", typeof(string), true),
        ];
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(expected.Select(e => e.Name), fields.Select(f => f.Name));
        foreach (var (field, e) in fields.Zip(expected))
        {
            var clr = field.ClrType == typeof(ReadOnlyMemory<char>) ? typeof(string) : field.ClrType;
            Assert.True(clr == e.Type, $"{field.Name}: {field.ClrType} != {e.Type}");
            Assert.True(field.IsNullable == e.Nullable || e.Type == typeof(string), $"{field.Name}: nullable {field.IsNullable}");
        }

        Assert.Equal(1, reader.RowGroupCount);
        var date = Assert.IsType<Parquet.Schema.DateTimeDataField>(fields[6]);
        Assert.True(date.IsAdjustedToUTC);
        var meta = reader.Metadata!.RowGroups[0].Columns[0].MetaData!;
        Assert.Equal(Parquet.Meta.CompressionCodec.SNAPPY, meta.Codec);
    }

    [Fact]
    public void Write_LeavesExistingFileUntouchedAndNoTempFile_WhenARowHasNoChunk()
    {
        var path = _files.WriteText("estimates.csv", "previous content\n");
        var before = File.ReadAllBytes(path);
        var good = Result().Rows[0];
        var broken = new CbpeResult("m", [good, good with { Chunk = null! }], Result().Calibration, 0, 0);

        Assert.Throws<ArgumentException>(() => EstimateFileWriter.Write(broken, path));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_files.Directory));
    }

    [Theory]
    [InlineData("estimates.parquet")]
    [InlineData("estimates.csv")]
    [InlineData("estimates.json")]
    public async Task Write_LeavesExistingFileUntouchedAndNoTempFile_WhenCommitFails(string name)
    {
        var path = _files.PathOf(name);
        EstimateFileWriter.Write(Result("first"), path);
        var before = File.ReadAllBytes(path);
        string? seenTemp = null;

        await Assert.ThrowsAsync<IOException>(() => EstimateFileWriter.WriteCoreAsync(
            Result("second"),
            path,
            temp =>
            {
                seenTemp = temp;
                Assert.True(File.Exists(temp));
                throw new IOException("disk full (injected)");
            },
            CancellationToken.None));

        Assert.NotNull(seenTemp);
        Assert.StartsWith("." + name + ".", Path.GetFileName(seenTemp), StringComparison.Ordinal);
        Assert.False(File.Exists(seenTemp));
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(_files.Directory));
    }

    [Fact]
    public void Write_ThrowsAndWritesNothing_WhenExtensionIsUnknown()
    {
        var path = _files.PathOf("estimates.xlsx");

        Assert.Throws<ArgumentException>(() => EstimateFileWriter.Write(Result(), path));

        Assert.Empty(Directory.GetFiles(_files.Directory));
    }

    [Fact]
    public void Write_ReplacesExistingFile_WhenWriteSucceeds()
    {
        var path = _files.WriteText("estimates.json", "old");

        EstimateFileWriter.Write(Records(), path);

        Assert.Equal(3, EstimateFileReader.Read(path).Count);
    }

    [Fact]
    public void Read_ThrowsNamingFile_WhenColumnsDoNotMatchSchema()
    {
        var path = _files.WriteText("other.csv", "a,b\n1,2\n");

        var ex = Assert.Throws<EstimatorDataException>(() => EstimateFileReader.Read(path));

        Assert.Contains("other.csv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToDataFrame_HasFileColumnsInOrderWithNulls_WhenConvertingResult()
    {
        var frame = Result().ToDataFrame();

        Assert.Equal(
            new[]
            {
                "schema_version", "model", "chunk_key", "chunk_index", "chunk_start_index", "chunk_end_index", "chunk_start_date", "chunk_end_date",
                "period", "chunk_rows", "metric", "estimated", "sampling_error", "lower_confidence_bound", "upper_confidence_bound", "lower_threshold",
                "upper_threshold", "alert", "realized", "targets_missing_rate", "estimator", "effective_sample_size",
                "domain_auc", "estimated_prior", "prior_likelihood_ratio", "estimator_reason",
            },
            frame.Columns.Select(c => c.Name));
        Assert.Equal(
            new[]
            {
                typeof(int), typeof(string), typeof(string), typeof(int), typeof(long), typeof(long), typeof(DateTime), typeof(DateTime),
                typeof(string), typeof(long), typeof(string), typeof(double), typeof(double), typeof(double), typeof(double), typeof(double),
                typeof(double), typeof(bool), typeof(double), typeof(double), typeof(string), typeof(double),
                typeof(double), typeof(double), typeof(double), typeof(string),
            },
            frame.Columns.Select(c => c.DataType));
        Assert.Equal(3, frame.Rows.Count);
        Assert.Null(frame["estimated"][1]);
        Assert.Null(frame["chunk_start_date"][1]);
        Assert.Null(frame["realized"][2]);
        Assert.Equal(0.9712345678901234, frame["estimated"][0]);
        Assert.Equal("analysis", frame["period"][2]);
        Assert.Equal(500L, frame["chunk_rows"][2]);

        // A row with an estimator (a shift-aware result's) brings the estimate file's columns 25–30, null elsewhere (and NaN as null).
        Assert.Equal("weighted", frame["estimator"][0]);
        Assert.Equal(8123.25, frame["effective_sample_size"][0]);
        Assert.Equal(2, frame["effective_sample_size"].NullCount);
        Assert.Equal(0.5875, frame["domain_auc"][0]);
        Assert.Null(frame["estimated_prior"][0]);
        Assert.Equal(0.25, frame["prior_likelihood_ratio"][0]);
        Assert.StartsWith("covariate shift", (string)frame["estimator_reason"][0], StringComparison.Ordinal);
        Assert.Equal(2, frame["estimator_reason"].NullCount);
    }
}
