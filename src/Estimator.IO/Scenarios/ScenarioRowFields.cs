using Estimator.Scenarios;

namespace Estimator.IO;

/// <summary>The leading columns of every world's period file: <c>id</c> (int64), <c>timestamp</c> (UTC) and <c>x1, x2, x3</c>.</summary>
internal sealed class ScenarioRowFields
{
    private readonly DataField<long> _id = new("id");
    private readonly DateTimeDataField _timestamp = new("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
    private readonly DataField<double>[] _features = [.. ScenarioRows.FeatureNames.Select(n => new DataField<double>(n))];

    /// <summary>The schema's fields: these columns first, then <paramref name="more"/>, the nulls left out.</summary>
    public ParquetSchema Schema(params Field?[] more)
    {
        var fields = new List<Field> { _id, _timestamp };
        fields.AddRange(_features);
        foreach (var field in more)
        {
            if (field is not null)
            {
                fields.Add(field);
            }
        }

        return new ParquetSchema(fields);
    }

    /// <summary>Writes these columns of <paramref name="rows"/>.</summary>
    public async Task WriteAsync(ParquetRowGroupWriter group, ScenarioRows rows, CancellationToken cancellationToken)
    {
        await group.WriteAsync<long>(_id, rows.Ids, cancellationToken: cancellationToken).ConfigureAwait(false);
        await group.WriteAsync<DateTime>(_timestamp, rows.Timestamps, cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var f = 0; f < _features.Length; f++)
        {
            await group.WriteAsync<double>(_features[f], rows.Features[f], cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
