using System.Diagnostics.CodeAnalysis;

namespace Estimator.Estimation.Multiclass;

/// <summary>
/// Which column holds the raw score of which class in a multiclass model's prediction file: an ordered, immutable list
/// of class → column pairs, written at the edges (CLI, configuration) as <c>CLASS=COLUMN,CLASS=COLUMN,...</c>.
/// </summary>
/// <remarks>
/// Columns are matched to classes by these pairs only, never by sorting column names (NannyML issue #346 did that and
/// paired columns with the wrong classes). Class labels are text: an integer-labelled model writes <c>0=p0,1=p1,2=p2</c>
/// and its label columns then hold 0, 1 and 2. A class name may not contain <c>,</c>; the first <c>=</c> of a pair
/// separates class from column, and spaces around either are ignored.
/// </remarks>
public sealed class ClassScoreColumns : IEquatable<ClassScoreColumns>
{
    /// <summary>The accepted text form, for messages.</summary>
    public const string Form = "CLASS=COLUMN pairs separated by commas, at least two, e.g. a=score_a,b=score_b,c=score_c";

    private readonly string[] _classes;
    private readonly string[] _columns;

    /// <summary>Creates the mapping from class → column pairs, in the order given.</summary>
    /// <param name="pairs">The pairs: at least two, no class or column twice, none empty.</param>
    /// <exception cref="ArgumentException">Fewer than two pairs, an empty class or column, or a class or column listed twice.</exception>
    public ClassScoreColumns(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var list = pairs.ToList();
        if (Check(list) is { } error)
        {
            throw new ArgumentException(error, nameof(pairs));
        }

        _classes = [.. list.Select(p => p.Key)];
        _columns = [.. list.Select(p => p.Value)];
    }

    /// <summary>The classes, in the order given.</summary>
    public IReadOnlyList<string> Classes => _classes;

    /// <summary>The score column of each class, in the order of <see cref="Classes"/>.</summary>
    public IReadOnlyList<string> Columns => _columns;

    /// <summary>Number of classes.</summary>
    public int Count => _classes.Length;

    /// <summary>Whether an option's text is in the pair form (it holds <c>=</c>) rather than one binary score column.</summary>
    /// <param name="text">The option's text.</param>
    public static bool IsPairSyntax(string? text) => text is not null && text.Contains('=', StringComparison.Ordinal);

    /// <summary>Parses <c>CLASS=COLUMN,CLASS=COLUMN,...</c>.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">The text is not valid; the message says why in one sentence.</exception>
    public static ClassScoreColumns Parse(string text) =>
        TryParse(text, out var columns, out var error) ? columns : throw new FormatException(error);

    /// <summary>Parses <c>CLASS=COLUMN,CLASS=COLUMN,...</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="columns">The mapping, when the text is valid.</param>
    /// <param name="error">Why not, as one sentence, otherwise.</param>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ClassScoreColumns? columns, [NotNullWhen(false)] out string? error)
    {
        columns = null;
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                error = $"'{part}' is not CLASS=COLUMN; expected {Form}";
                return false;
            }

            pairs.Add(new(part[..equals].Trim(), part[(equals + 1)..].Trim()));
        }

        error = Check(pairs);
        if (error is not null)
        {
            return false;
        }

        columns = new ClassScoreColumns(pairs);
        return true;
    }

    /// <summary>The score column of <paramref name="class"/> (ordinal match), or null when the class is not mapped.</summary>
    /// <param name="class">The class.</param>
    public string? ColumnOf(string @class)
    {
        var k = Array.IndexOf(_classes, @class);
        return k < 0 ? null : _columns[k];
    }

    /// <summary>The text form, <c>CLASS=COLUMN,...</c>, in the order given.</summary>
    public override string ToString() => string.Join(",", _classes.Select((c, k) => c + "=" + _columns[k]));

    /// <inheritdoc />
    public bool Equals(ClassScoreColumns? other) =>
        other is not null && _classes.SequenceEqual(other._classes, StringComparer.Ordinal) && _columns.SequenceEqual(other._columns, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ClassScoreColumns);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    private static string? Check(List<KeyValuePair<string, string>> pairs)
    {
        var classes = new HashSet<string>(StringComparer.Ordinal);
        var columns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (@class, column) in pairs)
        {
            if (string.IsNullOrWhiteSpace(@class) || string.IsNullOrWhiteSpace(column))
            {
                return $"'{@class}={column}' needs both a class and a column; expected {Form}";
            }

            if (!classes.Add(@class))
            {
                return $"class '{@class}' is mapped twice";
            }

            if (!columns.Add(column))
            {
                return $"column '{column}' is mapped to two classes";
            }
        }

        return pairs.Count < 2
            ? $"a multiclass model needs at least two CLASS=COLUMN pairs, got {pairs.Count}; for a binary model give one score column without '='"
            : null;
    }
}
