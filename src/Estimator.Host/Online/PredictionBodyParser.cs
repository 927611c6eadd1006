using Estimator.Monitoring.Online;

namespace Estimator.Host.Online;

/// <summary>
/// Parses a <c>POST /v1/models/{model}/predictions</c> body: a JSON array of objects keyed by the model's column names
/// (id, score, prediction when the model has one, timestamp when it has one, a shift-aware model's features; other
/// keys are ignored). The whole body is checked before anything is applied: the first bad row throws with its index and field.
/// </summary>
internal sealed class PredictionBodyParser
{
    private readonly byte[] _id;
    private readonly byte[] _score;
    private readonly byte[]? _prediction;
    private readonly byte[]? _timestamp;
    private readonly string _idName;
    private readonly string _scoreName;
    private readonly string? _predictionName;
    private readonly string? _timestampName;
    private readonly IReadOnlyList<OnlineFeature> _features;

    /// <summary>A parser of the model's prediction rows.</summary>
    /// <param name="model">The model: its id, score, prediction and timestamp columns.</param>
    /// <param name="features">The features every row must carry (a shift-aware model's), or null for none.</param>
    public PredictionBodyParser(ModelDefinition model, IReadOnlyList<OnlineFeature>? features = null)
    {
        _features = features ?? [];
        ArgumentNullException.ThrowIfNull(model);
        _idName = model.IdColumn ?? throw new ArgumentException("An online model needs an id column.", nameof(model));
        _scoreName = model.Columns.YPredProba;
        _predictionName = model.Columns.YPred;
        _timestampName = model.Columns.Timestamp;
        _id = Encoding.UTF8.GetBytes(_idName);
        _score = Encoding.UTF8.GetBytes(_scoreName);
        _prediction = _predictionName is null ? null : Encoding.UTF8.GetBytes(_predictionName);
        _timestamp = _timestampName is null ? null : Encoding.UTF8.GetBytes(_timestampName);
    }

    /// <summary>The rows of <paramref name="body"/>, or an <see cref="OnlineRequestException"/> naming the first bad row and field.</summary>
    public OnlineRows Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        OnlineBodyReader.StartArray(ref reader);

        // A row takes at least ~30 bytes of JSON: a first guess at the capacity that rarely needs to grow.
        var capacity = Math.Max(16, body.Length / 48);
        var ids = new string[capacity];
        var scores = new double[capacity];
        var predictions = new double[capacity];
        var timestamps = _timestamp is null ? null : new DateTime[capacity];
        var features = _features.Count == 0 ? null : new PostedFeatures(_features, capacity);
        var n = 0;
        while (OnlineBodyReader.NextRow(ref reader, n))
        {
            if (n == ids.Length)
            {
                Array.Resize(ref ids, n * 2);
                Array.Resize(ref scores, n * 2);
                Array.Resize(ref predictions, n * 2);
                if (timestamps is not null)
                {
                    Array.Resize(ref timestamps, n * 2);
                }
            }

            string? id = null;
            var score = double.NaN;
            var prediction = double.NaN;
            DateTime? timestamp = null;
            while (OnlineBodyReader.NextProperty(ref reader, n))
            {
                if (reader.ValueTextEquals(_id))
                {
                    OnlineBodyReader.Value(ref reader, n);
                    id = OnlineBodyReader.Id(ref reader, n, _idName);
                }
                else if (reader.ValueTextEquals(_score))
                {
                    OnlineBodyReader.Value(ref reader, n);
                    score = OnlineBodyReader.Score(ref reader, n, _scoreName);
                }
                else if (_prediction is not null && reader.ValueTextEquals(_prediction))
                {
                    OnlineBodyReader.Value(ref reader, n);
                    prediction = OnlineBodyReader.Label(ref reader, n, _predictionName!);
                }
                else if (_timestamp is not null && reader.ValueTextEquals(_timestamp))
                {
                    OnlineBodyReader.Value(ref reader, n);
                    timestamp = OnlineBodyReader.Timestamp(ref reader, n, _timestampName!);
                }
                else if (features is null || !features.TryRead(ref reader, n))
                {
                    OnlineBodyReader.Value(ref reader, n);
                    OnlineBodyReader.Skip(ref reader, n);
                }
            }

            ids[n] = id ?? throw OnlineBodyReader.Missing(n, _idName);
            scores[n] = double.IsNaN(score) ? throw OnlineBodyReader.Missing(n, _scoreName) : score;
            predictions[n] = _prediction is not null && double.IsNaN(prediction) ? throw OnlineBodyReader.Missing(n, _predictionName!) : prediction;
            if (timestamps is not null)
            {
                timestamps[n] = timestamp ?? throw OnlineBodyReader.Missing(n, _timestampName!);
            }

            features?.EndRow(n);

            n++;
        }

        OnlineBodyReader.End(ref reader);
        if (n == 0)
        {
            throw OnlineBodyReader.Fail(null, null, "the array is empty");
        }

        return new OnlineRows(ids[..n], scores[..n], predictions[..n], timestamps?[..n], features?.Columns(n));
    }
}
