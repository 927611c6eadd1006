using System.Text;
using Estimator.Tests.IO;
using Parquet.Schema;

namespace Estimator.Tests.Reliability;

/// <summary>
/// The good and bad input files the bad-input matrix refers to as <c>@name</c>, written once per test class: small
/// valid CSVs for each problem type, and broken ones (empty, garbage, half-written, wrong schema, out-of-range values).
/// </summary>
public sealed class BadInputFiles : IDisposable
{
    private readonly TestFiles files = new();

    public BadInputFiles()
    {
        var binaryRows = new StringBuilder("id,y_pred_proba,y_pred,y_true\n");
        var analysisRows = new StringBuilder("id,y_pred_proba,y_pred\n");
        for (var i = 0; i < 40; i++)
        {
            var score = (i * 37 % 100) / 100.0;
            var line = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i},{score},{(score > 0.5 ? 1 : 0)}");
            binaryRows.Append(line).Append(',').Append(i % 3 == 0 ? 1 : 0).Append('\n');
            analysisRows.Append(line).Append('\n');
        }

        Write("ref.csv", binaryRows.ToString());
        Write("ana.csv", analysisRows.ToString());
        Write("targets.csv", "id,y_true\n0,1\n1,0\n2,1\n");
        Write("empty.csv", "");
        Write("header-only.csv", "y_pred_proba,y_pred\n");
        Write("wrong-schema.csv", "a,b\n1,2\n3,4\n");
        Write("score-range.csv", "y_pred_proba,y_pred\n0.5,1\n1.5,1\n");
        Write("score-text.csv", "y_pred_proba,y_pred\n0.5,1\nhigh,1\n");
        Write("pred-label.csv", "y_pred_proba,y_pred\n0.5,1\n0.2,7\n");
        Write("target-label.csv", "y_pred_proba,y_pred,y_true\n0.5,1,1\n0.2,0,3\n");
        Write("unclosed-quote.csv", "y_pred_proba,y_pred\n0.9,1\n\"0.2,0\n");
        Write("extra-field.csv", "y_pred_proba,y_pred\n0.9,1\n0.2,0,5\n");
        Write("duplicate-header.csv", "y_pred_proba,y_pred,y_pred\n0.9,1,1\n");
        // A CSV cut off in the middle of its last row, as a copy still in progress leaves it.
        var cut = analysisRows.ToString();
        Write("half-written.csv", cut[..(cut.LastIndexOf(',') - 1)]);
        Write("targets-no-id.csv", "key,y_true\n0,1\n");
        Write("targets-bad-label.csv", "id,y_true\n0,1\n1,maybe\n");
        Write("targets-duplicate-id.csv", "id,y_true\n0,1\n0,0\n");
        Write("mc-ref.csv", "sa,sb,sc,y_pred,y_true\n"
            + "0.8,0.1,0.1,a,a\n0.1,0.8,0.1,b,b\n0.1,0.1,0.8,c,c\n0.6,0.3,0.1,a,b\n0.2,0.7,0.1,b,b\n0.3,0.1,0.6,c,a\n"
            + "0.7,0.2,0.1,a,a\n0.2,0.2,0.6,c,c\n0.1,0.6,0.3,b,c\n0.5,0.4,0.1,a,a\n0.3,0.5,0.2,b,b\n0.2,0.3,0.5,c,c\n");
        Write("mc-ana.csv", "sa,sb,sc,y_pred\n0.8,0.1,0.1,a\n0.1,0.8,0.1,b\n0.1,0.1,0.8,c\n0.6,0.3,0.1,a\n");
        Write("mc-pred-label.csv", "sa,sb,sc,y_pred\n0.8,0.1,0.1,a\n0.1,0.8,0.1,z\n");
        Write("mc-score-range.csv", "sa,sb,sc,y_pred\n0.8,0.1,0.1,a\n0.1,-0.8,0.1,b\n");
        Write("mc-no-sc.csv", "sa,sb,y_pred\n0.8,0.1,a\n");
        Write("reg-ref.csv", "id,x1,g,y_pred,y_true\n1,0.1,A,1.0,1.2\n2,0.5,B,2.0,2.5\n3,0.9,A,3.0,2.7\n4,0.3,B,1.5,1.1\n5,0.7,A,2.5,2.6\n6,0.2,B,1.2,1.9\n");
        Write("reg-ana.csv", "id,x1,g,y_pred\n11,0.4,A,1.8\n12,0.6,B,2.2\n13,0.8,A,2.9\n");
        Write("reg-text.csv", "id,x1,g,y_pred\n11,0.4,A,1.8\n12,0.6,B,lots\n");
        Write("reg-negative.csv", "id,x1,g,y_pred\n11,0.4,A,1.8\n12,0.6,B,-2.5\n");
        Write("reg-true-text.csv", "id,x1,g,y_pred,y_true\n1,0.1,A,1.0,1.2\n2,0.5,B,2.0,abc\n");
        Write("reg-no-x1.csv", "id,g,y_pred\n11,A,1.8\n");
        Write("reg-targets-text.csv", "id,y_true\n11,1.5\n12,twelve\n");
        Write("feat-ref.csv", "f1,f2\n1,a\n2,b\n3,a\n4,b\n5,a\n6,b\n7,a\n8,b\n9,a\n10,b\n");
        Write("feat-ana.csv", "f1,f2\n1,a\n2,b\n3,a\n4,b\n5,a\n");
        Write("feat-text.csv", "f1,f2\n1,a\n2,b\nthree,a\n");
        File.WriteAllBytes(PathOf("empty.parquet"), []);
        File.WriteAllBytes(PathOf("random.parquet"), Garbage(1, 4096));
        File.WriteAllBytes(PathOf("random.csv"), Garbage(2, 4096));
        var analysis = File.ReadAllBytes(TestFiles.CarLoan("analysis.parquet"));
        File.WriteAllBytes(PathOf("half-written.parquet"), analysis.AsSpan(0, analysis.Length / 2).ToArray());
        // Parquet's magic at both ends but a footer length pointing nowhere: the reader must not trust it.
        var fakeFooter = new byte[64];
        "PAR1"u8.CopyTo(fakeFooter);
        BitConverter.TryWriteBytes(fakeFooter.AsSpan(56), int.MaxValue);
        "PAR1"u8.CopyTo(fakeFooter.AsSpan(60));
        File.WriteAllBytes(PathOf("bad-footer.parquet"), fakeFooter);
        files.WriteParquet("wrong-schema.parquet", (new DataField<long>("a"), new long[] { 1, 2 }), (new DataField<string>("b"), new[] { "x", "y" }));
        files.WriteParquet("score-text.parquet", (new DataField<string>("y_pred_proba"), new[] { "0.5", "high" }), (new DataField<long>("y_pred"), new long[] { 1, 0 }));
        files.WriteParquet("score-range.parquet", (new DataField<double>("y_pred_proba"), new[] { 0.5, -0.25 }), (new DataField<long>("y_pred"), new long[] { 1, 0 }));
        System.IO.Directory.CreateDirectory(PathOf("folder.csv"));
        System.IO.Directory.CreateDirectory(PathOf("outdir"));
    }

    public string Directory => files.Directory;

    public string PathOf(string name) => files.PathOf(name);

    /// <summary>Replaces every <c>@name</c> argument by the fixture file's path, and <c>@out</c> by <paramref name="output"/>.</summary>
    public string[] Resolve(IEnumerable<string> args, string output) =>
        [.. args.Select(a => a == "@out" ? output : a.StartsWith('@') ? PathOf(a[1..]) : a)];

    public void Dispose() => files.Dispose();

    private void Write(string name, string text) => files.WriteText(name, text);

    private static byte[] Garbage(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
