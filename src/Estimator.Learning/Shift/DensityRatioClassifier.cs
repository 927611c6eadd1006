using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Estimator.Learning;

/// <summary>
/// The domain classifier of importance-weighted CBPE: learns to tell the chunk's rows (label 1) from the reference's
/// (label 0) and returns every row's log-odds of belonging to the chunk. With n₀ reference and n₁ chunk rows, the
/// density ratio p_chunk(x) / p_reference(x) is exp(log-odds) · n₀ / n₁.
/// </summary>
internal static class DensityRatioClassifier
{
    /// <summary>Every row's log-odds (row-major <paramref name="matrix"/> of <paramref name="width"/> floats a row).</summary>
    public static double[] LogOdds(float[] matrix, int width, bool[] labels, ShiftAwareCbpeOptions options) =>
        options.Learner == DomainLearner.GradientBoosting
            ? BoostedOutOfFold(matrix, width, labels, options)
            : Logistic(matrix, width, labels, options.Seed);

    private static double[] Logistic(float[] matrix, int width, bool[] labels, int seed)
    {
        var context = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        var data = context.Data.LoadFromEnumerable(Rows(matrix, width, labels), schema);
        var trainer = context.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            NumberOfThreads = 1,
            L2Regularization = 1e-4f,
            L1Regularization = 0,
            OptimizationTolerance = 1e-8f,
            FeatureColumnName = nameof(Row.Features),
            LabelColumnName = nameof(Row.Label),
        });
        var model = trainer.Fit(data).Model.SubModel;
        var weights = model.Weights.Select(w => (double)w).ToArray();
        var bias = (double)model.Bias;
        var rows = labels.Length;
        var logOdds = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var row = matrix.AsSpan(r * width, width);
            var z = bias;
            for (var c = 0; c < width; c++)
            {
                z += weights[c] * row[c];
            }

            logOdds[r] = z;
        }

        return logOdds;
    }

    /// <summary>
    /// Boosted trees fitted on one half and scoring the other (in-sample tree scores overstate the shift), then Platt
    /// scaling of the pooled out-of-fold scores, so the log-odds are on the density ratio's scale.
    /// </summary>
    private static double[] BoostedOutOfFold(float[] matrix, int width, bool[] labels, ShiftAwareCbpeOptions options)
    {
        const int folds = 2;
        var assignment = StratifiedFolds.Assign(labels, folds);
        var raw = new double[labels.Length];
        for (var fold = 0; fold < folds; fold++)
        {
            var test = Enumerable.Range(0, labels.Length).Where(r => assignment[r] == fold).ToArray();
            var train = Enumerable.Range(0, labels.Length).Where(r => assignment[r] != fold).ToArray();
            var scores = FoldClassifier.Score(matrix, width, labels, train, test, options.Boosting, options.Seed, new double[width]);
            for (var i = 0; i < test.Length; i++)
            {
                raw[test[i]] = scores[i];
            }
        }

        var (slope, intercept) = Platt(raw, labels);
        for (var r = 0; r < raw.Length; r++)
        {
            raw[r] = (slope * raw[r]) + intercept;
        }

        return raw;
    }

    /// <summary>
    /// One-feature logistic regression: log-odds = slope · score + intercept, by Newton's method from the flat model
    /// (slope 0, intercept the log prior odds) with step halving, so every step raises the likelihood and a score that
    /// carries no signal keeps a slope near 0 (undamped Newton from slope 1 could overshoot to a negative slope).
    /// </summary>
    internal static (double Slope, double Intercept) Platt(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var n = scores.Length;
        var s = new double[n];
        double mean = 0, positives = 0;
        for (var i = 0; i < n; i++)
        {
            s[i] = double.IsFinite(scores[i]) ? scores[i] : Math.Sign(scores[i]) * 50;
            mean += s[i];
            positives += labels[i] ? 1 : 0;
        }

        mean /= n;
        double spread = 0;
        for (var i = 0; i < n; i++)
        {
            spread += (s[i] - mean) * (s[i] - mean);
        }

        spread = Math.Sqrt(spread / n);
        spread = spread > 0 ? spread : 1;
        for (var i = 0; i < n; i++)
        {
            s[i] = (s[i] - mean) / spread;
        }

        var rate = Math.Clamp(positives / n, 1e-9, 1 - 1e-9);
        double a = 0, b = Math.Log(rate / (1 - rate));
        var current = LogLikelihood(s, labels, a, b);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            for (var i = 0; i < n; i++)
            {
                var p = 1 / (1 + Math.Exp(-((a * s[i]) + b)));
                var residual = (labels[i] ? 1 : 0) - p;
                var v = p * (1 - p);
                ga += residual * s[i];
                gb += residual;
                haa += v * s[i] * s[i];
                hab += v * s[i];
                hbb += v;
            }

            var determinant = (haa * hbb) - (hab * hab);
            if (!(determinant > 0))
            {
                break;
            }

            var da = ((hbb * ga) - (hab * gb)) / determinant;
            var db = ((haa * gb) - (hab * ga)) / determinant;
            var step = 1.0;
            var next = LogLikelihood(s, labels, a + da, b + db);
            while (next < current && step > 1e-6)
            {
                step *= 0.5;
                next = LogLikelihood(s, labels, a + (step * da), b + (step * db));
            }

            a += step * da;
            b += step * db;
            var gain = next - current;
            current = next;
            if (Math.Abs(step * da) + Math.Abs(step * db) < 1e-10 || gain < 1e-12)
            {
                break;
            }
        }

        // Back to the raw score's scale.
        return (a / spread, b - (a * mean / spread));
    }

    private static double LogLikelihood(ReadOnlySpan<double> s, ReadOnlySpan<bool> labels, double a, double b)
    {
        double sum = 0;
        for (var i = 0; i < s.Length; i++)
        {
            var z = (a * s[i]) + b;

            // log σ(z) = −log(1 + e^−z), log(1 − σ(z)) = −log(1 + e^z), each computed without overflow.
            var t = labels[i] ? -z : z;
            sum -= t > 0 ? t + Math.Log(1 + Math.Exp(-t)) : Math.Log(1 + Math.Exp(t));
        }

        return sum;
    }

    private static IEnumerable<Row> Rows(float[] matrix, int width, bool[] labels)
    {
        for (var r = 0; r < labels.Length; r++)
        {
            yield return new Row { Label = labels[r], Features = matrix.AsSpan(r * width, width).ToArray() };
        }
    }

    private sealed class Row
    {
        public bool Label { get; set; }

        public float[] Features { get; set; } = [];
    }
}
