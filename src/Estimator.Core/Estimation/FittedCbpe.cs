namespace Estimator.Estimation;

/// <summary>
/// An immutable fitted CBPE estimator: calibrator, sampling-error components, thresholds and the reference-period
/// rows. Serialisable to JSON so a host can reload it without refitting.
/// </summary>
public sealed class FittedCbpe
{
    private FittedCbpe() { }

    /// <summary>The options it was fitted with.</summary>
    public CbpeOptions Options { get; } = new();

    /// <summary>
    /// Estimates every chunk of <paramref name="analysis"/>; the result holds the reference chunks first, then the
    /// analysis chunks. When the analysis set carries targets, the realized value is filled in.
    /// </summary>
    /// <param name="analysis">The analysis data (scores, predictions as the metrics need, optional targets and timestamps).</param>
    /// <param name="model">The model's name written to the result.</param>
    public CbpeResult Estimate(PredictionSet analysis, string model = "model") => throw new NotImplementedException();

    /// <summary>Serialises the fitted estimator to JSON.</summary>
    public string ToJson() => throw new NotImplementedException();

    /// <summary>Reads a fitted estimator written by <see cref="ToJson"/>.</summary>
    public static FittedCbpe FromJson(string json) => throw new NotImplementedException();
}
