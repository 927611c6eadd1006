using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Estimator.Tests.IO;
using Parquet.Schema;

namespace Estimator.Tests.Cli;

/// <summary>
/// NannyML's multiclass credit-card data (the Core tests' fixture, <c>tests/Estimator.Core.Tests/Fixtures/credit_card</c>:
/// gzip CSV with <c>timestamp</c>, one <c>y_pred_proba_&lt;class&gt;</c> column per class, <c>y_pred</c>, <c>y_true</c>)
/// and NannyML 0.13.1's expected outputs, written out as the files <c>estimator estimate</c> reads.
/// </summary>
internal sealed class CreditCardFiles
{
    public static readonly string[] Classes = ["prepaid_card", "highstreet_card", "upmarket_card"];

    private static readonly Lazy<CreditCardFiles> LazyReference = new(() => Load("reference.csv.gz"));
    private static readonly Lazy<CreditCardFiles> LazyAnalysis = new(() => Load("analysis.csv.gz"));

    private CreditCardFiles(string[] header, List<string[]> rows)
    {
        Header = header;
        Rows = rows;
    }

    public static CreditCardFiles Reference => LazyReference.Value;

    public static CreditCardFiles Analysis => LazyAnalysis.Value;

    public string[] Header { get; }

    public List<string[]> Rows { get; }

    /// <summary>The score columns as <c>CLASS=COLUMN</c> pairs in a shuffled order (not the file's, not sorted).</summary>
    public static string ShuffledScoreArgument =>
        "upmarket_card=y_pred_proba_upmarket_card,prepaid_card=y_pred_proba_prepaid_card,highstreet_card=y_pred_proba_highstreet_card";

    public static JsonDocument Expected(string name) =>
        JsonDocument.Parse(File.ReadAllText(Fixture(Path.Combine("expected", name + ".json"))));

    /// <summary>The values of one column.</summary>
    public string[] Column(string name)
    {
        var c = Array.IndexOf(Header, name);
        return [.. Rows.Select(r => r[c])];
    }

    /// <summary>
    /// Writes the rows as CSV, with <paramref name="cell"/> rewriting cells (column, value → value) and an optional <c>id</c>
    /// column (the row's position in the whole file); <paramref name="rows"/> limits them to a range.
    /// </summary>
    public string WriteCsv(TestFiles files, string name, Func<string, string, string>? cell = null, bool withId = false, string[]? drop = null, Range? rows = null)
    {
        var keep = Header.Select((h, i) => (h, i)).Where(p => drop is null || !drop.Contains(p.h)).ToList();
        var lines = new List<string> { string.Join(",", (withId ? ["id"] : Array.Empty<string>()).Concat(keep.Select(p => p.h))) };
        var (first, count) = (rows ?? Range.All).GetOffsetAndLength(Rows.Count);
        for (var r = first; r < first + count; r++)
        {
            var row = Rows[r];
            var cells = keep.Select(p => cell is null ? row[p.i] : cell(p.h, row[p.i]));
            lines.Add(string.Join(",", (withId ? [r.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>()).Concat(cells)));
        }

        return files.WriteText(name, string.Join("\n", lines) + "\n");
    }

    /// <summary>Writes the rows as typed Parquet: timestamp, double scores, string labels.</summary>
    public string WriteParquet(TestFiles files, string name)
    {
        var columns = new List<(DataField, Array)>
        {
            (new DateTimeDataField("timestamp", DateTimeFormat.Timestamp), Column("timestamp").Select(ParseTimestamp).ToArray()),
        };
        foreach (var c in Classes)
        {
            var column = "y_pred_proba_" + c;
            columns.Add((new DataField<double>(column), Column(column).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()));
        }

        columns.Add((new DataField<string>("y_pred"), Column("y_pred")));
        columns.Add((new DataField<string>("y_true"), Column("y_true")));
        return files.WriteParquet(name, [.. columns]);
    }

    private static DateTime ParseTimestamp(string text) =>
        DateTime.SpecifyKind(DateTime.Parse(text, CultureInfo.InvariantCulture), DateTimeKind.Utc);

    private static string Fixture(string relative) =>
        TestFiles.RepositoryFile(Path.Combine("tests", "Estimator.Core.Tests", "Fixtures", "credit_card", relative));

    private static CreditCardFiles Load(string file)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(Fixture(file)), CompressionMode.Decompress));
        var header = reader.ReadLine()!.Split(',');
        var rows = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            rows.Add(line.Split(','));
        }

        return new CreditCardFiles(header, rows);
    }
}
