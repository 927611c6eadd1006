using System.Diagnostics;
using Parquet;
using Parquet.Schema;

namespace Estimator.Cli;

/// <summary>
/// The <c>--input</c> part of the bench: times merely reading the needed columns of an analysis Parquet file, then
/// the whole streamed estimate (read → chunks → estimate file), alternating, and reports both and their ratio.
/// </summary>
internal static class BenchStream
{
    public static void Run(string input, FittedCbpe fitted, BenchRequest request, ComputeOptions compute, Dictionary<string, object?> json, TerminalProgress progress)
    {
        var mapping = new ColumnMapping();
        var columns = new List<string> { mapping.YPredProba };
        if (fitted.Options.Metrics.Any(m => Metrics.MetricNames.RequiresPredictions(m)))
        {
            columns.Add(mapping.YPred!);
        }

        var output = Path.Combine(Path.GetTempPath(), $"estimator-bench-{Guid.NewGuid():N}.parquet");
        var readRuns = new List<double>();
        var streamRuns = new List<double>();
        long rows = 0;
        CbpeResult? result = null;
        try
        {
            for (var r = 0; r < request.Repeat; r++)
            {
                progress.Status(Invariant($"reading {string.Join(", ", columns)} only ({r + 1}/{request.Repeat})"));
                GC.Collect();
                var watch = Stopwatch.StartNew();
                rows = ReadColumnsAsync(input, columns).GetAwaiter().GetResult();
                readRuns.Add(watch.Elapsed.TotalSeconds);

                progress.Status(Invariant($"streamed estimate {r + 1}/{request.Repeat}"));
                GC.Collect();
                watch.Restart();
                result = StreamingFileEstimator.EstimateFileAsync(input, mapping, fitted, "bench", compute, progress.Reporter()).GetAwaiter().GetResult();
                EstimateFileWriter.Write(result, output);
                streamRuns.Add(watch.Elapsed.TotalSeconds);
            }
        }
        finally
        {
            File.Delete(output);
        }

        var read = BenchRunner.Median(readRuns);
        var stream = BenchRunner.Median(streamRuns);
        json["rows"] = rows;
        json["analysis_chunks"] = result!.Rows.Count(row => row.Period == Period.Analysis) / Math.Max(1, fitted.Components.Count);
        json["read_columns"] = string.Join(",", columns);
        json["read_seconds"] = read;
        json["read_seconds_runs"] = readRuns;
        json["estimate_seconds"] = stream;
        json["estimate_seconds_runs"] = streamRuns;
        json["estimate_to_read_ratio"] = stream / read;
        json["rows_per_second"] = rows / stream;
    }

    /// <summary>Reads the named columns of every row group and nothing else; returns the row count.</summary>
    private static async Task<long> ReadColumnsAsync(string path, IReadOnlyList<string> columns)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, useAsync: true);
        await using var reader = await ParquetReader.CreateAsync(file).ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields().Where(f => columns.Contains(f.Name)).ToList();
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = checked((int)group.RowCount);
            foreach (var field in fields)
            {
                await ReadAsync(group, field, n).ConfigureAwait(false);
            }

            rows += group.RowCount;
        }

        return rows;
    }

    private static async Task ReadAsync(ParquetRowGroupReader group, DataField field, int n)
    {
        var type = field.ClrType;
        if (type == typeof(double))
        {
            if (field.IsNullable)
            {
                await group.ReadAsync<double>(field, new double?[n].AsMemory()).ConfigureAwait(false);
            }
            else
            {
                await group.ReadAsync<double>(field, new double[n].AsMemory()).ConfigureAwait(false);
            }
        }
        else if (type == typeof(long))
        {
            if (field.IsNullable)
            {
                await group.ReadAsync<long>(field, new long?[n].AsMemory()).ConfigureAwait(false);
            }
            else
            {
                await group.ReadAsync<long>(field, new long[n].AsMemory()).ConfigureAwait(false);
            }
        }
        else
        {
            throw new EstimatorDataException($"the read-only baseline supports double and int64 columns, not {type.Name}", file: null, column: field.Name);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
