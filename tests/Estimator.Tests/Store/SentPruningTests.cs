using System.Globalization;
using Estimator.Monitoring;

namespace Estimator.Tests.Store;

/// <summary>
/// <c>outbox/sent/</c> stays bounded: beyond the limit and the retention, delivered notifications go, except the newest of
/// each alert and the newest firing one of each.
/// </summary>
public sealed class SentPruningTests : IDisposable
{
    private readonly StoreFixture fixture = new();

    public void Dispose() => fixture.Dispose();

    private static AlertNotification Notification(int chunk, string metric, string state) => new(
        string.Create(CultureInfo.InvariantCulture, $"{chunk:D6}-{metric}-threshold-{state}-Warning"), "car_loan", metric, "threshold", "Warning", state, $"[{chunk}]", chunk,
        0.8, 0.7, 0.9, null, 0.75, null, $"car_loan/{metric}/threshold", default, "test", new Dictionary<string, DateTime>());

    private string[] Sent() =>
        [.. Directory.GetFiles(Path.Combine(fixture.Store, "car_loan", "outbox", "sent")).Select(f => Path.GetFileName(f)[..6]).Order(StringComparer.Ordinal)];

    private static void Deliver(ModelRunner runner, AlertNotification n)
    {
        // A pending notification is written by the evaluation; RecordDelivery rewrites it, so writing it is enough here.
        runner.RecordDelivery(n, "log", complete: true);
    }

    [Fact]
    public void RecordDelivery_KeepsTheLimit_ButTheNewestOfEachAlertAndItsNewestTrigger()
    {
        var clock = new ManualClock(TimeProvider.System.GetUtcNow());
        var runner = new ModelRunner(fixture.Store, clock) { SentLimit = 2 };
        Deliver(runner, Notification(1, "roc_auc", "firing"));
        Deliver(runner, Notification(2, "roc_auc", "resolved"));
        Deliver(runner, Notification(3, "f1", "firing"));
        Deliver(runner, Notification(4, "f1", "firing"));
        Deliver(runner, Notification(5, "f1", "firing"));
        Deliver(runner, Notification(6, "recall", "firing"));
        Assert.Equal(6, Sent().Length); // pruned at most once an hour: the first delivery found one

        clock.Advance(TimeSpan.FromHours(2));
        Deliver(runner, Notification(7, "accuracy", "firing"));

        // Newest first: 7, 6, 5 are their alerts' newest; 4 and 3 are beyond the limit; 2 is roc_auc's newest, 1 its newest trigger.
        Assert.Equal(["000001", "000002", "000005", "000006", "000007"], Sent());
    }

    [Fact]
    public void RecordDelivery_RemovesNotificationsOlderThanTheRetention()
    {
        var clock = new ManualClock(TimeProvider.System.GetUtcNow());
        var runner = new ModelRunner(fixture.Store, clock) { SentRetention = TimeSpan.FromDays(30) };
        Deliver(runner, Notification(1, "f1", "firing"));
        Deliver(runner, Notification(2, "f1", "firing"));

        clock.Advance(TimeSpan.FromDays(31));
        Deliver(runner, Notification(3, "recall", "firing"));

        Assert.Equal(["000002", "000003"], Sent());
    }

    [Fact]
    public void SentNotifications_SkipAnEmptyRecord_AndPruningRemovesIt()
    {
        // An unrouted notification's record is not flushed to disk: a power loss can leave it empty.
        var clock = new ManualClock(TimeProvider.System.GetUtcNow());
        var runner = new ModelRunner(fixture.Store, clock) { SentLimit = 1 };
        Deliver(runner, Notification(2, "f1", "firing"));
        File.WriteAllText(Path.Combine(fixture.Store, "car_loan", "outbox", "sent", "000001-f1-threshold-firing-Warning.json"), "");

        Assert.Equal(["000002-f1-threshold-firing-Warning"], runner.SentNotifications("car_loan").Select(n => n.Id));

        clock.Advance(TimeSpan.FromHours(2));
        Deliver(runner, Notification(3, "f1", "resolved"));
        Assert.Equal(["000002", "000003"], Sent());
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset now = now;

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}
