namespace Estimator.IO;

/// <summary>The tabular file formats the engine reads and writes, chosen by file extension.</summary>
internal enum FileFormat
{
    Parquet,
    Csv,
    Json,
}

/// <summary>Maps file extensions to formats.</summary>
internal static class FileFormats
{
    /// <summary>The format of <paramref name="path"/> by extension (case-insensitive), or null when unknown.</summary>
    public static FileFormat? FromPath(string path)
    {
        var ext = Path.GetExtension(path);
        if (ext.Equals(".parquet", StringComparison.OrdinalIgnoreCase) || ext.Equals(".parq", StringComparison.OrdinalIgnoreCase))
        {
            return FileFormat.Parquet;
        }

        if (ext.Equals(".csv", StringComparison.OrdinalIgnoreCase))
        {
            return FileFormat.Csv;
        }

        if (ext.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            return FileFormat.Json;
        }

        return null;
    }
}
