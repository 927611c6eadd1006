using System.Diagnostics;
using System.Globalization;
using Estimator.Estimation;
using Estimator.Estimation.Online;
using Estimator.Metrics;

namespace Estimator.Benchmarks;

/// <summary>
/// How the sliding-window kernel's cost grows with N (<c>-- online-kernel</c>): nanoseconds per row added (with
/// eviction) and milliseconds per refreshed estimate (six metrics), for two-decimal calibrated scores (few distinct
/// probabilities, as the car-loan model's) and continuous uncalibrated ones (one distinct value per row).
/// </summary>
internal static class OnlineKernelTimes
{
    public static void Run()
    {
        var (rs, ryHat, ry) = Data.Generate(50_000, 2);
        foreach (var continuous in new[] { false, true })
        {
            var options = new CbpeOptions
            {
                Metrics = [Metric.RocAuc, Metric.Precision, Metric.Recall, Metric.F1, Metric.Accuracy, Metric.Specificity],
                Chunking = Chunking.BySize(5_000),
                Calibration = continuous ? Calibration.CalibrationMode.Never : Calibration.CalibrationMode.Always,
            };
            var fitted = Cbpe.Fit(new PredictionSet(rs, ryHat, ry), options);
            foreach (var n in new[] { 5_000, 50_000, 500_000 })
            {
                var rows = 4 * n;
                var random = new Random(3);
                var s = new double[rows];
                var yHat = new double[rows];
                for (var i = 0; i < rows; i++)
                {
                    s[i] = continuous ? random.NextDouble() : Math.Round(random.NextDouble(), 2);
                    yHat[i] = s[i] >= 0.5 ? 1 : 0;
                }

                var window = new SlidingWindowCbpe(fitted, n);
                window.Add(s.AsSpan(0, n), yHat.AsSpan(0, n));
                var clock = Stopwatch.StartNew();
                for (var at = n; at < rows; at += 500)
                {
                    window.Add(s.AsSpan(at, 500), yHat.AsSpan(at, 500));
                }

                var perRow = clock.Elapsed.TotalNanoseconds / (rows - n);
                clock.Restart();
                var refreshes = 0;
                while (clock.ElapsedMilliseconds < 1_000 || refreshes < 5)
                {
                    _ = window.Estimate();
                    refreshes++;
                }

                var perRefresh = clock.Elapsed.TotalMilliseconds / refreshes;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(continuous ? "continuous, uncalibrated" : "two decimals, calibrated")}: N = {n,7}: add {perRow,6:0} ns/row (evicting), estimate {perRefresh,7:0.000} ms"));
            }
        }
    }
}
