namespace Estimator;

/// <summary>
/// The snake_case names of a closed set (<c>roc_auc</c>, <c>univariate_drift</c>, ...), printed and parsed at the
/// edges: one name per enum value, in the enum's declaration order.
/// </summary>
/// <typeparam name="TEnum">The enum; its values are 0, 1, 2, ... in declaration order.</typeparam>
internal sealed class NameTable<TEnum>
    where TEnum : struct, Enum
{
    private readonly TEnum[] _values = Enum.GetValues<TEnum>();
    private readonly string[] _names;

    /// <summary>Creates the table.</summary>
    /// <param name="names">One name per enum value, in declaration order.</param>
    /// <exception cref="ArgumentException">Not one name per value.</exception>
    public NameTable(params string[] names)
    {
        if (names.Length != _values.Length)
        {
            throw new ArgumentException($"{typeof(TEnum).Name} has {_values.Length} values but {names.Length} names were given.", nameof(names));
        }

        _names = names;
    }

    /// <summary>Every name, in table order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The value's name.</summary>
    /// <param name="value">The value.</param>
    /// <param name="parameter">The caller's parameter name, for the exception.</param>
    /// <param name="unknown">The exception's message for a value outside the table.</param>
    /// <exception cref="ArgumentOutOfRangeException">The value is not in the table.</exception>
    public string NameOf(TEnum value, string parameter, string unknown)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            if (EqualityComparer<TEnum>.Default.Equals(_values[i], value))
            {
                return _names[i];
            }
        }

        throw new ArgumentOutOfRangeException(parameter, value, unknown);
    }

    /// <summary>Parses a name: surrounding space ignored, ordinal, case-insensitive.</summary>
    /// <param name="text">The name.</param>
    /// <param name="value">The value, when the name is known.</param>
    /// <returns>Whether the name is known.</returns>
    public bool TryParse(string? text, out TEnum value)
    {
        var trimmed = text?.Trim();
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i], trimmed, StringComparison.OrdinalIgnoreCase))
            {
                value = _values[i];
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The names joined for a message (<c>a, b, c</c>).</summary>
    public override string ToString() => string.Join(", ", Names);
}
