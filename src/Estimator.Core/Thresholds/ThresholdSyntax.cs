namespace Estimator.Thresholds;

/// <summary>
/// The one-line text form of a per-metric threshold, <c>METRIC=std:LOWER,UPPER</c> or <c>METRIC=constant:LOWER,UPPER</c>
/// (an empty side is disabled; <c>standard_deviation</c> is accepted for <c>std</c>), parsed here for every edge.
/// </summary>
public static class ThresholdSyntax
{
    /// <summary>The accepted form, for messages.</summary>
    public const string Form = "METRIC=std:LOWER,UPPER or METRIC=constant:LOWER,UPPER (either side may be empty)";

    /// <summary>Parses <paramref name="spec"/>.</summary>
    /// <param name="spec">The text.</param>
    /// <param name="metric">The metric, when the text is valid.</param>
    /// <param name="threshold">The threshold, when the text is valid.</param>
    /// <param name="error">Why not, as one sentence, otherwise.</param>
    public static bool TryParse(string? spec, out Metric metric, out Threshold threshold, out string? error)
    {
        metric = default;
        if (!TryParseNamed(spec, out var name, out threshold, out error))
        {
            return false;
        }

        if (!MetricNames.TryParse(name, out metric))
        {
            error = $"unknown metric '{name}'; known metrics: {string.Join(", ", MetricNames.All)}";
            return false;
        }

        return true;
    }

    /// <summary>
    /// Parses <paramref name="spec"/> without resolving the metric's name, for calculators whose metrics are not
    /// <see cref="Metric"/> values (regression's mae, rmse, ...); the caller resolves <paramref name="metric"/>.
    /// </summary>
    /// <param name="spec">The text.</param>
    /// <param name="metric">The metric's name as written (trimmed), when the text is valid.</param>
    /// <param name="threshold">The threshold, when the text is valid.</param>
    /// <param name="error">Why not, as one sentence, otherwise.</param>
    public static bool TryParseNamed(string? spec, out string metric, out Threshold threshold, out string? error)
    {
        metric = "";
        threshold = Threshold.StandardDeviation(3, 3);
        spec ??= "";
        var equals = spec.IndexOf('=', StringComparison.Ordinal);
        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        if (equals <= 0 || colon < equals)
        {
            error = $"expected {Form}, got '{spec}'";
            return false;
        }

        metric = spec[..equals].Trim();
        var kind = spec[(equals + 1)..colon].Trim();
        var sides = spec[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries);
        if (sides.Length != 2)
        {
            error = $"expected two values LOWER,UPPER (either may be empty), got '{spec}'";
            return false;
        }

        if (!TryParseSide(sides[0], out var lower) || !TryParseSide(sides[1], out var upper))
        {
            error = $"'{(TryParseSide(sides[0], out _) ? sides[1] : sides[0])}' is not a number in '{spec}'";
            return false;
        }

        try
        {
            switch (kind)
            {
                case "std" or "standard_deviation":
                    threshold = Threshold.StandardDeviation(lower, upper);
                    break;
                case "constant":
                    threshold = Threshold.Constant(lower, upper);
                    break;
                default:
                    error = $"unknown kind '{kind}' in '{spec}'; use std or constant";
                    return false;
            }
        }
        catch (ArgumentException e)
        {
            error = $"'{spec}': {(e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal))}";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryParseSide(string text, out double? value)
    {
        value = null;
        if (text.Length == 0)
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v))
        {
            value = v;
            return true;
        }

        return false;
    }
}
