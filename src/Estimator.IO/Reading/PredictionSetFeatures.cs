namespace Estimator.IO;

/// <summary>
/// A binary model's outputs joined with its input columns read from the same file, as the shift-aware estimators take
/// them (the command line, the job host and the notebook API read a file the same way).
/// </summary>
public static class PredictionSetFeatures
{
    /// <summary>
    /// The rows of <paramref name="set"/> with <paramref name="features"/> read from <paramref name="path"/> (kinds
    /// inferred as <c>estimator drift</c> infers them); none when the list is empty.
    /// </summary>
    /// <param name="set">Scores, predictions, targets and timestamps read from <paramref name="path"/>.</param>
    /// <param name="path">The file both come from.</param>
    /// <param name="features">The input columns.</param>
    /// <exception cref="EstimatorDataException">A feature is missing, or the file gives another row count than <paramref name="set"/> has.</exception>
    public static ModelData WithFeatures(this PredictionSet set, string path, IReadOnlyList<string> features)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(features);
        var columns = features.Count == 0 ? null : FeatureFileReader.Read(path, features);
        if (columns is not null && columns.Count != set.Count)
        {
            throw new EstimatorDataException(FormattableString.Invariant($"has {columns.Count} rows of features but {set.Count} rows of predictions"), path);
        }

        return new ModelData(set.Count, set.Timestamps)
        {
            Scores = set.Scores,
            Predictions = set.Predictions,
            Targets = set.Targets,
            Features = columns?.Features ?? [],
        };
    }
}
