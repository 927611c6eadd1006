using System.Text;
using Estimator.IO;
using Parquet.Schema;

namespace Estimator.Tests.IO;

/// <summary>
/// The CSV reader's RFC 4180 behaviour on hand-written files: line endings, byte order mark, empty lines, quoting, the
/// located errors (row, byte offset), duplicate column names and files that are not text.
/// </summary>
public sealed class CsvReadingTests : IDisposable
{
    private static readonly ColumnMapping Mapping = new() { YTrue = "y_true" };
    private readonly TestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static PredictionData Read(string path) => PredictionFileReader.Read(path, Mapping, requireTargets: true, requirePredictions: true);

    private static EstimatorDataException ReadFails(string path) => Assert.Throws<EstimatorDataException>(() => Read(path));

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = _files.PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Read_SkipsByteOrderMarkAndEmptyLines_WhenLinesEndInCrLf()
    {
        var text = "y_pred_proba,y_pred,y_true\r\n\r\n0.25,0,1\r\n\r\n\r\n0.75,1,true\r\n0.5,\"1\",FALSE\r\n\r\n";
        var path = WriteBytes("crlf.csv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);

        var data = Read(path);

        Assert.Equal([0.25, 0.75, 0.5], data.Set.Scores);
        Assert.Equal([0.0, 1.0, 1.0], data.Set.Predictions!);
        Assert.Equal([1.0, 1.0, 0.0], data.Set.Targets!);
    }

    [Fact]
    public void Read_TakesQuotedLineBreaksAsPartOfTheField_WhenRowsSpanLines()
    {
        var path = _files.WriteText("multiline.csv", "note,y_pred_proba,y_pred,y_true\n\"two\r\nlines, \"\"quoted\"\"\",0.5,1,0\nplain,0.125,0,1\n");

        var table = CsvTableReader.Read(path, [new ColumnRequest("note", true), new ColumnRequest("y_pred_proba", true, Numeric: true)], default);

        Assert.Equal(2, table.RowCount);
        Assert.Equal(new string?[] { "two\r\nlines, \"quoted\"", "plain" }, ((StringColumn)table.Columns["note"]).Values);
        var scores = (TextNumberColumn)table.Columns["y_pred_proba"];
        Assert.Equal(2, scores.Length);
        Assert.Equal([0.5, 0.125], scores.Values[..scores.Length]);
    }

    [Fact]
    public void Read_ThrowsNamingColumnAndFile_WhenHeaderHoldsARequestedColumnTwice()
    {
        var path = _files.WriteText("twice.csv", "y_pred_proba,y_pred,y_true,y_true\n0.5,1,1,0\n0.25,0,0,1\n");

        var ex = ReadFails(path);

        Assert.Equal(path, ex.File);
        Assert.Equal("y_true", ex.Column);
        Assert.Contains("twice.csv", ex.Message, StringComparison.Ordinal);
        Assert.Contains("column 'y_true'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("2 times", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_IgnoresADuplicateName_WhenThatColumnIsNotRequested()
    {
        var path = _files.WriteText("extra.csv", "y_pred_proba,y_pred,y_true,note,note\n0.5,1,1,a,b\n");

        var data = Read(path);

        Assert.Equal([0.5], data.Set.Scores);
    }

    [Fact]
    public void Read_ThrowsOneLineWithoutTheBytes_WhenFileIsBinary()
    {
        var random = new Random(3);
        var bytes = new byte[4096];
        random.NextBytes(bytes);
        bytes[0] = 0x01;
        var path = WriteBytes("garbage.csv", bytes);

        var ex = ReadFails(path);

        Assert.Contains("not a CSV text file", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("available columns", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ex.Message, c => c < ' ' || c == '\uFFFD');
        Assert.Null(ex.Row);
    }

    [Fact]
    public void Read_SaysToRenameIt_WhenParquetFileIsNamedCsv()
    {
        var parquet = _files.WriteParquet("real.parquet", (new DataField<double>("y_pred_proba"), new[] { 0.5 }));
        var path = _files.PathOf("real.csv");
        File.Copy(parquet, path);

        var ex = ReadFails(path);

        Assert.Contains("Parquet", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".parquet", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NamesRowAndByteOffset_WhenAQuoteIsInsideAnUnquotedField()
    {
        // "é" is two bytes in UTF-8: the offset counts bytes, not characters.
        const string before = "y_pred_proba,y_pred,y_true,note\n0.5,1,1,é\n0.5,1,1,a";
        var path = _files.WriteText("quote.csv", before + "\"b\n0.5,1,1,c\n");

        var ex = ReadFails(path);

        Assert.Equal(1, ex.Row);
        var offset = Encoding.UTF8.GetByteCount(before);
        Assert.EndsWith($"a quote inside an unquoted field (byte offset {offset}).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NamesRowAndByteOffset_WhenTextFollowsAClosingQuote()
    {
        const string before = "y_pred_proba,y_pred,y_true\n0.5,1,1\n0.5,\"1\"";
        var path = _files.WriteText("after.csv", before + "x,1\n");

        var ex = ReadFails(path);

        Assert.Equal(1, ex.Row);
        Assert.EndsWith($"text after the closing quote of a quoted field (byte offset {before.Length}).", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NamesTheRecord_WhenALaterRowHasTooManyFieldsAfterEmptyLines()
    {
        var path = _files.WriteText("many.csv", "y_pred_proba,y_pred,y_true\n\n0.5,1,1\n\n0.5,1,1,9\n");

        var ex = ReadFails(path);

        Assert.Equal(1, ex.Row);
        Assert.Contains("the record has 4 fields but 3 were expected", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsAtTheFirstBadCell_WhenSeveralScoresAreNotNumbers()
    {
        var path = _files.WriteText("bad.csv", "y_pred_proba,y_pred,y_true\n0.5,1,1\n0.5x,1,1\nabc,1,1\n");

        var ex = ReadFails(path);

        Assert.Equal("y_pred_proba", ex.Column);
        Assert.Equal(1, ex.Row);
        Assert.Contains("value '0.5x' is not a number", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsAtTheFirstBadLabel_WhenABadLabelPrecedesAnUnparsableOne()
    {
        var path = _files.WriteText("labels.csv", "y_pred_proba,y_pred,y_true\n0.5,1,true\n0.5,1,2\n0.5,1,maybe\n");

        var ex = ReadFails(path);

        Assert.Equal("y_true", ex.Column);
        Assert.Equal(1, ex.Row);
        Assert.Contains("value 2 is not a label", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ThrowsHasNoRows_WhenFileHoldsOnlyEmptyLines()
    {
        var path = _files.WriteText("blank.csv", "\n\r\n\n");

        var ex = ReadFails(path);

        Assert.Contains("has no rows", ex.Message, StringComparison.Ordinal);
        Assert.Null(ex.Column);
    }
}
