using System.Text.Json.Serialization;
using Estimator.Slo;

namespace Estimator.Monitoring;

/// <summary>One alert rule's state in the summary: where its lifecycle stands after the last folded chunk.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Rule"><c>threshold</c> or <c>objective</c>.</param>
/// <param name="Objective">The SLO floor or ceiling (objective rules).</param>
/// <param name="At">The lifecycle after the last folded chunk.</param>
/// <param name="Flags">How many flags of this rule <c>alerts/flags.json</c> holds (one per folded final chunk).</param>
internal sealed record RuleSummary(string Metric, string Rule, double? Objective, LifecycleState At, int Flags)
{
    /// <summary>A ceiling's direction (<see cref="SloDirection.Above"/>); null for floors and threshold rules, as before directions existed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SloDirection? Direction { get; init; }
}

/// <summary>One metric in the summary: its latest final record (what <c>/metrics</c> reports) and the estimates of the last chunks (the error-budget window).</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Latest">The latest final chunk's estimate record.</param>
/// <param name="Window">Estimates of the last <see cref="AlertPolicy.BudgetWindow"/> final chunks, oldest first.</param>
internal sealed record MetricSummary(string Metric, EstimateRecord Latest, double[] Window);

/// <summary>
/// A model's running summary (<c>summary.json</c>): the alert state and latest values after the final chunks up to
/// <see cref="Watermark"/>, so that an evaluation reads only the chunks that became final since, and a scrape reads one
/// small file instead of every estimate file. Valid only while no chunk at or below the watermark is rewritten: every
/// writer that rewrites one (a refit, a rebuild, reconciliation) drops the file first.
/// </summary>
/// <param name="Version">The summary format (<see cref="ModelSummaries.CurrentVersion"/>).</param>
/// <param name="Definition">The alerting policy and objectives the state was computed under.</param>
/// <param name="Watermark">The last final chunk folded in (-1: none).</param>
/// <param name="Metrics">Per metric, in the order the evaluation reports them.</param>
/// <param name="Rules">Per metric and rule, in the order the evaluation reports them.</param>
/// <param name="Current">The alerts' states after the watermark.</param>
/// <param name="FlagBytes">The length of <c>alerts/flags.json</c> as this evaluation wrote it: another length means the file is not the one the summary describes.</param>
internal sealed record ModelSummary(int Version, string Definition, int Watermark, IReadOnlyList<MetricSummary> Metrics, IReadOnlyList<RuleSummary> Rules, IReadOnlyList<AlertStatus> Current, long FlagBytes)
{
    /// <summary>The drift and quality values of the chunk at <see cref="Watermark"/> (what <c>/metrics</c> reports); null for a model that measures none, or a summary written before drift existed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DriftValue>? Drift { get; init; }
}

/// <summary>Reads, writes and drops the per-model summaries (<see cref="ModelSummary"/>).</summary>
internal sealed class ModelSummaries(StoreContext context)
{
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The model's summary, or null when there is none (never evaluated, dropped) or it cannot be read.</summary>
    public ModelSummary? Load(string model)
    {
        var path = context.Layout.SummaryPath(model);
        try
        {
            var summary = File.Exists(path) ? JsonSerializer.Deserialize<ModelSummary>(File.ReadAllText(path), Json) : null;
            return summary?.Version == CurrentVersion ? summary : null;
        }
        catch (Exception e) when (e is IOException or JsonException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the summary atomically but without flushing it to disk: it is derived from the committed chunks (a summary
    /// that is lost, stale or does not match the flags file makes the next evaluation read every estimate file again).
    /// </summary>
    public void Save(string model, ModelSummary summary) => AtomicFile.WriteText(context.Layout.SummaryPath(model), JsonSerializer.Serialize(summary, Json), durable: false);

    /// <summary>Drops the summary: the next evaluation reads every estimate file again.</summary>
    public void Invalidate(string model) => File.Delete(context.Layout.SummaryPath(model));

    /// <summary>Called (under the model's lock) before chunks are rewritten: drops the summary when one of them is already folded in.</summary>
    public void BeforeRewrite(string model, List<(ChunkState Chunk, RowBatch Rows)> changed)
    {
        if (changed.Count > 0)
        {
            BeforeRewrite(model, changed.Min(c => c.Chunk.Index));
        }
    }

    /// <summary>Called (under the model's lock) before chunk <paramref name="index"/> and later ones are rewritten.</summary>
    public void BeforeRewrite(string model, int index)
    {
        if (File.Exists(context.Layout.SummaryPath(model)) && (Load(model) is not { } summary || index <= summary.Watermark))
        {
            Invalidate(model);
        }
    }

    /// <summary>What the evaluation's state depends on besides the chunks: the policy and the objectives.</summary>
    /// <remarks>A floor is written as before directions existed, so the summaries of existing models stay valid.</remarks>
    public static string Definition(ModelDefinition model) =>
        JsonSerializer.Serialize(new { model.Alerting, Slos = model.Slos.Select(s => s.Direction == SloDirection.Below ? (object)new { s.Metric, s.Objective } : new { s.Metric, s.Objective, Direction = s.Direction.Name() }) }, Json);
}
