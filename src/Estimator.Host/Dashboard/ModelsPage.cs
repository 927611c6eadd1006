using System.Net;
using Estimator.Calculators;
using Estimator.Plots;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;

namespace Estimator.Host.Dashboard;

/// <summary>
/// The dashboard's "Models" page (<c>/hangfire/models</c>): per model, the latest analysis chunks' estimated metrics
/// with confidence bounds, thresholds and alerts, and a chart of one metric over all chunks (<c>?metric=NAME</c>); what
/// the model predicts (classification or regression, and a regression model's features) and its current fit (a
/// classifier's calibration, a regression model's error models); a shift-aware classifier's estimator per chunk
/// (<see cref="EstimatorChoiceRenderer"/>); the drift and data-quality small multiples
/// (<see cref="DriftSection"/>). The data comes from <see cref="IModelStore.ReadEstimates"/> and
/// <see cref="IModelStore.ReadDrift(string)"/> on every request.
/// </summary>
internal sealed class ModelsPage : RazorPage
{
    /// <summary>The page's route under the dashboard.</summary>
    public const string Route = "/models";

    /// <summary>How many of the latest analysis chunks the table shows.</summary>
    public const int LatestChunks = 10;

    public override void Execute()
    {
        Layout = new LayoutPage("Models");
        var services = Context.GetHttpContext().RequestServices;
        var config = services.GetRequiredService<EstimatorConfig>();
        var store = services.GetRequiredService<IModelStore>();
        var html = new StringBuilder();
        html.Append("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Models</h1>");
        html.Append(Invariant($"<p class=\"text-muted\">{config.Models.Count} model(s) from {Encode(config.ConfigFile)}; store {Encode(config.StoreDirectory)}.</p>"));
        foreach (var model in config.Models)
        {
            RenderModel(html, model, store);
        }

        html.Append("</div></div>");
        WriteLiteral(html.ToString());
    }

    private void RenderModel(StringBuilder html, ModelConfig model, IModelStore store)
    {
        var name = model.Name;
        html.Append(Invariant($"<section class=\"estimator-model\" id=\"model-{Encode(name)}\" data-model=\"{Encode(name)}\">"));
        html.Append(Invariant($"<h2>{Encode(name)}</h2>"));
        html.Append(Invariant($"<p class=\"text-muted\">Schedule <code>{Encode(model.Schedule.Expression)}</code> (UTC); analysis <code>{Encode(model.Definition.Analysis)}</code></p>"));

        RenderProblem(html, model.Definition);
        IReadOnlyList<EstimateRecord> records;
        try
        {
            RenderFit(html, store.ReadFittedSummary(name));
            RenderRejected(html, store, name);
            records = store.ReadEstimates(name);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            html.Append(Invariant($"<div class=\"alert alert-warning\">Cannot read the estimates of {Encode(name)}: {Encode(e.Message)}</div></section>"));
            return;
        }

        var analysis = records.Where(r => r.Period == "analysis").ToList();
        if (records.Count == 0)
        {
            html.Append("<div class=\"alert alert-info\">No estimates yet: they appear after the model's estimate job has run.</div></section>");
            return;
        }

        var metrics = records.Select(r => r.Metric).Distinct(StringComparer.Ordinal).ToList();
        var chunks = analysis.GroupBy(r => r.ChunkIndex).OrderBy(g => g.Key).ToList();
        var alerts = analysis.Count(r => r.Alert);
        html.Append(Invariant($"<p><strong>{chunks.Count}</strong> analysis chunk(s), <strong class=\"{(alerts > 0 ? "text-danger" : "text-success")}\">{alerts}</strong> alert(s).</p>"));

        RenderAlerts(html, store, name);
        RemediationRenderer.Render(html, store, model);
        var shown = chunks.Skip(Math.Max(0, chunks.Count - LatestChunks)).Reverse().ToList();
        EstimatorChoiceRenderer.Render(html, model.Definition, shown);
        RenderTable(html, shown, metrics, estimatorColumn: model.Definition.IsShiftAware());

        var selected = Query("metric") is { Length: > 0 } q && metrics.Contains(q) ? q : metrics[0];
        html.Append("<ul class=\"nav nav-pills\" style=\"margin:10px 0\">");
        foreach (var metric in metrics)
        {
            var active = metric == selected ? " class=\"active\"" : "";
            html.Append(Invariant($"<li{active}><a href=\"{Url.To(Route)}?metric={Uri.EscapeDataString(metric)}#model-{Encode(name)}\">{Encode(metric)}</a></li>"));
        }

        html.Append("</ul>");
        html.Append(Invariant($"<div class=\"estimator-chart\" data-metric=\"{Encode(selected)}\">"));
        var chart = PerformancePlot.Render(records, new PerformancePlotOptions { Metrics = [selected], Width = 900, PanelHeight = 340 });
        html.Append(chart.ToSvg());
        html.Append("</div>");
        RenderDrift(html, store, name);
        html.Append("</section><hr/>");
    }

    /// <summary>The drift and data-quality sections (see <see cref="DriftSection"/>), or why they cannot be read.</summary>
    private static void RenderDrift(StringBuilder html, IModelStore store, string name)
    {
        try
        {
            DriftSection.Render(html, store.ReadDrift(name));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            html.Append(Invariant($"<div class=\"alert alert-warning\">Cannot read the drift of {Encode(name)}: {Encode(e.Message)}</div>"));
        }
    }

    /// <summary>What the model predicts: classification (binary or multiclass) or regression, with a regression model's features.</summary>
    private static void RenderProblem(StringBuilder html, ModelDefinition model)
    {
        var problem = model.Problem.Name();
        var what = model.IsRegression()
            ? "regression model, estimated with direct loss estimation from the features " + string.Join(", ", model.Features.Select(f => $"<code>{Encode(f)}</code>"))
            : model.IsMulticlass() ? "multiclass classifier, estimated with multiclass CBPE"
            : model.IsShiftAware() ? EstimatorChoiceRenderer.Describe(model) : "binary classifier, estimated with CBPE";
        html.Append(Invariant($"<p class=\"estimator-problem\" data-problem=\"{problem}\">Problem: <strong>{problem}</strong> ({what})</p>"));
    }

    /// <summary>The current fit: a classifier's calibration, or a regression model's error models (loss, metrics, trees).</summary>
    private static void RenderFit(StringBuilder html, FittedSummary? fit)
    {
        if (fit is null)
        {
            return;
        }

        if (fit.ErrorModels.Count > 0)
        {
            html.Append("<p class=\"estimator-fit\" data-fit=\"error-models\">Error models: ");
            html.Append(string.Join("; ", fit.ErrorModels.Select(m => Invariant(
                $"<span data-loss=\"{Encode(m.Loss)}\"><strong>{Encode(m.Loss)}</strong> loss ({Encode(string.Join(", ", m.Metrics))}): {m.Trees} trees, up to {m.Leaves} leaves</span>"))));
            html.Append("</p>");
        }
        else if (fit.Calibration is { } calibration)
        {
            html.Append(Invariant($"<p class=\"estimator-fit\" data-fit=\"calibration\">Calibration: {Encode(calibration)}</p>"));
        }
    }

    /// <summary>Analysis and label files the store set aside as unusable, each with its error (shown even before any estimate exists).</summary>
    private static void RenderRejected(StringBuilder html, IModelStore store, string name)
    {
        foreach (var file in store.ReadRejected(name))
        {
            html.Append(Invariant($"<div class=\"alert alert-danger estimator-rejected\" data-file=\"{Encode(file.Path)}\">File set aside (tried again once it changes): {Encode(file.Error)}</div>"));
        }
    }

    /// <summary>The alerts that are firing or pending, with severity, rule and error budget; and the reconciliation summary.</summary>
    private static void RenderAlerts(StringBuilder html, IModelStore store, string name)
    {
        var active = store.ReadAlertStatus(name).Where(a => a.State is "firing" or "pending").ToList();
        if (active.Count > 0)
        {
            html.Append("<ul class=\"list-unstyled estimator-alerts\">");
            var evidence = RootCauseRenderer.LatestEvidence(store, name);
            foreach (var a in active.OrderBy(a => a.Severity, StringComparer.Ordinal).ThenBy(a => a.Metric, StringComparer.Ordinal))
            {
                var label = a.State == "firing" ? "label-danger" : "label-warning";
                var objective = a.Objective is double o ? Invariant($" {a.Direction ?? "below"} objective {o:0.####}") : " outside the reference thresholds";
                var budget = a.Budget is { } b ? Invariant($"; error budget burn rate {b.BurnRate:0.##} over {b.WindowChunks} chunks") : "";
                html.Append(Invariant($"<li data-alert=\"{Encode(a.Metric)}/{Encode(a.Rule)}\"><span class=\"label {label}\">{Encode(a.Severity ?? "")} {Encode(a.State)}</span> <strong>{Encode(a.Metric)}</strong>{objective} at {Encode(a.ChunkKey ?? "")}{budget}"));
                if (a.State == "firing" && evidence.TryGetValue(Invariant($"{name}/{a.Metric}/{a.Rule}"), out var n))
                {
                    RootCauseRenderer.Render(html, n);
                }

                html.Append("</li>");
            }

            html.Append("</ul>");
        }

        if (store.ReadReconciliationSummary(name) is { } summary)
        {
            html.Append(Invariant($"<p class=\"estimator-reconciliation\">Labels in for {summary.ChunksWithLabels} chunk(s) ({summary.ChunksComplete} complete): "));
            html.Append(string.Join("; ", summary.Metrics.Select(m => Invariant($"{Encode(m.Metric)} MAE {m.MeanAbsoluteError:0.####}, coverage {m.Coverage:P0}"))));
            html.Append("</p>");
            foreach (var warning in summary.Warnings)
            {
                html.Append(Invariant($"<div class=\"alert alert-warning\">{Encode(warning)}</div>"));
            }
        }
    }

    private static void RenderTable(StringBuilder html, List<IGrouping<int, EstimateRecord>> chunks, List<string> metrics, bool estimatorColumn)
    {
        html.Append("<div class=\"table-responsive\"><table class=\"table table-condensed table-striped estimator-chunks\"><thead><tr><th>Chunk</th><th>From</th><th>To</th><th>Rows</th>");
        html.Append(estimatorColumn ? "<th>Estimator</th>" : "");
        foreach (var metric in metrics)
        {
            var latest = chunks.SelectMany(g => g).FirstOrDefault(r => r.Metric == metric);
            var thresholds = latest is null ? "" : $"<br/><small class=\"text-muted\">thresholds {Number(latest.LowerThreshold)} – {Number(latest.UpperThreshold)}</small>";
            html.Append(Invariant($"<th>{Encode(metric)}{thresholds}</th>"));
        }

        html.Append("</tr></thead><tbody>");
        foreach (var chunk in chunks)
        {
            var first = chunk.First();
            var provisional = first.Provisional ? " <span class=\"label label-default estimator-provisional\" title=\"still filling: replaced when complete\">provisional</span>" : "";
            html.Append(Invariant($"<tr data-chunk=\"{Encode(first.ChunkKey)}\"><td><code>{Encode(first.ChunkKey)}</code>{provisional}</td><td>{Date(first.ChunkStartDate)}</td><td>{Date(first.ChunkEndDate)}</td><td>{first.ChunkRows}</td>"));
            html.Append(estimatorColumn ? EstimatorChoiceRenderer.Cell(first) : "");
            foreach (var metric in metrics)
            {
                var row = chunk.FirstOrDefault(r => r.Metric == metric);
                if (row is null)
                {
                    html.Append("<td></td>");
                    continue;
                }

                var alert = row.Alert ? " class=\"danger estimator-alert\"" : "";
                var flag = row.Alert ? " <span class=\"label label-danger\">alert</span>" : "";
                var realized = row.Realized is null ? "" : $"<br/><small>realized {Number(row.Realized)}</small>";
                html.Append(Invariant($"<td{alert} data-metric=\"{Encode(metric)}\"><strong>{Number(row.Estimated)}</strong>{flag}<br/><small class=\"text-muted\">[{Number(row.LowerConfidenceBound)}, {Number(row.UpperConfidenceBound)}]</small>{realized}</td>"));
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></div>");
    }

    private static string Number(double? value) => value is double v ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "–";

    private static string Date(DateTime? value) => value is DateTime d ? d.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
