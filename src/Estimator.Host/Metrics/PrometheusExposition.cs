namespace Estimator.Host.Metrics;

/// <summary>
/// Renders <c>/metrics</c> in the Prometheus text exposition format (0.0.4): per model × metric the latest final analysis
/// chunk's estimate, bounds, thresholds and realized value (and a shift-aware model's effective sample size); per model × calculator × column × method its drift and
/// data-quality values, alerts and thresholds; alert states and counts by severity; error budgets;
/// reconciliation figures; the outbox; and the host's job and delivery counters.
/// </summary>
public static class PrometheusExposition
{
    /// <summary>The exposition's content type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly string[] Severities = ["P1", "P2", "P3"];

    /// <summary>Renders the exposition from the store and the host's counters.</summary>
    /// <param name="config">The configuration (which models).</param>
    /// <param name="store">The store.</param>
    /// <param name="metrics">The host's counters.</param>
    public static string Render(EstimatorConfig config, IModelStore store, HostMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(metrics);
        var estimated = new Family("estimator_performance_estimated", "gauge", "Estimated metric value of the latest final analysis chunk.");
        var lower = new Family("estimator_performance_lower_bound", "gauge", "Lower confidence bound (estimate - 3 sampling errors, clipped) of the latest final chunk.");
        var upper = new Family("estimator_performance_upper_bound", "gauge", "Upper confidence bound of the latest final chunk.");
        var lowerThreshold = new Family("estimator_performance_lower_threshold", "gauge", "Lower alert threshold from the reference period.");
        var upperThreshold = new Family("estimator_performance_upper_threshold", "gauge", "Upper alert threshold from the reference period.");
        var realized = new Family("estimator_performance_realized", "gauge", "Realized metric value of the latest final chunk, once its labels are in.");
        var chunkIndex = new Family("estimator_performance_chunk_index", "gauge", "Index of the latest final analysis chunk the performance gauges describe.");
        var ess = new Family("estimator_effective_sample_size", "gauge", "Kish's effective sample size of the reference weights behind the latest final chunk's importance-weighted estimate (estimator weighted, or auto choosing it); absent otherwise.");
        var chunkEnd = new Family("estimator_performance_chunk_end_timestamp_seconds", "gauge", "End of the latest final analysis chunk (Unix time), when the data has timestamps.");
        var firing = new Family("estimator_alert_firing", "gauge", "1 while the alert fires, else 0; severity is the current tier (none when inactive).");
        var firingCount = new Family("estimator_alerts_firing", "gauge", "Alerts firing, by severity.");
        var pendingCount = new Family("estimator_alerts_pending", "gauge", "Alerts flagged but not yet firing (alerting.for), by severity.");
        var budgetRemaining = new Family("estimator_slo_error_budget_remaining_ratio", "gauge", "Share of the objective's error budget left over the budget window (negative once spent).");
        var burnRate = new Family("estimator_slo_burn_rate", "gauge", "Error-budget burn rate over the budget window (1 spends it exactly over the window).");
        var coverage = new Family("estimator_reconciliation_coverage_ratio", "gauge", "Share of fully labelled chunks whose realized value lies inside the confidence band.");
        var mae = new Family("estimator_reconciliation_mean_absolute_error", "gauge", "Mean absolute error of the estimates over fully labelled chunks.");
        var bias = new Family("estimator_reconciliation_bias", "gauge", "Mean (estimated - realized) over fully labelled chunks.");
        var labelled = new Family("estimator_reconciliation_chunks_complete", "gauge", "Analysis chunks with every label in.");
        var violated = new Family("estimator_assumption_violated", "gauge", "1 while the metric's realized values have left the estimate's band on consecutive fully labelled chunks (the estimator's assumption looks violated: concept drift?), else 0.");
        var outbox = new Family("estimator_notifications_pending", "gauge", "Notifications waiting in the outbox.");
        var actions = new Family("estimator_remediation_actions", "gauge", "Remediation actions in the store, by model, target kind and status (pending, failed: its last delivery pass failed, sent).");
        var rejected = new Family("estimator_rejected_files", "gauge", "Analysis and label files set aside as unusable (corrupt, wrong schema, bad values); tried again once they change.");
        var driftValue = new Family("estimator_drift_value", "gauge", "Drift or data-quality value of the latest final analysis chunk, by calculator, column (empty for multivariate methods) and method.");
        var driftAlert = new Family("estimator_drift_alert", "gauge", "1 when the drift or data-quality value of the latest final chunk lies outside its thresholds (chi2: p < 0.05), else 0.");
        var driftLower = new Family("estimator_drift_lower_threshold", "gauge", "Lower alert threshold of the drift or data-quality method, where it has one.");
        var driftUpper = new Family("estimator_drift_upper_threshold", "gauge", "Upper alert threshold of the drift or data-quality method, where it has one.");

        var firingBySeverity = Severities.ToDictionary(s => s, _ => 0);
        var pendingBySeverity = Severities.ToDictionary(s => s, _ => 0);
        foreach (var model in config.Models)
        {
            var name = model.Name;
            // From the model's summary (one small file) rather than every estimate file: a scrape costs the same however long the history.
            var latest = store.ReadLatestEstimates(name)
                .OrderBy(r => r.Metric, StringComparer.Ordinal)
                .ToList();
            foreach (var r in latest)
            {
                string[] labels = ["model", name, "metric", r.Metric];
                estimated.Add(labels, r.Estimated);
                lower.Add(labels, r.LowerConfidenceBound);
                upper.Add(labels, r.UpperConfidenceBound);
                lowerThreshold.Add(labels, r.LowerThreshold);
                upperThreshold.Add(labels, r.UpperThreshold);
                realized.Add(labels, r.Realized);
                chunkIndex.Add(labels, r.ChunkIndex);
            }

            // One value per chunk: every metric of an importance-weighted chunk rests on the same weights.
            ess.Add(["model", name], latest.FirstOrDefault(r => r.EffectiveSampleSize is not null)?.EffectiveSampleSize);
            if (latest.Count > 0 && latest[0].ChunkEndDate is DateTime end)
            {
                chunkEnd.Add(["model", name], new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc)).ToUnixTimeMilliseconds() / 1000.0);
            }

            foreach (var s in store.ReadAlertStatus(name).OrderBy(s => s.Metric, StringComparer.Ordinal).ThenBy(s => s.Rule, StringComparer.Ordinal))
            {
                var isFiring = s.State == "firing";
                firing.Add(["model", name, "metric", s.Metric, "rule", s.Rule, "severity", s.Severity ?? "none"], isFiring ? 1 : 0);
                if (s.Severity is { } severity && firingBySeverity.ContainsKey(severity))
                {
                    if (isFiring)
                    {
                        firingBySeverity[severity]++;
                    }
                    else if (s.State == "pending")
                    {
                        pendingBySeverity[severity]++;
                    }
                }

                if (s.Budget is { } budget)
                {
                    budgetRemaining.Add(["model", name, "metric", s.Metric], budget.BudgetRemaining);
                    burnRate.Add(["model", name, "metric", s.Metric], budget.BurnRate);
                }
            }

            if (store.ReadReconciliationSummary(name) is { } summary)
            {
                labelled.Add(["model", name], summary.ChunksComplete);
                foreach (var m in summary.Metrics.OrderBy(m => m.Metric, StringComparer.Ordinal))
                {
                    coverage.Add(["model", name, "metric", m.Metric], m.Coverage);
                    mae.Add(["model", name, "metric", m.Metric], m.MeanAbsoluteError);
                    bias.Add(["model", name, "metric", m.Metric], m.Bias);
                    violated.Add(["model", name, "metric", m.Metric], summary.AssumptionViolations.Any(v => v.Active && v.Metric == m.Metric) ? 1 : 0);
                }
            }

            // From the summary too: the latest final chunk's drift file was read once, when that chunk was evaluated.
            foreach (var d in store.ReadLatestDrift(name))
            {
                string[] labels = ["model", name, "calculator", d.Calculator, "column", d.Column ?? "", "method", d.Method];
                driftValue.Add(labels, d.Value ?? double.NaN);
                driftAlert.Add(labels, d.Alert ? 1 : 0);
                driftLower.Add(labels, d.LowerThreshold);
                driftUpper.Add(labels, d.UpperThreshold);
            }

            outbox.Add(["model", name], store.PendingNotifications(name).Count);
            if (model.Remediation.Count > 0)
            {
                foreach (var group in RemediationAction.Distinct(store.RemediationActions(name, "sent"), store.RemediationActions(name, "pending")).GroupBy(a => (a.Kind, a.Status)).OrderBy(g => g.Key))
                {
                    actions.Add(["model", name, "kind", group.Key.Kind, "status", group.Key.Status], group.Count());
                }
            }

            rejected.Add(["model", name], store.ReadRejected(name).Count);
        }

        foreach (var s in Severities)
        {
            firingCount.Add(["severity", s], firingBySeverity[s]);
            pendingCount.Add(["severity", s], pendingBySeverity[s]);
        }

        var snapshot = metrics.Read();
        var runs = new Family("estimator_job_runs_total", "counter", "Job runs since the host started, by job, model and outcome.");
        foreach (var ((job, model, outcome), count) in snapshot.Runs.OrderBy(kv => kv.Key))
        {
            runs.Add(["job", job, "model", model, "outcome", outcome], count);
        }

        var rows = new Family("estimator_rows_processed_total", "counter", "Rows read by jobs since the host started (analysis rows by estimate, label rows by reconcile).");
        foreach (var ((job, model), count) in snapshot.Rows.OrderBy(kv => kv.Key))
        {
            rows.Add(["job", job, "model", model], count);
        }

        var delivered = new Family("estimator_notifications_delivered_total", "counter", "Notifications delivered, by model and channel.");
        foreach (var ((model, channel), count) in snapshot.Delivered.OrderBy(kv => kv.Key))
        {
            delivered.Add(["model", model, "channel", channel], count);
        }

        var failures = new Family("estimator_notification_delivery_failures_total", "counter", "Failed delivery attempts (each retry counts), by model and channel.");
        foreach (var ((model, channel), count) in snapshot.Failures.OrderBy(kv => kv.Key))
        {
            failures.Add(["model", model, "channel", channel], count);
        }

        var remediation = new Family("estimator_remediation_actions_total", "counter", "Remediation delivery passes since the host started, by model, target kind and result (sent: accepted; failed: not accepted after the retries).");
        foreach (var ((model, kind, result), count) in snapshot.Remediation.OrderBy(kv => kv.Key))
        {
            remediation.Add(["model", model, "kind", kind, "result", result], count);
        }

        var text = new StringBuilder();
        foreach (var family in new[]
        {
            estimated, lower, upper, lowerThreshold, upperThreshold, realized, chunkIndex, chunkEnd, ess, firing, firingCount, pendingCount,
            budgetRemaining, burnRate, coverage, mae, bias, labelled, violated, driftValue, driftAlert, driftLower, driftUpper, outbox, actions, rejected, runs, rows, delivered, failures, remediation,
        })
        {
            family.WriteTo(text);
        }

        WriteDurations(text, snapshot);
        return text.ToString();
    }

    private static void WriteDurations(StringBuilder text, HostMetrics.Snapshot snapshot)
    {
        const string Name = "estimator_job_duration_seconds";
        text.Append("# HELP ").Append(Name).Append(" Job run durations since the host started, by job and model.\n");
        text.Append("# TYPE ").Append(Name).Append(" histogram\n");
        foreach (var ((job, model), histogram) in snapshot.Durations.OrderBy(kv => kv.Key))
        {
            long cumulative = 0;
            for (var i = 0; i < HostMetrics.DurationBuckets.Count; i++)
            {
                cumulative += histogram.Buckets[i];
                Sample(text, Name + "_bucket", ["job", job, "model", model, "le", Format(HostMetrics.DurationBuckets[i])], cumulative);
            }

            Sample(text, Name + "_bucket", ["job", job, "model", model, "le", "+Inf"], histogram.Count);
            Sample(text, Name + "_sum", ["job", job, "model", model], histogram.Sum);
            Sample(text, Name + "_count", ["job", job, "model", model], histogram.Count);
        }
    }

    private static void Sample(StringBuilder text, string name, string[] labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Length; i += 2)
            {
                text.Append(i == 0 ? "" : ",").Append(labels[i]).Append("=\"").Append(Escape(labels[i + 1])).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(Format(value)).Append('\n');
    }

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Format(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>One metric family: HELP and TYPE once, then its samples (written only when it has any).</summary>
    private sealed class Family(string name, string type, string help)
    {
        private readonly List<(string[] Labels, double Value)> samples = [];

        public void Add(string[] labels, double? value)
        {
            if (value is double v)
            {
                samples.Add((labels, v));
            }
        }

        public void WriteTo(StringBuilder text)
        {
            if (samples.Count == 0)
            {
                return;
            }

            text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in samples)
            {
                Sample(text, name, labels, value);
            }
        }
    }
}
