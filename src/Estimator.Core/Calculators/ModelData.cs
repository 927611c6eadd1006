namespace Estimator.Calculators;

/// <summary>
/// One period's rows (reference or analysis) as every calculator sees them: columnar, with roles. The model's outputs
/// (binary score, per-class scores, predictions, targets) have fixed slots; its inputs are named
/// <see cref="Features"/>. Readers map file columns to these roles once, at the edge.
/// </summary>
/// <remarks>
/// Missing values are NaN in numeric slots and null in categorical ones. Predictions and targets share one encoding:
/// 0/1 for binary models, the index into <see cref="Classes"/> for multiclass models, the value for regression models.
/// Arrays are not copied: callers hand them over and must not mutate them afterwards.
/// </remarks>
public sealed record ModelData
{
    /// <summary>Creates a period's rows; set the roles the data has with the init-only properties.</summary>
    /// <param name="count">Number of rows; every array given must have this length.</param>
    /// <param name="timestamps">Row timestamps (UTC), or null without a timestamp column.</param>
    public ModelData(int count, DateTime[]? timestamps = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Check(timestamps?.Length, count, nameof(timestamps));
        Count = count;
        Timestamps = timestamps;
    }

    /// <summary>Number of rows.</summary>
    public int Count { get; }

    /// <summary>Row timestamps (UTC); null without a timestamp column.</summary>
    public DateTime[]? Timestamps { get; }

    /// <summary>Binary models: the raw score of class 1 (<c>y_pred_proba</c>), NaN where missing.</summary>
    public double[]? Scores
    {
        get;
        init => field = Checked(value, nameof(Scores));
    }

    /// <summary>Multiclass models: the class labels, in the order of <see cref="ClassScores"/>.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Multiclass models: one raw score column per class, in the order of <see cref="Classes"/>.</summary>
    public IReadOnlyList<double[]>? ClassScores
    {
        get;
        init
        {
            foreach (var column in value ?? [])
            {
                Checked(column, nameof(ClassScores));
            }

            field = value;
        }
    }

    /// <summary>Predicted label (0/1, class index) or predicted value; NaN where missing; null when not given.</summary>
    public double[]? Predictions
    {
        get;
        init => field = Checked(value, nameof(Predictions));
    }

    /// <summary>Actual label (0/1, class index) or actual value; NaN where not (yet) known; null when no labels exist.</summary>
    public double[]? Targets
    {
        get;
        init => field = Checked(value, nameof(Targets));
    }

    /// <summary>The model's input columns, by name.</summary>
    public IReadOnlyList<FeatureColumn> Features
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (var column in value)
            {
                Check(column.Count, Count, column.Name);
            }

            field = value;
        }
    } = [];

    /// <summary>The input column called <paramref name="name"/> (ordinal match).</summary>
    /// <param name="name">The column's name.</param>
    /// <exception cref="EstimatorDataException">No such column; the message lists the ones there are.</exception>
    public FeatureColumn Feature(string name)
    {
        foreach (var column in Features)
        {
            if (string.Equals(column.Name, name, StringComparison.Ordinal))
            {
                return column;
            }
        }

        var known = Features.Count == 0 ? "none" : string.Join(", ", Features.Select(f => f.Name));
        throw new EstimatorDataException($"no input column '{name}' (columns: {known})", column: name);
    }

    /// <summary>The binary view CBPE's kernels take (no copies).</summary>
    /// <exception cref="EstimatorDataException">The data has no binary score column.</exception>
    public PredictionSet ToPredictionSet() => new(
        Scores ?? throw new EstimatorDataException("the data has no score column (y_pred_proba)"),
        Predictions,
        Targets,
        Timestamps);

    /// <summary>Wraps a binary prediction set (no copies).</summary>
    /// <param name="set">The prediction set.</param>
    public static ModelData FromPredictions(PredictionSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        return new ModelData(set.Count, set.Timestamps) { Scores = set.Scores, Predictions = set.Predictions, Targets = set.Targets };
    }

    /// <summary>Returns a copy with the given targets (labels that arrived later).</summary>
    /// <param name="targets">One target per row, or null.</param>
    public ModelData WithTargets(double[]? targets) => this with { Targets = targets };

    /// <summary>Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>), copied.</summary>
    /// <param name="start">First row.</param>
    /// <param name="length">Number of rows.</param>
    public ModelData Slice(int start, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + length, Count, nameof(length));
        return new ModelData(length, Timestamps?.AsSpan(start, length).ToArray())
        {
            Scores = Scores?.AsSpan(start, length).ToArray(),
            Classes = Classes,
            ClassScores = ClassScores?.Select(c => c.AsSpan(start, length).ToArray()).ToList(),
            Predictions = Predictions?.AsSpan(start, length).ToArray(),
            Targets = Targets?.AsSpan(start, length).ToArray(),
            Features = Features.Select(f => f.Slice(start, length)).ToList(),
        };
    }

    /// <summary>
    /// The rows in chunking order: sorted by timestamp (stably, see <see cref="TimestampOrder"/>); this instance when
    /// there are no timestamps or they are already in order.
    /// </summary>
    public ModelData SortedByTimestamp()
    {
        if (Timestamps is null || TimestampOrder.Of(Timestamps) is not { } order)
        {
            return this;
        }

        return new ModelData(Count, TimestampOrder.Permute(Timestamps, order))
        {
            Scores = Scores is null ? null : TimestampOrder.Permute(Scores, order),
            Classes = Classes,
            ClassScores = ClassScores?.Select(c => TimestampOrder.Permute(c, order)).ToList(),
            Predictions = Predictions is null ? null : TimestampOrder.Permute(Predictions, order),
            Targets = Targets is null ? null : TimestampOrder.Permute(Targets, order),
            Features = Features.Select(f => Permute(f, order)).ToList(),
        };
    }

    private static FeatureColumn Permute(FeatureColumn column, int[] order) => column switch
    {
        NumericFeature n => n with { Values = TimestampOrder.Permute(n.Values, order) },
        CategoricalFeature c => c with { Values = TimestampOrder.Permute(c.Values, order) },
        _ => throw new ArgumentException($"Unsupported column type {column.GetType().Name}.", nameof(column)),
    };

    private double[]? Checked(double[]? values, string name)
    {
        Check(values?.Length, Count, name);
        return values;
    }

    private static void Check(int? length, int expected, string name) => ColumnLength.Matches(length, expected, name, "the data has");
}
