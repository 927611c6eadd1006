namespace Estimator.IO;

/// <summary>Takes requested columns of a <see cref="DataFrame"/> into raw columns by the column's element type.</summary>
internal static class DataFrameTableReader
{
    public static SourceTable Read(DataFrame frame, string name, IReadOnlyList<ColumnRequest> requests)
    {
        var available = new List<string>(frame.Columns.Count);
        foreach (var column in frame.Columns)
        {
            available.Add(column.Name);
        }

        var present = SourceTable.Resolve(requests, available, name);
        if (frame.Rows.Count == 0)
        {
            throw new EstimatorDataException("has no rows", name);
        }

        if (frame.Rows.Count > Array.MaxLength)
        {
            throw new EstimatorDataException($"has {frame.Rows.Count} rows; at most {Array.MaxLength} are supported", name);
        }

        var n = (int)frame.Rows.Count;
        var columns = new Dictionary<string, RawColumn>(StringComparer.Ordinal);
        foreach (var columnName in present)
        {
            columns[columnName] = Convert(frame.Columns[columnName], n, name);
        }

        return new SourceTable(name, n, columns);
    }

    private static RawColumn Convert(DataFrameColumn column, int n, string source)
    {
        var t = column.DataType;
        var name = column.Name;
        if (t == typeof(double) || t == typeof(float) || t == typeof(decimal) || t == typeof(Half))
        {
            var values = new double[n];
            for (var i = 0; i < n; i++)
            {
                values[i] = column[i] switch
                {
                    null => double.NaN,
                    double d => d,
                    float f => f,
                    decimal m => (double)m,
                    Half h => (double)h,
                    var o => throw new EstimatorDataException($"unexpected value of type {o.GetType().Name}", source, name, i),
                };
            }

            return new DoubleColumn(name, t.Name, values);
        }

        if (t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte)
            || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint) || t == typeof(ulong))
        {
            var values = new long[n];
            var isNull = new bool[n];
            for (var i = 0; i < n; i++)
            {
                var o = column[i];
                if (o is null)
                {
                    isNull[i] = true;
                }
                else
                {
                    values[i] = o is ulong u ? checked((long)u) : System.Convert.ToInt64(o, System.Globalization.CultureInfo.InvariantCulture);
                }
            }

            return new IntegerColumn(name, t.Name, values, isNull);
        }

        if (t == typeof(bool))
        {
            var values = new bool?[n];
            for (var i = 0; i < n; i++)
            {
                values[i] = (bool?)column[i];
            }

            return new BooleanColumn(name, values);
        }

        if (t == typeof(DateTime) || t == typeof(DateTimeOffset))
        {
            var values = new DateTime?[n];
            for (var i = 0; i < n; i++)
            {
                values[i] = column[i] switch
                {
                    null => null,
                    DateTimeOffset o => o.UtcDateTime,
                    DateTime { Kind: DateTimeKind.Local } d => d.ToUniversalTime(),
                    DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
                    var o => throw new EstimatorDataException($"unexpected value of type {o.GetType().Name}", source, name, i),
                };
            }

            return new DateTimeColumn(name, t.Name, values);
        }

        if (t == typeof(string))
        {
            var values = new string?[n];
            for (var i = 0; i < n; i++)
            {
                values[i] = (string?)column[i];
            }

            return new StringColumn(name, values, isText: false);
        }

        throw new EstimatorDataException($"has unsupported type {t.Name}", source, name);
    }
}
