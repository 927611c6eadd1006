namespace Estimator.Drift;

/// <summary>
/// Ranks a model's input columns by how strongly they drifted in the chunks where a performance alert fired: the
/// root-cause evidence attached to the alert's notification. Columns that alerted in more of those chunks come first;
/// among equals, where a domain classifier is fitted, the one its trees split on more (its <c>feature_importance</c>
/// rows, averaged over the chunks); then the one whose drift went further past its threshold (<see cref="Exceedance"/>,
/// averaged over the chunks); then by name, so the order is deterministic. Each column is reported by the method that ranks
/// it highest, so a column that drifts by one method and not by another is not hidden by the quiet one.
/// </summary>
public static class RootCause
{
    /// <summary>How many columns a notification carries by default.</summary>
    public const int DefaultTop = 5;

    /// <summary>The domain classifier's per-column importance rows' method name.</summary>
    public const string ImportanceMethod = "feature_importance";

    /// <summary>The p-value below which chi-square alerts (NannyML's rule), the "threshold" of its exceedance.</summary>
    private const double Chi2Alpha = 0.05;

    /// <summary>
    /// The top <paramref name="top"/> columns by drift in <paramref name="alertingChunks"/>, from univariate drift rows
    /// and the domain classifier's <c>feature_importance</c> rows (any other rows are ignored: the other multivariate rows
    /// have no column, quality is not drift).
    /// </summary>
    /// <param name="rows">Stored drift rows, of any chunks; only the alerting chunks' univariate rows are used.</param>
    /// <param name="alertingChunks">The indices of the analysis chunks the performance alert fired on.</param>
    /// <param name="top">How many columns to return at most.</param>
    /// <returns>The ranked evidence, strongest first; empty when no univariate drift was stored for those chunks.</returns>
    public static IReadOnlyList<DriftEvidence> Rank(IEnumerable<ChunkEstimate> rows, IReadOnlyCollection<int> alertingChunks, int top = DefaultTop)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(alertingChunks);
        ArgumentOutOfRangeException.ThrowIfNegative(top);
        var chunks = alertingChunks as IReadOnlySet<int> ?? new HashSet<int>(alertingChunks);
        var byColumnMethod = new Dictionary<(string Column, string Method), List<ChunkEstimate>>();
        var importance = new Dictionary<string, (double Sum, int Count)>(StringComparer.Ordinal);

        // A column's alert count is over any method: it alerted in a chunk if one of its methods did.
        var alertedChunks = new Dictionary<string, HashSet<int>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Calculator == CalculatorKind.DomainClassifier && row.Metric == ImportanceMethod && row.Column is not null
                && row.Period == Period.Analysis && chunks.Contains(row.Chunk.Index) && double.IsFinite(row.Estimated))
            {
                var (sum, count) = importance.GetValueOrDefault(row.Column);
                importance[row.Column] = (sum + row.Estimated, count + 1);
                continue;
            }

            if (row.Calculator != CalculatorKind.UnivariateDrift || row.Period != Period.Analysis || row.Column is null || !chunks.Contains(row.Chunk.Index))
            {
                continue;
            }

            var key = (row.Column, row.Metric);
            if (!byColumnMethod.TryGetValue(key, out var list))
            {
                byColumnMethod[key] = list = [];
            }

            list.Add(row);
            if (row.Alert)
            {
                if (!alertedChunks.TryGetValue(row.Column, out var alerted))
                {
                    alertedChunks[row.Column] = alerted = [];
                }

                alerted.Add(row.Chunk.Index);
            }
        }

        var best = new Dictionary<string, DriftEvidence>(StringComparer.Ordinal);
        foreach (var ((column, method), list) in byColumnMethod)
        {
            list.Sort((a, b) => a.Chunk.Index.CompareTo(b.Chunk.Index));
            var alerting = 0;
            var sum = 0.0;
            var counted = 0;
            foreach (var row in list)
            {
                alerting += row.Alert ? 1 : 0;
                var e = Exceedance(row);
                if (double.IsFinite(e))
                {
                    sum += e;
                    counted++;
                }
            }

            var latest = list[^1];
            var candidate = new DriftEvidence(
                column, latest.ColumnKind, method, Finite(latest.Estimated), Finite(latest.PValue), Finite(latest.LowerThreshold), Finite(latest.UpperThreshold), latest.Alert,
                alerting, list.Count, counted == 0 ? 0 : Math.Min(sum / counted, double.MaxValue));
            if (!best.TryGetValue(column, out var held) || Stronger(candidate, held))
            {
                best[column] = candidate;
            }
        }

        var ranked = best.Values.Select(e => e with
        {
            AlertingChunks = alertedChunks.TryGetValue(e.Column, out var alerted) ? alerted.Count : 0,
            Importance = importance.TryGetValue(e.Column, out var share) ? share.Sum / share.Count : null,
        }).ToList();
        ranked.Sort((a, b) => Stronger(a, b) ? -1 : Stronger(b, a) ? 1 : 0);
        return ranked.Count > top ? ranked.GetRange(0, top) : ranked;
    }

    /// <summary>
    /// How far a drift value went past its threshold, as a ratio that is 1 at the threshold and above 1 beyond it:
    /// value ÷ upper threshold; lower threshold ÷ value when the value fell below a positive lower threshold; for
    /// chi-square, which alerts on its p-value, ln p ÷ ln 0.05. NaN when the row has neither a threshold nor a p-value,
    /// or its value is not finite.
    /// </summary>
    /// <param name="row">A univariate drift row.</param>
    public static double Exceedance(ChunkEstimate row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var value = row.Estimated;
        if (row.PValue is double p && row.LowerThreshold is null && row.UpperThreshold is null)
        {
            // p can be 0 in double precision for a very large statistic: the smallest positive double stands in.
            return double.IsNaN(p) ? double.NaN : Math.Log(Math.Max(p, double.Epsilon)) / Math.Log(Chi2Alpha);
        }

        if (!double.IsFinite(value))
        {
            return double.NaN;
        }

        if (row.LowerThreshold is double lower && lower > 0 && value < lower)
        {
            // Capped rather than infinite, so the evidence stays valid JSON.
            return value > 0 ? Math.Min(lower / value, double.MaxValue) : double.MaxValue;
        }

        return row.UpperThreshold is double upper && upper > 0 ? value / upper : double.NaN;
    }

    // Evidence travels as JSON (outbox, webhooks), which has no NaN or infinity: a value that is not finite is absent.
    private static double? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;

    /// <summary>Whether <paramref name="a"/> ranks above <paramref name="b"/>: more alerting chunks, then larger exceedance, then name.</summary>
    private static bool Stronger(DriftEvidence a, DriftEvidence b)
    {
        if (a.AlertingChunks != b.AlertingChunks)
        {
            return a.AlertingChunks > b.AlertingChunks;
        }

        // A column the classifier did not see ranks, at equal alert counts, below those it did (−1 is below every share).
        var (ia, ib) = (a.Importance ?? -1, b.Importance ?? -1);
        if (ia != ib)
        {
            return ia > ib;
        }

        if (a.Exceedance != b.Exceedance)
        {
            return a.Exceedance > b.Exceedance;
        }

        var byColumn = string.CompareOrdinal(a.Column, b.Column);
        return byColumn != 0 ? byColumn < 0 : string.CompareOrdinal(a.Method, b.Method) < 0;
    }
}
