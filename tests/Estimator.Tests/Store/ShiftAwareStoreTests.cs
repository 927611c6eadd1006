using DuckDB.NET.Data;
using Estimator.Estimation;
using Estimator.Estimation.Shift;
using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Tests.Cli;
using Estimator.Tests.IO;

namespace Estimator.Tests.Store;

/// <summary>
/// A model with <c>estimator: auto</c> in the store, over the subgroup-shift world of shared/scenarios (P(x) moves
/// toward a subgroup the model is miscalibrated on from chunk 4 on): the analysis arrives in three parts that cut
/// chunks in two, and after the last run every chunk's estimates are those of <c>estimator estimate --estimator auto</c>
/// on the whole file (1e-9), with the same estimator and effective sample size; open chunks were estimated the same way,
/// and reconciliation, which estimates the chunks again from their stored rows once labels arrive, keeps them.
/// </summary>
public sealed class ShiftAwareStoreTests : IDisposable
{
    private const int ChunkRows = 5000;
    private static readonly string[] Features = ["x1", "x2", "x3", "g"];

    private readonly TestFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void Auto_InTheStore_EstimatesEachChunkAsTheCommandLine_WhenTheDataArrivesInParts()
    {
        var world = SharedScenarios.World("covariate_shift_subgroup");
        var cli = files.PathOf("cli.parquet");
        var (code, _, stderr) = CliRunner.Run(
        [
            "estimate", "--reference", Path.Combine(world, "reference.parquet"), "--analysis", Path.Combine(world, "analysis.parquet"),
            "--targets", Path.Combine(world, "analysis_targets.parquet"), "--id-column", "id", "--timestamp", "timestamp", "--chunk-size", "5000", "--estimator", "auto", "--features", string.Join(",", Features), "--out", cli,
        ]);
        Assert.True(code == 0, stderr);
        var expected = EstimateFileReader.Read(cli).Where(r => r.Period == "analysis").ToDictionary(r => (r.ChunkIndex, r.Metric));

        var incoming = files.PathOf("incoming");
        var labels = files.PathOf("labels");
        Directory.CreateDirectory(incoming);
        Directory.CreateDirectory(labels);
        var model = new ModelDefinition(
            "subgroup",
            Path.Combine(world, "reference.parquet"),
            Path.Combine(incoming, "*.parquet"),
            Path.Combine(labels, "*.parquet"),
            "id",
            new ColumnMapping { YTrue = "y_true", Timestamp = "timestamp" },
            new CbpeOptions { Chunking = Chunking.BySize(ChunkRows) })
        {
            Estimator = ShiftEstimator.Auto,
            Features = Features,
        };
        var runner = new ModelRunner(files.PathOf("store")) { FileSettleTime = TimeSpan.Zero };

        // Parts that end mid-chunk: chunk 2 and chunk 6 are open after a run and completed by the next.
        int[] cuts = [0, 12_500, 31_000, 60_000];
        for (var part = 0; part < 3; part++)
        {
            Cut(world, Path.Combine(incoming, $"part-{part}.parquet"), cuts[part], cuts[part + 1]);
            runner.Estimate(model);
            var open = runner.ReadEstimates(model.Name).Where(r => r.Period == "analysis" && r.Provisional).ToList();
            if (part < 2)
            {
                // The open chunk is estimated by the shift-aware estimator too (its rows keep the features).
                Assert.NotEmpty(open);
                Assert.All(open, r => Assert.NotNull(r.Estimator));
            }
        }

        // The labels arrive: reconciliation estimates each chunk again from its stored rows (features included), now with
        // realized values, and the estimates stay the command line's.
        File.Copy(Path.Combine(world, "analysis_targets.parquet"), Path.Combine(labels, "labels.parquet"));
        runner.Reconcile(model);

        var stored = runner.ReadEstimates(model.Name).Where(r => r.Period == "analysis").ToList();
        Assert.Equal(expected.Count, stored.Count);
        Assert.All(stored, r => Assert.False(r.Provisional));
        foreach (var r in stored)
        {
            var e = expected[(r.ChunkIndex, r.Metric)];
            Assert.Equal(e.Estimator, r.Estimator);
            Assert.Equal(e.Estimated!.Value, r.Estimated!.Value, 1e-9);
            Assert.Equal(e.SamplingError!.Value, r.SamplingError!.Value, 1e-9);
            Assert.Equal(e.EffectiveSampleSize ?? double.NaN, r.EffectiveSampleSize ?? double.NaN, 1e-6);
            Assert.Equal(e.Alert, r.Alert);
            Assert.Equal(e.Realized!.Value, r.Realized!.Value, 1e-12);
        }

        // The world's subgroup shift from chunk 4 makes auto leave plain CBPE: the comparison covers weighted chunks.
        Assert.Contains(stored, r => r.Estimator == "weighted" && r.EffectiveSampleSize > 0);
        Assert.All(stored.Where(r => r.ChunkIndex < 4), r => Assert.Equal("cbpe", r.Estimator));
    }

    /// <summary>Analysis rows [from, to) in file order (which is timestamp order), cut by DuckDB.</summary>
    private static void Cut(string world, string target, int from, int to)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            COPY (SELECT * EXCLUDE (file_row_number) FROM read_parquet('{Path.Combine(world, "analysis.parquet")}', file_row_number = true)
                  WHERE file_row_number >= {from} AND file_row_number < {to} ORDER BY file_row_number)
            TO '{target}' (FORMAT parquet)
            """;
        command.ExecuteNonQuery();
    }
}
