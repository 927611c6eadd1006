namespace Estimator.Estimation.Multiclass;

/// <summary>
/// Turns a label column (<c>y_pred</c>, <c>y_true</c>) into the class indices <see cref="Calculators.ModelData"/> holds
/// for multiclass models: the position of each label in the model's class list. Readers call it once, at the edge.
/// </summary>
public static class ClassLabels
{
    /// <summary>Encodes labels as indices into <paramref name="classes"/> (ordinal match); a missing label is NaN.</summary>
    /// <param name="classes">The model's classes, in the order of its score columns.</param>
    /// <param name="labels">One label per row; null where missing.</param>
    /// <param name="column">The label column's name, for the error message.</param>
    /// <returns>One index (or NaN) per row.</returns>
    /// <exception cref="EstimatorDataException">A label is not among <paramref name="classes"/>; names the label, column and row.</exception>
    /// <exception cref="ArgumentException"><paramref name="classes"/> repeats a class.</exception>
    public static double[] Encode(IReadOnlyList<string> classes, IReadOnlyList<string?> labels, string column)
    {
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(labels);
        var index = IndexOf(classes);
        var encoded = new double[labels.Count];
        for (var i = 0; i < encoded.Length; i++)
        {
            var label = labels[i];
            if (label is null)
            {
                encoded[i] = double.NaN;
            }
            else if (index.TryGetValue(label, out var k))
            {
                encoded[i] = k;
            }
            else
            {
                throw new EstimatorDataException(
                    $"label '{label}' is not among the mapped classes ({string.Join(", ", classes)})", column: column, row: i);
            }
        }

        return encoded;
    }

    /// <summary>The class of an encoded label, or null when it is missing.</summary>
    /// <param name="classes">The model's classes.</param>
    /// <param name="encoded">An index from <see cref="Encode"/>.</param>
    public static string? Decode(IReadOnlyList<string> classes, double encoded)
    {
        ArgumentNullException.ThrowIfNull(classes);
        return double.IsNaN(encoded) ? null : classes[(int)encoded];
    }

    /// <summary>Class name → position; a repeated class is a programming error.</summary>
    internal static Dictionary<string, int> IndexOf(IReadOnlyList<string> classes)
    {
        var index = new Dictionary<string, int>(classes.Count, StringComparer.Ordinal);
        for (var k = 0; k < classes.Count; k++)
        {
            ArgumentNullException.ThrowIfNull(classes[k], nameof(classes));
            if (!index.TryAdd(classes[k], k))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The class '{classes[k]}' is listed twice."), nameof(classes));
            }
        }

        return index;
    }
}
