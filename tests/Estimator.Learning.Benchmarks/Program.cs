using System.Diagnostics;
using System.Globalization;
using Estimator;
using Estimator.Calculators;
using Estimator.Estimation;
using Estimator.Learning;
using Estimator.Learning.Benchmarks;
using Estimator.Scenarios.Shift;

// Times DLE on seeded synthetic regression data: fit on N reference rows, estimate N analysis rows.
// Usage: dotnet run -c Release --project tests/Estimator.Learning.Benchmarks -- [rows=1000000] [metrics=mae,rmse]
// or `-- score [rows=1000000]`: one thread scoring one error model (100 trees, 31 leaves) by QuickScorer and by the tree walk;
// or `-- sweep FAMILY FIRST COUNT`: shift-aware CBPE against the sampling floor on COUNT fresh seeds of a shift world family.
if (args.Length == 4 && args[0] == "sweep")
{
    Console.Write(ShiftSweep.Run(Enum.Parse<ShiftWorldFamily>(args[1]), int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)));
    return;
}

if (args.Length > 0 && args[0] == "score")
{
    ScoringBench.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000);
    return;
}

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var metrics = (args.Length > 1 ? args[1] : "mae,rmse").Split(',').Select(m => DleMetrics.TryParse(m, out var d) ? d : throw new ArgumentException(m)).ToArray();

var reference = Generate(rows, 1, 0);
var analysis = Generate(rows, 2, 0.3);
var options = new DleOptions { Metrics = metrics, Features = ["x1", "x2", "x3", "g"], Chunking = Chunking.BySize(rows / 10) };
var watch = Stopwatch.StartNew();
var fitted = new DleCalculator(options).Fit(reference, ComputeOptions.Default);
var fit = watch.Elapsed.TotalSeconds;
watch.Restart();
var result = fitted.Calculate(analysis, "bench", ComputeOptions.Default);
var estimate = watch.Elapsed.TotalSeconds;
Console.WriteLine(FormattableString.Invariant($"{{\"rows\": {rows}, \"metrics\": \"{string.Join(',', metrics.Select(m => m.Name()))}\", \"fit_seconds\": {fit:F2}, \"estimate_seconds\": {estimate:F2}, \"result_rows\": {result.Rows.Count}, \"threads\": {Environment.ProcessorCount}}}"));

static ModelData Generate(int count, int seed, double shift)
{
    var random = new Random(seed);
    var x1 = new double[count];
    var x2 = new double[count];
    var x3 = new double[count];
    var g = new string?[count];
    var prediction = new double[count];
    var target = new double[count];
    string[] groups = ["a", "b", "c", "d"];
    for (var i = 0; i < count; i++)
    {
        x1[i] = random.NextDouble() + shift;
        x2[i] = random.NextDouble();
        x3[i] = random.NextDouble();
        g[i] = groups[random.Next(4)];
        prediction[i] = 3 + x1[i] + (2 * x2[i]) - x3[i];
        target[i] = prediction[i] + ((0.2 + x2[i] + (g[i] == "d" ? 0.5 : 0)) * ((random.NextDouble() * 2) - 1));
    }

    return new ModelData(count)
    {
        Predictions = prediction,
        Targets = target,
        Features = [new NumericFeature("x1", x1), new NumericFeature("x2", x2), new NumericFeature("x3", x3), new CategoricalFeature("g", g)],
    };
}
