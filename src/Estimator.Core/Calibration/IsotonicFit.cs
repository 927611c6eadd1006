namespace Estimator.Calibration;

/// <summary>
/// The fitted points of an isotonic regression (scikit-learn's <c>IsotonicRegression.fit</c> with unit weights): tied
/// scores pooled into one weighted point, pool-adjacent-violators, then the interior points of constant runs dropped.
/// </summary>
internal static class IsotonicFit
{
    /// <summary>scikit-learn's tie tolerance: <c>np.finfo(np.float64).resolution</c>.</summary>
    private const double TieResolution = 1e-15;

    /// <summary>
    /// Fits on pairs sorted by score (ascending); inputs must be NaN-free and non-empty. Returns the thresholds
    /// (strictly increasing) and their values (non-decreasing).
    /// </summary>
    public static (double[] Thresholds, double[] Values) FromSorted(ReadOnlySpan<double> sortedScores, ReadOnlySpan<double> targets)
    {
        var points = new TiedPoints(sortedScores.Length, sortedScores[0]);
        for (var j = 0; j < sortedScores.Length; j++)
        {
            points.Add(sortedScores[j], 1, targets[j]);
        }

        return points.Fit();
    }

    /// <summary>
    /// Fits on pairs sorted by score (ascending) with a weight per pair (scikit-learn's <c>sample_weight</c>): tied
    /// scores pool into one point whose target is their weighted mean; pairs of weight 0 are skipped. Inputs must be
    /// NaN-free with at least one positive weight.
    /// </summary>
    public static (double[] Thresholds, double[] Values) FromSortedWeighted(ReadOnlySpan<double> sortedScores, ReadOnlySpan<double> targets, ReadOnlySpan<double> weights)
    {
        var first = 0;
        while (first < weights.Length && !(weights[first] > 0))
        {
            first++;
        }

        if (first == weights.Length)
        {
            throw new ArgumentException("Cannot fit an isotonic calibrator with no positive weight.", nameof(weights));
        }

        var points = new TiedPoints(sortedScores.Length, sortedScores[first]);
        for (var j = first; j < sortedScores.Length; j++)
        {
            if (weights[j] > 0)
            {
                points.Add(sortedScores[j], weights[j], weights[j] * targets[j]);
            }
        }

        return points.Fit();
    }

    /// <summary>
    /// Fits on runs of equal scores: run r holds <paramref name="counts"/>[r] rows with score <paramref name="values"/>[r],
    /// <paramref name="positives"/>[r] of them with target 1; runs with no rows are skipped. Bit for bit
    /// <see cref="FromSorted"/> on the rows the runs stand for: a run's rows are pooled together (equal scores), and the
    /// pooled sums of 0/1 targets and unit weights are integers, exact whatever the order they are added in.
    /// </summary>
    /// <exception cref="ArgumentException">Every run is empty.</exception>
    public static (double[] Thresholds, double[] Values) FromRuns(ReadOnlySpan<double> values, ReadOnlySpan<int> counts, ReadOnlySpan<int> positives)
    {
        var runs = values.Length;
        var r = 0;
        while (r < runs && counts[r] == 0)
        {
            r++;
        }

        if (r == runs)
        {
            throw new ArgumentException("Cannot fit an isotonic calibrator on no data.", nameof(counts));
        }

        var points = new TiedPoints(runs, values[r]);
        for (; r < runs; r++)
        {
            if (counts[r] != 0)
            {
                points.Add(values[r], counts[r], positives[r]);
            }
        }

        return points.Fit();
    }

    /// <summary>
    /// scikit-learn's <c>_make_unique</c> as scores arrive in ascending order: a new point starts when a score exceeds
    /// the current point's first score by at least <see cref="TieResolution"/>; a point's target is the mean of its
    /// pooled targets and its weight their total weight.
    /// </summary>
    private struct TiedPoints
    {
        private readonly double[] _x;
        private readonly double[] _y;
        private readonly double[] _w;
        private int _count;
        private double _currentX;
        private double _currentY;
        private double _currentW;

        public TiedPoints(int capacity, double firstScore)
        {
            _x = new double[capacity];
            _y = new double[capacity];
            _w = new double[capacity];
            _currentX = firstScore;
        }

        /// <summary>Adds <paramref name="weight"/> rows at <paramref name="score"/> whose targets sum to <paramref name="targetSum"/>.</summary>
        public void Add(double score, double weight, double targetSum)
        {
            if (score - _currentX >= TieResolution)
            {
                Close();
                _currentX = score;
                _currentW = weight;
                _currentY = targetSum;
            }
            else
            {
                _currentW += weight;
                _currentY += targetSum;
            }
        }

        /// <summary>Closes the last point, then pool-adjacent-violators and the trimmed points.</summary>
        public (double[] Thresholds, double[] Values) Fit()
        {
            Close();
            var x = _x;
            var y = _y;
            var k = _count;
            PoolAdjacentViolators.Fit(y.AsSpan(0, k), _w.AsSpan(0, k));

            // Keep the first and last points and every point whose value differs from a neighbour's.
            var kept = 0;
            for (var i = 0; i < k; i++)
            {
                if (i == 0 || i == k - 1 || y[i] != y[i - 1] || y[i] != y[i + 1])
                {
                    x[kept] = x[i];
                    y[kept] = y[i];
                    kept++;
                }
            }

            return (x.AsSpan(0, kept).ToArray(), y.AsSpan(0, kept).ToArray());
        }

        private void Close()
        {
            _x[_count] = _currentX;
            _w[_count] = _currentW;
            _y[_count] = _currentY / _currentW;
            _count++;
        }
    }
}
