using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Estimator.Learning;

/// <summary>
/// A gradient-boosted model of one per-row loss (ML.NET FastTree regression) on the encoded features. Trained with one
/// thread and a fixed seed so the same reference gives the same trees bit for bit; saved as ML.NET's model zip.
/// </summary>
internal sealed class LossModel
{
    private readonly MLContext _context;
    private readonly ITransformer _model;
    private readonly int _width;

    private readonly TreeEnsemble _trees;

    private LossModel(MLContext context, ITransformer model, int width, byte[] bytes)
    {
        _context = context;
        _model = model;
        _width = width;
        Bytes = bytes;
        var parameters = (model as IPredictionTransformer<FastTreeRegressionModelParameters>)?.Model
            ?? throw new InvalidDataException("the error model is not a FastTree regression model");
        _trees = TreeEnsemble.From(parameters.TrainedTreeEnsemble);
    }

    /// <summary>The model as ML.NET's zip format (what the fitted calculator's JSON carries, base64).</summary>
    public byte[] Bytes { get; }

    public static LossModel Train(float[] matrix, int width, double[] losses, int[] rows, BoostingSettings settings, int seed)
    {
        var context = new MLContext(seed);
        var data = Load(context, matrix, width, losses, rows);
        var trainer = context.Regression.Trainers.FastTree(settings.Apply(new FastTreeRegressionTrainer.Options(), seed));
        var model = trainer.Fit(data);
        using var stream = new MemoryStream();
        context.Model.Save(model, data.Schema, stream);
        return new LossModel(context, model, width, stream.ToArray());
    }

    public static LossModel Load(byte[] bytes, int width)
    {
        var context = new MLContext(0);
        using var stream = new MemoryStream(bytes, writable: false);
        var model = context.Model.Load(stream, out _);
        return new LossModel(context, model, width, bytes);
    }

    /// <summary>The trees as flat arrays (scoring without ML.NET's data views, which cost ~10 µs a row).</summary>
    internal TreeEnsemble Trees => _trees;

    /// <summary>Predicted loss of the given rows of an encoded matrix, scored from the trees directly.</summary>
    /// Rows are scored independently, so blocks run in parallel without changing a bit of the result.
    public double[] Predict(float[] matrix, int[] rows, int threads = 1)
    {
        const int block = 16_384;
        var result = new double[rows.Length];
        var blocks = (rows.Length + block - 1) / block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, b =>
        {
            var start = b * block;
            var length = Math.Min(rows.Length, start + block) - start;
            _trees.Score(matrix, _width, rows.AsSpan(start, length), result.AsSpan(start, length));
        });

        return result;
    }

    /// <summary>Predicted loss through ML.NET's own scoring (the oracle the direct tree walk is tested against).</summary>
    public double[] PredictWithMlNet(float[] matrix, int[] rows)
    {
        var data = Load(_context, matrix, _width, null, rows);
        var scored = _model.Transform(data);
        var result = new double[rows.Length];
        using var cursor = scored.GetRowCursor([scored.Schema["Score"]]);
        var getter = cursor.GetGetter<float>(scored.Schema["Score"]);
        var i = 0;
        float score = 0;
        while (cursor.MoveNext())
        {
            getter(ref score);
            result[i++] = score;
        }

        return result;
    }

    // The rows are produced as ML.NET reads them (it reads the data more than once), not held as a million objects:
    // held, they outlive the young generation and each trainer's collections copy them.
    private static IDataView Load(MLContext context, float[] matrix, int width, double[]? losses, int[] rows)
    {
        var schema = SchemaDefinition.Create(typeof(LossRow));
        schema[nameof(LossRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return context.Data.LoadFromEnumerable(Rows(matrix, width, losses, rows), schema);
    }

    private static IEnumerable<LossRow> Rows(float[] matrix, int width, double[]? losses, int[] rows)
    {
        foreach (var r in rows)
        {
            yield return new LossRow
            {
                Label = losses is null ? 0f : (float)losses[r],
                Features = matrix.AsSpan(r * width, width).ToArray(),
            };
        }
    }

    private sealed class LossRow
    {
        public float Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
