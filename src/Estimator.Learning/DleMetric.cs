using Estimator.Numerics;

namespace Estimator.Learning;

/// <summary>The regression metrics direct loss estimation (DLE) estimates, named as NannyML names them.</summary>
public enum DleMetric
{
    /// <summary>Mean absolute error.</summary>
    Mae,

    /// <summary>Mean squared error.</summary>
    Mse,

    /// <summary>Root mean squared error.</summary>
    Rmse,

    /// <summary>Mean absolute percentage error (a fraction, as scikit-learn computes it).</summary>
    Mape,

    /// <summary>Mean squared logarithmic error.</summary>
    Msle,

    /// <summary>Root mean squared logarithmic error.</summary>
    Rmsle,
}

/// <summary>Per-row losses, chunk aggregation and NannyML 0.13.1's sampling-error formulas for each <see cref="DleMetric"/>.</summary>
public static class DleMetrics
{
    /// <summary>The metrics in their canonical order.</summary>
    public static IReadOnlyList<DleMetric> All { get; } = [DleMetric.Mae, DleMetric.Mape, DleMetric.Mse, DleMetric.Msle, DleMetric.Rmse, DleMetric.Rmsle];

    /// <summary>NannyML's default metric list for DLE.</summary>
    public static IReadOnlyList<DleMetric> Default { get; } = All;

    // scikit-learn's mean_absolute_percentage_error divides by max(|y|, eps).
    private const double PercentageEpsilon = 2.220446049250313e-16;

    /// <summary>The metric's name as written to estimate files (<c>mae</c>, <c>rmse</c>, ...).</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>The lower-case name.</returns>
    public static string Name(this DleMetric metric) => metric switch
    {
        DleMetric.Mae => "mae",
        DleMetric.Mse => "mse",
        DleMetric.Rmse => "rmse",
        DleMetric.Mape => "mape",
        DleMetric.Msle => "msle",
        _ => "rmsle",
    };

    /// <summary>Parses a metric name.</summary>
    /// <param name="name">A name such as <c>mae</c>.</param>
    /// <param name="metric">The metric when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public static bool TryParse(string? name, out DleMetric metric)
    {
        foreach (var m in All)
        {
            if (string.Equals(m.Name(), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                metric = m;
                return true;
            }
        }

        metric = default;
        return false;
    }

    /// <summary>Whether the metric takes logarithms of targets and predictions (needs values ≥ 0... strictly &gt; -1, NannyML asks ≥ 0).</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>True for msle and rmsle.</returns>
    public static bool IsLogarithmic(this DleMetric metric) => metric is DleMetric.Msle or DleMetric.Rmsle;

    /// <summary>The first row whose value a logarithmic metric refuses (a negative one), or −1 when there is none.</summary>
    /// <param name="values">Predicted or actual values.</param>
    public static int FirstNegative(ReadOnlySpan<double> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] < 0)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether the chunk value is the square root of the mean loss.</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>True for rmse and rmsle.</returns>
    public static bool IsRoot(this DleMetric metric) => metric is DleMetric.Rmse or DleMetric.Rmsle;

    /// <summary>The metric whose per-row loss model this metric uses (rmse shares mse's, rmsle shares msle's).</summary>
    /// <param name="metric">The metric.</param>
    /// <returns>The loss the error model learns.</returns>
    public static DleMetric Loss(this DleMetric metric) => metric switch
    {
        DleMetric.Rmse => DleMetric.Mse,
        DleMetric.Rmsle => DleMetric.Msle,
        _ => metric,
    };

    /// <summary>One row's loss: the quantity the metric averages over a chunk.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="target">The row's target.</param>
    /// <param name="prediction">The row's prediction.</param>
    /// <returns>The loss.</returns>
    public static double RowLoss(DleMetric metric, double target, double prediction)
    {
        var error = target - prediction;
        switch (metric.Loss())
        {
            case DleMetric.Mae:
                return Math.Abs(error);
            case DleMetric.Mape:
                return Math.Abs(error) / Math.Max(Math.Abs(target), PercentageEpsilon);
            case DleMetric.Mse:
                return error * error;
            default:
                var log = Math.Log(1 + target) - Math.Log(1 + prediction);
                return log * log;
        }
    }

    /// <summary>The chunk's metric from the mean of its row losses (estimated or realized).</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="meanLoss">The mean row loss.</param>
    /// <returns>The metric; roots of a negative mean estimate are 0.</returns>
    public static double FromMeanLoss(DleMetric metric, double meanLoss) => metric.IsRoot() ? Math.Sqrt(Math.Max(0, meanLoss)) : meanLoss;

    /// <summary>NannyML's sampling-error components from the reference: (std of the row loss, mean of the row loss).</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="targets">Reference targets.</param>
    /// <param name="predictions">Reference predictions.</param>
    /// <returns>The population standard deviation and mean of the loss NannyML's formula uses.</returns>
    public static (double Std, double Mean) SamplingErrorComponents(DleMetric metric, ReadOnlySpan<double> targets, ReadOnlySpan<double> predictions)
    {
        double sum = 0;
        var n = 0;
        foreach (var (target, prediction) in new PresentPairs(targets, predictions))
        {
            sum += SamplingLoss(metric, target, prediction);
            n++;
        }

        var mean = n == 0 ? double.NaN : sum / n;
        double squares = 0;
        foreach (var (target, prediction) in new PresentPairs(targets, predictions))
        {
            var d = SamplingLoss(metric, target, prediction) - mean;
            squares += d * d;
        }

        return (n == 0 ? double.NaN : Math.Sqrt(squares / n), mean);
    }

    /// <summary>NannyML's sampling error of the metric on a chunk of <paramref name="rows"/> rows.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="components">From <see cref="SamplingErrorComponents"/>.</param>
    /// <param name="rows">The chunk's row count.</param>
    /// <returns>The standard error.</returns>
    public static double SamplingError(DleMetric metric, (double Std, double Mean) components, long rows) => metric.IsRoot()
        ? Math.Sqrt(components.Std * components.Std / (4 * rows * components.Mean))
        : components.Std / Math.Sqrt(rows);

    // NannyML's mape sampling error divides by y_true itself (no epsilon); the other losses are the row losses.
    private static double SamplingLoss(DleMetric metric, double target, double prediction) => metric == DleMetric.Mape
        ? Math.Abs((target - prediction) / target)
        : RowLoss(metric, target, prediction);
}
