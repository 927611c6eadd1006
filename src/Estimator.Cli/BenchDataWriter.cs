using System.Text;
using Parquet;
using Parquet.Schema;

namespace Estimator.Cli;

/// <summary>Writes generated benchmark data to Parquet (row groups of up to 1,048,576 rows, Snappy) and CSV.</summary>
internal sealed class BenchDataWriter : IAsyncDisposable
{
    /// <summary>Rows per Parquet row group and per generated batch.</summary>
    public const int BatchRows = 1 << 20;

    private static readonly DataField<double> Score = new("y_pred_proba");
    private static readonly DataField<long> Prediction = new("y_pred");
    private static readonly DataField<long> Target = new("y_true");
    private static readonly ParquetSchema ReferenceSchema = new(Score, Prediction, Target);
    private static readonly ParquetSchema AnalysisSchema = new(Score, Prediction);
    private readonly bool _withTargets;
    private readonly FileStream? _parquetStream;
    private readonly ParquetWriter? _parquet;
    private readonly StreamWriter? _csv;

    private BenchDataWriter(bool withTargets, FileStream? parquetStream, ParquetWriter? parquet, StreamWriter? csv)
    {
        _withTargets = withTargets;
        _parquetStream = parquetStream;
        _parquet = parquet;
        _csv = csv;
    }

    /// <summary>Opens <c>DIR/NAME.parquet</c> and/or <c>DIR/NAME.csv</c>.</summary>
    public static async Task<BenchDataWriter> CreateAsync(string directory, string name, bool withTargets, bool parquet, bool csv)
    {
        Directory.CreateDirectory(directory);
        FileStream? stream = null;
        ParquetWriter? writer = null;
        StreamWriter? text = null;
        var schema = withTargets ? ReferenceSchema : AnalysisSchema;
        if (parquet)
        {
            stream = new FileStream(Path.Combine(directory, name + ".parquet"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Snappy }).ConfigureAwait(false);
        }

        if (csv)
        {
            text = new StreamWriter(Path.Combine(directory, name + ".csv"), false, new UTF8Encoding(false), 1 << 20);
            await text.WriteAsync(withTargets ? "y_pred_proba,y_pred,y_true\n" : "y_pred_proba,y_pred\n").ConfigureAwait(false);
        }

        return new BenchDataWriter(withTargets, stream, writer, text);
    }

    /// <summary>Appends one batch (one Parquet row group).</summary>
    public async Task WriteAsync(PredictionSet batch)
    {
        var n = batch.Count;
        if (_parquet is not null)
        {
            var predictions = new long[n];
            for (var i = 0; i < n; i++)
            {
                predictions[i] = (long)batch.Predictions![i];
            }

            using var group = _parquet.CreateRowGroup();
            await group.WriteAsync<double>(Score, batch.Scores.AsMemory()).ConfigureAwait(false);
            await group.WriteAsync<long>(Prediction, predictions.AsMemory()).ConfigureAwait(false);
            if (_withTargets)
            {
                var targets = new long[n];
                for (var i = 0; i < n; i++)
                {
                    targets[i] = (long)batch.Targets![i];
                }

                await group.WriteAsync<long>(Target, targets.AsMemory()).ConfigureAwait(false);
            }
        }

        if (_csv is not null)
        {
            var line = new StringBuilder(64);
            for (var i = 0; i < n; i++)
            {
                line.Clear();
                line.Append(batch.Scores[i].ToString("R", CultureInfo.InvariantCulture)).Append(',').Append((long)batch.Predictions![i]);
                if (_withTargets)
                {
                    line.Append(',').Append((long)batch.Targets![i]);
                }

                line.Append('\n');
                await _csv.WriteAsync(line).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_parquet is not null)
        {
            await _parquet.DisposeAsync().ConfigureAwait(false);
        }

        if (_parquetStream is not null)
        {
            await _parquetStream.DisposeAsync().ConfigureAwait(false);
        }

        if (_csv is not null)
        {
            await _csv.DisposeAsync().ConfigureAwait(false);
        }
    }
}
