using System.Diagnostics;
using Estimator.Learning;

/// <summary>Single-threaded scoring of one error model: QuickScorer against the tree walk, best of five runs each in process CPU seconds.</summary>
internal static class ScoringBench
{
    public static void Run(int rows)
    {
        const int width = 8;
        var random = new Random(1);
        var matrix = new float[rows * width];
        var loss = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var row = matrix.AsSpan(i * width, width);
            row[0] = (float)random.NextDouble();
            row[1] = (float)random.NextDouble();
            row[2] = (float)random.NextDouble();
            var g = random.Next(4);
            row[3 + g] = 1f;
            row[7] = 3 + row[0] + (2 * row[1]) - row[2];
            loss[i] = Math.Abs((0.2 + row[1] + (g == 3 ? 0.5 : 0)) * ((random.NextDouble() * 2) - 1));
        }

        var train = Enumerable.Range(0, Math.Min(rows, 200_000)).ToArray();
        var model = LossModel.Train(matrix, width, loss, train, new BoostingSettings(), 42);
        var all = Enumerable.Range(0, rows).ToArray();
        var quick = new double[rows];
        var walked = new double[rows];
        var quickSeconds = Best(() => model.Trees.Score(matrix, width, all, quick));
        var walkSeconds = Best(() => model.Trees.ScoreByWalking(matrix, width, all, walked));
        Console.WriteLine(FormattableString.Invariant(
            $"{{\"rows\": {rows}, \"quick_cpu_seconds\": {quickSeconds:F3}, \"walk_cpu_seconds\": {walkSeconds:F3}, \"ratio\": {walkSeconds / quickSeconds:F1}, \"identical\": {quick.AsSpan().SequenceEqual(walked).ToString().ToLowerInvariant()}}}"));
    }

    // Process CPU seconds, not wall: on a loaded machine the wall time mostly measures the other processes.
    private static double Best(Action body)
    {
        using var process = Process.GetCurrentProcess();
        var best = double.PositiveInfinity;
        for (var r = 0; r < 5; r++)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            body();
            process.Refresh();
            best = Math.Min(best, (process.TotalProcessorTime - before).TotalSeconds);
        }

        return best;
    }
}
