using Estimator.IO;
using Parquet.Schema;

namespace Estimator.Tests.IO;

/// <summary>Every kind of bad input gives an <see cref="EstimatorDataException"/> that names the file, the column and the row.</summary>
public sealed class PredictionFileReaderErrorTests : IDisposable
{
    private static readonly ColumnMapping Mapping = new() { YTrue = "y_true", Timestamp = "ts" };
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static EstimatorDataException ReadFails(string path, ColumnMapping? mapping = null)
    {
        var m = mapping ?? Mapping;
        return Assert.Throws<EstimatorDataException>(
            () => PredictionFileReader.Read(path, m, requireTargets: m.YTrue is not null, requirePredictions: m.YPred is not null));
    }

    private static void AssertLocated(EstimatorDataException ex, string path, string? column, long? row)
    {
        Assert.Contains(Path.GetFileName(path), ex.Message, StringComparison.Ordinal);
        Assert.Equal(path, ex.File);
        Assert.Equal(column, ex.Column);
        Assert.Equal(row, ex.Row);
        if (column is not null)
        {
            Assert.Contains($"column '{column}'", ex.Message, StringComparison.Ordinal);
        }

        if (row is not null)
        {
            Assert.Contains($"row {row}", ex.Message, StringComparison.Ordinal);
        }

        Assert.DoesNotContain('\n', ex.Message);
    }

    private string Csv(string name, params string[] dataLines) =>
        _files.WriteText(name, "y_pred_proba,y_pred,y_true,ts\n" + string.Join("\n", dataLines) + "\n");

    [Fact]
    public void Read_ThrowsNamingFile_WhenFileIsMissing()
    {
        var path = _files.PathOf("nope.parquet");

        var ex = ReadFails(path);

        AssertLocated(ex, path, null, null);
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsNamingFile_WhenExtensionIsUnknown()
    {
        var path = _files.WriteText("data.txt", "y_pred_proba\n0.5\n");

        var ex = ReadFails(path);

        AssertLocated(ex, path, null, null);
    }

    [Fact]
    public void Read_ThrowsNamingFile_WhenParquetFileIsRandomBytes()
    {
        var path = _files.PathOf("random.parquet");
        var bytes = new byte[4096];
        new Random(42).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var ex = ReadFails(path);

        AssertLocated(ex, path, null, null);
        Assert.Contains("cannot be read as Parquet", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsNamingFile_WhenParquetFileIsTruncated()
    {
        var path = _files.PathOf("truncated.parquet");
        var bytes = File.ReadAllBytes(TestFiles.CarLoan("reference.parquet"));
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        var ex = ReadFails(path, new ColumnMapping());

        AssertLocated(ex, path, null, null);
    }

    [Fact]
    public void Read_ThrowsListingAvailableColumns_WhenMappedColumnIsMissing()
    {
        var path = Csv("nocol.csv", "0.5,1,1,2018-01-01");

        var ex = ReadFails(path, Mapping with { Timestamp = "timestamp" });

        AssertLocated(ex, path, "timestamp", null);
        Assert.Contains("available columns: y_pred_proba, y_pred, y_true, ts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsNamingColumn_WhenParquetScoreColumnIsString()
    {
        var path = _files.WriteParquet("strscore.parquet", (new DataField<string>("y_pred_proba"), new[] { "0.5", "0.7" }));

        var ex = ReadFails(path, new ColumnMapping { YPred = null });

        AssertLocated(ex, path, "y_pred_proba", null);
        Assert.Contains("String", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsNamingRow_WhenCsvScoreIsNotNumeric()
    {
        var path = Csv("text.csv", "0.5,1,1,2018-01-01", "0.5,1,1,2018-01-01", "abc,1,1,2018-01-01");

        var ex = ReadFails(path);

        AssertLocated(ex, path, "y_pred_proba", 2);
        Assert.Contains("'abc'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("Infinity")]
    public void Read_ThrowsNamingRow_WhenCsvScoreIsOutsideUnitInterval(string score)
    {
        var path = Csv("range.csv", "0.5,1,1,2018-01-01", score + ",1,1,2018-01-01");

        var ex = ReadFails(path);

        AssertLocated(ex, path, "y_pred_proba", 1);
        Assert.Contains("outside [0, 1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsNamingRow_WhenParquetScoreIsOutsideUnitInterval()
    {
        var path = _files.WriteParquet("range.parquet", (new DataField<double>("y_pred_proba"), new[] { 0.1, 0.2, 1.7 }));

        var ex = ReadFails(path, new ColumnMapping { YPred = null });

        AssertLocated(ex, path, "y_pred_proba", 2);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("0.5")]
    [InlineData("yes")]
    public void Read_ThrowsNamingRow_WhenCsvLabelIsNotZeroOrOne(string label)
    {
        var path = Csv("label.csv", "0.5,1,1,2018-01-01", "0.5,0,0,2018-01-01", "0.5,1," + label + ",2018-01-01");

        var ex = ReadFails(path);

        AssertLocated(ex, path, "y_true", 2);
    }

    [Fact]
    public void Read_ThrowsNamingRow_WhenParquetIntegerPredictionIsTwo()
    {
        var path = _files.WriteParquet(
            "pred.parquet",
            (new DataField<double>("y_pred_proba"), new[] { 0.1, 0.2 }),
            (new DataField<long>("y_pred"), new[] { 0L, 2L }));

        var ex = ReadFails(path, new ColumnMapping());

        AssertLocated(ex, path, "y_pred", 1);
    }

    [Fact]
    public void Read_ThrowsNamingRow_WhenParquetDoubleTargetIsHalf()
    {
        var path = _files.WriteParquet(
            "target.parquet",
            (new DataField<double>("y_pred_proba"), new[] { 0.1, 0.2 }),
            (new DataField<double?>("y_true"), new double?[] { 0.5, 1.0 }));

        var ex = ReadFails(path, new ColumnMapping { YPred = null, YTrue = "y_true" });

        AssertLocated(ex, path, "y_true", 0);
    }

    [Fact]
    public void Read_ThrowsNamingRow_WhenTimestampDoesNotParse()
    {
        var path = Csv("ts.csv", "0.5,1,1,2018-01-01", "0.5,1,1,01/02/2018");

        var ex = ReadFails(path);

        AssertLocated(ex, path, "ts", 1);
        Assert.Contains("does not parse", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsNamingRow_WhenCsvTimestampIsEmpty()
    {
        var path = Csv("tsempty.csv", "0.5,1,1,2018-01-01", "0.5,1,1,2018-01-02", "0.5,1,1,");

        var ex = ReadFails(path);

        AssertLocated(ex, path, "ts", 2);
    }

    [Fact]
    public void Read_ThrowsNamingRow_WhenParquetTimestampIsNull()
    {
        var path = _files.WriteParquet(
            "tsnull.parquet",
            (new DataField<double>("y_pred_proba"), new[] { 0.1, 0.2, 0.3 }),
            (new DataField<DateTime?>("ts"), new DateTime?[] { new DateTime(2018, 1, 1), new DateTime(2018, 1, 2), null }));

        var ex = ReadFails(path, new ColumnMapping { YPred = null, Timestamp = "ts" });

        AssertLocated(ex, path, "ts", 2);
        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsNamingRow_WhenCsvRowHasTooFewFields()
    {
        var path = Csv("ragged.csv", "0.5,1,1,2018-01-01", "0.5,1");

        var ex = ReadFails(path);

        Assert.Contains("ragged.csv", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Row);
        Assert.Contains("row 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsNamingFile_WhenCsvEndsInsideQuotedField()
    {
        var path = _files.WriteText("truncated.csv", "y_pred_proba,y_pred,y_true,ts\n0.5,1,1,2018-01-01\n0.5,1,1,\"2018-01");

        var ex = ReadFails(path);

        Assert.Contains("truncated.csv", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Row);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Read_ThrowsHasNoRows_WhenCsvHasOnlyHeader()
    {
        var path = _files.WriteText("header.csv", "y_pred_proba,y_pred\n");

        var ex = ReadFails(path, new ColumnMapping());

        AssertLocated(ex, path, null, null);
        Assert.Contains("has no rows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsHasNoRows_WhenCsvIsEmpty()
    {
        var path = _files.WriteText("empty.csv", "");

        var ex = ReadFails(path, new ColumnMapping());

        AssertLocated(ex, path, null, null);
        Assert.Contains("has no rows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsHasNoRows_WhenParquetHasNoRows()
    {
        var path = _files.WriteParquet(
            "empty.parquet",
            (new DataField<double>("y_pred_proba"), Array.Empty<double>()),
            (new DataField<long>("y_pred"), Array.Empty<long>()));

        var ex = ReadFails(path, new ColumnMapping());

        AssertLocated(ex, path, null, null);
        Assert.Contains("has no rows", ex.Message, StringComparison.Ordinal);
    }
}
