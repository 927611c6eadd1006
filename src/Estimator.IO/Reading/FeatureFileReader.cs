namespace Estimator.IO;

/// <summary>
/// Reads model input columns (for drift and data quality) from Parquet or CSV into a <see cref="ModelData"/>: each
/// column becomes numeric or categorical as pandas would type it, so kinds are inferred as NannyML infers them.
/// </summary>
/// <remarks>
/// <para>Parquet: floating-point, decimal and integer columns are numeric (null → NaN); string columns are categorical;
/// boolean columns are categorical with the labels <c>True</c>/<c>False</c> (pandas' <c>bool</c>/<c>object</c>).</para>
/// <para>CSV: a column whose present cells all parse as numbers (invariant culture) is numeric; one whose cells are all
/// <c>true</c>/<c>false</c> in any case is categorical <c>True</c>/<c>False</c>; anything else is categorical text.
/// pandas' missing markers (empty, <c>NA</c>, <c>N/A</c>, <c>NaN</c>, <c>nan</c>, <c>null</c>, <c>NULL</c>,
/// <c>None</c>, <c>&lt;NA&gt;</c>, ...) are missing.</para>
/// <para>Timestamp columns cannot be features (NannyML skips them silently; here it is an error naming the column).</para>
/// </remarks>
public static class FeatureFileReader
{
    // pandas.read_csv's default na_values.
    private static readonly HashSet<string> MissingMarkers = new(StringComparer.Ordinal)
    {
        string.Empty, "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    };

    /// <summary>Reads the named columns (and the timestamp column, when given) of a Parquet or CSV file.</summary>
    /// <param name="path">The file; its extension selects the format.</param>
    /// <param name="columns">The feature columns to read (all must exist).</param>
    /// <param name="timestamp">The timestamp column, or null.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="EstimatorDataException">The file is missing or unreadable, a column is absent, or a column cannot be a feature.</exception>
    public static async Task<ModelData> ReadAsync(string path, IReadOnlyList<string> columns, string? timestamp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var requests = columns.Select(c => new ColumnRequest(c, true)).ToList();
        if (timestamp is not null)
        {
            requests.Add(new ColumnRequest(timestamp, true));
        }

        var table = await PredictionFileReader.ReadTableAsync(path, requests, cancellationToken).ConfigureAwait(false);
        var timestamps = timestamp is null ? null : ColumnConverter.ToTimestamps(table.Find(timestamp)!, table.Source);
        var features = columns.Distinct(StringComparer.Ordinal).Select(c => ToFeature(table.Find(c)!, table.Source)).ToList();
        return new ModelData(table.RowCount, timestamps) { Features = features };
    }

    /// <summary>Reads the named columns synchronously (see <see cref="ReadAsync"/>).</summary>
    public static ModelData Read(string path, IReadOnlyList<string> columns, string? timestamp = null) =>
        ReadAsync(path, columns, timestamp).GetAwaiter().GetResult();

    internal static FeatureColumn ToFeature(RawColumn column, string source) => column switch
    {
        DoubleColumn d => new NumericFeature(d.Name, d.Values),
        IntegerColumn i => new NumericFeature(i.Name, [.. i.Values.Select((v, k) => i.IsNull[k] ? double.NaN : v)]),
        BooleanColumn b => new CategoricalFeature(b.Name, [.. b.Values.Select(v => v is bool x ? BoolLabel(x) : null)]),
        StringColumn { IsText: false } s => new CategoricalFeature(s.Name, s.Values),
        StringColumn s => FromText(s),
        DateTimeColumn t => throw new EstimatorDataException("is a timestamp column; drift and data quality compare numbers and categories", source, t.Name),
        _ => throw new EstimatorDataException($"has an unsupported type {column.TypeName} for a feature", source, column.Name),
    };

    // pandas prints booleans as True/False; both readers use those labels so a CSV and a Parquet copy agree.
    private static string BoolLabel(bool value) => value ? "True" : "False";

    private static FeatureColumn FromText(StringColumn column)
    {
        var cells = column.Values;
        var present = new string?[cells.Length];
        bool numeric = true, boolean = true;
        for (var i = 0; i < cells.Length; i++)
        {
            var cell = cells[i];
            if (cell is null || MissingMarkers.Contains(cell))
            {
                continue;
            }

            present[i] = cell;
            numeric &= double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            boolean &= bool.TryParse(cell, out _);
        }

        if (numeric)
        {
            return new NumericFeature(column.Name, [.. present.Select(c => c is null ? double.NaN : double.Parse(c, NumberStyles.Float, CultureInfo.InvariantCulture))]);
        }

        return boolean
            ? new CategoricalFeature(column.Name, [.. present.Select(c => c is null ? null : BoolLabel(bool.Parse(c)))])
            : new CategoricalFeature(column.Name, present);
    }
}
