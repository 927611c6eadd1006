namespace Estimator.Calculators;

/// <summary>
/// One model input column of a <see cref="ModelData"/>: numeric (<see cref="NumericFeature"/>) or categorical
/// (<see cref="CategoricalFeature"/>). A closed set: drift and quality calculators switch on the two kinds.
/// </summary>
/// <param name="Name">The column's name as the data spells it.</param>
public abstract record FeatureColumn(string Name)
{
    /// <summary>Number of rows.</summary>
    public abstract int Count { get; }

    /// <summary>Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>), copied.</summary>
    /// <param name="start">First row.</param>
    /// <param name="length">Number of rows.</param>
    public abstract FeatureColumn Slice(int start, int length);
}

/// <summary>A numeric input column; NaN marks a missing value.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Values">One value per row (not copied: the caller hands the array over).</param>
public sealed record NumericFeature(string Name, double[] Values) : FeatureColumn(Name)
{
    /// <inheritdoc />
    public override int Count => Values.Length;

    /// <inheritdoc />
    public override FeatureColumn Slice(int start, int length) => new NumericFeature(Name, Values.AsSpan(start, length).ToArray());
}

/// <summary>A categorical input column (strings, booleans and labels as text); null marks a missing value.</summary>
/// <param name="Name">The column's name.</param>
/// <param name="Values">One value per row (not copied: the caller hands the array over).</param>
public sealed record CategoricalFeature(string Name, string?[] Values) : FeatureColumn(Name)
{
    /// <inheritdoc />
    public override int Count => Values.Length;

    /// <inheritdoc />
    public override FeatureColumn Slice(int start, int length) => new CategoricalFeature(Name, Values.AsSpan(start, length).ToArray());
}
