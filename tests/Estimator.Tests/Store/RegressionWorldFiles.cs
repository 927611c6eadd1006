using DuckDB.NET.Data;

namespace Estimator.Tests.Store;

/// <summary>
/// Files cut from the shared regression world <c>regression_covariate_shift</c> (see shared/scenarios/README.md): its
/// reference, analysis rows [start, end) as one Parquet file, the analysis labels (<c>id, y_true</c>) as a label file.
/// DuckDB does the cutting and the brute-force sums, so the oracle shares no code with the store.
/// </summary>
internal static class RegressionWorldFiles
{
    public static readonly string[] Features = ["x1", "x2", "x3", "g"];

    public static string Directory { get; } = SharedScenarios.World("regression_covariate_shift");

    public static string Reference => Path.Combine(Directory, "reference.parquet");

    public static string Analysis => Path.Combine(Directory, "analysis.parquet");

    public static string Targets => Path.Combine(Directory, "analysis_targets.parquet");

    /// <summary>Analysis rows [start, end) in file order, every column (or all but <paramref name="except"/>).</summary>
    public static void CutAnalysis(string path, int start, int end, string? except = null)
    {
        var columns = except is null ? "* EXCLUDE (file_row_number)" : $"* EXCLUDE (file_row_number, {except})";
        Execute($"COPY (SELECT {columns} FROM read_parquet('{Quote(Analysis)}', file_row_number = true) WHERE file_row_number >= {start} AND file_row_number < {end} ORDER BY file_row_number) TO '{Quote(path)}' (FORMAT parquet)");
    }

    /// <summary>Rows of <paramref name="source"/> (any Parquet file) meeting the SQL <paramref name="where"/>, every column, in file order.</summary>
    public static void Filter(string source, string path, string where) =>
        Execute($"COPY (SELECT * EXCLUDE (file_row_number) FROM read_parquet('{Quote(source)}', file_row_number = true) WHERE {where} ORDER BY file_row_number) TO '{Quote(path)}' (FORMAT parquet)");

    /// <summary>The labels of every analysis row: <c>id, y_true</c>.</summary>
    public static void WriteLabels(string path) =>
        Execute($"COPY (SELECT id, y_true FROM read_parquet('{Quote(Targets)}')) TO '{Quote(path)}' (FORMAT parquet)");

    /// <summary>Mean |y_true − y_pred| per chunk of <paramref name="size"/> rows in timestamp order (ties in file order).</summary>
    public static double[] RealizedMaePerChunk(int size)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            WITH a AS (SELECT id, timestamp, y_pred, file_row_number FROM read_parquet('{Quote(Analysis)}', file_row_number = true)),
                 ordered AS (SELECT a.y_pred, t.y_true, (row_number() OVER (ORDER BY a.timestamp, a.file_row_number) - 1) // {size} AS chunk
                             FROM a JOIN read_parquet('{Quote(Targets)}') t USING (id))
            SELECT chunk, avg(abs(y_true - y_pred)) FROM ordered GROUP BY chunk ORDER BY chunk
            """;
        using var reader = command.ExecuteReader();
        var result = new List<double>();
        while (reader.Read())
        {
            Assert.Equal(result.Count, Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            result.Add(reader.GetDouble(1));
        }

        return [.. result];
    }

    /// <summary>The column names of a Parquet file, in order.</summary>
    public static List<string> Columns(string path)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{Quote(path)}')";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static void Execute(string sql)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static DuckDBConnection Open()
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        return connection;
    }

    private static string Quote(string path) => path.Replace("'", "''", StringComparison.Ordinal);
}
