using System.Text.Json;
using Estimator.Estimation;
using Estimator.Plots;
using ScottPlot.Plottables;
using SkiaSharp;

namespace Estimator.Tests.Plots;

public sealed class PerformancePlotTests : IDisposable
{
    private static readonly Lazy<CbpeResult> CarLoanResult = new(CarLoan.EstimateWithTargets);
    private readonly string directory = Directory.CreateTempSubdirectory("estimator-plots-").FullName;

    [Fact]
    public void SavePng_WritesImageOfChartSize_WhenTwoMetrics()
    {
        var chart = CarLoanResult.Value.Plot(new PerformancePlotOptions { Metrics = ["roc_auc", "f1"], Width = 800, PanelHeight = 250 });
        var path = Path.Combine(directory, "chart.png");
        chart.SavePng(path);

        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal(800, bitmap.Width);
        Assert.Equal(500, bitmap.Height);
        Assert.True(new FileInfo(path).Length > 20_000);

        // Not blank: many distinct colours, and the estimated blue is drawn in both panels.
        var colours = new HashSet<SKColor>();
        var bluePerPanel = new int[2];
        for (var y = 0; y < bitmap.Height; y += 2)
        {
            for (var x = 0; x < bitmap.Width; x += 2)
            {
                var c = bitmap.GetPixel(x, y);
                colours.Add(c);
                if (c.Red == 0x1f && c.Green == 0x77 && c.Blue == 0xb4)
                {
                    bluePerPanel[y / 250]++;
                }
            }
        }

        Assert.True(colours.Count > 50);
        Assert.All(bluePerPanel, count => Assert.True(count > 50));
    }

    [Fact]
    public void SaveSvg_WritesSvgWithOnePanelPerMetric()
    {
        var chart = CarLoanResult.Value.Plot();
        var path = Path.Combine(directory, "chart.svg");
        chart.Save(path);

        var svg = File.ReadAllText(path);
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains($"height=\"{6 * 300}\"", svg, StringComparison.Ordinal);
        Assert.Equal(7, svg.Split("<svg").Length - 1);
        Assert.True(svg.Length > 50_000);
        Assert.Equal(svg.Split("<path").Length, chart.ToSvg().Split("<path").Length);
    }

    [Fact]
    public void Render_DrawsTheResultsData_ForEachMetric()
    {
        var result = CarLoanResult.Value;
        var chart = PerformancePlot.Render(result);
        var metrics = result.Rows.Select(r => r.Metric).Distinct().ToList();
        Assert.Equal(metrics.Count, chart.Panels.Count);

        for (var m = 0; m < metrics.Count; m++)
        {
            var rows = result.Rows.Where(r => r.Metric == metrics[m]).ToList();
            var plottables = chart.Panels[m].GetPlottables().ToList();
            var scatters = plottables.OfType<Scatter>().ToList();

            var estimated = scatters.Single(s => s.LegendText == PerformancePlot.EstimatedLabel).Data.GetScatterPoints();
            Assert.Equal(rows.Select(r => r.Estimated), estimated.Select(p => p.Y));
            Assert.Equal(Enumerable.Range(0, rows.Count).Select(i => (double)i), estimated.Select(p => p.X));

            var realized = scatters.Single(s => s.LegendText == PerformancePlot.RealizedLabel).Data.GetScatterPoints();
            Assert.Equal(rows.Select(r => r.Realized!.Value), realized.Select(p => p.Y));

            var alerts = plottables.OfType<Markers>().Single().Data.GetScatterPoints();
            Assert.Equal(rows.Where(r => r.Alert).Select(r => r.Estimated), alerts.Select(p => p.Y));

            var thresholds = plottables.OfType<HorizontalLine>().Select(l => l.Y).Order().ToList();
            Assert.Equal(new[] { rows[0].LowerThreshold!.Value, rows[0].UpperThreshold!.Value }, thresholds);

            var divider = plottables.OfType<VerticalLine>().Single();
            Assert.Equal(rows.Count(r => r.Period == Period.Reference) - 0.5, divider.X);
        }
    }

    [Fact]
    public void Render_MatchesNannyMlThresholdsAndAlertCount_OnCarLoan()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(
            CarLoan.RepositoryRoot, "tests", "Estimator.Core.Tests", "Fixtures", "car_loan", "expected", "chunk_size_5000.json")));
        var chart = PerformancePlot.Render(CarLoanResult.Value, new PerformancePlotOptions { Metrics = ["roc_auc"], ShowReference = false });
        var panel = chart.Panels.Single();

        var expected = fixture.RootElement.GetProperty("thresholds").GetProperty("roc_auc");
        var lines = panel.GetPlottables().OfType<HorizontalLine>().Select(l => l.Y).Order().ToList();
        Assert.Equal(expected.GetProperty("lower").GetDouble(), lines[0], 1e-9);
        Assert.Equal(expected.GetProperty("upper").GetDouble(), lines[1], 1e-9);
        Assert.Equal(
            fixture.RootElement.GetProperty("alerts").GetProperty("roc_auc").GetInt32(),
            panel.GetPlottables().OfType<Markers>().Single().Data.GetScatterPoints().Count);

        // Analysis only: no reference shading or divider.
        Assert.Empty(panel.GetPlottables().OfType<VerticalLine>());
    }

    [Fact]
    public void Render_Throws_WhenMetricIsNotInTheResult()
    {
        var e = Assert.Throws<ArgumentException>(() => PerformancePlot.Render(CarLoanResult.Value, new PerformancePlotOptions { Metrics = ["average_precision"] }));
        Assert.Contains("average_precision", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OfEstimateRecords_DrawsTheRecordsData_WithPendingRealizedLeftOut()
    {
        // Records as a store holds them: analysis first in the list (order must not matter), realized still pending on
        // the last three analysis chunks.
        var all = IO.EstimateRecord.FromResult(CarLoanResult.Value).Where(r => r.Metric == "roc_auc").ToList();
        var reference = all.Where(r => r.Period == "reference").ToList();
        var analysis = all.Where(r => r.Period == "analysis")
            .Select(r => r.ChunkIndex >= 7 ? r with { Realized = null, TargetsMissingRate = 1 } : r).ToList();
        var records = analysis.Concat(reference).ToList();

        var panel = records.Plot().Panels.Single();

        var ordered = reference.Concat(analysis).ToList();
        var scatters = panel.GetPlottables().OfType<Scatter>().ToList();
        var estimated = scatters.Single(s => s.LegendText == PerformancePlot.EstimatedLabel).Data.GetScatterPoints();
        Assert.Equal(ordered.Select(r => r.Estimated!.Value), estimated.Select(p => p.Y));
        var realized = scatters.Single(s => s.LegendText == PerformancePlot.RealizedLabel).Data.GetScatterPoints();
        Assert.Equal(ordered.Where(r => r.Realized is not null).Select(r => r.Realized!.Value), realized.Select(p => p.Y));
        Assert.Equal(reference.Count + 7, realized.Count);
        var alerts = panel.GetPlottables().OfType<Markers>().Single().Data.GetScatterPoints();
        Assert.Equal(ordered.Where(r => r.Alert).Select(r => r.Estimated!.Value), alerts.Select(p => p.Y));
        Assert.Equal(reference.Count - 0.5, panel.GetPlottables().OfType<VerticalLine>().Single().X);
        var thresholds = panel.GetPlottables().OfType<HorizontalLine>().Select(l => l.Y).Order().ToList();
        Assert.Equal(new[] { all[0].LowerThreshold!.Value, all[0].UpperThreshold!.Value }, thresholds);
    }

    [Fact]
    public void Render_OfEstimateRecords_Throws_WhenEmptyOrSeveralModels()
    {
        var records = IO.EstimateRecord.FromResult(CarLoanResult.Value);
        Assert.Throws<ArgumentException>(() => PerformancePlot.Render(Array.Empty<IO.EstimateRecord>()));
        var mixed = records.Take(6).Concat(records.Skip(6).Select(r => r with { Model = "other" })).ToList();
        var e = Assert.Throws<ArgumentException>(() => PerformancePlot.Render(mixed));
        Assert.Contains("other", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_EmbedsThePng()
    {
        var chart = CarLoanResult.Value.Plot(new PerformancePlotOptions { Metrics = ["accuracy"] });
        var html = chart.ToHtml();
        Assert.StartsWith("<img src=\"data:image/png;base64,", html, StringComparison.Ordinal);
        var base64 = html["<img src=\"data:image/png;base64,".Length..html.IndexOf('"', 32)];
        Assert.Equal(chart.ToPng(), Convert.FromBase64String(base64));
    }

    [Fact]
    public void Save_Throws_WhenExtensionIsNotPngOrSvg()
    {
        var chart = CarLoanResult.Value.Plot(new PerformancePlotOptions { Metrics = ["accuracy"] });
        Assert.Throws<ArgumentException>(() => chart.Save(Path.Combine(directory, "chart.jpg")));
        Assert.False(File.Exists(Path.Combine(directory, "chart.jpg")));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
