namespace Estimator.Host.Online;

/// <summary>The online endpoints' JSON bodies, written field by field so the names are exactly the documented ones (NaN is null).</summary>
internal static class OnlineJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static byte[] Accepted(int accepted, long rowsSeen) => Write(w =>
    {
        w.WriteNumber("accepted", accepted);
        w.WriteNumber("rows_seen", rowsSeen);
    });

    public static byte[] Error(OnlineRequestError error) => Write(w =>
    {
        w.WriteString("error", error.Message);
        if (error.Row is int row)
        {
            w.WriteNumber("row", row);
        }
        else
        {
            w.WriteNull("row");
        }

        if (error.Field is { } field)
        {
            w.WriteString("field", field);
        }
        else
        {
            w.WriteNull("field");
        }
    });

    public static byte[] Error(string message) => Write(w => w.WriteString("error", message));

    public static byte[] Labels(int accepted) => Write(w => w.WriteNumber("accepted", accepted));

    public static byte[] Snapshot(OnlineSnapshot snapshot) => Write(w =>
    {
        w.WriteString("model", snapshot.Model);
        w.WriteNumber("rows_seen", snapshot.RowsSeen);
        w.WriteNumber("window_rows", snapshot.WindowRows);
        w.WriteNumber("window", snapshot.Window);
        if (snapshot.UpdatedAt is { } at)
        {
            w.WriteString("updated_at", at.UtcDateTime);
        }
        else
        {
            w.WriteNull("updated_at");
        }

        w.WriteString("estimator", snapshot.Estimator);
        Number(w, "effective_sample_size", snapshot.EffectiveSampleSize);
        w.WriteString("estimator_reason", snapshot.EstimatorReason); // null for plain CBPE
        w.WriteStartObject("metrics");
        foreach (var m in snapshot.Metrics)
        {
            w.WriteStartObject(m.Name);
            Number(w, "estimated", m.Estimated);
            Number(w, "sampling_error", m.SamplingError);
            Number(w, "lower_confidence_bound", m.LowerConfidenceBound);
            Number(w, "upper_confidence_bound", m.UpperConfidenceBound);
            w.WriteBoolean("alert", m.Alert);
            Number(w, "lower_threshold", m.LowerThreshold);
            Number(w, "upper_threshold", m.UpperThreshold);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    });

    public static byte[] Verdict(string model, string verdict, IReadOnlyList<string> reasons, DateTimeOffset at) => Write(w =>
    {
        w.WriteString("model", model);
        w.WriteString("verdict", verdict);
        w.WriteStartArray("reasons");
        foreach (var reason in reasons)
        {
            w.WriteStringValue(reason);
        }

        w.WriteEndArray();
        w.WriteString("at", at.UtcDateTime);
    });

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
