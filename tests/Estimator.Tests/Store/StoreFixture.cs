using Estimator.Estimation;
using Estimator.IO;
using Estimator.Monitoring;
using Estimator.Tests.IO;
using Parquet.Schema;

namespace Estimator.Tests.Store;

/// <summary>A temporary store and analysis drop directory, with the car-loan analysis cut into files.</summary>
internal sealed class StoreFixture : IDisposable
{
    private static readonly Lazy<PredictionData> Analysis = new(() => PredictionFileReader.Read(
        TestFiles.CarLoan("analysis.parquet"),
        new ColumnMapping { Timestamp = "timestamp", Id = "id" },
        requireTargets: false,
        requirePredictions: true));

    private readonly TestFiles files = new();

    public StoreFixture()
    {
        Directory.CreateDirectory(Incoming);
    }

    public string Store => files.PathOf("store");

    public string Incoming => files.PathOf("incoming");

    public ModelRunner Runner(TimeProvider? time = null) => new(Store, time) { FileSettleTime = TimeSpan.Zero };

    public static ModelDefinition CarLoan(string incoming, Chunking chunking, string name = "car_loan") => new(
        name,
        TestFiles.CarLoan("reference.parquet"),
        Path.Combine(incoming, "*.parquet"),
        null,
        "id",
        new ColumnMapping { YTrue = "repaid", Timestamp = "timestamp" },
        new CbpeOptions { Chunking = chunking });

    /// <summary>Writes analysis rows [start, start + count) as one Parquet file in the drop directory.</summary>
    public string Drop(string name, int start, int count) => Drop(name, start, count, TimeSpan.Zero, 0);

    /// <summary>Writes analysis rows [start, start + count) again, later by <paramref name="shift"/> and with ids offset: a replay of a period.</summary>
    public string Drop(string name, int start, int count, TimeSpan shift, long idOffset)
    {
        var a = Analysis.Value;
        var ids = a.Ids!.Skip(start).Take(count).Select(id => long.Parse(id, System.Globalization.CultureInfo.InvariantCulture) + idOffset).ToArray();
        var path = Path.Combine(Incoming, name);
        var written = files.WriteParquet(
            Path.Combine("incoming", name),
            (new DataField<long>("id"), ids),
            (new DateTimeDataField("timestamp", DateTimeFormat.Timestamp), a.Set.Timestamps!.AsSpan(start, count).ToArray().Select(t => t + shift).ToArray()),
            (new DataField<double>("y_pred_proba"), a.Set.Scores.AsSpan(start, count).ToArray()),
            (new DataField<long>("y_pred"), a.Set.Predictions!.AsSpan(start, count).ToArray().Select(v => (long)v).ToArray()));
        Assert.Equal(path, written);
        return path;
    }

    public void Dispose() => files.Dispose();
}
