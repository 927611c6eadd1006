using Estimator.Plots;
using ScottPlot.Plottables;
using SkiaSharp;

namespace Estimator.Tests.Plots;

public class CalibrationPlotTests
{
    [Fact]
    public void ReliabilityBins_MatchHandComputedBins()
    {
        // Ten rows, two bins of five after sorting by score.
        double[] scores = [0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4, 0.5, 0.0];
        double[] targets = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0];
        var bins = ReliabilityBins.Compute(scores, targets, 2);

        // Low bin: scores 0.0..0.4 (mean 0.2), targets of those rows 0,0,1,0,0 -> 0.2; high bin: 0.5..0.9 (mean 0.7), targets 1,1,0,1,1 -> 0.8.
        Assert.Equal([0.2, 0.7], bins.MeanScore.Select(v => Math.Round(v, 12)));
        Assert.Equal([0.2, 0.8], bins.PositiveRate.Select(v => Math.Round(v, 12)));
        Assert.Equal(0.05, bins.Ece, 12);
    }

    [Fact]
    public void Render_DrawsRawAndCalibratedBins_OnCarLoanReference()
    {
        var reference = Estimator.IO.PredictionFileReader.Read(CarLoan.Dataset("reference.parquet"), CarLoan.Mapping with { Id = null }, requireTargets: true, requirePredictions: true).Set;
        var chart = CalibrationPlot.Render(reference.Targets, reference.Scores);

        var scatters = chart.Panels.Single().GetPlottables().OfType<Scatter>().ToList();
        var raw = scatters.Single(s => s.LegendText!.StartsWith(CalibrationPlot.RawLabel, StringComparison.Ordinal)).Data.GetScatterPoints();
        Assert.Equal(10, raw.Count);

        // The raw curve's first bin: the 5000 lowest-scored reference rows, counted here.
        var order = Enumerable.Range(0, reference.Count).OrderBy(i => reference.Scores[i]).Take(5000).ToList();
        Assert.Equal(order.Average(i => reference.Scores[i]), raw[0].X, 9);
        Assert.Equal(order.Average(i => reference.Targets![i]), raw[0].Y, 9);

        using var bitmap = SKBitmap.Decode(chart.ToPng());
        Assert.Equal(chart.Width, bitmap.Width);
        Assert.Equal(chart.Height, bitmap.Height);
    }
}
