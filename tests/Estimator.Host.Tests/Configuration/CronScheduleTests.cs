using Estimator.Host.Configuration;

namespace Estimator.Host.Tests.Configuration;

public sealed class CronScheduleTests
{
    private static readonly DateTime Start = new(2024, 1, 1, 12, 0, 3, DateTimeKind.Utc);

    [Fact]
    public void Parse_ReadsSeconds_WhenThereAreSixFields()
    {
        var schedule = CronSchedule.Parse("*/10 * * * * *");
        Assert.True(schedule.IncludesSeconds);
        Assert.Equal(new DateTime(2024, 1, 1, 12, 0, 10, DateTimeKind.Utc), schedule.NextAfter(Start));
    }

    [Fact]
    public void Parse_ReadsMinutes_WhenThereAreFiveFields()
    {
        var schedule = CronSchedule.Parse("*/5 * * * *");
        Assert.False(schedule.IncludesSeconds);
        Assert.Equal(new DateTime(2024, 1, 1, 12, 5, 0, DateTimeKind.Utc), schedule.NextAfter(Start));
    }

    [Theory]
    [InlineData("", "got 0")]
    [InlineData("* * * *", "got 4")]
    [InlineData("* * * * * * *", "got 7")]
    [InlineData("60 * * * *", "not a valid cron expression")]
    [InlineData("* * * * * 8", "not a valid cron expression")]
    [InlineData("*/0 * * * * *", "not a valid cron expression")]
    public void TryParse_Fails_WhenTheExpressionIsBad(string expression, string message)
    {
        Assert.False(CronSchedule.TryParse(expression, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));
    }
}
