namespace Estimator.Host.Online;

/// <summary>
/// Parses a <c>POST /v1/models/{model}/labels</c> body: <c>[{"&lt;id column&gt;": ..., "&lt;y_true column&gt;": 0|1}, ...]</c>;
/// other keys are ignored. The whole body is checked before anything is written.
/// </summary>
internal sealed class LabelBodyParser
{
    private readonly byte[] _id;
    private readonly byte[] _target;
    private readonly string _idName;
    private readonly string _targetName;

    public LabelBodyParser(ModelDefinition model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _idName = model.IdColumn ?? throw new ArgumentException("An online model needs an id column.", nameof(model));
        _targetName = model.Columns.YTrue ?? "y_true";
        _id = Encoding.UTF8.GetBytes(_idName);
        _target = Encoding.UTF8.GetBytes(_targetName);
    }

    /// <summary>The ids and labels of <paramref name="body"/>.</summary>
    public (string[] Ids, double[] Targets) Parse(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        OnlineBodyReader.StartArray(ref reader);
        var ids = new List<string>();
        var targets = new List<double>();
        var n = 0;
        while (OnlineBodyReader.NextRow(ref reader, n))
        {
            string? id = null;
            var target = double.NaN;
            while (OnlineBodyReader.NextProperty(ref reader, n))
            {
                var isId = reader.ValueTextEquals(_id);
                var isTarget = !isId && reader.ValueTextEquals(_target);
                OnlineBodyReader.Value(ref reader, n);
                if (isId)
                {
                    id = OnlineBodyReader.Id(ref reader, n, _idName);
                }
                else if (isTarget)
                {
                    target = OnlineBodyReader.Label(ref reader, n, _targetName);
                }
                else
                {
                    OnlineBodyReader.Skip(ref reader, n);
                }
            }

            ids.Add(id ?? throw OnlineBodyReader.Missing(n, _idName));
            targets.Add(double.IsNaN(target) ? throw OnlineBodyReader.Missing(n, _targetName) : target);
            n++;
        }

        OnlineBodyReader.End(ref reader);
        return n == 0 ? throw OnlineBodyReader.Fail(null, null, "the array is empty") : ([.. ids], [.. targets]);
    }
}
