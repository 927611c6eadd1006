namespace Estimator.Slo;

/// <summary>
/// Which side of an objective is decay. A closed set; <c>below</c> and <c>above</c> are what configuration files carry.
/// </summary>
public enum SloDirection
{
    /// <summary>
    /// A floor (<c>below</c>): an estimate below the objective is decay. For metrics where higher is better (ROC AUC,
    /// F1, accuracy, ...). The default, and the only behaviour before directions existed.
    /// </summary>
    Below,

    /// <summary>A ceiling (<c>above</c>): an estimate above the objective is decay. For losses where lower is better (MAE, RMSE, ...).</summary>
    Above,
}

/// <summary>Names of <see cref="SloDirection"/> values, parsing them, and the direction a metric implies.</summary>
public static class SloDirections
{
    private static readonly NameTable<SloDirection> Names = new("below", "above");

    // Lower is better for these: the regression losses DLE estimates, and the two error cells of the confusion matrix
    // (more false positives or false negatives is worse, whatever the normalisation). Every other NannyML metric
    // (roc_auc, f1, precision, recall, specificity, accuracy, average_precision, business_value, true_positive,
    // true_negative) is higher-is-better.
    private static readonly HashSet<string> LowerIsBetter = new(StringComparer.Ordinal)
    {
        "mae", "mape", "mse", "msle", "rmse", "rmsle", "false_positive", "false_negative",
    };

    /// <summary>The direction's name (<c>below</c>, <c>above</c>).</summary>
    /// <param name="direction">The direction.</param>
    public static string Name(this SloDirection direction) => Names.NameOf(direction, nameof(direction), "Unknown SLO direction.");

    /// <summary>Parses a direction's name (case-insensitive, surrounding space ignored).</summary>
    /// <param name="text">The name.</param>
    /// <param name="direction">The direction, when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? text, out SloDirection direction) => Names.TryParse(text, out direction);

    /// <summary>Parses a direction's name.</summary>
    /// <param name="text">The name.</param>
    /// <exception cref="FormatException">Not <c>below</c> or <c>above</c>.</exception>
    public static SloDirection Parse(string text) => TryParse(text, out var direction)
        ? direction
        : throw new FormatException($"'{text}' is not an SLO direction; use one of {Names}");

    /// <summary>
    /// The direction an objective on <paramref name="metric"/> has when none is given: <see cref="SloDirection.Above"/>
    /// for the regression losses and the confusion matrix's false positives and false negatives, otherwise
    /// <see cref="SloDirection.Below"/>.
    /// </summary>
    /// <param name="metric">The metric or component name as in the estimates.</param>
    public static SloDirection For(string metric) => LowerIsBetter.Contains(metric) ? SloDirection.Above : SloDirection.Below;

    /// <summary>Whether <paramref name="value"/> is on the decay side of <paramref name="objective"/> (strictly: meeting it is not decay).</summary>
    /// <param name="direction">The direction.</param>
    /// <param name="value">An estimate, bound or realized value.</param>
    /// <param name="objective">The objective.</param>
    public static bool Misses(this SloDirection direction, double value, double objective) =>
        direction == SloDirection.Above ? value > objective : value < objective;
}
