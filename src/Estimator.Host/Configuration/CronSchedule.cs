using Cronos;

namespace Estimator.Host.Configuration;

/// <summary>
/// A model's schedule: a cron expression with five fields (minute hour day month weekday) or six (seconds first),
/// e.g. <c>*/10 * * * * *</c> for every ten seconds. Immutable; parse with <see cref="Parse"/> or <see cref="TryParse"/>.
/// </summary>
public sealed class CronSchedule
{
    private CronSchedule(string expression, bool includesSeconds, CronExpression cron)
    {
        Expression = expression;
        IncludesSeconds = includesSeconds;
        Cron = cron;
    }

    /// <summary>The expression as written (trimmed); Hangfire reads the same text.</summary>
    public string Expression { get; }

    /// <summary>Whether the expression has a seconds field (six fields).</summary>
    public bool IncludesSeconds { get; }

    /// <summary>The parsed expression.</summary>
    public CronExpression Cron { get; }

    /// <summary>Parses an expression, or throws <see cref="FormatException"/> saying what is wrong.</summary>
    /// <param name="expression">Five or six cron fields.</param>
    public static CronSchedule Parse(string expression) =>
        TryParse(expression, out var schedule, out var error) ? schedule : throw new FormatException(error);

    /// <summary>Parses an expression.</summary>
    /// <param name="expression">Five or six cron fields.</param>
    /// <param name="schedule">The schedule, when parsing succeeds.</param>
    /// <param name="error">What is wrong, when parsing fails.</param>
    public static bool TryParse(string? expression, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CronSchedule? schedule, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        schedule = null;
        var text = expression?.Trim() ?? "";
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6))
        {
            error = $"'{text}' is not a cron expression: expected 5 fields (minute hour day month weekday) or 6 (with seconds first), got {fields}";
            return false;
        }

        var includesSeconds = fields == 6;
        try
        {
            var cron = CronExpression.Parse(text, includesSeconds ? CronFormat.IncludeSeconds : CronFormat.Standard);
            schedule = new CronSchedule(text, includesSeconds, cron);
            error = null;
            return true;
        }
        catch (CronFormatException e)
        {
            error = $"'{text}' is not a valid cron expression: {e.Message}";
            return false;
        }
    }

    /// <summary>The next occurrence strictly after <paramref name="from"/> (UTC), or null if there is none.</summary>
    /// <param name="from">A UTC time.</param>
    public DateTime? NextAfter(DateTime from) => Cron.GetNextOccurrence(DateTime.SpecifyKind(from, DateTimeKind.Utc));

    /// <inheritdoc />
    public override string ToString() => Expression;
}
