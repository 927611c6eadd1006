namespace Estimator.Monitoring;

/// <summary>
/// A model's <c>rejected.json</c>: the analysis and label files set aside as unusable. Kept apart from <c>state.json</c> (which grows
/// with the history) because <c>/health</c>, <c>/metrics</c> and the Models page read it for every model on every request.
/// </summary>
internal static class RejectedFiles
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static List<RejectedFile> Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<List<RejectedFile>>(File.ReadAllText(path), Json) ?? [] : [];

    /// <summary>Writes the list atomically; an empty list removes the file.</summary>
    public static void Save(string path, IReadOnlyList<RejectedFile> files)
    {
        if (files.Count == 0)
        {
            File.Delete(path);
            return;
        }

        AtomicFile.WriteText(path, JsonSerializer.Serialize(files, Json));
    }
}
