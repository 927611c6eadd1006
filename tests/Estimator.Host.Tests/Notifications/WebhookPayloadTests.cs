using System.Text.Json;
using Estimator.Drift;
using Estimator.Host.Notifications;
using Estimator.Monitoring;

namespace Estimator.Host.Tests.Notifications;

/// <summary>The generic webhook's body: its documented fields, in order, with undefined numbers as null.</summary>
public sealed class WebhookPayloadTests
{
    private static readonly string[] DriftFields =
        ["column", "column_kind", "method", "value", "p_value", "lower_threshold", "upper_threshold", "alert", "alerting_chunks", "chunks", "exceedance", "importance"];

    [Fact]
    public void Drift_ListsTheDocumentedFields_WithUndefinedNumbersAsNull()
    {
        var evidence = new DriftEvidence("x1", "continuous", "jensen_shannon", double.NaN, null, null, 0.1, true, 3, 12, double.PositiveInfinity, 0.25);
        var chi2 = new DriftEvidence("g", "categorical", "chi2", 41.5, 1e-9, null, null, false, 0, 12, 0.5);
        var n = new AlertNotification("000001-x", "m", "roc_auc", "threshold", "P2", "firing", "[0:9]", 1, double.NaN, 0.8, 0.95, null, null, null, "m/roc_auc/threshold", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), "why", new Dictionary<string, DateTime>())
        {
            Drift = [evidence, chi2],
        };

        using var body = JsonDocument.Parse(NotificationPayloads.Webhook(n));
        var root = body.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("estimated").ValueKind);
        Assert.Equal("2026-01-02T03:04:05.000Z", root.GetProperty("at").GetString());
        var drift = root.GetProperty("drift").EnumerateArray().ToList();
        Assert.Equal(2, drift.Count);
        Assert.All(drift, d => Assert.Equal(DriftFields, d.EnumerateObject().Select(p => p.Name)));

        var first = drift[0];
        Assert.Equal("x1", first.GetProperty("column").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("p_value").ValueKind);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("lower_threshold").ValueKind);
        Assert.Equal(0.1, first.GetProperty("upper_threshold").GetDouble());
        Assert.True(first.GetProperty("alert").GetBoolean());
        Assert.Equal(3, first.GetProperty("alerting_chunks").GetInt32());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("exceedance").ValueKind);
        Assert.Equal(0.25, first.GetProperty("importance").GetDouble());

        var second = drift[1];
        Assert.Equal(41.5, second.GetProperty("value").GetDouble());
        Assert.Equal(1e-9, second.GetProperty("p_value").GetDouble());
        Assert.Equal(0.5, second.GetProperty("exceedance").GetDouble());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("importance").ValueKind);
    }

    [Fact]
    public void Drift_IsNull_WithoutEvidence()
    {
        var n = new AlertNotification("000001-x", "m", "roc_auc", "threshold", "P2", "resolved", "[0:9]", 1, 0.9, 0.8, 0.95, null, null, null, "m/roc_auc/threshold", default, "", new Dictionary<string, DateTime>());
        using var body = JsonDocument.Parse(NotificationPayloads.Webhook(n));
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("drift").ValueKind);
    }
}
