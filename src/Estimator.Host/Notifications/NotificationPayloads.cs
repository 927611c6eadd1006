using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Estimator.Drift;

namespace Estimator.Host.Notifications;

/// <summary>The JSON bodies posted to each kind of channel for one alert state change.</summary>
public static class NotificationPayloads
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    private static readonly JsonSerializerOptions EvidenceJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new FiniteOrNull() },
    };

    /// <summary>
    /// The generic webhook's body: <c>id</c>, <c>model</c>, <c>metric</c>, <c>rule</c>, <c>severity</c> (P1|P2|P3),
    /// <c>state</c> (firing|resolved), <c>chunk_key</c>, <c>chunk_index</c>, <c>estimated</c>,
    /// <c>lower_confidence_bound</c>, <c>upper_confidence_bound</c>, <c>objective</c>, <c>lower_threshold</c>,
    /// <c>upper_threshold</c>, <c>dedup_key</c>, <c>at</c> (ISO-8601 UTC), <c>reason</c> and <c>drift</c>; absent numbers are
    /// null. <c>drift</c> is the root-cause evidence of a firing alert on a model that monitors drift: its input columns
    /// ranked by how strongly they drifted in the alerting chunks, strongest first, each <c>{column, column_kind, method,
    /// value, p_value, lower_threshold, upper_threshold, alert, alerting_chunks, chunks, exceedance, importance}</c>; null otherwise.
    /// </summary>
    /// <param name="n">The notification.</param>
    public static string Webhook(AlertNotification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        var body = new JsonObject
        {
            ["id"] = n.Id,
            ["model"] = n.Model,
            ["metric"] = n.Metric,
            ["rule"] = n.Rule,
            ["severity"] = n.Severity,
            ["state"] = n.State,
            ["chunk_key"] = n.ChunkKey,
            ["chunk_index"] = n.ChunkIndex,
            ["estimated"] = Number(n.Estimated),
            ["lower_confidence_bound"] = Number(n.LowerConfidenceBound),
            ["upper_confidence_bound"] = Number(n.UpperConfidenceBound),
            ["objective"] = Number(n.Objective),
            ["lower_threshold"] = Number(n.LowerThreshold),
            ["upper_threshold"] = Number(n.UpperThreshold),
            ["dedup_key"] = n.DedupKey,
            ["at"] = Timestamp(n.At),
            ["reason"] = n.Reason,
            ["drift"] = Drift(n.Drift),
        };
        return body.ToJsonString(Compact);
    }

    /// <summary>A Slack-compatible incoming-webhook body: <c>{"text": "..."}</c>, one line saying what changed.</summary>
    /// <param name="n">The notification.</param>
    public static string Slack(AlertNotification n) => new JsonObject { ["text"] = Summary(n) }.ToJsonString(Compact);

    /// <summary>
    /// A PagerDuty Events API v2 event: <c>{routing_key, event_action: trigger|resolve, dedup_key, payload: {summary,
    /// source, severity: critical|error|warning, timestamp, component, group, class, custom_details}}</c>. P1 maps to
    /// <c>critical</c>, P2 to <c>error</c>, P3 to <c>warning</c>.
    /// </summary>
    /// <param name="n">The notification.</param>
    /// <param name="routingKey">The integration's routing key.</param>
    public static string PagerDuty(AlertNotification n, string routingKey)
    {
        ArgumentNullException.ThrowIfNull(n);
        var body = new JsonObject
        {
            ["routing_key"] = routingKey,
            ["event_action"] = n.State == "resolved" ? "resolve" : "trigger",
            ["dedup_key"] = n.DedupKey,
            ["payload"] = new JsonObject
            {
                ["summary"] = Summary(n),
                ["source"] = "estimator/" + n.Model,
                ["severity"] = PagerDutySeverity(n.Severity),
                ["timestamp"] = Timestamp(n.At),
                ["component"] = n.Model,
                ["group"] = n.Metric,
                ["class"] = n.Rule,
                ["custom_details"] = JsonNode.Parse(Webhook(n)),
            },
        };
        return body.ToJsonString(Compact);
    }

    /// <summary>PagerDuty's severity for a tier: P1 critical, P2 error, P3 warning.</summary>
    /// <param name="severity"><c>P1</c>, <c>P2</c> or <c>P3</c>.</param>
    public static string PagerDutySeverity(string severity) => severity switch
    {
        "P1" => "critical",
        "P2" => "error",
        _ => "warning",
    };

    /// <summary>One line for people: <c>[P2] car_loan roc_auc (objective) firing at chunk [25000:29999]: reason</c>.</summary>
    /// <param name="n">The notification.</param>
    public static string Summary(AlertNotification n)
    {
        ArgumentNullException.ThrowIfNull(n);
        var what = n.State == "resolved" ? "resolved" : "firing";
        var estimate = n.Estimated is double e
            ? string.Create(CultureInfo.InvariantCulture, $"; estimated {e:0.####} [{n.LowerConfidenceBound:0.####}, {n.UpperConfidenceBound:0.####}]")
            : "";
        return $"[{n.Severity}] {n.Model} {n.Metric} ({n.Rule}) {what} at chunk {n.ChunkKey}: {n.Reason}{estimate}{Drifting(n.Drift)} (dedup_key {n.DedupKey})";
    }

    /// <summary>The evidence's alerting columns for people: <c>; drifting: car_value (jensen_shannon 0.4648 &gt; 0.0353), ...</c>.</summary>
    private static string Drifting(IReadOnlyList<DriftEvidence>? evidence)
    {
        var alerting = evidence?.Where(e => e.AlertingChunks > 0).ToList();
        if (alerting is null or { Count: 0 })
        {
            return evidence is null ? "" : "; no input drifted";
        }

        return "; drifting: " + string.Join(", ", alerting.Select(e => $"{e.Column} ({MethodValue(e)})"));
    }

    /// <summary>A column's evidence for people: <c>jensen_shannon 0.4648 &gt; 0.0353</c>, or <c>chi2 p 1.2E-10</c>.</summary>
    /// <param name="e">The evidence.</param>
    public static string MethodValue(DriftEvidence e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Method == "chi2" && e.PValue is double p
            ? string.Create(CultureInfo.InvariantCulture, $"chi2 p {p:G3}")
            : string.Create(CultureInfo.InvariantCulture, $"{e.Method} {e.Value:0.####}{(e.UpperThreshold is double u ? $" > {u:0.####}" : "")}");
    }

    /// <summary>
    /// The evidence as its record reads, in snake case: the payload's field names are the record's own, so a field added
    /// to <see cref="DriftEvidence"/> reaches the webhook without a second list to keep in step.
    /// </summary>
    private static JsonNode? Drift(IReadOnlyList<DriftEvidence>? evidence) =>
        evidence is null ? null : JsonSerializer.SerializeToNode(evidence, EvidenceJson);

    /// <summary>Non-finite numbers (an undefined statistic) as null, as <see cref="Number"/> writes them.</summary>
    private sealed class FiniteOrNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    internal static JsonValue? Number(double? value) => value is double v && double.IsFinite(v) ? JsonValue.Create(v) : null;

    internal static string Timestamp(DateTime at) =>
        (at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : DateTime.SpecifyKind(at, DateTimeKind.Utc)).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
